import DissectKit

extension POP3Dissector {
    /// tshark's `dissect_pop`: a request or response line with its command/indicator and
    /// parameter/description, the lines after it, or (from the server, when the segment does not
    /// start with "+OK"/"-ERR") message data to reassemble.
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, isRequest: Bool,
                 viaTLS: Bool) -> DissectResult {
        let ts = packet.frame.timestamp
        let now = ts.seconds &* 1_000_000_000 &+ Int64(ts.nanoseconds)
        let key = FlowLookup(src: packet.netSrc, srcPort: UInt16(truncatingIfNeeded: packet.srcPort), dst: packet.netDst,
                             dstPort: UInt16(truncatingIfNeeded: packet.dstPort), proto: 6).key
        sessions.expire(now: now)
        let slot = sessions.lookup(key) ?? sessions.insert(key, POP3Session(), now: now)
        sessions.touch(slot, now: now)
        let frame = packet.frame.number

        // After STLS and its "+OK" the rest is TLS; what TLS hands back is plain text again.
        let tlsFrom = sessions[slot].tlsFromFrame
        if !viaTLS, !inTLSHandoff, tlsFrom != 0, frame >= tlsFrom, let h = tls.handle {
            inTLSHandoff = true
            defer { inTLSHandoff = false }
            return packet.call(h, data, parent: parent)
        }

        var s = sessions[slot]
        packet.protocolColumn = "POP"
        let (lineLength, lineNext) = MailText.lineEnd(data, from: 0)
        // RFC 1939 §3: every response starts with a status indicator; anything else from the
        // server continues a multi-line response.
        let continuation = !isRequest
            && !(lineLength >= 3 && data.matches("+OK", at: 0)) && !(lineLength >= 4 && data.matches("-ERR", at: 0))

        packet.info.clear()
        if continuation {
            packet.info.append("S: DATA fragment, ")
            packet.info.append(data.count)
            packet.info.append(data.count == 1 ? " byte" : " bytes")
        } else {
            packet.info.append(isRequest ? "C: " : "S: ")
            packet.info.appendFormatted(data, 0, lineLength, asciiOnly: false)
        }
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)

        if continuation {
            messageData(&packet, data, parent, top, &s)
            sessions[slot] = s
            return .consumed(data.count)
        }

        let lineField = isRequest ? hf.request : hf.response
        var empty: FieldValue?
        let lineNode = addLine(&packet, lineField, data, 0, lineNext, parent: top, empty: &empty)
        let (tokenLength, tokenNext) = Self.token(data, 0, lineLength)
        var rest = 0
        if tokenLength != 0 {
            packet.addMailString(isRequest ? hf.requestCommand : hf.responseIndicator, data, 0, tokenLength,
                                 parent: lineNode)
            if isRequest {
                if MailText.equalsIgnoringCase(data, at: 0, "retr") || MailText.equalsIgnoringCase(data, at: 0, "top") {
                    // The next response tells how many octets the message has.
                    s.messageRequested = true
                } else if MailText.equalsIgnoringCase(data, at: 0, "stls") {
                    s.tlsRequested = true
                }
            } else {
                let okWithText = lineLength > 4 && MailText.equalsIgnoringCase(data, at: 0, "+ok ")
                if s.messageRequested {
                    if okWithText {
                        s.readLength = 0
                        if let n = Self.octets(data, from: 4, to: lineLength) {
                            s.totalLength = n
                        } else {
                            s.totalLength = 0
                            packet.addExpert(hf.eiTotalLengthInvalid, parent: lineNode.isNone ? top : lineNode)
                        }
                    }
                    s.messageRequested = false
                }
                if s.tlsRequested {
                    if okWithText { s.tlsFromFrame = frame + 1 }
                    s.tlsRequested = false
                }
            }
            rest = tokenNext
        }
        if lineLength - rest != 0 {
            packet.addMailString(isRequest ? hf.requestParameter : hf.responseDescription, data, rest,
                                 lineLength - rest, parent: lineNode)
        }
        // The lines after the first (CAPA, LIST, UIDL, TOP data in the same segment…).
        var offset = lineNext
        let dataField = isRequest ? hf.requestData : hf.responseData
        if packet.wants(dataField) {
            while offset < data.count {
                let (_, next) = MailText.lineEnd(data, from: offset)
                addLine(&packet, dataField, data, offset, next - offset, parent: top, empty: &empty)
                offset = next
            }
        }
        sessions[slot] = s
        return .consumed(data.count)
    }

    /// A line shown as tshark's `proto_tree_add_string_format(…, "", "%s", line)`: an empty
    /// value, the formatted line as its text.
    @discardableResult
    private func addLine(_ packet: inout PacketContext, _ field: FieldID, _ data: ByteView, _ offset: Int,
                         _ length: Int, parent: TreeNode, empty: inout FieldValue?) -> TreeNode {
        guard packet.wants(field) else { return .none }
        if empty == nil { empty = packet.text("") }
        let node = packet.add(field, data, offset, length, empty!, parent: parent)
        if packet.buildsFullTree, !node.isNone {
            packet.setLabel(node, MailLabel.textLabel(MailLabel.formatText(data, offset, length, asciiOnly: false)))
        }
        return node
    }

    /// A continuation segment: a fragment of the RETR/TOP message, complete once the bytes
    /// seen reach the announced size (or at once when no size was announced).
    private func messageData(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, _ top: TreeNode,
                             _ s: inout POP3Session) {
        guard desegmentData.boolValue else {
            packet.callData(data, parent: top)
            return
        }
        s.readLength &+= UInt64(data.count)
        let more = s.readLength < s.totalLength
        if s.message == nil { s.message = MailMessage(budget: budget) }
        s.message!.append(data, frame: packet.frame.number)
        guard !more, let m = s.message else { return }
        s.message = nil
        s.readLength = 0
        s.totalLength = 0

        let view: ByteView
        if m.fragments.count == 1 {
            // One fragment, complete in this frame: tshark hands the segment on as it is.
            view = data
        } else {
            let total = m.totalLength
            let fragments = m.fragments
            view = packet.addDataSource("Reassembled DATA", m.take())
            packet.addMailFragmentTree(hf.data, view, fragments, total: total, parent: top)
        }
        if let h = imf.handle {
            packet.call(h, view, parent: parent)
        } else {
            packet.callData(view, parent: top)
        }
    }

    /// tshark's `get_token_len`: the first token ends at a space (or CR/LF); the rest starts
    /// after the spaces that follow it.
    static func token(_ v: ByteView, _ from: Int, _ end: Int) -> (length: Int, next: Int) {
        var i = from
        while i < end {
            let c = v[unchecked: i]
            if c == 0x20 || c == MailText.cr || c == MailText.lf { break }
            i += 1
        }
        let length = i - from
        while i < end, v[unchecked: i] == 0x20 { i += 1 }
        return (length, i)
    }

    /// The size after "+OK " as `ws_strtou32` reads it with an end pointer: white space, then
    /// at least one digit (the rest of the line may follow); nil when there is no number or it
    /// does not fit in 32 bits.
    static func octets(_ v: ByteView, from: Int, to: Int) -> UInt64? {
        var i = from
        while i < to, MailText.isSpace(v[unchecked: i]) { i += 1 }
        if i < to, v[unchecked: i] == 0x2b { i += 1 }
        let start = i
        var n: UInt64 = 0
        while i < to, MailText.isDigit(v[unchecked: i]) {
            n = n * 10 + UInt64(v[unchecked: i] - 0x30)
            if n > UInt64(UInt32.max) { return nil }
            i += 1
        }
        return i > start ? n : nil
    }
}
