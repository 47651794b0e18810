/// A column's text as bytes (UTF-8), built without `String` on the hot path.
///
/// tshark's "fence": text before the fence is kept when a higher layer sets the column
/// (`col_set_fence`), so a TCP "[TCP Retransmission]" prefix survives the SMTP Info text.
public final class ColumnText: @unchecked Sendable {
    public var bytes: [UInt8] = []
    public var fence: Int = 0

    public init() { bytes.reserveCapacity(256) }

    @inlinable public func reset() {
        bytes.removeAll(keepingCapacity: true)
        fence = 0
    }

    @inlinable public var isEmpty: Bool { bytes.isEmpty }

    /// Replaces the text after the fence.
    @inlinable public func set(_ s: StaticString) {
        bytes.removeSubrange(fence...)
        append(s)
    }

    @inlinable public func clear() { bytes.removeSubrange(fence...) }

    @inlinable public func setFence() { fence = bytes.count }

    @inlinable public func append(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Disfavoured so a literal (`info.append(", ")`) takes the `StaticString` path: no String.
    @_disfavoredOverload
    @inlinable public func append(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) {
            return done
        }
        bytes.append(contentsOf: s.utf8)
    }

    @inlinable public func append(byte: UInt8) { bytes.append(byte) }

    @inlinable public func append(_ view: ByteView) {
        bytes.append(contentsOf: view.buffer)
    }

    /// Appends a decimal number.
    @inlinable public func append(_ v: UInt64) {
        if v < 10 { bytes.append(0x30 &+ UInt8(v)); return }
        // Digits counted first, then written in place at the end of the array (one uniqueness
        // check, no scratch copy).
        var len = 1
        var t = v / 10
        while t > 0 { t /= 10; len &+= 1 }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0x30, count: len))
        bytes.withUnsafeMutableBufferPointer { p in
            var n = v
            var i = start &+ len &- 1
            while n > 0 {
                p[i] = 0x30 &+ UInt8(truncatingIfNeeded: n % 10)
                n /= 10
                i &-= 1
            }
        }
    }

    @inlinable public func append(_ v: Int) {
        if v < 0 { bytes.append(0x2d); append(UInt64(v.magnitude)) } else { append(UInt64(v)) }
    }

    @inlinable public func append(_ v: UInt32) { append(UInt64(v)) }
    @inlinable public func append(_ v: UInt16) { append(UInt64(v)) }

    /// Appends `v` as lower-case hex, zero-padded to `width` digits.
    public func appendHex(_ v: UInt64, width: Int) {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var n = 0
        var t = v
        repeat { n += 1; t >>= 4 } while t > 0
        let w = max(width, n)
        for i in stride(from: w - 1, through: 0, by: -1) {
            bytes.append(digits[Int((v >> UInt64(i * 4)) & 0xf)])
        }
    }

    /// Inserts text at the start of the column (after nothing: tshark's `col_prepend_fstr`).
    public func prepend(_ s: StaticString) {
        bytes.insert(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount), at: 0)
        if fence > 0 { fence += s.utf8CodeUnitCount }
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }
}
