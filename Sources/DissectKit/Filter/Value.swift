/// A value while a filter is evaluated. Byte values point into the packet's data sources
/// (or into a constant, or a short-lived buffer): nothing is copied to compare.
@usableFromInline
enum Value {
    case uint(UInt64)
    case sint(Int64)
    case double(Double)
    case bytes(UnsafeRawBufferPointer)
    /// Address and netmask (all ones for a plain address, fewer bits for `10.0.0.0/8`).
    case ipv4(UInt32, UInt32)
    /// Address and prefix length in bits.
    case ipv6(IPv6Address, Int)
    case time(Timestamp)
}

/// A constant: a converted literal, or a value copied from the selected frame (`${field}`).
enum Constant {
    case uint(UInt64)
    case sint(Int64)
    case double(Double)
    case bytes([UInt8])
    case ipv4(UInt32, UInt32)
    case ipv6(IPv6Address, Int)
    case time(Timestamp)

    /// Calls `body` with the constant as a `Value` (bytes stay valid during the call).
    @inline(__always)
    func with<R>(_ body: (Value) -> R) -> R {
        switch self {
        case .uint(let v): return body(.uint(v))
        case .sint(let v): return body(.sint(v))
        case .double(let v): return body(.double(v))
        case .bytes(let b): return b.withUnsafeBytes { body(.bytes($0)) }
        case .ipv4(let a, let m): return body(.ipv4(a, m))
        case .ipv6(let a, let p): return body(.ipv6(a, p))
        case .time(let t): return body(.time(t))
        }
    }

    init(copying v: Value) {
        switch v {
        case .uint(let x): self = .uint(x)
        case .sint(let x): self = .sint(x)
        case .double(let x): self = .double(x)
        case .bytes(let b): self = .bytes(Array(b))
        case .ipv4(let a, let m): self = .ipv4(a, m)
        case .ipv6(let a, let p): self = .ipv6(a, p)
        case .time(let t): self = .time(t)
        }
    }
}

extension Value {
    /// Three-way comparison of two values of compatible types; nil when they cannot be ordered.
    @inline(__always)
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.uint(let x), .uint(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.sint(let x), .sint(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.uint(let x), .sint(let y)):
            if y < 0 { return 1 }
            let yy = UInt64(y)
            return x < yy ? -1 : (x == yy ? 0 : 1)
        case (.sint(let x), .uint(let y)):
            if x < 0 { return -1 }
            let xx = UInt64(x)
            return xx < y ? -1 : (xx == y ? 0 : 1)
        case (.double(let x), .double(let y)): return x < y ? -1 : (x == y ? 0 : (x > y ? 1 : nil))
        case (.double(let x), .uint(let y)): return compare(.double(x), .double(Double(y)))
        case (.double(let x), .sint(let y)): return compare(.double(x), .double(Double(y)))
        case (.uint(let x), .double(let y)): return compare(.double(Double(x)), .double(y))
        case (.sint(let x), .double(let y)): return compare(.double(Double(x)), .double(y))
        case (.bytes(let x), .bytes(let y)): return compareBytes(x, y)
        case (.ipv4(let x, let mx), .ipv4(let y, let my)):
            let m = mx & my
            let xa = x & m, ya = y & m
            return xa < ya ? -1 : (xa == ya ? 0 : 1)
        case (.ipv6(let x, let px), .ipv6(let y, let py)):
            let p = min(px, py)
            let xa = mask6(x, p), ya = mask6(y, p)
            if xa.hi != ya.hi { return xa.hi < ya.hi ? -1 : 1 }
            if xa.lo != ya.lo { return xa.lo < ya.lo ? -1 : 1 }
            return 0
        case (.time(let x), .time(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        default: return nil
        }
    }

    @inline(__always)
    static func mask6(_ a: IPv6Address, _ prefix: Int) -> IPv6Address {
        if prefix >= 128 { return a }
        if prefix <= 0 { return IPv6Address(hi: 0, lo: 0) }
        if prefix <= 64 {
            let m: UInt64 = prefix == 64 ? ~0 : ~(~UInt64(0) >> UInt64(prefix))
            return IPv6Address(hi: a.hi & m, lo: 0)
        }
        let m: UInt64 = ~(~UInt64(0) >> UInt64(prefix - 64))
        return IPv6Address(hi: a.hi, lo: a.lo & m)
    }

    @inline(__always)
    static func compareBytes(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Int {
        let n = min(x.count, y.count)
        if n > 0, let px = x.baseAddress, let py = y.baseAddress {
            let r = memcmpBytes(px, py, n)
            if r != 0 { return r < 0 ? -1 : 1 }
        }
        return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
    }

    @inline(__always)
    static func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Int {
        var i = 0
        while i < n {
            let x = a.load(fromByteOffset: i, as: UInt8.self)
            let y = b.load(fromByteOffset: i, as: UInt8.self)
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        return 0
    }

    /// `contains` on byte sequences (strings, bytes, protocols).
    static func contains(_ hay: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        let n = needle.count
        if n == 0 { return true }
        if n > hay.count { return false }
        guard let h = hay.baseAddress, let nd = needle.baseAddress else { return false }
        let first = nd.load(as: UInt8.self)
        var i = 0
        let last = hay.count - n
        while i <= last {
            if h.load(fromByteOffset: i, as: UInt8.self) == first && memcmpBytes(h + i, nd, n) == 0 { return true }
            i += 1
        }
        return false
    }

    /// True when the value is not zero (a bare arithmetic test such as `tcp.flags & 0x02`).
    var isNonZero: Bool {
        switch self {
        case .uint(let v): return v != 0
        case .sint(let v): return v != 0
        case .double(let v): return v != 0
        case .bytes(let b): return b.contains { $0 != 0 }
        case .ipv4(let a, _): return a != 0
        case .ipv6(let a, _): return a.hi != 0 || a.lo != 0
        case .time(let t): return t.seconds != 0 || t.nanoseconds != 0
        }
    }
}
