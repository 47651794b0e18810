/// The display-filter functions of Wireshark 4.0: `len count string upper lower abs max min`.
enum FilterFunctions {
    static let arity: [String: (Int, Int)] = [
        "len": (1, 1), "count": (1, 1), "string": (1, 1), "upper": (1, 1), "lower": (1, 1),
        "abs": (1, 1), "max": (1, Int.max), "min": (1, Int.max),
    ]

    static func exists(_ name: String) -> Bool { arity[name] != nil }

    static func returnType(_ name: String, _ argTypes: [FieldType?]) -> (FieldType, FieldInfo?)? {
        switch name {
        case "len", "count": return (.uint32, nil)
        case "string", "upper", "lower": return (.string, nil)
        default: return argTypes.first.flatMap { $0 }.map { ($0, nil) }
        }
    }

    static func compile(_ name: String, _ args: [ValueNode], _ loc: FilterLocation, expected: FieldType?,
                        compiler c: inout Compiler) throws(FilterError) -> TypedExpr {
        let (minArgs, maxArgs) = arity[name]!
        if args.count < minArgs {
            throw FilterError("Function \(name) needs at least \(minArgs) arguments.", at: loc)
        }
        if args.count > maxArgs {
            throw FilterError("Function \(name) can only accept \(maxArgs) arguments.", at: loc)
        }
        func result(_ type: FieldType, _ p: @escaping Producer) -> TypedExpr {
            TypedExpr(type: type, produce: p, constant: nil, field: nil, display: name, location: loc)
        }
        switch name {
        case "len":
            guard case .field = args[0] else {
                throw FilterError("Only fields can be used as parameter for len()", at: args[0].location)
            }
            let e = try c.value(args[0], expected: nil)
            let p = e.produce
            let width = UInt64(max(0, e.type.bitWidth / 8))
            return result(.uint32) { st, emit in
                p(st) { v in
                    switch v {
                    case .bytes(let b): return emit(.uint(UInt64(b.count)))
                    case .ipv4: return emit(.uint(4))
                    case .ipv6: return emit(.uint(16))
                    case .double: return emit(.uint(8))
                    case .time: return emit(.uint(8))
                    default: return emit(.uint(width))
                    }
                }
            }
        case "count":
            guard case .field = args[0] else {
                // tshark 4.0 gives no location for a slice here.
                if case .slice = args[0] { throw FilterError("Only fields can be used as parameter for count()") }
                throw FilterError("Only fields can be used as parameter for count()", at: args[0].location)
            }
            let p = try c.value(args[0], expected: nil).produce
            return result(.uint32) { st, emit in
                var n: UInt64 = 0
                _ = p(st) { _ in n += 1; return false }
                return n == 0 ? false : emit(.uint(n))
            }
        case "string":
            guard case .field(let f) = args[0] else {
                throw FilterError("Only fields can be used as parameter for string()", at: args[0].location)
            }
            let info = c.registry[f.id]
            let t = info.type
            guard t.isIntegerLike || t == .ipv4 || t == .ipv6 || t == .ether || t == .float || t == .double
                    || t == .guid || t == .oid else {
                throw FilterError("String conversion for field \"\(f.name)\" is not supported", at: f.location)
            }
            let p = try c.value(args[0], expected: nil).produce
            return result(.string) { st, emit in
                p(st) { v in
                    var s = FilterFunctions.text(v, t)
                    return s.withUTF8 { emit(.bytes(UnsafeRawBufferPointer($0))) }
                }
            }
        case "upper", "lower":
            let e: TypedExpr?
            if case .field = args[0] { e = try c.value(args[0], expected: nil) } else { e = nil }
            guard let e, e.type.isString else {
                throw FilterError("Only string type fields can be used as parameter for \(name)()", at: args[0].location)
            }
            let p = e.produce
            let up = name == "upper"
            return result(.string) { st, emit in
                p(st) { v in
                    guard case .bytes(let b) = v else { return false }
                    var out = [UInt8](b)
                    for i in out.indices {
                        let ch = out[i]
                        if up, ch >= 0x61 && ch <= 0x7a { out[i] = ch - 0x20 }
                        if !up, ch >= 0x41 && ch <= 0x5a { out[i] = ch + 0x20 }
                    }
                    return out.withUnsafeBytes { emit(.bytes($0)) }
                }
            }
        case "abs":
            if case .string = args[0] {
                throw FilterError("Type STRING is not valid for abs", at: args[0].location)
            }
            if c.isConstant(args[0]) && expected == nil {
                throw FilterError("Need a field or field-like value on the LHS.", at: args[0].location)
            }
            let e = try c.value(args[0], expected: expected)
            guard Compiler.supportsNegation(e.type) else {
                throw FilterError("'\(args[0].display)' is not a valid argument to 'abs'()", at: args[0].location)
            }
            let p = e.produce
            let produce: Producer = { st, emit in
                p(st) { v in
                    switch v {
                    case .sint(let x) where x < 0: return emit(Arithmetic.negate(v) ?? .sint(x))
                    case .double(let x): return emit(.double(Swift.abs(x)))
                    case .time(let t) where t.seconds < 0: return emit(.time(Timestamp.zero - t))
                    default: return emit(v)
                    }
                }
            }
            if let k = e.constant {
                var r: Constant = k
                _ = produce(EvalState.constantState) { v in r = Constant(copying: v); return true }
                return Compiler.constantExpr(r, e.type, name, loc)
            }
            return TypedExpr(type: e.type, produce: produce, constant: nil, field: nil, display: name, location: loc)
        default: // max, min
            var exprs: [TypedExpr] = []
            for a in args {
                if c.isConstant(a) && expected == nil {
                    throw FilterError("Argument '\(a.display)' is not valid for \(name)()", at: a.location)
                }
                let e = try c.value(a, expected: expected)
                if let first = exprs.first, first.type != e.type {
                    throw FilterError("Arguments to '\(name)' must have the same type (expected \(first.type.tsharkName), got \(e.type.tsharkName))",
                                      at: a.location)
                }
                exprs.append(e)
            }
            let producers = exprs.map(\.produce)
            let wantMax = name == "max"
            return result(exprs[0].type) { st, emit in
                var best: Constant?
                for p in producers {
                    _ = p(st) { v in
                        if let b = best {
                            let better = b.with { bv in
                                guard let cmp = Value.compare(v, bv) else { return false }
                                return wantMax ? cmp > 0 : cmp < 0
                            }
                            if better { best = Constant(copying: v) }
                        } else {
                            best = Constant(copying: v)
                        }
                        return false
                    }
                }
                guard let b = best else { return false }
                return b.with(emit)
            }
        }
    }

    /// The text `string()` gives for a value (tshark's filter representation).
    static func text(_ v: Value, _ type: FieldType) -> String {
        switch v {
        case .uint(let x): return String(x)
        case .sint(let x): return String(x)
        case .double(let d): return String(d)
        case .ipv4(let a, _): return "\(a >> 24).\((a >> 16) & 0xff).\((a >> 8) & 0xff).\(a & 0xff)"
        case .ipv6(let a, _): return ipv6Text(a)
        case .bytes(let b):
            return b.map { byte in
                let h = String(byte, radix: 16)
                return h.count == 1 ? "0" + h : h
            }.joined(separator: ":")
        case .time(let t): return "\(t.seconds).\(t.nanoseconds)"
        }
    }

    /// RFC 5952 text of an IPv6 address.
    static func ipv6Text(_ a: IPv6Address) -> String {
        let g = a.groups
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if g[i] == 0 {
                var j = i
                while j < 8 && g[j] == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                i = j
            } else { i += 1 }
        }
        var parts: [String] = []
        i = 0
        var out = ""
        while i < 8 {
            if i == bestStart {
                out += (parts.isEmpty ? "" : parts.joined(separator: ":")) + "::"
                parts = []
                i += bestLen
                continue
            }
            parts.append(String(g[i], radix: 16))
            i += 1
        }
        if bestStart >= 0 { return out + parts.joined(separator: ":") }
        return parts.joined(separator: ":")
    }
}

extension EvalState {
    /// A state with no packet, for folding constants at compile time.
    nonisolated(unsafe) static let constantState = EvalState(tree: PacketTree(interest: Interest(all: false, registryCount: 0)),
                                                             references: 0)
}
