#if canImport(Glibc)
import Glibc
#endif

/// `-T pdml`: the packet details as XML, as tshark 4.0 writes them (epan/print.c
/// `write_pdml_proto_tree`): a `geninfo` pseudo-protocol, then one `<proto>` per protocol and one
/// `<field>` per field with its line text (`showname`), value (`show`), bytes (`value`, and for
/// bitmask fields the masked value with the bytes as `unmaskedvalue`), `size` and `pos`; hidden
/// fields carry `hide="yes"`, text-only lines have an empty name.
public final class PDMLPrinter {
    let out: OutputStream
    let values: TreeValues
    let engine: Engine
    let protocolFilter: Set<String>?
    let filterIncludesChildren: Bool
    private let tree = RecordTree()
    private var buf: [UInt8] = []
    private var filter: Set<String>?
    private let specs: [FieldSpec]
    private let columns: Columns

    public init(out: OutputStream, engine: Engine, formatter: FieldFormatter, columns: Columns,
                protocolFilter: Set<String>? = nil, filterIncludesChildren: Bool = false,
                fields: [String] = []) throws(FieldsError) {
        self.out = out
        self.engine = engine
        self.values = TreeValues(formatter: formatter, engine: engine)
        self.protocolFilter = protocolFilter
        self.filterIncludesChildren = filterIncludesChildren
        self.specs = try FieldSpec.parse(fields, registry: engine.registry)
        self.columns = columns
        buf.reserveCapacity(1 << 16)
    }

    public var wantedFields: [FieldID] { FieldSpec.wanted(specs) }

    /// The XML declaration and `<pdml …>`; `time` is the current local time as `asctime` writes
    /// it, as tshark does.
    public func printPreamble(captureFile: String?) {
        var now = time(nil)
        var tmv = tm()
        var stamp = "Not representable"
        if localtime_r(&now, &tmv) != nil {
            var b = [CChar](repeating: 0, count: 64)
            if asctime_r(&tmv, &b) != nil {
                stamp = String(cString: b)
                if stamp.hasSuffix("\n") { stamp.removeLast() }
            }
        }
        out.write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
        out.write("<?xml-stylesheet type=\"text/xsl\" href=\"pdml2html.xsl\"?>\n")
        out.write("<!-- You can find pdml2html.xsl in /usr/share/wireshark or at https://gitlab.com/wireshark/wireshark/-/raw/master/pdml2html.xsl. -->\n")
        out.write("<pdml version=\"0\" creator=\"wireshark/4.0.17\" time=\"\(stamp)\" capture_file=\"")
        if let f = captureFile { out.write(Self.escaped(f)) }
        out.write("\">\n")
    }

    public func printFinale() { out.write("</pdml>\n") }

    public func print(_ ctx: PacketContext) {
        buf.removeAll(keepingCapacity: true)
        tree.build(ctx)
        filter = protocolFilter
        put("<packet>\n")
        writeGeneralInfo(ctx)
        if specs.isEmpty {
            tree.forEachRoot { writeNode($0, level: 0, ctx) }
        } else {
            for spec in specs {
                for v in FieldSpec.values(spec, ctx, values.formatter, columns) {
                    put("  <field name=\"\(spec.name)\" value=\"")
                    putEscaped(v)
                    put("\"/>\n")
                }
            }
        }
        // tshark ends each packet with two empty lines: write_pdml_proto_tree's "</packet>\n\n"
        // and print_packet's line separator.
        put("</packet>\n\n\n")
        out.write(bytes: buf)
    }

    // MARK: pieces

    private func put(_ s: String) { buf.append(contentsOf: s.utf8) }

    private func putEscaped(_ s: String) { Self.escape(s.utf8, into: &buf) }

    private func indent(_ level: Int) {
        for _ in 0..<(level * 2) { buf.append(0x20) }
    }

    static func escape<C: Collection>(_ s: C, into out: inout [UInt8]) where C.Element == UInt8 {
        for c in s {
            switch c {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#x27;".utf8)
            case 0: return
            default: out.append(c)
            }
        }
    }

    static func escaped(_ s: String) -> String {
        var b: [UInt8] = []
        escape(s.utf8, into: &b)
        return String(decoding: b, as: UTF8.self)
    }

    /// The `geninfo` protocol PDML requires, from the frame.
    private func writeGeneralInfo(_ ctx: PacketContext) {
        var frameLength = ctx.frame.capturedLength
        if let f = ctx.tree.records.first(where: { $0.field == engine.frameProto }) { frameLength = Int(f.length) }
        let num = ctx.frame.number, len = ctx.frame.originalLength, cap = ctx.frame.capturedLength
        let t = ctx.frame.hasTimestamp ? ctx.frame.timestamp : .zero
        put("  <proto name=\"geninfo\" pos=\"0\" showname=\"General information\" size=\"\(frameLength)\">\n")
        put("    <field name=\"num\" pos=\"0\" show=\"\(num)\" showname=\"Number\" value=\"\(String(num, radix: 16))\" size=\"\(frameLength)\"/>\n")
        put("    <field name=\"len\" pos=\"0\" show=\"\(len)\" showname=\"Frame Length\" value=\"\(String(len, radix: 16))\" size=\"\(frameLength)\"/>\n")
        put("    <field name=\"caplen\" pos=\"0\" show=\"\(cap)\" showname=\"Captured Length\" value=\"\(String(cap, radix: 16))\" size=\"\(frameLength)\"/>\n")
        put("    <field name=\"timestamp\" pos=\"0\" show=\"\(FieldFormatter.absoluteString(t, utc: false))\" showname=\"Captured Time\" value=\"\(Int32(truncatingIfNeeded: t.seconds)).\(FieldFormatter.nanos9(t.nanoseconds))\" size=\"\(frameLength)\"/>\n")
        put("  </proto>\n")
    }

    /// tshark's `pos`: the item's offset, or its parent's plus its own when it lies before its
    /// parent (an item from another data source).
    private func position(_ n: NodeInfo) -> Int {
        if let p = tree.parent(of: n.node) {
            let pn = tree.describe(p, engine: engine)
            if n.offset < pn.offset { return pn.offset + n.offset }
        }
        return n.offset
    }

    private func isData(_ n: NodeInfo) -> Bool { n.info.abbrev == "data" && n.info.isProtocol }
    private func isExpertProtocol(_ n: NodeInfo) -> Bool { n.field == engine.core.expert }
    private func isProtocolType(_ n: NodeInfo) -> Bool { n.info.isProtocol && !n.isBytesProtocol }

    private func writeNode(_ node: RecordTree.Node, level: Int, _ ctx: PacketContext) {
        let n = tree.describe(node, engine: engine)
        var level = level
        let hasChildren = tree.hasChildren(node)
        let wrap = (!isProtocolType(n) || isData(n)) && level == 0
        indent(level + 1)
        if wrap {
            put("<proto name=\"fake-field-wrapper\">\n")
            level += 1
            indent(level + 1)
        }
        if n.field == .textOnly {
            put("<field name=\"\" show=\"")
            putEscaped(values.label(n, tree, ctx))
            put("\" size=\"\(n.length)\" pos=\"\(position(n))")
            if n.length > 0 {
                put("\" value=\"")
                putHex(n, ctx)
            }
            put(hasChildren ? "\">\n" : "\"/>\n")
        } else if isData(n) {
            put("<field name=\"data\" value=\"")
            putHex(n, ctx)
            put("\">\n")
        } else {
            put(isProtocolType(n) && !isExpertProtocol(n) ? "<proto name=\"" : "<field name=\"")
            putEscaped(n.info.abbrev)
            put("\" showname=\"")
            putEscaped(values.label(n, tree, ctx))
            if n.hidden { put("\" hide=\"yes") }
            put("\" size=\"\(n.length)\" pos=\"\(position(n))")
            if isProtocolType(n) {
                // no show/value for protocols
            } else if n.info.type == .none && !n.isBytesProtocol {
                put("\" show=\"\" value=\"")
            } else {
                if let show = values.valueString(n, tree, ctx) {
                    put("\" show=\"")
                    putEscaped(show)
                }
                if n.length > 0 {
                    put("\" value=\"")
                    if let masked = values.maskedValueHex(n) {
                        put(masked)
                        put("\" unmaskedvalue=\"")
                    }
                    putHex(n, ctx)
                }
            }
            put(hasChildren ? "\">\n" : "\"/>\n")
        }

        if hasChildren {
            if filter == nil || filter!.contains(n.info.abbrev) {
                let saved = filter
                if filterIncludesChildren { filter = nil }
                tree.forEachChild(of: node) { writeNode($0, level: level + 1, ctx) }
                filter = saved
            } else {
                indent(level + 2)
                put("<field name=\"filtered\" value=\"")
                putEscaped(n.info.abbrev)
                put("\" />\n")
            }
        }
        if wrap { level -= 1 }
        if hasChildren {
            indent(level + 1)
            if !isData(n) && !isExpertProtocol(n) && isProtocolType(n) {
                put("</proto>\n")
            } else {
                put("</field>\n")
            }
        }
        if wrap {
            indent(level + 1)
            put("</proto>\n")
        }
    }

    private func putHex(_ n: NodeInfo, _ ctx: PacketContext) {
        switch values.rawHex(n, ctx) {
        case .hex(let h): put(h)
        case .invalid: put("field length invalid!")
        case .missing: break
        }
    }
}

/// `-T psml`: the packet-list columns as XML (epan/print.c `write_psml_columns`).
public final class PSMLPrinter {
    let out: OutputStream
    let columns: Columns
    static let titles = ["No.", "Time", "Source", "Destination", "Protocol", "Length", "Info"]
    static let names = ["_ws.col.No.", "_ws.col.Time", "_ws.col.Source", "_ws.col.Destination", "_ws.col.Protocol",
                        "_ws.col.Length", "_ws.col.Info"]
    /// The columns: titles and `_ws.col.*` names (`-o gui.column.format` changes them; a name
    /// `Columns` does not know gives an empty section).
    public var layout: [(title: String, name: String)] = Array(zip(PSMLPrinter.titles, PSMLPrinter.names))
    private var buf: [UInt8] = []

    public init(out: OutputStream, columns: Columns) {
        self.out = out
        self.columns = columns
    }

    public func printPreamble() {
        out.write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<psml version=\"0\" creator=\"wireshark/4.0.17\">\n<structure>\n")
        for (t, _) in layout { out.write("<section>" + PDMLPrinter.escaped(t) + "</section>\n") }
        out.write("</structure>\n\n")
    }

    public func print(_ ctx: PacketContext) {
        buf.removeAll(keepingCapacity: true)
        buf.append(contentsOf: "<packet>\n".utf8)
        for (_, name) in layout {
            buf.append(contentsOf: "<section>".utf8)
            PDMLPrinter.escape((columns.column(named: name, ctx) ?? "").utf8, into: &buf)
            buf.append(contentsOf: "</section>\n".utf8)
        }
        buf.append(contentsOf: "</packet>\n\n".utf8)
        out.write(bytes: buf)
    }

    public func printFinale() { out.write("</psml>\n") }
}
