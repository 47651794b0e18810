import DissectKit

/// Our addition (tshark 4.0 shows a Received header as one string): the clauses of a
/// Received trace line (RFC 5321 §4.4, RFC 5322 §3.6.7) as fields, so a hop's claimed name
/// (`from`), what the receiver saw (`(reverse-name [IP])`), the receiver (`by`), protocol,
/// queue id, recipient and time can be read and filtered — the way an analyst checks a
/// Received chain for forged lines.
extension IMFDissector {
    private struct Token {
        var offset: Int
        var length: Int
        var isComment: Bool
    }

    func receivedClauses(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int,
                         _ item: TreeNode) {
        let wanted = packet.buildsFullTree || [hf.receivedFrom, hf.receivedFromComment, hf.receivedIP, hf.receivedBy,
                                               hf.receivedByComment, hf.receivedVia, hf.receivedWith, hf.receivedID,
                                               hf.receivedFor, hf.receivedDate].contains { packet.wants($0) }
        guard wanted, length > 0 else { return }
        let end = min(offset + length, data.count)

        // The date follows the last ';' outside comments.
        var depth = 0
        var semicolon: Int?
        var i = offset
        while i < end {
            let c = data[unchecked: i]
            if c == 0x28 {
                depth += 1
            } else if c == 0x29, depth > 0 {
                depth -= 1
            } else if c == 0x3b, depth == 0 {
                semicolon = i
            }
            i += 1
        }
        let clausesEnd = semicolon ?? end

        // Words and (possibly nested) comments of the clause part.
        var tokens: [Token] = []
        i = offset
        while i < clausesEnd {
            let c = data[unchecked: i]
            if MailText.isSpace(c) { i += 1; continue }
            if c == 0x28 {
                var d = 0
                let s = i
                while i < clausesEnd {
                    let x = data[unchecked: i]
                    if x == 0x28 { d += 1 } else if x == 0x29 { d -= 1; if d == 0 { i += 1; break } }
                    i += 1
                }
                tokens.append(Token(offset: s + 1, length: max(0, i - s - 2), isComment: true))
                continue
            }
            let s = i
            var angle = false
            while i < clausesEnd {
                let x = data[unchecked: i]
                if x == 0x3c { angle = true } else if x == 0x3e { angle = false }
                if !angle && (MailText.isSpace(x) || x == 0x28) { break }
                i += 1
            }
            tokens.append(Token(offset: s, length: i - s, isComment: false))
        }

        var sawBy = false
        var k = 0
        while k < tokens.count {
            let t = tokens[k]
            guard !t.isComment, k + 1 < tokens.count, !tokens[k + 1].isComment else { k += 1; continue }
            let value = tokens[k + 1]
            let field: FieldID?
            var comment: FieldID?
            switch keyword(data, t) {
            case "from": field = hf.receivedFrom; comment = hf.receivedFromComment
            case "by": field = hf.receivedBy; comment = hf.receivedByComment; sawBy = true
            case "via": field = hf.receivedVia
            case "with": field = hf.receivedWith
            case "id": field = hf.receivedID
            case "for": field = hf.receivedFor
            default: field = nil
            }
            guard let field else { k += 1; continue }
            packet.addMailString(field, data, value.offset, value.length, parent: item)
            var next = k + 2
            if let comment, next < tokens.count, tokens[next].isComment {
                let c = tokens[next]
                packet.addMailString(comment, data, c.offset, c.length, parent: item)
                if field == hf.receivedFrom, let ip = bracketed(data, c.offset, c.length) {
                    packet.addMailString(hf.receivedIP, data, ip.offset, ip.length, parent: item)
                }
                next += 1
            } else if field == hf.receivedFrom, let ip = bracketed(data, value.offset, value.length) {
                packet.addMailString(hf.receivedIP, data, ip.offset, ip.length, parent: item)
            }
            k = next
        }
        if let s = semicolon {
            var ds = s + 1
            while ds < end, MailText.isSpace(data[unchecked: ds]) { ds += 1 }
            var de = end
            while de > ds, MailText.isSpace(data[unchecked: de - 1]) { de -= 1 }
            if de > ds { packet.addMailString(hf.receivedDate, data, ds, de - ds, parent: item) }
        }
        if !sawBy {
            packet.addExpert(hf.receivedNoBy, parent: item, data, offset, length)
        }
    }

    private func keyword(_ data: ByteView, _ t: Token) -> String {
        guard t.length >= 2, t.length <= 4 else { return "" }
        return MailText.lowercasedString(data, from: t.offset, to: t.offset + t.length)
    }

    /// The address literal inside "[...]" ("[127.0.0.1]", "[IPv6:…]"), without the brackets.
    private func bracketed(_ data: ByteView, _ offset: Int, _ length: Int) -> ByteRange? {
        guard let open = MailText.find(data, 0x5b, from: offset, to: offset + length),
              let close = MailText.find(data, 0x5d, from: open + 1, to: offset + length), close > open + 1 else {
            return nil
        }
        var s = open + 1
        if MailText.equalsIgnoringCase(data, at: s, "ipv6:") { s += 5 }
        return ByteRange(s, close - s)
    }
}
