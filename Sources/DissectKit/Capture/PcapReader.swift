/// Classic libpcap files: microsecond and nanosecond magic, either byte order.
public final class PcapReader: CaptureReader {
    public let format: CaptureFormat
    public private(set) var interfaces: [InterfaceInfo]
    public var decryptionSecrets: [(type: UInt32, data: [UInt8])] { [] }
    private let source: ByteSource
    /// True when the file is little-endian (magic d4 c3 b2 a1 / 4d 3c b2 a1 on disk).
    private let swapped: Bool
    private let nanosecond: Bool
    private let linkType: Int
    private let snapLength: Int
    private let fcsLength: Int?

    init(source: ByteSource) throws(CaptureError) {
        self.source = source
        guard let h = try source.read(24) else {
            throw CaptureError.damaged(path: source.path, detail: "pcap: the file header is cut short")
        }
        let magicBE = UInt32(h[0]) << 24 | UInt32(h[1]) << 16 | UInt32(h[2]) << 8 | UInt32(h[3])
        swapped = magicBE == 0xd4c3_b2a1 || magicBE == 0x4d3c_b2a1
        nanosecond = magicBE == 0xa1b2_3c4d || magicBE == 0x4d3c_b2a1
        format = nanosecond ? .pcapNanosecond : .pcap
        let sw = swapped
        func u32(_ o: Int) -> UInt32 {
            let v = h.loadUnaligned(fromByteOffset: o, as: UInt32.self)
            return sw ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
        }
        snapLength = Int(u32(16))
        let lt = u32(20)
        let linkType = Int(lt & 0x03ff_ffff)
        self.linkType = linkType
        // The FCS-present bit (0x04000000) carries the FCS length in the top 3 bits (in 16-bit words).
        let fcsLength = lt & 0x0400_0000 != 0 ? Int((lt >> 28) & 0x7) * 2 : nil
        self.fcsLength = fcsLength
        var info = InterfaceInfo(linkType: linkType, snapLength: snapLength, fcsLength: fcsLength)
        info.timeDigits = nanosecond ? 9 : 6
        interfaces = [info]
    }

    public func next() throws(CaptureError) -> CapturedPacket? {
        guard let h = try source.read(16) else {
            if source.remaining > 0 {
                throw CaptureError.damaged(path: source.path,
                                           detail: "pcap: File has \(source.remaining)-byte packet header, bigger than maximum of 16")
            }
            if source.truncatedCompressed {
                throw CaptureError.damaged(path: source.path, detail: source.compressionError ?? "pcap: compressed data ended early")
            }
            return nil
        }
        let sw = swapped
        func u32(_ o: Int) -> UInt32 {
            let v = h.loadUnaligned(fromByteOffset: o, as: UInt32.self)
            return sw ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
        }
        let sec = u32(0), frac = u32(4), incl = Int(u32(8)), orig = Int(u32(12))
        if incl > 262_144 * 4 {
            throw CaptureError.damaged(path: source.path,
                                       detail: "pcap: File has \(incl)-byte packet, bigger than maximum of 262144")
        }
        guard let bytes = try source.read(incl) else {
            throw CaptureError.damaged(path: source.path,
                                       detail: "pcap: File has a \(incl)-byte packet, but only \(source.remaining) bytes remain")
        }
        var m = FrameMetadata()
        m.timestamp = Timestamp(seconds: Int64(sec), nanoseconds: Int32(nanosecond ? frac : frac &* 1000))
        m.capturedLength = incl
        m.originalLength = max(orig, incl)
        m.linkType = linkType
        return CapturedPacket(meta: m, bytes: bytes)
    }
}
