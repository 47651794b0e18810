import DissectKit

/// Names of DSCP and ECN codepoints (RFC 2474, 3168, 8622), shared by IPv4's DS field and
/// IPv6's Traffic Class, as tshark 4.0.17 prints them.
enum IPDiffServ {
    /// "Differentiated Services Codepoint: Expedited Forwarding (46)".
    static let dscpNames: [UInt64: String] = [
        0: "Default", 1: "Lower Effort", 8: "Class Selector 1", 10: "Assured Forwarding 11",
        12: "Assured Forwarding 12", 14: "Assured Forwarding 13", 16: "Class Selector 2",
        18: "Assured Forwarding 21", 20: "Assured Forwarding 22", 22: "Assured Forwarding 23",
        24: "Class Selector 3", 26: "Assured Forwarding 31", 28: "Assured Forwarding 32",
        30: "Assured Forwarding 33", 32: "Class Selector 4", 34: "Assured Forwarding 41",
        36: "Assured Forwarding 42", 38: "Assured Forwarding 43", 40: "Class Selector 5",
        44: "Voice Admit", 46: "Expedited Forwarding", 48: "Class Selector 6", 56: "Class Selector 7",
    ]

    /// The short names in the parent line "(DSCP: EF PHB, ECN: ECT(1))".
    static func dscpShort(_ v: UInt8) -> String {
        switch v {
        case 0: return "CS0"
        case 1: return "LE"
        case 8: return "CS1"
        case 10: return "AF11"
        case 12: return "AF12"
        case 14: return "AF13"
        case 16: return "CS2"
        case 18: return "AF21"
        case 20: return "AF22"
        case 22: return "AF23"
        case 24: return "CS3"
        case 26: return "AF31"
        case 28: return "AF32"
        case 30: return "AF33"
        case 32: return "CS4"
        case 34: return "AF41"
        case 36: return "AF42"
        case 38: return "AF43"
        case 40: return "CS5"
        case 44: return "VOICE-ADMIT"
        case 46: return "EF PHB"
        case 48: return "CS6"
        case 56: return "CS7"
        default: return "Unknown"
        }
    }

    static let ecnNames: [UInt64: String] = [
        0: "Not ECN-Capable Transport", 1: "ECN-Capable Transport codepoint '01'",
        2: "ECN-Capable Transport codepoint '10'", 3: "Congestion Experienced",
    ]

    static func ecnShort(_ v: UInt8) -> String {
        switch v & 3 {
        case 0: return "Not-ECT"
        case 1: return "ECT(1)"
        case 2: return "ECT(0)"
        default: return "CE"
        }
    }

    /// " (DSCP: CS0, ECN: Not-ECT)", appended to the DS field / Traffic Class line.
    static func summary(_ tos: UInt8) -> String {
        " (DSCP: \(dscpShort(tos >> 2)), ECN: \(ecnShort(tos)))"
    }

    /// `summary` written into a label.
    static func writeSummary(_ tos: UInt8, to b: TextBuffer) {
        b.append(" (DSCP: ")
        b.append(dscpShort(tos >> 2))
        b.append(", ECN: ")
        b.append(ecnShort(tos))
        b.append(0x29)
    }
}

/// The Internet checksum (RFC 1071) over packet bytes, plus helpers for pseudo-headers.
public enum InternetChecksum {
    /// One's-complement sum of `data` folded to 16 bits, starting from `initial`
    /// (not complemented: callers add pseudo-header sums and complement at the end).
    public static func sum(_ data: ByteView, initial: UInt32 = 0) -> UInt32 {
        var s = UInt64(initial)
        let n = data.count
        var i = 0
        while i + 1 < n {
            s &+= UInt64(data[unchecked: i]) << 8 | UInt64(data[unchecked: i + 1])
            i += 2
        }
        if i < n { s &+= UInt64(data[unchecked: i]) << 8 }
        while s >> 16 != 0 { s = (s & 0xffff) &+ (s >> 16) }
        return UInt32(s)
    }

    /// Folds and complements a running sum.
    public static func finish(_ s: UInt32) -> UInt16 {
        var v = s
        while v >> 16 != 0 { v = (v & 0xffff) &+ (v >> 16) }
        return ~UInt16(truncatingIfNeeded: v)
    }

    /// The value the checksum field should have held: the sum with the field's own value
    /// taken out again (subtracting in one's complement is adding the complement).
    public static func expected(sumIncludingField s: UInt32, field: UInt16) -> UInt16 {
        finish(s &+ UInt32(~field))
    }
}

extension PacketContext {
    /// tshark's verdict on a 16-bit Internet checksum at `data[offset..<offset+2]` (ICMP, ICMPv6):
    /// `sum` (the running sum over the message, field included) when it could be verified,
    /// nil with the reason ("fragmented datagram", …) when not. Appends " [correct]",
    /// " incorrect, should be 0x…" or " [unverified] [reason]" to the checksum item, adds the
    /// `*.checksum.status` field and, when bad, the expert info.
    mutating func addChecksumVerdict(sum: UInt32?, unverifiedReason: String, checksum: UInt16, item: TreeNode,
                                     status: FieldID, badExpert: FieldID, parent: TreeNode,
                                     _ data: ByteView, _ offset: Int) {
        guard let sum else {
            appendLabel(item, " [unverified] [\(unverifiedReason)]")
            addGenerated(status, .uint(ChecksumStatus.unverified), parent: parent, at: data, offset, 2)
            return
        }
        if InternetChecksum.finish(sum) == 0 {
            appendLabel(item, " [correct]")
            addGenerated(status, .uint(ChecksumStatus.good), parent: parent, at: data, offset, 2)
        } else {
            let expected = InternetChecksum.expected(sumIncludingField: sum, field: checksum)
            let hex = FieldFormatter.hex(UInt64(expected), digits: 4)
            appendLabel(item, " incorrect, should be 0x\(hex)")
            addExpert(badExpert, parent: item, data, offset, 2, message: "Bad checksum [should be 0x\(hex)]")
            addGenerated(status, .uint(ChecksumStatus.bad), parent: parent, at: data, offset, 2)
        }
    }
}

/// Echo request/reply matching for ICMP and ICMPv6: per address pair (either order),
/// identifier, sequence number and the request's checksum, so that a reply matches only the
/// request that carried the same data.
struct EchoKey: Hashable {
    var lo: Address
    var hi: Address
    var identSeq: UInt32
    var checksum: UInt16

    init(_ a: Address, _ b: Address, ident: UInt16, seq: UInt16, checksum: UInt16) {
        let aFirst = Self.precedes(a, b)
        lo = aFirst ? a : b
        hi = aFirst ? b : a
        identSeq = UInt32(ident) << 16 | UInt32(seq)
        self.checksum = checksum
    }

    private static func precedes(_ a: Address, _ b: Address) -> Bool {
        switch (a, b) {
        case (.ipv4(let x), .ipv4(let y)): return x < y
        case (.ipv6(let x), .ipv6(let y)): return (x.hi, x.lo) < (y.hi, y.lo)
        default: return true
        }
    }
}
