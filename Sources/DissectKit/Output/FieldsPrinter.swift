/// `-T fields -e F … -E header=y,separator=…,quote=…,occurrence=…,aggregator=…`.
public final class FieldsPrinter {
    public struct Options: Sendable {
        public var header = false
        public var separator = "\t"
        public var quote: Character? = nil
        /// "f" first, "l" last, "a" all.
        public var occurrence: Character = "a"
        public var aggregator = ","
        public var bom = false
        public init() {}

        /// Applies one `-E` argument; returns an error message on failure.
        public mutating func apply(_ arg: String) -> String? {
            guard let eq = arg.firstIndex(of: "=") else { return "Invalid -E parameter \"\(arg)\"" }
            let key = String(arg[..<eq]), value = String(arg[arg.index(after: eq)...])
            func special(_ v: String) -> String {
                switch v {
                case "/t": return "\t"
                case "/s": return " "
                default: return v
                }
            }
            switch key {
            case "header":
                guard value == "y" || value == "n" else { return "Invalid -E parameter \"\(arg)\"" }
                header = value == "y"
            case "separator": separator = special(value)
            case "aggregator": aggregator = special(value)
            case "quote":
                switch value {
                case "d": quote = "\""
                case "s": quote = "'"
                case "n": quote = nil
                default: return "Invalid -E parameter \"\(arg)\""
                }
            case "occurrence":
                guard let c = value.first, value.count == 1, "fla".contains(c) else { return "Invalid -E parameter \"\(arg)\"" }
                occurrence = c
            case "bom":
                bom = value == "y"
            case "escape":
                break
            default:
                return "Invalid -E parameter \"\(arg)\""
            }
            return nil
        }
    }

    enum Column {
        case field(FieldID, name: String)
        case column(String)
    }

    let out: OutputStream
    let formatter: FieldFormatter
    let columns: Columns
    let options: Options
    let specs: [Column]
    public let names: [String]
    /// Per spec: tshark's value rule for protocols (their line text, or the abbreviation when
    /// the item is hidden) and FT_NONE fields ("1"), epan/print.c `get_node_field_value`.
    private let kinds: [ValueKind]
    private enum ValueKind { case plain, protocolItem(abbrev: String), expertItem, none }

    /// Fails with the list of names that are neither fields nor columns.
    public init(out: OutputStream, formatter: FieldFormatter, columns: Columns, fields: [String],
                options: Options) throws(FieldsError) {
        self.out = out
        self.formatter = formatter
        self.columns = columns
        self.options = options
        self.names = fields
        var specs: [Column] = []
        var bad: [String] = []
        for f in fields {
            if f.hasPrefix("_ws.col.") {
                specs.append(.column(f))
            } else if let id = formatter.registry.lookup(f) {
                specs.append(.field(id, name: f))
            } else {
                bad.append(f)
            }
        }
        if !bad.isEmpty { throw FieldsError(invalid: bad) }
        self.specs = specs
        self.kinds = specs.map { spec -> ValueKind in
            guard case .field(let id, _) = spec else { return .plain }
            let info = formatter.registry[id]
            if info.isProtocol {
                // `_ws.expert` items exist only when the tree is not built whole (filters,
                // fields): they carry their own line text.
                return info.abbrev == "_ws.expert" ? .expertItem : .protocolItem(abbrev: info.abbrev)
            }
            return info.type == .none ? .none : .plain
        }
    }

    /// A protocol's value is its `-V` line: the run must build the whole tree (as tshark's).
    public var needsTree: Bool {
        kinds.contains { if case .protocolItem = $0 { return true } else { return false } }
    }

    /// The field ids to build records for.
    public var wantedFields: [FieldID] {
        specs.compactMap { if case .field(let id, _) = $0 { return id } else { return nil } }
    }

    public func printHeader() {
        guard options.header else { return }
        out.write(names.map(quoted).joined(separator: options.separator))
        out.write("\n")
    }

    /// tshark's default `-E escape=y`: tab, newline and carriage return inside a value are
    /// written as `\t`, `\n`, `\r` (a decoded string such as a DNS TXT may hold them).
    static func escapeSpecial(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x09 || $0 == 0x0a || $0 == 0x0d }) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    func quoted(_ s: String) -> String {
        guard let q = options.quote else { return s }
        return String(q) + s + String(q)
    }

    public func print(_ ctx: PacketContext) {
        var first = true
        for (k, spec) in specs.enumerated() {
            if !first { out.write(options.separator) }
            first = false
            switch spec {
            case .column(let name):
                let v = columns.column(named: name, ctx) ?? ""
                out.write(quoted(v))
            case .field(let id, _):
                var values: [String] = []
                for r in ctx.tree.records where r.field == id {
                    // tshark prints an empty byte string as "<MISSING>" here (JSON shows "").
                    if case .bytes = r.value, r.length == 0 {
                        values.append("<MISSING>")
                        continue
                    }
                    switch kinds[k] {
                    case .protocolItem(let abbrev):
                        switch r.value {
                        case .bytes, .blob: break // a protocol holding bytes ("data") prints them in hex
                        default:
                            // tshark has a text only for items whose line was set or appended to
                            // (proto_tree_add_protocol_format, proto_item_append_text).
                            let hasText = r.flags.contains(.labelReplaces) || r.flags.contains(.labelAppends)
                            values.append(ctx.tree.full && hasText ? Self.escapeSpecial(formatter.label(r, ctx)) : abbrev)
                            continue
                        }
                    case .expertItem:
                        values.append(ctx.tree.labelString(r) ?? "_ws.expert")
                        continue
                    case .none:
                        values.append("1")
                        continue
                    case .plain:
                        break
                    }
                    values.append(Self.escapeSpecial(formatter.fieldValue(r, ctx)))
                }
                if values.isEmpty {
                    if options.quote != nil { out.write(quoted("")) }
                    continue
                }
                switch options.occurrence {
                case "f": values = [values[0]]
                case "l": values = [values[values.count - 1]]
                default: break
                }
                out.write(quoted(values.joined(separator: options.aggregator)))
            }
        }
        out.write("\n")
    }
}

/// `-e` names that are not fields.
public struct FieldsError: Error {
    public let invalid: [String]
}
