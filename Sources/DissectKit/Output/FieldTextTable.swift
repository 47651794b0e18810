/// The registry's texts compiled for printing: each field's name and abbreviation as bytes in
/// one pool, its value strings as arrays instead of dictionaries of `String`s.
///
/// `registry[id]` copies a `FieldInfo` (five `String`s and the value strings: a retain and a
/// release each) and a value-string lookup hashes; a `-V` line does both several times. Here a
/// line reads one small struct and copies bytes. Built on first use and extended when fields
/// are registered later (run-time plugins, tests).
public final class FieldTextTable: @unchecked Sendable {
    /// What a tree line needs to know about one field.
    @frozen
    public struct Entry {
        public var name: LabelSpan
        public var abbrev: LabelSpan
        public var type: FieldType
        public var base: FieldBase
        public var isProtocol: Bool
        /// The protocol the field belongs to (itself for a protocol).
        public var protocolID: FieldID
        /// The abbreviation with `_` for `.` (EK member names).
        public var ekName: LabelSpan
        /// True when the abbreviation needs no JSON escaping (and `ekName` none either).
        public var abbrevPlain: Bool
        /// The first field registered with this abbreviation: equal for equal abbreviations
        /// (tshark allows several fields of different types under one name).
        public var abbrevID: Int32
        public var bitmask: UInt64
        /// `FieldInfo.bitWidth` (the container drawn in bitmask lines).
        public var bitWidth: Int32
        /// Hex digits of the value in "0x…" (`numberText`).
        public var hexDigits: Int32
        /// Index into `strings`, or -1.
        public var strings: Int32
    }

    /// Value strings with their names in the pool.
    public enum Strings {
        /// Dense table for keys below `table.count` (-1: no name) plus the rest, sorted.
        case values(dense: [Int32], keys: [UInt64], names: [Int32])
        case ranges([(lo: UInt64, hi: UInt64, name: Int32)])
        case trueFalse(Int32, Int32)
        case units(Int32, Int32)
    }

    unowned let registry: FieldRegistry
    public private(set) var entries: [Entry] = []
    public private(set) var strings: [Strings] = []
    /// Names, abbreviations and value-string names; a span index of `names` is `nameSpans`.
    public let pool = TextBuffer(capacity: 1 << 16)
    public private(set) var nameSpans: [LabelSpan] = []
    /// The date part of the last absolute time printed.
    let timeCache = AbsoluteTimeCache()

    public init(registry: FieldRegistry) {
        self.registry = registry
    }

    /// The entry of `id`, compiling fields registered since the last call.
    @inlinable
    public func entry(_ id: FieldID) -> Entry {
        let i = Int(id.raw)
        if i >= entries.count { extend() }
        return entries[i]
    }

    /// Compiles every field registered so far (before a second thread reads the table).
    public func prepare() {
        if entries.count < registry.count { extend() }
    }

    /// The bytes of a span in the pool.
    @inlinable public func bytes(_ s: LabelSpan) -> UnsafeRawBufferPointer { pool.bytes(Int(s.start), Int(s.end)) }

    /// The bytes of value-string name `n`.
    @inlinable public func name(_ n: Int32) -> UnsafeRawBufferPointer { bytes(nameSpans[Int(n)]) }

    @usableFromInline func extend() {
        let fields = registry.fields
        entries.reserveCapacity(fields.count)
        for i in entries.count..<fields.count {
            let f = fields[i]
            let name = span(f.name)
            let abbrev = span(f.abbrev)
            let ekName = span(String(f.abbrev.map { $0 == "." ? "_" : $0 }))
            let plain = f.abbrev.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5c && $0 != 0x2f }
            var s: Int32 = -1
            if let vs = f.strings {
                strings.append(compile(vs))
                s = Int32(strings.count - 1)
            }
            let digits = max(f.bitmask != 0 ? (FieldFormatter.bitsIn(f.bitmask) + 3) / 4 : f.bitWidth / 4, 1)
            entries.append(Entry(name: name, abbrev: abbrev, type: f.type, base: f.base, isProtocol: f.isProtocol,
                                 protocolID: f.protocolID, ekName: ekName, abbrevPlain: plain, abbrevID: registry.lookup(f.abbrev)?.raw ?? f.id.raw,
                                 bitmask: f.bitmask, bitWidth: Int32(f.bitWidth), hexDigits: Int32(digits),
                                 strings: s))
        }
    }

    private func span(_ s: String) -> LabelSpan {
        let start = pool.count
        pool.append(s)
        return LabelSpan(start: Int32(start), end: Int32(pool.count))
    }

    private func nameIndex(_ s: String) -> Int32 {
        nameSpans.append(span(s))
        return Int32(nameSpans.count - 1)
    }

    private func compile(_ vs: ValueStrings) -> Strings {
        switch vs {
        case .values(let d):
            var dense: [Int32] = []
            var sparse: [(UInt64, Int32)] = []
            for (k, v) in d {
                let n = nameIndex(v)
                if k < 4096 {
                    if Int(k) >= dense.count { dense += Array(repeating: -1, count: Int(k) + 1 - dense.count) }
                    dense[Int(k)] = n
                } else {
                    sparse.append((k, n))
                }
            }
            sparse.sort { $0.0 < $1.0 }
            return .values(dense: dense, keys: sparse.map(\.0), names: sparse.map(\.1))
        case .ranges(let r):
            return .ranges(r.map { ($0.lo, $0.hi, nameIndex($0.name)) })
        case .trueFalse(let t, let f):
            return .trueFalse(nameIndex(t), nameIndex(f))
        case .units(let one, let many):
            return .units(nameIndex(one), nameIndex(many))
        }
    }

    /// `ValueStrings.name(for:)`: the name index of `value`, or nil.
    public func lookup(_ strings: Int32, _ value: UInt64) -> Int32? {
        switch self.strings[Int(strings)] {
        case .values(let dense, let keys, let names):
            if value < UInt64(dense.count) {
                let n = dense[Int(value)]
                return n >= 0 ? n : nil
            }
            var lo = 0, hi = keys.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if keys[mid] < value { lo = mid + 1 } else { hi = mid }
            }
            return lo < keys.count && keys[lo] == value ? names[lo] : nil
        case .ranges(let r):
            for e in r where value >= e.lo && value <= e.hi { return e.name }
            return nil
        case .trueFalse(let t, let f):
            return value != 0 ? t : f
        case .units:
            return nil
        }
    }
}
