import DissectKit

extension SDPDissector {
    /// One media description while the lines after its "m=" are read.
    struct Media {
        var port: UInt16 = 0
        var isRTP = false
        var address: Address = .none
        /// rtpmap encoding names of this media's payload types.
        var encodings: [UInt8: String] = [:]
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let ctx = context
        context = nil
        if !packet.protocolColumn.hasSuffix("/SDP") { packet.protocolColumn += "/SDP" }
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        let b = data.buffer
        var sessionAddress: Address = .none
        var medias: [Media] = []
        var offset = 0
        while offset < b.count {
            var lf = data.firstIndex(of: 0x0a, from: offset) ?? b.count
            let next = min(lf + 1, b.count)
            if lf > offset && b[lf - 1] == 0x0d { lf -= 1 }
            defer { offset = next }
            let end = lf
            guard end > offset else { continue }
            guard end - offset >= 2, b[offset + 1] == 0x3d else {
                let n = packet.add(hf.invalid, data, offset, end - offset, .string, parent: top)
                packet.addExpert(hf.eiNoEqual, parent: n.isNone ? top : n, data, offset, end - offset)
                continue
            }
            let vs = offset + 2
            let type = b[offset]
            let inMedia = !medias.isEmpty
            switch type {
            case 0x76: // v
                packet.add(hf.version, data, vs, end - vs, .string, parent: top)
            case 0x6f: // o
                let n = packet.add(hf.owner, data, vs, end - vs, .string, parent: top)
                addTokens(&packet, data, vs..<end, [hf.ownerUsername, hf.ownerSessionID, hf.ownerVersion,
                                                    hf.ownerNetworkType, hf.ownerAddressType, hf.ownerAddress], parent: n)
            case 0x73: // s
                packet.add(hf.sessionName, data, vs, end - vs, .string, parent: top)
            case 0x69: // i
                packet.add(inMedia ? hf.mediaTitle : hf.sessionInfo, data, vs, end - vs, .string, parent: top)
            case 0x75: packet.add(hf.uri, data, vs, end - vs, .string, parent: top)
            case 0x65: packet.add(hf.email, data, vs, end - vs, .string, parent: top)
            case 0x70: packet.add(hf.phone, data, vs, end - vs, .string, parent: top)
            case 0x63: // c
                let n = packet.add(hf.connection, data, vs, end - vs, .string, parent: top)
                let t = tokens(b, vs..<end)
                if t.count > 0 { packet.add(hf.connectionNetworkType, data, t[0].lowerBound, t[0].count, .string, parent: n) }
                if t.count > 1 { packet.add(hf.connectionAddressType, data, t[1].lowerBound, t[1].count, .string, parent: n) }
                if t.count > 2 {
                    // address[/ttl][/number of addresses]
                    let a = t[2]
                    var slash = a.lowerBound
                    while slash < a.upperBound && b[slash] != 0x2f { slash += 1 }
                    packet.add(hf.connectionAddress, data, a.lowerBound, slash - a.lowerBound, .string, parent: n)
                    if slash < a.upperBound {
                        var s2 = slash + 1
                        while s2 < a.upperBound && b[s2] != 0x2f { s2 += 1 }
                        packet.add(hf.connectionTTL, data, slash + 1, s2 - slash - 1, .string, parent: n)
                        if s2 < a.upperBound {
                            packet.add(hf.connectionNumAddr, data, s2 + 1, a.upperBound - s2 - 1, .string, parent: n)
                        }
                    }
                    let addr = Self.ipv4(b, a.lowerBound..<slash).map { Address.ipv4($0) } ?? .none
                    if inMedia { medias[medias.count - 1].address = addr } else { sessionAddress = addr }
                }
            case 0x62: // b
                let n = packet.add(hf.bandwidth, data, vs, end - vs, .string, parent: top)
                var colon = vs
                while colon < end && b[colon] != 0x3a { colon += 1 }
                if colon < end {
                    packet.add(hf.bandwidthModifier, data, vs, colon - vs, .string, parent: n)
                    packet.add(hf.bandwidthValue, data, colon + 1, end - colon - 1, .string, parent: n)
                }
            case 0x74: // t
                let n = packet.add(hf.time, data, vs, end - vs, .string, parent: top)
                addTokens(&packet, data, vs..<end, [hf.timeStart, hf.timeStop], parent: n)
            case 0x72: packet.add(hf.repeatTime, data, vs, end - vs, .string, parent: top)
            case 0x7a: packet.add(hf.timezone, data, vs, end - vs, .string, parent: top)
            case 0x6b: packet.add(hf.encryptionKey, data, vs, end - vs, .string, parent: top)
            case 0x61: // a
                attribute(&packet, data, vs..<end, parent: top, medias: &medias)
            case 0x6d: // m
                var m = Media()
                m.address = sessionAddress
                mediaLine(&packet, data, vs..<end, parent: top, &m)
                medias.append(m)
            default:
                packet.add(hf.unknown, data, offset, end - offset, .string, parent: top)
            }
        }
        if let c = ctx?.callID {
            packet.addGenerated(hf.callIDGenerated, packet.text(c), parent: top)
        }
        // Bind RTP to every RTP media description's address and port.
        if let h = rtp.handle, let r = h.dissector as? RTPDissector {
            for m in medias where m.isRTP && m.port != 0 {
                guard case .ipv4 = m.address else { continue }
                r.expect(&packet, handle: h, address: m.address, port: m.port,
                         setup: RTPStreamSetup(frame: packet.frame.number, callID: ctx?.callID, encodings: m.encodings))
            }
        }
        return .consumed(data.count)
    }

    /// "m=audio 40376 RTP/AVP 8 18 4 0": media, port[/count], protocol, formats.
    private func mediaLine(_ packet: inout PacketContext, _ data: ByteView, _ r: Range<Int>, parent: TreeNode,
                           _ m: inout Media) {
        let b = data.buffer
        let n = packet.add(hf.media, data, r.lowerBound, r.count, .string, parent: parent)
        let node = n.isNone ? parent : n
        // Tokens separated by single spaces; an empty token is an extra space.
        var fields: [Range<Int>] = []
        var s = r.lowerBound
        for i in r where b[i] == 0x20 {
            fields.append(s..<i)
            s = i + 1
        }
        fields.append(s..<r.upperBound)
        var index = 0
        for f in fields {
            if f.isEmpty {
                if index >= 3 {
                    let line = packet.addText("Invalid SDP whitespace (extra space character)", data, f.lowerBound, 1,
                                              parent: node)
                    packet.addExpert(hf.eiExtraSpace, parent: line.isNone ? node : line, data, f.lowerBound, 1)
                }
                continue
            }
            switch index {
            case 0: packet.add(hf.mediaMedia, data, f.lowerBound, f.count, .string, parent: node)
            case 1:
                var slash = f.lowerBound
                while slash < f.upperBound && b[slash] != 0x2f { slash += 1 }
                var port = 0
                var ok = slash > f.lowerBound
                for i in f.lowerBound..<slash {
                    guard b[i] >= 0x30 && b[i] <= 0x39 else { ok = false; break }
                    port = min(port * 10 + Int(b[i] - 0x30), 1 << 20)
                }
                if ok && port <= 0xffff {
                    m.port = UInt16(port)
                    packet.add(hf.mediaPort, data, f.lowerBound, slash - f.lowerBound, .uint(UInt64(port)), parent: node)
                } else {
                    let pn = packet.add(hf.mediaPort, data, f.lowerBound, slash - f.lowerBound, .uint(0), parent: node)
                    packet.addExpert(hf.eiInvalidMediaPort, parent: pn.isNone ? node : pn, data, f.lowerBound, f.count)
                }
                if slash < f.upperBound {
                    packet.add(hf.mediaPortCount, data, slash + 1, f.upperBound - slash - 1, .string, parent: node)
                }
            case 2:
                packet.add(hf.mediaProto, data, f.lowerBound, f.count, .string, parent: node)
                m.isRTP = Self.contains(b, f, "RTP/")
            default:
                if m.isRTP, let pt = Self.decimal(b, f), pt < 128 {
                    if packet.buildsFullTree || packet.wants(hf.mediaFormat) {
                        packet.add(hf.mediaFormat, data, f.lowerBound, f.count,
                                   packet.text(RTPPayloadTypes.name(UInt8(pt))), parent: node)
                    }
                } else {
                    packet.add(hf.mediaFormat, data, f.lowerBound, f.count, .string, parent: node)
                }
            }
            index += 1
        }
    }

    /// "a=name:value" (rtpmap and fmtp with their sub-items) or a flag "a=name".
    private func attribute(_ packet: inout PacketContext, _ data: ByteView, _ r: Range<Int>, parent: TreeNode,
                           medias: inout [Media]) {
        let b = data.buffer
        let inMedia = !medias.isEmpty
        let n = packet.add(inMedia ? hf.mediaAttr : hf.sessionAttr, data, r.lowerBound, r.count, .string, parent: parent)
        var colon = r.lowerBound
        while colon < r.upperBound && b[colon] != 0x3a { colon += 1 }
        guard colon < r.upperBound else { return }
        let node = n.isNone ? parent : n
        let nameRange = r.lowerBound..<colon
        packet.add(inMedia ? hf.mediaAttrField : hf.sessionAttrField, data, nameRange.lowerBound, nameRange.count,
                   .string, parent: node)
        let vs = colon + 1
        let isRtpmap = Self.equals(b, nameRange, "rtpmap"), isFmtp = Self.equals(b, nameRange, "fmtp")
        guard isRtpmap || isFmtp else {
            packet.add(inMedia ? hf.mediaAttrValue : hf.sessionAttrValue, data, vs, r.upperBound - vs, .string,
                       parent: node)
            return
        }
        var sp = vs
        while sp < r.upperBound && b[sp] != 0x20 { sp += 1 }
        let fmt = vs..<sp
        let pt = Self.decimal(b, fmt)
        var ps = sp
        while ps < r.upperBound && b[ps] == 0x20 { ps += 1 }
        if isRtpmap {
            packet.add(hf.mediaFormat, data, fmt.lowerBound, fmt.count, .string, parent: node)
            // encoding name "/" clock rate [ "/" parameters ]
            var s1 = ps
            while s1 < r.upperBound && b[s1] != 0x2f { s1 += 1 }
            packet.add(hf.mimeType, data, ps, s1 - ps, .string, parent: node)
            if s1 < r.upperBound {
                var s2 = s1 + 1
                while s2 < r.upperBound && b[s2] != 0x2f { s2 += 1 }
                packet.add(hf.sampleRate, data, s1 + 1, s2 - s1 - 1, .string, parent: node)
            }
            if let p = pt, p < 128, inMedia {
                medias[medias.count - 1].encodings[UInt8(p)] = String(decoding: UnsafeRawBufferPointer(rebasing: b[ps..<s1]), as: UTF8.self)
            }
        } else {
            let known = pt.flatMap { p in p < 128 && inMedia ? medias[medias.count - 1].encodings[UInt8(p)] : nil }
            if let k = known, packet.buildsFullTree || packet.wants(hf.mediaFormat) {
                let label = String(decoding: UnsafeRawBufferPointer(rebasing: b[fmt]), as: UTF8.self) + " [\(k)]"
                packet.add(hf.mediaFormat, data, fmt.lowerBound, fmt.count, packet.text(label), parent: node)
            } else {
                packet.add(hf.mediaFormat, data, fmt.lowerBound, fmt.count, .string, parent: node)
            }
            if ps < r.upperBound {
                packet.add(hf.fmtpParameter, data, ps, r.upperBound - ps, .string, parent: node)
            }
        }
    }

    /// Space-separated tokens into `fields`, in order.
    private func addTokens(_ packet: inout PacketContext, _ data: ByteView, _ r: Range<Int>, _ fields: [FieldID],
                           parent: TreeNode) {
        for (i, t) in tokens(data.buffer, r).prefix(fields.count).enumerated() {
            packet.add(fields[i], data, t.lowerBound, t.count, .string, parent: parent)
        }
    }

    private func tokens(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = r.lowerBound
        while i < r.upperBound {
            while i < r.upperBound && b[i] == 0x20 { i += 1 }
            let s = i
            while i < r.upperBound && b[i] != 0x20 { i += 1 }
            if i > s { out.append(s..<i) }
        }
        return out
    }

    static func decimal(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int? {
        guard !r.isEmpty, r.count <= 9 else { return nil }
        var v = 0
        for i in r {
            guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
            v = v * 10 + Int(b[i] - 0x30)
        }
        return v
    }

    static func ipv4(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> UInt32? {
        var v: UInt32 = 0
        var part = 0, digits = 0, parts = 0
        for i in r {
            let c = b[i]
            if c == 0x2e {
                guard digits > 0, part <= 255 else { return nil }
                v = v << 8 | UInt32(part)
                parts += 1
                part = 0
                digits = 0
            } else if c >= 0x30 && c <= 0x39 {
                part = part * 10 + Int(c - 0x30)
                digits += 1
                if digits > 3 { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, part <= 255, parts == 3 else { return nil }
        return v << 8 | UInt32(part)
    }

    static func equals(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, _ s: StaticString) -> Bool {
        guard r.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for (k, i) in r.enumerated() {
            let c = b[i], l = p[k]
            if c != l && (c | 0x20) != l { return false }
        }
        return true
    }

    static func contains(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard r.count >= n else { return false }
        let p = s.utf8Start
        for start in r.lowerBound...(r.upperBound - n) {
            var ok = true
            for k in 0..<n where b[start + k] != p[k] { ok = false; break }
            if ok { return true }
        }
        return false
    }
}
