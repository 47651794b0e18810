import DissectKit

/// `-G` reports, in tshark 4.0's line formats (epan/proto.c `proto_registrar_dump_*`,
/// epan/prefs.c `write_prefs`), from our registry. Output order is the registration order for
/// fields and protocols and sorted order everywhere a table is hashed, so every run prints the same.
struct Glossary {
    let engine: Engine

    /// tshark's `-G ?` text (standard output, exit status 0).
    static let help = """
    \(Usage.versionLine)

    Usage: tshark -G [report]

    Glossary table reports:
      -G column-formats        dump column format codes and exit
      -G decodes               dump "layer type"/"decode as" associations and exit
      -G dissector-tables      dump dissector table names, types, and properties
      -G elastic-mapping       dump ElasticSearch mapping file
      -G fieldcount            dump count of header fields and exit
      -G fields                dump fields glossary and exit
      -G ftypes                dump field type basic and descriptive names
      -G heuristic-decodes     dump heuristic dissector tables
      -G plugins               dump installed plugins and exit
      -G protocols             dump protocols in registration database and exit
      -G values                dump value, range, true/false strings and exit

    Preference reports:
      -G currentprefs          dump current preferences and exit
      -G defaultprefs          dump default preferences and exit
      -G folders               dump about:folders


    """

    func print(report: String) -> Int32 {
        let out = OutputStream()
        defer { out.flush() }
        switch report {
        case "?", "help": out.write(Self.help)
        case "fields": fields(out)
        case "protocols": protocols(out)
        case "values": values(out)
        case "decodes": decodes(out)
        case "heuristic-decodes": heuristicDecodes(out)
        case "defaultprefs": preferences(out, current: false)
        case "currentprefs": preferences(out, current: true)
        case "plugins": break // no run-time plugins are loaded by this build
        case "elastic-mapping": elasticMapping(out)
        case "ftypes": out.write(Self.ftypes)
        default:
            out.flush()
            printError("Invalid \"\(report)\" option for -G flag, enter -G help for more help.")
            return 1
        }
        return 0
    }

    // MARK: fields and protocols

    /// `P\tName\tabbrev` and `F\tName\tabbrev\tFT_TYPE\tprotocol\tbase\t0xmask\tblurb`.
    func fields(_ out: OutputStream) {
        let reg = engine.registry
        for f in reg.fields.dropFirst() {
            if f.isProtocol {
                out.write("P\t\(f.name)\t\(f.abbrev)\n")
                continue
            }
            out.write("F\t\(f.name)\t\(f.abbrev)\t\(f.type.tsharkName)\t\(reg[f.protocolID].abbrev)\t")
            out.write(Self.baseColumn(f))
            out.write("\t0x" + String(f.bitmask, radix: 16) + "\t" + f.blurb + "\n")
        }
    }

    /// The "base" column: the display base of integers, the container width of booleans (0 without
    /// a bitmask), nothing for other types.
    static func baseColumn(_ f: FieldInfo) -> String {
        switch f.type {
        case .uint8, .uint16, .uint24, .uint32, .uint40, .uint48, .uint56, .uint64,
             .int8, .int16, .int24, .int32, .int64, .char:
            switch f.base {
            case .none, .dec, .hex, .oct, .decHex, .hexDec, .custom: return f.base.tsharkName
            default: return FieldBase.dec.tsharkName
            }
        case .boolean:
            return f.bitmask != 0 ? String(f.bitWidth) : "0"
        default:
            return ""
        }
    }

    /// `Name\tShort name\tabbrev`.
    func protocols(_ out: OutputStream) {
        for f in engine.registry.fields.dropFirst() where f.isProtocol {
            out.write("\(f.name)\t\(f.shortName)\t\(f.abbrev)\n")
        }
    }

    // MARK: values

    /// `V` value strings, `R` ranges, `T` true/false strings, `U` units (tshark's unit strings
    /// start with a space).
    func values(_ out: OutputStream) {
        for f in engine.registry.fields.dropFirst() where !f.isProtocol {
            guard let strings = f.strings else { continue }
            let hex = f.base == .hex || f.base == .hexDec
            func number(_ v: UInt64) -> String {
                // tshark prints 32-bit (and narrower) values through `%u` / `0x%x`.
                let x = f.type.bitWidth > 32 ? v : v & 0xffff_ffff
                return hex ? "0x" + String(x, radix: 16) : String(x)
            }
            switch strings {
            case .values(let d):
                let tag = f.type.bitWidth > 32 ? "V64" : "V"
                for k in d.keys.sorted() { out.write("\(tag)\t\(f.abbrev)\t\(number(k))\t\(d[k]!)\n") }
            case .ranges(let r):
                for e in r { out.write("R\t\(f.abbrev)\t\(number(e.lo))\t\(number(e.hi))\t\(e.name)\n") }
            case .trueFalse(let t, let fl):
                out.write("T\t\(f.abbrev)\t\(t)\t\(fl)\n")
            case .units(let one, let many):
                out.write("U\t\(f.abbrev)\t \(one)\t \(many)\n")
            }
        }
    }

    // MARK: dissector tables

    /// `table\tkey\tprotocol` for every numeric entry (tables and keys sorted).
    func decodes(_ out: OutputStream) {
        for name in engine.tables.keys.sorted() {
            guard let table = engine.tables[name] else { continue }
            for (key, h) in table.allEntries {
                out.write("\(name)\t\(key)\t\(engine.registry[h.protocolID].abbrev)\n")
            }
        }
    }

    /// `table\tprotocol\tT|F` for every heuristic dissector.
    func heuristicDecodes(_ out: OutputStream) {
        for name in engine.tables.keys.sorted() {
            guard let table = engine.tables[name] else { continue }
            for h in table.heuristics {
                out.write("\(name)\t\(engine.registry[h.handle.protocolID].abbrev)\t\(h.enabled ? "T" : "F")\n")
            }
        }
    }

    // MARK: preferences

    static let prefsHeader = """
    # Configuration file for Wireshark 4.0.17.
    #
    # This file is regenerated each time preferences are saved within
    # Wireshark. Making manual changes should be safe, however.
    # Preferences that have been commented out have not been
    # changed from their default value.

    """

    /// The preferences file tshark writes: every preference with its description, the kind of
    /// value it takes and its value, commented out while it has its default value.
    func preferences(_ out: OutputStream, current: Bool) {
        out.write(Self.prefsHeader)
        let prefs = engine.preferences.order
        guard !prefs.isEmpty else { return }
        out.write("\n####### Protocols ########\n\n")
        // Modules in the order of their protocols' short names (tshark sorts modules by title);
        // preferences of one module in registration order.
        var titles: [String: String] = [:]
        for f in engine.registry.fields where f.isProtocol { if titles[f.abbrev] == nil { titles[f.abbrev] = f.shortName } }
        var modules: [String] = []
        var byModule: [String: [Preference]] = [:]
        for p in prefs {
            if byModule[p.module] == nil { modules.append(p.module) }
            byModule[p.module, default: []].append(p)
        }
        modules.sort {
            let a = (titles[$0] ?? $0).lowercased(), b = (titles[$1] ?? $1).lowercased()
            return a != b ? a < b : $0 < $1
        }
        var first = true
        for m in modules {
            for p in byModule[m] ?? [] {
                if !first { out.write("\n") }
                first = false
                for line in p.title.split(separator: "\n", omittingEmptySubsequences: false) {
                    out.write("# " + line + "\n")
                }
                switch p.kind {
                case .bool: out.write("# TRUE or FALSE (case-insensitive)\n")
                case .uint: out.write("# A decimal number\n")
                case .string: out.write("# A string\n")
                case .choice(let c):
                    out.write("# One of: " + c.map(\.description).joined(separator: ", ") + "\n")
                    out.write("# (case-insensitive).\n")
                }
                let value = Self.valueText(p, p.text)
                let isDefault = value == Self.valueText(p, p.defaultText)
                out.write((current && !isDefault ? "" : "#") + "\(p.fullName): \(value)\n")
            }
        }
    }

    /// A preference value as the file shows it: booleans in capitals, enumerations by description.
    static func valueText(_ p: Preference, _ text: String) -> String {
        switch p.kind {
        case .bool: return text.uppercased()
        case .choice(let c):
            let t = text.lowercased()
            if let e = c.first(where: { $0.name.lowercased() == t || $0.description.lowercased() == t }) {
                return e.description
            }
            return text
        default: return text
        }
    }

    // MARK: Elasticsearch

    /// The Elasticsearch type of a field in `-T ek` output, or nil for types left to the default
    /// (strings).
    static func elasticType(_ t: FieldType) -> String? {
        switch t {
        case .bytes, .uintBytes: return "byte"
        case .float, .double: return "float"
        case .uint8, .int8: return "short"
        case .uint16, .uint24, .int16, .int24, .int32: return "integer"
        case .uint32, .uint40, .uint48, .uint56, .uint64, .int64, .framenum: return "long"
        case .boolean: return "boolean"
        case .ipv4, .ipv6: return "ip"
        case .absoluteTime, .relativeTime: return "date"
        default: return nil
        }
    }

    /// The index mapping for `-T ek` documents: per protocol, the typed members EK writes.
    func elasticMapping(_ out: OutputStream) {
        let reg = engine.registry
        var fieldsOf: [Int32: [FieldInfo]] = [:]
        for f in reg.fields.dropFirst() where !f.isProtocol { fieldsOf[f.protocolID.raw, default: []].append(f) }
        var w = JSONWriterText()
        w.open("{")
        w.key("settings"); w.open("{")
        w.key("index.mapping.total_fields.limit"); w.value("1000000")
        w.close("}")
        w.key("mappings"); w.open("{")
        w.key("dynamic"); w.value("false")
        w.key("properties"); w.open("{")
        w.key("timestamp"); w.open("{"); w.key("type"); w.value("\"date\""); w.close("}")
        w.key("layers"); w.open("{")
        w.key("properties"); w.open("{")
        for p in reg.fields.dropFirst() where p.isProtocol {
            guard let fs = fieldsOf[p.id.raw] else { continue }
            w.key(p.abbrev); w.open("{")
            w.key("properties"); w.open("{")
            var previous = ""
            for f in fs {
                guard let type = Self.elasticType(f.type) else { continue }
                let name = (p.abbrev + "_" + f.abbrev).map { $0 == "." ? "_" : $0 }
                let s = String(name)
                if s == previous { continue }
                previous = s
                w.key(s); w.open("{"); w.key("type"); w.value("\"\(type)\""); w.close("}")
            }
            w.close("}")
            w.close("}")
        }
        w.close("}"); w.close("}"); w.close("}"); w.close("}"); w.close("}")
        out.write(w.text + "\n")
    }

    static let ftypes = """
    FT_NONE\tLabel
    FT_PROTOCOL\tProtocol
    FT_BOOLEAN\tBoolean
    FT_CHAR\tCharacter (1 byte)
    FT_UINT8\tUnsigned integer (1 byte)
    FT_UINT16\tUnsigned integer (2 bytes)
    FT_UINT24\tUnsigned integer (3 bytes)
    FT_UINT32\tUnsigned integer (4 bytes)
    FT_UINT40\tUnsigned integer (5 bytes)
    FT_UINT48\tUnsigned integer (6 bytes)
    FT_UINT56\tUnsigned integer (7 bytes)
    FT_UINT64\tUnsigned integer (8 bytes)
    FT_INT8\tSigned integer (1 byte)
    FT_INT16\tSigned integer (2 bytes)
    FT_INT24\tSigned integer (3 bytes)
    FT_INT32\tSigned integer (4 bytes)
    FT_INT40\tSigned integer (5 bytes)
    FT_INT48\tSigned integer (6 bytes)
    FT_INT56\tSigned integer (7 bytes)
    FT_INT64\tSigned integer (8 bytes)
    FT_IEEE_11073_SFLOAT\tIEEE-11073 floating point (16-bit)
    FT_IEEE_11073_FLOAT\tIEEE-11073 Floating point (32-bit)
    FT_FLOAT\tFloating point (single-precision)
    FT_DOUBLE\tFloating point (double-precision)
    FT_ABSOLUTE_TIME\tDate and time
    FT_RELATIVE_TIME\tTime offset
    FT_STRING\tCharacter string
    FT_STRINGZ\tCharacter string
    FT_UINT_STRING\tCharacter string
    FT_ETHER\tEthernet or other MAC address
    FT_BYTES\tByte sequence
    FT_UINT_BYTES\tByte sequence
    FT_IPv4\tIPv4 address
    FT_IPv6\tIPv6 address
    FT_IPXNET\tIPX network number
    FT_FRAMENUM\tFrame number
    FT_GUID\tGlobally Unique Identifier
    FT_OID\tASN.1 object identifier
    FT_EUI64\tEUI64 address
    FT_AX25\tAX.25 address
    FT_VINES\tVINES address
    FT_REL_OID\tASN.1 relative object identifier
    FT_SYSTEM_ID\tOSI System-ID
    FT_STRINGZPAD\tCharacter string
    FT_FCWWN\tFibre Channel WWN
    FT_STRINGZTRUNC\tCharacter string

    """
}

/// A tiny pretty JSON text builder for the mapping report (json_dumper's layout: two spaces per
/// level, `"key": value`, `{}` when empty).
struct JSONWriterText {
    private(set) var text = ""
    private var hasEntry: [Bool] = []
    private var pendingKey = false

    private mutating func prepare() {
        if pendingKey { pendingKey = false; return }
        guard !hasEntry.isEmpty else { return }
        if hasEntry[hasEntry.count - 1] { text += "," }
        text += "\n" + String(repeating: "  ", count: hasEntry.count)
        hasEntry[hasEntry.count - 1] = true
    }

    mutating func key(_ k: String) {
        prepare()
        text += "\"" + k + "\": "
        pendingKey = true
    }

    mutating func value(_ v: String) {
        prepare()
        text += v
    }

    mutating func open(_ c: String) {
        prepare()
        text += c
        hasEntry.append(false)
    }

    mutating func close(_ c: String) {
        let had = hasEntry.removeLast()
        if had { text += "\n" + String(repeating: "  ", count: hasEntry.count) }
        text += c
    }
}
