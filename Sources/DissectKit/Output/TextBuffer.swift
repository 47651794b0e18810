#if canImport(Glibc)
import Glibc
#endif

/// A growable UTF-8 byte buffer that formats numbers, addresses and text in place.
///
/// Tree lines, JSON values and plugin labels are written straight into one of these (the output
/// stream's buffer, or a packet's label pool) instead of going through `String`: after warm-up
/// nothing is allocated per line. Plain memory behind a pointer, so an append is a bounds check
/// and a store (an `[UInt8]` append also checks uniqueness every time).
public final class TextBuffer: @unchecked Sendable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    /// Bytes written (set it only to truncate).
    public var count: Int = 0

    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far (valid until the next write).
    @inlinable public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// The bytes of `start..<end` (valid until the next write).
    @inlinable public func bytes(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + start, count: end - start)
    }

    @inlinable public var isEmpty: Bool { count == 0 }

    @inlinable public func removeAll() { count = 0 }

    /// Forgets everything after the first `n` bytes.
    @inlinable public func truncate(to n: Int) { if n < count { count = max(0, n) } }

    /// Makes room for `n` more bytes.
    @inlinable public func reserve(_ n: Int) {
        if count &+ n > capacity { grow(count &+ n) }
    }

    @usableFromInline func grow(_ needed: Int) {
        var c = capacity
        while c < needed { c *= 2 }
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        b.update(from: base, count: count)
        base.deallocate()
        base = b
        capacity = c
    }

    /// The text as a String (tests and slow paths).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: raw appends

    @inlinable public func append(_ b: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = b
        count &+= 1
    }

    @inlinable public func append(_ a: UInt8, _ b: UInt8) {
        reserve(2)
        base[count] = a
        base[count &+ 1] = b
        count &+= 2
    }

    @inlinable public func append(_ s: StaticString) {
        append(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inlinable public func append(_ p: UnsafeRawBufferPointer) {
        let n = p.count
        guard n > 0 else { return }
        reserve(n)
        (base + count).update(from: p.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n)
        count &+= n
    }

    @inlinable public func append(_ p: UnsafeBufferPointer<UInt8>) { append(UnsafeRawBufferPointer(p)) }

    public func append(_ a: [UInt8]) { a.withUnsafeBytes { append($0) } }

    public func append(_ a: ArraySlice<UInt8>) { a.withUnsafeBytes { append($0) } }

    /// Appends a String's UTF-8 (no copy for native strings). Disfavoured so a literal
    /// (`b.append(": ")`) takes the `StaticString` path.
    @_disfavoredOverload
    @inlinable public func append(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ append($0) }) {
            return done
        }
        var c = s
        c.withUTF8 { append($0) }
    }

    /// Appends the bytes `start..<end` of this same buffer (a label copied to the end).
    public func appendOwn(_ start: Int, _ end: Int) {
        let n = end - start
        guard n > 0 else { return }
        reserve(n)
        (base + count).update(from: base + start, count: n)
        count += n
    }

    @inlinable public func appendSpaces(_ n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).update(repeating: 0x20, count: n)
        count &+= n
    }

    // MARK: numbers

    /// Decimal digits of `v`.
    @inlinable public func appendDecimal(_ v: UInt64) {
        if v < 10 {
            append(0x30 &+ UInt8(truncatingIfNeeded: v))
            return
        }
        reserve(20)
        var n = v
        var len = 0
        var t = v
        while t > 0 { t /= 10; len &+= 1 }
        var p = base + count + len
        repeat {
            p -= 1
            p.pointee = 0x30 &+ UInt8(truncatingIfNeeded: n % 10)
            n /= 10
        } while n > 0
        count &+= len
    }

    @inlinable public func appendDecimal(_ v: Int) {
        if v < 0 { append(0x2d) }
        appendDecimal(UInt64(v.magnitude))
    }

    @inlinable public func appendDecimal(_ v: Int64) {
        if v < 0 { append(0x2d) }
        appendDecimal(v.magnitude)
    }

    /// Decimal digits of `v`, zero-padded to `width`.
    public func appendDecimal(_ v: UInt64, zeroPadded width: Int) {
        var len = 1
        var t = v / 10
        while t > 0 { t /= 10; len += 1 }
        if width > len {
            reserve(width - len)
            (base + count).update(repeating: 0x30, count: width - len)
            count += width - len
        }
        appendDecimal(v)
    }

    public static let hexDigits: StaticString = "0123456789abcdef"

    /// Lower-case hex of `v`, zero-padded to `digits` (more digits when `v` needs them).
    @inlinable public func appendHex(_ v: UInt64, digits: Int) {
        var n = 1
        while n < 16 && (v >> UInt64(n &* 4)) != 0 { n &+= 1 }
        let w = max(n, digits)
        reserve(w)
        let d = Self.hexDigits.utf8Start
        var p = base + count + w
        var x = v
        for _ in 0..<w {
            p -= 1
            p.pointee = d[Int(x & 0xf)]
            x >>= 4
        }
        count &+= w
    }

    /// Upper-case hex of `v`, no padding.
    public func appendUpperHex(_ v: UInt64) {
        let d: StaticString = "0123456789ABCDEF"
        var n = 1
        while n < 16 && (v >> UInt64(n * 4)) != 0 { n += 1 }
        reserve(n)
        for k in stride(from: n - 1, through: 0, by: -1) {
            base[count] = d.utf8Start[Int((v >> UInt64(k * 4)) & 0xf)]
            count += 1
        }
    }

    /// Octal of `v` (no prefix).
    public func appendOctal(_ v: UInt64) {
        var n = 1
        while n < 22 && (v >> UInt64(n * 3)) != 0 { n += 1 }
        reserve(n)
        for k in stride(from: n - 1, through: 0, by: -1) {
            base[count] = 0x30 &+ UInt8((v >> UInt64(k * 3)) & 7)
            count += 1
        }
    }

    /// Two hex digits per byte, `separator` (0 for none) between bytes.
    @inlinable public func appendHexBytes(_ b: UnsafeRawBufferPointer, separator: UInt8 = 0) {
        let n = b.count
        guard n > 0 else { return }
        let per = separator == 0 ? 2 : 3
        reserve(n &* per)
        let d = Self.hexDigits.utf8Start
        var p = base + count
        var i = 0
        let src = b.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if separator == 0 {
            while i < n {
                let c = src[i]
                p[0] = d[Int(c >> 4)]
                p[1] = d[Int(c & 15)]
                p += 2
                i &+= 1
            }
            count &+= n &* 2
        } else {
            while i < n {
                let c = src[i]
                p[0] = d[Int(c >> 4)]
                p[1] = d[Int(c & 15)]
                p[2] = separator
                p += 3
                i &+= 1
            }
            count &+= n &* 3 &- 1
        }
    }

    // MARK: addresses

    /// Dotted quad.
    @inlinable public func appendIPv4(_ a: UInt32) {
        appendDecimal(UInt64(a >> 24)); append(0x2e)
        appendDecimal(UInt64((a >> 16) & 0xff)); append(0x2e)
        appendDecimal(UInt64((a >> 8) & 0xff)); append(0x2e)
        appendDecimal(UInt64(a & 0xff))
    }

    /// "00:11:22:33:44:55".
    @inlinable public func appendEther(_ m: UInt64) {
        reserve(17)
        let d = Self.hexDigits.utf8Start
        for k in 0..<6 {
            let c = UInt8(truncatingIfNeeded: m >> UInt64(40 - 8 * k))
            if k > 0 { base[count] = 0x3a; count &+= 1 }
            base[count] = d[Int(c >> 4)]
            base[count &+ 1] = d[Int(c & 15)]
            count &+= 2
        }
    }

    /// RFC 5952 text form (longest run of two or more zero groups compressed, lower case;
    /// IPv4-mapped addresses as `::ffff:a.b.c.d`), as `FieldFormatter.ipv6String`.
    public func appendIPv6(_ a: IPv6Address) {
        if a.hi == 0 && (a.lo >> 32) == 0xffff {
            append("::ffff:")
            appendIPv4(UInt32(truncatingIfNeeded: a.lo))
            return
        }
        @inline(__always) func group(_ i: Int) -> UInt64 {
            ((i < 4 ? a.hi : a.lo) >> UInt64((3 - i % 4) * 16)) & 0xffff
        }
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if group(i) == 0 {
                var j = i
                while j < 8 && group(j) == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                i = j
            } else { i += 1 }
        }
        i = 0
        var wrote = false
        var endsWithColon = false
        while i < 8 {
            if i == bestStart {
                append(0x3a, 0x3a)
                wrote = true
                endsWithColon = true
                i += bestLen
                continue
            }
            if wrote && !endsWithColon { append(0x3a) }
            appendHex(group(i), digits: 1)
            wrote = true
            endsWithColon = false
            i += 1
        }
    }

    // MARK: times

    /// Nine digits of nanoseconds.
    public func appendNanos9(_ n: Int32) {
        if n < 0 { append(FieldFormatter.nanos9(n)); return }
        appendDecimal(UInt64(n), zeroPadded: 9)
    }

    /// "S.NNNNNNNNN" (tshark's relative time; negative values with a leading "-").
    public func appendRelative(_ t: Timestamp) {
        let (neg, s, ns) = t.signedParts
        if neg { append(0x2d) }
        appendDecimal(s)
        append(0x2e)
        appendDecimal(ns, zeroPadded: 9)
    }
}
