import DissectKit

/// Decoding that tshark 4.0 does not do (see Tests/Fixtures/DIVERGENCES.md): RFC 2047 encoded
/// words in headers, and text bodies in their charset. Only called when something shows the
/// result (tree, Info of a header that contains an encoded word, a wanted field).
enum MIMEDecode {
    /// True when `[offset, offset+length)` contains "=?" — a cheap pre-check before decoding.
    static func hasEncodedWord(_ v: ByteView, _ offset: Int, _ length: Int) -> Bool {
        var i = max(0, offset)
        let end = min(offset + length, v.count) - 1
        while i < end {
            if v[unchecked: i] == 0x3d && v[unchecked: i + 1] == 0x3f { return true }
            i += 1
        }
        return false
    }

    /// The header value with its RFC 2047 encoded words decoded (white space between two
    /// adjacent encoded words dropped, §6.2), shown as `format_text` shows text. Nil when there
    /// is no encoded word this decoder can read (unknown charset, bad syntax).
    static func decodeHeader(_ v: ByteView, _ offset: Int, _ length: Int) -> String? {
        let lo = max(0, min(offset, v.count))
        let hi = max(lo, min(offset + length, v.count))
        return decodeHeader(Array(v.buffer[lo..<hi]))
    }

    static func decodeHeader(_ b: [UInt8]) -> String? {
        var out = [UInt8]()
        out.reserveCapacity(b.count)
        var decodedAny = false
        var i = 0
        var pendingSpace: [UInt8] = []
        var lastWasWord = false
        while i < b.count {
            if b[i] == 0x3d, i + 1 < b.count, b[i + 1] == 0x3f, let (text, end) = encodedWord(b, i) {
                // Linear white space between two encoded words is not displayed.
                if !lastWasWord { out.append(contentsOf: pendingSpace) }
                pendingSpace.removeAll()
                out.append(contentsOf: text)
                i = end
                lastWasWord = true
                decodedAny = true
                continue
            }
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0d || c == 0x0a {
                pendingSpace.append(c)
                i += 1
                continue
            }
            out.append(contentsOf: pendingSpace)
            pendingSpace.removeAll()
            out.append(c)
            lastWasWord = false
            i += 1
        }
        out.append(contentsOf: pendingSpace)
        guard decodedAny else { return nil }
        return MailLabel.formatText(out, asciiOnly: false)
    }

    /// Decodes one `=?charset?B|Q?text?=` at `start`; returns its UTF-8 text and where it ends.
    private static func encodedWord(_ b: [UInt8], _ start: Int) -> ([UInt8], Int)? {
        var i = start + 2
        let csStart = i
        while i < b.count, b[i] != 0x3f, b[i] > 0x20 { i += 1 }
        guard i + 2 < b.count, b[i] == 0x3f, i > csStart else { return nil }
        var charset = Array(b[csStart..<i])
        if let star = charset.firstIndex(of: 0x2a) { charset.removeSubrange(star...) } // RFC 2231 language
        let enc = MailText.lower(b[i + 1])
        guard (enc == 0x62 || enc == 0x71), b[i + 2] == 0x3f else { return nil }
        let textStart = i + 3
        var j = textStart
        while j + 1 < b.count, !(b[j] == 0x3f && b[j + 1] == 0x3d) {
            if b[j] <= 0x20 { return nil } // encoded words contain no white space
            j += 1
        }
        guard j + 1 < b.count else { return nil }
        let encoded = b[textStart..<j]
        var raw = [UInt8]()
        if enc == 0x62 {
            raw = MailText.base64Decode(encoded.filter { $0 != 0x3d })
        } else {
            var k = encoded.startIndex
            while k < encoded.endIndex {
                let c = encoded[k]
                if c == 0x5f {
                    raw.append(0x20)
                } else if c == 0x3d, k + 2 < encoded.endIndex, let h = hex(encoded[k + 1]), let l = hex(encoded[k + 2]) {
                    raw.append(h << 4 | l)
                    k += 3
                    continue
                } else {
                    raw.append(c)
                }
                k += 1
            }
        }
        guard let text = utf8(raw, charset: charset) else { return nil }
        return (text, j + 2)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// `bytes` converted from `charset` to UTF-8, or nil for a charset we cannot convert.
    static func utf8(_ bytes: [UInt8], charset: [UInt8]?) -> [UInt8]? {
        let name = charset.map { String(decoding: $0.map(MailText.lower), as: UTF8.self) } ?? "us-ascii"
        switch name {
        case "utf-8", "utf8", "us-ascii", "ascii", "":
            return Array(String(decoding: bytes, as: UTF8.self).utf8)
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "iso-8859-15", "windows-1252", "cp1252":
            var out = [UInt8]()
            out.reserveCapacity(bytes.count)
            for c in bytes {
                if c < 0x80 { out.append(c) } else { out.append(0xc0 | (c >> 6)); out.append(0x80 | (c & 0x3f)) }
            }
            return out
        default:
            return nil
        }
    }

    /// A body's text in its charset (UTF-8 with replacement characters when unknown).
    static func text(_ bytes: [UInt8], charset: [UInt8]?) -> String {
        let converted = utf8(bytes, charset: charset) ?? Array(String(decoding: bytes, as: UTF8.self).utf8)
        return String(decoding: converted, as: UTF8.self)
    }

    /// The lines of `text` (terminators kept), each as `format_text` shows it.
    static func lines(_ text: String) -> [String] {
        let b = Array(text.utf8)
        var out: [String] = []
        var start = 0
        var i = 0
        while i < b.count {
            if b[i] == 0x0a || b[i] == 0x0d {
                var end = i + 1
                if b[i] == 0x0d, end < b.count, b[end] == 0x0a { end += 1 }
                out.append(MailLabel.formatText(Array(b[start..<end]), asciiOnly: false))
                start = end
                i = end
                continue
            }
            i += 1
        }
        if start < b.count { out.append(MailLabel.formatText(Array(b[start...]), asciiOnly: false)) }
        return out
    }

    /// A parameter value (file name) for display: RFC 2047 decoded when it is encoded.
    static func headerText(_ bytes: [UInt8]) -> String {
        decodeHeader(bytes) ?? MailLabel.formatText(bytes, asciiOnly: false)
    }
}
