import DissectKit

/// What tshark's `dissect_imap_fetch` concludes about an untagged FETCH response.
enum IMAPFetchScan {
    /// The response (or its literal) is not complete yet.
    case needMore(Int)
    /// No literal: the line ends at `next`.
    case lineOnly(next: Int)
    /// A literal of `size` bytes starts at `lineNext` (the end of the FETCH line).
    case literal(lineNext: Int, size: Int)
}

extension IMAPDissector {
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, isRequest: Bool,
                 viaTLS: Bool) -> DissectResult {
        let ts = packet.frame.timestamp
        let now = ts.seconds &* 1_000_000_000 &+ Int64(ts.nanoseconds)
        let key = FlowLookup(src: packet.netSrc, srcPort: UInt16(truncatingIfNeeded: packet.srcPort), dst: packet.netDst,
                             dstPort: UInt16(truncatingIfNeeded: packet.dstPort), proto: 6).key
        let slot = sessions.lookup(key) ?? sessions.insert(key, IMAPSession(), now: now)
        sessions.touch(slot, now: now)
        let frame = packet.frame.number

        // After STARTTLS and its tagged OK the rest is TLS; what TLS hands back while it has the
        // bytes (through a `tcp.port` entry or the "imap" handle) is plain text.
        let tlsFrom = sessions[slot].tlsFromFrame
        if !viaTLS, !inTLSHandoff, tlsFrom != 0, frame >= tlsFrom, let h = tls.handle {
            inTLSHandoff = true
            defer { inTLSHandoff = false }
            return packet.call(h, data, parent: parent)
        }
        var s = sessions[slot]
        // The preference can change between files: follow it (tshark does the same).
        if sslHeuristic.boolValue, s.heuristicTriesLeft < 0 { s.heuristicTriesLeft = 2 }
        if !sslHeuristic.boolValue, s.heuristicTriesLeft >= 0 { s.heuristicTriesLeft = -1 }
        // A capture that starts after STARTTLS: the first packets are checked for TLS.
        if !viaTLS, !inTLSHandoff, s.heuristicTriesLeft > 0 {
            s.heuristicTriesLeft -= 1
            if data.count >= 5, !(0..<5).allSatisfy({ data[unchecked: $0] >= 0x20 && data[unchecked: $0] < 0x7f }),
               let h = tls.handle, !inTLSHandoff {
                s.heuristicTriesLeft = 0
                s.tlsFromFrame = frame
                sessions[slot] = s
                inTLSHandoff = true
                defer { inTLSHandoff = false }
                return packet.call(h, data, parent: parent)
            }
        }

        let result = lines(&packet, data, parent, isRequest: isRequest, &s)
        sessions[slot] = s
        return result
    }

    // MARK: lines

    /// How far the data holds complete lines (and complete FETCH literals), and what more is
    /// needed after that; `fetchWaits` when the stop is a FETCH response waiting for its literal.
    private func completeLength(_ data: ByteView) -> (length: Int, need: Int, fetchWaits: Bool) {
        var offset = 0
        while offset < data.count {
            guard let (_, next) = MailText.lineEnd(data, from: offset, to: data.count, desegment: true) else {
                return (offset, 1, false)
            }
            var nextOffset = next
            if data[unchecked: offset] == 0x2a, let fetchEnd = fetchTokenEnd(data, offset, next) {
                switch scanFetch(data, fetchEnd, lineNext: next) {
                case .needMore(let n): return (offset, n, true)
                case .lineOnly(let n): nextOffset = n
                case .literal(let lineNext, let size): nextOffset = min(data.count, lineNext + size)
                }
            }
            offset = nextOffset
        }
        return (data.count, 0, false)
    }

    /// For a "*" line: the end of the first of its first three tokens that reads as FETCH
    /// (tshark compares only the token's length, so "F" or "FETC" match too), when the line has
    /// at least two tokens.
    private func fetchTokenEnd(_ data: ByteView, _ offset: Int, _ next: Int) -> Int? {
        // Up to three tokens, kept in locals: this runs for every untagged line.
        var starts = (0, 0, 0)
        var ends = (0, 0, 0)
        var count = 0
        var start = offset + 1
        var pattern = offset
        repeat {
            start = pattern + 1
            pattern = -1
            var i = start
            while i < next {
                let c = data[unchecked: i]
                if c == 0x20 || c == 0x09 || c == 0x0d || c == 0x0a { pattern = i; break }
                i += 1
            }
            if pattern > start {
                switch count {
                case 0: starts.0 = start; ends.0 = pattern
                case 1: starts.1 = start; ends.1 = pattern
                default: starts.2 = start; ends.2 = pattern
                }
                count += 1
            }
        } while pattern != -1 && count < 3
        guard count >= 2 else { return nil }
        for t in 0..<count {
            let (s, e) = t == 0 ? (starts.0, ends.0) : t == 1 ? (starts.1, ends.1) : (starts.2, ends.2)
            if prefixMatches(data, s, e - s, "fetch") { return e }
        }
        return nil
    }

    /// tshark's `dissect_imap_fetch`: a FETCH response is complete when it has no literal and
    /// its line ends, or when its `{size}` literal and a ')' after it have arrived.
    func scanFetch(_ data: ByteView, _ fetchEnd: Int, lineNext: Int) -> IMAPFetchScan {
        let count = data.count
        guard let paren = MailText.find(data, 0x28, from: fetchEnd, to: count) else { return .needMore(1) }
        let remaining = count - (paren + 1)
        guard remaining > 0 else { return .needMore(1) }
        guard let sizeStart = MailText.find(data, 0x7b, from: paren, to: paren + remaining) else {
            guard let (_, n) = MailText.lineEnd(data, from: paren, to: count, desegment: true) else { return .needMore(1) }
            return .lineOnly(next: n)
        }
        guard let sizeEnd = MailText.find(data, 0x7d, from: sizeStart + 1, to: paren + 1 + remaining), sizeEnd > 0,
              let size = strictSize(data, sizeStart + 1, sizeEnd) else {
            return .needMore(1)
        }
        let after = sizeEnd + Int(size)
        // tshark asks for one more segment at a time (DESEGMENT_ONE_MORE_SEGMENT), so IMAP is
        // called — and adds its empty tree item — in every segment of the literal. Checking
        // again is cheap: only the bytes after the literal are searched.
        guard after < count else { return .needMore(1) }
        guard MailText.find(data, 0x29, from: after, to: count) != nil else { return .needMore(1) }
        return .literal(lineNext: lineNext, size: Int(size))
    }

    /// `ws_strtou32` on the literal size: the whole text must be the number.
    private func strictSize(_ data: ByteView, _ from: Int, _ to: Int) -> UInt32? {
        var i = from
        while i < to, MailText.isSpace(data[unchecked: i]) { i += 1 }
        if i < to, data[unchecked: i] == 0x2b { i += 1 }
        guard i < to else { return nil }
        var n: UInt64 = 0
        while i < to {
            let c = data[unchecked: i]
            guard MailText.isDigit(c) else { return nil }
            n = n * 10 + UInt64(c - 0x30)
            if n > UInt64(UInt32.max) { return nil }
            i += 1
        }
        return UInt32(n)
    }

    private func lines(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, isRequest: Bool,
                       _ s: inout IMAPSession) -> DissectResult {
        let frame = packet.frame.number
        guard !data.isEmpty else { return .consumed(0) }
        let complete = completeLength(data)
        if complete.length == 0 {
            if complete.fetchWaits, partialFrame != frame {
                // tshark adds its (empty) tree item before it finds the literal incomplete.
                packet.protocolColumn = "IMAP"
                let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
                packet.add(hf.isRequest, data, 0, 0, .bool(isRequest), parent: top, flags: .hidden)
            }
            return .oneMoreSegment // tshark: DESEGMENT_ONE_MORE_SEGMENT
        }

        packet.protocolColumn = "IMAP"
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        packet.add(hf.isRequest, data, 0, 0, .bool(isRequest), parent: top, flags: .hidden)

        var firstLine = true
        var lastLength = 0
        var offset = 0
        while offset < complete.length {
            guard let (length, next) = MailText.lineEnd(data, from: offset, to: data.count, desegment: true) else { break }
            lastLength = length
            var nextOffset = next
            if data[unchecked: offset] == 0x2a {
                var showLine = true
                if let fetchEnd = fetchTokenEnd(data, offset, next) {
                    switch scanFetch(data, fetchEnd, lineNext: next) {
                    case .literal(let lineNext, let size):
                        packet.addMailString(hf.line, data, offset, lineNext - offset, parent: top)
                        firstLine = false
                        showLine = false
                        let literalLength = max(0, min(size, data.count - lineNext))
                        if let h = imf.handle, let literal = try? data.slice(lineNext, literalLength) {
                            packet.call(h, literal, parent: .root)
                        }
                        nextOffset = lineNext + literalLength
                    case .lineOnly(let n):
                        packet.addMailString(hf.line, data, offset, n - offset, parent: top)
                        showLine = false
                        nextOffset = n
                    case .needMore:
                        break
                    }
                }
                if showLine { packet.addMailString(hf.line, data, offset, next - offset, parent: top) }
            } else {
                if firstLine {
                    packet.info.set(isRequest ? "Request: " : "Response: ")
                    packet.info.appendFormatted(data, offset, length, asciiOnly: false)
                    firstLine = false
                }
                taggedLine(&packet, data, top, offset, length, next, isRequest: isRequest, &s)
            }
            offset = nextOffset
        }
        if firstLine {
            // Only untagged lines: tshark shows the first one (measured with the last line's length).
            packet.info.set(isRequest ? "Request: " : "Response: ")
            packet.info.appendFormatted(data, 0, lastLength, asciiOnly: false)
        }
        if complete.length < data.count {
            partialFrame = frame
            return .consumed(complete.length)
        }
        return .consumed(data.count)
    }

    /// A tagged line (or "+"/")" continuation): tag, command or status, folder, LOGIN
    /// credentials, STARTTLS, and request/response matching.
    private func taggedLine(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ lineOffset: Int,
                            _ lineLength: Int, _ next: Int, isRequest: Bool, _ s: inout IMAPSession) {
        let item = packet.addMailString(hf.line, data, lineOffset, next - lineOffset, parent: top)
        var offset = lineOffset
        var length = lineLength
        if length != 0 {
            packet.addMailString(isRequest ? hf.request : hf.response, data, offset, length, parent: item)
        }
        var tag: UInt64?
        let t1 = MailText.token(data, from: offset, length: length)
        if t1.length != 0 {
            tag = MailText.lowercaseHash(data, offset, t1.length)
            packet.addMailString(isRequest ? hf.requestTag : hf.responseTag, data, offset, t1.length, parent: item)
            hiddenString(&packet, hf.tag, data, offset, t1.length, item)
            length -= t1.next - offset
            offset = t1.next
        }

        let t2 = MailText.token(data, from: offset, length: length)
        var commandOffset = 0
        var commandLength = 0
        var folder = (offset: 0, length: 0, next: 0)
        if t2.length != 0 {
            if isRequest, prefixMatches(data, offset, t2.length, "uid") {
                packet.add(hf.requestUID, data, offset, t2.length, .bool(true), parent: item)
                let uid = MailText.token(data, from: t2.next, length: length - (t2.next - offset))
                if uid.length != 0 {
                    packet.addMailString(hf.requestCommand, data, t2.next, uid.length, parent: item)
                    // tshark's hidden "imap.command" covers the UID token here.
                    hiddenString(&packet, hf.command, data, offset, t2.length, item)
                    commandOffset = t2.next
                    commandLength = uid.length
                    let f = MailText.token(data, from: uid.next, length: length - (uid.next - offset))
                    folder = (uid.next, f.length, f.next)
                }
            } else {
                packet.addMailString(isRequest ? hf.requestCommand : hf.responseStatus, data, offset, t2.length,
                                     parent: item)
                if isRequest {
                    hiddenString(&packet, hf.command, data, offset, t2.length, item)
                    commandOffset = offset
                    commandLength = t2.length
                    let f = MailText.token(data, from: t2.next, length: length - (t2.next - offset))
                    folder = (t2.next, f.length, f.next)
                }
            }
        }

        if commandLength > 0 {
            func command(_ name: StaticString) -> Bool { prefixMatches(data, commandOffset, commandLength, name) }
            if command("select") || command("examine") || command("create") || command("delete") || command("rename")
                || command("subscribe") || command("unsubscribe") || command("status") || command("append")
                || command("search") {
                if folder.length != 0 {
                    packet.addMailString(hf.requestFolder, data, folder.offset, folder.length, parent: item)
                }
            } else if length > 0, command("copy") {
                // The folder is COPY's second argument.
                let f = MailText.token(data, from: folder.next, length: length - (folder.next - offset))
                if f.length != 0 { packet.addMailString(hf.requestFolder, data, folder.next, f.length, parent: item) }
            } else if command("starttls") {
                s.sslRequested = true
            } else if command("login") {
                login(&packet, data, item, t2.next, length - (t2.next - offset))
            }
        }

        if !isRequest {
            let c = MailText.token(data, from: t2.next, length: length - (t2.next - offset))
            if c.length > 0 {
                packet.addMailString(hf.responseCommand, data, t2.next, c.length, parent: item)
                hiddenString(&packet, hf.command, data, t2.next, c.length, item)
            }
            if s.sslRequested, t2.length != 0, prefixMatches(data, offset, t2.length, "ok") {
                // STARTTLS accepted: TLS from the next frame on (tshark's `ssl_starttls_ack`).
                s.tlsFromFrame = packet.frame.number + 1
                if s.heuristicTriesLeft > 0 { s.heuristicTriesLeft = 0 }
                s.sslRequested = false
            }
        }

        if let tag { match(&packet, tag, isRequest: isRequest, item, &s) }
    }

    /// "LOGIN user password": tshark takes the tokens after the command; our fix takes a quoted
    /// password (with spaces and escapes) as a quoted string and an unquoted one whole, where
    /// tshark always drops its first and last character.
    private func login(_ packet: inout PacketContext, _ data: ByteView, _ item: TreeNode, _ offset: Int,
                       _ length: Int) {
        let user = MailText.token(data, from: offset, length: length)
        packet.addMailString(hf.requestUsername, data, offset, user.length, parent: item)
        let passOffset = user.next
        let passLength = length - (user.next - offset)
        guard passLength > 0 else {
            packet.addMailString(hf.requestPassword, data, passOffset, 0, parent: item)
            return
        }
        if data[unchecked: passOffset] == 0x22 {
            // RFC 9051 quoted string: up to the closing quote, "\\" and "\"" escaped.
            var out = [UInt8]()
            var i = passOffset + 1
            let end = passOffset + passLength
            while i < end {
                var c = data[unchecked: i]
                if c == 0x22 { i += 1; break }
                if c == 0x5c, i + 1 < end { i += 1; c = data[unchecked: i] }
                out.append(c)
                i += 1
            }
            let value = MailLabel.formatText(out, asciiOnly: true)
            packet.addMailText(hf.requestPassword, data, passOffset, i - passOffset, value, parent: item)
        } else {
            let t = MailText.token(data, from: passOffset, length: passLength)
            packet.addMailString(hf.requestPassword, data, passOffset, t.length, parent: item)
        }
    }

    /// Request/response matching by tag: a request remembers its frame and time; a tagged
    /// reply shows "Request In" and "Response Time". A request learns its "Response In" only
    /// with `-2` (the first pass records it).
    private func match(_ packet: inout PacketContext, _ tag: UInt64, isRequest: Bool, _ item: TreeNode,
                       _ s: inout IMAPSession) {
        if isRequest {
            s.addRequest(IMAPRequest(tag: tag, frame: packet.frame.number, time: packet.frame.timestamp))
            if let later = packet.annotation(hf.responseIn) {
                packet.addGenerated(hf.responseIn, .uint(later), parent: item)
            }
            return
        }
        guard let r = s.request(tag: tag) else { return }
        packet.annotate(frame: r.frame, hf.responseIn, UInt64(packet.frame.number))
        packet.addGenerated(hf.responseTo, .uint(UInt64(r.frame)), parent: item)
        packet.addGenerated(hf.time, .relativeTime(packet.frame.timestamp - r.time), parent: item)
    }

    private func hiddenString(_ packet: inout PacketContext, _ field: FieldID, _ data: ByteView, _ offset: Int,
                              _ length: Int, _ parent: TreeNode) {
        guard packet.wants(field) else { return }
        packet.add(field, data, offset, length, .string, parent: parent, flags: .hidden)
    }

    /// tshark's `strncmp(token, name, tokenlen) == 0` on the lower-cased token: the token is a
    /// prefix of `name` (or equal to it).
    private func prefixMatches(_ data: ByteView, _ offset: Int, _ length: Int, _ name: StaticString) -> Bool {
        guard length <= name.utf8CodeUnitCount else { return false }
        let p = name.utf8Start
        for i in 0..<length where MailText.lower(data[unchecked: offset + i]) != p[i] { return false }
        return true
    }
}
