import DissectKit

extension HTTPDissector {
    /// tshark's `process_header`: one header line. Known headers get their field (labelled with
    /// the whole line as sent) plus a hidden `http.request.line`/`http.response.line`; others are
    /// shown as such a line. Headers that frame the body are remembered in `framing`.
    func header(_ packet: inout PacketContext, _ v: ByteView, _ offset: Int, _ length: Int, _ next: Int,
                _ colon: Int, _ type: HTTPMessageType, _ top: TreeNode, _ framing: inout HTTPBodyFraming)
    {
        let total = next - offset
        let lineEnd = offset + length
        let lineField = type == .request ? hf.requestLine : type == .response ? hf.responseLine : hf.unknownHeader
        let label = offset..<next

        guard Self.validHeaderName(v, offset, colon - offset) else {
            let node = addASCII(&packet, lineField, v, offset, total, parent: top, lineLabel: label)
            packet.addExpert(hf.eiBadHeaderName, parent: node.isNone ? top : node)
            return
        }
        var valueStart = colon + 1
        while valueStart < lineEnd, v[unchecked: valueStart] == 0x20 || v[unchecked: valueStart] == 0x09 {
            valueStart += 1
        }
        let valueLength = lineEnd - valueStart

        guard let h = Self.header(v, offset, colon - offset) else {
            if type == .request || type == .response {
                addASCII(&packet, lineField, v, offset, total, parent: top, lineLabel: label)
            } else if packet.wants(hf.unknownHeader) {
                // Outside a request or response the value is the formatted line itself.
                let text = MailLabel.formatText(v, offset, total, asciiOnly: false)
                let node = packet.add(hf.unknownHeader, v, offset, total, packet.text(text), parent: top)
                if packet.buildsFullTree { packet.setLabel(node, MailLabel.textLabel(text)) }
            }
            return
        }
        let node = addASCII(&packet, field(for: h), v, valueStart, valueLength, parent: top, lineLabel: label)
        if type == .request || type == .response {
            addASCII(&packet, lineField, v, offset, total, parent: top, flags: .hidden)
        }

        switch h {
        case .authorization, .proxyAuthorization:
            // RFC 7617 Basic credentials are shown decoded (tshark's `check_auth_basic`).
            if valueLength > 6, v.matches("Basic ", at: valueStart), packet.wants(hf.authBasic) {
                let decoded = Self.base64(v, from: valueStart + 6, to: lineEnd)
                let text = String(decoding: decoded.prefix { $0 != 0 }, as: UTF8.self)
                packet.add(hf.authBasic, v, 0, 0, packet.text(text), parent: node)
            }
        case .contentType:
            var i = valueStart
            while i < lineEnd, v[unchecked: i] != 0x3b, !MailText.isSpace(v[unchecked: i]) { i += 1 }
            framing.contentType = valueStart..<i
            i += 1
            while i < lineEnd, v[unchecked: i] == 0x3b || MailText.isSpace(v[unchecked: i]) { i += 1 }
            framing.contentTypeParameters = i < lineEnd ? i..<lineEnd : nil
        case .contentLength:
            if let n = HTTPNumber.contentLength(v, from: valueStart, to: lineEnd) {
                framing.contentLength = n
                packet.addGenerated(hf.contentLength, .uint(n), parent: node, at: v, offset, total)
                if framing.transferCoding != .none { packet.addExpert(hf.eiChunkedAndLength, parent: node) }
            } else {
                framing.contentLength = nil
            }
        case .contentEncoding:
            framing.contentEncoding = valueStart..<lineEnd
        case .transferEncoding:
            if framing.contentLength != nil { packet.addExpert(hf.eiChunkedAndLength, parent: node) }
            if !Self.parseTransferCoding(v, valueStart, lineEnd, &framing) {
                packet.addExpert(hf.eiTransferCodingUnknown, parent: node)
            }
        case .host:
            framing.host = valueStart..<lineEnd
        case .cookie:
            guard packet.wants(hf.cookiePair) else { break }
            var f = valueStart
            while f < lineEnd {
                while f < lineEnd, v[unchecked: f] == 0x3b || MailText.isSpace(v[unchecked: f]) { f += 1 }
                guard f < lineEnd else { break }
                let end = MailText.find(v, 0x3b, from: f, to: lineEnd) ?? lineEnd
                addASCII(&packet, hf.cookiePair, v, f, end - f, parent: node)
                f = end
            }
        default:
            break
        }
    }

    /// tshark's `http_parse_transfer_coding`: "chunked" plus at most one other coding; false
    /// when a name is not understood.
    static func parseTransferCoding(_ v: ByteView, _ from: Int, _ to: Int, _ framing: inout HTTPBodyFraming) -> Bool {
        framing.transferCoding = .unknown
        var understood = true
        var i = from
        @inline(__always) func has(_ s: StaticString) -> Bool {
            i + s.utf8CodeUnitCount <= to && v.matches(s, at: i)
        }
        while i < to {
            while i < to, v[unchecked: i] == 0x20 || v[unchecked: i] == 0x09 || v[unchecked: i] == 0x2c { i += 1 }
            guard i < to else { break }
            if has("chunked") {
                framing.chunked = true
                i += 7
                continue
            }
            guard framing.transferCoding == .unknown else { return false }
            if has("compress") {
                framing.transferCoding = .compress; i += 8
            } else if has("deflate") {
                framing.transferCoding = .deflate; i += 7
            } else if has("gzip") {
                framing.transferCoding = .gzip; i += 4
            } else if has("identity") {
                framing.transferCoding = .identity; i += 8
            } else if has("x-compress") {
                framing.transferCoding = .compress; i += 10
            } else if has("x-gzip") {
                framing.transferCoding = .gzip; i += 6
            } else {
                // An unknown name: skip to the next one.
                understood = false
                guard let comma = MailText.find(v, 0x2c, from: i, to: to) else { break }
                i = comma
            }
        }
        return understood
    }

    /// GLib's `g_base64_decode`: characters outside the alphabet are skipped, '=' ends a group.
    static func base64(_ v: ByteView, from: Int, to: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity((to - from) * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for i in from..<to {
            let c = v[unchecked: i]
            let d: UInt32
            switch c {
            case 0x41...0x5a: d = UInt32(c - 0x41)
            case 0x61...0x7a: d = UInt32(c - 0x61 + 26)
            case 0x30...0x39: d = UInt32(c - 0x30 + 52)
            case 0x2b: d = 62
            case 0x2f: d = 63
            case 0x3d:
                acc = 0
                bits = 0
                continue
            default: continue
            }
            acc = acc << 6 | d
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }
}
