#if canImport(Glibc)
import Glibc
#endif

/// Tree-line text written straight into a byte buffer: the one implementation of tshark's
/// labels (`label`, `defaultLabel` and `displayValue` return what these write).
extension FieldFormatter {
    /// The text of a `-V` line (without indentation): the label override, the expert line or the
    /// generated text plus appendix, in brackets when generated.
    public func writeLabel(_ r: FieldRecord, _ ctx: PacketContext, to b: TextBuffer) {
        let tree = ctx.tree
        if ctx.hasReplacementLabel(r) {
            let generated = r.flags.contains(.generated)
            if generated { b.append(0x5b) }
            ctx.writeReplacementLabel(r, to: b)
            if generated { b.append(0x5d) }
            return
        }
        if r.flags.contains(.expert) {
            let e = registry.expert(r.field)
            b.append("[Expert Info (")
            b.append(e?.severity.name ?? "")
            b.append(0x2f)
            b.append(e?.group.name ?? "")
            b.append("): ")
            if let l = tree.label(r) { b.append(l) } else { b.append(e?.summary ?? "") }
            b.append(0x5d)
            return
        }
        let generated = r.flags.contains(.generated)
        if generated { b.append(0x5b) }
        writeDefaultLabel(r, ctx, to: b)
        if r.flags.contains(.labelAppends), let l = tree.label(r) { b.append(l) }
        if generated { b.append(0x5d) }
    }

    /// The three detail lines of an expert record, each indented by `indent` spaces.
    public func writeExpertDetails(_ r: FieldRecord, _ ctx: PacketContext, indent: Int, to b: TextBuffer) {
        let e = registry.expert(r.field)
        b.appendSpaces(indent)
        b.append(0x5b)
        if let l = ctx.tree.label(r) { b.append(l) } else { b.append(e?.summary ?? "") }
        b.append("]\n")
        b.appendSpaces(indent)
        b.append("[Severity level: ")
        b.append(e?.severity.name ?? "")
        b.append("]\n")
        b.appendSpaces(indent)
        b.append("[Group: ")
        b.append(e?.group.name ?? "")
        b.append("]\n")
    }

    /// "Name: value", with the bit pattern of a bitmask field in front; the name alone for
    /// protocols and FT_NONE fields.
    public func writeDefaultLabel(_ r: FieldRecord, _ ctx: PacketContext, to b: TextBuffer) {
        let e = table.entry(r.field)
        if e.isProtocol || e.type == .none {
            b.append(table.bytes(e.name))
            return
        }
        if e.bitmask != 0, let raw = r.value.uintValue {
            Self.writeBitPattern(value: raw, mask: e.bitmask, width: Int(e.bitWidth), to: b)
            b.append(" = ")
        }
        b.append(table.bytes(e.name))
        b.append(0x3a, 0x20)
        writeDisplayValue(r, e, ctx, to: b)
    }

    /// "0100 .... " style drawing of `mask` over a `width`-bit container.
    public static func writeBitPattern(value: UInt64, mask: UInt64, width: Int, to b: TextBuffer) {
        let w = width > 0 ? width : 64 - mask.leadingZeroBitCount
        guard w > 0 else { return }
        let shifted = value << UInt64(mask.trailingZeroBitCount)
        // w digits and a space after every four but the last: stored straight into the buffer.
        b.reserve(w + (w - 1) / 4)
        var p = b.base + b.count
        for i in stride(from: w - 1, through: 0, by: -1) {
            let bit = UInt64(1) << UInt64(i)
            p.pointee = mask & bit != 0 ? (shifted & bit != 0 ? 0x31 : 0x30) : 0x2e
            p += 1
            if i & 3 == 0 && i != 0 {
                p.pointee = 0x20
                p += 1
            }
        }
        b.count = p - b.base
    }

    /// The value as shown after "Name: " in the tree.
    public func writeDisplayValue(_ r: FieldRecord, _ e: FieldTextTable.Entry, _ ctx: PacketContext,
                                  to b: TextBuffer) {
        switch r.value {
        case .uint(let v):
            if e.type == .boolean {
                writeBoolean(v != 0, e, to: b)
                return
            }
            if e.type == .ipxnet {
                // tshark 4.0 names an unresolved IPX network by `ipxnet_to_str_punct(addr, '\0')`: the
                // NUL separator ends the text after the first byte ("00 (0x00000028)").
                b.appendHex(v >> 24 & 0xff, digits: 2)
                b.append(" (0x")
                b.append(FieldFormatter.hex(v, digits: 8).uppercased())
                b.append(0x29)
                return
            }
            if e.strings >= 0 {
                if case .units(let one, let many) = table.strings[Int(e.strings)] {
                    writeNumber(v, e, to: b)
                    b.append(0x20)
                    b.append(table.name(v == 1 ? one : many))
                    return
                }
                let n = table.lookup(e.strings, v)
                // BASE_NONE with value strings shows the name alone ("Checksum Status: Good").
                if e.base == .none {
                    if let n { b.append(table.name(n)) } else { b.append("Unknown") }
                    return
                }
                if let n { b.append(table.name(n)) } else { b.append("Unknown") }
                b.append(0x20, 0x28)
                writeNumber(v, e, to: b)
                b.append(0x29)
                return
            }
            writeNumber(v, e, to: b)
        case .int(let v):
            if e.strings >= 0, let n = table.lookup(e.strings, UInt64(bitPattern: v)) {
                b.append(table.name(n))
                b.append(0x20, 0x28)
                b.appendDecimal(v)
                b.append(0x29)
                return
            }
            b.appendDecimal(v)
        case .bool(let v):
            writeBoolean(v, e, to: b)
        case .ether(let m):
            // "Cisco_12:34:56 (00:00:0c:12:34:56)", or just the address under -n.
            resolver.appendEtherDisplay(m, to: b)
        case .absoluteTime(let t):
            if e.base == .unix {
                b.append(Self.epochString(t))
                b.append(" seconds")
            } else {
                writeAbsolute(t, utc: e.base == .utc, to: b)
            }
        case .relativeTime(let t):
            b.appendRelative(t)
            b.append(" seconds")
        case .bytes:
            // tshark shows at most 36 bytes of a byte field in a tree line, then "…": format
            // only those (a 1448-byte payload would otherwise be hexed in full for each line).
            let src = ctx.sources.bytes(Int(r.source))
            let lo = max(0, min(Int(r.offset), src.count))
            let hi = max(lo, min(lo + Int(min(r.length, 36)), src.count))
            if hi == lo {
                b.append("<MISSING>")
                return
            }
            b.appendHexBytes(UnsafeRawBufferPointer(rebasing: src[lo..<hi]), separator: Self.separatorByte(e.base))
            if r.length > 36 { b.append("…") }
        case .blob(let i):
            let blob = ctx.tree.blobs[Int(i)]
            if blob.isEmpty {
                b.append("<MISSING>")
                return
            }
            blob.withUnsafeBytes { p in
                b.appendHexBytes(UnsafeRawBufferPointer(rebasing: p[0..<min(36, p.count)]),
                                 separator: Self.separatorByte(e.base))
            }
            if blob.count > 36 { b.append("…") }
        case .string:
            writeEscaped(r, ctx, to: b)
        case .text(let i):
            if i >= 0 { b.append(ctx.tree.texts[Int(i)]) }
        case .ipv4(let a):
            b.appendIPv4(a)
        case .ipv6(let a):
            b.appendIPv6(a)
        case .double(let d):
            b.append(Self.formatDouble(d))
        case .none:
            break
        }
    }

    @inline(__always)
    private func writeBoolean(_ v: Bool, _ e: FieldTextTable.Entry, to b: TextBuffer) {
        if e.strings >= 0, case .trueFalse(let t, let f) = table.strings[Int(e.strings)] {
            b.append(table.name(v ? t : f))
        } else if e.bitmask != 0 {
            b.append(v ? "Set" : "Not set")
        } else {
            b.append(v ? "True" : "False")
        }
    }

    /// `numberText`: the number in the field's base.
    @inline(__always)
    func writeNumber(_ v: UInt64, _ e: FieldTextTable.Entry, to b: TextBuffer) {
        switch e.base {
        case .hex:
            b.append(0x30, 0x78)
            b.appendHex(v, digits: Int(e.hexDigits))
        case .hexDec:
            b.append(0x30, 0x78)
            b.appendHex(v, digits: Int(e.hexDigits))
            b.append(0x20, 0x28)
            b.appendDecimal(v)
            b.append(0x29)
        case .decHex:
            b.appendDecimal(v)
            b.append(" (0x")
            b.appendHex(v, digits: Int(e.hexDigits))
            b.append(0x29)
        case .oct:
            b.append(0x30)
            b.appendOctal(v)
        default:
            b.appendDecimal(v)
        }
    }

    /// A `.string` record's bytes as `fieldValue` shows them: control characters escaped.
    private func writeEscaped(_ r: FieldRecord, _ ctx: PacketContext, to b: TextBuffer) {
        let src = ctx.sources.bytes(Int(r.source))
        let lo = max(0, min(Int(r.offset), src.count))
        let hi = max(lo, min(lo + Int(r.length), src.count))
        let p = UnsafeRawBufferPointer(rebasing: src[lo..<hi])
        var plain = true
        for c in p where c < 0x20 || c >= 0x7f {
            plain = false
            break
        }
        if plain {
            b.append(p)
        } else {
            // Escapes and the UTF-8 repair of the String path (rare).
            b.append(Self.escape(ArraySlice(p)))
        }
    }

    /// "Nov 22, 2026 18:55:28.819452581 UTC" (local time unless `utc`); the date and zone of
    /// the last second are kept, so a capture's lines cost no `localtime_r` each.
    func writeAbsolute(_ t: Timestamp, utc: Bool, to b: TextBuffer) {
        let cache = table.timeCache
        if cache.seconds != t.seconds || cache.utc != utc || !cache.valid {
            let s = Self.absoluteString(Timestamp(seconds: t.seconds, nanoseconds: 0), utc: utc)
            // "MMM DD, YYYY HH:MM:SS.000000000 ZONE": split around the nine digits.
            let u = Array(s.utf8)
            guard let dot = u.lastIndex(of: 0x2e), dot + 10 <= u.count else {
                b.append(Self.absoluteString(t, utc: utc))
                return
            }
            cache.prefix = Array(u[...dot])
            cache.suffix = Array(u[(dot + 10)...])
            cache.seconds = t.seconds
            cache.utc = utc
            cache.valid = true
        }
        b.append(cache.prefix)
        b.appendNanos9(t.nanoseconds)
        b.append(cache.suffix)
    }

    static func separatorByte(_ base: FieldBase) -> UInt8 {
        switch base {
        case .sepColon: return 0x3a
        case .sepDash: return 0x2d
        case .sepDot: return 0x2e
        case .sepSpace: return 0x20
        default: return 0
        }
    }
}

/// The formatted date of the last absolute time written (one second's worth of lines).
final class AbsoluteTimeCache {
    var valid = false
    var seconds: Int64 = 0
    var utc = false
    var prefix: [UInt8] = []
    var suffix: [UInt8] = []
}

extension NameResolver {
    /// `etherDisplay(mac)` written into `b`.
    public func appendEtherDisplay(_ mac: UInt64, to b: TextBuffer) {
        guard resolveMAC else {
            b.appendEther(mac)
            return
        }
        b.append(etherName(mac))
        b.append(0x20, 0x28)
        b.appendEther(mac)
        b.append(0x29)
    }
}
