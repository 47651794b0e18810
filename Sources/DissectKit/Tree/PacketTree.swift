/// Which fields the run needs. Decided once before the first packet from the filter, the
/// columns and the output mode; dissectors consult it only through `PacketContext.add`.
public struct Interest: Sendable {
    /// Build every record (`-V`, `-T json/pdml`, …).
    public var all: Bool
    /// Field ids wanted when `all` is false.
    public var wanted: [Bool]

    public init(all: Bool, registryCount: Int) {
        self.all = all
        self.wanted = Array(repeating: false, count: registryCount)
    }

    public static func everything(_ registry: FieldRegistry) -> Interest { Interest(all: true, registryCount: registry.count) }
    public static func nothing(_ registry: FieldRegistry) -> Interest { Interest(all: false, registryCount: registry.count) }

    public mutating func want(_ id: FieldID) {
        if Int(id.raw) < wanted.count {
            wanted[Int(id.raw)] = true
            anyWanted = true
        }
    }

    @usableFromInline var anyWanted = false

    /// True when no record at all is needed (O(1): checked per packet).
    @inlinable public var isEmpty: Bool { !all && !anyWanted }
}

/// The flat record array of one packet plus its text pools. Reused from packet to packet:
/// after warm-up, building a tree allocates nothing but the `String`s a dissector asks for.
public final class PacketTree: @unchecked Sendable {
    public var records: [FieldRecord] = []
    /// Computed string values (`FieldValue.text`).
    public var texts: [String] = []
    public var blobs: [[UInt8]] = []
    /// Label texts (set, appended, expert messages), UTF-8, one after the other; a record's
    /// `label` indexes `labelSpans`. Bytes, not `String`s: a label costs no allocation.
    public let labelBytes = TextBuffer(capacity: 8192)
    public var labelSpans: [LabelSpan] = []
    public var interest: Interest
    /// True when every record is built.
    public let full: Bool

    public init(interest: Interest) {
        self.interest = interest
        self.full = interest.all
        records.reserveCapacity(256)
        labelSpans.reserveCapacity(64)
    }

    @inlinable
    public func reset() {
        records.removeAll(keepingCapacity: true)
        if !movedBlocks.isEmpty { movedBlocks.removeAll(keepingCapacity: true) }
        if !texts.isEmpty { texts.removeAll(keepingCapacity: true) }
        if !blobs.isEmpty { blobs.removeAll(keepingCapacity: true) }
        if !labelSpans.isEmpty {
            labelSpans.removeAll(keepingCapacity: true)
            labelBytes.removeAll()
        }
    }

    @inlinable
    public func wants(_ id: FieldID) -> Bool {
        full || interest.wanted[Int(id.raw)]
    }

    /// Indices of the children of `index`, in order (for printers; not on the hot path).
    public func children(of index: Int32) -> [Int] {
        var out: [Int] = []
        for (i, r) in records.enumerated() where r.parent == index { out.append(i) }
        return out
    }

    /// First record of a field, if any.
    public func first(_ id: FieldID) -> FieldRecord? {
        records.first { $0.field == id }
    }

    /// Blocks `moveTail` moved, for consumers that need the order in which records were
    /// added (tshark's `-z io,phs` counts a moved item where it was added).
    public struct MovedBlock: Sendable {
        /// The moved records are now `start..<end`…
        public var start: Int32
        public var end: Int32
        /// …and were added after every record now below `originalAfter`.
        public var originalAfter: Int32
    }
    public var movedBlocks: [MovedBlock] = []

    /// Moves the records from `from` to the end so they start at `to` (≤ `from`), shifting the
    /// ones in between after them and fixing every parent index (tshark's
    /// `proto_tree_move_item`). TCP uses it to show "[Reassembled TCP Segments]" before the
    /// protocol that dissected them, though it knows the PDU was whole only after the call.
    /// Labels are untouched: they are indexed by record, not by position.
    public func moveTail(from: Int, to: Int) {
        let n = records.count
        guard to >= 0, to < from, from < n else { return }
        movedBlocks.append(MovedBlock(start: Int32(to), end: Int32(to + n - from), originalAfter: Int32(n)))
        let displaced = Int32(from - to), moved = Int32(n - from)
        let tail = Array(records[from..<n])
        records.removeSubrange(from..<n)
        records.insert(contentsOf: tail, at: to)
        let lo = Int32(to), mid = Int32(from)
        for i in to..<n {
            let p = records[i].parent
            if p >= mid { records[i].parent = p - displaced } else if p >= lo { records[i].parent = p + moved }
        }
    }

    // MARK: labels

    /// The label bytes of `r` (its replacement text, appendix or expert message), or nil.
    /// Valid until the next label is written.
    @inlinable
    public func label(_ r: FieldRecord) -> UnsafeRawBufferPointer? {
        let i = Int(r.label)
        guard i >= 0 && i < labelSpans.count else { return nil }
        let s = labelSpans[i]
        return labelBytes.bytes(Int(s.start), Int(s.end))
    }

    /// The label of `r` as a String, or nil.
    public func labelString(_ r: FieldRecord) -> String? {
        guard let b = label(r) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }

    /// Starts a label: returns its span index; write into `labelBytes`, then `endLabel`.
    @inlinable
    public func beginLabel() -> Int32 {
        labelSpans.append(LabelSpan(start: Int32(truncatingIfNeeded: labelBytes.count),
                                    end: Int32(truncatingIfNeeded: labelBytes.count)))
        return Int32(truncatingIfNeeded: labelSpans.count - 1)
    }

    @inlinable
    public func endLabel(_ span: Int32) {
        labelSpans[Int(span)].end = Int32(truncatingIfNeeded: labelBytes.count)
    }

    /// Reopens label `span` for appending: moves it to the end of the pool unless it is there.
    @inlinable
    public func reopenLabel(_ span: Int32) {
        let s = labelSpans[Int(span)]
        if Int(s.end) == labelBytes.count { return }
        let start = labelBytes.count
        labelBytes.appendOwn(Int(s.start), Int(s.end))
        labelSpans[Int(span)] = LabelSpan(start: Int32(truncatingIfNeeded: start),
                                          end: Int32(truncatingIfNeeded: labelBytes.count))
    }
}

/// Where one label's bytes sit in `PacketTree.labelBytes`.
@frozen
public struct LabelSpan: Sendable {
    public var start: Int32
    public var end: Int32
    @inlinable public init(start: Int32, end: Int32) {
        self.start = start
        self.end = end
    }
}
