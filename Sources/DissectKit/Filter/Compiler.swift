/// A type-checked value expression, ready to produce values.
struct TypedExpr {
    var type: FieldType
    var produce: Producer
    /// Set when the expression is a constant (a converted literal or folded arithmetic).
    var constant: Constant?
    /// The field, for value-string lookups of literals compared with it.
    var field: FieldInfo?
    var display: String
    var location: FilterLocation
}

/// Type checking (tshark 4.0's semantic check, with its messages) and compilation to a tree of
/// closures over the packet's field records. Literals are converted once, here.
struct Compiler {
    let registry: FieldRegistry
    /// Every field the filter reads (for `Interest`).
    var wanted: Set<FieldID> = []
    /// Fields of `${…}` references, in reference-slot order.
    var references: [FieldUse] = []

    init(registry: FieldRegistry) {
        self.registry = registry
    }

    // MARK: tests

    mutating func compile(_ t: TestNode) throws(FilterError) -> TestClosure {
        switch t {
        case .and(let a, let b):
            let x = try compile(a), y = try compile(b)
            return { x($0) && y($0) }
        case .or(let a, let b):
            let x = try compile(a), y = try compile(b)
            return { x($0) || y($0) }
        case .not(let a):
            let x = try compile(a)
            return { !x($0) }
        case .exists(let v):
            return try compileExists(v)
        case .compare(let op, let text, let l, let r, let q, _):
            return try compileCompare(op, text, l, r, q)
        case .contains(let text, let l, let r, let q, _):
            return try compileContains(text, l, r, q)
        case .matches(let text, let l, let r, let q, _):
            return try compileMatches(text, l, r, q)
        case .inSet(let l, let elements, let q, _):
            return try compileIn(l, elements, q)
        }
    }

    private mutating func compileExists(_ v: ValueNode) throws(FilterError) -> TestClosure {
        switch v {
        case .field(let f):
            let p = fieldProducer(f)
            return { st in p(st) { _ in true } }
        case .reference(let f):
            throw FilterError("\(f.name) <\(registry[f.id].type.tsharkName)> is neither a field nor a protocol name.",
                              at: f.location)
        case .unparsed(let s, let loc):
            throw FilterError("\(s) is neither a field nor a protocol name.", at: loc)
        case .literal(_, let t, let loc), .string(_, let t, let loc), .charconst(_, let t, let loc):
            throw FilterError("\(t) is neither a field nor a protocol name.", at: loc)
        case .function(_, _, let loc):
            throw FilterError("You cannot test whether a function is present.", at: loc)
        case .slice:
            let e = try value(v, expected: nil)
            let p = e.produce
            return { st in p(st) { _ in true } }
        case .arithmetic, .unaryMinus:
            let e = try value(v, expected: nil)
            if e.constant != nil {
                throw FilterError("Constant arithmetic expression on the LHS is invalid.", at: leftmostLocation(v))
            }
            let p = e.produce
            return { st in p(st) { $0.isNonZero } }
        }
    }

    /// The left side of a relation: a field, slice, function, reference or non-constant arithmetic.
    private mutating func lhs(_ node: ValueNode, _ opText: String) throws(FilterError) -> TypedExpr {
        switch node {
        case .unparsed, .literal, .string, .charconst:
            throw FilterError("Left side of \"\(opText)\" expression must be a field or function, not \(node.display).",
                              at: node.location)
        case .arithmetic, .unaryMinus:
            if isConstant(node) {
                throw FilterError("Constant arithmetic expression on the LHS is invalid.", at: leftmostLocation(node))
            }
            return try value(node, expected: nil)
        default:
            return try value(node, expected: nil)
        }
    }

    private mutating func compileCompare(_ op: CompareOp, _ text: String, _ l: ValueNode, _ r: ValueNode,
                                         _ q: Quantifier) throws(FilterError) -> TestClosure {
        let left = try lhs(l, text)
        if left.type == .none {
            throw FilterError("\(participant(left, l)) (type=\(left.type.prettyName)) cannot participate in \(text) comparison.",
                              at: left.location)
        }
        let right = try rhs(r, against: left)
        let pred: (Int) -> Bool
        var all: Bool
        switch op {
        case .anyEq: pred = { $0 == 0 }; all = false
        case .allEq: pred = { $0 == 0 }; all = true
        case .allNe: pred = { $0 != 0 }; all = true
        case .anyNe: pred = { $0 != 0 }; all = false
        case .gt: pred = { $0 > 0 }; all = false
        case .ge: pred = { $0 >= 0 }; all = false
        case .lt: pred = { $0 < 0 }; all = false
        case .le: pred = { $0 <= 0 }; all = false
        }
        if q == .any { all = false } else if q == .all { all = true }
        return Compiler.relation(left.produce, right, all: all) { a, b in
            guard let c = Value.compare(a, b) else { return false }
            return pred(c)
        }
    }

    /// Cartesian test of left values against right values: some pair (any) or every pair (all);
    /// false when either side has no value.
    static func relation(_ left: @escaping Producer, _ right: TypedExpr, all: Bool,
                         _ test: @escaping (Value, Value) -> Bool) -> TestClosure {
        if let c = right.constant {
            if all {
                return { st in
                    var seen = false
                    let failed = left(st) { a in
                        seen = true
                        return !c.with { b in test(a, b) }
                    }
                    return seen && !failed
                }
            }
            return { st in left(st) { a in c.with { b in test(a, b) } } }
        }
        let r = right.produce
        if all {
            return { st in
                var seen = false
                let failed = left(st) { a in
                    r(st) { b in
                        seen = true
                        return !test(a, b)
                    }
                }
                return seen && !failed
            }
        }
        return { st in left(st) { a in r(st) { b in test(a, b) } } }
    }

    private mutating func compileContains(_ text: String, _ l: ValueNode, _ r: ValueNode,
                                          _ q: Quantifier) throws(FilterError) -> TestClosure {
        let left = try lhs(l, text)
        switch left.type {
        case .string, .stringz, .uintString, .bytes, .uintBytes, .protocolItem, .ether: break
        default:
            throw FilterError("\(participant(left, l)) (type=\(left.type.prettyName)) cannot participate in \(text) comparison.",
                              at: left.location)
        }
        // An address contains bytes: `eth.dst contains ff:ff`.
        var container = left
        if left.type == .ether { container.type = .bytes; container.field = nil }
        let right = try rhs(r, against: container)
        return Compiler.relation(left.produce, right, all: q == .all) { a, b in
            guard case .bytes(let x) = a, case .bytes(let y) = b else { return false }
            return Value.contains(x, y)
        }
    }

    private mutating func compileMatches(_ text: String, _ l: ValueNode, _ r: ValueNode,
                                         _ q: Quantifier) throws(FilterError) -> TestClosure {
        let left = try lhs(l, text)
        switch left.type {
        case .string, .stringz, .uintString, .bytes, .protocolItem, .ether: break
        default:
            throw FilterError("\(participant(left, l)) (type=\(left.type.prettyName)) cannot participate in \(text) comparison.",
                              at: left.location)
        }
        guard case .string(let pattern, _, let loc) = r else {
            throw FilterError("Matches requires a double quoted string on the right side.", at: r.location)
        }
        let regex = try FilterRegex(pattern: pattern, location: loc)
        let p = left.produce
        if q == .all {
            return { st in
                var seen = false
                let failed = p(st) { v in
                    seen = true
                    guard case .bytes(let b) = v else { return true }
                    return !regex.matches(b)
                }
                return seen && !failed
            }
        }
        return { st in
            p(st) { v in
                guard case .bytes(let b) = v else { return false }
                return regex.matches(b)
            }
        }
    }

    private mutating func compileIn(_ l: ValueNode, _ elements: [SetElement], _ q: Quantifier) throws(FilterError) -> TestClosure {
        switch l {
        case .field, .reference: break
        default:
            // tshark 4.0 takes nothing else: no slice, function or arithmetic (and names no place
            // for a slice).
            if case .slice = l { throw FilterError("Only a field may be tested for membership in a set.") }
            throw FilterError("Only a field may be tested for membership in a set.", at: l.location)
        }
        let left = try value(l, expected: nil)
        var ranges: [(TypedExpr, TypedExpr?)] = []
        for e in elements {
            let lo = try rhs(e.low, against: left)
            let hi = try e.high.map { (h: ValueNode) throws(FilterError) -> TypedExpr in try rhs(h, against: left) }
            ranges.append((lo, hi))
        }
        let member: (EvalState, Value) -> Bool = { st, a in
            for (lo, hi) in ranges {
                if let hi {
                    var found = false
                    _ = lo.produce(st) { low in
                        hi.produce(st) { high in
                            if let c1 = Value.compare(a, low), c1 >= 0, let c2 = Value.compare(a, high), c2 <= 0 {
                                found = true
                            }
                            return found
                        }
                    }
                    if found { return true }
                } else if lo.produce(st, { low in Value.compare(a, low) == 0 }) {
                    return true
                }
            }
            return false
        }
        let p = left.produce
        if q == .all {
            return { st in
                var seen = false
                let failed = p(st) { a in
                    seen = true
                    return !member(st, a)
                }
                return seen && !failed
            }
        }
        return { st in p(st) { a in member(st, a) } }
    }

    /// How tshark names a value that cannot take part in a comparison ("Function max", "tcp.port").
    private func participant(_ e: TypedExpr, _ node: ValueNode) -> String {
        if case .function(let name, _, _) = node { return "Function \(name)" }
        if case .reference(let f) = node { return f.name }
        return e.display
    }

    // MARK: right-hand sides

    /// A value compared with `left`: literals are converted to its type, fields must be compatible.
    private mutating func rhs(_ node: ValueNode, against left: TypedExpr) throws(FilterError) -> TypedExpr {
        let e = try value(node, expected: left.type, expectedField: left.field, sliceByte: isSliceLike(left))
        if e.constant == nil && !Compiler.compatible(left.type, e.type) {
            throw FilterError("\(left.display) and \(e.display) are not of compatible types.", at: e.location)
        }
        return e
    }

    private func isSliceLike(_ e: TypedExpr) -> Bool { e.field == nil && e.type == .bytes }

    static func family(_ t: FieldType) -> Int {
        if t.isIntegerLike || t == .boolean { return 1 }
        switch t {
        case .float, .double: return 2
        case .string, .stringz, .uintString: return 3
        case .bytes, .uintBytes, .ether: return 4
        default: return 100 + Int(t.rawValue)
        }
    }

    static func compatible(_ a: FieldType, _ b: FieldType) -> Bool {
        if a == b { return true }
        if (a == .protocolItem && (b == .bytes || b == .uintBytes)) || (b == .protocolItem && (a == .bytes || a == .uintBytes)) {
            return true
        }
        return family(a) == family(b)
    }

    // MARK: values

    func isConstant(_ node: ValueNode) -> Bool {
        switch node {
        case .unparsed, .literal, .string, .charconst: return true
        case .unaryMinus(let x, _): return isConstant(x)
        case .arithmetic(_, let a, let b, _): return isConstant(a) && isConstant(b)
        default: return false
        }
    }

    func leftmostLocation(_ node: ValueNode) -> FilterLocation {
        switch node {
        case .unaryMinus(let x, _): return leftmostLocation(x)
        case .arithmetic(_, let a, _, _): return leftmostLocation(a)
        default: return node.location
        }
    }

    /// The type an arithmetic expression takes from its first non-literal operand.
    func inferredType(_ node: ValueNode) -> (FieldType, FieldInfo?)? {
        switch node {
        case .field(let f), .reference(let f): return (registry[f.id].type, registry[f.id])
        case .unparsed, .literal, .string, .charconst: return nil
        case .slice:
            return (.bytes, nil)
        case .function(let name, let args, _):
            return FilterFunctions.returnType(name, args.map { inferredType($0)?.0 })
        case .unaryMinus(let x, _): return inferredType(x)
        case .arithmetic(_, let a, let b, _): return inferredType(a) ?? inferredType(b)
        }
    }

    static func literal(_ node: ValueNode) -> Literal? {
        switch node {
        case .unparsed(let s, let l): return Literal(kind: .unparsed(s), location: l)
        case .literal(let s, let t, let l): return Literal(kind: .colon(s, t), location: l)
        case .string(let b, let t, let l): return Literal(kind: .string(b, t), location: l)
        case .charconst(let v, let t, let l): return Literal(kind: .charconst(v, t), location: l)
        default: return nil
        }
    }

    static func constantExpr(_ c: Constant, _ type: FieldType, _ display: String, _ loc: FilterLocation) -> TypedExpr {
        TypedExpr(type: type, produce: { _, emit in c.with(emit) }, constant: c, field: nil, display: display,
                  location: loc)
    }

    mutating func value(_ node: ValueNode, expected: FieldType?, expectedField: FieldInfo? = nil,
                        sliceByte: Bool = false) throws(FilterError) -> TypedExpr {
        switch node {
        case .field(let f):
            let info = registry[f.id]
            return TypedExpr(type: info.type, produce: fieldProducer(f), constant: nil, field: info, display: f.name,
                             location: f.location)
        case .reference(let f):
            let info = registry[f.id]
            let slot = references.count
            references.append(f)
            wanted.insert(f.id)
            if f.layers != nil { wanted.insert(info.protocolID) }
            return TypedExpr(type: info.type, produce: { st, emit in
                for c in st.references[slot] where c.with(emit) { return true }
                return false
            }, constant: nil, field: info, display: "\(f.name) <\(info.type.tsharkName)>", location: f.location)
        case .unparsed, .literal, .string, .charconst:
            let lit = Compiler.literal(node)!
            guard let type = expected else {
                throw FilterError("Left side of expression must be a field or function, not \(node.display).",
                                  at: node.location)
            }
            var c: Constant
            if sliceByte, case .unparsed(let s) = lit.kind, LiteralConverter.parseBytes(s) == nil,
               let v = LiteralConverter.parseUnsigned(s), v <= 0xff {
                // A byte slice compares with a small integer as one byte (`frame[4] == 0xff`).
                c = .bytes([UInt8(v)])
            } else {
                c = try LiteralConverter.convert(lit, to: type, field: expectedField)
            }
            if case .uint(let v) = c, type.isSigned { c = .sint(Int64(bitPattern: v)) }
            return Compiler.constantExpr(c, type, node.display, node.location)
        case .slice(let inner, let parts, _):
            return try slice(inner, parts)
        case .function(let name, let args, let loc):
            return try FilterFunctions.compile(name, args, loc, expected: expected, compiler: &self)
        case .unaryMinus(let x, let loc):
            switch x {
            case .string, .charconst:
                throw FilterError("\(x.display) is not a valid arithmetic operand.", at: x.location)
            default: break
            }
            let e = try value(x, expected: expected, expectedField: nil)
            guard Compiler.supportsNegation(e.type) else {
                throw FilterError("\(e.type.tsharkName) cannot -.", at: x.location)
            }
            if let c = e.constant {
                guard let n = c.with({ Arithmetic.negate($0) }) else {
                    throw FilterError("\(e.type.tsharkName) cannot -.", at: x.location)
                }
                return Compiler.constantExpr(Constant(copying: n), e.type, "-", loc)
            }
            let p = e.produce
            return TypedExpr(type: e.type, produce: { st, emit in
                p(st) { v in
                    guard let n = Arithmetic.negate(v) else { return false }
                    return emit(n)
                }
            }, constant: nil, field: nil, display: "-", location: loc)
        case .arithmetic(let op, let a, let b, let loc):
            let inferred = inferredType(node)
            let type = inferred?.0 ?? expected
            guard let type else {
                throw FilterError("Constant arithmetic expression on the LHS is invalid.", at: leftmostLocation(node))
            }
            let field = inferred?.1 ?? expectedField
            // A byte slice combines with a small integer as one byte (`frame[14] & 0xf0`).
            let bytesSlice = type == .bytes && inferred?.1 == nil
            let left = try value(a, expected: type, expectedField: field, sliceByte: bytesSlice)
            guard Compiler.supports(op, left.type) else {
                throw FilterError("\(left.type.tsharkName) cannot \(op.symbol).", at: left.location)
            }
            let right = try value(b, expected: type, expectedField: field, sliceByte: bytesSlice)
            guard Compiler.supports(op, right.type) else {
                throw FilterError("\(right.type.tsharkName) cannot \(op.symbol).", at: right.location)
            }
            if left.constant == nil && right.constant == nil && !Compiler.compatible(left.type, right.type) {
                throw FilterError("\(left.display) and \(right.display) are not of compatible types.", at: right.location)
            }
            if let x = left.constant, let y = right.constant {
                guard let r = x.with({ va in y.with { vb in Arithmetic.apply(op, va, vb).map(Constant.init(copying:)) } }) else {
                    throw FilterError("\(type.tsharkName) cannot \(op.symbol).", at: loc)
                }
                return Compiler.constantExpr(r, type, op.symbol, loc)
            }
            let pa = left.produce, pb = right.produce
            return TypedExpr(type: left.constant == nil ? left.type : right.type, produce: { st, emit in
                pa(st) { va in
                    pb(st) { vb in
                        guard let r = Arithmetic.apply(op, va, vb) else { return false }
                        if case .bytes = r {
                            // Bytes results live in a temporary buffer: hand them over inside it.
                            return Arithmetic.withBytesAnd(va, vb, emit)
                        }
                        return emit(r)
                    }
                }
            }, constant: nil, field: nil, display: left.display, location: loc)
        }
    }

    static func supportsNegation(_ t: FieldType) -> Bool {
        t.isInteger || t == .framenum || t == .float || t == .double || t == .relativeTime || t == .char
    }

    static func supports(_ op: ArithOp, _ t: FieldType) -> Bool {
        if op == .bitAnd {
            return t.isIntegerLike || t == .bytes || t == .uintBytes || t == .ether || t == .ipv4 || t == .ipv6
        }
        if t == .relativeTime { return op == .add || op == .subtract }
        return t.isInteger || t == .framenum || t == .char || t == .eui64 || t == .float || t == .double
    }

    private mutating func slice(_ inner: ValueNode, _ parts: [RangePart]) throws(FilterError) -> TypedExpr {
        switch inner {
        case .reference(let f):
            throw FilterError("Range is not supported for entity \(f.name) <\(registry[f.id].type.tsharkName)>",
                              at: inner.location)
        case .unparsed, .literal, .string, .charconst:
            throw FilterError("Range is not supported for entity \(inner.display)", at: inner.location)
        case .arithmetic, .unaryMinus:
            throw FilterError("Range is not supported for entity \(inner.display)", at: inner.location)
        default: break
        }
        let e = try value(inner, expected: nil)
        guard e.type.isSliceable else {
            throw FilterError("\"\(e.display)\" is a \(e.type.prettyName) and cannot be sliced into a sequence of bytes.",
                              at: e.location)
        }
        let p = e.produce
        let type = FieldType.bytes // a slice is a byte sequence, whatever it was cut from (4.0)
        let produce: Producer
        if parts.count == 1 {
            let part = parts[0]
            produce = { st, emit in
                p(st) { v in
                    Compiler.withBytes(v) { b in
                        guard let (s, e) = SliceMath.bounds(part, count: b.count) else { return false }
                        return emit(.bytes(UnsafeRawBufferPointer(rebasing: b[s..<e])))
                    }
                }
            }
        } else {
            produce = { st, emit in
                p(st) { v in
                    Compiler.withBytes(v) { b in
                        var out: [UInt8] = []
                        for part in parts {
                            guard let (s, e) = SliceMath.bounds(part, count: b.count) else { return false }
                            out.append(contentsOf: b[s..<e])
                        }
                        return out.withUnsafeBytes { emit(.bytes($0)) }
                    }
                }
            }
        }
        return TypedExpr(type: type, produce: produce, constant: nil, field: nil, display: e.display, location: e.location)
    }

    /// A value as bytes in network order (for slicing addresses and numbers).
    @inline(__always)
    static func withBytes(_ v: Value, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        switch v {
        case .bytes(let b): return body(b)
        case .ipv4(let a, _):
            var be = a.bigEndian
            return withUnsafeBytes(of: &be) { body($0) }
        case .ipv6(let a, _):
            var t = (a.hi.bigEndian, a.lo.bigEndian)
            return withUnsafeBytes(of: &t) { body($0) }
        case .uint(let x):
            var be = x.bigEndian
            return withUnsafeBytes(of: &be) { body($0) }
        default: return false
        }
    }

    // MARK: fields

    /// Values of a field in the current packet, in tree order, restricted to layers when given.
    mutating func fieldProducer(_ f: FieldUse) -> Producer {
        let id = f.id
        wanted.insert(id)
        // The field's protocol item too: cheap, needed for layers, and some dissectors only add
        // their fields under a protocol item that exists.
        wanted.insert(registry[id].protocolID)
        guard let layers = f.layers else {
            return { st, emit in
                for r in st.tree.records where r.field == id {
                    if RecordValues.emit(r, st, emit) { return true }
                }
                return false
            }
        }
        let proto = registry[id].protocolID
        wanted.insert(proto)
        return { st, emit in
            let records = st.tree.records
            var total = 0
            for r in records where r.field == proto { total += 1 }
            var layer = 0
            for r in records {
                if r.field == proto { layer += 1 }
                if r.field == id && SliceMath.layerSelected(layer, total: total, layers) {
                    if RecordValues.emit(r, st, emit) { return true }
                }
            }
            return false
        }
    }
}

/// Arithmetic on values (`+ - * / %`, `&`, unary minus) as Wireshark 4.0 does it: per pair of
/// values; division by zero gives no value.
enum Arithmetic {
    static func negate(_ v: Value) -> Value? {
        switch v {
        case .uint(let x): return x == 0 ? .uint(0) : .sint(x > UInt64(Int64.max) ? Int64.min : -Int64(x))
        case .sint(let x): return x < 0 ? .uint(x == Int64.min ? UInt64(Int64.max) + 1 : UInt64(-x)) : .sint(-x)
        case .double(let x): return .double(-x)
        case .time(let t): return .time(Timestamp.zero - t)
        default: return nil
        }
    }

    static func apply(_ op: ArithOp, _ a: Value, _ b: Value) -> Value? {
        switch (a, b) {
        case (.uint(let x), .uint(let y)):
            switch op {
            case .add: return .uint(x &+ y)
            case .subtract: return x >= y ? .uint(x - y) : .sint(-Int64(truncatingIfNeeded: y - x))
            case .multiply: return .uint(x &* y)
            case .divide: return y == 0 ? nil : .uint(x / y)
            case .modulo: return y == 0 ? nil : .uint(x % y)
            case .bitAnd: return .uint(x & y)
            }
        case (.uint(let x), .sint(let yy)):
            // tshark 4.0 computes in the left operand's kind: the right one is taken bit for bit
            // (`ip.ttl + -65` wraps around), except that a subtraction may go negative.
            let y = UInt64(bitPattern: yy)
            switch op {
            case .add: return .uint(x &+ y)
            case .subtract: return x >= y ? .uint(x - y) : .sint(-Int64(truncatingIfNeeded: y &- x))
            case .multiply: return .uint(x &* y)
            case .divide: return y == 0 ? nil : .uint(x / y)
            case .modulo: return y == 0 ? nil : .uint(x % y)
            case .bitAnd: return .uint(x & y)
            }
        case (.sint, .uint), (.sint, .sint):
            let x = asInt(a), y = asInt(b)
            let r: Int64
            switch op {
            case .add: r = x &+ y
            case .subtract: r = x &- y
            case .multiply: r = x &* y
            case .divide: if y == 0 { return nil }; r = x / y
            case .modulo: if y == 0 { return nil }; r = x % y
            case .bitAnd: r = x & y
            }
            return r < 0 ? .sint(r) : .uint(UInt64(r))
        case (.double(let x), .double(let y)):
            switch op {
            case .add: return .double(x + y)
            case .subtract: return .double(x - y)
            case .multiply: return .double(x * y)
            case .divide: return y == 0 ? nil : .double(x / y)
            case .modulo: return y == 0 ? nil : .double(x.truncatingRemainder(dividingBy: y))
            case .bitAnd: return nil
            }
        case (.time(let x), .time(let y)):
            switch op {
            case .add:
                var s = x.seconds + y.seconds
                var n = x.nanoseconds + y.nanoseconds
                if n >= 1_000_000_000 { n -= 1_000_000_000; s += 1 }
                return .time(Timestamp(seconds: s, nanoseconds: n))
            case .subtract: return .time(x - y)
            default: return nil
            }
        case (.ipv4(let x, let m), .ipv4(let y, _)):
            return op == .bitAnd ? .ipv4(x & y, m) : nil
        case (.bytes, .bytes):
            return op == .bitAnd ? a : nil // computed by withBytesAnd
        default:
            return nil
        }
    }

    @inline(__always)
    static func asInt(_ v: Value) -> Int64 {
        switch v {
        case .uint(let x): return Int64(truncatingIfNeeded: x)
        case .sint(let x): return x
        default: return 0
        }
    }

    /// Byte-wise AND of two byte values (the shorter length), given to `emit` in a temporary buffer.
    static func withBytesAnd(_ a: Value, _ b: Value, _ emit: Emit) -> Bool {
        guard case .bytes(let x) = a, case .bytes(let y) = b else { return false }
        let n = min(x.count, y.count)
        var out = [UInt8](repeating: 0, count: n)
        for i in 0..<n { out[i] = x[i] & y[i] }
        return out.withUnsafeBytes { emit(.bytes($0)) }
    }
}
