/// What a compiled filter reads while it evaluates one packet.
@usableFromInline
final class EvalState {
    @usableFromInline var tree: PacketTree
    @usableFromInline var sources: DataSources
    /// Values of `${field}` references, taken from the selected frame.
    var references: [[Constant]]

    init(tree: PacketTree, references: Int) {
        self.tree = tree
        self.sources = DataSources()
        self.references = Array(repeating: [], count: references)
    }
}

/// Receives one value; returns true to stop the iteration.
typealias Emit = (Value) -> Bool
/// Produces the values of an expression for the current packet; returns true when `emit` stopped it.
typealias Producer = (EvalState, Emit) -> Bool
typealias TestClosure = (EvalState) -> Bool

enum RecordValues {
    /// Calls `emit` with the value of record `r` (a field of type `type`).
    @inline(__always)
    static func emit(_ r: FieldRecord, _ st: EvalState, _ emit: Emit) -> Bool {
        switch r.value {
        case .uint(let v): return emit(.uint(v))
        case .int(let v): return emit(.sint(v))
        case .bool(let b): return emit(.uint(b ? 1 : 0))
        case .double(let d): return emit(.double(d))
        case .ipv4(let a): return emit(.ipv4(a, ~0))
        case .ipv6(let a): return emit(.ipv6(a, 128))
        case .ether(let e):
            var be = e.bigEndian
            return withUnsafeBytes(of: &be) { emit(.bytes(UnsafeRawBufferPointer(rebasing: $0[2..<8]))) }
        case .bytes, .string, .none:
            return emit(.bytes(range(r, st)))
        case .text(let i):
            var s = st.tree.texts[Int(i)]
            return s.withUTF8 { emit(.bytes(UnsafeRawBufferPointer($0))) }
        case .blob(let i):
            return st.tree.blobs[Int(i)].withUnsafeBytes { emit(.bytes($0)) }
        case .absoluteTime(let t), .relativeTime(let t):
            return emit(.time(t))
        }
    }

    /// The bytes a record covers in its data source (clamped to the source).
    @inline(__always)
    static func range(_ r: FieldRecord, _ st: EvalState) -> UnsafeRawBufferPointer {
        let buf = st.sources.bytes(Int(r.source))
        let start = min(max(0, Int(r.offset)), buf.count)
        let end = min(buf.count, start + max(0, Int(r.length)))
        return UnsafeRawBufferPointer(rebasing: buf[start..<end])
    }
}

/// Byte ranges of a slice (`[0:3]`, `[-1]`, `[2-4]`, `[5:]`) applied to a value of `count` bytes.
enum SliceMath {
    /// The start and end (exclusive) of `part`, or nil when it reaches beyond the data.
    @inline(__always)
    static func bounds(_ part: RangePart, count: Int) -> (Int, Int)? {
        var s = part.start
        if s < 0 { s += count }
        if s < 0 { return nil }
        let e: Int
        switch part.kind {
        case .length(let n): e = s + n
        case .end(let end):
            var x = end
            if x < 0 { x += count }
            e = x + 1
        case .toEnd: e = count
        }
        if s > count || e > count || e < s { return nil }
        return (s, e)
    }

    /// True when 1-based layer `layer` (of `total`) is selected by `parts` (`#2`, `#[2-4]`, `#[-1]`).
    static func layerSelected(_ layer: Int, total: Int, _ parts: [RangePart]) -> Bool {
        for p in parts {
            var s = p.start
            if s < 0 { s += total + 1 }
            switch p.kind {
            case .length(let n): if layer >= s && layer < s + n { return true }
            case .end(let e):
                var x = e
                if x < 0 { x += total + 1 }
                if layer >= s && layer <= x { return true }
            case .toEnd: if layer >= s { return true }
            }
        }
        return false
    }
}
