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

    @inlinable public static func - (a: Timestamp, b: Timestamp) -> Timestamp {
        var s = a.seconds - b.seconds
        var n = a.nanoseconds - b.nanoseconds
        if n < 0 { n += 1_000_000_000; s -= 1 }
        return Timestamp(seconds: s, nanoseconds: n)
    }

    @inlinable public static func < (a: Timestamp, b: Timestamp) -> Bool {
        a.seconds < b.seconds || (a.seconds == b.seconds && a.nanoseconds < b.nanoseconds)
    }

    public var doubleValue: Double { Double(seconds) + Double(nanoseconds) / 1e9 }
}
