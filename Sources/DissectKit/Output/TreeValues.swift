/// Values and line texts of tree items as tshark's structured outputs print them.
///
/// The value is tshark's `fvalue_to_string_repr(…, FTREPR_DISPLAY, …)`: what `-T fields` shows
/// for numbers, addresses and times, but byte fields always with separators (`:` unless the field
/// asks for `-` or `.`), strings unescaped (the JSON or XML writer escapes them), and no value at
/// all for protocols, FT_NONE fields and text-only lines.
struct TreeValues {
    let formatter: FieldFormatter
    let engine: Engine

    init(formatter: FieldFormatter, engine: Engine) {
        self.formatter = formatter
        self.engine = engine
    }

    // MARK: labels

    /// The item's line text without the brackets `-V` adds to generated items (tshark's
    /// `fi->rep`, or the label it would fill in).
    func label(_ n: NodeInfo, _ tree: RecordTree, _ ctx: PacketContext) -> String {
        let i = n.node.index
        switch n.node {
        case .record:
            let r = tree.records[Int(i)]
            if r.flags.contains(.labelReplaces), r.label >= 0, Int(r.label) < ctx.tree.texts.count {
                return ctx.tree.texts[Int(r.label)]
            }
            var text = formatter.defaultLabel(r, ctx)
            if r.flags.contains(.labelAppends), r.label >= 0, Int(r.label) < ctx.tree.texts.count {
                text += ctx.tree.texts[Int(r.label)]
            }
            return text
        case .expertInfo:
            let e = ctx.registry.expert(tree.records[Int(i)].field)
            return "Expert Info (\(e?.severity.name ?? "")/\(e?.group.name ?? "")): " + tree.expertMessage(i, ctx)
        case .expertField:
            return tree.expertMessage(i, ctx)
        case .expertMessage:
            return "Message: " + tree.expertMessage(i, ctx)
        case .expertSeverity:
            return "Severity level: " + (ctx.registry.expert(tree.records[Int(i)].field)?.severity.name ?? "")
        case .expertGroup:
            return "Group: " + (ctx.registry.expert(tree.records[Int(i)].field)?.group.name ?? "")
        }
    }

    // MARK: values

    /// True when the item has a value (tshark: `fvalue_to_string_repr` is not NULL).
    func hasValue(_ n: NodeInfo) -> Bool {
        if case .expertMessage = n.node { return true }
        return n.value != nil
    }

    /// Appends the item's value text (unescaped UTF-8) to `out`; false when it has none.
    @discardableResult
    func appendValue(_ n: NodeInfo, _ tree: RecordTree, _ ctx: PacketContext, into out: inout [UInt8]) -> Bool {
        if case .expertMessage = n.node {
            out.append(contentsOf: tree.expertMessage(n.node.index, ctx).utf8)
            return true
        }
        guard let value = n.value else { return false }
        let info = n.info
        if n.isBytesProtocol {
            appendBytes(n, ctx, separator: UInt8(ascii: ":"), into: &out)
            return true
        }
        switch value {
        case .uint(let v):
            if info.type == .boolean {
                out.append(v != 0 ? 0x31 : 0x30)
            } else {
                appendUnsigned(v, info, into: &out)
            }
        case .int(let v):
            if info.base == .hex || info.base == .hexDec {
                let width = max(info.type.bitWidth, 8)
                appendHex(UInt64(bitPattern: v) & FieldFormatter.mask(width), digits: width / 4, into: &out)
            } else {
                if v < 0 { out.append(UInt8(ascii: "-")) }
                Self.appendDecimal(v.magnitude, into: &out)
            }
        case .bool(let b):
            out.append(b ? 0x31 : 0x30)
        case .ipv4(let a):
            for k in 0..<4 {
                if k > 0 { out.append(UInt8(ascii: ".")) }
                Self.appendDecimal(UInt64((a >> UInt32(24 - 8 * k)) & 0xff), into: &out)
            }
        case .ether(let m):
            for k in 0..<6 {
                if k > 0 { out.append(UInt8(ascii: ":")) }
                Self.appendHexByte(UInt8(truncatingIfNeeded: m >> UInt64(40 - 8 * k)), into: &out)
            }
        case .bytes, .blob:
            if info.type.isString {
                appendString(n, value, ctx, into: &out)
            } else {
                appendBytes(n, ctx, separator: Self.separator(info.base), into: &out)
            }
        case .string:
            if info.type == .bytes || info.type == .uintBytes {
                appendBytes(n, ctx, separator: Self.separator(info.base), into: &out)
            } else {
                appendString(n, value, ctx, into: &out)
            }
        case .text:
            appendString(n, value, ctx, into: &out)
        case .none:
            return false
        default:
            guard case .record(let i) = n.node else { return false }
            out.append(contentsOf: formatter.fieldValue(tree.records[Int(i)], ctx).utf8)
        }
        return true
    }

    /// The value as a String (XML attributes, EK).
    func valueString(_ n: NodeInfo, _ tree: RecordTree, _ ctx: PacketContext) -> String? {
        var b: [UInt8] = []
        guard appendValue(n, tree, ctx, into: &b) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }

    private func appendUnsigned(_ v: UInt64, _ info: FieldInfo, into out: inout [UInt8]) {
        switch info.base {
        case .hex, .hexDec:
            appendHex(v, digits: max(info.type.bitWidth, 8) / 4, into: &out)
        case .oct:
            out.append(UInt8(ascii: "0"))
            out.append(contentsOf: String(v, radix: 8).utf8)
        default:
            Self.appendDecimal(v, into: &out)
        }
    }

    private func appendHex(_ v: UInt64, digits: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "0"))
        out.append(UInt8(ascii: "x"))
        var n = 1
        while n < 16 && (v >> UInt64(n * 4)) != 0 { n += 1 }
        let w = max(n, digits)
        for k in stride(from: w - 1, through: 0, by: -1) {
            out.append(Self.hexDigits[Int((v >> UInt64(k * 4)) & 0xf)])
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always) static func appendHexByte(_ c: UInt8, into out: inout [UInt8]) {
        out.append(hexDigits[Int(c >> 4)])
        out.append(hexDigits[Int(c & 15)])
    }

    static func appendDecimal(_ v: UInt64, into out: inout [UInt8]) {
        if v < 10 { out.append(0x30 &+ UInt8(v)); return }
        let start = out.count
        var x = v
        while x > 0 {
            out.append(0x30 &+ UInt8(x % 10))
            x /= 10
        }
        out[start...].reverse()
    }

    /// tshark's FTREPR_DISPLAY separator for byte fields: `.` or `-` when the field asks, else `:`.
    static func separator(_ base: FieldBase) -> UInt8 {
        switch base {
        case .sepDot: return UInt8(ascii: ".")
        case .sepDash: return UInt8(ascii: "-")
        default: return UInt8(ascii: ":")
        }
    }

    /// The item's bytes in its data source (clipped to the source), or its blob.
    func withBytes<R>(_ n: NodeInfo, _ ctx: PacketContext, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if case .blob(let b)? = n.value, Int(b) < ctx.tree.blobs.count {
            return ctx.tree.blobs[Int(b)].withUnsafeBytes { body($0) }
        }
        guard n.source >= 0 && n.source <= ctx.sources.extra.count else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let src = ctx.sources.bytes(n.source)
        let lo = max(0, min(n.offset, src.count))
        let hi = max(lo, min(lo + n.length, src.count))
        return body(UnsafeRawBufferPointer(rebasing: src[lo..<hi]))
    }

    private func appendBytes(_ n: NodeInfo, _ ctx: PacketContext, separator: UInt8, into out: inout [UInt8]) {
        withBytes(n, ctx) { b in
            for (k, c) in b.enumerated() {
                if k > 0 { out.append(separator) }
                Self.appendHexByte(c, into: &out)
            }
        }
    }

    /// A string value as tshark holds it: UTF-8 (invalid sequences replaced), ending at a NUL.
    private func appendString(_ n: NodeInfo, _ value: FieldValue, _ ctx: PacketContext, into out: inout [UInt8]) {
        if case .text(let i) = value {
            guard i >= 0 && Int(i) < ctx.tree.texts.count else { return }
            let s = ctx.tree.texts[Int(i)]
            for c in s.utf8 {
                if c == 0 { break }
                out.append(c)
            }
            return
        }
        withBytes(n, ctx) { b in
            var end = 0
            var ascii = true
            while end < b.count && b[end] != 0 {
                if b[end] >= 0x80 { ascii = false }
                end += 1
            }
            let part = UnsafeRawBufferPointer(rebasing: b[0..<end])
            if ascii {
                out.append(contentsOf: part)
            } else {
                out.append(contentsOf: String(decoding: part, as: UTF8.self).utf8)
            }
        }
    }

    /// The raw hex of the item's bytes (`-x` `_raw`, PDML `value`), or nil when they are not
    /// there; `invalid` when the item runs past its data source (tshark: "field length invalid!").
    enum RawBytes { case hex(String), invalid, missing }

    func rawHex(_ n: NodeInfo, _ ctx: PacketContext) -> RawBytes {
        // Expert items have no data source behind them (tshark writes no hex for them).
        switch n.node {
        case .record: break
        case .expertField: if n.length == 0 { return .missing }
        default: return .missing
        }
        guard n.source >= 0 && n.source <= ctx.sources.extra.count else { return .missing }
        let srcCount = ctx.sources.bytes(n.source).count
        if n.offset < 0 || n.offset > srcCount { return .missing }
        if n.length > srcCount - n.offset { return .invalid }
        var out: [UInt8] = []
        out.reserveCapacity(n.length * 2)
        withBytes(n, ctx) { b in for c in b { Self.appendHexByte(c, into: &out) } }
        return .hex(String(decoding: out, as: UTF8.self))
    }

    /// The value of a bitmask field as tshark's `%X` (upper-case hex, no padding).
    func maskedValueHex(_ n: NodeInfo) -> String? {
        guard n.info.bitmask != 0, let v = n.value else { return nil }
        switch v {
        case .uint(let x): return String(x, radix: 16, uppercase: true)
        case .int(let x):
            // tshark prints 32-bit signed values through an unsigned cast.
            if n.info.type.bitWidth <= 32 { return String(UInt32(truncatingIfNeeded: x), radix: 16, uppercase: true) }
            return String(UInt64(bitPattern: x), radix: 16, uppercase: true)
        case .bool(let b): return b ? "1" : "0"
        default: return nil
        }
    }
}

extension NodeInfo {
    /// A protocol item with a byte value: tshark's protocol "in name only" with FT_BYTES values
    /// (the TCP options), printed like a byte field.
    var isBytesProtocol: Bool { info.isProtocol && value != nil }

    /// tshark's `ftenum_t` number of the item's type (`-x` `_raw` arrays).
    var ftenum: Int {
        if isBytesProtocol { return 30 }
        switch info.type {
        case .none: return 0
        case .protocolItem: return 1
        case .boolean: return 2
        case .char: return 3
        case .uint8: return 4
        case .uint16: return 5
        case .uint24: return 6
        case .uint32: return 7
        case .uint40: return 8
        case .uint48: return 9
        case .uint56: return 10
        case .uint64: return 11
        case .int8: return 12
        case .int16: return 13
        case .int24: return 14
        case .int32: return 15
        case .int64: return 19
        case .float: return 22
        case .double: return 23
        case .absoluteTime: return 24
        case .relativeTime: return 25
        case .string: return 26
        case .stringz: return 27
        case .uintString: return 28
        case .ether: return 29
        case .bytes: return 30
        case .uintBytes: return 31
        case .ipv4: return 32
        case .ipv6: return 33
        case .ipxnet: return 34
        case .framenum: return 35
        case .guid: return 36
        case .oid: return 37
        case .eui64: return 38
        }
    }
}
