#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A literal as written: its meaning is decided by the type it is compared with (tshark's
/// semantic check converts it to the field's type at compile time).
struct Literal {
    enum Kind {
        /// A bare word: `80`, `10.0.0.0/8`, `aa:bb:cc`, `TCP`.
        case unparsed(String)
        /// `:aa:bb`: the text after the colon, and the whole token.
        case colon(String, String)
        case string([UInt8], String)
        case charconst(UInt64, String)
    }
    var kind: Kind
    var location: FilterLocation

    /// The text shown in "… is not a valid …" messages.
    var text: String {
        switch kind {
        case .unparsed(let s): return s
        case .colon(_, let full): return full
        case .string(let b, _): return String(decoding: b, as: UTF8.self)
        case .charconst(_, let t): return t
        }
    }
}

/// Conversion of literals to typed constants, with tshark 4.0's messages.
enum LiteralConverter {
    static func fail(_ m: String, _ l: Literal) -> FilterError { FilterError(m, at: l.location) }

    /// `lit` as a value of `type` (the type of `field` when there is one, for value strings).
    static func convert(_ lit: Literal, to type: FieldType, field: FieldInfo?) throws(FilterError) -> Constant {
        switch lit.kind {
        case .charconst(let v, let text):
            switch type {
            case _ where type.isIntegerLike: return .uint(v)
            case .boolean: return .uint(v != 0 ? 1 : 0)
            case .bytes, .uintBytes, .protocolItem, .string, .stringz, .uintString: return .bytes([UInt8(truncatingIfNeeded: v)])
            case .double, .float: return .double(Double(v))
            default:
                throw fail("Character constant \(text) (0x\(String(v, radix: 16))) cannot be converted to \(type.prettyName).", lit)
            }
        case .string(let bytes, _):
            let s = String(decoding: bytes, as: UTF8.self)
            switch type {
            case .string, .stringz, .uintString, .bytes, .uintBytes, .protocolItem: return .bytes(bytes)
            case .boolean:
                return .uint(try booleanFromName(s, lit, field))
            case .absoluteTime:
                return .time(try AbsoluteTimeParser.parse(s, lit))
            case _ where type.isIntegerLike:
                if let f = field, let strings = f.strings, hasNames(strings) {
                    if let v = valueForName(s, strings) { return .uint(v) }
                    throw fail("\"\(s)\" cannot be found among the possible values for \(f.abbrev).", lit)
                }
                throw fail("\(type.prettyName) cannot be converted from a string (\"\(s)\").", lit)
            default:
                throw fail("\(type.prettyName) cannot be converted from a string (\"\(s)\").", lit)
            }
        case .unparsed(let s):
            return try fromText(s, full: s, lit, type, field)
        case .colon(let s, let full):
            return try fromText(s, full: full, lit, type, field)
        }
    }

    private static func fromText(_ s: String, full: String, _ lit: Literal, _ type: FieldType,
                                 _ field: FieldInfo?) throws(FilterError) -> Constant {
        switch type {
        case .boolean:
            if let v = parseUnsigned(full) { return .uint(v != 0 ? 1 : 0) }
            if full == "True" || full == "TRUE" { return .uint(1) }
            if full == "False" || full == "FALSE" { return .uint(0) }
            return .uint(try booleanFromName(full, lit, field))
        case _ where type.isIntegerLike:
            return try integer(full, lit, type, field)
        case .double, .float:
            guard let d = parseDouble(full) else { throw fail("\"\(full)\" is not a valid number.", lit) }
            return .double(d)
        case .relativeTime:
            guard let t = parseRelativeTime(full) else { throw fail("\"\(full)\" is not a valid time.", lit) }
            return .time(t)
        case .absoluteTime:
            return .time(try AbsoluteTimeParser.parse(full, lit))
        case .ipv4:
            return try ipv4(full, lit)
        case .ipv6:
            return try ipv6(full, lit)
        case .ether:
            guard let b = parseBytes(s) ?? parseDotQuadMAC(s) else {
                throw fail("\"\(full)\" is not a valid Ethernet address.", lit)
            }
            if b.count < 6 { throw fail("\"\(full)\" contains too few bytes to be a valid Ethernet address.", lit) }
            if b.count > 6 { throw fail("\"\(full)\" contains too many bytes to be a valid Ethernet address.", lit) }
            return .bytes(b)
        case .bytes, .uintBytes:
            guard let b = parseBytes(s) else { throw fail("\"\(s)\" is not a valid byte string.", lit) }
            return .bytes(b)
        case .protocolItem:
            // A protocol compares with bytes, or with the literal's text.
            // (A literal with byte separators must be a byte string: `frame contains aa.bb.hh` fails.)
            if let b = parseBytes(s) { return .bytes(b) }
            if s.contains(where: { $0 == ":" || $0 == "." || $0 == "-" }) {
                throw fail("\"\(full)\" is not a valid byte string.", lit)
            }
            return .bytes(Array(s.utf8))
        case .string, .stringz, .uintString:
            return .bytes(Array(s.utf8))
        case .guid:
            throw fail("\"\(full)\" is not a valid GUID.", lit)
        case .oid:
            throw fail("\"\(full)\" is not a valid OBJECT IDENTIFIER.", lit)
        default:
            throw fail("\"\(full)\" is not a valid \(type.prettyName).", lit)
        }
    }

    // MARK: integers

    static func hasNames(_ s: ValueStrings) -> Bool {
        if case .units = s { return false }
        return true
    }

    /// The value whose label is `name` (case-insensitive), as tshark's reverse value-string lookup.
    static func valueForName(_ name: String, _ strings: ValueStrings) -> UInt64? {
        let n = name.lowercased()
        switch strings {
        case .values(let d):
            return d.filter { $0.value.lowercased() == n }.map(\.key).min()
        case .ranges(let r):
            return r.first { $0.name.lowercased() == n }?.lo
        case .trueFalse(let t, let f):
            if t.lowercased() == n { return 1 }
            if f.lowercased() == n { return 0 }
            return nil
        case .units:
            return nil
        }
    }

    static func booleanFromName(_ s: String, _ lit: Literal, _ field: FieldInfo?) throws(FilterError) -> UInt64 {
        var strings = ValueStrings.trueFalse("True", "False")
        if let f = field, let fs = f.strings, case .trueFalse = fs { strings = fs }
        if let v = valueForName(s, strings) { return v }
        throw fail("\"\(s)\" cannot be found among the possible values for \(field?.abbrev ?? "").", lit)
    }

    static func integer(_ s: String, _ lit: Literal, _ type: FieldType, _ field: FieldInfo?) throws(FilterError) -> Constant {
        let bits = type == .ipxnet ? 32 : (type == .eui64 ? 64 : type.bitWidth)
        let names = field?.strings.map(hasNames) ?? false
        func notFound() -> FilterError {
            fail("\"\(s)\" cannot be found among the possible values for \(field?.abbrev ?? "").", lit)
        }
        if type.isSigned {
            guard let v = parseSigned(s) else {
                if names, let v = valueForName(s, field!.strings!) { return .sint(Int64(bitPattern: v)) }
                if isOverflow(s) { throw fail("\"\(s)\" causes an integer overflow.", lit) }
                throw names ? notFound() : fail("\"\(s)\" is not a valid number.", lit)
            }
            let maxV = bits >= 64 ? Int64.max : (Int64(1) << (bits - 1)) - 1
            let minV = bits >= 64 ? Int64.min : -(Int64(1) << (bits - 1))
            if v > maxV { throw names ? notFound() : fail("\"\(s)\" too big for this field, maximum \(maxV).", lit) }
            if v < minV { throw names ? notFound() : fail("\"\(s)\" too small for this field, minimum \(minV).", lit) }
            return .sint(v)
        }
        guard let v = parseUnsigned(s) else {
            if names, let v = valueForName(s, field!.strings!) { return .uint(v) }
            if isOverflow(s) { throw fail("\"\(s)\" causes an integer overflow.", lit) }
            throw names ? notFound() : fail("\"\(s)\" is not a valid number.", lit)
        }
        let maxV: UInt64 = bits >= 64 ? UInt64.max : (UInt64(1) << UInt64(bits)) - 1
        if v > maxV {
            if names { throw notFound() }
            throw fail("\"\(s)\" too big for this field, maximum \(maxV).", lit)
        }
        return .uint(v)
    }

    /// C-style unsigned integer: decimal, `0x` hex, `0` octal, `0b` binary (4.0).
    static func parseUnsigned(_ s: String) -> UInt64? {
        var b = Array(s.utf8)
        if b.first == UInt8(ascii: "+") { b.removeFirst() }
        guard !b.isEmpty else { return nil }
        var base: UInt64 = 10
        var i = 0
        if b.count >= 2, b[0] == UInt8(ascii: "0"), b[1] | 0x20 == UInt8(ascii: "x") { base = 16; i = 2 }
        else if b.count >= 2, b[0] == UInt8(ascii: "0"), b[1] | 0x20 == UInt8(ascii: "b") { base = 2; i = 2 }
        else if b[0] == UInt8(ascii: "0") { base = 8 }
        if i == b.count && base == 2 { return 0 } // "0b": tshark 4.0 takes it as zero
        guard i < b.count else { return nil }
        var v: UInt64 = 0
        while i < b.count {
            let c = b[i] | 0x20
            let d: UInt64
            if b[i] >= 0x30 && b[i] <= 0x39 { d = UInt64(b[i] - 0x30) }
            else if c >= 0x61 && c <= 0x66 { d = UInt64(c - 0x61 + 10) }
            else { return nil }
            if d >= base { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            v = a
            i += 1
        }
        return v
    }

    /// A well-formed number too large for 64 bits.
    static func isOverflow(_ s: String) -> Bool {
        let digits = s.hasPrefix("-") || s.hasPrefix("+") ? String(s.dropFirst()) : s
        return !digits.isEmpty && !digits.hasPrefix("0") && digits.allSatisfy { $0.isASCII && $0.isNumber }
            && parseUnsigned(digits) == nil
    }

    static func parseSigned(_ s: String) -> Int64? {
        if s.hasPrefix("-") {
            guard let m = parseUnsigned(String(s.dropFirst())) else { return nil }
            return m > UInt64(Int64.max) + 1 ? Int64.min : (m == UInt64(Int64.max) + 1 ? Int64.min : -Int64(m))
        }
        guard let m = parseUnsigned(s) else { return nil }
        return m > UInt64(Int64.max) ? Int64.max : Int64(m)
    }

    /// strtod: decimal or hex floats, exponents, inf/nan.
    static func parseDouble(_ s: String) -> Double? {
        guard !s.isEmpty else { return nil }
        var result: Double?
        s.withCString { p in
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(p, &end)
            if let end, end.pointee == 0, end != UnsafeMutablePointer(mutating: p) { result = v }
        }
        return result
    }

    /// Seconds as tshark 4.0 reads a relative time: whole seconds, or seconds, a dot and the
    /// fraction's digits (whatever follows them is ignored: "1.5e2" is 1.5 s, "1e2" is no time).
    static func parseRelativeTime(_ s: String) -> Timestamp? {
        let b = Array(s.utf8)
        let isDigit = { (c: UInt8) in c >= 0x30 && c <= 0x39 }
        guard let dot = b.firstIndex(of: UInt8(ascii: ".")) else {
            guard !b.isEmpty, b.allSatisfy(isDigit), b.count <= 18 else { return nil }
            return Timestamp(seconds: Int64(String(decoding: b, as: UTF8.self))!, nanoseconds: 0)
        }
        let whole = b[..<dot]
        guard !whole.isEmpty, whole.allSatisfy(isDigit), whole.count <= 18 else { return nil }
        var nanos: Int64 = 0
        var scale: Int64 = 100_000_000
        var i = dot + 1
        while i < b.count, isDigit(b[i]) {
            nanos += Int64(b[i] - 0x30) * scale
            scale /= 10
            i += 1
        }
        return Timestamp(seconds: Int64(String(decoding: whole, as: UTF8.self))!, nanoseconds: Int32(nanos))
    }

    // MARK: addresses and bytes

    /// Hex bytes separated by `:`, `-` or `.` (one or two digits each), or an even run of digits.
    static func parseBytes(_ s: String) -> [UInt8]? {
        let b = Array(s.utf8)
        guard !b.isEmpty else { return nil }
        let seps: Set<UInt8> = [UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: ".")]
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        if let sep = b.first(where: { seps.contains($0) }) {
            var out: [UInt8] = []
            var groups = b.split(separator: sep, omittingEmptySubsequences: false)
            // "aa:" is one byte (the scanner's `{hex2}:` form).
            if sep == UInt8(ascii: ":"), groups.count == 2, groups[1].isEmpty { groups.removeLast() }
            // "ffff.ffff.ffff": groups of four digits separated by dots.
            if sep == UInt8(ascii: "."), groups.allSatisfy({ $0.count == 4 }) {
                groups = groups.flatMap { [$0.prefix(2), $0.suffix(2)] }
            }
            for group in groups {
                guard group.count == 1 || group.count == 2 else { return nil }
                var v: UInt8 = 0
                for c in group {
                    guard let h = hex(c) else { return nil }
                    v = v << 4 | h
                }
                out.append(v)
            }
            return out
        }
        // An odd run of digits reads as if it had a leading zero ("256" is 02:56), as in tshark 4.0.
        let digits = b.count % 2 == 1 ? [UInt8(ascii: "0")] + b : b
        var out: [UInt8] = []
        var i = 0
        while i < digits.count {
            guard let h = hex(digits[i]), let l = hex(digits[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }

    /// Cisco style "aabb.ccdd.eeff".
    static func parseDotQuadMAC(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.count == 4 }) else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard let v = UInt16(p, radix: 16) else { return nil }
            out.append(UInt8(v >> 8))
            out.append(UInt8(v & 0xff))
        }
        return out
    }

    static func parseIPv4(_ s: Substring) -> UInt32? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt32(p), n <= 255 else { return nil }
            if p.count > 1 && p.first == "0" { return nil }
            v = v << 8 | n
        }
        return v
    }

    static func ipv4(_ s: String, _ lit: Literal) throws(FilterError) -> Constant {
        var addr = Substring(s)
        var mask: UInt32 = 0xffff_ffff
        if let slash = s.firstIndex(of: "/") {
            addr = s[..<slash]
            guard let bits = Int(s[s.index(after: slash)...]) else {
                throw fail("\"\(s)\" is not a valid hostname or IPv4 address.", lit)
            }
            guard let a = parseIPv4(addr) else {
                throw FilterError("\"\(addr)\" is not a valid hostname or IPv4 address.",
                                  at: FilterLocation(lit.location.offset, addr.utf8.count))
            }
            if bits > 32 { throw fail("Netmask bits in a CIDR IPv4 address should be <= 32, not \(bits)", lit) }
            mask = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
            return .ipv4(a, mask)
        }
        guard let a = parseIPv4(addr) else { throw fail("\"\(s)\" is not a valid hostname or IPv4 address.", lit) }
        return .ipv4(a, mask)
    }

    static func parseIPv6(_ s: Substring) -> IPv6Address? {
        var out = [UInt8](repeating: 0, count: 16)
        let ok = String(s).withCString { p in
            out.withUnsafeMutableBytes { inet_pton(AF_INET6, p, $0.baseAddress) == 1 }
        }
        guard ok else { return nil }
        var hi: UInt64 = 0, lo: UInt64 = 0
        for i in 0..<8 { hi = hi << 8 | UInt64(out[i]) }
        for i in 8..<16 { lo = lo << 8 | UInt64(out[i]) }
        return IPv6Address(hi: hi, lo: lo)
    }

    static func ipv6(_ s: String, _ lit: Literal) throws(FilterError) -> Constant {
        if let slash = s.firstIndex(of: "/") {
            let addr = s[..<slash]
            guard let a = parseIPv6(addr) else {
                throw FilterError("\"\(addr)\" is not a valid hostname or IPv6 address.",
                                  at: FilterLocation(lit.location.offset, addr.utf8.count))
            }
            guard let bits = Int(s[s.index(after: slash)...]) else {
                throw fail("\"\(s)\" is not a valid hostname or IPv6 address.", lit)
            }
            if bits > 128 { throw fail("Prefix in a IPv6 address should be <= 128, not \(bits)", lit) }
            return .ipv6(a, bits)
        }
        guard let a = parseIPv6(Substring(s)) else { throw fail("\"\(s)\" is not a valid hostname or IPv6 address.", lit) }
        return .ipv6(a, 128)
    }
}

/// Absolute times as tshark 4.0 accepts them: "Nov 12, 1999 08:55:44.123" or
/// "2011-07-04 12:34:56" (or with `T`), optionally followed by "UTC" / "Z"; local time otherwise.
enum AbsoluteTimeParser {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func invalid(_ s: String, _ lit: Literal) -> FilterError {
        FilterError("\"\(s)\" is not a valid absolute time. Example: \"Nov 12, 1999 08:55:44.123\" or \"2011-07-04 12:34:56\"",
                    at: lit.location)
    }

    static func parse(_ s: String, _ lit: Literal) throws(FilterError) -> Timestamp {
        let b = Array(s.utf8)
        var i = 0
        func skipSpaces() { while i < b.count, b[i] == 0x20 { i += 1 } }
        func number(maxDigits: Int = 10) -> Int? {
            let start = i
            var v = 0
            while i < b.count, i - start < maxDigits, b[i] >= 0x30 && b[i] <= 0x39 { v = v * 10 + Int(b[i] - 0x30); i += 1 }
            return i == start ? nil : v
        }
        func eat(_ c: Character) -> Bool {
            if i < b.count, b[i] == c.asciiValue! { i += 1; return true }
            return false
        }
        var year = 0, month = 0, day = 0
        skipSpaces()
        let isoDate = i < b.count && b[i] >= 0x30 && b[i] <= 0x39
        if isoDate {
            guard let y = number(), eat("-"), let m = number(), eat("-"), let d = number() else { throw invalid(s, lit) }
            year = y; month = m; day = d
            if i < b.count, !eat("T") { guard b[i] == 0x20 else { throw invalid(s, lit) }; skipSpaces() }
        } else {
            guard i + 3 <= b.count else { throw invalid(s, lit) }
            let name = String(decoding: b[i..<(i + 3)], as: UTF8.self).lowercased()
            guard let m = months.firstIndex(of: name) else { throw invalid(s, lit) }
            i += 3
            month = m + 1
            skipSpaces()
            guard let d = number() else { throw invalid(s, lit) }
            day = d
            guard eat(",") else { throw invalid(s, lit) }
            skipSpaces()
            guard let y = number() else { throw invalid(s, lit) }
            year = y
            skipSpaces()
        }
        skipSpaces()
        if i == b.count && isoDate {
            // An ISO date alone means its midnight.
            return try finish(year, month, day, 0, 0, 0, 0, utc: false, offset: 0, s, lit)
        }
        guard let hh = number(), eat(":"), let mm = number() else { throw invalid(s, lit) }
        var ss = 0
        var nanos = 0
        var hasSeconds = false
        if eat(":") {
            guard let v = number() else { throw invalid(s, lit) }
            ss = v
            hasSeconds = true
        } else if !isoDate {
            throw invalid(s, lit) // "Nov 12, 1999 08:55" needs its seconds
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            guard hasSeconds else { throw FilterError("Subsecond precision requires a seconds field.", at: lit.location) }
            i += 1
            var scale = 100_000_000
            let start = i
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                if scale > 0 { nanos += Int(b[i] - 0x30) * scale }
                scale /= 10
                i += 1
            }
            if i == start { throw invalid(s, lit) }
        }
        guard month >= 1, month <= 12, day >= 1, day <= 31, hh < 24, mm < 60, ss <= 60 else { throw invalid(s, lit) }
        var utc = false
        var offset = 0
        // ISO 8601 zone right after the time: "Z", "+01:00", "-0100".
        if isoDate, i < b.count, b[i] == UInt8(ascii: "Z") {
            utc = true
            i += 1
        } else if isoDate, i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let h = number(maxDigits: 2) else { throw FilterError("Unexpected data after time value.", at: lit.location) }
            _ = eat(":")
            let m = number(maxDigits: 2) ?? 0
            utc = true
            offset = sign * (h * 3600 + m * 60)
        }
        skipSpaces()
        if i < b.count {
            let rest = String(decoding: b[i...], as: UTF8.self)
            if rest == "UTC" && !utc {
                utc = true
            } else {
                throw FilterError("Unexpected data after time value.", at: lit.location)
            }
        }
        return try finish(year, month, day, hh, mm, ss, nanos, utc: utc, offset: offset, s, lit)
    }

    static func finish(_ year: Int, _ month: Int, _ day: Int, _ hh: Int, _ mm: Int, _ ss: Int, _ nanos: Int,
                       utc: Bool, offset: Int, _ s: String, _ lit: Literal) throws(FilterError) -> Timestamp {
        guard month >= 1, month <= 12, day >= 1, day <= 31 else { throw invalid(s, lit) }
        var t = tm()
        t.tm_year = Int32(year - 1900)
        t.tm_mon = Int32(month - 1)
        t.tm_mday = Int32(day)
        t.tm_hour = Int32(hh)
        t.tm_min = Int32(mm)
        t.tm_sec = Int32(ss)
        t.tm_isdst = -1
        let secs: Int
        if utc {
            secs = timegm(&t) - offset
        } else {
            secs = mktime(&t)
        }
        return Timestamp(seconds: Int64(secs), nanoseconds: Int32(nanos))
    }
}
