import DissectKit

/// Byte-level text helpers shared by the mail protocols (SMTP, IMAP, IMF, MIME): tshark's
/// `tvb_find_line_end`, `format_text`, base64 and the 240-byte tree-label limit.
///
/// Everything here reads `ByteView`s without copying; only the label helpers (used when the
/// tree is built) make `String`s.
enum MailText {
    static let cr: UInt8 = 0x0d
    static let lf: UInt8 = 0x0a
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09

    /// tshark's `tvb_find_line_end(tvb, offset, end - offset, &next, desegment)`: the length of
    /// the line starting at `offset` (without its terminator) and the offset after the terminator.
    ///
    /// A line ends at LF, CRLF or a CR not followed by LF. With `desegment`, a line without a
    /// terminator — or ending in a CR that is the last byte — gives nil ("need more data");
    /// without it the line runs to `end`.
    @inline(__always)
    static func lineEnd(_ v: ByteView, from offset: Int, to end: Int, desegment: Bool) -> (length: Int, next: Int)? {
        var i = offset
        let e = min(end, v.count)
        // Skip eight bytes at a time while none is CR or LF (mail lines run to ~80 bytes).
        if i >= 0, let base = v.base {
            let lo: UInt64 = 0x0101_0101_0101_0101, hi: UInt64 = 0x8080_8080_8080_8080
            while i &+ 8 <= e {
                let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let a = x ^ (lo &* 0x0a), b = x ^ (lo &* 0x0d)
                if ((a &- lo) & ~a & hi) | ((b &- lo) & ~b & hi) != 0 { break }
                i &+= 8
            }
        }
        while i < e {
            let c = v[unchecked: i]
            if c == lf { return (i - offset, i + 1) }
            if c == cr {
                if i + 1 >= e {
                    if desegment { return nil }
                    return (i - offset, i + 1)
                }
                if v[unchecked: i + 1] == lf { return (i - offset, i + 2) }
                return (i - offset, i + 1)
            }
            i += 1
        }
        if desegment { return nil }
        return (e - offset, e)
    }

    /// `tvb_find_line_end(tvb, offset, -1, &next, FALSE)`.
    @inline(__always)
    static func lineEnd(_ v: ByteView, from offset: Int) -> (length: Int, next: Int) {
        lineEnd(v, from: offset, to: v.count, desegment: false)!
    }

    /// Offset of the first `byte` in `[from, to)`, or nil (`tvb_find_guint8`).
    @inline(__always)
    static func find(_ v: ByteView, _ byte: UInt8, from: Int, to: Int) -> Int? {
        var i = max(from, 0)
        let e = min(to, v.count)
        while i < e {
            if v[unchecked: i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// tshark's `tvb_get_token_len(tvb, offset, len, &next, FALSE)`: a token ends at a space,
    /// CR or LF; `next` is one past that character.
    @inline(__always)
    static func token(_ v: ByteView, from offset: Int, length: Int) -> (length: Int, next: Int) {
        let e = min(offset + max(length, 0), v.count)
        var i = offset
        while i < e {
            let c = v[unchecked: i]
            if c == space || c == cr || c == lf { return (i - offset, i + 1) }
            i += 1
        }
        return (e - offset, e)
    }

    /// True when the bytes at `offset` equal `literal` (`tvb_strneql`).
    @inline(__always)
    static func equals(_ v: ByteView, at offset: Int, _ literal: StaticString) -> Bool {
        v.matches(literal, at: offset)
    }

    /// Case-insensitive ASCII comparison with a lower-case `literal` (`tvb_strncaseeql`).
    @inline(__always)
    static func equalsIgnoringCase(_ v: ByteView, at offset: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard offset >= 0, v.has(offset, n) else { return false }
        let p = literal.utf8Start
        for i in 0..<n where lower(v[unchecked: offset + i]) != p[i] { return false }
        return true
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { (c >= 0x41 && c <= 0x5a) ? c | 0x20 : c }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a }
    /// `g_ascii_isspace`: space, \t, \n, \v, \f, \r.
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0d) }

    /// Parses a decimal number from `[from, to)` as `strtoul` does (leading spaces, digits, stop
    /// at the first non-digit); saturates instead of overflowing.
    static func decimal(_ v: ByteView, from: Int, to: Int) -> UInt64 {
        var i = from
        let e = min(to, v.count)
        while i < e, isSpace(v[unchecked: i]) { i += 1 }
        if i < e, v[unchecked: i] == 0x2b { i += 1 }
        var n: UInt64 = 0
        while i < e, isDigit(v[unchecked: i]) {
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(v[unchecked: i] - 0x30))
            if o1 || o2 { return .max }
            n = a
            i += 1
        }
        return n
    }

    /// The lower-cased ASCII bytes of `[from, to)` as a String (for table lookups; callers
    /// keep this off the hot path or bound its size).
    static func lowercasedString(_ v: ByteView, from: Int, to: Int) -> String {
        var out = [UInt8]()
        let e = min(to, v.count)
        if e > from { out.reserveCapacity(e - from) }
        var i = max(from, 0)
        while i < e { out.append(lower(v[unchecked: i])); i += 1 }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: base64

    /// wsutil's `ws_base64_decode_inplace`: decodes until the first byte outside the alphabet
    /// (CR and LF are skipped); returns the decoded bytes.
    static func base64Decode<S: Sequence>(_ input: S) -> [UInt8] where S.Element == UInt8 {
        var out = [UInt8]()
        var acc: UInt32 = 0
        var bits = 0
        for c in input {
            let v: UInt32
            switch c {
            case 0x41...0x5a: v = UInt32(c - 0x41)
            case 0x61...0x7a: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2b: v = 62
            case 0x2f: v = 63
            case cr, lf: continue
            default: return out
            }
            acc = (acc << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }

    /// A lenient base64 decoder for message bodies (RFC 2045 §6.8): whitespace and other bytes
    /// outside the alphabet are skipped, `=` ends the data.
    static func base64DecodeBody(_ v: ByteView) -> [UInt8] {
        let n = v.count
        guard n > 0, let base = v.base else { return [] }
        let src = base.assumingMemoryBound(to: UInt8.self)
        return [UInt8](unsafeUninitializedCapacity: n * 3 / 4 + 3) { out, written in
            // A table per byte: the 6-bit value, 64 for "=" (end), 255 for bytes to skip.
            let table = base64Table
            var o = 0
            var acc: UInt32 = 0
            var bits: UInt32 = 0
            var i = 0
            table.withUnsafeBufferPointer { t in
                while i < n {
                    let x = t[Int(src[i])]
                    i &+= 1
                    if x >= 64 {
                        if x == 64 { break }
                        continue
                    }
                    acc = (acc << 6) | UInt32(x)
                    bits &+= 6
                    if bits >= 8 {
                        bits &-= 8
                        out[o] = UInt8(truncatingIfNeeded: acc >> bits)
                        o &+= 1
                        acc &= (1 << bits) &- 1
                    }
                }
            }
            written = o
        }
    }

    /// `base64DecodeBody`'s table: 0-63 for the alphabet, 64 for "=", 255 for anything else.
    static let base64Table: [UInt8] = (0..<256).map { c -> UInt8 in
        switch c {
        case 0x41...0x5a: return UInt8(c - 0x41)
        case 0x61...0x7a: return UInt8(c - 0x61 + 26)
        case 0x30...0x39: return UInt8(c - 0x30 + 52)
        case 0x2b: return 62
        case 0x2f: return 63
        case 0x3d: return 64
        default: return 255
        }
    }

    /// Quoted-printable decoding (RFC 2045 §6.7): `=XX` escapes and soft line breaks.
    static func quotedPrintableDecode(_ v: ByteView) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(v.count)
        var i = 0
        while i < v.count {
            let c = v[unchecked: i]
            if c == 0x3d {
                if let h = hexValue(v, i + 1), let l = hexValue(v, i + 2) {
                    out.append(h << 4 | l)
                    i += 3
                    continue
                }
                // Soft line break: "=" then optional transport padding then CRLF / LF (stray
                // CRs before the LF are tolerated, as some mailers write "=\r\r\n").
                var j = i + 1
                while j < v.count, v[unchecked: j] == space || v[unchecked: j] == tab { j += 1 }
                while j < v.count, v[unchecked: j] == cr { j += 1 }
                if j < v.count, v[unchecked: j] == lf {
                    i = j + 1
                    continue
                }
                if j >= v.count { break }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    private static func hexValue(_ v: ByteView, _ i: Int) -> UInt8? {
        guard i < v.count else { return nil }
        let c = v[unchecked: i]
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}

// MARK: - Tree labels (only built when the tree is printed)

/// tshark's label rules: `format_text` escaping and the 240-byte `ITEM_LABEL_LENGTH` limit.
enum MailLabel {
    /// `ITEM_LABEL_LENGTH`: a label that would need this many bytes (or more) is cut.
    static let itemLabelLength = 240

    /// tshark's `format_text` over bytes read with `ENC_ASCII` (`asciiOnly`: every byte ≥ 0x80
    /// becomes U+FFFD) or over raw bytes (valid UTF-8 kept, invalid bytes become U+FFFD).
    /// Printable ASCII is copied, control characters become `\r`, `\n`… or octal `\ooo`
    /// (`TextBuffer.appendFormatText`).
    static func formatText(_ v: ByteView, _ offset: Int, _ length: Int, asciiOnly: Bool) -> String {
        let lo = max(0, min(offset, v.count))
        let hi = max(lo, min(offset + length, v.count))
        let b = TextBuffer(capacity: hi - lo + 16)
        b.appendFormatText(UnsafeRawBufferPointer(rebasing: v.buffer[lo..<hi]), asciiOnly: asciiOnly)
        return b.string
    }

    /// `format_text` over a byte array.
    static func formatText(_ bytes: [UInt8], asciiOnly: Bool) -> String {
        let b = TextBuffer(capacity: bytes.count + 16)
        bytes.withUnsafeBytes { b.appendFormatText($0, asciiOnly: asciiOnly) }
        return b.string
    }

    /// Appends the `format_text` form of `bytes` to `out`.
    static func appendFormatted<C: Collection>(_ out: inout [UInt8], _ bytes: C, asciiOnly: Bool)
    where C.Element == UInt8, C.Index == Int {
        let b = TextBuffer(capacity: bytes.count + 16)
        if bytes.withContiguousStorageIfAvailable({ b.appendFormatText(UnsafeRawBufferPointer($0), asciiOnly: asciiOnly) }) == nil {
            Array(bytes).withUnsafeBytes { b.appendFormatText($0, asciiOnly: asciiOnly) }
        }
        out.append(contentsOf: b.bytes)
    }

    /// `format_text_wsp`: as `formatText`, but tab, LF, FF and CR are shown as spaces (\v stays
    /// escaped).
    static func formatTextWSP(_ v: ByteView, _ offset: Int, _ length: Int) -> String {
        let lo = max(0, min(offset, v.count))
        let hi = max(lo, min(offset + length, v.count))
        let b = TextBuffer(capacity: hi - lo + 16)
        b.appendFormatTextWSP(UnsafeRawBufferPointer(rebasing: v.buffer[lo..<hi]))
        return b.string
    }

    /// The label tshark builds for a string field: "Name: value", or — when that needs 240
    /// bytes or more — "Name [truncated]: value…" cut to 238 bytes at a character boundary.
    static func fieldLabel(name: String, value: String) -> String {
        let full = name + ": " + value
        guard full.utf8.count >= itemLabelLength else { return full }
        return cut(name + " [truncated]: " + value, to: itemLabelLength - 2)
    }

    /// The label of a free-format text line (`proto_tree_add_format_text`): long ones get a
    /// " [truncated]" prefix and are cut to 238 bytes.
    static func textLabel(_ text: String) -> String {
        guard text.utf8.count >= itemLabelLength else { return text }
        return cut(" [truncated]" + text, to: itemLabelLength - 2)
    }

    /// A label extended with `proto_item_append_text`: silently cut to 239 bytes.
    static func appended(_ label: String, _ suffix: String) -> String {
        let full = label + suffix
        guard full.utf8.count >= itemLabelLength else { return full }
        return cut(full, to: itemLabelLength - 1)
    }

    /// The first `limit` bytes of `s`, backing off to the start of the character that would
    /// be split (tshark's `g_utf8_prev_char` cut).
    static func cut(_ s: String, to limit: Int) -> String {
        var bytes = Array(s.utf8)
        guard bytes.count > limit else { return s }
        var end = limit
        while end > 0, bytes[end] & 0xc0 == 0x80 { end -= 1 }
        bytes.removeSubrange(end...)
        return String(decoding: bytes, as: UTF8.self)
    }
}

// MARK: - Info column

/// tshark's `COL_MAX_INFO_LEN` (4096 bytes including the terminator).
let mailInfoLimit = 4095

extension ColumnText {
    /// Appends `separator` when the column is not empty (`col_append_sep_str`).
    @inline(__always)
    func appendSeparator(_ separator: StaticString) {
        if !bytes.isEmpty { appendCapped(separator) }
    }

    /// Appends a literal, never growing the column past tshark's Info limit.
    @inline(__always)
    func appendCapped(_ s: StaticString) {
        let room = mailInfoLimit - bytes.count
        guard room > 0 else { return }
        let n = min(room, s.utf8CodeUnitCount)
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: n))
    }

    /// Appends a String within the Info limit.
    func appendCapped(_ s: String) {
        let room = mailInfoLimit - bytes.count
        guard room > 0 else { return }
        var n = 0
        for b in s.utf8 {
            if n == room { break }
            bytes.append(b)
            n += 1
        }
    }

    /// Appends `count` bytes of `v` at `offset` as tshark's `format_text` shows them
    /// (`asciiOnly`: read with `ENC_ASCII` first), within the Info limit. Plain printable
    /// ASCII — the common case — is copied without building anything.
    func appendFormatted(_ v: ByteView, _ offset: Int, _ count: Int, asciiOnly: Bool) {
        let lo = max(0, min(offset, v.count))
        let hi = max(lo, min(offset + count, v.count))
        var plain = true
        var i = lo
        while i < hi {
            let c = v[unchecked: i]
            if c < 0x20 || c >= 0x7f { plain = false; break }
            i += 1
        }
        let room = mailInfoLimit - bytes.count
        guard room > 0 else { return }
        if plain {
            bytes.append(contentsOf: v.buffer[lo..<min(hi, lo + room)])
            return
        }
        var out = [UInt8]()
        MailLabel.appendFormatted(&out, v.buffer[lo..<hi], asciiOnly: asciiOnly)
        bytes.append(contentsOf: out.prefix(room))
    }

    /// Appends the `format_text_wsp` form (whitespace controls shown as spaces).
    func appendFormattedWSP(_ v: ByteView, _ offset: Int, _ count: Int) {
        let room = mailInfoLimit - bytes.count
        guard room > 0 else { return }
        let s = MailLabel.formatTextWSP(v, offset, count)
        appendCapped(s)
    }

    /// Appends bytes within the Info limit.
    func appendCapped(bytes b: [UInt8]) {
        let room = mailInfoLimit - bytes.count
        guard room > 0 else { return }
        bytes.append(contentsOf: b.prefix(room))
    }
}

// MARK: - Adding string fields with tshark's labels

extension PacketContext {
    /// Adds an `ENC_ASCII` string field over `[offset, offset+length)`, with tshark's label
    /// (bytes ≥ 0x80 shown as U+FFFD, long labels cut with "[truncated]").
    @discardableResult
    mutating func addMailString(_ field: FieldID, _ data: ByteView, _ offset: Int, _ length: Int,
                                parent: TreeNode) -> TreeNode {
        guard wants(field) else { return .none }
        let len = max(0, min(length, data.count - offset))
        var ascii = true
        var i = offset
        let end = offset + len
        while i < end {
            if data[unchecked: i] >= 0x80 { ascii = false; break }
            i += 1
        }
        let value: FieldValue = ascii ? .string : text(MailLabel.formatText(data, offset, len, asciiOnly: true))
        let node = add(field, data, offset, len, value, parent: parent)
        // The generic "Name: value" line is right unless the value needs escaping or the line
        // reaches tshark's 240-byte limit: the escaped length is counted first (C escapes take
        // two bytes, octal ones four), the label is written only when it may be cut.
        if buildsFullTree, !node.isNone, ascii {
            var shown = len
            var j = offset
            while j < end {
                let c = data[unchecked: j]
                if c < 0x20 || c == 0x7f { shown += (c >= 0x07 && c <= 0x0d) ? 1 : 3 }
                j += 1
            }
            let nameSpan = registry.textTable.entry(field).name
            if Int(nameSpan.end - nameSpan.start) + 2 + shown < MailLabel.itemLabelLength { return node }
        }
        if buildsFullTree, !node.isNone {
            let name = registry[field].name
            if !ascii || name.utf8.count + 2 + len * 4 >= MailLabel.itemLabelLength {
                // An ASCII value gets here only when its line is cut: the first 240 bytes make
                // at least 240 bytes of label, enough for the cut (a 50 KB IMAP literal line
                // is not formatted in full for 238 bytes of label).
                let shownBytes = ascii ? min(len, MailLabel.itemLabelLength) : len
                let bytes = UnsafeRawBufferPointer(rebasing: data.buffer[offset..<(offset + shownBytes)])
                var changed = !ascii
                setLabel(node) { b in
                    let start = b.count
                    b.append(name)
                    b.append(": ")
                    b.appendFormatText(bytes, asciiOnly: true)
                    let full = b.count
                    b.limitFieldLabel(from: start, nameLength: name.utf8.count)
                    if b.count != full { changed = true }
                }
                // An unchanged ASCII line is the generic one: no label needed.
                if !changed {
                    tree.records[Int(node.index)].label = -1
                    tree.records[Int(node.index)].flags.remove(.labelReplaces)
                }
            }
        }
        return node
    }

    /// Adds a string field whose value is a computed String (decoded text, generated values).
    @discardableResult
    mutating func addMailText(_ field: FieldID, _ data: ByteView, _ offset: Int, _ length: Int,
                              _ value: @autoclosure () -> String, parent: TreeNode,
                              flags: RecordFlags = []) -> TreeNode {
        guard wants(field) else { return .none }
        let s = value()
        let node = add(field, data, offset, length, text(s), parent: parent, flags: flags)
        if buildsFullTree, !node.isNone {
            let name = registry[field].name
            if name.utf8.count + 2 + s.utf8.count >= MailLabel.itemLabelLength {
                setLabel(node, MailLabel.fieldLabel(name: name, value: s))
            }
        }
        return node
    }

    /// Adds a free-format text line (tshark's `proto_tree_add_format_text`): formatted only
    /// when printed (`addFormatTextLine`).
    mutating func addFormatText(_ data: ByteView, _ offset: Int, _ length: Int, parent: TreeNode,
                                whitespaceAsSpace: Bool = false) {
        guard buildsFullTree, !parent.isNone else { return }
        addFormatTextLine(data, offset, length, parent: parent, whitespaceAsSpace: whitespaceAsSpace)
    }
}
