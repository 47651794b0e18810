import DissectKit

extension ICMPDissector {
    enum MessageType {
        static let echoReply: UInt8 = 0
        static let unreachable: UInt8 = 3
        static let sourceQuench: UInt8 = 4
        static let redirect: UInt8 = 5
        static let echo: UInt8 = 8
        static let routerAdvert: UInt8 = 9
        static let timeExceeded: UInt8 = 11
        static let parameterProblem: UInt8 = 12
        static let timestamp: UInt8 = 13
        static let timestampReply: UInt8 = 14
        static let infoRequest: UInt8 = 15
        static let infoReply: UInt8 = 16
        static let maskRequest: UInt8 = 17
        static let maskReply: UInt8 = 18
    }

    /// Types whose second word is identifier + sequence number.
    static func hasIdentifier(_ t: UInt8) -> Bool {
        switch t {
        case 0, 8, 13, 14, 15, 16, 17, 18: return true
        default: return false
        }
    }

    static func isError(_ t: UInt8) -> Bool {
        switch t {
        case 3, 4, 5, 11, 12: return true
        default: return false
        }
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "ICMP"
        packet.info.set("")
        let type = try data.u8(0)
        let code = try data.u8(1)
        let originalLength = data.has(5, 1) ? Int(try data.u8(5)) * 4 : 0
        let typeName = ICMPNames.types[type] ?? ICMPNames.unknownType
        let codeName = ICMPNames.codeName(type: type, code: code)
        writeTypeInfo(packet.info, typeName, codeName)

        let full = packet.buildsFullTree
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        let typeNode = packet.add(hf.type, data, 0, 1, .uint(UInt64(type)), parent: top)
        if full { packet.appendLabel(typeNode, " (\(typeName))") }
        let codeNode = packet.add(hf.code, data, 1, 1, .uint(UInt64(code)), parent: top)
        if full, let c = codeName { packet.appendLabel(codeNode, " (\(c))") }
        try addChecksum(&packet, data, top)

        // The second word.
        var identSeq: (ident: UInt16, seq: UInt16)?
        if Self.hasIdentifier(type) {
            let ident = try data.u16(4)
            packet.add(hf.ident, data, 4, 2, .uint(UInt64(ident)), parent: top)
            packet.add(hf.identLE, data, 4, 2, .uint(UInt64(ident.byteSwapped)), parent: top)
            let seq = try data.u16(6)
            packet.add(hf.seq, data, 6, 2, .uint(UInt64(seq)), parent: top)
            packet.add(hf.seqLE, data, 6, 2, .uint(UInt64(seq.byteSwapped)), parent: top)
            identSeq = (ident, seq)
        } else {
            switch type {
            case MessageType.unreachable, MessageType.timeExceeded:
                if originalLength > 0 {
                    packet.add(hf.unused, data, 4, 1, .bytes, parent: top)
                    try addOriginalLength(&packet, data, top, originalLength)
                    if type == MessageType.unreachable && code == 4 {
                        packet.add(hf.mtu, data, 6, 2, .uint(UInt64(try data.u16(6))), parent: top)
                    } else {
                        try data.check(6, 2)
                        packet.add(hf.unused, data, 6, 2, .bytes, parent: top)
                    }
                } else if type == MessageType.unreachable && code == 4 {
                    try data.check(4, 2)
                    packet.add(hf.unused, data, 4, 2, .bytes, parent: top)
                    packet.add(hf.mtu, data, 6, 2, .uint(UInt64(try data.u16(6))), parent: top)
                } else {
                    try data.check(4, 4)
                    packet.add(hf.unused, data, 4, 4, .bytes, parent: top)
                }
            case MessageType.parameterProblem:
                packet.add(hf.pointer, data, 4, 1, .uint(UInt64(try data.u8(4))), parent: top)
                if originalLength > 0 {
                    try addOriginalLength(&packet, data, top, originalLength)
                    try data.check(6, 2)
                    packet.add(hf.unused, data, 6, 2, .bytes, parent: top)
                } else {
                    try data.check(5, 3)
                    packet.add(hf.unused, data, 5, 3, .bytes, parent: top)
                }
            case MessageType.redirect:
                packet.add(hf.redirectGateway, data, 4, 4, .ipv4(try data.u32(4)), parent: top)
            case MessageType.routerAdvert:
                packet.add(hf.numAddrs, data, 4, 1, .uint(UInt64(try data.u8(4))), parent: top)
                packet.add(hf.addrEntrySize, data, 5, 1, .uint(UInt64(try data.u8(5))), parent: top)
                packet.add(hf.lifetime, data, 6, 2, .uint(UInt64(try data.u16(6))), parent: top)
            default:
                break
            }
        }

        // What follows the header.
        var matched: TransactionTable<EchoKey>.Request?
        if Self.isError(type) {
            try dissectQuotedDatagram(&packet, data, top, originalLength: originalLength)
        } else if type == MessageType.echo || type == MessageType.echoReply, let idSeq = identSeq {
            if !packet.inErrorPacket {
                let checksum = try data.u16(2)
                if type == MessageType.echo {
                    let key = EchoKey(packet.netSrc, packet.netDst, ident: idSeq.ident, seq: idSeq.seq,
                                      checksum: checksum)
                    echoes.request(key, frame: packet.frame.number, time: packet.frame.timestamp)
                } else {
                    let key = EchoKey(packet.netSrc, packet.netDst, ident: idSeq.ident, seq: idSeq.seq,
                                      checksum: ICMPEchoTable.requestChecksum(fromReply: checksum))
                    matched = echoes.reply(key, frame: packet.frame.number)
                }
            }
            if type == MessageType.echo && !packet.inErrorPacket && packet.isSecondPass {
                // -2: the first pass found (or not) the reply to this request.
                if let reply = packet.annotation(hf.respIn) {
                    packet.addGenerated(hf.respIn, .uint(reply), parent: top)
                } else {
                    let n = packet.addGenerated(hf.noResp, .none, parent: top)
                    packet.addExpert(hf.eiNoResponse, parent: n)
                }
            }
            if let m = matched {
                packet.annotate(frame: m.frame, hf.respIn, UInt64(packet.frame.number))
                packet.addGenerated(hf.respTo, .uint(UInt64(m.frame)), parent: top)
                let delta = packet.frame.timestamp - m.time
                let ms = Double(delta.seconds) * 1000 + Double(delta.nanoseconds) / 1_000_000
                let node = packet.addGenerated(hf.respTime, .double(ms), parent: top)
                if full { packet.setLabel(node, "Response time: " + Self.threeDecimals(ms) + " ms") }
            }
            var dataStart = 8
            if data.count >= 16 {
                let now = packet.frame.timestamp
                var secs = Int64(try data.u32(8)), usecs = Int64(try data.u32(12))
                if abs(secs - now.seconds) >= 86400 || usecs >= 1_000_000 {
                    secs = Int64(try data.u32le(8))
                    usecs = Int64(try data.u32le(12))
                }
                if abs(secs - now.seconds) < 86400 && usecs < 1_000_000 {
                    let ts = Timestamp(seconds: secs, nanoseconds: Int32(usecs * 1000))
                    packet.add(hf.dataTime, data, 8, 8, .absoluteTime(ts), parent: top)
                    packet.add(hf.dataTimeRelative, data, 8, 8, .relativeTime(now - ts), parent: top,
                               flags: .generated)
                    dataStart = 16
                }
            }
            packet.callData(data.suffix(from: dataStart), parent: top)
        } else if type == MessageType.timestamp || type == MessageType.timestampReply {
            for (i, f) in [hf.originateTimestamp, hf.receiveTimestamp, hf.transmitTimestamp].enumerated() {
                let off = 8 + 4 * i
                let v = try data.u32(off)
                let node = packet.add(f, data, off, 4, .uint(UInt64(v)), parent: top)
                if full { packet.appendLabel(node, " (\(ICMPNames.millisecondsText(v)) after midnight UTC)") }
            }
        } else if type == MessageType.maskRequest || type == MessageType.maskReply {
            packet.add(hf.addressMask, data, 8, 4, .ipv4(try data.u32(8)), parent: top)
        }

        // Info: type, code, then identifier / sequence / TTL and the match, written last as
        // tshark does (and rewritten after a quoted datagram, whose columns tshark ignores).
        if let idSeq = identSeq {
            let info = packet.info
            info.append(" id=0x")
            info.appendHex(UInt64(idSeq.ident), width: 4)
            info.append(", seq=")
            info.append(UInt64(idSeq.seq))
            info.append("/")
            info.append(UInt64(idSeq.seq.byteSwapped))
            if let ttl = Self.ipTTL(packet, data) {
                info.append(", ttl=")
                info.append(UInt64(ttl))
            }
            if let m = matched {
                info.append(" (request in ")
                info.append(UInt64(m.frame))
                info.append(")")
            }
        }
        return .consumed(data.count)
    }

    /// "%-20s" of the type name, then " (code name)".
    private func writeTypeInfo(_ info: ColumnText, _ typeName: String, _ codeName: String?) {
        info.set("")
        info.append(typeName)
        var n = typeName.utf8.count
        while n < 20 { info.append(" "); n += 1 }
        if let c = codeName {
            info.append(" (")
            info.append(c)
            info.append(")")
        }
    }

    private func addOriginalLength(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                                   _ originalLength: Int) throws(Malformed) {
        packet.add(hf.length, data, 5, 1, .uint(UInt64(originalLength / 4)), parent: top)
        packet.add(hf.lengthOriginal, data, 5, 1, .uint(UInt64(originalLength)), parent: top, flags: .generated)
    }

    /// Verified only when the whole message is here and it is not itself quoted in an error.
    private func addChecksum(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode) throws(Malformed) {
        let checksum = try data.u16(2)
        let node = packet.add(hf.checksum, data, 2, 2, .uint(UInt64(checksum)), parent: top)
        let verifiable = !packet.fragmented && !packet.inErrorPacket && data.count >= packet.reportedLength(data)
        packet.addChecksumVerdict(sum: verifiable ? InternetChecksum.sum(data) : nil,
                                  unverifiedReason: packet.inErrorPacket ? "in ICMP error packet" : "fragmented datagram",
                                  checksum: checksum, item: node, status: hf.checksumStatus, badExpert: hf.eiChecksum,
                                  parent: top, data, 2)
    }

    /// The datagram an error message quotes: dissected by IP as an error packet (no state is
    /// updated from it), under the ICMP tree; addresses, ports and columns are put back after.
    private func dissectQuotedDatagram(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                                       originalLength: Int) throws(Malformed) {
        guard data.count > 8 else { return }
        var quoted = data.suffix(from: 8)
        if originalLength > 0 && originalLength < quoted.count { quoted = quoted.prefix(originalLength) }
        let saved = (packet.netSrc, packet.netDst, packet.dlSrc, packet.dlDst, packet.srcPort, packet.dstPort,
                     packet.inErrorPacket, packet.protocolColumn)
        let info = packet.info
        let savedInfo = info.bytes, savedFence = info.fence
        packet.inErrorPacket = true
        if let h = ip.handle {
            packet.call(h, quoted, parent: top)
        } else {
            packet.callData(quoted, parent: top)
        }
        (packet.netSrc, packet.netDst, packet.dlSrc, packet.dlDst, packet.srcPort, packet.dstPort,
         packet.inErrorPacket, packet.protocolColumn) = saved
        info.bytes = savedInfo
        info.fence = savedFence
    }

    /// The TTL of the IPv4 header right before `data` in its buffer (tshark passes IP's header
    /// to ICMP; here ICMP finds it behind its own bytes: version 4, matching IHL, protocol 1).
    static func ipTTL(_ packet: PacketContext, _ data: ByteView) -> UInt8? {
        let buf = packet.sources.bytes(data.source)
        let off = data.sourceOffset
        for ihl in 5...15 {
            let start = off - 4 * ihl
            if start < 0 { break }
            if buf[start] == UInt8(0x40 | ihl) && buf[start + 9] == 1 { return buf[start + 8] }
        }
        return nil
    }

    /// "%.3f" without Foundation.
    static func threeDecimals(_ v: Double) -> String {
        let neg = v < 0
        let scaled = (abs(v) * 1000).rounded()
        let whole = UInt64(scaled / 1000)
        let frac = UInt64(scaled) % 1000
        let f = String(frac)
        return (neg ? "-" : "") + "\(whole)." + String(repeating: "0", count: 3 - f.count) + f
    }
}
