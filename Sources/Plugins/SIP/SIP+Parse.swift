import DissectKit

/// What the header pass learnt that the Info column, the matching and the body need.
struct SIPMessageFacts {
    var callID: Range<Int>? = nil
    var cseq: UInt32 = 0
    var cseqMethod: Range<Int>? = nil
    var contentLength: Int? = nil
    var contentType: Range<Int>? = nil
    var contacts = 0
    var contactStar = false
}

extension SIPDissector {
    /// The first line if it is a SIP request line ("METHOD SP URI SP SIP/2.0") or status line
    /// ("SIP/2.0 SP 3DIGIT SP reason"): its length without the line end, where the next line
    /// starts, and whether it is a request.
    static func firstLine(_ data: ByteView) -> (length: Int, next: Int, request: Bool)? {
        let b = data.buffer
        guard b.count >= 12 else { return nil }
        var lf = data.firstIndex(of: 0x0a) ?? b.count
        let next = lf < b.count ? lf + 1 : lf
        if lf > 0 && lf <= b.count && b[lf - 1] == 0x0d { lf -= 1 }
        let n = lf
        if data.matches("SIP/2.0 ", at: 0) {
            // Status-Line: the code must be three digits followed by a space.
            guard n >= 12 else { return nil }
            for i in 8..<11 where !(b[i] >= 0x30 && b[i] <= 0x39) { return nil }
            guard b[11] == 0x20 else { return nil }
            return (n, next, false)
        }
        // Request-Line: token, space, URI, space, "SIP/2.0" at the very end.
        guard n >= 11 else { return nil }
        var sp1 = -1
        for i in 0..<n where b[i] == 0x20 { sp1 = i; break }
        guard sp1 > 0 else { return nil }
        for i in 0..<sp1 where !isTokenChar(b[i]) { return nil }
        guard n - 8 > sp1, b[n - 8] == 0x20, data.matches("SIP/2.0", at: n - 7) else { return nil }
        guard n - 8 > sp1 + 1 else { return nil }
        return (n, next, true)
    }

    static func isTokenChar(_ c: UInt8) -> Bool {
        // RFC 3261 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
        switch c {
        case 0x30...0x39, 0x41...0x5a, 0x61...0x7a: return true
        case 0x2d, 0x2e, 0x21, 0x25, 0x2a, 0x5f, 0x2b, 0x60, 0x27, 0x7e: return true
        default: return false
        }
    }

    // MARK: entry points

    func dissectDatagram(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        guard Self.firstLine(data) != nil else { return .notMine }
        // tshark 4.0 dissects only the first message of a datagram.
        _ = try dissectMessage(&packet, data, parent, stream: false, first: true)
        return .consumed(data.count)
    }

    func dissectStream(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        // Blank lines between messages are keep-alives (RFC 5626 §3.5.1): skip CRLFs.
        var skip = 0
        let b = data.buffer
        while skip < b.count && (b[skip] == 0x0d || b[skip] == 0x0a) { skip += 1 }
        if skip > 0 {
            if skip == data.count {
                packet.protocolColumn = "SIP"
                packet.info.set("Keep-alive")
                return .consumed(skip)
            }
            return .consumed(skip)
        }
        guard Self.firstLine(data) != nil else { return .notMine }
        return try dissectMessage(&packet, data, parent, stream: true, first: true)
    }

    // MARK: one message

    func dissectMessage(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, stream: Bool,
                        first: Bool) throws(Malformed) -> DissectResult {
        guard let line = Self.firstLine(data) else { return .notMine }
        let b = data.buffer

        // Where the headers end (the empty line), and the Content-Length, before any output: on
        // TCP a message that is not all there yet is reassembled first.
        var headerEnd = -1 // offset of the body
        var lineStart = line.next
        var scanContentLength: Int? = nil
        while lineStart < b.count {
            guard let lf = data.firstIndex(of: 0x0a, from: lineStart) else { break }
            var e = lf
            if e > lineStart && b[e - 1] == 0x0d { e -= 1 }
            if e == lineStart { headerEnd = lf + 1; break }
            if scanContentLength == nil, let v = contentLengthValue(data, lineStart, e) { scanContentLength = v }
            lineStart = lf + 1
        }
        if stream {
            if headerEnd < 0 { return .oneMoreSegment }
            let need = headerEnd + (scanContentLength ?? 0)
            if need > data.count { return .needMore(need - data.count) }
        }

        let isRequest = line.request
        packet.protocolColumn = "SIP"
        let info = packet.info
        if first { info.set("") }
        let full = packet.buildsFullTree

        // Method / status code.
        var methodEnd = 0
        var statusCode: UInt32 = 0
        if isRequest {
            while methodEnd < line.length && b[methodEnd] != 0x20 { methodEnd += 1 }
        } else {
            statusCode = UInt32(b[8] - 0x30) * 100 + UInt32(b[9] - 0x30) * 10 + UInt32(b[10] - 0x30)
        }
        let method = isRequest ? String(decoding: UnsafeRawBufferPointer(rebasing: b[0..<methodEnd]), as: UTF8.self) : ""
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent,
                                     text: isRequest ? "Session Initiation Protocol (\(method))"
                                                     : "Session Initiation Protocol (\(statusCode))")
        if isRequest {
            info.append(Self.knownMethods.contains(method) ? "Request: " : "Unknown request: ")
            info.append(data.prefix(line.length - 8))
        } else {
            info.append("Status: ")
            info.append(try data.slice(8, line.length - 8))
        }

        let lineNode: TreeNode
        if isRequest {
            lineNode = packet.add(hf.requestLine, data, 0, line.length, .string, parent: top)
            packet.add(hf.method, data, 0, methodEnd, .string, parent: lineNode)
            let uriStart = methodEnd + 1, uriEnd = line.length - 8
            if uriEnd > uriStart {
                let u = packet.add(hf.ruri, data, uriStart, uriEnd - uriStart, .string, parent: lineNode)
                addURIParts(&packet, data, uriStart..<uriEnd, user: hf.ruriUser, host: hf.ruriHost,
                            port: hf.ruriPort, param: nil, parent: u)
            }
        } else {
            lineNode = packet.add(hf.statusLine, data, 0, line.length, .string, parent: top)
            packet.add(hf.statusCode, data, 8, 3, .uint(UInt64(statusCode)), parent: lineNode)
        }

        // Headers.
        var facts = SIPMessageFacts()
        let headersLength = (headerEnd >= 0 ? headerEnd : data.count) - line.next
        let hdrNode = packet.add(hf.msgHeader, data, line.next, headersLength, .string, parent: top)
        if full { packet.setLabel(hdrNode, "Message Header") }
        var truncated = false
        var offset = line.next
        while offset < b.count {
            // A header runs to the line end that is not followed by white space (RFC 3261 §7.3.1
            // folding).
            var lf = data.firstIndex(of: 0x0a, from: offset)
            while let l = lf, l + 1 < b.count, b[l + 1] == 0x20 || b[l + 1] == 0x09 {
                lf = data.firstIndex(of: 0x0a, from: l + 1)
            }
            let end: Int, next: Int
            if let l = lf {
                end = (l > offset && b[l - 1] == 0x0d) ? l - 1 : l
                next = l + 1
            } else {
                end = b.count
                next = b.count
                truncated = true
            }
            if end == offset { break } // the empty line
            addHeader(&packet, data, offset, end, parent: hdrNode, facts: &facts)
            offset = next
        }

        // Matching requests and responses (first pass state, as tshark's `sip_is_packet_resend`
        // and response time).
        let callHash = facts.callID.map { SIPDissector.bytesHash(b, $0) } ?? 0
        let methodHash = facts.cseqMethod.map { SIPDissector.bytesHash(b, $0) } ?? 0
        let key = SIPTransactionTable.Key(callID: callHash, cseq: facts.cseq, methodHash: methodHash)
        if facts.callID == nil {
            packet.addGenerated(hf.resend, .bool(false), parent: lineNode)
        } else {
            var srcHasher = Hasher()
            srcHasher.combine(packet.netSrc)
            srcHasher.combine(packet.srcPort)
            let m = SIPTransactionTable.MessageKey(key: key, status: statusCode,
                                                  srcPortHash: UInt64(bitPattern: Int64(srcHasher.finalize())))
            let original = transactions.firstFrame(of: m, frame: packet.frame.number)
            packet.addGenerated(hf.resend, .bool(original != nil), parent: lineNode)
            if let o = original { packet.addGenerated(hf.resendOriginal, .uint(UInt64(o)), parent: lineNode) }
            var matched: SIPTransaction? = nil
            if isRequest {
                if method == "ACK" {
                    matched = transactions.invite(callID: callHash, cseq: facts.cseq)
                } else {
                    transactions.noteRequest(key, SIPTransaction(requestFrame: packet.frame.number,
                                                                 requestTime: packet.frame.timestamp,
                                                                 methodHash: methodHash),
                                             isInvite: method == "INVITE")
                }
            } else {
                matched = transactions.request(key)
            }
            if let t = matched, t.requestFrame != packet.frame.number {
                packet.addGenerated(hf.responseRequest, .uint(UInt64(t.requestFrame)), parent: lineNode)
                let now = packet.frame.timestamp
                // tshark: whole seconds in ms plus the nanosecond difference in ms, truncated.
                let ms = (now.seconds - t.requestTime.seconds) * 1000
                    + Int64((Int(now.nanoseconds) - Int(t.requestTime.nanoseconds)) / 1_000_000)
                packet.addGenerated(hf.responseTime, .uint(UInt64(max(0, ms))), parent: lineNode)
            }
        }

        // Info: the CSeq method of a 2xx response, the bindings of a REGISTER.
        if !isRequest, statusCode >= 200 && statusCode < 300, let m = facts.cseqMethod {
            info.append(" (")
            info.append(try data.slice(m.lowerBound, m.count))
            info.append(")")
        }
        if let m = facts.cseqMethod, data.matches("REGISTER", at: m.lowerBound), m.count == 8 {
            if isRequest && facts.contacts == 0 {
                info.append("  (fetch bindings)")
            } else {
                info.append("  (")
                info.append(UInt64(facts.contacts))
                info.append(facts.contacts == 1 ? " binding)" : " bindings)")
            }
        }

        if truncated {
            // tshark names the method in the protocol line only once the headers are read.
            if full { packet.setLabel(top, "Session Initiation Protocol") }
            throw Malformed()
        }

        // Body.
        var total = headerEnd >= 0 ? headerEnd : data.count
        if headerEnd >= 0 {
            var bodyLength = data.count - headerEnd
            if let cl = facts.contentLength, cl < bodyLength { bodyLength = cl }
            if bodyLength > 0 {
                let body = try data.slice(headerEnd, bodyLength)
                let bodyNode = packet.add(hf.msgBody, data, headerEnd, bodyLength, .none, parent: top)
                dispatchBody(&packet, body, data, facts, parent: bodyNode.isNone ? top : bodyNode)
            }
            total = headerEnd + bodyLength
        }
        info.append(" | ")
        return .consumed(total)
    }

    /// The Content-Length of a header line ("Content-Length" or "l"), for TCP reassembly.
    func contentLengthValue(_ data: ByteView, _ start: Int, _ end: Int) -> Int? {
        let b = data.buffer
        guard let colon = data.firstIndex(of: 0x3a, from: start), colon < end else { return nil }
        var ne = colon
        while ne > start && (b[ne - 1] == 0x20 || b[ne - 1] == 0x09) { ne -= 1 }
        let h = Self.nameHash(UnsafeRawBufferPointer(rebasing: b[start..<ne]))
        guard headers[h]?.kind == .contentLength else { return nil }
        return Self.decimal(b, colon + 1, end)
    }

    static func decimal(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var i = start
        while i < end && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
        var v = 0
        var digits = 0
        while i < end, b[i] >= 0x30 && b[i] <= 0x39, digits < 10 {
            v = v * 10 + Int(b[i] - 0x30)
            digits += 1
            i += 1
        }
        while i < end && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
        return digits > 0 && i == end ? v : nil
    }

    static func bytesHash(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for i in r { h = (h ^ UInt64(b[i])) &* 0x100000001b3 }
        return h
    }

    /// Hands the body to the dissector of its Content-Type (`media_type`), SDP with the call's id.
    func dispatchBody(_ packet: inout PacketContext, _ body: ByteView, _ data: ByteView, _ facts: SIPMessageFacts,
                      parent: TreeNode) {
        let b = data.buffer
        var key = ""
        if let ct = facts.contentType {
            var e = ct.lowerBound
            while e < ct.upperBound && b[e] != 0x3b && b[e] != 0x20 && b[e] != 0x09 { e += 1 }
            key = String(decoding: UnsafeRawBufferPointer(rebasing: b[ct.lowerBound..<e]), as: UTF8.self).lowercased()
        }
        if key == "application/sdp", let h = sdp.handle, let s = h.dissector as? SDPDissector {
            s.context = SDPContext(callID: facts.callID.map {
                String(decoding: UnsafeRawBufferPointer(rebasing: b[$0]), as: UTF8.self)
            })
            packet.call(h, body, parent: parent)
            s.context = nil
            return
        }
        if !key.isEmpty, let h = mediaTypes.lookup(key) {
            packet.call(h, body, parent: parent)
            return
        }
        packet.callData(body, parent: parent)
    }
}
