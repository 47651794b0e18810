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
    private var dumper = JSONDumper(pretty: false, dotToUnderscore: true)
    private let tree = RecordTree()
    private var scratch: [UInt8] = []
    private var name: [UInt8] = []
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
        dumper.string(JSONPrinter.indexName(ctx))
        dumper.member("_type")
        dumper.string("doc")
        dumper.endObject()
        dumper.endObject()
        dumper.finish()

        dumper.beginObject()
        dumper.member("timestamp")
        let ts = ctx.frame.hasTimestamp ? ctx.frame.timestamp : .zero
        scratch.removeAll(keepingCapacity: true)
        TreeValues.appendDecimal(UInt64(bitPattern: ts.seconds), into: &scratch)
        let ms = Int(ts.nanoseconds / 1_000_000)
        scratch.append(0x30 &+ UInt8(ms / 100)); scratch.append(0x30 &+ UInt8(ms / 10 % 10)); scratch.append(0x30 &+ UInt8(ms % 10))
        dumper.string(scratch)
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
                FieldSpec.writeJSON(specs, ctx, values.formatter, columns, &dumper, arrays: false)
            }
            dumper.endObject()
        }
        dumper.endObject()
        dumper.finish()
        out.write(bytes: dumper.buffer)
        dumper.buffer.removeAll(keepingCapacity: true)
    }

    // MARK: the tree

    private func isProtocolType(_ n: NodeInfo) -> Bool { n.info.isProtocol && !n.isBytesProtocol }

    /// tshark's `ek_check_protocolfilter`: the abbreviation as is or with `_` for `.`.
    private func passes(_ abbrev: String) -> Bool {
        guard let f = filter else { return true }
        if f.contains(abbrev) { return true }
        return f.contains(String(abbrev.map { $0 == "." ? "_" : $0 }))
    }

    /// The members for the subtree below `node` (nil: the top level).
    private func writeNode(_ node: RecordTree.Node?, _ ctx: PacketContext) {
        var groups: [[NodeInfo]] = []
        var byKey: [String: Int] = [:]
        collect(node, &groups, &byKey)
        for g in groups { writeAttribute(g, ctx) }
    }

    /// tshark's `ek_fill_attr`: the descendants of `node` down to (not into) protocols, grouped
    /// by their tree parent's and their own abbreviation.
    private func collect(_ node: RecordTree.Node?, _ groups: inout [[NodeInfo]], _ byKey: inout [String: Int]) {
        let parentAbbrev: String? = node.map { tree.describe($0, engine: engine).info.abbrev }
        let each: (RecordTree.Node) -> Void = { child in
            let n = self.tree.describe(child, engine: self.engine)
            let key = self.options.noDuplicateKeys ? n.info.abbrev
                : parentAbbrev.map { $0 + "_" + n.info.abbrev } ?? n.info.abbrev
            if let g = byKey[key] { groups[g].append(n) } else {
                byKey[key] = groups.count
                groups.append([n])
            }
            if !self.isProtocolType(n) && self.tree.hasChildren(child) {
                if self.filter != nil {
                    if self.passes(n.info.abbrev) {
                        let saved = self.filter
                        if self.options.filterIncludesChildren { self.filter = nil }
                        self.collect(child, &groups, &byKey)
                        self.filter = saved
                    }
                } else {
                    self.collect(child, &groups, &byKey)
                }
            }
        }
        if let node { tree.forEachChild(of: node, each) } else { tree.forEachRoot(each) }
    }

    /// `PROTO_FIELD` (dots become underscores when written), or the abbreviation of a protocol.
    private func writeName(_ n: NodeInfo, raw: Bool) {
        let protoID = n.info.protocolID
        name.removeAll(keepingCapacity: true)
        if protoID != n.field {
            name.append(contentsOf: engine.registry[protoID].abbrev.utf8)
            name.append(UInt8(ascii: "_"))
        }
        name.append(contentsOf: n.info.abbrev.utf8)
        if raw { name.append(contentsOf: "_raw".utf8) }
        dumper.member(name, EmptyCollection(), EmptyCollection())
    }

    private func writeAttribute(_ group: [NodeInfo], _ ctx: PacketContext) {
        let first = group[0]
        if options.hex && first.length > 0 && first.field != .textOnly {
            writeName(first, raw: true)
            if group.count > 1 { dumper.beginArray() }
            for n in group { writeHex(n, ctx) }
            if group.count > 1 { dumper.endArray() }
        }
        writeName(first, raw: false)
        if group.count > 1 { dumper.beginArray() }
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
        if group.count > 1 { dumper.endArray() }
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
            dumper.string(values.label(n, tree, ctx))
            return
        }
        if n.info.type == .none && !n.isBytesProtocol {
            if case .expertMessage = n.node {} else {
                dumper.raw("null")
                return
            }
        }
        switch n.info.type {
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
                dumper.string(Self.isoTime(t))
            } else {
                dumper.string("")
            }
        default:
            scratch.removeAll(keepingCapacity: true)
            values.appendValue(n, tree, ctx, into: &scratch)
            dumper.string(scratch)
        }
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
