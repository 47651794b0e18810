import DissectKit

/// Echo request/reply matching (tshark's ICMP "transactions"): a `TransactionTable` keyed by
/// `EchoKey` (address pair, identifier, sequence number, the request's checksum).
enum ICMPEchoTable {
    /// The checksum a request with the same data had: the reply's checksum with the type
    /// change (8 → 0 in the first word) taken back out, in one's complement.
    static func requestChecksum(fromReply c: UInt16) -> UInt16 {
        var s = UInt32(~c) + 0x0800
        while s >> 16 != 0 { s = (s & 0xffff) + (s >> 16) }
        let v = ~UInt16(truncatingIfNeeded: s)
        return v == 0 ? 0xffff : v
    }
}
