import DissectKit

/// Echo request/reply matching (tshark's ICMPv6 "transactions"), per address pair, identifier,
/// sequence number and checksum: the checksum makes a reply match only the request that carried
/// the same data. One pass, as tshark reads a file: a request never learns its reply.
/// Bounded: the table is cleared when it reaches `capacity` open requests.
final class ICMPv6EchoTable {
    struct Key: Hashable {
        var lo: IPv6Address
        var hi: IPv6Address
        var identSeq: UInt32
        var checksum: UInt16
    }
    struct Request {
        var frame: UInt32
        var time: Timestamp
        var responseFrame: UInt32 = 0
    }
    private var requests: [Key: Request] = [:]
    let capacity: Int

    init(capacity: Int = 1 << 16) { self.capacity = capacity }

    func reset() { requests.removeAll() }

    static func key(src: Address, dst: Address, identSeq: UInt32, checksum: UInt16) -> Key {
        let zero = IPv6Address(hi: 0, lo: 0)
        var a = zero, b = zero
        if case .ipv6(let v) = src { a = v }
        if case .ipv6(let v) = dst { b = v }
        let aFirst = (a.hi, a.lo) < (b.hi, b.lo)
        return Key(lo: aFirst ? a : b, hi: aFirst ? b : a, identSeq: identSeq, checksum: checksum)
    }

    func request(_ key: Key, frame: UInt32, time: Timestamp) {
        if requests.count >= capacity { requests.removeAll(keepingCapacity: true) }
        requests[key] = Request(frame: frame, time: time)
    }

    /// The request this reply answers, unless another reply already answered it.
    func reply(_ key: Key, frame: UInt32) -> Request? {
        guard var r = requests[key], r.frame < frame else { return nil }
        if r.responseFrame != 0 && r.responseFrame != frame { return nil }
        r.responseFrame = frame
        requests[key] = r
        return r
    }

    /// The checksum a request with the same data had: the reply's checksum with the type change
    /// (128 → 129 in the first word) taken back out, in one's complement.
    static func requestChecksum(fromReply c: UInt16) -> UInt16 {
        var s = UInt32(c) + 0x0100
        while s >> 16 != 0 { s = (s & 0xffff) + (s >> 16) }
        return UInt16(truncatingIfNeeded: s)
    }
}
