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
            if r.flags.contains(.labelReplaces), let l = ctx.replacementLabel(r) { return l }
            var text = formatter.defaultLabel(r, ctx)
            if r.flags.contains(.labelAppends), let l = ctx.tree.labelString(r) { text += l }
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

    /// How an item's value text is written: not at all, as text that never needs JSON/XML
    /// escaping (numbers, hex, addresses, times), or as free text.
    enum ValueKind { case none, plain, text }

    func valueKind(_ n: NodeInfo) -> ValueKind {
        if case .expertMessage = n.node { return .text }
        guard let value = n.value else { return .none }
        if n.isBytesProtocol { return .plain }
        switch value {
        case .none: return .none
        case .bytes, .blob: return n.entry.type.isString ? .text : .plain
        case .string: return n.entry.type == .bytes || n.entry.type == .uintBytes ? .plain : .text
        case .text: return .text
        default:
            if case .record = n.node { return .plain }
            switch value {
            case .uint, .int, .bool, .ipv4, .ether: return .plain
            default: return .none
            }
        }
    }

    /// Appends the item's value text (unescaped UTF-8) to `out`; false when it has none.
    @discardableResult
    func appendValue(_ n: NodeInfo, _ tree: RecordTree, _ ctx: PacketContext, into out: inout [UInt8]) -> Bool {
        let b = TextBuffer(capacity: 256)
        let had = appendValue(n, tree, ctx, to: b)
        out.append(contentsOf: b.bytes)
        return had
    }

    /// Writes the item's value text (unescaped UTF-8) into `b`; false when it has none.
    @discardableResult
    func appendValue(_ n: NodeInfo, _ tree: RecordTree, _ ctx: PacketContext, to b: TextBuffer) -> Bool {
        if case .expertMessage = n.node {
            tree.writeExpertMessage(n.node.index, ctx, to: b)
            return true
        }
        guard let value = n.value else { return false }
        let e = n.entry
        if n.isBytesProtocol {
            appendBytes(n, ctx, separator: UInt8(ascii: ":"), to: b)
            return true
        }
        switch value {
        case .uint(let v):
            if e.type == .boolean {
                b.append(v != 0 ? 0x31 : 0x30)
            } else if e.type == .ipxnet {
                b.append(0x30, 0x78)
                b.appendHex(v, digits: 8)
            } else {
                switch e.base {
                case .hex, .hexDec:
                    b.append(0x30, 0x78)
                    b.appendHex(v, digits: max(e.type.bitWidth, 8) / 4)
                case .oct:
                    b.append(0x30)
                    b.appendOctal(v)
                default:
                    b.appendDecimal(v)
                }
            }
        case .int(let v):
            if e.base == .hex || e.base == .hexDec {
                let width = max(e.type.bitWidth, 8)
                b.append(0x30, 0x78)
                b.appendHex(UInt64(bitPattern: v) & FieldFormatter.mask(width), digits: width / 4)
            } else {
                b.appendDecimal(v)
            }
        case .bool(let x):
            b.append(x ? 0x31 : 0x30)
        case .ipv4(let a):
            b.appendIPv4(a)
        case .ether(let m):
            b.appendEther(m)
        case .bytes, .blob:
            if e.type.isString {
                appendString(n, value, ctx, to: b)
            } else {
                appendBytes(n, ctx, separator: Self.separator(e.base), to: b)
            }
        case .string:
            if e.type == .bytes || e.type == .uintBytes {
                appendBytes(n, ctx, separator: Self.separator(e.base), to: b)
            } else {
                appendString(n, value, ctx, to: b)
            }
        case .text:
            appendString(n, value, ctx, to: b)
        case .none:
            return false
        case .relativeTime(let t):
            guard case .record = n.node else { return false }
            b.appendRelative(t)
        case .absoluteTime(let t):
            guard case .record = n.node else { return false }
            if e.base == .unix { b.append(FieldFormatter.epochString(t)) } else {
                formatter.writeAbsolute(t, utc: e.base == .utc, to: b)
            }
        case .ipv6(let a):
            guard case .record = n.node else { return false }
            b.appendIPv6(a)
        default:
            guard case .record(let i) = n.node else { return false }
            b.append(formatter.fieldValue(tree.records[Int(i)], ctx))
        }
        return true
    }

    /// The value as a String (XML attributes, EK).
    func valueString(_ n: NodeInfo, _ tree: RecordTree, _ ctx: PacketContext) -> String? {
        let b = TextBuffer(capacity: 256)
        guard appendValue(n, tree, ctx, to: b) else { return nil }
        return b.string
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

    private func appendBytes(_ n: NodeInfo, _ ctx: PacketContext, separator: UInt8, to b: TextBuffer) {
        withBytes(n, ctx) { b.appendHexBytes($0, separator: separator) }
    }

    /// A string value as tshark holds it: UTF-8 (invalid sequences replaced), ending at a NUL.
    private func appendString(_ n: NodeInfo, _ value: FieldValue, _ ctx: PacketContext, to b: TextBuffer) {
        if case .text(let i) = value {
            guard i >= 0 && Int(i) < ctx.tree.texts.count else { return }
            let start = b.count
            b.append(ctx.tree.texts[Int(i)])
            // The value ends at a NUL, as tshark's C string does.
            let written = b.bytes(start, b.count)
            if let nul = written.firstIndex(of: 0) { b.truncate(to: start + nul) }
            return
        }
        withBytes(n, ctx) { p in
            var end = 0
            var ascii = true
            while end < p.count && p[end] != 0 {
                if p[end] >= 0x80 { ascii = false }
                end += 1
            }
            let part = UnsafeRawBufferPointer(rebasing: p[0..<end])
            if ascii {
                b.append(part)
            } else {
                b.append(String(decoding: part, as: UTF8.self))
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
        let b = TextBuffer(capacity: n.length * 2 + 16)
        withBytes(n, ctx) { b.appendHexBytes($0) }
        return .hex(b.string)
    }

    /// The value of a bitmask field as tshark's `%X` (upper-case hex, no padding).
    func maskedValueHex(_ n: NodeInfo) -> String? {
        guard n.entry.bitmask != 0, let v = n.value else { return nil }
        switch v {
        case .uint(let x): return String(x, radix: 16, uppercase: true)
        case .int(let x):
            // tshark prints 32-bit signed values through an unsigned cast.
            if n.entry.type.bitWidth <= 32 { return String(UInt32(truncatingIfNeeded: x), radix: 16, uppercase: true) }
            return String(UInt64(bitPattern: x), radix: 16, uppercase: true)
        case .bool(let b): return b ? "1" : "0"
        default: return nil
        }
    }
}

extension NodeInfo {
    /// A protocol item with a byte value: tshark's protocol "in name only" with FT_BYTES values
    /// (the TCP options), printed like a byte field.
    var isBytesProtocol: Bool { entry.isProtocol && value != nil }

    /// tshark's `ftenum_t` number of the item's type (`-x` `_raw` arrays).
    var ftenum: Int {
        if isBytesProtocol { return 30 }
        switch entry.type {
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
