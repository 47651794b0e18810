/// tshark's label text rules written into a `TextBuffer`: `format_text` escaping and the
/// 240-byte `ITEM_LABEL_LENGTH` limit. Text protocols (SMTP, IMF, IMAP, HTTP …) show their
/// lines through these; the plain-ASCII case is a scan and one copy.
extension TextBuffer {
    /// tshark's `ITEM_LABEL_LENGTH`: a label that would need this many bytes (or more) is cut.
    public static let itemLabelLength = 240

    /// tshark's `format_text` over bytes read with `ENC_ASCII` (`asciiOnly`: every byte ≥ 0x80
    /// becomes U+FFFD) or over raw bytes (valid UTF-8 kept, invalid bytes become U+FFFD).
    /// Printable ASCII is copied, control characters become `\r`, `\n`… or octal `\ooo`;
    /// non-printable characters `\uXXXX`.
    public func appendFormatText(_ p: UnsafeRawBufferPointer, asciiOnly: Bool) {
        let n = p.count
        guard n > 0 else { return }
        let src = p.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var i = 0
        while i < n {
            // A run of printable ASCII (eight bytes at a time while it lasts): one copy.
            var j = i
            let lo: UInt64 = 0x0101_0101_0101_0101, hi: UInt64 = 0x8080_8080_8080_8080
            while j &+ 8 <= n {
                let x = UnsafeRawPointer(src + j).loadUnaligned(as: UInt64.self)
                let below = (x &- lo &* 0x20) & ~x & hi
                let y = x ^ (lo &* 0x7f)
                let del = (y &- lo) & ~y & hi
                if below | (x & hi) | del != 0 { break }
                j &+= 8
            }
            while j < n, src[j] >= 0x20, src[j] < 0x7f { j += 1 }
            if j > i {
                append(UnsafeRawBufferPointer(start: src + i, count: j - i))
                i = j
                if i == n { return }
            }
            let c = src[i]
            if c < 0x80 {
                appendEscapedControl(c)
                i += 1
                continue
            }
            if asciiOnly {
                appendReplacement()
                i += 1
                continue
            }
            // tshark 4.0's UTF-8 walk: the lead byte says how many continuation bytes follow;
            // an incomplete sequence becomes one U+FFFD, a complete one is decoded (overlong
            // forms included) and shown as the character, or as \uXXXX when not printable.
            i += 1
            let need: Int
            var cp: UInt32
            switch c {
            case 0xc0...0xdf: need = 1; cp = UInt32(c & 0x1f)
            case 0xe0...0xef: need = 2; cp = UInt32(c & 0x0f)
            case 0xf0...0xf7: need = 3; cp = UInt32(c & 0x07)
            case 0xf8...0xfb: need = 4; cp = UInt32(c & 0x03)
            case 0xfc...0xfd: need = 5; cp = UInt32(c & 0x01)
            default:
                appendReplacement()
                continue
            }
            var got = 0
            while got < need, i < n, src[i] & 0xc0 == 0x80 {
                cp = cp << 6 | UInt32(src[i] & 0x3f)
                i += 1
                got += 1
            }
            guard got == need, cp <= 0x10ffff, !(cp >= 0xd800 && cp <= 0xdfff), let scalar = Unicode.Scalar(cp) else {
                appendReplacement()
                continue
            }
            if Self.isPrintable(cp) {
                appendScalar(scalar)
            } else {
                append(0x5c)
                append(cp > 0xffff ? 0x55 : 0x75) // \U or \u
                let width = cp > 0xffff ? 8 : 4
                var digits = 1
                while digits < 8 && (cp >> UInt32(digits * 4)) != 0 { digits += 1 }
                for _ in digits..<max(width, digits) { append(0x30) }
                appendUpperHex(UInt64(cp))
            }
        }
    }

    /// `format_text_wsp`: as `appendFormatText` over raw bytes, but tab, LF, FF and CR are shown
    /// as spaces (\v stays escaped).
    public func appendFormatTextWSP(_ p: UnsafeRawBufferPointer) {
        let n = p.count
        guard n > 0 else { return }
        let src = p.baseAddress!.assumingMemoryBound(to: UInt8.self)
        @inline(__always) func isWSP(_ c: UInt8) -> Bool { c == 0x09 || c == 0x0a || c == 0x0c || c == 0x0d }
        var i = 0
        while i < n {
            if isWSP(src[i]) {
                append(0x20)
                i += 1
            } else {
                let start = i
                while i < n, !isWSP(src[i]) { i += 1 }
                appendFormatText(UnsafeRawBufferPointer(start: src + start, count: i - start), asciiOnly: false)
            }
        }
    }

    @inline(__always)
    private func appendEscapedControl(_ c: UInt8) {
        switch c {
        case 0x07: append(0x5c, 0x61)
        case 0x08: append(0x5c, 0x62)
        case 0x0c: append(0x5c, 0x66)
        case 0x0a: append(0x5c, 0x6e)
        case 0x0d: append(0x5c, 0x72)
        case 0x09: append(0x5c, 0x74)
        case 0x0b: append(0x5c, 0x76)
        default:
            append(0x5c)
            append(0x30 + ((c >> 6) & 3))
            append(0x30 + ((c >> 3) & 7))
            append(0x30 + (c & 7))
        }
    }

    @inline(__always)
    private func appendReplacement() {
        reserve(3)
        append(0xef, 0xbf)
        append(0xbd)
    }

    /// The UTF-8 encoding of one scalar.
    public func appendScalar(_ s: Unicode.Scalar) {
        let v = s.value
        switch v {
        case 0..<0x80:
            append(UInt8(v))
        case 0x80..<0x800:
            append(UInt8(0xc0 | (v >> 6)), UInt8(0x80 | (v & 0x3f)))
        case 0x800..<0x10000:
            append(UInt8(0xe0 | (v >> 12)), UInt8(0x80 | ((v >> 6) & 0x3f)))
            append(UInt8(0x80 | (v & 0x3f)))
        default:
            append(UInt8(0xf0 | (v >> 18)), UInt8(0x80 | ((v >> 12) & 0x3f)))
            append(UInt8(0x80 | ((v >> 6) & 0x3f)), UInt8(0x80 | (v & 0x3f)))
        }
    }

    /// glib's `g_unichar_isprint` for the characters text protocols meet: controls, format
    /// characters and non-characters are not printable.
    public static func isPrintable(_ cp: UInt32) -> Bool {
        switch cp {
        case 0x00...0x1f, 0x7f...0x9f: return false
        case 0xad, 0x600...0x605, 0x61c, 0x6dd, 0x70f, 0x8e2, 0x180e, 0x200b...0x200f, 0x202a...0x202e,
             0x2060...0x2064, 0x2066...0x206f, 0xfeff, 0xfff9...0xfffb, 0x110bd, 0x110cd, 0x13430...0x1343f,
             0x1bca0...0x1bca3, 0x1d173...0x1d17a, 0xe0001, 0xe0020...0xe007f:
            return false
        case 0xfdd0...0xfdef: return false
        default:
            return cp & 0xfffe != 0xfffe
        }
    }

    // MARK: the 240-byte label limit

    /// tshark's rule for a free-format text line (`proto_tree_add_format_text`) applied to the
    /// label written since `start`: when it has 240 bytes or more it becomes " [truncated]"
    /// followed by the text, cut to 238 bytes at a character boundary.
    public func limitTextLabel(from start: Int) {
        let n = count - start
        guard n >= Self.itemLabelLength else { return }
        insert(" [truncated]", at: start)
        cut(from: start, to: Self.itemLabelLength - 2)
    }

    /// tshark's rule for a field label "Name: value" written since `start` (the name has
    /// `nameLength` bytes): with 240 bytes or more it becomes "Name [truncated]: value", cut
    /// to 238 bytes at a character boundary.
    public func limitFieldLabel(from start: Int, nameLength: Int) {
        let n = count - start
        guard n >= Self.itemLabelLength else { return }
        insert(" [truncated]", at: start + nameLength)
        cut(from: start, to: Self.itemLabelLength - 2)
    }

    /// tshark's `proto_item_append_text` limit: the label since `start` is cut to 239 bytes.
    public func limitAppendedLabel(from start: Int) {
        guard count - start >= Self.itemLabelLength else { return }
        cut(from: start, to: Self.itemLabelLength - 1)
    }

    /// Inserts `s` at byte `at`, moving what follows.
    public func insert(_ s: StaticString, at: Int) {
        let k = s.utf8CodeUnitCount
        guard k > 0, at >= 0, at <= count else { return }
        reserve(k)
        (base + at + k).update(from: base + at, count: count - at)
        (base + at).update(from: s.utf8Start, count: k)
        count += k
    }

    /// Keeps at most `limit` bytes after `start`, backing off to the start of the character
    /// that would be split (tshark's `g_utf8_prev_char` cut).
    public func cut(from start: Int, to limit: Int) {
        guard count - start > limit else { return }
        var end = start + limit
        while end > start, base[end] & 0xc0 == 0x80 { end -= 1 }
        count = end
    }
}
