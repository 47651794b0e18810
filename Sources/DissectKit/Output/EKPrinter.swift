/// `-T ek`: two lines per packet in the layout Elasticsearch's bulk API takes, as tshark 4.0
/// prints them (epan/print.c `write_ek_proto_tree`):
///
///     {"index":{"_index":"packets-YYYY-MM-DD","_type":"doc"}}
///     {"timestamp":"<ms since the epoch>",[columns with -P,]"layers":{…}}
///
/// Each protocol is an object whose members are all the fields below it, flattened, named
/// `PROTO_FIELD` with dots turned into underscores (`ip_ip_src`). Fields of one parent that share a
/// name become one array. Booleans are `true`/`false`, FT_NONE items `null`, absolute times ISO 8601
/// in UTC; `-x` adds `NAME_raw` hex values.
public final class EKPrinter {
    public struct Options {
        /// `-x`.
        public var hex = false
        /// `-P`: the packet-list columns as members.
        public var summary = false
        /// Print the tree (`-V`, or no `-P`).
        public var details = true
        public var protocolFilter: Set<String>? = nil
        public var filterIncludesChildren = false
        /// `-e`.
        public var fields: [String] = []
        /// `--no-duplicate-keys` (ours: tshark 4.0 refuses it with `-T ek`): fields of one
        /// flattened protocol object that share a name become one array even when they sit under
        /// different parents, so the document has no repeated key (strict JSON parsers, Elasticsearch's
        /// duplicate detection and `json.loads` would otherwise reject it or keep only the last value).
        public var noDuplicateKeys = false
        public init() {}
    }

    let out: OutputStream
    let values: TreeValues
    let columns: Columns
    let options: Options
    let engine: Engine
    private let dumper: JSONDumper
    private let tree = RecordTree()
    private let valueText = TextBuffer(capacity: 1024)
    private let table: FieldTextTable
    /// The JSON index name of the last second printed.
    private var lastIndex: (seconds: Int64, name: String)? = nil
    private var filter: Set<String>?
    private let specs: [FieldSpec]

    public init(out: OutputStream, engine: Engine, formatter: FieldFormatter, columns: Columns,
                options: Options) throws(FieldsError) {
        self.out = out
        self.engine = engine
        self.values = TreeValues(formatter: formatter, engine: engine)
        self.columns = columns
        self.options = options
        self.specs = try FieldSpec.parse(options.fields, registry: engine.registry)
        self.dumper = JSONDumper(pretty: false, dotToUnderscore: true, sink: out.sink)
        self.table = engine.registry.textTable
    }

    public var wantedFields: [FieldID] { FieldSpec.wanted(specs) }

    /// Column titles and their `_ws.col.*` names, in the default packet-list order.
    static let summaryColumns: [(title: String, name: String)] = [
        ("no.", "_ws.col.No."), ("time", "_ws.col.Time"), ("source", "_ws.col.Source"),
        ("destination", "_ws.col.Destination"), ("protocol", "_ws.col.Protocol"), ("length", "_ws.col.Length"),
        ("info", "_ws.col.Info"),
    ]

    public func print(_ ctx: PacketContext) {
        dumper.beginObject()
        dumper.member("index")
        dumper.beginObject()
        dumper.member("_index")
        let secs = ctx.frame.hasTimestamp ? ctx.frame.timestamp.seconds : 0
        if lastIndex?.seconds != secs { lastIndex = (secs, JSONPrinter.indexName(ctx)) }
        dumper.string(lastIndex!.name)
        dumper.member("_type")
        dumper.string("doc")
        dumper.endObject()
        dumper.endObject()
        dumper.finish()

        dumper.beginObject()
        dumper.member("timestamp")
        let ts = ctx.frame.hasTimestamp ? ctx.frame.timestamp : .zero
        dumper.beginString()
        out.sink.appendDecimal(UInt64(bitPattern: ts.seconds))
        let ms = Int(ts.nanoseconds / 1_000_000)
        out.sink.append(0x30 &+ UInt8(truncatingIfNeeded: ms / 100), 0x30 &+ UInt8(truncatingIfNeeded: ms / 10 % 10))
        out.sink.append(0x30 &+ UInt8(truncatingIfNeeded: ms % 10))
        dumper.endString()
        if options.summary {
            for c in Self.summaryColumns {
                dumper.member(c.title)
                dumper.string(columns.column(named: c.name, ctx) ?? "")
            }
        }
        if options.details {
            dumper.member("layers")
            dumper.beginObject()
            if specs.isEmpty {
                tree.build(ctx)
                filter = options.protocolFilter
                writeNode(nil, ctx)
            } else {
                FieldSpec.writeJSON(specs, ctx, values.formatter, columns, dumper, arrays: false)
            }
            dumper.endObject()
        }
        dumper.endObject()
        dumper.finish()
        out.commit()
    }

    // MARK: the tree

    private func isProtocolType(_ n: NodeInfo) -> Bool { n.entry.isProtocol && !n.isBytesProtocol }

    /// tshark's `ek_check_protocolfilter`: the abbreviation as is or with `_` for `.`.
    private func passes(_ abbrev: String) -> Bool {
        guard let f = filter else { return true }
        if f.contains(abbrev) { return true }
        return f.contains(String(abbrev.map { $0 == "." ? "_" : $0 }))
    }

    /// The members for the subtree below `node` (nil: the top level).
    private func writeNode(_ node: RecordTree.Node?, _ ctx: PacketContext) {
        var nodes: [RecordTree.Node] = []
        var keys: [UInt64] = []
        nodes.reserveCapacity(64)
        keys.reserveCapacity(64)
        collect(node, &nodes, &keys)
        // Groups in order of first appearance; `next` chains the items of one group.
        let count = nodes.count
        var next = [Int32](repeating: -1, count: count)
        var firsts: [Int32] = []
        groups.reset(capacityFor: count)
        for i in 0..<count {
            let (g, inserted) = groups.findOrInsert(keys[i], Int32(i))
            if inserted {
                firsts.append(Int32(i))
            } else {
                next[Int(groups.last(g))] = Int32(i)
                groups.setLast(g, Int32(i))
            }
        }
        for f in firsts {
            if next[Int(f)] < 0 {
                writeAttribute(CollectionOfOne(tree.describe(nodes[Int(f)], engine: engine)), ctx)
            } else {
                var group: [NodeInfo] = []
                var i = f
                while i >= 0 {
                    group.append(tree.describe(nodes[Int(i)], engine: engine))
                    i = next[Int(i)]
                }
                writeAttribute(group, ctx)
            }
        }
    }

    /// Reused by `writeNode` (filled and read before it recurses).
    private let groups = GroupTable()

    /// tshark's `ek_fill_attr`: the descendants of `node` down to (not into) protocols, grouped
    /// by their tree parent's and their own abbreviation (`key`: the two abbreviation ids, the
    /// parent's all ones at the top level; with `--no-duplicate-keys` the item's alone).
    private func collect(_ node: RecordTree.Node?, _ nodes: inout [RecordTree.Node], _ keys: inout [UInt64]) {
        let parentKey: UInt64 = node.map { UInt64(UInt32(bitPattern: tree.describe($0, engine: engine).entry.abbrevID)) << 32 }
            ?? 0xffff_ffff_0000_0000
        let each: (RecordTree.Node) -> Void = { child in
            let n = self.tree.describe(child, engine: self.engine)
            let own = UInt64(UInt32(bitPattern: n.entry.abbrevID))
            keys.append(self.options.noDuplicateKeys ? own : parentKey | own)
            nodes.append(child)
            if !self.isProtocolType(n) && self.tree.hasChildren(child) {
                if self.filter != nil {
                    if self.passes(n.info.abbrev) {
                        let saved = self.filter
                        if self.options.filterIncludesChildren { self.filter = nil }
                        self.collect(child, &nodes, &keys)
                        self.filter = saved
                    }
                } else {
                    self.collect(child, &nodes, &keys)
                }
            }
        }
        if let node { tree.forEachChild(of: node, each) } else { tree.forEachRoot(each) }
    }

    /// `PROTO_FIELD` (dots become underscores when written), or the abbreviation of a protocol.
    private func writeName(_ n: NodeInfo, raw: Bool) {
        let protoID = n.entry.protocolID
        let rawSuffix: StaticString = raw ? "_raw" : ""
        let suffix = UnsafeRawBufferPointer(start: rawSuffix.utf8Start, count: rawSuffix.utf8CodeUnitCount)
        if protoID != n.field {
            let p = table.entry(protoID)
            if p.abbrevPlain && n.entry.abbrevPlain {
                nameBuffer.removeAll()
                nameBuffer.append(table.bytes(p.ekName))
                nameBuffer.append(UInt8(ascii: "_"))
                nameBuffer.append(table.bytes(n.entry.ekName))
                dumper.memberPlain(nameBuffer.bytes, suffix)
                return
            }
            nameBuffer.removeAll()
            nameBuffer.append(table.bytes(p.abbrev))
            nameBuffer.append(UInt8(ascii: "_"))
            nameBuffer.append(table.bytes(n.entry.abbrev))
            dumper.member(nameBuffer.bytes, suffix)
        } else if n.entry.abbrevPlain {
            dumper.memberPlain(table.bytes(n.entry.ekName), suffix)
        } else {
            dumper.member(table.bytes(n.entry.abbrev), suffix)
        }
    }

    private let nameBuffer = TextBuffer(capacity: 256)

    private func writeAttribute<G: Collection>(_ group: G, _ ctx: PacketContext) where G.Element == NodeInfo {
        let first = group.first!
        let many = group.count > 1
        if options.hex && first.length > 0 && first.field != .textOnly {
            writeName(first, raw: true)
            if many { dumper.beginArray() }
            for n in group { writeHex(n, ctx) }
            if many { dumper.endArray() }
        }
        writeName(first, raw: false)
        if many { dumper.beginArray() }
        for n in group {
            if !isProtocolType(n) {
                if filter != nil && !passes(n.info.abbrev) {
                    dumper.beginObject()
                    dumper.member("filtered")
                    dumper.string(n.info.abbrev)
                    dumper.endObject()
                } else {
                    writeValue(n, ctx)
                }
            } else {
                dumper.beginObject()
                if filter != nil {
                    if passes(n.info.abbrev) {
                        let saved = filter
                        if options.filterIncludesChildren { filter = nil }
                        writeNode(n.node, ctx)
                        filter = saved
                    } else {
                        dumper.member("filtered")
                        dumper.string(n.info.abbrev)
                    }
                } else {
                    writeNode(n.node, ctx)
                }
                dumper.endObject()
            }
        }
        if many { dumper.endArray() }
    }

    private func writeHex(_ n: NodeInfo, _ ctx: PacketContext) {
        if let masked = values.maskedValueHex(n) {
            dumper.string(masked)
            return
        }
        switch values.rawHex(n, ctx) {
        case .hex(let h): dumper.string(h)
        case .invalid: dumper.string("field length invalid!")
        case .missing: dumper.string("")
        }
    }

    /// tshark's `ek_write_field_value`.
    private func writeValue(_ n: NodeInfo, _ ctx: PacketContext) {
        if n.field == .textOnly {
            if case .record(let i) = n.node, ctx.hasReplacementLabel(tree.records[Int(i)]) {
                valueText.removeAll()
                ctx.writeReplacementLabel(tree.records[Int(i)], to: valueText)
                dumper.string(valueText.bytes)
            } else {
                dumper.string(values.label(n, tree, ctx))
            }
            return
        }
        if n.entry.type == .none && !n.isBytesProtocol {
            if case .expertMessage = n.node {} else {
                dumper.raw("null")
                return
            }
        }
        switch n.entry.type {
        case .boolean:
            var on = false
            switch n.value {
            case .uint(let v)?: on = v != 0
            case .bool(let b)?: on = b
            case .int(let v)?: on = v != 0
            default: break
            }
            dumper.raw(on ? "true" : "false")
        case .absoluteTime:
            if case .absoluteTime(let t)? = n.value {
                dumper.beginString()
                Self.writeISOTime(t, to: out.sink)
                dumper.endString()
            } else {
                dumper.string("")
            }
        default:
            switch values.valueKind(n) {
            case .plain:
                dumper.beginString()
                values.appendValue(n, tree, ctx, to: out.sink)
                dumper.endString()
            case .text, .none:
                valueText.removeAll()
                values.appendValue(n, tree, ctx, to: valueText)
                dumper.string(valueText.bytes)
            }
        }
    }

    /// `isoTime` written into `b`.
    static func writeISOTime(_ t: Timestamp, to b: TextBuffer) {
        let (y, mo, d, h, mi, s) = civil(t.seconds)
        guard y >= 0, t.nanoseconds >= 0 else {
            b.append(isoTime(t))
            return
        }
        b.appendDecimal(UInt64(y), zeroPadded: 4)
        b.append(0x2d)
        b.appendDecimal(UInt64(mo), zeroPadded: 2)
        b.append(0x2d)
        b.appendDecimal(UInt64(d), zeroPadded: 2)
        b.append(0x54)
        b.appendDecimal(UInt64(h), zeroPadded: 2)
        b.append(0x3a)
        b.appendDecimal(UInt64(mi), zeroPadded: 2)
        b.append(0x3a)
        b.appendDecimal(UInt64(s), zeroPadded: 2)
        b.append(0x2e)
        b.appendDecimal(UInt64(t.nanoseconds), zeroPadded: 9)
        b.append(0x5a)
    }

    /// "2026-11-22T18:55:28.820051188Z".
    static func isoTime(_ t: Timestamp) -> String {
        let (y, mo, d, h, mi, s) = civil(t.seconds)
        func p(_ v: Int, _ w: Int) -> String {
            let x = String(v)
            return x.count >= w ? x : String(repeating: "0", count: w - x.count) + x
        }
        return "\(p(y, 4))-\(p(mo, 2))-\(p(d, 2))T\(p(h, 2)):\(p(mi, 2)):\(p(s, 2)).\(p(Int(t.nanoseconds), 9))Z"
    }

    /// UTC calendar fields of `secs` since the epoch (proleptic Gregorian).
    static func civil(_ secs: Int64) -> (Int, Int, Int, Int, Int, Int) {
        var days = secs / 86400
        var rem = secs % 86400
        if rem < 0 { rem += 86400; days -= 1 }
        // Howard Hinnant's days-to-civil.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d), Int(rem / 3600), Int(rem % 3600 / 60), Int(rem % 60))
    }
}

/// An open-addressing table from a group key to (first item, last item), reused from call to
/// call: EK groups a protocol's fields by name without hashing through a `Dictionary`.
final class GroupTable {
    private var keys: [UInt64] = []
    private var firstItem: [Int32] = []
    private var lastItem: [Int32] = []
    private var mask = 0

    /// Empties the table and sizes it for `n` keys.
    func reset(capacityFor n: Int) {
        var size = 16
        while size < n * 2 { size *= 2 }
        if keys.count != size {
            keys = [UInt64](repeating: 0, count: size)
            firstItem = [Int32](repeating: -1, count: size)
            lastItem = [Int32](repeating: -1, count: size)
        } else {
            for i in 0..<size { firstItem[i] = -1 }
        }
        mask = size - 1
    }

    /// The slot of `key`, inserting it with `item` as first and last item when new.
    @inline(__always)
    func findOrInsert(_ key: UInt64, _ item: Int32) -> (slot: Int, inserted: Bool) {
        var h = Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) >> 32) & mask
        while true {
            if firstItem[h] < 0 {
                keys[h] = key
                firstItem[h] = item
                lastItem[h] = item
                return (h, true)
            }
            if keys[h] == key { return (h, false) }
            h = (h + 1) & mask
        }
    }

    @inline(__always) func last(_ slot: Int) -> Int32 { lastItem[slot] }
    @inline(__always) func setLast(_ slot: Int, _ item: Int32) { lastItem[slot] = item }
}
