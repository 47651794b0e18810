import DissectKit

/// How the message is carried: the protocol item and Protocol column it is shown under, and
/// what the transport allows.
struct HTTPCarrier {
    var proto: FieldID
    /// "HTTP" or "SSDP" (a literal: setting the column allocates nothing).
    var tag: String
    /// TCP can reassemble for us (tshark's `pinfo->can_desegment`).
    var canDesegment: Bool
    /// The bytes end before the reported end of the segment (snapshot length).
    var truncated: Bool
    var isTCP: Bool
    var isTLS: Bool
    /// "http" is already among the frame's protocols from an earlier message of this segment.
    var layered: Bool
}

/// What the headers of one message say about its body (tshark's `headers_t`).
struct HTTPBodyFraming {
    /// The media type, lower-cased, without parameters; and where its parameters start.
    var contentType: Range<Int>?
    var contentTypeParameters: Range<Int>?
    var contentLength: UInt64?
    var contentEncoding: Range<Int>?
    /// Transfer-Encoding seen (any value); `chunked` when it names chunked.
    var transferCoding = HTTPTransferCoding.none
    var chunked = false
    var host: Range<Int>?
}

/// tshark's `http_transfer_coding`: what a Transfer-Encoding header names besides chunked.
enum HTTPTransferCoding: UInt8 {
    case none, unknown, identity, compress, deflate, gzip
}

/// What the start line told about the message, for the lines after the headers.
struct HTTPStartLine {
    var type = HTTPMessageType.others
    var exchange = false
    var statusCode: UInt16 = 0
    var uri: Range<Int>?
    var method = HTTPMethodKind.other
    /// The method starts with "CONNECT" (its Request-URI is the full URI as is).
    var connect = false
}

extension HTTPDissector {
    // MARK: entry points

    /// One HTTP message from a TCP stream (or decrypted TLS): `.consumed` per message,
    /// `.needMore` while the headers or body continue in later segments.
    func dissectStream(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode)
        throws(Malformed) -> DissectResult
    {
        guard data.count > 0 else { return .consumed(0) }
        var carrier = streamCarrier(&packet, data)
        let key = FlowLookup(src: packet.netSrc, srcPort: UInt16(truncatingIfNeeded: packet.srcPort), dst: packet.netDst,
                             dstPort: UInt16(truncatingIfNeeded: packet.dstPort), proto: 6).key
        return try withConversation(&packet, key) { (packet: inout PacketContext, conv: inout HTTPConversation) throws(Malformed) in
            if conv.inTunnel { return tunnel(&packet, data, parent, &conv) }
            return try dissectMessage(&packet, data, parent, &conv, &carrier)
        }
    }

    /// tshark's `http_payload_subdissector`: after a CONNECT is answered with 200 the segments
    /// belong to the tunnelled protocol. An HTTP item names the target ("Proxy-Connect-Hostname",
    /// "-Port") and the payload goes to the `tcp.port` entry of the target port, with that port
    /// standing in for the proxy's on the side tshark takes for the server.
    private func tunnel(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                        _ conv: inout HTTPConversation) -> DissectResult
    {
        guard let target = conv.connectTarget, let colon = target.utf8.firstIndex(of: 0x3a) else {
            return .consumed(data.count)
        }
        if conv.tunnelServer == nil { conv.tunnelServer = (packet.netDst, packet.dstPort) }
        let port = Self.leadingNumber(target.utf8[target.utf8.index(after: colon)...])
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        if packet.wants(hf.proxyConnectHost) {
            packet.addGenerated(hf.proxyConnectHost, packet.text(String(target[..<colon])), parent: top)
        }
        packet.addGenerated(hf.proxyConnectPort, .uint(UInt64(port)), parent: top)

        let fromServer = conv.tunnelServer.map { $0.port == packet.srcPort && $0.address == packet.netSrc } ?? false
        let savedSrc = packet.srcPort, savedDst = packet.dstPort
        if fromServer { packet.srcPort = port } else { packet.dstPort = port }
        defer {
            packet.srcPort = savedSrc
            packet.dstPort = savedDst
        }
        // The lower port first, as TCP tries them; never back into HTTP itself (a tunnel to a
        // second proxy port).
        let low = min(packet.srcPort, packet.dstPort), high = max(packet.srcPort, packet.dstPort)
        if let h = tcpPortTable.lookup(low), h.protocolID != hf.proto {
            let r = packet.call(h, data, parent: parent)
            if r != .notMine { return r }
        }
        if high != low, let h = tcpPortTable.lookup(high), h.protocolID != hf.proto {
            let r = packet.call(h, data, parent: parent)
            if r != .notMine { return r }
        }
        packet.callData(data, parent: parent)
        return .consumed(data.count)
    }

    /// `strtol(s, NULL, 10)` on the port text of a CONNECT target (0 when it is no number).
    static func leadingNumber(_ s: Substring.UTF8View) -> UInt32 {
        var n: UInt32 = 0
        var started = false
        for c in s {
            if !started && (c == 0x20 || c == 0x09) { continue }
            guard c >= 0x30 && c <= 0x39 else { break }
            started = true
            n = n &* 10 &+ UInt32(c - 0x30)
        }
        return n
    }

    /// The `tcp` heuristic: claims a conversation whose first line starts or ends with
    /// "HTTP/1.1", then dissects its messages as the port entry does.
    func dissectHeuristically(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed)
        -> DissectResult
    {
        let key = FlowLookup(src: packet.netSrc, srcPort: UInt16(truncatingIfNeeded: packet.srcPort), dst: packet.netDst,
                             dstPort: UInt16(truncatingIfNeeded: packet.dstPort), proto: 6).key
        let ts = packet.frame.timestamp
        let now = ts.seconds &* 1_000_000_000 &+ Int64(ts.nanoseconds)
        claimed.expire(now: now)
        if claimed.lookup(key) == nil {
            guard let (length, _) = MailText.lineEnd(data, from: 0, to: data.count, desegment: true), length > 8,
                  MailText.equalsIgnoringCase(data, at: length - 8, "http/1.1")
                    || MailText.equalsIgnoringCase(data, at: 0, "http/1.1")
            else { return .notMine }
            claimed.insert(key, true, now: now)
        }
        // tshark's heuristic runs the whole segment through the message loop itself (TCP does
        // not call a heuristic dissector again for the rest).
        var offset = 0
        while offset < data.count {
            let r = try dissectStream(&packet, data.suffix(from: offset), parent)
            guard case .consumed(let k) = r, k > 0 else {
                return offset == 0 ? r : .consumed(data.count)
            }
            offset += k
        }
        return .consumed(data.count)
    }

    /// SSDP: one HTTP message per UDP datagram, no reassembly.
    func dissectDatagram(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed)
        -> DissectResult
    {
        guard data.count > 0 else { return .consumed(0) }
        let key = FlowLookup(src: packet.netSrc, srcPort: UInt16(truncatingIfNeeded: packet.srcPort), dst: packet.netDst,
                             dstPort: UInt16(truncatingIfNeeded: packet.dstPort), proto: 17).key
        var carrier = HTTPCarrier(proto: hf.ssdp, tag: "SSDP", canDesegment: false,
                                  truncated: data.source == 0 && packet.frame.capturedLength < packet.frame.originalLength,
                                  isTCP: false, isTLS: false, layered: false)
        _ = try withConversation(&packet, key) { (packet: inout PacketContext, conv: inout HTTPConversation) throws(Malformed) in
            try dissectMessage(&packet, data, parent, &conv, &carrier)
        }
        return .consumed(data.count)
    }

    /// Runs `body` on the conversation of `key` (created when new), writing the state back
    /// even when the message turns out malformed.
    private func withConversation(_ packet: inout PacketContext, _ key: FlowKey,
                                  _ body: (inout PacketContext, inout HTTPConversation) throws(Malformed) -> DissectResult)
        throws(Malformed) -> DissectResult
    {
        let ts = packet.frame.timestamp
        let now = ts.seconds &* 1_000_000_000 &+ Int64(ts.nanoseconds)
        sessions.expire(now: now)
        let slot = sessions.lookup(key) ?? sessions.insert(key, HTTPConversation(), now: now)
        sessions.touch(slot, now: now)
        var conv = sessions[slot]
        do {
            let r = try body(&packet, &conv)
            sessions[slot] = conv
            return r
        } catch {
            sessions[slot] = conv
            throw error
        }
    }

    private func streamCarrier(_ packet: inout PacketContext, _ data: ByteView) -> HTTPCarrier {
        let truncated = data.source == 0 && packet.frame.capturedLength < packet.frame.originalLength
        let canDesegment = tcpDesegment.boolValue(default: true) && !truncated && !packet.inErrorPacket
        if tlsProto == nil { tlsProto = packet.registry.lookup("tls") ?? .textOnly }
        let isTLS = tlsProto != .textOnly && packet.layers.contains(tlsProto!)
        // A second message of the same segment: TCP calls again with the rest, which ends where
        // the previous call's data ended.
        let end = data.sourceOffset + data.count
        let sameSegment = lastCall.frame == packet.frame.number && lastCall.source == data.source && lastCall.end == end
        let layered = sameSegment && lastCall.layered
        // tshark's `dissect_http_tcp` fences the Info column after each message of a segment,
        // so the next one appends its first line.
        if sameSegment { packet.info.setFence() }
        lastCall = HTTPCallMark(frame: packet.frame.number, source: data.source, end: end, layered: layered)
        return HTTPCarrier(proto: hf.proto, tag: "HTTP", canDesegment: canDesegment, truncated: truncated, isTCP: true,
                           isTLS: isTLS, layered: layered)
    }

    // MARK: one message

    /// tshark's `dissect_http_message`.
    func dissectMessage(_ packet: inout PacketContext, _ v: ByteView, _ parent: TreeNode,
                        _ conv: inout HTTPConversation, _ carrier: inout HTTPCarrier) throws(Malformed) -> DissectResult
    {
        let haveSeen = conv.hasExchange
        var offset = 0
        // RFC 9112 §2.2: an empty line where a start line is expected is ignored.
        let leadingCRLF = v.count > 3 && v[unchecked: 0] == MailText.cr && v[unchecked: 1] == MailText.lf
        if leadingCRLF { offset = 2 }
        let start = offset

        // Binary data cannot start a message: in a conversation already seen as HTTP it is body
        // data of a message we could not follow.
        let first = v[unchecked: start]
        if first < 0x20 || first > 0x7e {
            if haveSeen {
                packet.protocolColumn = carrier.tag
                packet.info.clear()
                packet.info.append("Continuation")
                let top = addTop(&packet, v, start, parent, &carrier)
                packet.callData(v, parent: top)
            }
            return .consumed(v.count)
        }

        let firstLine = MailText.lineEnd(v, from: start, to: v.count, desegment: true)
        if firstLine == nil,
           let need = pendingLength(v, from: start, body: desegmentBody.boolValue, untilFIN: false,
                                    canDesegment: carrier.canDesegment)
        {
            return need
        }
        var firstType: HTTPMessageType?
        if let (length, _) = firstLine { firstType = Self.messageType(v, start, length) }
        if let type = firstType, let (length, _) = firstLine {
            packet.info.clear()
            packet.info.appendFormatted(v, start, length, asciiOnly: false)
            packet.info.append(" ")
            var body = desegmentBody.boolValue && !packet.endOfStream
            if body, type == .response {
                // RFC 9110 §6.4.1: no body after HEAD, a 2xx to CONNECT, 1xx, 204 or 304.
                let code = Self.statusCode(v, start, length)
                if conv.lastMethod == .head || (code / 100 == 2 && conv.lastMethod == .connect) || code / 100 == 1
                    || code == 204 || code == 304
                {
                    body = false
                }
            }
            if let need = pendingLength(v, from: start, body: body, untilFIN: type == .response,
                                        canDesegment: carrier.canDesegment)
            {
                return need
            }
        } else if haveSeen {
            packet.info.clear()
            packet.info.append("Continuation")
        }

        var top = TreeNode.none
        var topMade = false
        var topStart = 0
        if firstType != nil || haveSeen {
            packet.protocolColumn = carrier.tag
            top = addTop(&packet, v, start, parent, &carrier)
            topMade = true
            topStart = start
            if leadingCRLF { addExpertItem(&packet, hf.eiLeadingCRLF, v, 0, 2, parent: top) }
        }

        // The headers, a line at a time.
        var line = HTTPStartLine()
        var framing = HTTPBodyFraming()
        var sawStartOrHeader = false
        var firstLoop = true
        while offset < v.count {
            let (length, next) = MailText.lineEnd(v, from: offset)
            let type = Self.messageType(v, offset, length)
            var colon = -1
            if type == nil && length > 0 {
                if let c = MailText.find(v, 0x3a, from: offset, to: offset + length),
                   sawStartOrHeader || Self.validHeaderName(v, offset, c - offset)
                {
                    colon = c
                } else {
                    // An unterminated line after the start line is a header cut short.
                    if sawStartOrHeader { try v.check(offset, length + 1) }
                    break
                }
            }
            if !topMade {
                top = addTop(&packet, v, 0, parent, &carrier)
                topMade = true
                topStart = 0
                if leadingCRLF { addExpertItem(&packet, hf.eiLeadingCRLF, v, 0, 2, parent: top) }
            }
            if firstLoop && !carrier.isTLS && carrier.isTCP && (packet.srcPort == 443 || packet.dstPort == 443) {
                packet.addExpert(hf.eiTLSPort, parent: top)
            }
            firstLoop = false
            if length == 0 {
                packet.addFormatText(v, offset, next - offset, parent: top)
                offset = next
                break
            }
            sawStartOrHeader = true
            if let type {
                startLine(&packet, v, offset, length, next, type, top, &conv, &line)
            } else {
                header(&packet, v, offset, length, next, colon, line.type, top, &framing)
            }
            offset = next
        }
        guard topMade else { return .consumed(v.count) }

        generatedLines(&packet, v, top, &conv, line, framing)

        offset = try body(&packet, v, offset, parent, top, topStart, line, framing, carrier)

        // tshark goes on with the next message where the captured bytes end, and the read past
        // them marks the frame as cut by the snapshot length.
        if carrier.truncated && offset >= v.count { throw Malformed() }
        return .consumed(offset)
    }

    /// The protocol item from `offset` to the end of the data (tshark sets it to the rest of the
    /// segment; a body subdissector later shortens it to the headers).
    private func addTop(_ packet: inout PacketContext, _ v: ByteView, _ offset: Int, _ parent: TreeNode,
                        _ carrier: inout HTTPCarrier) -> TreeNode
    {
        let node: TreeNode
        if carrier.layered {
            node = packet.add(carrier.proto, v, offset, v.count - offset, .none, parent: parent)
        } else {
            node = packet.addProtocol(carrier.proto, v, offset, v.count - offset, parent: parent)
            carrier.layered = true
            if carrier.isTCP { lastCall.layered = true }
        }
        return node
    }

    /// tshark's `proto_tree_add_expert`: a line with the expert's summary and the expert under it.
    func addExpertItem(_ packet: inout PacketContext, _ expert: FieldID, _ v: ByteView, _ offset: Int, _ length: Int,
                       parent: TreeNode) {
        let summary = packet.registry.expert(expert)?.summary ?? ""
        let node = packet.addText(summary, v, offset, length, parent: parent)
        packet.addExpert(expert, parent: node.isNone ? parent : node, v, offset, length)
    }

    /// RFC 9110 §5.1 token characters (tshark's `valid_header_name`).
    static func validHeaderName(_ v: ByteView, _ offset: Int, _ length: Int) -> Bool {
        guard length > 0 else { return false }
        for i in offset..<(offset + length) {
            let c = v[unchecked: i]
            if MailText.isAlpha(c) || MailText.isDigit(c) { continue }
            switch c {
            case 0x21, 0x23, 0x24, 0x25, 0x26, 0x5c, 0x3a, 0x2a, 0x2b, 0x2d, 0x2e, 0x5e, 0x5f, 0x60, 0x7c, 0x7e:
                continue
            default:
                return false
            }
        }
        return true
    }

    /// The status code of a response start line (first three characters of its second token,
    /// as `strtoul` reads them), or 0.
    static func statusCode(_ v: ByteView, _ offset: Int, _ length: Int) -> UInt16 {
        let end = offset + length
        let version = MailText.token(v, from: offset, length: length)
        guard version.length > 0 else { return 0 }
        var i = offset + version.length
        while i < end, v[unchecked: i] == 0x20 { i += 1 }
        let code = MailText.token(v, from: i, length: end - i)
        guard code.length >= 3 else { return 0 }
        return UInt16(MailText.decimal(v, from: i, to: i + 3))
    }

    // MARK: start line

    private func startLine(_ packet: inout PacketContext, _ v: ByteView, _ offset: Int, _ length: Int, _ next: Int,
                           _ type: HTTPMessageType, _ top: TreeNode, _ conv: inout HTTPConversation,
                           _ line: inout HTTPStartLine)
    {
        line.type = type
        let node = packet.addText(MailLabel.textLabel(MailLabel.formatText(v, offset, next - offset, asciiOnly: false)),
                                  v, offset, next - offset, parent: top)
        packet.addExpert(hf.eiChat, parent: node.isNone ? top : node,
                         message: MailLabel.cut(MailLabel.formatText(v, offset, next - offset, asciiOnly: false),
                                                to: MailLabel.itemLabelLength - 1))
        switch type {
        case .request:
            conv.pushRequest(frame: packet.frame.number, time: packet.frame.timestamp)
            line.exchange = true
            requestLine(&packet, v, offset, length, node, &conv, &line)
        case .response:
            conv.pushResponse(frame: packet.frame.number)
            line.exchange = true
            responseLine(&packet, v, offset, length, node, &conv, &line)
        case .notification:
            requestLine(&packet, v, offset, length, node, &conv, &line)
        case .others:
            break
        }
    }

    /// tshark's `get_token_len`: a token ends at a space (or CR/LF); the next one starts after
    /// the spaces that follow.
    @inline(__always)
    private func token(_ v: ByteView, _ from: Int, _ end: Int) -> (length: Int, next: Int) {
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

    /// tshark's `basic_request_dissector`: method, Request-URI (with path and query), version.
    private func requestLine(_ packet: inout PacketContext, _ v: ByteView, _ offset: Int, _ length: Int,
                             _ node: TreeNode, _ conv: inout HTTPConversation, _ line: inout HTTPStartLine)
    {
        let end = offset + length
        let method = token(v, offset, end)
        guard method.length > 0 else { return }
        addASCII(&packet, hf.requestMethod, v, offset, method.length, parent: node)
        // The method as tshark keeps it (after an "M-" prefix) decides how the response is read.
        var m = offset
        var mLength = method.length
        if mLength >= 2, v.matches("M-", at: m) {
            m += 2
            mLength -= 2
        }
        line.method = mLength == 4 && v.matches("HEAD", at: m) ? .head
            : mLength == 7 && v.matches("CONNECT", at: m) ? .connect : .other
        line.connect = mLength >= 7 && MailText.equalsIgnoringCase(v, at: m, "connect")
        if line.type == .request {
            conv.lastMethod = line.method
            conv.tail.method = line.method
        }

        // Two spaces after the method stand for an empty Request-URI.
        var uriStart = method.next
        if uriStart - offset > 2 && v[unchecked: uriStart - 1] == 0x20 && v[unchecked: uriStart - 2] == 0x20 {
            uriStart -= 1
        }
        let uri = token(v, uriStart, end)
        line.uri = uriStart..<(uriStart + uri.length)
        if line.type == .request && line.method == .connect {
            conv.connectTarget = Self.asciiString(v, uriStart, uri.length)
        }
        let uriNode = addASCII(&packet, hf.requestURI, v, uriStart, uri.length, parent: node)
        uriComponents(&packet, v, uriStart, uri.length, uriNode)
        addASCII(&packet, hf.requestVersion, v, uri.next, end - uri.next, parent: node)
    }

    /// tshark's `http_add_path_components_to_tree`: path, query and its '&'-separated
    /// parameters, when the Request-URI has a non-empty query.
    private func uriComponents(_ packet: inout PacketContext, _ v: ByteView, _ offset: Int, _ length: Int,
                               _ parent: TreeNode)
    {
        let end = offset + length
        guard let q = MailText.find(v, 0x3f, from: offset, to: end), q + 1 < end else { return }
        guard packet.wants(hf.requestPath) || packet.wants(hf.requestQuery) || packet.wants(hf.requestQueryParameter)
        else { return }
        addASCII(&packet, hf.requestPath, v, offset, q - offset, parent: parent)
        let query = addASCII(&packet, hf.requestQuery, v, q + 1, end - q - 1, parent: parent)
        var p = q + 1
        while p < end {
            let amp = MailText.find(v, 0x26, from: p, to: end) ?? end
            if amp > p { addASCII(&packet, hf.requestQueryParameter, v, p, amp - p, parent: query) }
            p = amp + 1
        }
    }

    /// tshark's `basic_response_dissector`: version, status code (with its description) and
    /// reason phrase.
    private func responseLine(_ packet: inout PacketContext, _ v: ByteView, _ offset: Int, _ length: Int,
                              _ node: TreeNode, _ conv: inout HTTPConversation, _ line: inout HTTPStartLine)
    {
        let end = offset + length
        let version = token(v, offset, end)
        guard version.length > 0 else { return }
        addASCII(&packet, hf.responseVersion, v, offset, version.length, parent: node)
        let codeStart = version.next
        let code = token(v, codeStart, end)
        guard code.length >= 3 else { return }
        let value = UInt16(MailText.decimal(v, from: codeStart, to: codeStart + 3))
        line.statusCode = value
        conv.tail.responseCode = value
        packet.add(hf.responseCode, v, codeStart, 3, .uint(UInt64(value)), parent: node)
        if packet.wants(hf.responseCodeDesc) {
            let desc = Self.statusCodes[value].map { "\($0)" } ?? "Unknown (\(value))"
            packet.addGenerated(hf.responseCodeDesc, packet.text(desc), parent: node, at: v, codeStart, 3)
        }
        if end - code.next >= 1 { addASCII(&packet, hf.responsePhrase, v, code.next, end - code.next, parent: node) }
    }

    // MARK: lines after the headers

    /// The full URI, the hidden request/response flags, the exchange numbers and the links to
    /// the other messages of the conversation.
    private func generatedLines(_ packet: inout PacketContext, _ v: ByteView, _ top: TreeNode,
                                _ conv: inout HTTPConversation, _ line: HTTPStartLine, _ framing: HTTPBodyFraming)
    {
        let keepURI = packet.wants(hf.responseForURI)
        let isRequestLine = line.type == .request || line.type == .notification
        if isRequestLine && keepURI { conv.lastURI = nil }
        if let uri = line.uri {
            var full: String?
            if let host = framing.host, packet.wants(hf.fullURI) || keepURI {
                let u = MailLabel.formatText(v, uri.lowerBound, uri.count, asciiOnly: true)
                if MailText.equalsIgnoringCase(v, at: uri.lowerBound, "http://")
                    || MailText.equalsIgnoringCase(v, at: uri.lowerBound, "https://") || line.connect
                {
                    full = u
                } else {
                    var h = host
                    while h.count > 0, MailText.isSpace(v[unchecked: h.lowerBound]) { h = (h.lowerBound + 1)..<h.upperBound }
                    while h.count > 0, MailText.isSpace(v[unchecked: h.upperBound - 1]) { h = h.lowerBound..<(h.upperBound - 1) }
                    // The host is taken as sent (UTF-8 kept), the Request-URI as ASCII.
                    let scheme = lastCallIsTLS(packet) ? "https://" : "http://"
                    full = scheme + String(decoding: v.buffer[h], as: UTF8.self) + u
                }
                if let full {
                    let n = packet.addGenerated(hf.fullURI, packet.text(full), parent: top)
                    if packet.buildsFullTree, !n.isNone, full.utf8.count + 18 >= MailLabel.itemLabelLength {
                        packet.setLabel(n, MailLabel.fieldLabel(name: "Full request URI", value: full))
                    }
                }
            }
            if isRequestLine && keepURI {
                conv.lastURI = full ?? MailLabel.formatText(v, uri.lowerBound, uri.count, asciiOnly: true)
            }
        }
        switch line.type {
        case .notification:
            packet.addGenerated(hf.notification, .uint(1), parent: top, hidden: true)
        case .response:
            packet.addGenerated(hf.response, .uint(1), parent: top, hidden: true)
            guard line.exchange else { break }
            let t = conv.tail
            let n = packet.addGenerated(hf.responseNumber, .uint(UInt64(t.number)), parent: top)
            if packet.buildsFullTree { packet.setLabel(n, "HTTP response \(t.number)/\(conv.count)") }
            if t.requestFrame != 0 {
                packet.addGenerated(hf.time, .relativeTime(packet.frame.timestamp - t.requestTime), parent: top)
            }
            if conv.previous.requestFrame != 0 {
                packet.addGenerated(hf.prevRequestIn, .uint(UInt64(conv.previous.requestFrame)), parent: top)
            }
            if conv.previous.responseFrame != 0 {
                packet.addGenerated(hf.prevResponseIn, .uint(UInt64(conv.previous.responseFrame)), parent: top)
            }
            if t.requestFrame != 0 {
                packet.addGenerated(hf.requestIn, .uint(UInt64(t.requestFrame)), parent: top)
            }
            if let uri = conv.lastURI {
                let n = packet.addGenerated(hf.responseForURI, packet.text(uri), parent: top)
                if packet.buildsFullTree, !n.isNone, uri.utf8.count + 13 >= MailLabel.itemLabelLength {
                    packet.setLabel(n, MailLabel.fieldLabel(name: "Request URI", value: uri))
                }
            }
        case .request:
            packet.addGenerated(hf.request, .uint(1), parent: top, hidden: true)
            guard line.exchange else { break }
            let t = conv.tail
            let n = packet.addGenerated(hf.requestNumber, .uint(UInt64(t.number)), parent: top)
            if packet.buildsFullTree { packet.setLabel(n, "HTTP request \(t.number)/\(conv.count)") }
            if conv.previous.requestFrame != 0 {
                packet.addGenerated(hf.prevRequestIn, .uint(UInt64(conv.previous.requestFrame)), parent: top)
            }
        case .others:
            break
        }
    }

    private func lastCallIsTLS(_ packet: PacketContext) -> Bool {
        guard let tls = tlsProto, tls != .textOnly else { return false }
        return packet.layers.contains(tls)
    }

    // MARK: strings

    /// Adds an `ENC_ASCII` string field: the bytes as they are, or (with bytes ≥ 0x80) a
    /// computed value with U+FFFD for them, and tshark's label cut at 240 bytes (or, with
    /// `lineLabel`, the text of that line as the label).
    @discardableResult
    func addASCII(_ packet: inout PacketContext, _ field: FieldID, _ v: ByteView, _ offset: Int, _ length: Int,
                  parent: TreeNode, lineLabel: Range<Int>? = nil, flags: RecordFlags = []) -> TreeNode
    {
        guard packet.wants(field) else { return .none }
        let len = max(0, min(length, v.count - offset))
        var ascii = true
        var i = offset
        while i < offset + len {
            if v[unchecked: i] >= 0x80 { ascii = false; break }
            i += 1
        }
        let value: FieldValue = ascii ? .string : packet.text(Self.asciiString(v, offset, len))
        let node = packet.add(field, v, offset, len, value, parent: parent, flags: flags)
        guard packet.buildsFullTree, !node.isNone else { return node }
        if let line = lineLabel {
            // tshark labels header fields with the whole line as sent.
            packet.setLabel(node, MailLabel.textLabel(MailLabel.formatText(v, line.lowerBound, line.count, asciiOnly: false)))
        } else {
            let name = packet.registry[field].name
            // Only labels the generic formatter would get wrong: long or non-ASCII values.
            if !ascii || name.utf8.count + 2 + len * 4 >= MailLabel.itemLabelLength {
                packet.setLabel(node, MailLabel.fieldLabel(name: name,
                                                           value: MailLabel.formatText(v, offset, len, asciiOnly: true)))
            }
        }
        return node
    }

    /// The bytes read as `ENC_ASCII`: bytes ≥ 0x80 become U+FFFD.
    static func asciiString(_ v: ByteView, _ offset: Int, _ length: Int) -> String {
        var s = ""
        s.unicodeScalars.reserveCapacity(length)
        for i in offset..<(offset + length) {
            let c = v[unchecked: i]
            s.unicodeScalars.append(c < 0x80 ? Unicode.Scalar(c) : "\u{FFFD}")
        }
        return s
    }
}
