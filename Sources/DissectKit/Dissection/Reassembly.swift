/// One piece of a reassembled PDU: the frame it came in and where it sits in the PDU.
public struct ReassembledPart: Sendable {
    public var frame: UInt32
    public var offset: Int
    public var length: Int
    /// The piece repeats bytes another piece brought ("[Segment overlap: True]").
    public var overlap: Bool
    /// The repeated bytes differ from the ones kept ("[Conflicting data in segment overlap:
    /// True]"; the piece is then listed as the protocol's error field, tshark's FD_OVERLAPCONFLICT).
    public var conflict: Bool
    public init(frame: UInt32, offset: Int, length: Int, overlap: Bool = false, conflict: Bool = false) {
        self.frame = frame
        self.offset = offset
        self.length = length
        self.overlap = overlap
        self.conflict = conflict
    }
}

/// The fields a protocol shows a reassembled PDU with (tshark's `fragment_items`): the summary
/// item ("[2 IPv4 Fragments (3000 bytes): #1(1480), #2(1520)]", "[3 Reassembled TCP Segments
/// (…)]"), one item per piece, the count, the length and the data. Any reassembling plugin
/// (IP, TCP, a third party's own transport) shows its PDUs the same way through this.
public struct ReassemblyFields: Sendable {
    public var parts: FieldID
    public var part: FieldID
    public var count: FieldID
    public var length: FieldID
    public var data: FieldID
    /// `ip.fragment.overlap` / `tcp.segment.overlap` under a piece that repeats bytes.
    public var overlap: FieldID
    /// `tcp.segment.overlap.conflict` under a piece whose repeated bytes differ, and
    /// `tcp.segment.error`, the field such a piece is listed with (`.textOnly`: not shown).
    public var conflict: FieldID = .textOnly
    public var error: FieldID = .textOnly
    /// Words after the count in the summary line: "IPv4 Fragments", "Reassembled TCP Segments".
    public var title: String
    /// Whether the summary item's value is the PDU (`ip.fragments` is FT_BYTES, `tcp.segments` FT_NONE).
    public var partsHoldBytes: Bool

    public init(parts: FieldID = .textOnly, part: FieldID = .textOnly, count: FieldID = .textOnly,
                length: FieldID = .textOnly, data: FieldID = .textOnly, overlap: FieldID = .textOnly, title: String = "",
                partsHoldBytes: Bool = false) {
        self.parts = parts
        self.part = part
        self.count = count
        self.length = length
        self.data = data
        self.overlap = overlap
        self.title = title
        self.partsHoldBytes = partsHoldBytes
    }
}

extension Registrar {
    /// Declares where a protocol's reassembled PDUs show: `fields.parts` is then a level of the
    /// protocol hierarchy (`-z io,phs`) when it is a top-level item, as in tshark.
    public func registerReassembly(_ fields: ReassemblyFields) {
        engine.registry.hierarchyItems.insert(fields.parts)
    }
}

extension PacketContext {
    /// Publishes `bytes` as a new data source of this packet ("Reassembled TCP", "Decrypted
    /// TLS"…) and returns a view of it; records on the view point into that source (`-x`
    /// prints it after the frame).
    public mutating func addDataSource(_ name: String, _ bytes: [UInt8]) -> ByteView {
        let index = sources.extra.count + 1
        sources.extra.append(DataSources.Source(name: name, bytes: bytes))
        return ByteView(sources.bytes(index), source: index)
    }

    /// Adds the reassembly summary of `view` (a reassembled PDU made of `parts`) under `parent`
    /// as tshark does: "[N title (L bytes): #f(len), …]" with a "[Frame: f, payload: a-b (n
    /// bytes)]" line per part (in offset order, arrival order among equals), the count, the
    /// length and the data. Returns the summary node.
    @discardableResult
    public mutating func addReassembly(_ f: ReassemblyFields, parts: [ReassembledPart], _ view: ByteView,
                                       parent: TreeNode) -> TreeNode {
        let total = view.count
        let parts = parts.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }
            .map(\.element)
        let top = addGenerated(f.parts, f.partsHoldBytes ? .bytes : .none, parent: parent, at: view, 0, total)
        if buildsFullTree {
            var text = "\(parts.count) \(f.title) (\(total) bytes): "
            text += parts.map { "#\($0.frame)(\($0.length))" }.joined(separator: ", ")
            // tshark appends to a label of at most ITEM_LABEL_LENGTH - 1 bytes: the list is cut
            // there (19 segments of 730 bytes fill it). The text is ASCII.
            let limit = TextBuffer.itemLabelLength - 1
            if text.utf8.count > limit { text = String(decoding: text.utf8.prefix(limit), as: UTF8.self) }
            setLabel(top, text)
        }
        for p in parts {
            let bad = p.conflict && f.error != .textOnly
            let n = addGenerated(bad ? f.error : f.part, .uint(UInt64(p.frame)), parent: top)
            if buildsFullTree {
                setLabel(n, "Frame: \(p.frame), payload: \(p.offset)-\(p.offset + p.length - 1) (\(p.length) byte\(p.length == 1 ? "" : "s"))")
            }
            if p.overlap { addGenerated(f.overlap, .bool(true), parent: n) }
            if p.conflict && f.conflict != .textOnly { addGenerated(f.conflict, .bool(true), parent: n) }
        }
        addGenerated(f.count, .uint(UInt64(parts.count)), parent: top)
        addGenerated(f.length, .uint(UInt64(total)), parent: top)
        addGenerated(f.data, .bytes, parent: top, at: view, 0, total)
        return top
    }
}
