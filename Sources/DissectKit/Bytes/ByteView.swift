/// Thrown by `ByteView` readers when a dissector reads past the end of its data.
///
/// The engine catches it at the dissector boundary and marks the protocol
/// "Malformed" (or, when the frame was cut by the snapshot length, "short frame"),
/// exactly where tshark adds `[Malformed Packet]` / `[Packet size limited during capture]`.
public struct Malformed: Error, Sendable {
    /// tshark's `ContainedBoundsError`: the read stayed inside a sub-item's declared length
    /// but ran past the data that holds it (shown as "[Malformed Packet: X: length of
    /// contained item exceeds length of containing item]").
    public var containedLength: Bool
    @inlinable public init() { containedLength = false }
    @inlinable public init(containedLength: Bool) { self.containedLength = containedLength }
}

/// A bounds-checked, non-owning view of packet bytes.
///
/// Views never copy: they point into the capture buffer (or into a reassembly buffer that
/// the engine keeps alive for the packet's lifetime). `sourceOffset` is where `base` sits
/// inside its data source, so tree offsets stay absolute for `-x` and `-V`.
@frozen
public struct ByteView: @unchecked Sendable {
    public let base: UnsafeRawPointer?
    public let count: Int
    /// Index of the data source (0 = the frame) in `PacketContext.sources`.
    public let source: Int
    /// Offset of `base` within the data source.
    public let sourceOffset: Int

    @inlinable
    public init(base: UnsafeRawPointer?, count: Int, source: Int = 0, sourceOffset: Int = 0) {
        self.base = base
        self.count = count
        self.source = source
        self.sourceOffset = sourceOffset
    }

    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer, source: Int = 0) {
        self.init(base: buffer.baseAddress, count: buffer.count, source: source, sourceOffset: 0)
    }

    public static let empty = ByteView(base: nil, count: 0)

    @inlinable public var isEmpty: Bool { count == 0 }

    @inlinable
    public func has(_ offset: Int, _ length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= count && length <= count &- offset
    }

    @inlinable
    public func check(_ offset: Int, _ length: Int) throws(Malformed) {
        if !has(offset, length) { throw Malformed() }
    }

    // MARK: unchecked loads (callers have checked the range)

    @inlinable
    public subscript(unchecked offset: Int) -> UInt8 {
        base.unsafelyUnwrapped.load(fromByteOffset: offset, as: UInt8.self)
    }

    // MARK: checked readers

    @inlinable
    public func u8(_ offset: Int) throws(Malformed) -> UInt8 {
        try check(offset, 1)
        return self[unchecked: offset]
    }

    @inlinable
    public func u16(_ offset: Int) throws(Malformed) -> UInt16 {
        try check(offset, 2)
        return UInt16(bigEndian: base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inlinable
    public func u16le(_ offset: Int) throws(Malformed) -> UInt16 {
        try check(offset, 2)
        return UInt16(littleEndian: base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inlinable
    public func u24(_ offset: Int) throws(Malformed) -> UInt32 {
        try check(offset, 3)
        return UInt32(self[unchecked: offset]) << 16 | UInt32(self[unchecked: offset + 1]) << 8
            | UInt32(self[unchecked: offset + 2])
    }

    @inlinable
    public func u32(_ offset: Int) throws(Malformed) -> UInt32 {
        try check(offset, 4)
        return UInt32(bigEndian: base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inlinable
    public func u32le(_ offset: Int) throws(Malformed) -> UInt32 {
        try check(offset, 4)
        return UInt32(littleEndian: base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inlinable
    public func u48(_ offset: Int) throws(Malformed) -> UInt64 {
        try check(offset, 6)
        return UInt64(try u16(offset)) << 32 | UInt64(try u32(offset + 2))
    }

    @inlinable
    public func u64(_ offset: Int) throws(Malformed) -> UInt64 {
        try check(offset, 8)
        return UInt64(bigEndian: base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inlinable
    public func u64le(_ offset: Int) throws(Malformed) -> UInt64 {
        try check(offset, 8)
        return UInt64(littleEndian: base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// A sub-view `[offset, offset+length)`; throws when it does not fit.
    @inlinable
    public func slice(_ offset: Int, _ length: Int) throws(Malformed) -> ByteView {
        try check(offset, length)
        return ByteView(base: base.map { $0 + offset }, count: length, source: source,
                        sourceOffset: sourceOffset + offset)
    }

    /// The bytes from `offset` to the end (empty when `offset` is past the end).
    @inlinable
    public func suffix(from offset: Int) -> ByteView {
        let o = min(max(offset, 0), count)
        return ByteView(base: base.map { $0 + o }, count: count - o, source: source, sourceOffset: sourceOffset + o)
    }

    /// The first `length` bytes (clamped).
    @inlinable
    public func prefix(_ length: Int) -> ByteView {
        ByteView(base: base, count: min(max(length, 0), count), source: source, sourceOffset: sourceOffset)
    }

    @inlinable
    public var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Copies the bytes out (for state that outlives the packet, never on the hot path).
    public func copyBytes() -> [UInt8] { Array(buffer) }

    /// Index of the first occurrence of `byte` at or after `from`, or nil.
    @inlinable
    public func firstIndex(of byte: UInt8, from: Int = 0) -> Int? {
        var i = max(from, 0)
        while i < count {
            if self[unchecked: i] == byte { return i }
            i &+= 1
        }
        return nil
    }

    /// Compares the bytes at `offset` with an ASCII literal.
    @inlinable
    public func matches(_ literal: StaticString, at offset: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard has(offset, n) else { return false }
        let p = literal.utf8Start
        for i in 0..<n where self[unchecked: offset + i] != p[i] { return false }
        return true
    }
}
