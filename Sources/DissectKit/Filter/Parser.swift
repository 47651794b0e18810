/// Recursive-descent parser for Wireshark 4.0's display-filter grammar. Precedence, lowest
/// first: `or`, `and`, `not`, comparisons (chainable: `a < b <= c`), `&`, `+ -`, `* / %`, unary
/// `+ -`. Syntax errors name the first token that cannot continue the filter, as tshark's LALR
/// parser does ("\"x\" was unexpected in this context.").
struct Parser {
    private var tokens: [Token]
    private var i = 0
    let registry: FieldRegistry

    init(_ text: String, registry: FieldRegistry) {
        tokens = Lexer.tokenize(text)
        self.registry = registry
    }

    /// The whole filter; nil for an empty one (which matches everything).
    mutating func parse() throws(FilterError) -> TestNode? {
        if peek.kind == .eof { return nil }
        let t = try parseOr()
        try expectEndOfExpression()
        return t
    }

    /// Protocols renamed before 4.0 whose old names tshark still accepts (with a warning).
    static let deprecatedPrefixes = [("bootp", "dhcp"), ("ssl", "tls")]

    /// A field or protocol by name, also under its deprecated name (`bootp.option.type`).
    func resolve(_ name: String) -> FieldID? {
        if let id = registry.lookup(name) { return id }
        for (old, new) in Parser.deprecatedPrefixes where name == old || name.hasPrefix(old + ".") {
            return registry.lookup(new + name.dropFirst(old.count))
        }
        return nil
    }

    private var peek: Token { tokens[i] }

    private mutating func advance() -> Token {
        let t = tokens[i]
        if i < tokens.count - 1 { i += 1 }
        return t
    }

    /// The error for the current token: a scanning error, the end of the filter, or "unexpected".
    private func unexpected() -> FilterError {
        let t = peek
        switch t.kind {
        case .error: return FilterError(t.errorMessage, at: t.location)
        case .eof: return FilterError("Unexpected end of filter expression.")
        default: return FilterError("\"\(t.text)\" was unexpected in this context.", at: t.location)
        }
    }

    private mutating func expect(_ kind: Token.Kind) throws(FilterError) -> Token {
        guard peek.kind == kind else { throw unexpected() }
        return advance()
    }

    /// After a complete test only `and`, `or`, `)` or the end may follow.
    private func expectEndOfExpression() throws(FilterError) {
        if peek.kind != .eof { throw unexpected() }
    }

    private mutating func parseOr() throws(FilterError) -> TestNode {
        var left = try parseAnd()
        while peek.kind == .or {
            _ = advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(FilterError) -> TestNode {
        var left = try parseNot()
        while peek.kind == .and {
            _ = advance()
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(FilterError) -> TestNode {
        if peek.kind == .not {
            _ = advance()
            return .not(try parseNot())
        }
        if peek.kind == .lparen {
            _ = advance()
            let inner = try parseOr()
            _ = try expect(.rparen)
            try checkFollow()
            return inner
        }
        return try parseRelation()
    }

    /// What may follow a complete test.
    private func checkFollow() throws(FilterError) {
        switch peek.kind {
        case .and, .or, .rparen, .eof: return
        default: throw unexpected()
        }
    }

    private mutating func parseRelation() throws(FilterError) -> TestNode {
        var quant = Quantifier.none
        if peek.kind == .any { _ = advance(); quant = .any }
        else if peek.kind == .all { _ = advance(); quant = .all }

        let (lhs, isEntity) = try parseArith()
        let result: TestNode
        switch peek.kind {
        case .compare:
            result = try parseComparisonChain(lhs, quant)
        case .contains, .matches:
            guard isEntity else { throw unexpected() }
            let op = advance()
            let rhs = try parseEntity()
            result = op.kind == .contains ? .contains(op.text, lhs, rhs, quant, op.location)
                : .matches(op.text, lhs, rhs, quant, op.location)
        case .in:
            guard isEntity else { throw unexpected() }
            let op = advance()
            result = .inSet(lhs, try parseSet(), quant, op.location)
        case .not where isEntity:
            _ = advance()
            let op = try expect(.in)
            result = .not(.inSet(lhs, try parseSet(), quant, op.location))
        default:
            if quant != .none { throw unexpected() }
            result = .exists(lhs)
        }
        try checkFollow()
        return result
    }

    private mutating func parseComparisonChain(_ first: ValueNode, _ quant: Quantifier) throws(FilterError) -> TestNode {
        var tests: [TestNode] = []
        var lhs = first
        while case .compare(let op) = peek.kind {
            let t = advance()
            let (rhs, _) = try parseArith()
            tests.append(.compare(op, t.text, lhs, rhs, quant, t.location))
            lhs = rhs
        }
        var result = tests[tests.count - 1]
        for t in tests.dropLast().reversed() { result = .and(t, result) }
        return result
    }

    private mutating func parseSet() throws(FilterError) -> [SetElement] {
        _ = try expect(.lbrace)
        var elements: [SetElement] = []
        while true {
            let low = try parseSetEntity()
            var high: ValueNode?
            if peek.kind == .dotdot {
                _ = advance()
                high = try parseSetEntity()
            }
            elements.append(SetElement(low: low, high: high))
            if peek.kind == .comma { _ = advance(); continue }
            _ = try expect(.rbrace)
            return elements
        }
    }

    private mutating func parseSetEntity() throws(FilterError) -> ValueNode {
        if peek.kind == .minus {
            let m = advance()
            return .unaryMinus(try parseEntity(), m.location)
        }
        if peek.kind == .plus { _ = advance() }
        return try parseEntity()
    }

    // MARK: arithmetic

    /// Returns the expression and whether it is a plain entity (contains/matches/in need one).
    private mutating func parseArith() throws(FilterError) -> (ValueNode, Bool) {
        var (left, entity) = try parseAdditive()
        while peek.kind == .bitAnd {
            let op = advance()
            let (right, _) = try parseAdditive()
            left = .arithmetic(.bitAnd, left, right, op.location)
            entity = false
        }
        return (left, entity)
    }

    private mutating func parseAdditive() throws(FilterError) -> (ValueNode, Bool) {
        var (left, entity) = try parseMultiplicative()
        while peek.kind == .plus || peek.kind == .minus {
            let op = advance()
            let (right, _) = try parseMultiplicative()
            left = .arithmetic(op.kind == .plus ? .add : .subtract, left, right, op.location)
            entity = false
        }
        return (left, entity)
    }

    private mutating func parseMultiplicative() throws(FilterError) -> (ValueNode, Bool) {
        var (left, entity) = try parseUnary()
        while peek.kind == .star || peek.kind == .slash || peek.kind == .percent {
            let op = advance()
            let (right, _) = try parseUnary()
            let a: ArithOp = op.kind == .star ? .multiply : op.kind == .slash ? .divide : .modulo
            left = .arithmetic(a, left, right, op.location)
            entity = false
        }
        return (left, entity)
    }

    private mutating func parseUnary() throws(FilterError) -> (ValueNode, Bool) {
        switch peek.kind {
        case .minus:
            let m = advance()
            return (.unaryMinus(try parseEntity(), m.location), false)
        case .plus:
            _ = advance()
            return (try parseEntity(), false)
        case .lbrace:
            _ = advance()
            let (inner, _) = try parseArith()
            _ = try expect(.rbrace)
            return (inner, false)
        default:
            return (try parseEntity(), true)
        }
    }

    // MARK: entities

    private mutating func parseEntity() throws(FilterError) -> ValueNode {
        var node: ValueNode
        let t = peek
        switch t.kind {
        case .string:
            _ = advance()
            node = .string(t.bytes, t.text, t.location)
        case .charconst:
            _ = advance()
            node = .charconst(t.number, t.text, t.location)
        case .colonLiteral:
            _ = advance()
            node = .literal(t.value, t.text, t.location)
        case .dotField:
            _ = advance()
            guard let id = resolve(t.value) else {
                throw FilterError("\"\(t.value)\" is not a valid protocol or protocol field.", at: t.location)
            }
            node = .field(FieldUse(id: id, layers: try parseLayer(), name: t.value, location: t.location))
        case .dollar:
            _ = advance()
            _ = try expect(.lbrace)
            let f = peek
            var name = f.value
            switch f.kind {
            case .word: name = f.value
            case .dotField: name = f.value
            default: throw unexpected()
            }
            _ = advance()
            guard let id = resolve(name) else {
                if f.kind == .dotField {
                    throw FilterError("\"\(name)\" is not a valid protocol or protocol field.", at: f.location)
                }
                throw FilterError("\(name) is not a valid field", at: f.location)
            }
            let layers = try parseLayer()
            _ = try expect(.rbrace)
            node = .reference(FieldUse(id: id, layers: layers, name: name, location: f.location))
        case .word:
            _ = advance()
            if peek.kind == .lparen {
                node = try parseFunction(t)
            } else if peek.kind == .hash {
                // The layer is read first: a scanning error in it comes before the name check.
                let layers = try parseLayer()
                guard let id = resolve(t.value) else {
                    throw FilterError("\(t.value) is not a valid field", at: t.location)
                }
                node = .field(FieldUse(id: id, layers: layers, name: t.value, location: t.location))
            } else if let id = resolve(t.value) {
                node = .field(FieldUse(id: id, layers: nil, name: t.value, location: t.location))
            } else {
                node = .unparsed(t.value, t.location)
            }
        default:
            throw unexpected()
        }
        while peek.kind == .lbracket {
            _ = advance()
            node = .slice(node, try parseRangeList(), node.location)
        }
        return node
    }

    private mutating func parseFunction(_ name: Token) throws(FilterError) -> ValueNode {
        _ = advance() // (
        guard FilterFunctions.exists(name.value) else {
            throw FilterError("Function '\(name.value)' does not exist", at: name.location)
        }
        var args: [ValueNode] = []
        if peek.kind == .rparen {
            _ = advance()
            return .function(name.value, args, name.location)
        }
        while true {
            let (a, _) = try parseArith()
            args.append(a)
            if peek.kind == .comma { _ = advance(); continue }
            _ = try expect(.rparen)
            return .function(name.value, args, name.location)
        }
    }

    private mutating func parseLayer() throws(FilterError) -> [RangePart]? {
        guard peek.kind == .hash else { return nil }
        _ = advance()
        if peek.kind == .layerIndex {
            let t = advance()
            return [try Parser.rangePart(t.text, t.location)]
        }
        if peek.kind == .lbracket {
            _ = advance()
            return try parseRangeList()
        }
        throw unexpected()
    }

    /// After `[`: range nodes separated by commas, then `]`.
    private mutating func parseRangeList() throws(FilterError) -> [RangePart] {
        var parts: [RangePart] = []
        while true {
            guard peek.kind == .rangeNode else { throw unexpected() }
            let t = advance()
            parts.append(try Parser.rangePart(t.text, t.location))
            if peek.kind == .comma { _ = advance(); continue }
            _ = try expect(.rbracket)
            return parts
        }
    }

    /// One slice range, as tshark's `drange_node_from_str`: "i", "i:j", "i-j", ":j", "i:".
    static func rangePart(_ text: String, _ loc: FilterLocation) throws(FilterError) -> RangePart {
        let s = Array(text.utf8)
        var p = 0
        func skipSpaces() { while p < s.count, s[p] == 0x20 || s[p] == 0x09 { p += 1 } }
        /// strtol(…, 0): sign, then 0x hex / 0 octal / decimal.
        func number() -> Int? {
            skipSpaces()
            var neg = false
            if p < s.count, s[p] == UInt8(ascii: "+") || s[p] == UInt8(ascii: "-") { neg = s[p] == UInt8(ascii: "-"); p += 1 }
            var base = 10
            if p + 1 < s.count, s[p] == UInt8(ascii: "0"), s[p + 1] | 0x20 == UInt8(ascii: "x") { base = 16; p += 2 }
            else if p < s.count, s[p] == UInt8(ascii: "0") { base = 8 }
            let digitsStart = p
            var v = 0
            while p < s.count {
                let c = s[p]
                let d: Int
                if c >= 0x30 && c <= 0x39 { d = Int(c - 0x30) }
                else if c | 0x20 >= 0x61 && c | 0x20 <= 0x66 { d = Int(c | 0x20) - 0x61 + 10 }
                else { break }
                if d >= base { break }
                v = v &* base &+ d
                p += 1
            }
            if p == digitsStart { return nil }
            return neg ? -v : v
        }
        let invalidRange = FilterError("\"\(text)\" is not a valid range.", at: loc)
        skipSpaces()
        if p < s.count, s[p] == UInt8(ascii: ":") {
            p += 1
            guard let len = number() else { throw invalidRange }
            skipSpaces()
            guard p == s.count else { throw invalidRange }
            if len <= 0 { throw FilterError("Range \(text) isn't valid because length \(len) isn't positive", at: loc) }
            return RangePart(start: 0, kind: .length(len))
        }
        guard let start = number() else { throw FilterError("\"\(text)\" is not a valid number.", at: loc) }
        skipSpaces()
        if p == s.count { return RangePart(start: start, kind: .length(1)) }
        if s[p] == UInt8(ascii: ":") {
            p += 1
            skipSpaces()
            if p == s.count { return RangePart(start: start, kind: .toEnd) }
            guard let len = number() else { throw invalidRange }
            skipSpaces()
            guard p == s.count else { throw invalidRange }
            if len <= 0 { throw FilterError("Range \(text) isn't valid because length \(len) isn't positive", at: loc) }
            return RangePart(start: start, kind: .length(len))
        }
        if s[p] == UInt8(ascii: "-") {
            p += 1
            guard let end = number() else { throw invalidRange }
            skipSpaces()
            guard p == s.count else { throw invalidRange }
            if (start < 0) != (end < 0) {
                throw FilterError("Range \(text) isn't valid because \(start) and \(end) have different signs", at: loc)
            }
            if start >= end {
                throw FilterError("Range \(text) isn't valid because \(start) is greater or equal than \(end)", at: loc)
            }
            return RangePart(start: start, kind: .end(end))
        }
        throw invalidRange
    }
}
