/// A JSON emitter with the layout of wsutil's `json_dumper` in tshark 4.0, writing straight into
/// a byte buffer (normally the output stream's): pretty-printed (`-T json`: two spaces per level,
/// `"name": value`, `{}` for an empty object) or compact (`-T ek`), with member names optionally
/// turned from `ip.src` into `ip_src` (EK).
///
/// Strings are escaped as json_dumper does: control characters as `\n`, `\t`, … or `\u00XX`,
/// `"` and `\` with a backslash, `</` as `<\/`; everything else (UTF-8, DEL) as is. Runs of bytes
/// that need no escape are copied at once.
final class JSONDumper {
    let sink: TextBuffer
    let pretty: Bool
    let dotToUnderscore: Bool

    /// Per nesting level: bit 0 = array, bit 1 = has an entry, bit 2 = a name is pending.
    private var levels: UnsafeMutablePointer<UInt8>
    private var levelCapacity = 64
    /// Current nesting depth (0 = top).
    private(set) var depth = 0

    private static let isArray: UInt8 = 1
    private static let hasEntry: UInt8 = 2
    private static let hasName: UInt8 = 4

    init(pretty: Bool, dotToUnderscore: Bool = false, sink: TextBuffer = TextBuffer(capacity: 1 << 16)) {
        self.pretty = pretty
        self.dotToUnderscore = dotToUnderscore
        self.sink = sink
        levels = .allocate(capacity: levelCapacity)
        levels[0] = 0
    }

    deinit { levels.deallocate() }

    /// Separator and indentation before a new token at the current level.
    @inline(__always)
    private func prepareToken() {
        let d = depth
        guard d > 0 else { return }
        let l = levels[d]
        if l & Self.isArray == 0 && l & Self.hasName != 0 {
            levels[d] = l & ~Self.hasName
            return
        }
        if l & Self.hasEntry != 0 { sink.append(UInt8(ascii: ",")) }
        if pretty {
            sink.append(0x0a)
            sink.appendSpaces(d * 2)
        }
        levels[d] = l | Self.hasEntry
    }

    func beginObject() { begin(array: false, UInt8(ascii: "{")) }
    func beginArray() { begin(array: true, UInt8(ascii: "[")) }
    func endObject() { end(UInt8(ascii: "}")) }
    func endArray() { end(UInt8(ascii: "]")) }

    private func begin(array: Bool, _ c: UInt8) {
        prepareToken()
        sink.append(c)
        depth += 1
        if depth == levelCapacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: levelCapacity * 2)
            bigger.update(from: levels, count: levelCapacity)
            levels.deallocate()
            levels = bigger
            levelCapacity *= 2
        }
        levels[depth] = array ? Self.isArray : 0
    }

    private func end(_ c: UInt8) {
        let had = levels[depth] & Self.hasEntry != 0
        depth -= 1
        if had && pretty {
            sink.append(0x0a)
            sink.appendSpaces(depth * 2)
        }
        sink.append(c)
    }

    /// `"name": ` from up to three parts (EK writes `parent_name_raw`).
    func member(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
                _ c: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) {
        prepareToken()
        sink.append(UInt8(ascii: "\""))
        escape(a, name: true)
        escape(b, name: true)
        escape(c, name: true)
        sink.append(UInt8(ascii: "\""))
        sink.append(UInt8(ascii: ":"))
        if pretty { sink.append(0x20) }
        levels[depth] |= Self.hasName
    }

    /// `"name": ` from parts that need no escaping (and no `.` → `_`): copied as they are.
    func memberPlain(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
                     _ c: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) {
        prepareToken()
        sink.append(UInt8(ascii: "\""))
        sink.append(a)
        sink.append(b)
        sink.append(c)
        sink.append(UInt8(ascii: "\""))
        sink.append(UInt8(ascii: ":"))
        if pretty { sink.append(0x20) }
        levels[depth] |= Self.hasName
    }

    func member(_ name: String, suffix: StaticString = "") {
        let s = UnsafeRawBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        withBytes(name) { member($0, s) }
    }

    func member(_ name: [UInt8]) {
        name.withUnsafeBytes { member($0) }
    }

    /// A string value.
    func string(_ bytes: UnsafeRawBufferPointer) {
        prepareToken()
        sink.append(UInt8(ascii: "\""))
        escape(bytes, name: false)
        sink.append(UInt8(ascii: "\""))
    }

    func string(_ s: String) { withBytes(s) { string($0) } }

    func string(_ b: [UInt8]) { b.withUnsafeBytes { string($0) } }

    /// Opens a string value whose text the caller writes into `sink` itself (text that needs
    /// no escaping: numbers, hex, addresses); `endString` closes it.
    func beginString() {
        prepareToken()
        sink.append(UInt8(ascii: "\""))
    }

    func endString() { sink.append(UInt8(ascii: "\"")) }

    /// A value written as is (`null`, `true`, numbers).
    func raw(_ s: StaticString) {
        prepareToken()
        sink.append(s)
    }

    /// A number value.
    func number(_ v: Int64) {
        prepareToken()
        sink.appendDecimal(v)
    }

    func number(_ v: UInt64) {
        prepareToken()
        sink.appendDecimal(v)
    }

    /// json_dumper's end of a top-level value: a newline.
    func finish() { sink.append(0x0a) }

    private func withBytes<R>(_ s: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
        var c = s
        return c.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    /// True when one of the eight bytes of `x` is below 0x20, `"`, `\` or `/` (exact: the
    /// classic "has less" / "has zero" bit tricks).
    @inline(__always)
    static func needsEscape(_ x: UInt64) -> Bool {
        let lo: UInt64 = 0x0101_0101_0101_0101
        let hi: UInt64 = 0x8080_8080_8080_8080
        let below = (x &- lo &* 0x20) & ~x & hi
        @inline(__always) func has(_ c: UInt64) -> UInt64 {
            let y = x ^ (lo &* c)
            return (y &- lo) & ~y & hi
        }
        return (below | has(0x22) | has(0x5c) | has(0x2f)) != 0
    }

    /// Copies `p` escaped: runs of plain bytes at once.
    func escape(_ p: UnsafeRawBufferPointer, name: Bool) {
        let n = p.count
        guard n > 0 else { return }
        let src = p.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let dots = name && dotToUnderscore
        var i = 0
        var runStart = 0
        while i < n {
            // Eight plain bytes at a time (no control character, quote, backslash or slash).
            if !dots {
                while i &+ 8 <= n {
                    let x = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
                    if Self.needsEscape(x) { break }
                    i &+= 8
                }
                if i >= n { break }
            }
            let c = src[i]
            // Plain: not a control character, quote, backslash, slash (escaped after "<") or
            // (in EK names) dot.
            if c >= 0x20 && c != 0x22 && c != 0x5c && c != 0x2f && !(dots && c == 0x2e) {
                i += 1
                continue
            }
            if i > runStart { sink.append(UnsafeRawBufferPointer(start: src + runStart, count: i - runStart)) }
            switch c {
            case 0x08: sink.append(0x5c, UInt8(ascii: "b"))
            case 0x09: sink.append(0x5c, UInt8(ascii: "t"))
            case 0x0a: sink.append(0x5c, UInt8(ascii: "n"))
            case 0x0c: sink.append(0x5c, UInt8(ascii: "f"))
            case 0x0d: sink.append(0x5c, UInt8(ascii: "r"))
            case 0x00..<0x20:
                sink.append(0x5c, UInt8(ascii: "u"))
                sink.append(0x30, 0x30)
                sink.appendHex(UInt64(c), digits: 2)
            case 0x22, 0x5c:
                sink.append(0x5c, c)
            case 0x2f:
                // json_dumper writes "</" as "<\/" so the output can sit in a <script> block.
                if i > 0 && src[i - 1] == UInt8(ascii: "<") { sink.append(0x5c, c) } else { sink.append(c) }
            default: // "." in an EK name
                sink.append(UInt8(ascii: "_"))
            }
            i += 1
            runStart = i
        }
        if n > runStart { sink.append(UnsafeRawBufferPointer(start: src + runStart, count: n - runStart)) }
    }
}
