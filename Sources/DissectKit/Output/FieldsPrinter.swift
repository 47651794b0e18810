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
        for spec in specs {
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
