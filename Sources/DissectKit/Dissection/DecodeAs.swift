/// Decode-As (`-d tcp.port==2525,smtp`): a command-line override of dissector-table entries.
///
/// The parsing follows tshark 4.0's `decode_as_command_option` (ui/decode_as_utils.c) step by
/// step, because scripts rely on its error texts and on what it tolerates: the layer type is
/// everything before the first `=` (spaces trimmed), a single `=` is accepted with a warning, the
/// selector is a C `strtoull` number (decimal, `0x` hex or leading-`0` octal) or a range
/// `A-B` / `A:count`, and the protocol is matched by its filter name among the protocols that
/// registered in that table. Every message is returned in order; nothing is printed here.
public struct DecodeAsOutcome: Sendable, Equatable {
    /// `cmdarg_err` lines, in tshark's order (the CLI prefixes them with its name).
    public var messages: [String] = []
    /// The listing that follows the last message (valid layer types or protocols), one
    /// `\tname (description)` line each, printed without a prefix.
    public var listing: [String] = []
    /// False when the option was rejected (tshark exits with status 1).
    public var applied = false
}

/// A dissector whose behaviour depends on the key it is registered under — the protocols that
/// decide "request or response" from the server port (tshark reads `pinfo->match_uint`).
/// Decode-As installs a copy bound to each new key.
public protocol KeyBoundDissector: Dissector {
    func rebound(to key: UInt32) -> any Dissector
}

extension ServerPortDissector: KeyBoundDissector {
    public func rebound(to key: UInt32) -> any Dissector {
        ServerPortDissector(port: key, serverPorts: serverPorts, viaTLS: viaTLS, body)
    }
}

extension DissectorTable {
    /// True when the table is keyed by strings (`media_type`) rather than numbers.
    var hasStringSelector: Bool { entries.isEmpty && !stringEntries.isEmpty }

    /// True when the table can take a Decode-As entry (heuristic-only lists cannot).
    var acceptsDecodeAs: Bool { !entries.isEmpty || !stringEntries.isEmpty }

    /// One handle per protocol registered in the table, ordered by protocol filter name
    /// (tshark's per-table list of handles that `-d` chooses from).
    func decodeAsCandidates(_ registry: FieldRegistry) -> [(abbrev: String, handle: DissectorHandle)] {
        var seen: [FieldID: DissectorHandle] = [:]
        for (_, h) in entries.sorted(by: { $0.key < $1.key }) where seen[h.protocolID] == nil { seen[h.protocolID] = h }
        for (_, h) in stringEntries.sorted(by: { $0.key < $1.key }) where seen[h.protocolID] == nil {
            seen[h.protocolID] = h
        }
        return seen.map { (registry[$0.key].abbrev, $0.value) }.sorted { $0.abbrev < $1.abbrev }
    }

    /// Replaces the entry for `key` (tshark's `dissector_change_uint`).
    public func decodeAs(_ key: UInt32, _ handle: DissectorHandle) {
        if let bound = handle.dissector as? any KeyBoundDissector {
            entries[key] = DissectorHandle(protocolID: handle.protocolID, dissector: bound.rebound(to: key))
        } else {
            entries[key] = handle
        }
    }

    /// Replaces the entry for a string selector (tshark's `dissector_change_string`).
    public func decodeAs(_ key: String, _ handle: DissectorHandle) { stringEntries[key] = handle }
}

extension Engine {
    static let decodeAsTemplate = "<layer_type>==<selector>,<decode_as_protocol>"

    /// `\tname (ui name)` for every table that takes Decode-As entries, by name.
    public func decodeAsLayerTypes() -> [String] {
        tables.keys.sorted().compactMap { name in
            guard let t = tables[name], t.acceptsDecodeAs else { return nil }
            return "\t\(name) (\(t.uiName))"
        }
    }

    /// `\tabbrev (protocol name)` for every protocol registered in `table`.
    public func decodeAsProtocols(for table: String) -> [String] {
        guard let t = tables[table] else { return [] }
        return t.decodeAsCandidates(registry).map { "\t\($0.abbrev) (\(registry[$0.handle.protocolID].name))" }
    }

    /// Applies one `-d` argument; see `DecodeAsOutcome` for what comes back.
    public func applyDecodeAs(_ argument: String) -> DecodeAsOutcome {
        var out = DecodeAsOutcome()
        let chars = Array(argument.utf8)
        func text(_ s: ArraySlice<UInt8>) -> String { String(decoding: s, as: UTF8.self) }
        func trimSpaces(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var s = s
            while s.first == 0x20 { s.removeFirst() }
            while s.last == 0x20 { s.removeLast() }
            return s
        }
        let template = "Parameter \"\(argument)\" doesn't follow the template \"\(Self.decodeAsTemplate)\""

        // The layer type: up to the first '=', or up to a ',' when there is no '='.
        var separator = chars.firstIndex(of: 0x3d)
        if separator == nil {
            separator = chars.firstIndex(of: 0x2c)
            if separator == nil { out.messages.append(template) }
        }
        let tableName = text(trimSpaces(chars[..<(separator ?? chars.count)]))
        var table: DissectorTable?
        if tableName.isEmpty {
            out.messages.append("No layer type specified")
        } else if let t = tables[tableName], t.acceptsDecodeAs {
            table = t
        } else {
            out.messages.append("Unknown layer type -- \(tableName)")
        }
        guard let table else {
            out.messages.append("Valid layer types are:")
            out.listing = decodeAsLayerTypes()
            return out
        }
        guard var rest = separator else { return out }

        // The selector: after "==" (a single '=' is accepted with a warning), up to the next ','.
        if rest + 1 < chars.count, chars[rest + 1] == 0x3d {
            rest += 1
        } else {
            out.messages.append("WARNING: -d requires \"==\" instead of \"=\". Option will be treated as \"\(tableName)==\(text(chars[min(rest + 1, chars.count)...]))\"")
        }
        let selectorStart = rest + 1
        let comma = chars[min(selectorStart, chars.count)...].firstIndex(of: 0x2c)
        if comma == nil { out.messages.append(template) }
        let selector = chars[min(selectorStart, chars.count)..<(comma ?? chars.count)]
        let selectorText = text(selector)

        var keys: ClosedRange<UInt64>? = nil
        if !table.hasStringSelector {
            var s = Array(selector)
            var i = 0
            while i < s.count, CNumber.isSpace(s[i]) { i += 1 }
            s = Array(s[i...])
            guard let (first, end) = CNumber.strtoull(s, from: 0), first <= UInt64(UInt32.max) else {
                out.messages.append("Invalid selector number \"\(selectorText)\"")
                return out
            }
            if end == s.count {
                keys = first...first
            } else if s[end] == 0x3a || s[end] == 0x2d {
                let isCount = s[end] == 0x3a
                guard let (second, end2) = CNumber.strtoull(s, from: end + 1), second <= UInt64(UInt32.max),
                      end2 == s.count else {
                    out.messages.append("Invalid selector numeric range \"\(selectorText)\"")
                    return out
                }
                if isCount {
                    guard second != 0, first + second - 1 <= UInt64(UInt32.max) else {
                        out.messages.append("Invalid selector numeric range \"\(selectorText)\"")
                        return out
                    }
                    keys = first...(first + second - 1)
                } else {
                    guard second >= first else {
                        out.messages.append("Invalid selector numeric range \"\(selectorText)\"")
                        return out
                    }
                    keys = first...second
                }
            } else {
                out.messages.append("Invalid selector number \"\(selectorText)\"")
                return out
            }
        }

        let listProtocols = { (o: inout DecodeAsOutcome) in
            o.messages.append("Valid protocols for layer type \"\(tableName)\" are:")
            o.listing = self.decodeAsProtocols(for: tableName)
        }
        guard let comma else {
            listProtocols(&out)
            return out
        }
        let protocolName = text(trimSpaces(chars[(comma + 1)...]))
        guard !protocolName.isEmpty else {
            out.messages.append("No protocol name specified")
            listProtocols(&out)
            return out
        }
        guard let match = table.decodeAsCandidates(registry).first(where: { $0.abbrev == protocolName }) else {
            if let id = registry.lookup(protocolName), registry[id].isProtocol {
                out.messages.append("Protocol \"\(protocolName)\" isn't valid for layer type \"\(tableName)\"")
            } else {
                out.messages.append("Unknown protocol -- \"\(protocolName)\"")
            }
            listProtocols(&out)
            return out
        }

        if let keys {
            var k = keys.lowerBound
            while true {
                table.decodeAs(UInt32(k), match.handle)
                if k == keys.upperBound { break }
                k += 1
            }
        } else {
            table.decodeAs(selectorText, match.handle)
        }
        out.applied = true
        return out
    }
}

/// C's number parsing as tshark's option parsers use it.
enum CNumber {
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0d) }

    /// `strtoull(s + from, &end, 0)`: leading white space, an optional sign, then `0x`/`0X` hex,
    /// a leading `0` octal, or decimal. Returns the value (negated modulo 2^64 after a '-', as C
    /// does; saturated on overflow) and the index just past the digits, or nil when there are
    /// no digits at all.
    static func strtoull(_ s: [UInt8], from start: Int) -> (UInt64, Int)? {
        var i = start
        while i < s.count, isSpace(s[i]) { i += 1 }
        var negative = false
        if i < s.count, s[i] == 0x2b || s[i] == 0x2d { negative = s[i] == 0x2d; i += 1 }
        var base: UInt64 = 10
        if i < s.count, s[i] == 0x30 {
            if i + 2 < s.count, s[i + 1] | 0x20 == 0x78, digit(s[i + 2], 16) != nil {
                base = 16
                i += 2
            } else {
                base = 8
            }
        }
        let digitsStart = i
        var value: UInt64 = 0
        var overflow = false
        while i < s.count, let d = digit(s[i], base) {
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { overflow = true }
            value = a
            i += 1
        }
        guard i > digitsStart else { return nil }
        if overflow { return (UInt64.max, i) }
        return (negative ? 0 &- value : value, i)
    }

    static func digit(_ c: UInt8, _ base: UInt64) -> UInt64? {
        let v: UInt64
        switch c {
        case 0x30...0x39: v = UInt64(c - 0x30)
        case 0x61...0x66: v = UInt64(c - 0x61 + 10)
        case 0x41...0x46: v = UInt64(c - 0x41 + 10)
        default: return nil
        }
        return v < base ? v : nil
    }
}
