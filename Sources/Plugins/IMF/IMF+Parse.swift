import DissectKit

/// tshark's `imf_find_field_end`: where a header field (with its folded continuation lines)
/// ends. Shared with the MIME part-header parser.
enum IMFHeaderScanner {
    /// The offset just past the field's CRLF (the start of the next field), or nil when no CR
    /// is found. `lastField` is set when a blank line (or the end of `max`) follows.
    ///
    /// Quirk kept from tshark: when the CRLF ends exactly at `max`, the offset of the CR is
    /// returned (callers then cut two bytes too many from the value).
    static func fieldEnd(_ v: ByteView, from start: Int, max: Int, lastField: inout Bool) -> Int? {
        var offset = start
        let end = min(max, v.count)
        while offset < end {
            guard let cr = MailText.find(v, MailText.cr, from: offset, to: end) else { return nil }
            offset = cr + 1
            if offset < end, v[unchecked: offset] == MailText.lf {
                offset += 1
                if offset >= end {
                    lastField = true
                    return offset - 2
                }
                switch v[unchecked: offset] {
                case MailText.cr:
                    if offset + 1 < end, v[unchecked: offset + 1] == MailText.lf { lastField = true }
                    return offset
                case MailText.space, MailText.tab:
                    continue
                default:
                    return offset
                }
            }
        }
        return nil
    }
}

extension IMFDissector {
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        // tshark keeps the lower protocol's name: "SMTP/IMF", "IMAP/IMF".
        packet.protocolColumn = IMFInfo.protocolColumn(after: packet.protocolColumn)
        packet.info.clear()
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)

        let maxLength = data.count
        var start = 0
        var end = 0
        var lastField = false
        var contentType: (type: ByteRange, parameters: ByteRange?)?
        var transferEncoding: ByteRange?
        var key = [UInt8]()
        key.reserveCapacity(32)

        while !lastField {
            // tshark keeps the failed colon search (-1) as the end: the body then starts at 0.
            guard let colon = MailText.find(data, 0x3a, from: start, to: maxLength) else {
                end = -1
                break
            }
            key.removeAll(keepingCapacity: true)
            var i = start
            while i < colon { key.append(MailText.lower(data[unchecked: i])); i += 1 }
            let header = headers[key]
            let nameStart = start
            start = colon + 1
            guard let e = IMFHeaderScanner.fieldEnd(data, from: start, max: maxLength, lastField: &lastField) else {
                end = -1
                break
            }
            end = e
            var valueStart = start
            while valueStart < end, MailText.isSpace(data[unchecked: valueStart]) { valueStart += 1 }
            if valueStart == end { valueStart = start }
            let valueLength = end - valueStart - 2

            guard let header else {
                unknownHeader(&packet, data, top, nameStart: nameStart, colon: colon, valueStart: valueStart,
                              end: end)
                start = end
                continue
            }
            let item = headerItem(&packet, data, top, header, valueStart, valueLength)
            if header.addToInfo {
                IMFInfo.appendHeader(&packet, header.key, data, valueStart, valueLength)
            }
            switch header.format {
            case .contentType:
                contentType = self.contentType(&packet, data, item, start, end - start)
            case .transferEncoding:
                transferEncoding = ByteRange(valueStart, max(0, valueLength))
            case .mailbox:
                mailbox(&packet, data, valueStart, end - valueStart, item)
            case .mailboxList:
                mailboxList(&packet, data, valueStart, end - valueStart, item)
            case .addressList:
                addressList(&packet, data, valueStart, end - valueStart, item)
            case .received:
                receivedClauses(&packet, data, valueStart, valueLength, item)
            case .unstructured:
                break
            }
            start = end
        }
        if lastField { end += 2 }
        if end == -1 { end = 0 }
        let bodyStart = min(maxLength, max(0, end))

        if let ct = contentType, let media {
            packet.info.setFence()
            var body = data.suffix(from: bodyStart)
            let te = transferEncoding
            if let te, MailText.equalsIgnoringCase(data, at: te.offset, "base64") {
                // tshark decodes a base64 body itself and shows it as a new data source named
                // after the encoding as written ("base64").
                let decoded = MailText.base64Decode(data.buffer[bodyStart...])
                let index = packet.sources.extra.count + 1
                packet.sources.extra.append(DataSources.Source(
                    name: String(decoding: data.buffer[te.offset..<(te.offset + te.length)], as: UTF8.self),
                    bytes: decoded))
                body = ByteView(packet.sources.bytes(index), source: index)
            }
            // As written: the table lookup ignores case, the name shown keeps it ("Text/Plain").
            let type = String(decoding: data.buffer[ct.type.offset..<(ct.type.offset + ct.type.length)], as: UTF8.self)
            let params = ct.parameters.map { Array(data.buffer[$0.offset..<($0.offset + $0.length)]) }
            let teName = te.map { MailText.lowercasedString(data, from: $0.offset, to: $0.offset + $0.length) }
            media.dispatch(&packet, MediaCall(type: type, parameters: params, transferEncoding: teName), body,
                           parent: top, fallback: false)
            if teName == "quoted-printable", type.lowercased().hasPrefix("text/") {
                quotedPrintableBody(&packet, data.suffix(from: bodyStart), parameters: params, parent: top)
            }
        } else {
            messageText(&packet, data, from: bodyStart, top)
        }
        return .consumed(data.count)
    }

    // MARK: header items

    /// The header's item: its value without the final CRLF (RFC 2047 words decoded, our addition).
    private func headerItem(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ header: IMFHeader,
                            _ valueStart: Int, _ valueLength: Int) -> TreeNode {
        let len = max(0, valueLength)
        guard packet.wants(header.field) || packet.buildsFullTree else {
            return .none
        }
        if header.format != .contentType, header.format != .received, MIMEDecode.hasEncodedWord(data, valueStart, len),
           let decoded = MIMEDecode.decodeHeader(data, valueStart, len) {
            let item = packet.addMailText(header.field, data, valueStart, len, decoded, parent: top)
            packet.addMailText(hf.encodedText, data, valueStart, len,
                               MailLabel.formatText(data, valueStart, len, asciiOnly: true), parent: item,
                               flags: .generated)
            return item
        }
        return packet.addMailString(header.field, data, valueStart, len, parent: top)
    }

    private func unknownHeader(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, nameStart: Int,
                               colon: Int, valueStart: Int, end: Int) {
        let item = packet.addMailString(hf.extensionItem, data, nameStart, end - nameStart - 2, parent: top)
        if packet.buildsFullTree, !item.isNone {
            let name = packet.registry[hf.extensionItem].name
            let label = MailLabel.fieldLabel(name: name, value: MailLabel.formatText(data, nameStart, end - nameStart - 2,
                                                                                    asciiOnly: true))
            packet.setLabel(item, MailLabel.appended(label, " (Contact Wireshark developers if you want this supported.)"))
        }
        packet.addMailString(hf.extensionType, data, nameStart, colon - nameStart, parent: item)
        packet.addMailString(hf.extensionValue, data, valueStart, end - valueStart - 2, parent: item)
    }

    /// tshark's `dissect_imf_content_type`: a type and parameters only when there is a `;`.
    private func contentType(_ packet: inout PacketContext, _ data: ByteView, _ item: TreeNode, _ offset0: Int,
                             _ length: Int) -> (type: ByteRange, parameters: ByteRange?)? {
        var offset = offset0
        for i in 0..<max(0, length) where !MailText.isSpace(data[unchecked: offset0 + i]) {
            offset = offset0 + i
            break
        }
        guard let semi = MailText.find(data, 0x3b, from: offset, to: offset + length) else { return nil }
        let type = ByteRange(offset, semi - offset)
        packet.addMailString(hf.contentTypeType, data, type.offset, type.length, parent: item)
        var last = false
        guard let end = IMFHeaderScanner.fieldEnd(data, from: semi + 1, max: offset + length, lastField: &last) else {
            return (type, nil)
        }
        let params = ByteRange(semi + 1, end - (semi + 1) - 2)
        packet.addMailString(hf.contentTypeParameters, data, params.offset, params.length, parent: item)
        return (type, params.length >= 0 ? params : ByteRange(semi + 1, 0))
    }

    // MARK: addresses (tshark's dissect_imf_mailbox / _address / _address_list / _mailbox_list)

    func mailbox(_ packet: inout PacketContext, _ data: ByteView, _ offset0: Int, _ length: Int, _ item: TreeNode) {
        guard let lt = MailText.find(data, 0x3c, from: offset0, to: offset0 + length) else {
            packet.addMailString(hf.address, data, offset0, length, parent: item)
            return
        }
        var offset = offset0
        while offset < lt, MailText.isSpace(data[unchecked: offset]) { offset += 1 }
        if offset != lt {
            displayName(&packet, data, offset, lt - offset - 1, parent: item)
        }
        // tshark searches for '>' with the length measured from the advanced offset.
        if let gt = MailText.find(data, 0x3e, from: lt + 1, to: lt + 1 + (length - (lt + 1 - offset))) {
            packet.addMailString(hf.address, data, lt + 1, gt - lt - 1, parent: item)
        }
    }

    private func displayName(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int,
                             parent: TreeNode) -> TreeNode {
        let len = max(0, length)
        if MIMEDecode.hasEncodedWord(data, offset, len), let decoded = MIMEDecode.decodeHeader(data, offset, len) {
            return packet.addMailText(hf.displayName, data, offset, len, decoded, parent: parent)
        }
        return packet.addMailString(hf.displayName, data, offset, len, parent: parent)
    }

    func address(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int, _ item: TreeNode) {
        guard let colon = MailText.find(data, 0x3a, from: offset, to: offset + length) else {
            mailbox(&packet, data, offset, length, item)
            return
        }
        // A group: "display-name: mailbox-list ;" (tshark drops the name's last character).
        let group = displayName(&packet, data, offset, colon - offset - 1, parent: item)
        var pos = colon + 1
        while pos < offset + length, MailText.isSpace(data[unchecked: pos]) { pos += 1 }
        if pos < data.count, data[unchecked: pos] != 0x3b {
            mailboxList(&packet, data, pos, length - (pos - offset), group)
        }
    }

    func addressList(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int, _ item: TreeNode) {
        list(&packet, data, offset, length, item, itemField: hf.addressListItem) { p, d, o, l, n in
            self.address(&p, d, o, l, n)
        }
    }

    func mailboxList(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int, _ item: TreeNode) {
        list(&packet, data, offset, length, item, itemField: hf.mailboxListItem) { p, d, o, l, n in
            self.mailbox(&p, d, o, l, n)
        }
    }

    /// A comma-separated list (commas inside quotes split items too, as in tshark); appends
    /// ", N items" to the header's line.
    private func list(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int, _ item: TreeNode,
                      itemField: FieldID,
                      _ each: (inout PacketContext, ByteView, Int, Int, TreeNode) -> Void) {
        var count = 0
        var itemOffset = offset
        let end = offset + length
        while true {
            let comma = MailText.find(data, 0x2c, from: itemOffset, to: end)
            count += 1
            let itemLength = (comma ?? end) - itemOffset
            let node = packet.addMailString(itemField, data, itemOffset, itemLength, parent: item)
            each(&packet, data, itemOffset, itemLength, node)
            guard let c = comma else { break }
            itemOffset = c + 1
        }
        if packet.buildsFullTree, !item.isNone {
            appendToLabel(&packet, item, ", \(count) item" + (count == 1 ? "" : "s"))
        }
    }

    /// `proto_item_append_text` on a string field: the generated label plus `suffix`, cut at 239 bytes.
    func appendToLabel(_ packet: inout PacketContext, _ node: TreeNode, _ suffix: String) {
        let i = Int(node.index)
        let r = packet.tree.records[i]
        let base: String
        if r.flags.contains(.labelReplaces), let l = packet.tree.labelString(r) {
            base = l
        } else {
            let name = packet.registry[r.field].name
            let value: String
            switch r.value {
            case .text(let t): value = packet.tree.texts[Int(t)]
            default: value = MailLabel.formatText(ByteView(packet.sources.bytes(Int(r.source))), Int(r.offset),
                                                  Int(r.length), asciiOnly: true)
            }
            base = MailLabel.fieldLabel(name: name, value: value)
        }
        packet.setLabel(node, MailLabel.appended(base, suffix))
    }

    // MARK: body

    /// No (usable) Content-Type: the body as "Message-Text" lines, each also added to Info.
    private func messageText(_ packet: inout PacketContext, _ data: ByteView, from start: Int, _ top: TreeNode) {
        let node = packet.add(hf.messageText, data, start, data.count - start, .none, parent: top)
        var offset = start
        while offset < data.count {
            let (_, next) = MailText.lineEnd(data, from: offset)
            packet.addFormatText(data, offset, next - offset, parent: node, whitespaceAsSpace: true)
            packet.info.appendSeparator(", ")
            packet.info.appendFormattedWSP(data, offset, next - offset)
            offset = next
        }
    }

    /// Our addition for a quoted-printable text body: the decoded text under the IMF tree.
    private func quotedPrintableBody(_ packet: inout PacketContext, _ body: ByteView, parameters: [UInt8]?,
                                     parent: TreeNode) {
        guard packet.buildsFullTree || packet.wants(hf.decodedText) else { return }
        let charset = parameters.flatMap { MIMEParameters.find(MIMEParameters.compact($0[...]).bytes, "charset") }
        let text = MIMEDecode.text(MailText.quotedPrintableDecode(body), charset: charset)
        let node = packet.addMailText(hf.decodedText, body, 0, body.count, text, parent: parent,
                                      flags: .generated)
        if packet.buildsFullTree, !node.isNone {
            let lines = MIMEDecode.lines(text)
            let cs = charset.map { ", " + String(decoding: $0, as: UTF8.self) } ?? ""
            packet.setLabel(node, "Decoded text (quoted-printable" + cs
                + "): \(lines.count) line" + (lines.count == 1 ? "" : "s"))
            for l in lines { packet.addText(MailLabel.textLabel(l), body, 0, 0, parent: node) }
        }
    }
}

/// An offset and length inside the data being dissected.
struct ByteRange {
    var offset: Int
    var length: Int
    init(_ offset: Int, _ length: Int) {
        self.offset = offset
        self.length = length
    }
}
