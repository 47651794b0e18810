/// A preference a protocol registers (`tcp.relative_sequence_numbers`), settable with `-o`.
/// Dissectors keep the object and read `value` directly: no lookups per packet.
public final class Preference: @unchecked Sendable {
    public enum Kind: Sendable {
        case bool
        case uint
        case string
        /// An enumeration: accepted names (case-insensitive) and their values.
        case choice([(name: String, description: String, value: Int)])
    }
    public let module: String
    public let name: String
    public let title: String
    public let kind: Kind
    public let defaultText: String
    public private(set) var text: String

    init(module: String, name: String, title: String, kind: Kind, defaultText: String) {
        self.module = module
        self.name = name
        self.title = title
        self.kind = kind
        self.defaultText = defaultText
        self.text = defaultText
    }

    public var fullName: String { "\(module).\(name)" }

    /// Read per packet by dissectors: the usual spellings are compared without case folding.
    public var boolValue: Bool {
        let t = text
        if t == "TRUE" { return true }
        if t == "FALSE" { return false }
        return t.uppercased() == "TRUE"
    }
    public var uintValue: UInt64 { UInt64(text) ?? 0 }
    public var choiceValue: Int {
        if case .choice(let c) = kind {
            let t = text.lowercased()
            if let e = c.first(where: { $0.name.lowercased() == t || $0.description.lowercased() == t }) {
                return e.value
            }
            return c.first?.value ?? 0
        }
        return 0
    }

    /// Sets the value from `-o` or preferences-file text; returns an error message when it does
    /// not fit. As tshark's `set_pref`: a boolean is TRUE only for "true" in any case (anything
    /// else is FALSE), a number must be all digits (hex digits, "0x" allowed, for preferences
    /// whose default is written in hex), an unknown enumeration name leaves the value unchanged.
    public func set(_ newText: String) -> String? {
        switch kind {
        case .bool:
            text = newText.lowercased() == "true" ? "TRUE" : "FALSE"
        case .uint:
            let hex = defaultText.hasPrefix("0x")
            var digits = Substring(newText)
            if hex, digits.lowercased().hasPrefix("0x") { digits = digits.dropFirst(2) }
            guard UInt64(digits, radix: hex ? 16 : 10) != nil, digits.first != "+" else {
                return "Invalid value \"\(newText)\" for preference \"\(fullName)\""
            }
            text = newText
        case .string:
            text = newText
        case .choice(let c):
            let t = newText.lowercased()
            if let e = c.first(where: { $0.name.lowercased() == t || $0.description.lowercased() == t }) {
                text = e.name
            }
        }
        return nil
    }
}

/// All registered preferences, by "module.name".
public final class Preferences: @unchecked Sendable {
    public private(set) var all: [String: Preference] = [:]
    public private(set) var order: [Preference] = []

    func register(_ p: Preference) -> Preference {
        if let existing = all[p.fullName] { return existing }
        all[p.fullName] = p
        order.append(p)
        return p
    }

    public subscript(name: String) -> Preference? { all[name] }

    /// Applies one `-o name:value` argument; returns tshark's error text on failure
    /// ("Invalid -o flag" for a malformed argument or value, "specifies unknown preference" for
    /// a name nobody registered). As tshark: the name is taken as written, white space after the
    /// colon is skipped.
    public func apply(_ argument: String) -> String? {
        guard let colon = argument.firstIndex(of: ":") else {
            return "Invalid -o flag \"\(argument)\""
        }
        let name = String(argument[..<colon])
        var value = Substring(argument[argument.index(after: colon)...])
        while let f = value.first, f == " " || f == "\t" { value.removeFirst() }
        guard let p = all[name] ?? aliases[name].flatMap({ all[$0] }) else {
            if Self.notYetImplemented.contains(name) {
                ignored.append(name)
                return nil
            }
            return "-o flag \"\(argument)\" specifies unknown preference"
        }
        if p.set(String(value)) != nil { return "Invalid -o flag \"\(argument)\"" }
        return nil
    }

    /// tshark preferences of protocols that later issues add: accepted (so tshark command lines
    /// keep working) and reported by `ignored`, instead of failing the whole run.
    public static let notYetImplemented: Set<String> = [
        "tls.keylog_file", "tls.keys_list", "tls.psk", "tls.desegment_ssl_records", "tls.desegment_ssl_application_data",
        "smtp.decryption", "smtp.desegment_lines", "smtp.desegment_data", "imap.ssl_port",
        "tcp.reassemble_out_of_order", "tcp.desegment_tcp_streams", "ip.defragment", "ipv6.defragment",
        "http.desegment_body", "http.desegment_headers", "dns.use_for_addr_resolution",
    ]

    /// Preferences given with `-o` that this build does not implement yet.
    public private(set) var ignored: [String] = []

    /// Old names tshark still accepts.
    public var aliases: [String: String] = ["ssl.keylog_file": "tls.keylog_file", "ssl.keys_list": "tls.keys_list"]
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
