import DissectKit

/// The HelloRetryRequest's special ServerHello.random (RFC 8446 §4.1.3: SHA-256 of
/// "HelloRetryRequest").
private let helloRetryRandom: [UInt8] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]

extension TLSDissector {
    // MARK: handshake records (tshark's `dissect_tls_handshake`)

    /// Dissects the handshake messages of one record, continuing a message begun in an earlier
    /// record of this direction and starting one that a later record completes.
    func handshakeRecord(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ length: Int,
                         _ rec: TreeNode, _ version: UInt16, _ s: inout TLSSession,
                         _ ctx: inout TLSRecordContext) throws(Malformed) {
        var offset = start
        let end = start + length
        var first = true
        let fromServer = ctx.fromServer

        // 1. A message continued from earlier records.
        if let frags = s[fromServer: fromServer].fragments {
            var take = end - offset
            if let total = frags.messageLength {
                take = min(take, total - frags.bytes.count)
            } else {
                let needHeader = 4 - frags.bytes.count
                if take >= needHeader {
                    var hdr = frags.bytes
                    for i in 0..<needHeader { hdr.append(data[unchecked: offset + i]) }
                    let total = 4 + (Int(hdr[1]) << 16 | Int(hdr[2]) << 8 | Int(hdr[3]))
                    take = min(take, total - frags.bytes.count)
                }
            }
            frags.parts.append(ReassembledPart(frame: packet.frame.number, offset: frags.bytes.count, length: take))
            frags.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: data.buffer[offset..<(offset + take)]))
            if let total = frags.messageLength, frags.bytes.count >= total {
                s[fromServer: fromServer].fragments = nil
                let hs = packet.add(hf.handshake, data, offset, take, .none, parent: rec)
                if packet.buildsFullTree {
                    let name = TLSNames.handshakeTypes[UInt64(frags.messageType)] ?? "Encrypted Handshake Message"
                    packet.setLabel(hs, "Handshake Protocol: \(name) (last fragment)")
                }
                offset += take
                let whole = packet.addDataSource("Reassembled TLS Handshake", frags.bytes)
                fragmentTree(&packet, frags, whole, rec)
                try handshakeMessage(&packet, whole, 0, rec, version, first: true, &s, ctx)
                first = false
            } else {
                if frags.bytes.count > TLSHandshakeFragments.maxMessage { s[fromServer: fromServer].fragments = nil }
                showDetails(&packet, rec, version, frags.messageType, encrypted: false, first: false, complete: false,
                            data, offset, end - offset)
                return
            }
        } else if isEncryptedHandshake(packet, data, offset, end, s, fromServer) {
            // 3. Not a continuation: encrypted (after ChangeCipherSpec, or it does not parse).
            showDetails(&packet, rec, version, 0, encrypted: true, first: true, complete: true, data, offset, length)
            return
        }

        // 4. Whole messages, then perhaps the start of one a later record completes.
        while offset < end {
            let avail = end - offset
            var msgLen = 0
            if avail >= 4 { msgLen = 4 + Int(try data.u24(offset + 1)) }
            if msgLen == 0 || avail < msgLen {
                let type = data[unchecked: offset]
                let frags = TLSHandshakeFragments(messageType: type)
                frags.parts.append(ReassembledPart(frame: packet.frame.number, offset: 0, length: avail))
                frags.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: data.buffer[offset..<end]))
                s[fromServer: fromServer].fragments = frags
                showDetails(&packet, rec, version, type, encrypted: false, first: first, complete: false,
                            data, offset, avail)
                break
            }
            try handshakeMessage(&packet, data, offset, rec, version, first: first, &s, ctx)
            offset += msgLen
            first = false
        }
    }

    /// tshark's `is_encrypted_handshake_message`.
    private func isEncryptedHandshake(_ packet: PacketContext, _ data: ByteView, _ offset: Int, _ end: Int,
                                      _ s: TLSSession, _ fromServer: Bool) -> Bool {
        guard end - offset >= 16 else { return false }
        // An explicit GCM/CCM nonce of zeros (two HelloRequests in a row would look the same).
        var zeros = true
        for i in 0..<5 where data[unchecked: offset + i] != 0 { zeros = false }
        if zeros { return true }
        let ccs = s[fromServer: fromServer].ccsFrame
        if ccs != 0 && packet.frame.number > ccs { return true }
        let type = data[unchecked: offset]
        if TLSNames.handshakeTypes[UInt64(type)] == nil { return true }
        let len = Int(data[unchecked: offset + 1]) << 16 | Int(data[unchecked: offset + 2]) << 8
            | Int(data[unchecked: offset + 3])
        return len >= 0x10000
    }

    /// tshark's `tls_show_handshake_details`: Info text, record line and the "Handshake
    /// Protocol" item of a message that is shown without its body.
    @discardableResult
    func showDetails(_ packet: inout PacketContext, _ rec: TreeNode, _ version: UInt16, _ type: UInt8,
                     encrypted: Bool, first: Bool, complete: Bool, _ data: ByteView, _ offset: Int,
                     _ length: Int, name: String? = nil) -> TreeNode {
        let typeName = encrypted ? nil : (name ?? TLSNames.handshakeTypes[UInt64(type)])
        if complete {
            packet.info.appendSeparated(", ")
            if let t = typeName { packet.info.append(t) } else { packet.info.append("Encrypted Handshake Message") }
        } else if first {
            packet.info.appendSeparated(", ")
            packet.info.append("[")
            if let t = typeName { packet.info.append(t) } else { packet.info.append("Encrypted Handshake Message") }
            packet.info.append(" Fragment]")
        }
        let hs = packet.add(hf.handshake, data, offset, length, .none, parent: rec)
        if packet.buildsFullTree {
            let t = typeName ?? "Encrypted Handshake Message"
            let fragment = !complete && !encrypted ? " (fragment)" : ""
            packet.setLabel(rec, "\(Self.shortName(version)) Record Layer: Handshake Protocol: \(first ? t : "Multiple Handshake Messages")\(first ? fragment : "")")
            packet.setLabel(hs, "Handshake Protocol: \(t)\(fragment)")
        }
        return hs
    }

    private func fragmentTree(_ packet: inout PacketContext, _ frags: TLSHandshakeFragments, _ whole: ByteView,
                              _ rec: TreeNode) {
        let top = packet.addGenerated(hf.hsFragments, .none, parent: rec, at: whole, 0, whole.count)
        if packet.buildsFullTree {
            var text = "\(frags.parts.count) Reassembled Handshake Fragments (\(whole.count) bytes): "
            text += frags.parts.map { "#\($0.frame)(\($0.length))" }.joined(separator: ", ")
            packet.setLabel(top, text)
        }
        for p in frags.parts {
            let n = packet.addGenerated(hf.hsFragment, .uint(UInt64(p.frame)), parent: top, at: whole, p.offset, p.length)
            if packet.buildsFullTree {
                packet.setLabel(n, "Frame: \(p.frame), payload: \(p.offset)-\(p.offset + p.length - 1) (\(p.length) bytes)")
            }
        }
        packet.addGenerated(hf.hsFragmentCount, .uint(UInt64(frags.parts.count)), parent: top)
    }

    // MARK: one handshake message (tshark's `dissect_tls_handshake_full`)

    func handshakeMessage(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ rec: TreeNode,
                          _ version: UInt16, first: Bool, _ s: inout TLSSession,
                          _ ctx: TLSRecordContext) throws(Malformed) {
        let type = data[unchecked: offset]
        let length = Int(try data.u24(offset + 1))
        var typeName = TLSNames.handshakeTypes[UInt64(type)]
        if typeName == nil && !first { return }
        var isHRR = false
        if first && type == 2 && length > 2 {
            let (serverVersion, hrr) = scanServerHello(data, offset + 4, offset + 4 + length)
            isHRR = hrr
            let v = TLSVersionName.negotiated(serverVersion)
            if v != 0 { s.version = v }
            if hrr { typeName = "Hello Retry Request" }
        }
        let hs = showDetails(&packet, rec, version, isHRR ? 6 : type, encrypted: false, first: first, complete: true,
                             data, offset, length + 4, name: typeName)
        guard typeName != nil else { return }
        packet.add(hf.handshakeType, data, offset, 1, .uint(UInt64(type)), parent: hs)
        packet.add(hf.handshakeLength, data, offset + 1, 3, .uint(UInt64(length)), parent: hs)
        let body = try data.slice(offset + 4, length)
        var p = TLSBodyParser(dissector: self, data: body)
        switch type {
        case 1:
            // The ClientHello is sent to the server (tshark's `ssl_set_server`).
            s.serverSide = ctx.side ^ 1
            try clientHello(&packet, &p, hs, &s)
        case 2:
            s.serverSide = ctx.side
            try serverHello(&packet, &p, hs, &s, hrr: isHRR)
        case 4:
            try newSessionTicket(&packet, &p, hs, s)
        case 8:
            try extensions(&packet, &p, hs, &s, message: 8)
        case 11:
            try certificate(&packet, &p, hs, s)
        case 12:
            try serverKeyExchange(&packet, &p, hs, s)
        case 13:
            try certificateRequest(&packet, &p, hs, s)
        case 15:
            try certificateVerify(&packet, &p, hs, s)
        case 16:
            try clientKeyExchange(&packet, &p, hs, s)
        case 20:
            packet.add(hf.verifyData, body, 0, length, .none, parent: hs)
        case 22:
            if length >= 4 {
                packet.add(hf.certStatusType, body, 0, 1, .uint(UInt64(body[unchecked: 0])), parent: hs)
                packet.add(hf.ocspResponseLength, body, 1, 3, .uint(UInt64(try body.u24(1))), parent: hs)
            }
        case 24:
            if length >= 1 {
                packet.add(hf.keyUpdateRequest, body, 0, 1, .uint(UInt64(body[unchecked: 0])), parent: hs)
            }
        default:
            break
        }
    }

    /// tshark's `tls_scan_server_hello`: the negotiated version (supported_versions wins) and
    /// whether the random marks a HelloRetryRequest.
    private func scanServerHello(_ d: ByteView, _ start: Int, _ end: Int) -> (UInt16, Bool) {
        guard end - start >= 2 + 32, d.has(start, 34) else { return (0, false) }
        var version = UInt16(d[unchecked: start]) << 8 | UInt16(d[unchecked: start + 1])
        var hrr = true
        for i in 0..<32 where d[unchecked: start + 2 + i] != helloRetryRandom[i] { hrr = false; break }
        var o = start + 34
        guard o < end, d.has(o, 1) else { return (version, hrr) }
        o += 1 + Int(d[unchecked: o])          // session id
        o += 3                                 // cipher suite, compression
        guard o + 2 <= end, d.has(o, 2) else { return (version, hrr) }
        let extEnd = min(end, o + 2 + (Int(d[unchecked: o]) << 8 | Int(d[unchecked: o + 1])))
        o += 2
        while o + 4 <= extEnd, d.has(o, 4) {
            let t = Int(d[unchecked: o]) << 8 | Int(d[unchecked: o + 1])
            let l = Int(d[unchecked: o + 2]) << 8 | Int(d[unchecked: o + 3])
            if t == 43 && l == 2 && d.has(o + 4, 2) {
                version = UInt16(d[unchecked: o + 4]) << 8 | UInt16(d[unchecked: o + 5])
            }
            o += 4 + l
        }
        return (version, hrr)
    }

    // MARK: hellos

    private func random(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ hs: TreeNode) throws(Malformed) {
        let o = p.offset
        try p.need(32)
        let r = packet.add(hf.random, p.data, o, 32, .bytes, parent: hs)
        let t = try p.data.u32(o)
        packet.add(hf.randomTime, p.data, o, 4, .absoluteTime(Timestamp(seconds: Int64(t), nanoseconds: 0)), parent: r)
        packet.add(hf.randomBytes, p.data, o + 4, 28, .bytes, parent: r)
        p.offset += 32
    }

    private func clientHello(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ hs: TreeNode,
                             _ s: inout TLSSession) throws(Malformed) {
        let version = try p.u16(&packet, hf.version, hs)
        s.clientRandom = TLSRandom(p.data, at: p.offset)
        try random(&packet, &p, hs)
        let sidLen = try p.u8(&packet, hf.sessionIDLength, hs)
        if sidLen > 32 { packet.addExpert(hf.eiSessionIDLength, parent: hs, p.data, p.offset - 1, 1) }
        if sidLen > 0 { try p.bytes(&packet, hf.sessionID, Int(sidLen), hs) }
        let wantJA3 = packet.wants(hf.ja3) || packet.wants(hf.ja3Full)
        if wantJA3 { ja3Scratch.reset(version: version) }
        let csLen = Int(try p.u16(&packet, hf.cipherSuitesLength, hs))
        guard p.remaining >= csLen else {
            // tshark's `ssl_add_vector`: a length past the message is an expert info, not an
            // exception; the message ends there.
            packet.addExpert(hf.eiMalformedVectorLength, parent: hs, p.data, p.offset - 2, 2)
            return
        }
        let list = packet.add(hf.cipherSuites, p.data, p.offset, csLen, .none, parent: hs)
        if packet.buildsFullTree {
            packet.setLabel(list, "Cipher Suites (\(csLen / 2) suite\(csLen / 2 == 1 ? "" : "s"))")
        }
        let csEnd = p.offset + csLen
        while p.offset + 2 <= csEnd {
            let c = try p.u16(&packet, hf.cipherSuite, list)
            if wantJA3 && !Self.isGREASE(c) { ja3Scratch.ciphers.append(c) }
        }
        p.offset = csEnd
        let cmLen = Int(try p.u8(&packet, hf.compMethodsLength, hs))
        try p.need(cmLen)
        let cms = packet.add(hf.compMethods, p.data, p.offset, cmLen, .none, parent: hs)
        if packet.buildsFullTree {
            packet.setLabel(cms, "Compression Methods (\(cmLen) method\(cmLen == 1 ? "" : "s"))")
        }
        for _ in 0..<cmLen { _ = try p.u8(&packet, hf.compMethod, cms) }
        if p.remaining >= 2 {
            try extensions(&packet, &p, hs, &s, message: 1, ja3: wantJA3)
        }
        if wantJA3 { addJA3(&packet, hs, server: false) }
    }

    private func serverHello(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ hs: TreeNode,
                             _ s: inout TLSSession, hrr: Bool) throws(Malformed) {
        let version = try p.u16(&packet, hf.version, hs)
        s.serverRandom = TLSRandom(p.data, at: p.offset)
        try random(&packet, &p, hs)
        let sidLen = try p.u8(&packet, hf.sessionIDLength, hs)
        if sidLen > 32 { packet.addExpert(hf.eiSessionIDLength, parent: hs, p.data, p.offset - 1, 1) }
        let sid = TLSRandom(p.data, at: p.offset)
        if sidLen > 0 { try p.bytes(&packet, hf.sessionID, Int(sidLen), hs) }
        // Resumption: the server echoes the session id the client offered.
        s.resumed = sidLen > 0 && sidLen == s.sessionIDLength && sid == s.sessionID
        s.sessionIDLength = sidLen
        s.sessionID = sid
        let cipher = try p.u16(&packet, hf.cipherSuite, hs)
        s.cipherSuite = cipher
        s.compression = try p.u8(&packet, hf.compMethod, hs)
        let wantJA3 = packet.wants(hf.ja3s) || packet.wants(hf.ja3sFull)
        if wantJA3 {
            ja3Scratch.reset(version: version)
            ja3Scratch.ciphers.append(cipher)
        }
        if p.remaining >= 2 {
            try extensions(&packet, &p, hs, &s, message: hrr ? 6 : 2, ja3: wantJA3)
        }
        if wantJA3 { addJA3(&packet, hs, server: true) }
    }

    // MARK: other messages

    private func newSessionTicket(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ hs: TreeNode,
                                  _ s: TLSSession) throws(Malformed) {
        let tree = packet.addText("TLS Session Ticket", p.data, 0, p.data.count, parent: hs)
        let parent = tree.isNone ? hs : tree
        let o = p.offset
        let hint = try p.data.u32(o)
        let n = packet.add(hf.sessionTicketLifetime, p.data, o, 4, .uint(UInt64(hint)), parent: parent)
        if packet.buildsFullTree {
            packet.setLabel(n, "Session Ticket Lifetime Hint: \(hint) seconds\(Self.durationText(hint))")
        }
        p.offset += 4
        if s.version == 0x0304 {
            _ = try p.u32(&packet, hf.sessionTicketAgeAdd, parent)
            let nLen = Int(try p.u8(&packet, hf.sessionTicketNonceLength, parent))
            try p.bytes(&packet, hf.sessionTicketNonce, nLen, parent)
        }
        let tLen = Int(try p.u16(&packet, hf.sessionTicketLength, parent))
        try p.bytes(&packet, hf.sessionTicket, tLen, parent)
        if s.version == 0x0304, p.remaining >= 2 {
            var s2 = s
            try extensions(&packet, &p, hs, &s2, message: 4)
        }
    }

    /// " (1 day, 4 hours)" as tshark's `unsigned_time_secs_to_str`, empty for 0.
    static func durationText(_ secs: UInt32) -> String {
        guard secs > 0 else { return "" }
        var parts: [String] = []
        let d = secs / 86400, h = secs % 86400 / 3600, m = secs % 3600 / 60, sec = secs % 60
        if d > 0 { parts.append("\(d) day\(d == 1 ? "" : "s")") }
        if h > 0 { parts.append("\(h) hour\(h == 1 ? "" : "s")") }
        if m > 0 { parts.append("\(m) minute\(m == 1 ? "" : "s")") }
        if sec > 0 { parts.append("\(sec) second\(sec == 1 ? "" : "s")") }
        return " (" + parts.joined(separator: ", ") + ")"
    }

    private func certificate(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ hs: TreeNode,
                             _ s: TLSSession) throws(Malformed) {
        if s.version == 0x0304 {
            let cLen = Int(try p.u8(&packet, hf.certRequestContextLength, hs))
            if cLen > 0 { try p.bytes(&packet, hf.certRequestContext, cLen, hs) }
        }
        let total = Int(try p.u24(&packet, hf.certificatesLength, hs))
        guard total > 0 else { return }
        try p.need(total)
        let list = packet.add(hf.certificates, p.data, p.offset, total, .none, parent: hs)
        if packet.buildsFullTree { packet.setLabel(list, "Certificates (\(total) bytes)") }
        let end = p.offset + total
        while p.offset + 3 <= end {
            let len = Int(try p.u24(&packet, hf.certificateLength, list))
            try p.bytes(&packet, hf.certificate, len, list)
            if s.version == 0x0304, p.offset + 2 <= end {
                // RFC 8446 §4.4.2: per-certificate extensions.
                let eLen = Int(try p.data.u16(p.offset))
                var s2 = s
                try extensions(&packet, &p, list, &s2, message: 11)
                _ = eLen
            }
        }
        p.offset = end
    }

    /// The key exchange of the negotiated suite, from its name (tshark keeps a table).
    private enum KeyExchange { case rsa, dh, ecdh, psk, rsaPSK, dhePSK, ecdhePSK, other }

    private static func keyExchange(_ suite: UInt16) -> KeyExchange {
        guard let n = TLSNames.cipherSuites[UInt64(suite)] else { return .other }
        if n.hasPrefix("TLS_ECDHE_PSK") { return .ecdhePSK }
        if n.hasPrefix("TLS_DHE_PSK") { return .dhePSK }
        if n.hasPrefix("TLS_RSA_PSK") { return .rsaPSK }
        if n.hasPrefix("TLS_PSK") { return .psk }
        if n.hasPrefix("TLS_ECDH") { return .ecdh }
        if n.hasPrefix("TLS_DH") { return .dh }
        if n.hasPrefix("TLS_RSA") { return .rsa }
        return .other
    }

    private func signature(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ parent: TreeNode,
                           _ s: TLSSession, lengthField: FieldID, sigField: FieldID) throws(Malformed) {
        if s.version >= 0x0303 && s.version != 0x0101 { try sigAlg(&packet, &p, parent) }
        let len = Int(try p.u16(&packet, lengthField, parent))
        try p.bytes(&packet, sigField, len, parent)
    }

    private func serverKeyExchange(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ hs: TreeNode,
                                   _ s: TLSSession) throws(Malformed) {
        switch Self.keyExchange(s.cipherSuite) {
        case .ecdh:
            let t = packet.addText("EC Diffie-Hellman Server Params", p.data, 0, p.data.count, parent: hs)
            let parent = t.isNone ? hs : t
            _ = try p.u8(&packet, hf.serverCurveType, parent)
            _ = try p.u16(&packet, hf.serverNamedCurve, parent)
            let kLen = Int(try p.u8(&packet, hf.serverPointLength, parent))
            try p.bytes(&packet, hf.serverPoint, kLen, parent)
            if p.remaining > 0 {
                try signature(&packet, &p, parent, s, lengthField: hf.sigLength, sigField: hf.sig)
            }
        case .dh:
            let t = packet.addText("Diffie-Hellman Server Params", p.data, 0, p.data.count, parent: hs)
            let parent = t.isNone ? hs : t
            let pLen = Int(try p.u16(&packet, hf.pLength, parent))
            try p.bytes(&packet, hf.p, pLen, parent)
            let gLen = Int(try p.u16(&packet, hf.gLength, parent))
            try p.bytes(&packet, hf.g, gLen, parent)
            let yLen = Int(try p.u16(&packet, hf.ysLength, parent))
            try p.bytes(&packet, hf.ys, yLen, parent)
            if p.remaining > 0 {
                try signature(&packet, &p, parent, s, lengthField: hf.sigLength, sigField: hf.sig)
            }
        default:
            break
        }
    }

    private func clientKeyExchange(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ hs: TreeNode,
                                   _ s: TLSSession) throws(Malformed) {
        let kx = Self.keyExchange(s.cipherSuite)
        switch kx {
        case .ecdh:
            let t = packet.addText("EC Diffie-Hellman Client Params", p.data, 0, p.data.count, parent: hs)
            let parent = t.isNone ? hs : t
            let kLen = Int(try p.u8(&packet, hf.clientPointLength, parent))
            try p.bytes(&packet, hf.clientPoint, kLen, parent)
        case .dh:
            let t = packet.addText("Diffie-Hellman Client Params", p.data, 0, p.data.count, parent: hs)
            let parent = t.isNone ? hs : t
            let yLen = Int(try p.u16(&packet, hf.ycLength, parent))
            try p.bytes(&packet, hf.yc, yLen, parent)
        case .rsa:
            let t = packet.addText("RSA Encrypted PreMaster Secret", p.data, 0, p.data.count, parent: hs)
            let parent = t.isNone ? hs : t
            if s.version == 0x0300 {
                // SSL 3.0 has no length before the encrypted pre-master secret.
                try p.bytes(&packet, hf.epms, p.remaining, parent)
            } else {
                let len = Int(try p.u16(&packet, hf.epmsLength, parent))
                try p.bytes(&packet, hf.epms, len, parent)
            }
        default:
            break
        }
    }

    private func certificateRequest(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ hs: TreeNode,
                                    _ s: TLSSession) throws(Malformed) {
        if s.version == 0x0304 {
            let cLen = Int(try p.u8(&packet, hf.certRequestContextLength, hs))
            if cLen > 0 { try p.bytes(&packet, hf.certRequestContext, cLen, hs) }
            var s2 = s
            try extensions(&packet, &p, hs, &s2, message: 13)
            return
        }
        let count = Int(try p.u8(&packet, hf.certTypesCount, hs))
        try p.need(count)
        let types = packet.add(hf.certTypes, p.data, p.offset, count, .none, parent: hs)
        if packet.buildsFullTree { packet.setLabel(types, "Certificate types (\(count) type\(count == 1 ? "" : "s"))") }
        for _ in 0..<count { _ = try p.u8(&packet, hf.certType, types) }
        if s.version >= 0x0303 && s.version != 0x0101 {
            try sigAlgList(&packet, &p, hs)
        }
        let dnLen = Int(try p.u16(&packet, hf.dnamesLength, hs))
        guard dnLen > 0 else { return }
        try p.need(dnLen)
        let dns = packet.add(hf.dnames, p.data, p.offset, dnLen, .none, parent: hs)
        if packet.buildsFullTree { packet.setLabel(dns, "Distinguished Names (\(dnLen) bytes)") }
        let end = p.offset + dnLen
        while p.offset + 2 <= end {
            let l = Int(try p.u16(&packet, hf.dnameLength, dns))
            try p.need(l)
            packet.add(hf.dname, p.data, p.offset, l, .none, parent: dns)
            p.offset += l
        }
        p.offset = end
    }

    private func certificateVerify(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ hs: TreeNode,
                                   _ s: TLSSession) throws(Malformed) {
        try signature(&packet, &p, hs, s, lengthField: hf.certVerifySigLength, sigField: hf.certVerifySig)
    }

    // MARK: signature algorithms

    func sigAlg(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ parent: TreeNode) throws(Malformed) {
        let o = p.offset
        let v = try p.data.u16(o)
        let alg = packet.add(hf.sigHashAlg, p.data, o, 2, .uint(UInt64(v)), parent: parent)
        packet.add(hf.sigHashHash, p.data, o, 1, .uint(UInt64(v >> 8)), parent: alg)
        packet.add(hf.sigHashSig, p.data, o + 1, 1, .uint(UInt64(v & 0xff)), parent: alg)
        p.offset += 2
    }

    func sigAlgList(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ parent: TreeNode) throws(Malformed) {
        let len = Int(try p.u16(&packet, hf.sigHashAlgLength, parent))
        try p.need(len)
        let list = packet.add(hf.sigHashAlgs, p.data, p.offset, len, .none, parent: parent)
        if packet.buildsFullTree {
            packet.setLabel(list, "Signature Hash Algorithms (\(len / 2) algorithm\(len / 2 == 1 ? "" : "s"))")
        }
        let end = p.offset + len
        while p.offset + 2 <= end { try sigAlg(&packet, &p, list) }
        p.offset = end
    }

    static func isGREASE(_ v: UInt16) -> Bool { v & 0x0f0f == 0x0a0a && v >> 8 == v & 0xff }
}

/// A cursor over a handshake body that adds fields as it reads (all reads bounds-checked).
struct TLSBodyParser {
    unowned let dissector: TLSDissector
    let data: ByteView
    var offset = 0

    init(dissector: TLSDissector, data: ByteView) {
        self.dissector = dissector
        self.data = data
    }

    var remaining: Int { data.count - offset }

    func need(_ n: Int) throws(Malformed) { try data.check(offset, n) }

    mutating func u8(_ pk: inout PacketContext, _ f: FieldID, _ parent: TreeNode) throws(Malformed) -> UInt8 {
        let v = try data.u8(offset)
        pk.add(f, data, offset, 1, .uint(UInt64(v)), parent: parent)
        offset += 1
        return v
    }

    mutating func u16(_ pk: inout PacketContext, _ f: FieldID, _ parent: TreeNode) throws(Malformed) -> UInt16 {
        let v = try data.u16(offset)
        pk.add(f, data, offset, 2, .uint(UInt64(v)), parent: parent)
        offset += 2
        return v
    }

    mutating func u24(_ pk: inout PacketContext, _ f: FieldID, _ parent: TreeNode) throws(Malformed) -> UInt32 {
        let v = try data.u24(offset)
        pk.add(f, data, offset, 3, .uint(UInt64(v)), parent: parent)
        offset += 3
        return v
    }

    mutating func u32(_ pk: inout PacketContext, _ f: FieldID, _ parent: TreeNode) throws(Malformed) -> UInt32 {
        let v = try data.u32(offset)
        pk.add(f, data, offset, 4, .uint(UInt64(v)), parent: parent)
        offset += 4
        return v
    }

    mutating func bytes(_ packet: inout PacketContext, _ f: FieldID, _ n: Int, _ parent: TreeNode) throws(Malformed) {
        try data.check(offset, n)
        packet.add(f, data, offset, n, .bytes, parent: parent)
        offset += n
    }
}
