/// A JSON emitter with the layout of wsutil's `json_dumper` in tshark 4.0, writing straight into
/// a byte buffer: pretty-printed (`-T json`: two spaces per level, `"name": value`, `{}` for an
/// empty object) or compact (`-T ek`), with member names optionally turned from `ip.src` into
/// `ip_src` (EK).
///
/// Strings are escaped as json_dumper does: control characters as `\n`, `\t`, … or `\u00XX`,
/// `"` and `\` with a backslash, `</` as `<\/`; everything else (UTF-8, DEL) as is.
struct JSONDumper {
    var buffer: [UInt8] = []
    let pretty: Bool
    let dotToUnderscore: Bool

    /// Per nesting level: 0 = object, 1 = array; whether it has an entry; whether a name is pending.
    private var isArray: [Bool] = [false]
    private var hasEntry: [Bool] = [false]
    private var hasName: [Bool] = [false]

    init(pretty: Bool, dotToUnderscore: Bool = false) {
        self.pretty = pretty
        self.dotToUnderscore = dotToUnderscore
        buffer.reserveCapacity(1 << 16)
    }

    var depth: Int { isArray.count - 1 }

    /// Separator and indentation before a new token at the current level.
    private mutating func prepareToken() {
        let d = depth
        guard d > 0 else { return }
        if !isArray[d] && hasName[d] {
            hasName[d] = false
            return
        }
        if hasEntry[d] { buffer.append(UInt8(ascii: ",")) }
        if pretty {
            buffer.append(0x0a)
            for _ in 0..<(d * 2) { buffer.append(0x20) }
        }
        hasEntry[d] = true
    }

    mutating func beginObject() { begin(array: false, UInt8(ascii: "{")) }
    mutating func beginArray() { begin(array: true, UInt8(ascii: "[")) }
    mutating func endObject() { end(UInt8(ascii: "}")) }
    mutating func endArray() { end(UInt8(ascii: "]")) }

    private mutating func begin(array: Bool, _ c: UInt8) {
        prepareToken()
        buffer.append(c)
        isArray.append(array)
        hasEntry.append(false)
        hasName.append(false)
    }

    private mutating func end(_ c: UInt8) {
        let had = hasEntry.removeLast()
        isArray.removeLast()
        hasName.removeLast()
        if had && pretty {
            buffer.append(0x0a)
            for _ in 0..<(depth * 2) { buffer.append(0x20) }
        }
        buffer.append(c)
    }

    /// `"name": ` (the name may come in up to three parts: EK writes `parent_name_raw`).
    mutating func member<A: Collection, B: Collection, C: Collection>(_ a: A, _ b: B, _ c: C)
        where A.Element == UInt8, B.Element == UInt8, C.Element == UInt8 {
        prepareToken()
        buffer.append(UInt8(ascii: "\""))
        escape(a, name: true)
        escape(b, name: true)
        escape(c, name: true)
        buffer.append(UInt8(ascii: "\""))
        buffer.append(UInt8(ascii: ":"))
        if pretty { buffer.append(0x20) }
        hasName[depth] = true
    }

    mutating func member(_ name: String, suffix: StaticString = "") {
        let s = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        member(name.utf8, s, EmptyCollection())
    }

    /// A string value.
    mutating func string<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        prepareToken()
        buffer.append(UInt8(ascii: "\""))
        escape(bytes, name: false)
        buffer.append(UInt8(ascii: "\""))
    }

    mutating func string(_ s: String) { string(s.utf8) }

    /// A value written as is (`null`, `true`, numbers).
    mutating func raw(_ s: StaticString) {
        prepareToken()
        buffer.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A number value.
    mutating func number(_ v: Int64) {
        prepareToken()
        if v < 0 { buffer.append(UInt8(ascii: "-")) }
        appendDecimal(v.magnitude)
    }

    mutating func number(_ v: UInt64) {
        prepareToken()
        appendDecimal(v)
    }

    mutating func appendDecimal(_ v: UInt64) {
        if v < 10 { buffer.append(0x30 &+ UInt8(v)); return }
        let start = buffer.count
        var n = v
        while n > 0 {
            buffer.append(0x30 &+ UInt8(n % 10))
            n /= 10
        }
        buffer[start...].reverse()
    }

    /// json_dumper's end of a top-level value: a newline.
    mutating func finish() { buffer.append(0x0a) }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func escape<C: Collection>(_ bytes: C, name: Bool) where C.Element == UInt8 {
        var previous: UInt8 = 0
        for c in bytes {
            switch c {
            case 0x08: buffer.append(0x5c); buffer.append(UInt8(ascii: "b"))
            case 0x09: buffer.append(0x5c); buffer.append(UInt8(ascii: "t"))
            case 0x0a: buffer.append(0x5c); buffer.append(UInt8(ascii: "n"))
            case 0x0c: buffer.append(0x5c); buffer.append(UInt8(ascii: "f"))
            case 0x0d: buffer.append(0x5c); buffer.append(UInt8(ascii: "r"))
            case 0x00..<0x20:
                buffer.append(0x5c); buffer.append(UInt8(ascii: "u")); buffer.append(0x30); buffer.append(0x30)
                buffer.append(Self.hexDigits[Int(c >> 4)]); buffer.append(Self.hexDigits[Int(c & 15)])
            case UInt8(ascii: "\""), 0x5c:
                buffer.append(0x5c); buffer.append(c)
            case UInt8(ascii: "/") where previous == UInt8(ascii: "<"):
                // json_dumper writes "</" as "<\/" so the output can sit in a <script> block.
                buffer.append(0x5c); buffer.append(c)
            case UInt8(ascii: ".") where name && dotToUnderscore:
                buffer.append(UInt8(ascii: "_"))
            default:
                buffer.append(c)
            }
            previous = c
        }
    }
}
