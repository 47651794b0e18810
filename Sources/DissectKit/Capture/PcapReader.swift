/// Classic libpcap files: microsecond and nanosecond magic, either byte order, and the
/// "modified" (Kuznetsov) variant with 24-byte record headers.
///
/// Checks and their messages follow wiretap's libpcap reader in tshark 4.0: a file header of
/// fewer than 24 bytes is a short read while opening, a major version below 2 or an unknown link
/// type is unsupported, a record longer than the encapsulation's maximum is damaged.
public final class PcapReader: CaptureReader {
    public let format: CaptureFormat
    public private(set) var interfaces: [InterfaceInfo]
    public var decryptionSecrets: [(type: UInt32, data: [UInt8])] { [] }
    private let source: ByteSource
    /// The file was written little-endian (its magic reads d4 c3 b2 a1 …).
    private let littleEndian: Bool
    private let nanosecond: Bool
    private let recordHeaderLength: Int
    private let linkType: Int
    private let maxSnap: Int
    private let digits: Int
    private let fcsLength: Int?

    init(source: ByteSource) throws(CaptureError) {
        self.source = source
        let h = try source.peek(upTo: 24)
        guard h.count == 24 else { throw source.shortfall() }
        let magicBE = UInt32(h[0]) << 24 | UInt32(h[1]) << 16 | UInt32(h[2]) << 8 | UInt32(h[3])
        littleEndian = magicBE == 0xd4c3_b2a1 || magicBE == 0x4d3c_b2a1 || magicBE == 0x34cd_b2a1
        nanosecond = magicBE == 0xa1b2_3c4d || magicBE == 0x4d3c_b2a1
        let modified = magicBE == 0xa1b2_cd34 || magicBE == 0x34cd_b2a1
        format = nanosecond ? .pcapNanosecond : modified ? .pcapModified : .pcap
        recordHeaderLength = modified ? 24 : 16
        let le = littleEndian
        func u16(_ o: Int) -> UInt16 {
            let v = h.loadUnaligned(fromByteOffset: o, as: UInt16.self)
            return le ? UInt16(littleEndian: v) : UInt16(bigEndian: v)
        }
        func u32(_ o: Int) -> UInt32 {
            let v = h.loadUnaligned(fromByteOffset: o, as: UInt32.self)
            return le ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
        }
        let major = u16(4)
        guard major >= 2 else {
            throw CaptureError.unsupported(path: source.path, detail: "pcap: major version \(major) unsupported")
        }
        let snapLength = Int(u32(16))
        // The link-type field also carries "FCS length present" (0x04000000) and the FCS length
        // in 16-bit words in its top 4 bits (libpcap's LT_FCS_DATALINK_EXT).
        let network = u32(20)
        guard network & 0x03ff_0000 == 0 else {
            throw CaptureError.unsupported(path: source.path, detail: "pcap: network type reserved field not zero (0x"
                                           + FieldFormatter.hex(UInt64(network & 0x03ff_0000), digits: 8) + ")")
        }
        let linkType = Int(network & 0x03ff_ffff)
        let fcsLength = network & 0x0400_0000 != 0 ? Int(network >> 28) * 2 : nil
        let encap = WTAP.encap(forLinkType: linkType)
        guard encap != WTAP.unknown else {
            throw CaptureError.unsupported(path: source.path, detail: "pcap: network type \(linkType) unknown or unsupported")
        }
        self.linkType = linkType
        maxSnap = WTAP.maxSnapLength(encap: encap)
        digits = nanosecond ? 9 : 6
        self.fcsLength = fcsLength
        var info = InterfaceInfo(linkType: linkType, snapLength: snapLength, fcsLength: fcsLength)
        info.timeDigits = digits
        interfaces = [info]
        source.consume(24)
        source.opening = false
    }

    public func next() throws(CaptureError) -> CapturedPacket? {
        let hl = recordHeaderLength
        let h = try source.peek(upTo: hl)
        if h.count < hl {
            if h.count == 0 && source.endedCleanly { return nil }
            throw source.shortfall()
        }
        let le = littleEndian
        func u32(_ o: Int) -> UInt32 {
            let v = h.loadUnaligned(fromByteOffset: o, as: UInt32.self)
            return le ? UInt32(littleEndian: v) : UInt32(bigEndian: v)
        }
        let sec = u32(0), frac = u32(4), incl = u32(8), orig = u32(12)
        guard Int(incl) <= maxSnap else {
            throw CaptureError.damaged(path: source.path,
                                       detail: "pcap: File has \(incl)-byte packet, bigger than maximum of \(maxSnap)")
        }
        let total = hl + Int(incl)
        let record = try source.peek(upTo: total)
        guard record.count == total else { throw source.shortfall() }
        source.consume(total)
        var m = FrameMetadata()
        // wiretap keeps an out-of-range fraction as it is (tshark then flags the arrival time).
        let nanos = nanosecond ? Int64(frac) : Int64(frac) * 1000
        m.timestamp = Timestamp(seconds: Int64(sec), nanoseconds: Int32(truncatingIfNeeded: nanos))
        m.capturedLength = Int(incl)
        m.originalLength = Int(orig)
        m.linkType = linkType
        m.timeDigits = digits
        m.fcsLength = fcsLength
        return CapturedPacket(meta: m, bytes: UnsafeRawBufferPointer(rebasing: record[hl..<total]))
    }
}
