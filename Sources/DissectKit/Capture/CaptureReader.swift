#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a capture could not be opened or read (further). `message` is tshark 4.0's wording
/// (ui/failure_message.c, wsutil file_open_error_message), so `dissect:` + message reads like
/// tshark's own line; the CLI exits with status 2 after printing it.
public enum CaptureError: Error, Equatable, Sendable {
    /// `ENOENT` when opening.
    case notFound(path: String)
    /// `EACCES` when opening.
    case permissionDenied(path: String)
    /// The path names a directory.
    case isDirectory(path: String)
    /// A character device, socket… (FIFOs and regular files are fine).
    case notRegularFile(path: String)
    /// Any other `errno` when opening, with its `strerror` text.
    case cannotOpen(path: String, reason: String)
    /// Not a capture format we know.
    case unknownFormat(path: String)
    /// The file ends inside a record. tshark words it differently while opening (file header,
    /// pcapng SHB and the IDBs right after it) and while reading packets.
    case shortRead(path: String, atOpen: Bool)
    /// A record is inconsistent (wiretap's WTAP_ERR_BAD_FILE); `detail` is wiretap's text.
    case damaged(path: String, detail: String)
    /// A version or link type the reader refuses (WTAP_ERR_UNSUPPORTED).
    case unsupported(path: String, detail: String)
    /// The gzip stream is corrupt (WTAP_ERR_DECOMPRESS); tshark 4.0 omits the line break in the
    /// open-time variant.
    case decompress(path: String, detail: String, atOpen: Bool)
    /// `read(2)` failed.
    case readError(path: String, reason: String)

    /// The path the error is about.
    public var path: String {
        switch self {
        case .notFound(let p), .permissionDenied(let p), .isDirectory(let p), .notRegularFile(let p),
             .cannotOpen(let p, _), .unknownFormat(let p), .shortRead(let p, _), .damaged(let p, _),
             .unsupported(let p, _), .decompress(let p, _, _), .readError(let p, _):
            return p
        }
    }

    /// The message tshark would print after its program name.
    public var message: String {
        // tshark names standard input in words, anything else as `file "NAME"`.
        let file = path == "-" ? "standard input" : "file \"\(path)\""
        switch self {
        case .notFound(let p): return "The file \"\(p)\" doesn't exist."
        case .permissionDenied(let p): return "You don't have permission to read the file \"\(p)\"."
        case .isDirectory(let p): return "\"\(p)\" is a directory (folder), not a file."
        case .notRegularFile: return "The \(file) is a \"special file\" or socket or other non-regular file."
        case .cannotOpen(let p, let r): return "The file \"\(p)\" could not be opened: \(r)."
        case .unknownFormat: return "The \(file) isn't a capture file in a format TShark understands."
        case .shortRead(_, let atOpen):
            return atOpen
                ? "The \(file) appears to have been cut short in the middle of a packet or other data."
                : "The \(file) appears to have been cut short in the middle of a packet."
        case .damaged(_, let d): return "The \(file) appears to be damaged or corrupt.\n(\(d))"
        case .unsupported(_, let d): return "The \(file) contains record data that TShark doesn't support.\n(\(d))"
        case .decompress(_, let d, let atOpen):
            return "The \(file) cannot be decompressed; it may be damaged or corrupt." + (atOpen ? "" : "\n") + "(\(d))"
        case .readError(_, let r): return "An error occurred while reading the \(file): \(r)."
        }
    }
}

/// The container format of a capture file.
public enum CaptureFormat: String, Sendable {
    case pcap, pcapNanosecond = "pcap-ns", pcapModified = "modpcap", pcapng
}

/// One record as read: metadata and a view of its bytes, valid until the next `next()`.
public struct CapturedPacket {
    public var meta: FrameMetadata
    public var bytes: UnsafeRawBufferPointer
    /// pcapng `opt_comment`s of this packet (empty almost always: no allocation).
    public var comments: [String]
    public init(meta: FrameMetadata, bytes: UnsafeRawBufferPointer, comments: [String] = []) {
        self.meta = meta
        self.bytes = bytes
        self.comments = comments
    }
}

/// What a record is: a packet, or a pcapng Custom Block that tshark 4.0 lists as a record of its own.
public enum RecordKind: Sendable, Equatable {
    case packet
    /// Custom Block (type 0x00000BAD "copy allowed", 0x40000BAD "not to be copied"): a Private
    /// Enterprise Number and opaque data.
    case customBlock(pen: UInt32, copyAllowed: Bool)
}

/// A pcapng Section Header Block's descriptive options.
public struct SectionInfo: Sendable {
    public var hardware: String?
    public var os: String?
    public var application: String?
    public var comments: [String] = []
    public var bigEndian = false
    /// Every option of the block in file order, values in the section's byte order (for `-w`).
    public var options: [PcapngOption] = []
    public init() {}
}

/// A reader of packets from a capture file or stream.
public protocol CaptureReader: AnyObject {
    var format: CaptureFormat { get }
    /// Interfaces known so far (pcapng may add more as IDBs appear), in file order.
    var interfaces: [InterfaceInfo] { get }
    /// TLS secrets from pcapng Decryption Secrets Blocks, in file order (type, data).
    var decryptionSecrets: [(type: UInt32, data: [UInt8])] { get }
    /// The next record, or nil at the end of the file. After an error, stop reading.
    func next() throws(CaptureError) -> CapturedPacket?
}

/// Opens a capture file of any supported format (pcap, pcapng, either gzip-compressed).
///
/// Errors found while opening (file header, pcapng SHB and the IDBs that follow it) use tshark's
/// open-time wording; an empty file is a capture without packets, as for tshark.
public func openCapture(path: String) throws(CaptureError) -> any CaptureReader {
    let source = try ByteSource.open(path: path)
    let head = try source.peek(upTo: 4)
    if head.count < 4 {
        // A cut or corrupt (compressed) stream is reported as such; an empty file is a capture
        // without packets; 1 to 3 bytes are no capture file we know.
        if !source.endedCleanly { throw source.shortfall() }
        if head.count == 0 { return EmptyCaptureReader() }
        throw CaptureError.unknownFormat(path: path)
    }
    let magic = UInt32(head[0]) << 24 | UInt32(head[1]) << 16 | UInt32(head[2]) << 8 | UInt32(head[3])
    switch magic {
    case 0xa1b2_c3d4, 0xd4c3_b2a1, 0xa1b2_3c4d, 0x4d3c_b2a1, 0xa1b2_cd34, 0x34cd_b2a1:
        return try PcapReader(source: source)
    case 0x0a0d_0d0a:
        return try PcapngReader(source: source)
    default:
        throw CaptureError.unknownFormat(path: path)
    }
}

/// A 0-byte file: tshark reads it as a capture with no packets and exits 0.
final class EmptyCaptureReader: CaptureReader {
    var format: CaptureFormat { .pcap }
    var interfaces: [InterfaceInfo] { [] }
    var decryptionSecrets: [(type: UInt32, data: [UInt8])] { [] }
    func next() throws(CaptureError) -> CapturedPacket? { nil }
}

/// Bounds-checked reads in a block that may be cut short: reading past the bytes the file
/// holds is a short read (or the decompression error that stopped the stream), reading past the
/// block is the caller's business. Checks happen in the order wiretap reads the fields, so that
/// a damaged block in a cut file reports what tshark reports.
struct RecordCursor {
    let base: UnsafeRawBufferPointer
    /// Bytes of the block present in the buffer.
    let available: Int
    let swapped: Bool
    let source: ByteSource
    var offset = 0

    init(_ base: UnsafeRawBufferPointer, available: Int, swapped: Bool, source: ByteSource) {
        self.base = base
        self.available = available
        self.swapped = swapped
        self.source = source
    }

    @inline(__always) func need(_ n: Int) throws(CaptureError) {
        if n < 0 || offset + n > available { throw source.shortfall() }
    }

    mutating func u8() throws(CaptureError) -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return base[offset]
    }

    mutating func u16() throws(CaptureError) -> UInt16 {
        try need(2)
        let v = base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        offset += 2
        return swapped ? v.byteSwapped : v
    }

    mutating func u32() throws(CaptureError) -> UInt32 {
        try need(4)
        let v = base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return swapped ? v.byteSwapped : v
    }

    mutating func u64() throws(CaptureError) -> UInt64 {
        try need(8)
        let v = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return swapped ? v.byteSwapped : v
    }

    /// `n` bytes as a view (no copy).
    mutating func bytes(_ n: Int) throws(CaptureError) -> UnsafeRawBufferPointer {
        try need(n)
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)])
    }

    mutating func skip(_ n: Int) throws(CaptureError) {
        try need(n)
        offset += n
    }
}
