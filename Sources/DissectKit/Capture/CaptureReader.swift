#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a capture could not be read (further). Printed as one line in tshark's words.
public enum CaptureError: Error, Equatable, Sendable {
    /// The file could not be opened (`errno` text).
    case cannotOpen(path: String, reason: String)
    /// Not a capture format we know.
    case unknownFormat(path: String)
    /// A record is cut short or inconsistent.
    case damaged(path: String, detail: String)
    /// A link type we have no dissector for is fine; this is for reader-level refusals.
    case unsupported(path: String, detail: String)
    case readError(path: String, reason: String)

    /// The message tshark would print (without the program name).
    public var message: String {
        switch self {
        case .cannotOpen(let p, let r):
            return "The file \"\(p)\" could not be opened: \(r)."
        case .unknownFormat(let p):
            return "The file \"\(p)\" isn't a capture file in a format TShark understands."
        case .damaged(let p, let d):
            return "The file \"\(p)\" appears to be damaged or corrupt.\n(\(d))"
        case .unsupported(let p, let d):
            return "The file \"\(p)\" contains record data that TShark doesn't support.\n(\(d))"
        case .readError(let p, let r):
            return "An error occurred while reading from the file \"\(p)\": \(r)."
        }
    }
}

/// The container format of a capture file.
public enum CaptureFormat: String, Sendable {
    case pcap, pcapNanosecond = "pcap-ns", pcapng
}

/// One packet as read: metadata and a view of its bytes, valid until the next `next()`.
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

/// A reader of packets from a capture file or stream.
public protocol CaptureReader: AnyObject {
    var format: CaptureFormat { get }
    /// Interfaces known so far (pcapng may add more as IDBs appear).
    var interfaces: [InterfaceInfo] { get }
    /// TLS secrets from pcapng Decryption Secrets Blocks, in file order (type, data).
    var decryptionSecrets: [(type: UInt32, data: [UInt8])] { get }
    /// The next packet, or nil at the end of the file.
    func next() throws(CaptureError) -> CapturedPacket?
}

/// Opens a capture file of any supported format (pcap, pcapng, either gzip-compressed).
public func openCapture(path: String) throws(CaptureError) -> any CaptureReader {
    let source = try ByteSource.open(path: path)
    let magic = try source.peek(4)
    guard magic.count == 4 else {
        if magic.isEmpty {
            throw CaptureError.unknownFormat(path: path)
        }
        throw CaptureError.unknownFormat(path: path)
    }
    let m = UInt32(magic[0]) << 24 | UInt32(magic[1]) << 16 | UInt32(magic[2]) << 8 | UInt32(magic[3])
    switch m {
    case 0xa1b2_c3d4, 0xd4c3_b2a1, 0xa1b2_3c4d, 0x4d3c_b2a1:
        return try PcapReader(source: source)
    case 0x0a0d_0d0a:
        return try PcapngReader(source: source)
    default:
        throw CaptureError.unknownFormat(path: path)
    }
}
