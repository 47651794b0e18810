#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// When a capture saved to files switches to the next file (`-b`) or stops (`-a filesize`,
/// `-a files`), as dumpcap's ring buffer options say.
public struct FileRotation: Sendable, Equatable {
    /// `-b filesize:N` (kB, 1 kB = 1000 bytes as in 4.0): next file once a file reaches it.
    public var fileSizeKB: Int?
    /// `-b duration:S`: next file after S seconds.
    public var duration: Double?
    /// `-b interval:S`: next file at each multiple of S seconds of wall-clock time.
    public var interval: Int?
    /// `-b packets:N`: next file after N packets.
    public var packets: Int?
    /// `-b files:N`: keep only the newest N files (a ring).
    public var files: Int?
    /// `-b printname:FILE`: write each finished file's name to FILE ("stdout", "stderr").
    public var printName: String?
    /// `-a filesize:N` (kB): stop once the (single) file reaches it.
    public var stopFileSizeKB: Int?
    /// `-a files:N`: stop after N files.
    public var stopFiles: Int?
    public init() {}

    /// True when any `-b` condition asks for several files.
    public var switchesFiles: Bool { fileSizeKB != nil || duration != nil || interval != nil || packets != nil }
}

/// Saves the packets of a live capture to one file, or to a sequence of files named as dumpcap
/// names them (`out_00001_20250102150405.pcapng`: a number and the local time the file was
/// started, inserted before the extension).
public final class CaptureFileSink: CaptureSink {
    public let path: String
    public let type: CaptureFileType
    public let rotation: FileRotation
    private let section: SectionInfo
    private let application: String
    private var writer: CaptureWriter?
    private var fileNumber = 0
    private var filePackets = 0
    private var fileStarted = Timestamp.zero
    /// Names of the files still on disk, oldest first (for `-b files:N`).
    private var kept: [String] = []
    /// The files written, in order (the current one last).
    public private(set) var fileNames: [String] = []

    /// Creates the first file. `interfaces` are the capture's.
    public init(path: String, type: CaptureFileType, rotation: FileRotation, section: SectionInfo,
                interfaces: [InterfaceInfo], application: String) throws(CaptureWriteError) {
        self.path = path
        self.type = type
        self.rotation = rotation
        self.section = section
        self.application = application
        try openNext(interfaces: interfaces, now: LiveCapture.now())
    }

    public func write(_ packet: CapturedPacket, interfaces: [InterfaceInfo]) throws(CaptureWriteError) -> Bool {
        if dueByTime(packet.meta.timestamp) {
            guard try rotate(interfaces: interfaces, now: packet.meta.timestamp) else { return false }
        }
        guard let w = writer else { return false }
        try w.write(packet, interfaces: interfaces)
        // A pipe's reader (`-w -` into `tshark -i -`, pyshark's dumpcap) wants each packet now.
        if path == "-" { try w.sync() }
        filePackets += 1
        if !rotation.switchesFiles {
            if let kb = rotation.stopFileSizeKB, w.size >= kb * 1000 { return false }
            return true
        }
        let full = (rotation.fileSizeKB.map { w.size >= $0 * 1000 } ?? false)
            || (rotation.packets.map { filePackets >= $0 } ?? false)
        if full { return try rotate(interfaces: interfaces, now: packet.meta.timestamp) }
        return true
    }

    public func tick(now: Timestamp) throws(CaptureWriteError) {
        try writer?.sync()
        if dueByTime(now), let interfaces = lastInterfaces {
            _ = try rotate(interfaces: interfaces, now: now)
        }
    }

    public func close() throws(CaptureWriteError) {
        guard let w = writer else { return }
        writer = nil
        try w.close()
        announce(w.path)
    }

    // MARK: files

    private var lastInterfaces: [InterfaceInfo]?

    private func dueByTime(_ now: Timestamp) -> Bool {
        guard writer != nil else { return false }
        if let d = rotation.duration {
            let elapsed = now - fileStarted
            if Double(elapsed.seconds) + Double(elapsed.nanoseconds) / 1e9 >= d { return true }
        }
        if let i = rotation.interval, i > 0 {
            // The next multiple of the interval after the file was started.
            if now.seconds / Int64(i) > fileStarted.seconds / Int64(i) { return true }
        }
        return false
    }

    /// Closes the current file and starts the next one; false when `-a files` says stop.
    private func rotate(interfaces: [InterfaceInfo], now: Timestamp) throws(CaptureWriteError) -> Bool {
        try close()
        if let n = rotation.stopFiles, fileNumber >= n { return false }
        try openNext(interfaces: interfaces, now: now)
        return true
    }

    private func openNext(interfaces: [InterfaceInfo], now: Timestamp) throws(CaptureWriteError) {
        fileNumber += 1
        filePackets = 0
        fileStarted = now
        lastInterfaces = interfaces
        let name = rotation.switchesFiles ? Self.ringFileName(path, number: fileNumber, time: now) : path
        // A pcap file takes its snapshot length from the interface, a pcapng file the options.
        writer = try CaptureWriter(path: name, type: type, sourceFormat: type == .pcapng ? .pcapng : .pcap,
                                   sections: [section], interfaces: interfaces, application: application)
        fileNames.append(name)
        if rotation.switchesFiles {
            kept.append(name)
            if let max = rotation.files, max > 0 {
                while kept.count > max { unlink(kept.removeFirst()) }
            }
        }
    }

    /// `-b printname`: the name of each file once it is complete.
    private func announce(_ name: String) {
        guard let target = rotation.printName else { return }
        let line = name + "\n"
        switch target {
        case "stdout": _ = line.withCString { Glibc.write(1, $0, strlen($0)) }
        case "stderr": _ = line.withCString { Glibc.write(2, $0, strlen($0)) }
        default:
            let fd = Glibc.open(target, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            guard fd >= 0 else { return }
            _ = line.withCString { Glibc.write(fd, $0, strlen($0)) }
            Glibc.close(fd)
        }
    }

    /// dumpcap's ring buffer name: `PREFIX_NNNNN_YYYYMMDDHHMMSS.EXT`, the extension being what
    /// follows the last dot of the file name (none if it has none).
    public static func ringFileName(_ path: String, number: Int, time: Timestamp) -> String {
        let slash = path.lastIndex(of: "/")
        let fileStart = slash.map { path.index(after: $0) } ?? path.startIndex
        var prefix = path
        var suffix = ""
        if let dot = path[fileStart...].lastIndex(of: "."), dot > fileStart {
            prefix = String(path[..<dot])
            suffix = String(path[dot...])
        }
        var t = time_t(time.seconds)
        var parts = tm()
        localtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let n = String(number)
        let num = String(repeating: "0", count: max(0, 5 - n.count)) + n
        let stamp = pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2)
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2)
        return prefix + "_" + num + "_" + stamp + suffix
    }
}
