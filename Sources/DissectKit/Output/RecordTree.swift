/// A packet's flat record array seen as tshark's proto_tree, for the structured printers
/// (`-T json/jsonraw/ek/pdml`): child lists built once per packet into reused buffers, and
/// expert infos expanded into the subtree tshark builds for them.
///
/// tshark adds an expert info as a `_ws.expert` protocol item holding the expert field (its line
/// text is the message), a hidden `_ws.expert.message`, `_ws.expert.severity` and
/// `_ws.expert.group`. Our tree keeps one record per expert info; `TreeNode` kinds other than
/// `.record` are those virtual items, so every printer walks the same shape tshark prints.
public final class RecordTree {
    /// One item of the tree: a record, or one of the virtual items of an expert record.
    @frozen
    public enum Node: Equatable {
        case record(Int32)
        /// `_ws.expert` around expert record `i`.
        case expertInfo(Int32)
        /// The expert field itself (`tcp.connection.syn`), with the record's children.
        case expertField(Int32)
        case expertMessage(Int32)
        case expertSeverity(Int32)
        case expertGroup(Int32)

        @inlinable var index: Int32 {
            switch self {
            case .record(let i), .expertInfo(let i), .expertField(let i), .expertMessage(let i),
                 .expertSeverity(let i), .expertGroup(let i):
                return i
            }
        }
    }

    public private(set) var records: [FieldRecord] = []
    /// First child / next sibling per record; index `count` is the (virtual) root.
    /// First child / next sibling / last child links in one reused allocation (see `build`).
    private var links: UnsafeMutablePointer<Int32> = .allocate(capacity: 3 * 512)
    private var linksCapacity = 3 * 512
    private var firstChild: UnsafeMutablePointer<Int32>
    private var nextSibling: UnsafeMutablePointer<Int32>

    public init() {
        firstChild = links
        nextSibling = links
        links.update(repeating: -1, count: 3)
    }

    deinit { links.deallocate() }

    /// The registry's printing table (set by `build`).
    private(set) var table: FieldTextTable?

    /// Indexes `ctx`'s records.
    public func build(_ ctx: PacketContext) {
        if table == nil { table = ctx.registry.textTable }
        records = ctx.tree.records
        let n = records.count
        if 3 * (n + 1) > linksCapacity {
            links.deallocate()
            linksCapacity = 3 * (n + 1) * 2
            links = .allocate(capacity: linksCapacity)
        }
        links.update(repeating: -1, count: 3 * (n + 1))
        firstChild = links
        nextSibling = links + (n + 1)
        let lastChild = links + 2 * (n + 1)
        records.withUnsafeBufferPointer { r in
            for i in 0..<n {
                var p = Int(r[i].parent)
                if p < 0 || p >= i { p = n } // a parent always precedes its children
                let last = lastChild[p]
                if last < 0 { firstChild[p] = Int32(truncatingIfNeeded: i) } else { nextSibling[Int(last)] = Int32(truncatingIfNeeded: i) }
                lastChild[p] = Int32(truncatingIfNeeded: i)
            }
        }
    }

    @inlinable public func record(_ node: Node) -> FieldRecord { records[Int(node.index)] }

    /// True for an expert record (shown as a `_ws.expert` subtree).
    @inlinable func isExpert(_ i: Int32) -> Bool { records[Int(i)].flags.contains(.expert) }

    /// The top-level items, in order.
    public func forEachRoot(_ body: (Node) -> Void) {
        var c = firstChild[records.count]
        while c >= 0 {
            body(isExpert(c) ? .expertInfo(c) : .record(c))
            c = nextSibling[Int(c)]
        }
    }

    /// The children of `node`, in order.
    public func forEachChild(of node: Node, _ body: (Node) -> Void) {
        switch node {
        case .record(let i), .expertField(let i):
            var c = firstChild[Int(i)]
            while c >= 0 {
                body(isExpert(c) ? .expertInfo(c) : .record(c))
                c = nextSibling[Int(c)]
            }
        case .expertInfo(let i):
            body(.expertField(i))
            body(.expertMessage(i))
            body(.expertSeverity(i))
            body(.expertGroup(i))
        case .expertMessage, .expertSeverity, .expertGroup:
            break
        }
    }

    /// The children of `node` as an array (for printers that group them).
    public func children(of node: Node) -> [Node] {
        var out: [Node] = []
        forEachChild(of: node) { out.append($0) }
        return out
    }

    public func hasChildren(_ node: Node) -> Bool {
        switch node {
        case .record(let i), .expertField(let i): return firstChild[Int(i)] >= 0
        case .expertInfo: return true
        default: return false
        }
    }

    /// The parent item of `node`, or nil at the top.
    public func parent(of node: Node) -> Node? {
        switch node {
        case .record(let i), .expertInfo(let i):
            let p = records[Int(i)].parent
            guard p >= 0 && p < i else { return nil }
            return isExpert(p) ? .expertField(p) : .record(p)
        case .expertField(let i), .expertMessage(let i), .expertSeverity(let i), .expertGroup(let i):
            return .expertInfo(i)
        }
    }
}

/// What the structured printers need to know about one tree item: its field, its place in the
/// bytes, its line text and its value, with tshark's rules for each type.
struct NodeInfo {
    let field: FieldID
    /// The field's printing entry (no `String`s: cheap to copy).
    let entry: FieldTextTable.Entry
    unowned(unsafe) let registry: FieldRegistry
    /// The field's registry entry (slow: copies its strings).
    var info: FieldInfo { registry[field] }
    /// Offset and length in data source `source` (tshark's `fi->start`, `fi->length`).
    let offset: Int
    let length: Int
    let source: Int
    let hidden: Bool
    let generated: Bool
    /// The value, when the item has one (`nil` for protocols, FT_NONE and text-only lines).
    let value: FieldValue?
    /// For expert items: the expert record.
    let expertRecord: Int32?
    /// The kind of virtual item.
    let node: RecordTree.Node
}

extension RecordTree {
    /// Describes `node` against `registry` (expert fields come from the engine's core fields).
    func describe(_ node: RecordTree.Node, engine: Engine) -> NodeInfo {
        let reg = engine.registry
        let table = self.table ?? reg.textTable
        let r = records[Int(node.index)]
        func make(_ field: FieldID, offset: Int, length: Int, value: FieldValue?, hidden: Bool = false,
                  generated: Bool = false) -> NodeInfo {
            NodeInfo(field: field, entry: table.entry(field), registry: reg, offset: offset, length: length,
                     source: Int(r.source), hidden: hidden, generated: generated, value: value,
                     expertRecord: node.index, node: node)
        }
        switch node {
        case .record:
            let info = table.entry(r.field)
            var value: FieldValue? = r.value
            if info.type == .none || r.field == .textOnly { value = nil }
            switch r.value {
            case .none: value = nil
            // A protocol item holding its bytes is tshark's protocol "in name only" with FT_BYTES
            // values (the TCP options): it prints like a byte field.
            case .bytes, .blob: break
            default: if info.isProtocol { value = nil }
            }
            return NodeInfo(field: r.field, entry: info, registry: reg, offset: Int(r.offset), length: Int(r.length),
                            source: Int(r.source), hidden: r.flags.contains(.hidden),
                            generated: r.flags.contains(.generated), value: value, expertRecord: nil, node: node)
        case .expertInfo:
            // tshark adds `_ws.expert` with no bytes.
            return make(engine.core.expert, offset: 0, length: 0, value: nil)
        case .expertField:
            return make(r.field, offset: Int(r.offset), length: Int(r.length), value: nil)
        case .expertMessage:
            return make(engine.core.expertMessage, offset: 0, length: 0, value: .none, hidden: true)
        case .expertSeverity:
            let sev = reg.expert(r.field)?.severity.filterValue ?? 0
            return make(engine.core.expertSeverity, offset: 0, length: 0, value: .uint(sev))
        case .expertGroup:
            let group = UInt64(reg.expert(r.field)?.group.rawValue ?? 0)
            return make(engine.core.expertGroup, offset: 0, length: 0, value: .uint(group))
        }
    }

    /// The expert message of expert record `i`, written into `b`.
    func writeExpertMessage(_ i: Int32, _ ctx: PacketContext, to b: TextBuffer) {
        let r = records[Int(i)]
        if let l = ctx.tree.label(r) { b.append(l) } else { b.append(ctx.registry.expert(r.field)?.summary ?? "") }
    }

    /// The expert message of expert record `i`.
    func expertMessage(_ i: Int32, _ ctx: PacketContext) -> String {
        let r = records[Int(i)]
        if let l = ctx.tree.labelString(r) { return l }
        return ctx.registry.expert(r.field)?.summary ?? ""
    }
}
