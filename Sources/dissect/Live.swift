import DissectKit
#if canImport(Glibc)
import Glibc
#endif

/// `-i`: live capture. Sets the capture up from the options (tshark's checks and messages), hands
/// Runner a `LiveCapture` to read like a file, and reports the counts at the end.
///
/// `-w` while capturing is dumpcap's job in tshark: every captured packet is saved (so `-Y`/`-R`
/// are refused with `-w`, as tshark refuses them), here by the capture's `CaptureFileSink`.
final class LiveRun {
    /// What Runner reads: the interface, or the capture stream of `-i -`.
    let reader: any CaptureReader
    /// The interface capture (nil for `-i -`).
    let capture: LiveCapture?
    private let quiet: Bool
    private let rotation: FileRotation

    /// The run ends before capturing, with this exit status (0 after `-L`).
    struct Exit: Error {
        let code: Int32
        init(_ code: Int32) { self.code = code }
    }

    private init(reader: any CaptureReader, capture: LiveCapture?, quiet: Bool, rotation: FileRotation) {
        self.reader = reader
        self.capture = capture
        self.quiet = quiet
        self.rotation = rotation
    }

    /// `-D`: "1. eth0", "3. lo (Loopback)", … on standard output.
    static func listInterfaces() -> Int32 {
        do {
            var n = 0
            var text = ""
            for d in try CaptureDevice.all() {
                n += 1
                text += "\(n). \(d.name)"
                if let f = d.friendlyName { text += " (\(f))" }
                text += "\n"
            }
            if n == 0 {
                printError("There are no interfaces on which a capture can be done")
                return 2
            }
            print(text, terminator: "")
            return 0
        } catch {
            printError(error.message)
            return 2
        }
    }

    /// Checks the capture options, prints "Capturing on '…'" and opens the device. On failure the
    /// message is printed and the exit status returned.
    static func start(_ options: DissectOptions, packetLimit: Int) -> Result<LiveRun, Exit> {
        let quiet = options.reallyQuiet
        if options.interfaces.count > 1 {
            printError("Capturing on more than one interface at a time is not supported yet.")
            return .failure(Exit(1))
        }
        if options.twoPass {
            printError("Live captures do not support two-pass analysis.")
            return .failure(Exit(1))
        }
        var rotation = FileRotation()
        var durationLimit: Double?
        var stopPackets: Int?
        for a in options.autostop {
            guard let (key, value) = splitKeyValue(a) else {
                printError("Invalid or unknown -a flag \"\(a)\"")
                return .failure(Exit(1))
            }
            switch key {
            case "duration":
                guard let v = Double(value), v >= 0 else { return .failure(badNumber("autostop duration", value)) }
                durationLimit = v
            case "filesize":
                guard let v = Int(value), v >= 0 else { return .failure(badNumber("autostop filesize", value)) }
                rotation.stopFileSizeKB = v
            case "files":
                guard let v = Int(value), v >= 0 else { return .failure(badNumber("autostop files", value)) }
                rotation.stopFiles = v
            case "packets":
                guard let v = Int(value), v >= 0 else {
                    printError("The specified packet write count \"\(value)\" isn't a decimal number")
                    return .failure(Exit(1))
                }
                stopPackets = v
            default:
                printError("Invalid or unknown -a flag \"\(a)\"")
                return .failure(Exit(1))
            }
        }
        for b in options.ringBuffer {
            guard let (key, value) = splitKeyValue(b) else {
                printError("Invalid or unknown -b arg \"\(b)\"")
                return .failure(Exit(1))
            }
            switch key {
            case "filesize": guard let v = Int(value), v > 0 else { return .failure(badNumber("ring buffer filesize", value)) }
                rotation.fileSizeKB = v
            case "duration": guard let v = Double(value), v > 0 else { return .failure(badNumber("ring buffer duration", value)) }
                rotation.duration = v
            case "interval": guard let v = Int(value), v > 0 else { return .failure(badNumber("ring buffer interval", value)) }
                rotation.interval = v
            case "packets": guard let v = Int(value), v > 0 else { return .failure(badNumber("ring buffer packet count", value)) }
                rotation.packets = v
            case "files": guard let v = Int(value), v >= 0 else { return .failure(badNumber("number of ring buffer files", value)) }
                rotation.files = v
            case "printname": rotation.printName = value
            default: break // tshark then finds no switching condition (below)
            }
        }
        if !options.ringBuffer.isEmpty {
            if options.writeFile == nil {
                printError("Ring buffer requested, but capture isn't being saved to a file.")
                return .failure(Exit(1))
            }
            if options.writeFile == "-" {
                printError("Ring buffer requested, but capture is being written to the standard output or to a named pipe.")
                return .failure(Exit(1))
            }
            if !rotation.switchesFiles {
                printError("Multiple capture files requested, but no maximum capture file size, duration, interval or packets were specified.")
                return .failure(Exit(1))
            }
        }
        if options.writeFile == nil && (rotation.stopFileSizeKB != nil || rotation.stopFiles != nil) {
            printError("Maximum capture file size specified, but capture isn't being saved to a file.")
            return .failure(Exit(1))
        }
        if options.writeFile != nil {
            if options.displayFilter != nil {
                printError("Display filters aren't supported when capturing and saving the captured packets.")
                return .failure(Exit(1))
            }
            if options.readFilter != nil {
                printError("Read filters aren't supported when capturing and saving the captured packets.")
                return .failure(Exit(1))
            }
        }

        var snap = 262_144
        if let s = options.snapLength {
            guard let v = Int(s) else {
                printError("The specified snapshot length \"\(s)\" isn't a decimal number")
                return .failure(Exit(1))
            }
            guard v >= 0 else {
                printError("The specified snapshot length \"\(s)\" is a negative number")
                return .failure(Exit(1))
            }
            if v > 0 { snap = v }
        }
        // `-i -` or `-i FIFO`: capture data arrives through a pipe (pyshark's LiveCapture pipes
        // dumpcap's pcapng stream into `tshark -i -`). Read as a file; report as a capture.
        if let pipe = options.interfaces.first, pipe == "-" || isFIFO(pipe) {
            if options.writeFile != nil {
                printError("Saving a capture read from a pipe is not supported; use -r - -w FILE.")
                return .failure(Exit(1))
            }
            if !quiet { printStderr("Capturing on '\(pipe)'") }
            do {
                let stream = try PipeCapture(openCapture(path: pipe), limit: packetLimit)
                installStopHandlers()
                return .success(LiveRun(reader: stream, capture: nil, quiet: quiet, rotation: rotation))
            } catch {
                printError(error.message)
                if !quiet { printStderr("0 packets captured") }
                return .failure(Exit(2))
            }
        }

        var bufferMiB: Int?
        if let b = options.bufferSize {
            guard let v = Int(b), v > 0 else { return .failure(badNumber("buffer size", b)) }
            bufferMiB = v
        }

        let device: CaptureDevice
        do {
            device = try CaptureDevice.resolve(options.interfaces.first ?? defaultInterface())
        } catch {
            printError(error.message)
            return .failure(Exit(1))
        }
        var settings = LiveCaptureSettings(device: device)
        settings.captureFilter = options.captureFilter
        settings.snapLength = snap
        settings.promiscuous = !options.noPromiscuous
        settings.monitorMode = options.monitorMode
        if let b = bufferMiB { settings.bufferSizeMiB = b }
        settings.linkTypeName = options.linkType

        if options.listLinkTypes {
            return .failure(Exit(listLinkTypes(settings)))
        }

        // tshark prints this line before dumpcap opens the device; we print it once the device is
        // open (the same lines either way), so that it tells a script the capture is running.
        let capturing = "Capturing on '\(device.displayName)'"
        let capture: LiveCapture
        do {
            capture = try LiveCapture(settings, application: Usage.versionLine)
        } catch {
            if !quiet { printStderr(capturing) }
            printError(error.message)
            if !quiet { printStderr("0 packets captured") }
            return .failure(Exit(1))
        }
        if !quiet { printStderr(capturing) }
        capture.packetLimit = min(packetLimit, stopPackets.map { $0 == 0 ? Int.max : $0 } ?? Int.max)
        if let d = durationLimit, d > 0 { capture.durationLimit = UInt64(d * 1e9) }
        installStopHandlers()
        return .success(LiveRun(reader: capture, capture: capture, quiet: quiet, rotation: rotation))
    }

    /// Ctrl-C, kill, a closed terminal: finish the capture cleanly (files closed, counts shown).
    private static func installStopHandlers() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { _ in LiveCapture.requestStop() }
        }
    }

    /// `-w FILE` (with `-b`: the first ring buffer file): every captured packet is saved there.
    /// Returns an exit status when the file cannot be created.
    func save(to path: String, type: CaptureFileType) -> Int32? {
        guard let capture else { return nil }
        do {
            capture.sink = try CaptureFileSink(path: path, type: type, rotation: rotation, section: capture.section,
                                               interfaces: capture.interfaces, application: Usage.versionLine)
            return nil
        } catch {
            printError(error.message)
            return 2
        }
    }

    /// Ends the capture (closing its files) and prints tshark's closing lines; returns the exit
    /// status the capture adds (0, or 2 after a capture or write error).
    func finish() -> Int32 {
        var status: Int32 = 0
        defer { for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig, SIG_DFL) } }
        guard let capture else {
            if let pipe = reader as? PipeCapture {
                if let e = pipe.failure {
                    printError(e.message)
                    status = 2
                }
                if !quiet { printStderr("\(pipe.count) packet\(pipe.count == 1 ? "" : "s") captured") }
            }
            return status
        }
        capture.stop()
        if let f = capture.failure {
            printError(f.message)
            status = 2
        }
        if let w = capture.writeFailure {
            printError(w.message)
            status = 2
        }
        if !quiet {
            // dumpcap reports the kernel's drops (buffer full) before tshark prints its count.
            let lost = capture.dropped.kernel
            if lost > 0 {
                printStderr("\(lost) packet\(lost == 1 ? "" : "s") dropped from \(capture.settings.device.name)")
            }
            let n = capture.captured
            printStderr("\(n) packet\(n == 1 ? "" : "s") captured")
        }
        return status
    }

    /// `-L`: the device's data link types, as tshark lists them.
    private static func listLinkTypes(_ settings: LiveCaptureSettings) -> Int32 {
        var s = settings
        s.captureFilter = nil
        s.linkTypeName = nil
        do {
            let c = try LiveCapture(s, application: Usage.versionLine)
            var text = "Data link types of interface \(settings.device.name) (use option -y to set):\n"
            for t in c.dataLinkTypes() { text += "  \(t.name) (\(t.description))\n" }
            print(text, terminator: "")
            return 0
        } catch {
            printError(error.message)
            return 2
        }
    }

    private static func isFIFO(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO
    }

    /// tshark's default interface: the first one listed.
    private static func defaultInterface() -> String {
        ((try? CaptureDevice.all())?.first?.name) ?? "any"
    }

    private static func splitKeyValue(_ s: String) -> (String, String)? {
        guard let colon = s.firstIndex(of: ":") else { return nil }
        return (String(s[..<colon]), String(s[s.index(after: colon)...]))
    }

    private static func badNumber(_ what: String, _ value: String) -> Exit {
        printError("The specified \(what) \"\(value)\" isn't a valid number")
        return Exit(1)
    }
}

/// `-i -`: a capture stream on standard input, read like a file but counted and stopped like a
/// capture (a signal ends it after the current packet; a cut stream ends it quietly, as a
/// capture whose writer went away).
final class PipeCapture: CaptureReader {
    private let inner: any CaptureReader
    private let limit: Int
    private(set) var count = 0
    private(set) var failure: CaptureError?

    init(_ inner: any CaptureReader, limit: Int) {
        self.inner = inner
        self.limit = limit
    }

    var format: CaptureFormat { inner.format }
    var interfaces: [InterfaceInfo] { inner.interfaces }
    var decryptionSecrets: [(type: UInt32, data: [UInt8])] { inner.decryptionSecrets }

    func next() throws(CaptureError) -> CapturedPacket? {
        guard count < limit, !LiveCapture.stopRequested else { return nil }
        do {
            guard let p = try inner.next() else { return nil }
            count += 1
            return p
        } catch {
            if case .shortRead = error { return nil } // the writer stopped mid-packet
            failure = error
            return nil
        }
    }
}
