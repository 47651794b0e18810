#if canImport(Glibc)
import Glibc
#endif

/// `-T json` and `-T jsonraw`: one Elasticsearch-style document per packet in one JSON array,
/// laid out as tshark 4.0 prints it (epan/print.c `write_json_proto_tree`).
///
/// Every item of the tree becomes a member of its parent's object, keyed by its field
/// abbreviation (a text-only line by its text): a field's value is its display text; an item with
/// children gets an object (under `NAME_tree` when the item also has a value); protocols are
/// objects; FT_NONE items without children are `""`. tshark repeats a key when a field occurs
/// twice in one object; `--no-duplicate-keys` merges such members into an array. `-x` adds
/// `NAME_raw` arrays `[hex, offset, length, bitmask, type]`; `jsonraw` prints only those.
/// `-j`/`-J` keep only the named protocols' subtrees ("filtered" stubs for the others).
public final class JSONPrinter {
    public struct Options {
        /// `-T jsonraw`: raw values only.
        public var raw = false
        /// `-x`: add `_raw` members.
        public var hex = false
        /// `-j`/`-J`: the keys whose subtrees are printed.
        public var protocolFilter: Set<String>? = nil
        /// `-J`: below a matching key, print everything.
        public var filterIncludesChildren = false
        /// `--no-duplicate-keys`.
        public var noDuplicateKeys = false
        /// `-e`: print only these fields (and `_ws.col.*` columns), each as an array.
        public var fields: [String] = []
        public init() {}
    }

    let out: OutputStream
    let values: TreeValues
    let columns: Columns
    let options: Options
    let engine: Engine
    private let dumper: JSONDumper
    private let tree = RecordTree()
    /// Value text that needs escaping is formatted here first.
    private let scratch = TextBuffer(capacity: 1024)
    /// The key of a text-only line.
    private let keyText = TextBuffer(capacity: 256)
    private let table: FieldTextTable
    /// The filter in force (removed below a match with `-J`).
    private var filter: Set<String>?
    private let specs: [FieldSpec]

    public init(out: OutputStream, engine: Engine, formatter: FieldFormatter, columns: Columns,
                options: Options) throws(FieldsError) {
        self.out = out
        self.engine = engine
        self.values = TreeValues(formatter: formatter, engine: engine)
        self.columns = columns
        self.options = options
        self.filter = options.protocolFilter
        self.specs = try FieldSpec.parse(options.fields, registry: engine.registry)
        self.dumper = JSONDumper(pretty: true, sink: out.sink)
        self.table = engine.registry.textTable
    }

    /// The field ids `-e` needs (empty: the whole tree).
    public var wantedFields: [FieldID] { FieldSpec.wanted(specs) }

    /// Prints the opening `[`.
    public func printPreamble() {
        dumper.beginArray()
        flush()
    }

    /// Prints the closing `]`.
    public func printFinale() {
        dumper.endArray()
        dumper.finish()
        flush()
    }

    private func flush() { out.commit() }

    public func print(_ ctx: PacketContext) {
        dumper.beginObject()
        dumper.member("_index")
        dumper.string(indexName(ctx))
        dumper.member("_type")
        dumper.string("doc")
        dumper.member("_score")
        dumper.raw("null")
        dumper.member("_source")
        dumper.beginObject()
        dumper.member("layers")
        if specs.isEmpty {
            tree.build(ctx)
            filter = options.protocolFilter
            writeObject(ofChildrenOf: nil, ctx)
        } else {
            FieldSpec.writeJSON(specs, ctx, values.formatter, columns, dumper, arrays: true)
        }
        dumper.endObject()
        dumper.endObject()
        flush()
    }

    private var lastIndex: (seconds: Int64, name: String)? = nil

    /// `indexName` of the packet, kept for the packets of the same second.
    func indexName(_ ctx: PacketContext) -> String {
        let secs = ctx.frame.hasTimestamp ? ctx.frame.timestamp.seconds : 0
        if let l = lastIndex, l.seconds == secs { return l.name }
        let name = Self.indexName(ctx)
        lastIndex = (secs, name)
        return name
    }

    /// "packets-YYYY-MM-DD" from the packet's local date (tshark's Elasticsearch index name).
    static func indexName(_ ctx: PacketContext) -> String {
        var secs = time_t(ctx.frame.hasTimestamp ? ctx.frame.timestamp.seconds : 0)
        var tmv = tm()
        guard localtime_r(&secs, &tmv) != nil else { return "packets-XXXX-XX-XX" }
        func p2(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = Int(tmv.tm_year) + 1900
        var y = String(year)
        if year >= 0 && year < 1000 { y = String(repeating: "0", count: 4 - y.count) + y }
        return "packets-\(y)-\(p2(tmv.tm_mon + 1))-\(p2(tmv.tm_mday))"
    }

    // MARK: the tree

    /// The JSON key of an item: its abbreviation, or its text for a text-only line.
    private func key(_ n: NodeInfo, _ ctx: PacketContext) -> String {
        if n.field == .textOnly, case .record(let i) = n.node {
            return ctx.replacementLabel(tree.records[Int(i)]) ?? ""
        }
        return n.info.abbrev
    }

    /// The key's bytes (no String).
    private func keyBytes(_ n: NodeInfo, _ ctx: PacketContext) -> UnsafeRawBufferPointer {
        if n.field == .textOnly, case .record(let i) = n.node {
            keyText.removeAll()
            ctx.writeReplacementLabel(tree.records[Int(i)], to: keyText)
            return keyText.bytes
        }
        return table.bytes(n.entry.abbrev)
    }

    private func member(_ n: NodeInfo, _ ctx: PacketContext, suffix: StaticString = "") {
        let s = UnsafeRawBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        if n.field != .textOnly && n.entry.abbrevPlain {
            dumper.memberPlain(table.bytes(n.entry.abbrev), s)
        } else {
            dumper.member(keyBytes(n, ctx), s)
        }
    }

    /// `{ member… }` for the children of `parent` (nil: the top level).
    private func writeObject(ofChildrenOf parent: RecordTree.Node?, _ ctx: PacketContext) {
        dumper.beginObject()
        if options.noDuplicateKeys {
            var groups: [[NodeInfo]] = []
            var byKey: [String: Int] = [:]
            forEachChild(parent) { node in
                let n = tree.describe(node, engine: engine)
                let k = key(n, ctx)
                if let g = byKey[k] { groups[g].append(n) } else {
                    byKey[k] = groups.count
                    groups.append([n])
                }
            }
            for g in groups { writeGroup(g, ctx) }
        } else {
            forEachChild(parent) { node in writeOne(tree.describe(node, engine: engine), ctx) }
        }
        dumper.endObject()
    }

    private func forEachChild(_ parent: RecordTree.Node?, _ body: (RecordTree.Node) -> Void) {
        if let p = parent { tree.forEachChild(of: p, body) } else { tree.forEachRoot(body) }
    }

    /// The members for one key (one item, or several with `--no-duplicate-keys`).
    private func writeGroup<G: Collection>(_ group: G, _ ctx: PacketContext) where G.Element == NodeInfo {
        let first = group.first!
        let isFiltered = filter != nil && !filter!.contains(key(first, ctx))
        let hasValue = values.hasValue(first)
        let hasChildren = group.contains { tree.hasChildren($0.node) }
        let isText = first.field == .textOnly
        let printText = !options.raw
        let printHex = options.hex || options.raw

        if printHex && (!printText || first.length > 0) && !isText {
            member(first, ctx, suffix: "_raw")
            list(group) { writeRaw($0, ctx) }
        }
        if printText && hasValue {
            member(first, ctx)
            list(group) { n in writeValue(n, ctx) }
        }
        if hasChildren {
            if hasValue { member(first, ctx, suffix: "_tree") } else { member(first, ctx) }
            if isFiltered {
                list(group) { _ in
                    dumper.beginObject()
                    dumper.member("filtered")
                    dumper.string(key(first, ctx))
                    dumper.endObject()
                }
            } else {
                let saved = filter
                if options.filterIncludesChildren { filter = nil }
                list(group) { n in
                    if tree.hasChildren(n.node) {
                        writeObject(ofChildrenOf: n.node, ctx)
                    } else {
                        writeNoValue(n, ctx)
                    }
                }
                filter = saved
            }
        }
        if !hasValue && !hasChildren && (printText || (printHex && isText)) {
            member(first, ctx)
            list(group) { writeNoValue($0, ctx) }
        }
    }

    /// `writeGroup` for a group of one item (every item without `--no-duplicate-keys`): the
    /// same members in the same order, without the generic group and its closures.
    private func writeOne(_ n: NodeInfo, _ ctx: PacketContext) {
        let hasValue = values.hasValue(n)
        let hasChildren = tree.hasChildren(n.node)
        let isText = n.field == .textOnly
        let printText = !options.raw
        let printHex = options.hex || options.raw
        if printHex && (!printText || n.length > 0) && !isText {
            member(n, ctx, suffix: "_raw")
            writeRaw(n, ctx)
        }
        if printText && hasValue {
            member(n, ctx)
            writeValue(n, ctx)
        }
        if hasChildren {
            if hasValue { member(n, ctx, suffix: "_tree") } else { member(n, ctx) }
            if filter != nil && !filter!.contains(key(n, ctx)) {
                dumper.beginObject()
                dumper.member("filtered")
                dumper.string(key(n, ctx))
                dumper.endObject()
            } else if options.filterIncludesChildren && filter != nil {
                let saved = filter
                filter = nil
                writeObject(ofChildrenOf: n.node, ctx)
                filter = saved
            } else {
                writeObject(ofChildrenOf: n.node, ctx)
            }
        }
        if !hasValue && !hasChildren && (printText || (printHex && isText)) {
            member(n, ctx)
            writeNoValue(n, ctx)
        }
    }

    /// The value text: straight into the output when it needs no escaping.
    private func writeValue(_ n: NodeInfo, _ ctx: PacketContext) {
        switch values.valueKind(n) {
        case .plain:
            dumper.beginString()
            values.appendValue(n, tree, ctx, to: out.sink)
            dumper.endString()
        case .text, .none:
            scratch.removeAll()
            values.appendValue(n, tree, ctx, to: scratch)
            dumper.string(scratch.bytes)
        }
    }

    /// One value, or an array of them when several items share the key.
    private func list<G: Collection>(_ group: G, _ body: (NodeInfo) -> Void) where G.Element == NodeInfo {
        if group.count == 1 {
            body(group.first!)
        } else {
            dumper.beginArray()
            for n in group { body(n) }
            dumper.endArray()
        }
    }

    /// A protocol without children shows its line text; anything else `""`.
    private func writeNoValue(_ n: NodeInfo, _ ctx: PacketContext) {
        if n.entry.isProtocol {
            dumper.string(values.label(n, tree, ctx))
        } else {
            dumper.string("")
        }
    }

    /// `[hex, offset, length, bitmask, type]`; a bitmask field's hex is its value in upper case.
    private func writeRaw(_ n: NodeInfo, _ ctx: PacketContext) {
        dumper.beginArray()
        if let masked = values.maskedValueHex(n) {
            dumper.string(masked)
        } else {
            switch values.rawHex(n, ctx) {
            case .hex(let h): dumper.string(h)
            case .invalid: dumper.string("field length invalid!")
            case .missing: break
            }
        }
        dumper.number(Int64(n.offset))
        dumper.number(Int64(n.length))
        dumper.number(n.entry.bitmask)
        dumper.number(Int64(n.ftenum))
        dumper.endArray()
    }
}

/// One `-e` argument: a field or a `_ws.col.*` column.
enum FieldSpec {
    case field(FieldID, name: String)
    case column(String)

    var name: String {
        switch self {
        case .field(_, let n): return n
        case .column(let n): return n
        }
    }

    static func parse(_ names: [String], registry: FieldRegistry) throws(FieldsError) -> [FieldSpec] {
        var specs: [FieldSpec] = []
        var bad: [String] = []
        for f in names {
            if f.hasPrefix("_ws.col.") {
                specs.append(.column(f))
            } else if let id = registry.lookup(f) {
                specs.append(.field(id, name: f))
            } else {
                bad.append(f)
            }
        }
        if !bad.isEmpty { throw FieldsError(invalid: bad) }
        return specs
    }

    static func wanted(_ specs: [FieldSpec]) -> [FieldID] {
        specs.compactMap { if case .field(let id, _) = $0 { return id } else { return nil } }
    }

    /// The values of one spec, in tree order (tshark's `-T fields` texts).
    static func values(_ spec: FieldSpec, _ ctx: PacketContext, _ formatter: FieldFormatter,
                       _ columns: Columns) -> [String] {
        switch spec {
        case .column(let name):
            guard let v = columns.column(named: name, ctx) else { return [] }
            return [v]
        case .field(let id, _):
            var out: [String] = []
            for r in ctx.tree.records where r.field == id {
                out.append(formatter.fieldValue(r, ctx))
            }
            return out
        }
    }

    /// `"name": ["v", …]` for every spec that has values (tshark's `write_specified_fields`).
    static func writeJSON(_ specs: [FieldSpec], _ ctx: PacketContext, _ formatter: FieldFormatter,
                          _ columns: Columns, _ d: JSONDumper, arrays: Bool) {
        if arrays { d.beginObject() }
        for spec in specs {
            let vs = values(spec, ctx, formatter, columns)
            guard !vs.isEmpty else { continue }
            d.member(spec.name)
            d.beginArray()
            for v in vs { d.string(v) }
            d.endArray()
        }
        if arrays { d.endObject() }
    }
}
