#if canImport(Glibc)
import Glibc
#endif

/// Turns records into text: tshark's `-T fields` values and `-V` tree labels.
/// Runs only when something prints; never on the dissection hot path.
public struct FieldFormatter {
    public let registry: FieldRegistry
    public let resolver: NameResolver
    /// The registry's texts as bytes, for writing lines without `String`s.
    public let table: FieldTextTable

    public init(registry: FieldRegistry, resolver: NameResolver) {
        self.registry = registry
        self.resolver = resolver
        self.table = registry.textTable
    }

    // MARK: values

    /// The value as `-T fields` prints it.
    public func fieldValue(_ r: FieldRecord, _ ctx: PacketContext) -> String {
        let info = registry[r.field]
        switch r.value {
        case .none:
            return info.isProtocol || info.type == .none ? "" : ""
        case .uint(let v):
            switch info.type {
            case .boolean: return v != 0 ? "1" : "0"
            case .ipxnet: return "0x" + Self.hex(v, digits: 8)
            default:
                switch info.base {
                case .hex, .hexDec: return "0x" + Self.hex(v, digits: max(info.bitWidth / 4, 1))
                case .oct: return "0" + String(v, radix: 8)
                default: return String(v)
                }
            }
        case .int(let v):
            if info.base == .hex || info.base == .hexDec {
                return "0x" + Self.hex(UInt64(bitPattern: v) & Self.mask(info.bitWidth), digits: max(info.bitWidth / 4, 1))
            }
            return String(v)
        case .bool(let b): return b ? "1" : "0"
        case .double(let d): return Self.formatDouble(d)
        case .ipv4(let a): return Self.ipv4String(a)
        case .ipv6(let a): return Self.ipv6String(a)
        case .ether(let m): return NameResolver.etherString(m)
        case .bytes:
            return Self.hexString(bytes(r, ctx), separator: info.base.separator)
        case .blob(let i):
            return Self.hexString(ctx.tree.blobs[Int(i)][...], separator: info.base.separator)
        case .string:
            return Self.escape(bytes(r, ctx))
        case .text(let i): return i >= 0 ? ctx.tree.texts[Int(i)] : ""
        case .absoluteTime(let t):
            if info.base == .unix { return Self.epochString(t) }
            return Self.absoluteString(t, utc: info.base == .utc)
        case .relativeTime(let t): return Self.relativeString(t)
        }
    }

    /// The record's bytes in its data source.
    public func bytes(_ r: FieldRecord, _ ctx: PacketContext) -> ArraySlice<UInt8> {
        let src = ctx.sources.bytes(Int(r.source))
        let lo = max(0, min(Int(r.offset), src.count))
        let hi = max(lo, min(lo + Int(r.length), src.count))
        return ArraySlice(UnsafeRawBufferPointer(rebasing: src[lo..<hi]))
    }

    // MARK: labels

    /// The text of a `-V` line, without indentation.
    public func label(_ r: FieldRecord, _ ctx: PacketContext) -> String {
        let b = TextBuffer(capacity: 256)
        writeLabel(r, ctx, to: b)
        return b.string
    }

    /// Child lines of an expert record (message, severity, group).
    public func expertDetails(_ r: FieldRecord, _ ctx: PacketContext) -> [String] {
        let e = registry.expert(r.field)
        let msg = ctx.tree.labelString(r) ?? (e?.summary ?? "")
        return ["[\(msg)]", "[Severity level: \(e?.severity.name ?? "")]", "[Group: \(e?.group.name ?? "")]"]
    }

    /// The generated text of a record (no label override, appendix or brackets).
    func defaultLabel(_ r: FieldRecord, _ ctx: PacketContext) -> String {
        let b = TextBuffer(capacity: 256)
        writeDefaultLabel(r, ctx, to: b)
        return b.string
    }

    /// The value as shown after "Name: " in the tree.
    public func displayValue(_ r: FieldRecord, _ info: FieldInfo, _ ctx: PacketContext) -> String {
        let b = TextBuffer(capacity: 256)
        writeDisplayValue(r, table.entry(r.field), ctx, to: b)
        return b.string
    }

    func numberText(_ v: UInt64, _ info: FieldInfo) -> String {
        let digits = max(info.bitmask != 0 ? (Self.bitsIn(info.bitmask) + 3) / 4 : info.bitWidth / 4, 1)
        switch info.base {
        case .hex: return "0x" + Self.hex(v, digits: digits)
        case .hexDec: return "0x" + Self.hex(v, digits: digits) + " (\(v))"
        case .decHex: return "\(v) (0x" + Self.hex(v, digits: digits) + ")"
        case .oct: return "0" + String(v, radix: 8)
        default: return String(v)
        }
    }

    // MARK: helpers

    static func bitsIn(_ mask: UInt64) -> Int {
        guard mask != 0 else { return 0 }
        return 64 - mask.leadingZeroBitCount - mask.trailingZeroBitCount
    }

    static func mask(_ bits: Int) -> UInt64 { bits >= 64 ? ~0 : (UInt64(1) << UInt64(bits)) - 1 }

    /// "0100 .... " style drawing of `mask` over a `width`-bit container; `value` is the
    /// field's value (already shifted down).
    public static func bitPattern(value: UInt64, mask: UInt64, width: Int) -> String {
        let w = width > 0 ? width : 64 - mask.leadingZeroBitCount
        let shifted = value << UInt64(mask.trailingZeroBitCount)
        var out = ""
        for i in stride(from: w - 1, through: 0, by: -1) {
            let bit = UInt64(1) << UInt64(i)
            if mask & bit != 0 { out.append(shifted & bit != 0 ? "1" : "0") } else { out.append(".") }
            if i % 4 == 0 && i != 0 { out.append(" ") }
        }
        return out
    }

    public static func hex(_ v: UInt64, digits: Int) -> String {
        let s = String(v, radix: 16)
        return s.count >= digits ? s : String(repeating: "0", count: digits - s.count) + s
    }

    public static func hexString(_ b: ArraySlice<UInt8>, separator: String = "") -> String {
        let digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8) = (48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102)
        let sep = Array(separator.utf8)
        var out = [UInt8]()
        out.reserveCapacity(b.count * (2 + sep.count))
        withUnsafeBytes(of: digits) { d in
            var first = true
            for x in b {
                if !first && !sep.isEmpty { out.append(contentsOf: sep) }
                out.append(d[Int(x >> 4)])
                out.append(d[Int(x & 15)])
                first = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func ipv4String(_ a: UInt32) -> String {
        // At most 15 bytes: built in place, no interpolation.
        String(unsafeUninitializedCapacity: 15) { p in
            var n = 0
            for shift in stride(from: 24 as UInt32, through: 0, by: -8) {
                let b = (a >> shift) & 0xff
                if shift != 24 { p[n] = 0x2e; n += 1 }
                if b >= 100 { p[n] = 0x30 &+ UInt8(b / 100); n += 1 }
                if b >= 10 { p[n] = 0x30 &+ UInt8(b / 10 % 10); n += 1 }
                p[n] = 0x30 &+ UInt8(b % 10)
                n += 1
            }
            return n
        }
    }

    /// RFC 5952 text form (longest run of zero groups compressed, lower case).
    public static func ipv6String(_ a: IPv6Address) -> String {
        // IPv4-mapped / compatible forms as inet_ntop prints them.
        if a.hi == 0 && (a.lo >> 32) == 0xffff {
            return "::ffff:" + ipv4String(UInt32(truncatingIfNeeded: a.lo))
        }
        // At most 8 groups of 4 digits and 7 colons: built in place (no String appends).
        return String(unsafeUninitializedCapacity: 39) { p in
            @inline(__always) func group(_ i: Int) -> UInt64 {
                ((i < 4 ? a.hi : a.lo) >> UInt64((3 - i % 4) * 16)) & 0xffff
            }
            var bestStart = -1, bestLen = 0, i = 0
            while i < 8 {
                if group(i) == 0 {
                    var j = i
                    while j < 8 && group(j) == 0 { j += 1 }
                    if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                    i = j
                } else { i += 1 }
            }
            let d = TextBuffer.hexDigits.utf8Start
            var n = 0
            var wrote = false, endsWithColon = false
            i = 0
            while i < 8 {
                if i == bestStart {
                    p[n] = 0x3a
                    p[n + 1] = 0x3a
                    n += 2
                    wrote = true
                    endsWithColon = true
                    i += bestLen
                    continue
                }
                if wrote && !endsWithColon {
                    p[n] = 0x3a
                    n += 1
                }
                let g = group(i)
                var started = false
                for s in stride(from: 12, through: 0, by: -4) {
                    let x = Int((g >> UInt64(s)) & 0xf)
                    if x != 0 || started || s == 0 {
                        p[n] = d[x]
                        n += 1
                        started = true
                    }
                }
                wrote = true
                endsWithColon = false
                i += 1
            }
            return n
        }
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Nov 22, 2026 18:55:28.819452581 UTC" (local time unless `utc`).
    public static func absoluteString(_ t: Timestamp, utc: Bool) -> String {
        var secs = time_t(t.seconds)
        var tmv = tm()
        if utc { gmtime_r(&secs, &tmv) } else { localtime_r(&secs, &tmv) }
        let zone: String
        if utc { zone = "UTC" } else if let z = tmv.tm_zone { zone = String(cString: z) } else { zone = "" }
        func p2(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let day = tmv.tm_mday < 10 ? " \(tmv.tm_mday)" : "\(tmv.tm_mday)"
        return "\(months[Int(tmv.tm_mon)]) \(day), \(tmv.tm_year + 1900) \(p2(tmv.tm_hour)):\(p2(tmv.tm_min)):\(p2(tmv.tm_sec)).\(nanos9(t.nanoseconds)) \(zone)"
    }

    static func nanos9(_ n: Int32) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 9 - s.count)) + s
    }

    public static func epochString(_ t: Timestamp) -> String { relativeString(t) }

    public static func relativeString(_ t: Timestamp) -> String {
        let (neg, s, ns) = t.signedParts
        let digits = String(ns)
        return (neg ? "-" : "") + "\(s)." + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }

    /// printf-style formatting of one double ("%.9f").
    public static func cFormat(_ format: String, _ d: Double) -> String {
        var buf = [CChar](repeating: 0, count: 128)
        _ = withVaList([d]) { vsnprintf(&buf, 128, format, $0) }
        return String(cString: buf)
    }

    public static func formatDouble(_ d: Double) -> String { cFormat("%.9g", d) }

    /// Printable ASCII as is; other bytes as tshark escapes them in strings.
    public static func escape(_ b: ArraySlice<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(b.count)
        for c in b {
            switch c {
            case 0x07: out += Array("\\a".utf8)
            case 0x08: out += Array("\\b".utf8)
            case 0x0c: out += Array("\\f".utf8)
            case 0x0a: out += Array("\\n".utf8)
            case 0x0d: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0x0b: out += Array("\\v".utf8)
            // A backslash is shown as is (tshark's format_text: IMAP "FLAGS (\Seen)").
            case 0x20..<0x7f, 0x80...: out.append(c)
            default: out += Array("\\x".utf8) + Array(hex2(c).utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension FieldBase {
    var separator: String {
        switch self {
        case .sepColon: return ":"
        case .sepDash: return "-"
        case .sepDot: return "."
        case .sepSpace: return " "
        default: return ""
        }
    }
}
