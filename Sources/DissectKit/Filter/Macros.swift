#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Display-filter macros (tshark 4.0's `dfilter_macros` file): `${name}` or `${name:arg1;arg2}`
/// expand textually, before the filter is scanned, with `$1`, `$2`… replaced by the arguments.
/// `${field.name}` (a name with a dot) is left alone: it is a field reference.
public struct FilterMacros: Sendable {
    public private(set) var definitions: [String: String] = [:]

    public init(_ definitions: [String: String] = [:]) {
        self.definitions = definitions
    }

    /// Parses the 4.0 UAT format: one `"name","text"` per line, `#` comments.
    public init(fileText: String) {
        for line in fileText.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let fields = FilterMacros.uatFields(String(line))
            if fields.count >= 2, !fields[0].isEmpty { definitions[fields[0]] = fields[1] }
        }
    }

    /// The macros of the first readable files among `paths`, later files overriding earlier ones.
    public static func load(paths: [String]) -> FilterMacros {
        var m = FilterMacros()
        for p in paths {
            if let text = readText(p) { m.merge(FilterMacros(fileText: text)) }
        }
        return m
    }

    /// Where tshark 4.0 and dissect look for macro files: dissect's shipped `Filters/dfilter_macros`
    /// (`shippedDirectory`), then the user's `$WIRESHARK_CONFIG_DIR` or `~/.config/wireshark`.
    public static func standardPaths(shippedDirectory: String?) -> [String] {
        var paths: [String] = []
        if let d = shippedDirectory { paths.append(d + "/dfilter_macros") }
        if let c = getenv("WIRESHARK_CONFIG_DIR") {
            paths.append(String(cString: c) + "/dfilter_macros")
        } else if let h = getenv("HOME") {
            paths.append(String(cString: h) + "/.config/wireshark/dfilter_macros")
        }
        return paths
    }

    static func readText(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buf.withUnsafeMutableBytes { fread($0.baseAddress, 1, 4096, f) }
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
            if out.count > 1 << 20 { break }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Adds (or replaces) definitions: later files override earlier ones.
    public mutating func merge(_ other: FilterMacros) {
        for (k, v) in other.definitions { definitions[k] = v }
    }

    /// Quoted, comma-separated UAT fields with `\xNN` escapes.
    static func uatFields(_ line: String) -> [String] {
        let s = Array(line.utf8)
        if s.first == UInt8(ascii: "#") { return [] }
        var fields: [String] = []
        var i = 0
        while i < s.count {
            while i < s.count, s[i] == 0x20 || s[i] == 0x09 || s[i] == UInt8(ascii: ",") { i += 1 }
            guard i < s.count, s[i] == UInt8(ascii: "\"") else { break }
            i += 1
            var out: [UInt8] = []
            while i < s.count, s[i] != UInt8(ascii: "\"") {
                if s[i] == UInt8(ascii: "\\"), i + 3 < s.count, s[i + 1] == UInt8(ascii: "x"),
                   let v = UInt8(String(decoding: s[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) {
                    out.append(v)
                    i += 4
                } else if s[i] == UInt8(ascii: "\\"), i + 1 < s.count {
                    out.append(s[i + 1])
                    i += 2
                } else {
                    out.append(s[i])
                    i += 1
                }
            }
            i += 1
            fields.append(String(decoding: out, as: UTF8.self))
        }
        return fields
    }

    /// Expands every macro in `text` (recursively, bounded). Errors carry no location, as tshark's.
    /// `isField` tells a field reference (`${ip.src}`, `${ip.src#2}`) from a macro call.
    public func expand(_ text: String, isField: (String) -> Bool = { $0.contains(".") }) throws(FilterError) -> String {
        var current = text
        for _ in 0..<32 {
            let (next, changed) = try expandOnce(current, isField)
            if !changed { return next }
            current = next
        }
        throw FilterError("macro expansion is too deep (recursive macro?)")
    }

    private func expandOnce(_ text: String, _ isField: (String) -> Bool) throws(FilterError) -> (String, Bool) {
        let s = Array(text.utf8)
        guard s.contains(UInt8(ascii: "$")) else { return (text, false) }
        var out: [UInt8] = []
        var changed = false
        var i = 0
        var inString = false
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "\"") { inString.toggle() }
            if inString && c == UInt8(ascii: "\\") && i + 1 < s.count {
                out.append(c); out.append(s[i + 1]); i += 2
                continue
            }
            guard !inString, c == UInt8(ascii: "$"), i + 1 < s.count, s[i + 1] == UInt8(ascii: "{") else {
                out.append(c)
                i += 1
                continue
            }
            var j = i + 2
            while j < s.count, Lexer.isIdentChar(s[j]) || s[j] == UInt8(ascii: ".") { j += 1 }
            let name = String(decoding: s[(i + 2)..<j], as: UTF8.self)
            guard j < s.count else { throw FilterError("end of filter in the middle of a macro expression") }
            // tshark: a dotted name that is a field makes a reference (`${ip.src}`, `${ip.src#4}`),
            // left for the parser; anything else is a macro call.
            if name.contains("."), isField(name) {
                guard let close = s[j...].firstIndex(of: UInt8(ascii: "}")) else {
                    throw FilterError("end of filter in the middle of a macro expression")
                }
                out.append(contentsOf: s[i...close])
                i = close + 1
                continue
            }
            var args: [String] = []
            if s[j] == UInt8(ascii: ":") {
                var k = j + 1
                var arg: [UInt8] = []
                while true {
                    guard k < s.count else { throw FilterError("end of filter in the middle of a macro expression") }
                    if s[k] == UInt8(ascii: "}") { args.append(String(decoding: arg, as: UTF8.self)); break }
                    if s[k] == UInt8(ascii: ";") { args.append(String(decoding: arg, as: UTF8.self)); arg = [] }
                    else { arg.append(s[k]) }
                    k += 1
                }
                j = k
            } else if s[j] != UInt8(ascii: "}") {
                throw FilterError("invalid character in macro name")
            }
            guard let body = definitions[name] else { throw FilterError("macro '\(name)' does not exist") }
            out.append(contentsOf: try FilterMacros.substitute(name, body, args).utf8)
            changed = true
            i = j + 1
        }
        return (String(decoding: out, as: UTF8.self), changed)
    }

    static func substitute(_ name: String, _ body: String, _ args: [String]) throws(FilterError) -> String {
        let b = Array(body.utf8)
        var needed = 0
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "$"), i + 1 < b.count, b[i + 1] >= 0x30 && b[i + 1] <= 0x39 {
                needed = max(needed, Int(b[i + 1] - 0x30))
                i += 2
            } else { i += 1 }
        }
        if needed != args.count {
            throw FilterError("wrong number of arguments for macro '\(name)', expecting \(needed) instead of \(args.count)")
        }
        var out: [UInt8] = []
        i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "$"), i + 1 < b.count, b[i + 1] >= 0x31 && b[i + 1] <= 0x39 {
                out.append(contentsOf: args[Int(b[i + 1] - 0x31)].utf8)
                i += 2
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
