import DissectKit

/// A domain name read from a message, expanded into a caller-owned buffer (no allocation after
/// warm-up), with the replacement texts tshark shows for names it cannot spell.
struct DNSName {
    enum Kind {
        /// The labels are in the buffer, joined by dots (empty: see `root`).
        case labels
        /// The root name (a single zero byte, or pointers to it): "<Root>".
        case root
        /// More than 255 compression pointers, or tshark's self-pointer test: "<Name contains a pointer that loops>".
        case loops
        /// Longer than 254 characters: "<Name too long>".
        case tooLong
        /// An RFC 2673 extended label type other than a bit string: "<Unknown extended label>".
        case unknownExtended
    }

    /// Bytes the name takes at its position in the message (up to and including the first
    /// compression pointer): tshark's `used_bytes`.
    var used: Int
    var kind: Kind

    /// The replacement text of a special name.
    var literal: StaticString? {
        switch kind {
        case .labels: return nil
        case .root: return "<Root>"
        case .loops: return "<Name contains a pointer that loops>"
        case .tooLong: return "<Name too long>"
        case .unknownExtended: return "<Unknown extended label>"
        }
    }

    /// tshark's `name_len`: the raw length, or the length of the replacement text.
    func length(_ raw: [UInt8]) -> Int {
        if let l = literal { return l.utf8CodeUnitCount }
        return raw.count
    }

    /// tshark's `qname_labels_count`: dots plus one, for names longer than one character.
    func labelCount(_ raw: [UInt8]) -> Int {
        guard literal == nil else { return length(raw) > 1 ? 1 : 0 }
        guard raw.count > 1 else { return 0 }
        var n = 1
        for c in raw where c == 0x2e { n += 1 }
        return n
    }

    /// The name as tshark prints it (`format_text`: control characters escaped, invalid UTF-8
    /// shown as U+FFFD).
    func text(_ raw: [UInt8]) -> String {
        if let l = literal { return l.description }
        return MailLabel.formatText(raw, asciiOnly: false)
    }

    /// Appends the printed name to a column.
    func append(_ raw: [UInt8], to column: ColumnText) {
        if let l = literal { column.append(l); return }
        MailLabel.appendFormatted(&column.bytes, raw[...], asciiOnly: false)
    }
}

/// RFC 1035 §4.1.4 name decompression with tshark 4.0.17's limits: at most 255 characters kept
/// (254 shown, one reserved), at most 255 pointers followed, label type 0x80 rejected, bit-string
/// labels (RFC 2673) spelled "\[x…/n]". Reading past the end throws `Malformed`; pointer loops end
/// in "<Name contains a pointer that loops>", so a hostile name costs at most 256 passes over
/// the message and never hangs.
enum DNSNameReader {
    static let maxName = 255

    /// Reads the name at `start`; compression pointers count from `base` (the start of the DNS
    /// message, 2 bytes in for TCP). `out` receives the raw characters.
    static func read(_ data: ByteView, at start: Int, base: Int, into out: inout [UInt8]) throws(Malformed) -> DNSName {
        out.removeAll(keepingCapacity: true)
        var offset = start
        var used = -1
        var pointers = 0
        var room = maxName
        // tshark counts only label characters and dots in the name's length: bit-string text is
        // written but falls outside it (and so is never shown).
        var nameLength = 0
        var kind = DNSName.Kind.labels
        loop: while true {
            let c = try data.u8(offset)
            offset += 1
            if c == 0 { break }
            switch c & 0xc0 {
            case 0x00:
                // The first label reserves the terminator's place instead of writing a dot.
                if !out.isEmpty {
                    if room > 0 { out.append(0x2e); room -= 1; nameLength += 1 }
                } else {
                    room -= 1
                }
                for _ in 0..<Int(c) {
                    let b = try data.u8(offset)
                    if room > 0 { out.append(b); room -= 1; nameLength += 1 }
                    offset += 1
                }
            case 0x40:
                guard c & 0x3f == 1 else {
                    // Unknown extended label: the rest cannot be parsed.
                    let len = offset - start
                    if len < 1 { throw Malformed() }
                    return try finish(DNSName(used: len, kind: .unknownExtended), &out, nameLength)
                }
                let bits = Int(try data.u8(offset))
                offset += 1
                let bytes = (bits - 1) / 8 + 1
                put("\\[x", &out, &room)
                for _ in 0..<max(bytes, 0) {
                    let b = try data.u8(offset)
                    put(hexByte(b), &out, &room)
                    offset += 1
                }
                put("/\(bits)]", &out, &room)
            case 0x80:
                throw Malformed()
            default:
                let low = try data.u8(offset)
                let target = base + (Int(c & 0x3f) << 8 | Int(low))
                offset += 1
                pointers += 1
                if used < 0 { used = offset - start }
                // tshark's self-pointer test compares with the offset two bytes further on; real
                // loops are caught by the pointer count.
                if target == offset + 2 || pointers > maxName {
                    if used < 1 { throw Malformed() }
                    return try finish(DNSName(used: used, kind: .loops), &out, nameLength)
                }
                offset = target
                continue loop
            }
        }
        if room <= 0 { kind = .tooLong }
        if used < 0 { used = offset - start }
        return try finish(DNSName(used: used, kind: kind), &out, nameLength)
    }

    /// tshark's `get_dns_name` checks: an empty name of at most two bytes is the root; names
    /// shorter than two bytes, or longer but of no length, are malformed. The buffer is then
    /// cut to the counted length.
    private static func finish(_ name: DNSName, _ out: inout [UInt8], _ length: Int) throws(Malformed) -> DNSName {
        // The test is on the C string: a name whose first character is a NUL byte counts as empty.
        if name.kind == .labels && (out.first ?? 0) == 0 && name.used <= 2 {
            return DNSName(used: name.used, kind: .root)
        }
        if name.used < 2 || (name.used > 2 && name.kind == .labels && length == 0) { throw Malformed() }
        if out.count > length { out.removeSubrange(length...) }
        return name
    }

    private static func hexByte(_ b: UInt8) -> String {
        let d: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        return String([d[Int(b >> 4)], d[Int(b & 15)]])
    }

    /// snprintf into the remaining room: all or nothing, and no room afterwards when it does not fit.
    private static func put(_ s: String, _ out: inout [UInt8], _ room: inout Int) {
        guard room > 0 else { return }
        let n = s.utf8.count
        if n <= room {
            out.append(contentsOf: s.utf8)
            room -= n
        } else {
            room = 0
        }
    }
}
