import DissectKit

extension SMTPDissector {
    /// Dissects one client (`isRequest`) or server segment of a conversation.
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, isRequest: Bool,
                 viaTLS: Bool) throws(Malformed) -> DissectResult {
        let ts = packet.frame.timestamp
        let now = ts.seconds &* 1_000_000_000 &+ Int64(ts.nanoseconds)
        let key = FlowLookup(src: packet.netSrc, srcPort: UInt16(truncatingIfNeeded: packet.srcPort), dst: packet.netDst,
                             dstPort: UInt16(truncatingIfNeeded: packet.dstPort), proto: 6).key
        let slot = sessions.lookup(key) ?? sessions.insert(key, SMTPSession(), now: now)
        sessions.touch(slot, now: now)

        // After STARTTLS and its 220, the rest of the conversation is TLS (tshark's
        // `ssl_starttls_ack`). Without a TLS dissector the bytes stay SMTP, as tshark shows them
        // with TLS disabled. TLS may hand decrypted data back through a `tcp.port` entry: while
        // the bytes are with TLS, what comes back is plain text.
        let tlsFrom = sessions[slot].tlsFromFrame
        if !viaTLS, !inTLSHandoff, tlsFrom != 0, packet.frame.number >= tlsFrom, let h = tls.handle {
            inTLSHandoff = true
            defer { inTLSHandoff = false }
            return packet.call(h, data, parent: parent)
        }

        var s = sessions[slot]
        let result: DissectResult
        if isRequest {
            result = request(&packet, data, parent, &s)
        } else {
            result = response(&packet, data, parent, &s)
        }
        // The slot is still ours: nothing above inserts into `sessions`.
        sessions[slot] = s
        return result
    }

    // MARK: client

    private enum PDU { case command, message, endOfMessage }

    private func request(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                         _ s: inout SMTPSession) -> DissectResult {
        let desegment = desegmentLines.boolValue
        // Nothing is added or changed before we know the first line is complete.
        if s.mode != .chunk, MailText.lineEnd(data, from: 0, to: data.count, desegment: desegment) == nil {
            return data.isEmpty ? .consumed(0) : .oneMoreSegment
        }
        // Data sent while DATA still waits for its reply is message data (tshark's behaviour; it
        // also covers captures that only hold the client side).
        if s.dataPending {
            s.dataPending = false
            s.mode = .data
        }

        lines.removeAll(keepingCapacity: true)
        var pdu = PDU.command
        var eomOffset = 0
        var eomLength = 0
        var chunked = false
        var lastEmpty = false
        var loffset = 0
        let frame = packet.frame.number
        let endsWithCRLF = data.count >= 2 && data[unchecked: data.count - 2] == MailText.cr
            && data[unchecked: data.count - 1] == MailText.lf

        scan: while loffset < data.count {
            if s.mode == .chunk {
                // Our BDAT handling (RFC 3030): the chunk's bytes, then commands again.
                let take = Int(min(s.chunkRemaining, UInt64(data.count - loffset)))
                s.chunkRemaining -= UInt64(take)
                var completes = false
                if s.chunkRemaining == 0 {
                    s.mode = .commands
                    completes = s.chunkIsLast
                }
                lines.append(SMTPRequestLine(offset: loffset, length: take, next: loffset + take, kind: .chunk,
                                             completes: completes))
                chunked = true
                loffset += take
                continue
            }
            var length: Int
            var next: Int
            if let le = MailText.lineEnd(data, from: loffset, to: data.count, desegment: desegment) {
                (length, next) = le
            } else {
                length = data.count - loffset
                next = data.count
            }
            if s.mode == .data {
                // The order matters: a CRLF ending the previous segment plus ".\r\n" here, or
                // "\r\n.\r\n" starting at this line.
                let eom = (s.crlfSeen && MailText.equals(data, at: loffset, ".\r\n"))
                    || MailText.equals(data, at: loffset, "\r\n.\r\n")
                s.crlfSeen = endsWithCRLF
                if eom {
                    pdu = .endOfMessage
                    eomOffset = loffset
                    eomLength = length
                    s.mode = .commands
                    // The end of data is answered like a command (RFC 2920 counts it so).
                    s.pendingReplies += 1
                    break scan
                }
                pdu = .message
                loffset = next
                continue
            }
            // Command mode.
            var kind = SMTPLineKind.command
            if s.auth.awaitsClientLine {
                switch s.auth {
                case .usernameRequested: s.auth = .usernameSent; kind = .username
                case .passwordRequested: s.auth = .passwordSent; kind = .password
                case .plainRequested: s.auth = .plainSent; kind = .credentials
                default: s.auth = .ntlmSent; kind = .ntlm
                }
            } else {
                let cmdlen = commandLength(data, loffset, length)
                if isCommand(data, loffset, cmdlen) {
                    pdu = .command
                    s.pendingReplies += 1
                    if MailText.equalsIgnoringCase(data, at: loffset, "data") {
                        if next < data.count {
                            // More bytes after DATA in the same segment: the client did not wait.
                            s.mode = .data
                        } else {
                            s.dataPending = true
                            s.repliesBeforeData = s.pendingReplies - 1
                        }
                    } else if length > 5, MailText.equalsIgnoringCase(data, at: loffset, "bdat") {
                        let n = MailText.decimal(data, from: loffset + 5, to: loffset + length)
                        s.chunkIsLast = length >= 4 && MailText.equalsIgnoringCase(data, at: loffset + length - 4, "last")
                        s.chunkRemaining = n
                        if n > 0 { s.mode = .chunk } else if s.chunkIsLast { lastEmpty = true }
                        chunked = true
                    } else if MailText.equalsIgnoringCase(data, at: loffset, "auth login") {
                        s.firstAuthFrame = frame
                        if length <= 11 { s.auth = .start } else { s.auth = .usernameSent; kind = .authLoginCommand }
                    } else if MailText.equalsIgnoringCase(data, at: loffset, "auth plain") {
                        s.firstAuthFrame = frame
                        if length <= 11 {
                            s.auth = .plainStartRequested
                        } else {
                            s.auth = .plainCredentialsSent
                            kind = .authPlainCommand
                        }
                    } else if length > 10, MailText.equalsIgnoringCase(data, at: loffset, "auth ntlm") {
                        s.auth = .ntlmRequested
                    } else if MailText.equalsIgnoringCase(data, at: loffset, "starttls") {
                        s.awaitingStartTLS = true
                    }
                } else {
                    // tshark treats any other client line as message data.
                    pdu = .message
                }
            }
            lines.append(SMTPRequestLine(offset: loffset, length: length, next: next, kind: kind, completes: lastEmpty))
            lastEmpty = false
            loffset = next
        }

        packet.protocolColumn = "SMTP"
        packet.info.clear()
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        if chunked {
            showMixed(&packet, data, top, &s)
            return .consumed(data.count)
        }
        switch pdu {
        case .message:
            packet.info.appendCapped(desegmentData.boolValue ? "C: DATA fragment, " : "C: Message Body, ")
            packet.info.append(data.count)
            packet.info.appendCapped(data.count == 1 ? " byte" : " bytes")
            if desegmentData.boolValue {
                s.appendFragment(data, frame: frame, budget: budget)
                textLines?.dissectLines(&packet, data, parent: top, name: nil)
                // -2: the first pass knows where the message was put together.
                if let later = packet.annotation(hf.data.reassembledIn) {
                    packet.addGenerated(hf.data.reassembledIn, .uint(later), parent: top)
                }
            } else {
                messageLines(&packet, data, top)
            }
        case .endOfMessage:
            packet.info.appendCapped("C: .")
            let eom = packet.add(hf.eom, data, 0, eomLength, .none, parent: top)
            if packet.buildsFullTree, !eom.isNone { packet.setLabel(eom, "C: .") }
            if desegmentData.boolValue {
                if eomOffset > 0, let fragment = try? data.slice(0, eomOffset) {
                    s.appendFragment(fragment, frame: frame, budget: budget)
                }
                finishMessage(&packet, &s, top)
            } else {
                s.message = nil
            }
        case .command:
            showCommands(&packet, data, top)
        }
        return .consumed(data.count)
    }

    /// Command length as tshark measures it: up to the first space.
    private func commandLength(_ data: ByteView, _ offset: Int, _ length: Int) -> Int {
        MailText.find(data, MailText.space, from: offset, to: offset + length).map { $0 - offset } ?? length
    }

    /// RFC 821 commands are four letters; a few extensions are recognised by name.
    private func isCommand(_ data: ByteView, _ offset: Int, _ length: Int) -> Bool {
        if length == 4 {
            return MailText.isAlpha(data[unchecked: offset]) && MailText.isAlpha(data[unchecked: offset + 1])
                && MailText.isAlpha(data[unchecked: offset + 2]) && MailText.isAlpha(data[unchecked: offset + 3])
        }
        switch length {
        case 8: return MailText.equalsIgnoringCase(data, at: offset, "starttls")
        case 6: return MailText.equalsIgnoringCase(data, at: offset, "x-exps")
        case 12: return MailText.equalsIgnoringCase(data, at: offset, "x-link2state")
        case 7: return MailText.equalsIgnoringCase(data, at: offset, "xexch50")
        default: return false
        }
    }

    /// Command lines, AUTH lines and their Info ("C: MAIL FROM:<…> | RCPT TO:<…>").
    private func showCommands(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode) {
        for (i, line) in lines.enumerated() {
            packet.info.appendCapped(i == 0 ? "C: " : " | ")
            showCommandLine(&packet, data, top, line)
        }
    }

    private func showCommandLine(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                                 _ line: SMTPRequestLine) {
        packet.add(hf.req, data, 0, 0, .bool(true), parent: top, flags: .hidden)
        let info = packet.info
        switch line.kind {
        case .username, .password:
            let field = line.kind == .username ? hf.username : hf.password
            let shown = authText(data, line.offset, line.length)
            packet.addMailText(field, data, line.offset, line.length, shown.label, parent: top)
            info.appendCapped(line.kind == .username ? "User: " : "Pass: ")
            info.appendCapped(bytes: shown.info)
            return
        case .credentials:
            plainCredentials(&packet, data, line.offset, line.length, top)
            return
        default:
            break
        }
        let cmdlen = min(4, line.length)
        let item = packet.addMailString(hf.commandLine, data, line.offset, line.next - line.offset, parent: top)
        packet.addMailString(hf.command, data, line.offset, cmdlen, parent: item)
        guard line.length > 5 else {
            info.appendFormatted(data, line.offset, line.length, asciiOnly: true)
            return
        }
        packet.addMailString(hf.requestParameter, data, line.offset + 5, line.length - 5, parent: item)
        switch line.kind {
        case .authLoginCommand:
            // "AUTH LOGIN <base64 username>" (RFC 4954 initial response).
            guard line.length >= 11 else { return }
            let shown = authText(data, line.offset + 11, line.length - 11)
            packet.addMailText(hf.username, data, line.offset + 11, line.length - 11, shown.label, parent: item)
            info.appendFormatted(data, line.offset, 11, asciiOnly: true)
            info.appendCapped("User: ")
            info.appendCapped(bytes: shown.info)
        case .authPlainCommand:
            info.appendFormatted(data, line.offset, 11, asciiOnly: true)
            plainCredentials(&packet, data, line.offset + 11, line.length - 11, item)
        default:
            info.appendFormatted(data, line.offset, line.length, asciiOnly: true)
        }
    }

    /// An AUTH line's text: base64-decoded with `smtp.decryption` (when it decodes), else as sent.
    /// Returns the field/label text and the Info bytes.
    private func authText(_ data: ByteView, _ offset: Int, _ length: Int) -> (label: String, info: [UInt8]) {
        let len = max(0, length)
        if decryption.boolValue {
            var decoded = MailText.base64Decode(data.buffer[offset..<(offset + len)])
            if !decoded.isEmpty {
                var info = [UInt8]()
                MailLabel.appendFormatted(&info, decoded, asciiOnly: true)
                if let nul = decoded.firstIndex(of: 0) { decoded.removeSubrange(nul...) }
                return (MailLabel.formatText(decoded, asciiOnly: true), info)
            }
        }
        var info = [UInt8]()
        MailLabel.appendFormatted(&info, data.buffer[offset..<(offset + len)], asciiOnly: true)
        return (MailLabel.formatText(data, offset, len, asciiOnly: true), info)
    }

    /// tshark's `decode_plain_auth`: RFC 4616 "authzid NUL authcid NUL passwd" in base64.
    private func plainCredentials(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int,
                                  _ parent: TreeNode) {
        let len = max(0, length)
        let info = packet.info
        guard decryption.boolValue else {
            let node = packet.addMailString(hf.usernamePassword, data, offset, len, parent: parent)
            packet.addExpert(hf.base64Decode, parent: node.isNone ? parent : node, data, offset, len)
            info.appendFormatted(data, offset, len, asciiOnly: true)
            return
        }
        let decoded = MailText.base64Decode(data.buffer[offset..<(offset + len)])
        guard !decoded.isEmpty else { return }
        let authzidEnd = decoded.firstIndex(of: 0) ?? decoded.count
        guard decoded.count >= authzidEnd + 1 else { return }
        let userStart = authzidEnd + 1
        let userEnd = decoded[userStart...].firstIndex(of: 0) ?? decoded.count
        let user = Array(decoded[userStart..<userEnd])
        packet.addMailText(hf.username, data, offset, len, MailLabel.formatText(user, asciiOnly: true), parent: parent)
        info.appendCapped("User: ")
        var out = [UInt8]()
        MailLabel.appendFormatted(&out, user, asciiOnly: true)
        info.appendCapped(bytes: out)
        guard decoded.count >= userEnd + 1 else { return }
        let passStart = userEnd + 1
        let passEnd = decoded[passStart...].firstIndex(of: 0) ?? decoded.count
        let pass = Array(decoded[passStart..<passEnd])
        // tshark gives the password item the password's length (from `offset`).
        packet.addMailText(hf.password, data, offset, min(pass.count, len), MailLabel.formatText(pass, asciiOnly: true),
                           parent: parent)
        info.appendCapped("  Pass: ")
        out.removeAll()
        MailLabel.appendFormatted(&out, pass, asciiOnly: true)
        info.appendCapped(bytes: out)
    }

    /// `smtp.desegment_data` off: the message body as "Message" lines.
    private func messageLines(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode) {
        var offset = 0
        while offset < data.count {
            let (_, next) = MailText.lineEnd(data, from: offset)
            packet.addMailString(hf.message, data, offset, next - offset, parent: top)
            offset = next
        }
    }

    /// Our BDAT handling: command lines and chunk bytes in order; the chunk that ends a BDAT
    /// LAST (or "BDAT 0 LAST") completes the message, which goes to IMF like a DATA message.
    private func showMixed(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ s: inout SMTPSession) {
        for (i, line) in lines.enumerated() {
            packet.info.appendCapped(i == 0 ? "C: " : " | ")
            if line.kind == .chunk {
                packet.info.appendCapped("DATA fragment, ")
                packet.info.append(line.length)
                packet.info.appendCapped(line.length == 1 ? " byte" : " bytes")
                if line.length > 0, let chunk = try? data.slice(line.offset, line.length) {
                    s.appendFragment(chunk, frame: packet.frame.number, budget: budget)
                    textLines?.dissectLines(&packet, chunk, parent: top, name: nil)
                }
            } else {
                showCommandLine(&packet, data, top, line)
            }
            if line.completes { finishMessage(&packet, &s, top) }
        }
        // -2: a chunk of a message completed in a later frame says where (as DATA fragments do).
        if let later = packet.annotation(hf.data.reassembledIn), later != UInt64(packet.frame.number) {
            packet.addGenerated(hf.data.reassembledIn, .uint(later), parent: top)
        }
    }

    /// Ends the conversation's reassembly: "[N DATA fragments (…)]" and the message to IMF.
    private func finishMessage(_ packet: inout PacketContext, _ s: inout SMTPSession, _ top: TreeNode) {
        guard let m = s.message, !m.fragments.isEmpty else {
            s.message = nil
            return
        }
        s.message = nil
        let total = m.totalLength
        let fragments = m.fragments
        for f in fragments where f.frame != packet.frame.number {
            packet.annotate(frame: f.frame, hf.data.reassembledIn, UInt64(packet.frame.number))
        }
        let bytes = m.take()
        let index = packet.sources.extra.count + 1
        packet.sources.extra.append(DataSources.Source(name: "Reassembled SMTP", bytes: bytes))
        let view = ByteView(packet.sources.bytes(index), source: index)

        packet.addMailFragmentTree(hf.data, view, fragments, total: total, parent: top)

        if let h = imf.handle {
            packet.call(h, view, parent: .root)
        } else {
            messageLines(&packet, view, top)
        }
    }

    // MARK: server

    private enum Multiline { case none, start, more, end }

    private func response(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                          _ s: inout SMTPSession) -> DissectResult {
        if MailText.lineEnd(data, from: 0, to: data.count, desegment: desegmentLines.boolValue) == nil {
            return data.isEmpty ? .consumed(0) : .oneMoreSegment
        }
        packet.protocolColumn = "SMTP"
        packet.info.clear()
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        packet.add(hf.rsp, data, 0, 0, .bool(true), parent: top, flags: .hidden)
        let info = packet.info

        var multiline = Multiline.none
        var multilineCode: UInt32 = 0
        var codeItem = TreeNode.none
        var replyTree = TreeNode.none
        var offset = 0
        var first = true
        while offset < data.count {
            let (length, next) = MailText.lineEnd(data, from: offset)
            info.appendCapped(first ? "S: " : " | ")
            first = false
            defer { offset = next }
            guard length >= 3, MailText.isDigit(data[unchecked: offset]), MailText.isDigit(data[unchecked: offset + 1]),
                  MailText.isDigit(data[unchecked: offset + 2]) else { continue }
            let code = UInt32(data[unchecked: offset] - 0x30) * 100 + UInt32(data[unchecked: offset + 1] - 0x30) * 10
                + UInt32(data[unchecked: offset + 2] - 0x30)
            let continued = length >= 4 && data[unchecked: offset + 3] == 0x2d
            if continued {
                multiline = multiline == .none ? .start : .more
            } else if multiline == .start || multiline == .more {
                multiline = .end
            }

            if s.awaitingStartTLS {
                if code == 220 { s.tlsFromFrame = packet.frame.number + 1 }
                s.awaitingStartTLS = false
            }
            if code == 334 {
                switch s.auth {
                case .start: s.auth = .usernameRequested
                case .usernameSent: s.auth = .passwordRequested
                case .plainRequested: s.auth = .plainSent
                case .plainStartRequested: s.auth = .plainRequested
                case .ntlmRequested: s.auth = .ntlmChallenge
                default: break
                }
            } else if s.auth == .passwordSent || s.auth == .plainSent || s.auth == .ntlmSent
                        || s.auth == .plainCredentialsSent {
                s.auth = code == 235 ? .succeeded : .failed
                s.lastAuthFrame = packet.frame.number
            }
            if !continued, code != 334 { finalReply(code, &s) }

            if multiline != .more && multiline != .end {
                replyTree = packet.addMailString(hf.response, data, offset, next - offset, parent: top)
                codeItem = packet.add(hf.responseCode, data, offset, 3, .uint(UInt64(code)), parent: replyTree)
                multilineCode = code
            } else if multilineCode != code {
                packet.addExpert(hf.unexpectedCode, parent: codeItem.isNone ? replyTree : codeItem, data, offset, 3,
                                 message: "Unexpected response code \(code) in multiline response. Expected \(multilineCode)")
            }

            if length >= 4 {
                var shownDecoded = false
                if decryption.boolValue, code == 334 {
                    var decoded = MailText.base64Decode(data.buffer[(offset + 4)..<(offset + length)])
                    if !decoded.isEmpty, !(decoded.count >= 7 && decoded.prefix(7).map(MailText.lower) == Array("ntlmssp".utf8)) {
                        var out = [UInt8]()
                        MailLabel.appendFormatted(&out, decoded, asciiOnly: true)
                        if let nul = decoded.firstIndex(of: 0) { decoded.removeSubrange(nul...) }
                        packet.addMailText(hf.responseParameter, data, offset + 4, length - 4,
                                           MailLabel.formatText(decoded, asciiOnly: true), parent: replyTree)
                        info.append(UInt64(code))
                        info.appendCapped(" ")
                        info.appendCapped(bytes: out)
                        shownDecoded = true
                    }
                }
                if !shownDecoded {
                    packet.addMailString(hf.responseParameter, data, offset + 4, length - 4, parent: replyTree)
                    if multiline != .more && multiline != .end {
                        info.appendFormatted(data, offset, length, asciiOnly: true)
                    } else {
                        info.appendFormatted(data, offset + 4, length - 4, asciiOnly: true)
                    }
                }
            } else {
                info.appendFormatted(data, offset, length, asciiOnly: true)
            }
            if multiline == .end { multiline = .none }
        }
        return .consumed(data.count)
    }

    /// Counts a final reply against the pipelined commands (RFC 2920 keeps replies in order);
    /// the reply to DATA decides whether message data follows (our fix of tshark, which
    /// enters data mode on the DATA command itself).
    private func finalReply(_ code: UInt32, _ s: inout SMTPSession) {
        if s.pendingReplies > 0 { s.pendingReplies -= 1 }
        guard s.dataPending else { return }
        if s.repliesBeforeData > 0 {
            s.repliesBeforeData -= 1
            return
        }
        s.dataPending = false
        if code == 354 {
            s.mode = .data
            // The 354 line ended with CRLF: a message that is just "." ends at once.
            s.crlfSeen = true
        }
    }
}
