import CPcap
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One interface libpcap can capture on, as `-D` lists it.
public struct CaptureDevice: Sendable, Equatable {
    public var name: String
    /// libpcap's description ("Pseudo-device that captures on all interfaces"); tshark 4.0 on
    /// Linux does not show it.
    public var pcapDescription: String?
    public var isLoopback: Bool
    public var isUp: Bool

    /// The name tshark puts in parentheses in `-D` and before the name in "Capturing on": on
    /// Linux only loopback interfaces get one ("Loopback"), from capture-pcap-util's rule.
    public var friendlyName: String? { isLoopback ? "Loopback" : nil }

    /// "Loopback: lo", or just the name: what "Capturing on '…'" quotes.
    public var displayName: String { friendlyName.map { $0 + ": " + name } ?? name }

    /// Every interface libpcap finds, in its order (which is tshark's `-D` order).
    public static func all() throws(LiveCaptureError) -> [CaptureDevice] {
        var list: UnsafeMutablePointer<pcap_if_t>?
        var err = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard pcap_findalldevs(&list, &err) == 0 else {
            throw .cannotList(reason: LiveCapture.text(err))
        }
        defer { pcap_freealldevs(list) }
        var devices: [CaptureDevice] = []
        var p = list
        while let d = p {
            let flags = d.pointee.flags
            devices.append(CaptureDevice(
                name: String(cString: d.pointee.name),
                pcapDescription: d.pointee.description.map { String(cString: $0) },
                isLoopback: flags & UInt32(PCAP_IF_LOOPBACK) != 0,
                isUp: flags & UInt32(PCAP_IF_UP) != 0))
            p = d.pointee.next
        }
        return devices
    }

    /// `-i ARG`: a number is a position in the `-D` list (1-based), anything else a name (which
    /// libpcap may know even when it is not listed).
    public static func resolve(_ arg: String) throws(LiveCaptureError) -> CaptureDevice {
        let devices = try all()
        if let n = Int(arg) {
            guard n >= 1, n <= devices.count else { throw .noAdapterIndex }
            return devices[n - 1]
        }
        return devices.first { $0.name == arg }
            ?? CaptureDevice(name: arg, pcapDescription: nil, isLoopback: false, isUp: false)
    }
}

/// Why a live capture could not start or went on no longer; `message` is tshark's wording
/// (dumpcap's capture_loop_open_input / capture_loop_init_filter) after "tshark: ".
public enum LiveCaptureError: Error, Equatable, Sendable {
    case cannotList(reason: String)
    case noAdapterIndex
    case noSuchDevice(name: String)
    case notUp(name: String)
    case permissionDenied(name: String, detail: String)
    case badFilter(filter: String, interface: String, detail: String)
    case badLinkType(name: String)
    case linkTypeNotSupported(name: String, interface: String)
    case cannotOpen(name: String, detail: String)
    /// `pcap_next_ex` failed during the capture (the interface went away, say).
    case readFailed(name: String, detail: String)

    public var message: String {
        switch self {
        case .cannotList(let r): return "There are no interfaces on which a capture can be done (\(r))."
        case .noAdapterIndex: return "There is no interface with that adapter index"
        case .noSuchDevice(let n): return "There is no device named \"\(n)\".\n(No such device exists)"
        case .notUp(let n): return "Device \"\(n)\" is not up.\n(That device is not up)"
        case .permissionDenied(let n, let d):
            return "You don't have permission to capture on device \"\(n)\" (\(d)).\n\n"
                + "Please check to make sure you have sufficient permissions (run as root, or give the binary "
                + "CAP_NET_RAW and CAP_NET_ADMIN: setcap cap_net_raw,cap_net_admin+eip dissect)."
        case .badFilter(let f, let i, let d):
            return "Invalid capture filter \"\(f)\" for interface '\(i)'.\n\n"
                + "That string isn't a valid capture filter (\(d)).\n"
                + "See the User's Guide for a description of the capture filter syntax."
        case .badLinkType(let n): return "The specified data link type \"\(n)\" isn't valid"
        case .linkTypeNotSupported(let n, let i):
            return "The capture session could not be initiated on capture device \"\(i)\" (\(n) is not one of the DLTs supported by this device)."
        case .cannotOpen(let n, let d):
            return "The capture session could not be initiated on capture device \"\(n)\" (\(d))."
        case .readFailed(let n, let d):
            return "Error while capturing packets on \"\(n)\": \(d)"
        }
    }
}

/// Where captured packets are saved while they are dissected (`-w`, `-b`): dumpcap's role.
public protocol CaptureSink: AnyObject {
    /// Saves one packet; returns false when an autostop condition of the files is met (after
    /// this packet).
    func write(_ packet: CapturedPacket, interfaces: [InterfaceInfo]) throws(CaptureWriteError) -> Bool
    /// Called about every 100 ms without packets, and at the end: flush buffers, rotate by time.
    func tick(now: Timestamp) throws(CaptureWriteError)
    func close() throws(CaptureWriteError)
}

/// Settings of a live capture (`-i`, `-f`, `-s`, `-p`, `-I`, `-B`, `-y`).
public struct LiveCaptureSettings: Sendable {
    public var device: CaptureDevice
    public var captureFilter: String?
    /// `-s`: 0 means tshark's default, 262144.
    public var snapLength = 262_144
    public var promiscuous = true
    public var monitorMode = false
    /// `-B` in MiB. Larger than dumpcap's 2 MiB: dissection runs in this process, so the ring
    /// must absorb a burst while a packet is being dissected, and on loopback (MTU 65536) each
    /// ring slot takes 128 KiB, so 2 MiB holds only 16 packets.
    public var bufferSizeMiB: Int? = LiveCaptureSettings.defaultBufferSizeMiB
    public static let defaultBufferSizeMiB = 8
    /// `-y`: a libpcap DLT name ("EN10MB").
    public var linkTypeName: String?
    public init(device: CaptureDevice) { self.device = device }
}

/// A live capture through libpcap, read like a capture file: Runner's loop calls `next()` and the
/// packets flow through the same engine and printers as those of `-r`.
///
/// It presents itself as a one-interface pcapng "file", because tshark reads live packets from
/// the pcapng file dumpcap writes: frames then show "Interface id: 0 (lo)" as tshark's do, and
/// time stamps have nanosecond resolution (dumpcap asks libpcap for them, as we do).
///
/// Stopping: `LiveCapture.requestStop()` is async-signal-safe (the CLI's SIGINT/SIGTERM handler
/// calls it); `next()` then delivers what the kernel already captured and returns nil.
/// Capture-time failures do not throw (a capture error is no file error); they end the capture
/// and are left in `failure`.
public final class LiveCapture: CaptureReader {
    public let settings: LiveCaptureSettings
    public var format: CaptureFormat { .pcapng }
    public private(set) var interfaces: [InterfaceInfo]
    public var decryptionSecrets: [(type: UInt32, data: [UInt8])] { [] }
    /// The pcapng section header options a saved file gets (OS, application).
    public let section: SectionInfo
    /// Packets libpcap delivered so far.
    public private(set) var captured = 0
    /// Why the capture ended early, if it did.
    public private(set) var failure: LiveCaptureError?
    /// A write error of the sink, which also ends the capture.
    public private(set) var writeFailure: CaptureWriteError?
    /// `-a packets:N` / `-c N`: stop after this many packets.
    public var packetLimit = Int.max
    /// `-a duration:S`: stop this many nanoseconds after the start.
    public var durationLimit: UInt64?
    /// `-w`: every captured packet is saved here before it is dissected.
    public var sink: (any CaptureSink)?

    private let handle: OpaquePointer
    /// The descriptor to wait on (-1 if the platform has none: then sleep and retry).
    private let selectable: Int32
    private var started: UInt64 = 0
    private var stopped = false
    /// When a stop was requested: the end of the drain (monotonic ns), 0 before.
    private var drainUntil: UInt64 = 0

    /// Opens and activates the device, sets the capture filter. Nothing is read yet.
    public init(_ settings: LiveCaptureSettings, application: String) throws(LiveCaptureError) {
        self.settings = settings
        let name = settings.device.name
        var err = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let h = pcap_create(name, &err) else {
            throw .cannotOpen(name: name, detail: LiveCapture.text(err))
        }
        handle = h
        pcap_set_snaplen(h, Int32(clamping: settings.snapLength))
        pcap_set_promisc(h, settings.promiscuous ? 1 : 0)
        if settings.monitorMode { pcap_set_rfmon(h, 1) }
        // Immediate delivery: packets reach a pipeline (-l, pyshark) as they arrive. Reads are
        // non-blocking and `next()` waits in its own poll(2) of at most 100 ms, so it regains
        // control for -a duration, ring buffer timers and signals even on an idle interface
        // (libpcap's own read timeout does not fire while no packet arrives).
        pcap_set_immediate_mode(h, 1)
        pcap_set_timeout(h, 100)
        if let mib = settings.bufferSizeMiB { pcap_set_buffer_size(h, Int32(clamping: mib * 1024 * 1024)) }
        pcap_set_tstamp_precision(h, Int32(PCAP_TSTAMP_PRECISION_NANO))
        let status = pcap_activate(h)
        if status < 0 {
            let detail = String(cString: pcap_geterr(h))
            pcap_close(h)
            switch status {
            case PCAP_ERROR_NO_SUCH_DEVICE: throw .noSuchDevice(name: name)
            case PCAP_ERROR_IFACE_NOT_UP: throw .notUp(name: name)
            case PCAP_ERROR_PERM_DENIED, PCAP_ERROR_PROMISC_PERM_DENIED:
                throw .permissionDenied(name: name, detail: detail.isEmpty ? String(cString: pcap_statustostr(status)) : detail)
            default:
                throw .cannotOpen(name: name, detail: detail.isEmpty ? String(cString: pcap_statustostr(status)) : detail)
            }
        }
        if let dltName = settings.linkTypeName {
            let dlt = pcap_datalink_name_to_val(dltName)
            if dlt < 0 { pcap_close(h); throw .badLinkType(name: dltName) }
            if pcap_set_datalink(h, dlt) != 0 {
                pcap_close(h)
                throw .linkTypeNotSupported(name: dltName, interface: name)
            }
        }
        if let f = settings.captureFilter, !f.isEmpty {
            var program = bpf_program()
            if pcap_compile(h, &program, f, 1, PCAP_NETMASK_UNKNOWN) != 0 {
                let detail = String(cString: pcap_geterr(h))
                pcap_close(h)
                throw .badFilter(filter: f, interface: settings.device.friendlyName ?? name, detail: detail)
            }
            let rc = pcap_setfilter(h, &program)
            pcap_freecode(&program)
            if rc != 0 {
                let detail = String(cString: pcap_geterr(h))
                pcap_close(h)
                throw .badFilter(filter: f, interface: settings.device.friendlyName ?? name, detail: detail)
            }
        }

        if pcap_setnonblock(h, 1, &err) != 0 {
            pcap_close(h)
            throw .cannotOpen(name: name, detail: LiveCapture.text(err))
        }
        selectable = pcap_get_selectable_fd(h)

        let linkType = Self.linkType(dlt: pcap_datalink(h))
        let snap = Int(pcap_snapshot(h))
        let os = Self.osName()
        var info = InterfaceInfo(linkType: linkType, name: name, snapLength: snap)
        info.timeDigits = 9
        // The interface block dumpcap writes: if_name, if_tsresol (ns), if_filter, if_os.
        var options = [PcapngOption(code: 2, value: Array(name.utf8)), PcapngOption(code: 9, value: [9])]
        if let f = settings.captureFilter, !f.isEmpty { options.append(PcapngOption(code: 11, value: [0] + Array(f.utf8))) }
        if let os { options.append(PcapngOption(code: 12, value: Array(os.utf8))) }
        info.pcapngOptions = options
        interfaces = [info]
        var s = SectionInfo()
        s.os = os
        s.application = application
        if let os { s.options.append(PcapngOption(code: 3, value: Array(os.utf8))) }
        s.options.append(PcapngOption(code: 4, value: Array(application.utf8)))
        section = s

        LiveCapture.stopFlag = 0
    }

    deinit { pcap_close(handle) }

    // MARK: stopping from a signal handler

    /// Set by `requestStop()`; a plain word, as C's `volatile sig_atomic_t`.
    nonisolated(unsafe) private static var stopFlag: Int32 = 0

    /// Ends the running capture once the packets already captured are read: safe to call from a
    /// signal handler (one store; the signal itself interrupts the poll(2) `next()` waits in).
    public static func requestStop() { stopFlag = 1 }

    /// True once `requestStop()` was called (by a signal handler).
    public static var stopRequested: Bool { stopFlag != 0 }

    // MARK: reading

    public func next() throws(CaptureError) -> CapturedPacket? {
        if started == 0 { started = Self.monotonicNanoseconds() }
        while true {
            if stopped || captured >= packetLimit { return finish() }
            if LiveCapture.stopFlag != 0 {
                // Ctrl-C: the packets the kernel already holds are still delivered (as tshark
                // shows what dumpcap wrote before it stopped), for at most a second.
                let now = Self.monotonicNanoseconds()
                if drainUntil == 0 { drainUntil = now + 1_000_000_000 }
                if now >= drainUntil { return finish() }
            }
            if let d = durationLimit, Self.monotonicNanoseconds() - started >= d {
                return finish()
            }
            var header: UnsafeMutablePointer<pcap_pkthdr>?
            var data: UnsafePointer<UInt8>?
            let rc = pcap_next_ex(handle, &header, &data)
            if rc == 1, let hdr = header, let bytes = data {
                captured += 1
                let h = hdr.pointee
                var meta = FrameMetadata()
                meta.timestamp = Timestamp(seconds: Int64(h.ts.tv_sec), nanoseconds: Int32(truncatingIfNeeded: h.ts.tv_usec))
                meta.capturedLength = Int(h.caplen)
                meta.originalLength = Int(h.len)
                meta.linkType = interfaces[0].linkType
                meta.hasInterfaceID = true
                meta.timeDigits = 9
                let packet = CapturedPacket(meta: meta, bytes: UnsafeRawBufferPointer(start: bytes, count: Int(h.caplen)))
                if let s = sink {
                    do {
                        if try !s.write(packet, interfaces: interfaces) { stopped = true }
                    } catch {
                        writeFailure = error
                        stopped = true
                        return finish()
                    }
                }
                return packet
            } else if rc == 0 {
                if LiveCapture.stopFlag != 0 { return finish() } // drained
                // Nothing to read: wait up to 100 ms (a signal ends the wait early), then use the
                // moment to flush the file and rotate ring buffer files by time.
                if selectable >= 0 {
                    var p = pollfd(fd: selectable, events: Int16(POLLIN), revents: 0)
                    let ready = poll(&p, 1, 100)
                    if ready > 0 { continue }
                } else {
                    usleep(10_000)
                }
                do { try sink?.tick(now: Self.now()) } catch {
                    writeFailure = error
                    stopped = true
                }
            } else {
                failure = .readFailed(name: settings.device.name, detail: String(cString: pcap_geterr(handle)))
                stopped = true
            }
        }
    }

    /// Ends the capture: `next()` returns nil from now on and the saved file is closed.
    public func stop() { _ = finish() }

    /// Closes the sink once, at the end of the capture.
    private func finish() -> CapturedPacket? {
        stopped = true
        if let s = sink {
            sink = nil
            do { try s.close() } catch { if writeFailure == nil { writeFailure = error } }
        }
        return nil
    }

    /// Packets the kernel dropped (buffer full) and the interface dropped, from `pcap_stats`.
    public var dropped: (kernel: UInt32, interface: UInt32) {
        var st = pcap_stat()
        guard pcap_stats(handle, &st) == 0 else { return (0, 0) }
        return (st.ps_drop, st.ps_ifdrop)
    }

    /// Data link types the device offers (`-L`): libpcap names and descriptions.
    public func dataLinkTypes() -> [(name: String, description: String)] {
        var list: UnsafeMutablePointer<Int32>?
        let n = pcap_list_datalinks(handle, &list)
        guard n > 0, let l = list else { return [] }
        defer { pcap_free_datalinks(l) }
        return (0..<Int(n)).map { i in
            let dlt = l[i]
            let name = pcap_datalink_val_to_name(dlt).map { String(cString: $0) } ?? "DLT \(dlt)"
            let desc = pcap_datalink_val_to_description(dlt).map { String(cString: $0) } ?? name
            return (name, desc)
        }
    }

    // MARK: helpers

    /// pcap's `LINKTYPE_*` for a libpcap `DLT_*`: equal except DLT_RAW, whose number differs
    /// between platforms (libpcap's dlt_to_linktype).
    static func linkType(dlt: Int32) -> Int {
        switch dlt {
        case 12, 14: return 101 // DLT_RAW (most systems / OpenBSD) → LINKTYPE_RAW
        default: return Int(dlt)
        }
    }

    /// "Linux 6.1.0-…", as dumpcap writes shb_os and if_os.
    static func osName() -> String? {
        var u = utsname()
        guard uname(&u) == 0 else { return nil }
        let sys = withUnsafeBytes(of: &u.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let rel = withUnsafeBytes(of: &u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return sys + " " + rel
    }

    /// A libpcap error buffer as text.
    static func text(_ buffer: [CChar]) -> String {
        buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Wall-clock time (ring buffer file names and intervals).
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int64(ts.tv_sec), nanoseconds: Int32(ts.tv_nsec))
    }
}
