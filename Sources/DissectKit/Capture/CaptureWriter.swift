#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One option of a pcapng block as read: its code and value bytes (in the section's byte order).
public struct PcapngOption: Sendable, Equatable {
    public var code: UInt16
    public var value: [UInt8]
    public init(code: UInt16, value: [UInt8]) {
        self.code = code
        self.value = value
    }
}

/// The file types `-w` can write (`-F`), named as tshark names them.
public enum CaptureFileType: String, Sendable, CaseIterable {
    case pcap, pcapng, nsecpcap

    /// tshark's line for the type in the `-F` listing.
    public var listingLine: String {
        switch self {
        case .pcap: return "    pcap - Wireshark/tcpdump/... - pcap"
        case .pcapng: return "    pcapng - Wireshark/... - pcapng"
        case .nsecpcap: return "    nsecpcap - Wireshark/tcpdump/... - nanosecond pcap"
        }
    }
}

/// Why a capture file could not be written; `message` is tshark's wording after "tshark: ".
public enum CaptureWriteError: Error, Equatable, Sendable {
    /// A directory of the path does not exist.
    case pathMissing(path: String)
    case permissionDenied(path: String)
    case isDirectory(path: String)
    case cannotCreate(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    /// Classic pcap holds one link type per file.
    case mixedLinkTypes(path: String)
    /// The link type has no pcap/pcapng number (a pcapng Custom Block record, say).
    case unsupportedEncapsulation(path: String)
    /// The source holds what the type cannot (decryption secrets, several link types).
    case cannotWriteAs(type: String)

    public var message: String {
        switch self {
        // wsutil's file_open_error_message for writing.
        case .pathMissing(let p): return "The path to the file \"\(p)\" doesn't exist."
        case .permissionDenied(let p): return "You don't have permission to create or write to the file \"\(p)\"."
        case .isDirectory(let p): return "\"\(p)\" is a directory (folder), not a file."
        case .cannotCreate(let p, let r): return "The file \"\(p)\" could not be created: \(r)."
        case .writeFailed(let p, let r): return "An error occurred while writing to the file \"\(p)\": \(r)."
        case .mixedLinkTypes:
            return "One of the packets in the capture file has a network type that differs from the network type of the file; the file format being written doesn't support multiple network types per file."
        case .unsupportedEncapsulation:
            return "A packet in the capture file has a network type that can't be saved in that file format."
        case .cannotWriteAs(let t): return "The capture file being read can't be written as a \"\(t)\" file."
        }
    }
}

/// Writes packets to a pcap or pcapng file (`-w FILE`, `-w -` for standard output) as tshark 4.0
/// does: pcapng keeps the first section's header options, every interface with its options
/// (name, description, time stamp resolution and offset, link type, snapshot length…), the
/// Decryption Secrets Blocks, and each packet's time stamp, lengths, comments and flags; a pcap
/// source becomes one interface. All blocks are written in little-endian order.
public final class CaptureWriter {
    public let path: String
    public let type: CaptureFileType
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let application: String
    private let sections: [SectionInfo]
    private let sourceFormat: CaptureFormat
    /// Interfaces already written (pcapng) and their time stamp units and offsets.
    private var written = 0
    private var units: [UInt64] = []
    private var secretsWritten = 0
    private var pcapLinkType: Int?
    private var closed = false
    private var flushedBytes = 0

    /// Bytes of the file so far, buffered ones included (`-a filesize`, `-b filesize`).
    public var size: Int { flushedBytes + buffer.count }

    /// Opens `path` and writes the file header; `interfaces` and `secrets` are those known so far,
    /// `sections` the pcapng sections of the source (empty for pcap), `application` the text for
    /// `shb_userappl` when the source has no section header of its own.
    public init(path: String, type: CaptureFileType, sourceFormat: CaptureFormat, sections: [SectionInfo],
                interfaces: [InterfaceInfo], secrets: [(type: UInt32, data: [UInt8])] = [],
                application: String) throws(CaptureWriteError) {
        self.path = path
        self.type = type
        self.application = application
        self.sections = sections
        self.sourceFormat = sourceFormat
        if type != .pcapng {
            // pcap has no place for secrets, and one link type per file.
            let linkTypes = Set(interfaces.map(\.linkType))
            if !secrets.isEmpty || linkTypes.count > 1 { throw .cannotWriteAs(type: type.rawValue) }
        }
        if path == "-" {
            fd = 1
        } else {
            fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd < 0 {
                let e = errno
                switch e {
                case ENOENT: throw .pathMissing(path: path)
                case EACCES, EPERM: throw .permissionDenied(path: path)
                case EISDIR: throw .isDirectory(path: path)
                default: throw .cannotCreate(path: path, reason: String(cString: strerror(e)))
                }
            }
        }
        buffer.reserveCapacity(1 << 16)
        switch type {
        case .pcapng:
            writeSectionHeader()
            addInterfaces(interfaces)
            addSecrets(secrets)
        case .pcap, .nsecpcap:
            let first = interfaces.first
            // wiretap gives a pcapng source no single snapshot length: the maximum is written.
            writePcapHeader(linkType: first?.linkType ?? 1,
                            snapLength: sourceFormat == .pcapng ? 262_144 : first?.snapLength ?? 262_144)
            pcapLinkType = first?.linkType
        }
        try flush()
    }

    deinit {
        if !closed { try? close() }
    }

    /// Writes one packet (`interfaces` and `secrets`: the source's, which may have grown).
    public func write(_ packet: CapturedPacket, interfaces: [InterfaceInfo],
                      secrets: [(type: UInt32, data: [UInt8])] = []) throws(CaptureWriteError) {
        let m = packet.meta
        switch type {
        case .pcapng:
            if interfaces.count > written { addInterfaces(interfaces) }
            if secrets.count > secretsWritten { addSecrets(secrets) }
            if case .customBlock(let pen, let copyAllowed) = m.kind {
                writeCustomBlock(pen: pen, copyAllowed: copyAllowed, packet.bytes)
            } else {
                // tshark 4.0 writes the block's own, section-relative interface id (so a later
                // section's packets point at the first section's interfaces); we do the same.
                let id = sourceFormat == .pcapng ? m.sectionInterfaceID : m.interfaceID
                writeEnhancedPacket(packet, interface: id < written ? id : 0)
            }
        case .pcap, .nsecpcap:
            if case .customBlock = m.kind { throw .unsupportedEncapsulation(path: path) }
            if !secrets.isEmpty { throw .cannotWriteAs(type: type.rawValue) }
            if let lt = pcapLinkType, m.linkType != lt { throw .mixedLinkTypes(path: path) }
            writePcapRecord(packet)
        }
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Flushes and closes the file.
    public func close() throws(CaptureWriteError) {
        guard !closed else { return }
        closed = true
        try flush()
        if fd > 2 { Glibc.close(fd) }
    }

    /// Writes the buffered bytes out now (a live capture's file stays current while idle).
    public func sync() throws(CaptureWriteError) { try flush() }

    private func flush() throws(CaptureWriteError) {
        var off = 0
        while off < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                buffer.removeAll(keepingCapacity: true)
                throw .writeFailed(path: path, reason: reason)
            }
            off += n
        }
        flushedBytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: little-endian primitives

    @inline(__always) private func u16(_ v: UInt16) { buffer.append(UInt8(v & 0xff)); buffer.append(UInt8(v >> 8)) }
    @inline(__always) private func u32(_ v: UInt32) {
        for k in 0..<4 { buffer.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * k))) }
    }
    @inline(__always) private func u64(_ v: UInt64) {
        for k in 0..<8 { buffer.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * k))) }
    }
    private func pad4() { while buffer.count % 4 != 0 { buffer.append(0) } }

    /// Starts a block; returns the offset of its length field, patched by `endBlock`.
    private func beginBlock(_ type: UInt32) -> Int {
        let start = buffer.count
        u32(type)
        u32(0)
        return start
    }

    private func endBlock(_ start: Int) {
        let length = UInt32(buffer.count - start + 4)
        u32(length)
        for k in 0..<4 { buffer[start + 4 + k] = UInt8(truncatingIfNeeded: length >> UInt32(8 * k)) }
    }

    private func option(_ code: UInt16, _ value: [UInt8]) {
        u16(code)
        u16(UInt16(value.count))
        buffer.append(contentsOf: value)
        pad4()
    }

    private func endOfOptions() { u32(0) }

    // MARK: pcapng

    private func writeSectionHeader() {
        let start = beginBlock(0x0a0d_0d0a)
        u32(0x1a2b_3c4d)
        u16(1); u16(0)
        u64(UInt64.max) // section length not given
        var options: [PcapngOption]
        if let first = sections.first {
            // The source's header options, as wiretap keeps them (comment, hardware, OS, application).
            options = first.options.filter { (1...4).contains($0.code) }.map(Self.withoutNUL)
            // A section that does not name its application gets ours, as tshark gives it its own.
            if !options.contains(where: { $0.code == 4 }) {
                options.append(PcapngOption(code: 4, value: Array(application.utf8)))
            }
        } else {
            options = [PcapngOption(code: 4, value: Array(application.utf8))]
        }
        for o in options { option(o.code, o.value) }
        if !options.isEmpty { endOfOptions() }
        endBlock(start)
    }

    /// Interface options wiretap keeps and how wide their numbers are (to put them in our byte order).
    private static func numericWidth(idbOption code: UInt16) -> Int? {
        switch code {
        case 8, 14, 16, 17: return 8
        case 10: return 4
        default: return nil
        }
    }

    private func addInterfaces(_ interfaces: [InterfaceInfo]) {
        while written < interfaces.count {
            writeInterface(interfaces[written])
            written += 1
        }
    }

    private func writeInterface(_ i: InterfaceInfo) {
        let start = beginBlock(1)
        u16(UInt16(truncatingIfNeeded: i.linkType))
        u16(0)
        u32(UInt32(truncatingIfNeeded: i.snapLength))
        var options: [PcapngOption] = []
        var tsUnits: UInt64 = 1_000_000
        if sourceFormat == .pcapng {
            let bigEndian = i.section < sections.count ? sections[i.section].bigEndian : false
            // wiretap applies if_tsoffset when reading and drops it when writing: the written
            // time stamps are absolute.
            for var o in i.pcapngOptions where (1...17).contains(o.code) && o.code != 14 {
                if bigEndian, let w = Self.numericWidth(idbOption: o.code), o.value.count == w { o.value.reverse() }
                switch o.code {
                case 1, 2, 3, 12, 15: o = Self.withoutNUL(o)
                case 11 where !o.value.isEmpty:
                    // if_filter: a type byte, then the filter string.
                    let text = Self.withoutNUL(PcapngOption(code: 11, value: Array(o.value.dropFirst())))
                    o.value = [o.value[0]] + text.value
                default: break
                }
                options.append(o)
            }
            for o in options where o.code == 9 && o.value.count == 1 { tsUnits = Self.units(tsresol: o.value[0]) }
        } else if i.timeDigits == 9 {
            // A nanosecond pcap: wiretap gives the interface if_tsresol 9.
            options.append(PcapngOption(code: 9, value: [9]))
            tsUnits = 1_000_000_000
        }
        for o in options { option(o.code, o.value) }
        if !options.isEmpty { endOfOptions() }
        endBlock(start)
        units.append(tsUnits)
    }

    /// A string option as wiretap keeps it: up to its first NUL.
    static func withoutNUL(_ o: PcapngOption) -> PcapngOption {
        guard let z = o.value.firstIndex(of: 0) else { return o }
        return PcapngOption(code: o.code, value: Array(o.value[..<z]))
    }

    /// Ticks per second for an `if_tsresol` value (10^-n or 2^-n seconds).
    static func units(tsresol r: UInt8) -> UInt64 {
        let base: UInt64 = r & 0x80 != 0 ? 2 : 10
        let exponent = Int(r & 0x7f)
        guard (base == 2 && exponent < 64) || (base == 10 && exponent < 20) else { return .max }
        var u: UInt64 = 1
        for _ in 0..<exponent { u &*= base }
        return u
    }

    private func addSecrets(_ secrets: [(type: UInt32, data: [UInt8])]) {
        while secretsWritten < secrets.count {
            let s = secrets[secretsWritten]
            let start = beginBlock(10)
            u32(s.type)
            u32(UInt32(s.data.count))
            buffer.append(contentsOf: s.data)
            pad4()
            endBlock(start)
            secretsWritten += 1
        }
    }

    private func writeEnhancedPacket(_ p: CapturedPacket, interface: Int) {
        let m = p.meta
        let start = beginBlock(6)
        u32(UInt32(interface))
        var ticks: UInt64 = 0
        if m.hasTimestamp && interface < units.count {
            // wiretap's conversion, 64-bit wrap-around included (resolutions finer than 1 ns).
            let rate = units[interface]
            let secs = UInt64(bitPattern: m.timestamp.seconds)
            let nanos = UInt64(bitPattern: Int64(m.timestamp.nanoseconds))
            ticks = secs &* rate &+ (nanos &* rate) / 1_000_000_000
        }
        u32(UInt32(truncatingIfNeeded: ticks >> 32))
        u32(UInt32(truncatingIfNeeded: ticks))
        u32(UInt32(p.bytes.count))
        u32(UInt32(truncatingIfNeeded: m.originalLength))
        buffer.append(contentsOf: p.bytes)
        pad4()
        // The options in the order the source had them (wiretap keeps the block's order), then
        // any the order does not cover.
        var order: [UInt16] = []
        var o = m.pcapngOptionOrder
        while o != 0 {
            order.append(UInt16(o & 0xf))
            o >>= 4
        }
        order += [1, 2, 4, 5, 6]
        var comments = p.comments[...]
        var done: Set<UInt16> = []
        var any = false
        for code in order {
            switch code {
            case 1:
                if let c = comments.popFirst() {
                    option(1, Array(c.utf8))
                    any = true
                }
                continue
            case 2:
                if !done.contains(2), let f = m.epbFlags { u16(2); u16(4); u32(f); any = true }
            case 4:
                if !done.contains(4), let d = m.dropCount { u16(4); u16(8); u64(d); any = true }
            case 5:
                if !done.contains(5), let id = m.packetID { u16(5); u16(8); u64(id); any = true }
            case 6:
                if !done.contains(6), let q = m.interfaceQueue { u16(6); u16(4); u32(q); any = true }
            default:
                break
            }
            done.insert(code)
        }
        while let c = comments.popFirst() {
            option(1, Array(c.utf8))
            any = true
        }
        if any { endOfOptions() }
        endBlock(start)
    }

    private func writeCustomBlock(pen: UInt32, copyAllowed: Bool, _ data: UnsafeRawBufferPointer) {
        let start = beginBlock(copyAllowed ? 0x0000_0BAD : 0x4000_0BAD)
        u32(pen)
        buffer.append(contentsOf: data)
        pad4()
        endBlock(start)
    }

    // MARK: pcap

    /// The pcap file header (wiretap writes no FCS length bits).
    private func writePcapHeader(linkType: Int, snapLength: Int) {
        u32(type == .nsecpcap ? 0xa1b2_3c4d : 0xa1b2_c3d4)
        u16(2); u16(4)
        u32(0); u32(0)
        u32(UInt32(truncatingIfNeeded: snapLength))
        u32(UInt32(truncatingIfNeeded: linkType))
    }

    private func writePcapRecord(_ p: CapturedPacket) {
        let t = p.meta.hasTimestamp ? p.meta.timestamp : .zero
        u32(UInt32(truncatingIfNeeded: t.seconds))
        u32(UInt32(truncatingIfNeeded: type == .nsecpcap ? Int64(t.nanoseconds) : Int64(t.nanoseconds) / 1000))
        u32(UInt32(p.bytes.count))
        u32(UInt32(truncatingIfNeeded: p.meta.originalLength))
        buffer.append(contentsOf: p.bytes)
    }
}
