/// The comparison operators, with Wireshark 4.0's quantifier built in: `==` is any-equal,
/// `!=` all-not-equal, `===` all-equal, `!==` any-not-equal.
public enum CompareOp: Sendable, Equatable {
    case anyEq, allNe, allEq, anyNe, gt, ge, lt, le
}

/// One token of a display filter, with the text tshark shows for it in messages.
struct Token {
    enum Kind: Equatable {
        case lparen, rparen, comma, lbrace, rbrace, dotdot, dollar, hash, lbracket, rbracket
        /// The text between `[` (or `,`) and `,` / `]`: "0:3", "-1", "2-4".
        case rangeNode
        /// Digits after `#`.
        case layerIndex
        case any, all
        case compare(CompareOp)
        case contains, matches, `in`, not, and, or
        case plus, minus, star, slash, percent, bitAnd
        /// A quoted string; its value is `bytes`.
        case string
        /// `'a'`; its value is `number`.
        case charconst
        /// A name or value resolved later (field, protocol, function name or literal).
        case word
        /// `.name`: always a field (Wireshark 4.0's leading-dot disambiguation).
        case dotField
        /// `:aa:bb`: always a literal; `value` is the text after the colon.
        case colonLiteral
        /// Any other character; the parser reports it as unexpected.
        case unexpected
        /// A scanning error, reported when the parser reaches it (as tshark's scanner does).
        case error
        case eof
    }
    var kind: Kind
    /// The token as tshark names it in "… was unexpected in this context.".
    var text: String
    var location: FilterLocation
    /// Word value (colon literal without the colon, dot field without the dot).
    var value: String = ""
    var bytes: [UInt8] = []
    var number: UInt64 = 0
    var errorMessage: String = ""
}

/// Splits a filter into tokens the way Wireshark 4.0's scanner does: `[` switches to slice
/// ranges, `#` to layer numbers, quotes to strings; everything else is a word resolved later
/// against the field registry. Scanning errors become `.error` tokens so they surface in the
/// same order as tshark's (the parser may stop at an earlier token).
struct Lexer {
    private let src: [UInt8]
    private var pos = 0
    private(set) var tokens: [Token] = []

    static let keywords: [String: Token.Kind] = [
        "any": .any, "all": .all,
        "eq": .compare(.anyEq), "any_eq": .compare(.anyEq),
        "ne": .compare(.allNe), "all_ne": .compare(.allNe),
        "all_eq": .compare(.allEq), "any_ne": .compare(.anyNe),
        "gt": .compare(.gt), "ge": .compare(.ge), "lt": .compare(.lt), "le": .compare(.le),
        "contains": .contains, "matches": .matches, "in": .in,
        "not": .not, "and": .and, "or": .or, "bitwise_and": .bitAnd,
    ]

    init(_ text: String) {
        src = Array(text.utf8)
    }

    /// Tokenizes the whole filter; always ends with `.eof` (or stops at the first `.error`).
    static func tokenize(_ text: String) -> [Token] {
        var l = Lexer(text)
        l.run()
        return l.tokens
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: src[start..<end], as: UTF8.self)
    }

    private mutating func emit(_ kind: Token.Kind, _ start: Int, _ end: Int) {
        tokens.append(Token(kind: kind, text: text(start, end), location: FilterLocation(start, end - start)))
    }

    private mutating func fail(_ message: String, _ start: Int, _ length: Int) {
        var t = Token(kind: .error, text: "", location: FilterLocation(start, length))
        t.errorMessage = message
        tokens.append(t)
    }

    static func isWordChar(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f || c == 0x3a
            || c == 0x2d
    }

    static func isWordStart(_ c: UInt8) -> Bool { isWordChar(c) && c != 0x2d }

    private func peek(_ off: Int = 0) -> UInt8? {
        pos + off < src.count ? src[pos + off] : nil
    }

    private mutating func run() {
        while true {
            while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d { pos += 1 }
            guard let c = peek() else {
                tokens.append(Token(kind: .eof, text: "", location: FilterLocation(src.count, 0)))
                return
            }
            let start = pos
            switch c {
            case UInt8(ascii: "("): pos += 1; emit(.lparen, start, pos)
            case UInt8(ascii: ")"): pos += 1; emit(.rparen, start, pos)
            case UInt8(ascii: ","): pos += 1; emit(.comma, start, pos)
            case UInt8(ascii: "{"): pos += 1; emit(.lbrace, start, pos)
            case UInt8(ascii: "}"): pos += 1; emit(.rbrace, start, pos)
            case UInt8(ascii: "$"): pos += 1; emit(.dollar, start, pos)
            case UInt8(ascii: "+"): pos += 1; emit(.plus, start, pos)
            case UInt8(ascii: "-"): pos += 1; emit(.minus, start, pos)
            case UInt8(ascii: "*"): pos += 1; emit(.star, start, pos)
            case UInt8(ascii: "/"): pos += 1; emit(.slash, start, pos)
            case UInt8(ascii: "%"): pos += 1; emit(.percent, start, pos)
            case UInt8(ascii: "~"):
                if peek(1) == UInt8(ascii: "=") { pos += 2; emit(.compare(.anyNe), start, pos) } // deprecated in 4.0
                else { pos += 1; emit(.matches, start, pos) }
            case UInt8(ascii: "="):
                if peek(1) == UInt8(ascii: "="), peek(2) == UInt8(ascii: "=") { pos += 3; emit(.compare(.allEq), start, pos) }
                else if peek(1) == UInt8(ascii: "=") { pos += 2; emit(.compare(.anyEq), start, pos) }
                else { pos += 1; emit(.unexpected, start, pos) }
            case UInt8(ascii: "!"):
                if peek(1) == UInt8(ascii: "="), peek(2) == UInt8(ascii: "=") { pos += 3; emit(.compare(.anyNe), start, pos) }
                else if peek(1) == UInt8(ascii: "=") { pos += 2; emit(.compare(.allNe), start, pos) }
                else { pos += 1; emit(.not, start, pos) }
            case UInt8(ascii: ">"):
                if peek(1) == UInt8(ascii: "=") { pos += 2; emit(.compare(.ge), start, pos) }
                else { pos += 1; emit(.compare(.gt), start, pos) }
            case UInt8(ascii: "<"):
                if peek(1) == UInt8(ascii: "=") { pos += 2; emit(.compare(.le), start, pos) }
                else { pos += 1; emit(.compare(.lt), start, pos) }
            case UInt8(ascii: "&"):
                if peek(1) == UInt8(ascii: "&") { pos += 2; emit(.and, start, pos) }
                else { pos += 1; emit(.bitAnd, start, pos) }
            case UInt8(ascii: "|"):
                if peek(1) == UInt8(ascii: "|") { pos += 2; emit(.or, start, pos) }
                else { pos += 1; emit(.unexpected, start, pos) }
            case UInt8(ascii: "#"):
                pos += 1
                emit(.hash, start, pos)
                if !scanLayer() { return }
            case UInt8(ascii: "["):
                pos += 1
                emit(.lbracket, start, pos)
                if !scanRange() { return }
            case UInt8(ascii: "\""):
                if !scanString(start: start, raw: false) { return }
            case UInt8(ascii: "'"):
                if !scanCharConst(start: start) { return }
            case UInt8(ascii: "."):
                if peek(1) == UInt8(ascii: ".") { pos += 2; emit(.dotdot, start, pos) }
                else if let n = peek(1), Lexer.isIdentChar(n), n != 0x2d {
                    pos += 1
                    scanWordBody()
                    var t = Token(kind: .dotField, text: text(start, pos), location: FilterLocation(start, pos - start))
                    t.value = text(start + 1, pos)
                    tokens.append(t)
                } else { pos += 1; emit(.unexpected, start, pos) }
            default:
                if (c == UInt8(ascii: "r") || c == UInt8(ascii: "R")) && peek(1) == UInt8(ascii: "\"") {
                    pos += 1
                    if !scanString(start: start, raw: true) { return }
                } else if let (end, isName) = scanWord(start) {
                    pos = end
                    let word = text(start, pos)
                    var kind = Token.Kind.word
                    var value = word
                    if isName {
                        kind = Lexer.keywords[word] ?? .word
                    } else if c == UInt8(ascii: ":") {
                        kind = .colonLiteral
                        value = text(start + 1, pos)
                    }
                    var t = Token(kind: kind, text: word, location: FilterLocation(start, pos - start))
                    t.value = value
                    tokens.append(t)
                } else if c >= 0x80 || c < 0x20 || c == 0x7f {
                    fail("Non-printable ASCII characters may only appear inside double-quotes.", start, 1)
                    return
                } else {
                    // One character the language does not use.
                    pos += 1
                    while let n = peek(), n & 0xc0 == 0x80 { pos += 1 }
                    emit(.unexpected, start, pos)
                }
            }
        }
    }

    static func isIdentChar(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f || c == 0x2d
    }

    static func isHex(_ c: UInt8) -> Bool { hexValue(c) != nil }

    /// Name segments joined by single dots: "ip.addr", "mac-lte", "10.0.0.1", "68-1".
    private mutating func scanWordBody() {
        pos = identEnd(pos)
    }

    private func identEnd(_ from: Int) -> Int {
        var p = from
        while true {
            while p < src.count, Lexer.isIdentChar(src[p]) { p += 1 }
            if p + 1 < src.count, src[p] == UInt8(ascii: "."), Lexer.isIdentChar(src[p + 1]), src[p + 1] != 0x2d {
                p += 1
            } else {
                return p
            }
        }
    }

    /// Longest match among tshark 4.0's word patterns at `start`: a name or unparsed value, an
    /// IPv4 or IPv6 address (with CIDR prefix), a byte string `aa:bb:cc` (`:`-prefixed forms
    /// too). Returns the end and whether the word is a name (may be a field or keyword).
    private func scanWord(_ start: Int) -> (Int, Bool)? {
        let c = src[start]
        var best = start
        var isName = false
        if c != 0x2d && Lexer.isIdentChar(c) {
            best = identEnd(start)
            isName = true
        }
        func take(_ end: Int) {
            if end > best { best = end; isName = false }
        }
        take(ipv4End(start))
        take(ipv6End(start))
        take(colonBytesEnd(start))
        if c == UInt8(ascii: ":") {
            take(colonBytesEnd(start + 1))
            take(separatedBytesEnd(start + 1, UInt8(ascii: "-")))
            take(separatedBytesEnd(start + 1, UInt8(ascii: ".")))
            var p = start + 1
            while p < src.count, Lexer.isHex(src[p]) { p += 1 }
            if p > start + 1 { take(p) }
        }
        return best > start ? (best, isName) : nil
    }

    /// Decimal digits (1 to `max`) at `p`.
    private func digitsEnd(_ p: Int, max: Int) -> Int {
        var q = p
        while q < src.count, q - p < max, src[q] >= 0x30 && src[q] <= 0x39 { q += 1 }
        return q
    }

    /// A dotted quad with an optional `/nn` (the scanner's IPv4 pattern).
    private func ipv4End(_ start: Int) -> Int {
        var p = start
        for i in 0..<4 {
            if i > 0 {
                guard p < src.count, src[p] == UInt8(ascii: ".") else { return start }
                p += 1
            }
            let e = digitsEnd(p, max: 3)
            guard e > p else { return start }
            // Longest decimal octet ≤ 255 without a leading zero (a shorter one may still match).
            var best = p + 1
            if e - p >= 2, src[p] != 0x30 { best = p + 2 }
            if e - p >= 3, src[p] != 0x30 {
                let v = Int(src[p] - 0x30) * 100 + Int(src[p + 1] - 0x30) * 10 + Int(src[p + 2] - 0x30)
                if v <= 255 { best = p + 3 }
            }
            p = best
        }
        return cidrEnd(p, maxDigits: 2)
    }

    private func cidrEnd(_ p: Int, maxDigits: Int) -> Int {
        if p + 1 < src.count, src[p] == UInt8(ascii: "/") {
            let e = digitsEnd(p + 1, max: maxDigits)
            if e > p + 1 { return e }
        }
        return p
    }

    /// The longest prefix that is an IPv6 address (RFC 4291 text forms), with an optional `/nnn`.
    private func ipv6End(_ start: Int) -> Int {
        var run = start
        while run < src.count, Lexer.isHex(src[run]) || src[run] == UInt8(ascii: ":") || src[run] == UInt8(ascii: ".") {
            run += 1
        }
        guard src[start..<run].contains(UInt8(ascii: ":")) else { return start }
        var end = run
        while end > start + 1 {
            let candidate = Substring(String(decoding: src[start..<end], as: UTF8.self))
            if LiteralConverter.parseIPv6(candidate) != nil && !candidate.hasSuffix(".") {
                return cidrEnd(end, maxDigits: 3)
            }
            end -= 1
        }
        return start
    }

    /// `aa:bb(:cc)*` (two hex digits per byte).
    private func colonBytesEnd(_ start: Int) -> Int {
        var p = start
        guard p + 2 <= src.count, Lexer.isHex(src[p]), Lexer.isHex(src[p + 1]) else { return start }
        p += 2
        var end = start
        while p + 2 < src.count, src[p] == UInt8(ascii: ":"), Lexer.isHex(src[p + 1]), Lexer.isHex(src[p + 2]) {
            p += 3
            end = p
        }
        return end
    }

    /// `aa-bb(-cc)*` or `aa.bb(.cc)*`.
    private func separatedBytesEnd(_ start: Int, _ sep: UInt8) -> Int {
        var p = start
        guard p + 2 <= src.count, Lexer.isHex(src[p]), Lexer.isHex(src[p + 1]) else { return start }
        p += 2
        var end = start
        while p + 2 < src.count, src[p] == sep, Lexer.isHex(src[p + 1]), Lexer.isHex(src[p + 2]) {
            p += 3
            end = p
        }
        return end
    }

    private mutating func scanLayer() -> Bool {
        guard let c = peek() else { return true } // EOF: the parser reports the unexpected end
        if c >= 0x30 && c <= 0x39 {
            let start = pos
            while let d = peek(), d >= 0x30 && d <= 0x39 { pos += 1 }
            emit(.layerIndex, start, pos)
            return true
        }
        if c == UInt8(ascii: "[") {
            let start = pos
            pos += 1
            emit(.lbracket, start, pos)
            return scanRange()
        }
        var end = pos + 1
        while end < src.count, src[end] & 0xc0 == 0x80 { end += 1 }
        fail("Expected digit or \"[\", not \"\(text(pos, end))\"", pos, end - pos)
        return false
    }

    private mutating func scanRange() -> Bool {
        while true {
            guard let c = peek() else {
                fail("The right bracket was missing from a slice.", src.count, 1)
                return false
            }
            let start = pos
            if c == UInt8(ascii: ",") { pos += 1; emit(.comma, start, pos); continue }
            if c == UInt8(ascii: "]") { pos += 1; emit(.rbracket, start, pos); return true }
            while let d = peek(), d != UInt8(ascii: ","), d != UInt8(ascii: "]") { pos += 1 }
            emit(.rangeNode, start, pos)
        }
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    private static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 { out.append(UInt8(v)) }
        else if v < 0x800 { out += [UInt8(0xc0 | (v >> 6)), UInt8(0x80 | (v & 0x3f))] }
        else if v < 0x10000 {
            out += [UInt8(0xe0 | (v >> 12)), UInt8(0x80 | ((v >> 6) & 0x3f)), UInt8(0x80 | (v & 0x3f))]
        } else {
            out += [UInt8(0xf0 | (v >> 18)), UInt8(0x80 | ((v >> 12) & 0x3f)), UInt8(0x80 | ((v >> 6) & 0x3f)),
                    UInt8(0x80 | (v & 0x3f))]
        }
    }

    /// `"…"` with C escapes (\a \b \f \n \r \t \v \\ \" \' \NNN \xNN \uNNNN \UNNNNNNNN), or raw `r"…"`.
    private mutating func scanString(start: Int, raw: Bool) -> Bool {
        pos += 1 // opening quote
        let contentStart = pos
        var out: [UInt8] = []
        while true {
            guard let c = peek() else {
                fail("The final quote was missing from a quoted string.", src.count, 1)
                return false
            }
            if c == UInt8(ascii: "\"") { break }
            if c != UInt8(ascii: "\\") { out.append(c); pos += 1; continue }
            let escStart = pos
            guard let e = peek(1) else { pos += 1; continue } // EOF after backslash: missing quote next round
            if raw {
                out.append(c)
                out.append(e)
                pos += 2
                continue
            }
            switch e {
            case 0x30...0x37:
                var n = 0
                var v: UInt32 = 0
                pos += 1
                while n < 3, let d = peek(), d >= 0x30 && d <= 0x37 { v = v * 8 + UInt32(d - 0x30); pos += 1; n += 1 }
                if v > 0xff {
                    fail("\(text(escStart, pos)) is larger than 255.", escStart, pos - escStart)
                    return false
                }
                out.append(UInt8(v))
            case UInt8(ascii: "x") where peek(2).flatMap(Lexer.hexValue) != nil:
                pos += 2
                var v: UInt32 = 0
                var n = 0
                while n < 2, let d = peek(), let h = Lexer.hexValue(d) { v = v * 16 + h; pos += 1; n += 1 }
                out.append(UInt8(v))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let want = e == UInt8(ascii: "u") ? 4 : 8
                pos += 2
                var v: UInt32 = 0
                var n = 0
                while n < want, let d = peek(), let h = Lexer.hexValue(d) { v = v &* 16 &+ h; pos += 1; n += 1 }
                if n != want || (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff {
                    fail("\(text(escStart, pos)) is not a valid universal character name", escStart, pos - escStart)
                    return false
                }
                Lexer.appendUTF8(v, to: &out)
            default:
                let simple: [UInt8: UInt8] = [0x61: 7, 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9, 0x76: 11,
                                              0x5c: 0x5c, 0x22: 0x22, 0x27: 0x27]
                var end = pos + 2
                while end < src.count, src[end] & 0xc0 == 0x80 { end += 1 }
                guard let v = simple[e] else {
                    fail("\(text(escStart, end)) is not a valid character escape sequence", escStart, end - escStart)
                    return false
                }
                out.append(v)
                pos += 2
            }
        }
        pos += 1 // closing quote
        var t = Token(kind: .string, text: "\"" + text(contentStart, pos - 1) + "\"",
                      location: FilterLocation(start, pos - start))
        t.bytes = out
        tokens.append(t)
        return true
    }

    /// `'a'`, `'\x41'`, `'\101'`, `'\t'`: an integer constant.
    private mutating func scanCharConst(start: Int) -> Bool {
        pos += 1
        while true {
            guard let c = peek() else {
                fail("The final quote was missing from a character constant.", src.count, 1)
                return false
            }
            if c == UInt8(ascii: "'") { break }
            pos += c == UInt8(ascii: "\\") && peek(1) != nil ? 2 : 1
        }
        pos += 1
        let whole = text(start, pos)
        let body = Array(src[(start + 1)..<(pos - 1)])
        let loc = FilterLocation(start, pos - start)
        var t = Token(kind: .charconst, text: whole, location: loc)
        switch Lexer.parseCharConst(body, whole) {
        case .success(let v): t.number = v
        case .failure(let e):
            fail(e.message, start, pos - start)
            return false
        }
        tokens.append(t)
        return true
    }

    static func parseCharConst(_ body: [UInt8], _ whole: String) -> Result<UInt64, FilterError> {
        guard let first = body.first else { return .failure(FilterError("Empty character constant.")) }
        var i = 1
        var value: UInt64
        if first == UInt8(ascii: "\\") {
            guard body.count > 1 else { return .failure(FilterError("\(whole) isn't a valid character constant.")) }
            let e = body[1]
            i = 2
            switch e {
            case 0x30...0x37:
                var v: UInt64 = 0
                var n = 0
                i = 1
                while n < 3, i < body.count, body[i] >= 0x30 && body[i] <= 0x37 { v = v * 8 + UInt64(body[i] - 0x30); i += 1; n += 1 }
                if v > 0xff { return .failure(FilterError("\(whole) is too large to be a valid character constant.")) }
                value = v
            case UInt8(ascii: "x"):
                var v: UInt64 = 0
                var n = 0
                while n < 2, i < body.count, let h = hexValue(body[i]) { v = v * 16 + UInt64(h); i += 1; n += 1 }
                if n == 0 { return .failure(FilterError("\(whole) isn't a valid character constant.")) }
                value = v
            // tshark 4.0 accepts these escapes; '\n' is reported as too long there, which we keep.
            case UInt8(ascii: "a"): value = 7
            case UInt8(ascii: "b"): value = 8
            case UInt8(ascii: "f"): value = 12
            case UInt8(ascii: "r"): value = 13
            case UInt8(ascii: "t"): value = 9
            case UInt8(ascii: "v"): value = 11
            case UInt8(ascii: "n"): value = 10; i = 1
            case 0x5c, 0x27, 0x22: value = UInt64(e)
            default: return .failure(FilterError("\(whole) isn't a valid character constant."))
            }
        } else {
            if first < 0x20 || first >= 0x7f {
                let shown = first >= 0x80 ? UInt64(bitPattern: Int64(Int8(bitPattern: first))) : UInt64(first)
                return .failure(FilterError("Non-printable value '0x\(String(shown, radix: 16))' in character constant."))
            }
            value = UInt64(first)
        }
        if i != body.count { return .failure(FilterError("\(whole) is too long to be a valid character constant.")) }
        return .success(value)
    }
}
