/// A 128-bit IPv6 address as two big-endian halves.
@frozen
public struct IPv6Address: Hashable, Sendable {
    public var hi: UInt64
    public var lo: UInt64
    @inlinable public init(hi: UInt64, lo: UInt64) { self.hi = hi; self.lo = lo }

    @inlinable
    public init(_ view: ByteView, at offset: Int) throws(Malformed) {
        hi = try view.u64(offset)
        lo = try view.u64(offset + 8)
    }

    /// The eight 16-bit groups.
    public var groups: [UInt16] {
        (0..<8).map { i in
            let word = i < 4 ? hi : lo
            return UInt16(truncatingIfNeeded: word >> UInt64((3 - i % 4) * 16))
        }
    }
}

/// A network or link-layer address as shown in the Source/Destination columns.
@frozen
public enum Address: Hashable, Sendable {
    case none
    case ether(UInt64)
    case ipv4(UInt32)
    case ipv6(IPv6Address)
    /// A Novell IPX network number and node (tshark's AT_IPX, shown "00000028.00aa00a3e3a4").
    case ipx(net: UInt32, node: UInt64)
}

/// Seconds and nanoseconds; absolute (since the epoch) or relative.
@frozen
public struct Timestamp: Hashable, Sendable, Comparable {
    public var seconds: Int64
    public var nanoseconds: Int32
    @inlinable public init(seconds: Int64, nanoseconds: Int32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
    public static let zero = Timestamp(seconds: 0, nanoseconds: 0)

    /// tshark's `nstime_delta`. Wrapping arithmetic: a capture may hold any 32-bit fraction
    /// (wiretap keeps an out-of-range one as it is), which must not trap.
    @inlinable public static func - (a: Timestamp, b: Timestamp) -> Timestamp {
        var s = a.seconds &- b.seconds
        var n = a.nanoseconds &- b.nanoseconds
        if n < 0 { n = n &+ 1_000_000_000; s = s &- 1 }
        return Timestamp(seconds: s, nanoseconds: n)
    }

    @inlinable public static func < (a: Timestamp, b: Timestamp) -> Bool {
        a.seconds < b.seconds || (a.seconds == b.seconds && a.nanoseconds < b.nanoseconds)
    }

    public var doubleValue: Double { Double(seconds) + Double(nanoseconds) / 1e9 }

    /// Sign and magnitudes for printing. A normalised time (0 ≤ nanoseconds < 10^9, negative
    /// seconds for times before zero) is converted; a fraction out of range (a capture's own,
    /// kept as wiretap keeps it) is shown as tshark shows it: "-" when either part is negative,
    /// then both magnitudes.
    public var signedParts: (negative: Bool, seconds: UInt64, nanoseconds: UInt64) {
        if nanoseconds >= 0 && nanoseconds < 1_000_000_000 {
            if seconds >= 0 { return (false, UInt64(seconds), UInt64(nanoseconds)) }
            if nanoseconds == 0 { return (true, seconds.magnitude, 0) }
            return (true, (seconds &+ 1).magnitude, UInt64(1_000_000_000 - nanoseconds))
        }
        return (seconds < 0 || nanoseconds < 0, seconds.magnitude, UInt64(Int64(nanoseconds).magnitude))
    }
}
