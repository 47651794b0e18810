import DissectKit

extension ICMPv6Dissector {
    typealias MessageType = ICMPv6Names.MessageType

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "ICMPv6"
        packet.info.clear()
        let full = packet.buildsFullTree
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        let type = try data.u8(0)
        packet.add(hf.type, data, 0, 1, .uint(UInt64(type)), parent: top)
        let info = packet.info
        if let name = packet.registry[hf.type].strings?.name(for: UInt64(type)) {
            info.append(name)
        } else {
            info.append("Unknown (")
            info.append(UInt64(type))
            info.append(")")
        }
        let code = try data.u8(1)
        let codeNode = packet.add(hf.code, data, 1, 1, .uint(UInt64(code)), parent: top)
        if let name = ICMPv6Names.codeName(type: type, code: code) {
            if full { packet.appendLabel(codeNode, " (\(name))") }
            info.append(" (")
            info.append(name)
            info.append(")")
        }
        try addChecksum(&packet, data, top)

        switch type {
        case MessageType.unreachable, MessageType.timeExceeded:
            let length = try data.u8(4)
            if length != 0 {
                // RFC 4884: the length of the quoted datagram, in 64-bit words.
                packet.add(hf.length, data, 4, 1, .uint(UInt64(length)), parent: top)
                try data.check(5, 3)
                packet.add(hf.reserved, data, 5, 3, .bytes, parent: top)
            } else {
                try data.check(4, 4)
                packet.add(hf.reserved, data, 4, 4, .bytes, parent: top)
            }
            try dissectInvokingPacket(&packet, data, top)
        case MessageType.packetTooBig:
            packet.add(hf.mtu, data, 4, 4, .uint(UInt64(try data.u32(4))), parent: top)
            try dissectInvokingPacket(&packet, data, top)
        case MessageType.parameterProblem:
            packet.add(hf.pointer, data, 4, 4, .uint(UInt64(try data.u32(4))), parent: top)
            try dissectInvokingPacket(&packet, data, top)
        case MessageType.echoRequest, MessageType.echoReply:
            try dissectEcho(&packet, data, top, type)
        case MessageType.mldQuery, MessageType.mldReport, MessageType.mldDone:
            if type == MessageType.mldQuery && packet.reportedLength(data) >= 28 {
                try dissectMLDv2Query(&packet, data, top)
            } else {
                packet.add(hf.mldMaxResponseDelay, data, 4, 2, .uint(UInt64(try data.u16(4))), parent: top)
                try data.check(6, 2)
                packet.add(hf.reserved, data, 6, 2, .bytes, parent: top)
                packet.add(hf.mldMulticastAddress, data, 8, 16, .ipv6(try IPv6Address(data, at: 8)), parent: top)
            }
        case MessageType.mldv2Report:
            try dissectMLDv2Report(&packet, data, top)
        case MessageType.routerSolicitation, MessageType.routerAdvertisement, MessageType.neighborSolicitation,
             MessageType.neighborAdvertisement, MessageType.redirect, MessageType.inverseSolicitation,
             MessageType.inverseAdvertisement:
            try dissectNeighborDiscovery(&packet, data, top, type)
        case MessageType.multicastRouterAdvertisement:
            packet.add(hf.mcastQueryInterval, data, 4, 2, .uint(UInt64(try data.u16(4))), parent: top)
            packet.add(hf.mcastRobustness, data, 6, 2, .uint(UInt64(try data.u16(6))), parent: top)
        case MessageType.multicastRouterSolicitation, MessageType.multicastRouterTermination:
            break
        case MessageType.nodeInfoQuery, MessageType.nodeInfoReply:
            try dissectNodeInformation(&packet, data, top, type, code)
        case MessageType.homeAgentRequest, MessageType.homeAgentReply, MessageType.mobilePrefixSolicitation,
             MessageType.mobilePrefixAdvertisement:
            try dissectMobileIPv6(&packet, data, top, type)
        case MessageType.extendedEchoRequest, MessageType.extendedEchoReply:
            packet.add(hf.echoIdentifier, data, 4, 2, .uint(UInt64(try data.u16(4))), parent: top)
            packet.add(hf.extEchoSeq, data, 6, 1, .uint(UInt64(try data.u8(6))), parent: top)
            // The last byte's bits, without a line of their own for the byte.
            let bits = UInt64(try data.u8(7))
            for f in type == MessageType.extendedEchoRequest ? hf.extEchoRequestBits : hf.extEchoReplyBits {
                let mask = packet.registry[f].bitmask
                packet.add(f, data, 7, 1, .uint((bits & mask) >> UInt64(mask.trailingZeroBitCount)), parent: top)
            }
            if type == MessageType.extendedEchoRequest {
                // The interface identification object follows in an RFC 4884 extension structure
                // (its objects are not dissected here).
                let n = packet.add(hf.icmpExtensions, data, 8, data.count - 8, .none, parent: top)
                if packet.buildsFullTree { packet.setLabel(n, "ICMP Multi-Part Extensions") }
            }
        case MessageType.fmipv6:
            let subtype = try data.u8(4)
            packet.add(hf.fmipSubtype, data, 4, 1, .uint(UInt64(subtype)), parent: top)
            info.append(" (")
            if let name = packet.registry[hf.fmipSubtype].strings?.name(for: UInt64(subtype)) {
                info.append(name)
            } else {
                info.append("Unknown (")
                info.append(UInt64(subtype))
                info.append(")")
            }
            info.append(")")
            if subtype == 4 { // handover initiate
                packet.addBitmask(hf.fmipHIFlag, data, 5, 1, value: UInt64(try data.u8(5)), parent: top,
                                  subfields: fmipHIFlags)
            } else {
                try data.check(5, 1)
                packet.add(hf.reserved, data, 5, 1, .bytes, parent: top)
            }
            packet.add(hf.fmipIdentifier, data, 6, 2, .uint(UInt64(try data.u16(6))), parent: top)
            try dissectOptions(&packet, data, 8, top)
        default:
            packet.addExpert(hf.eiUndecodedType, parent: top, data, 0, 1,
                             message: "Dissector for ICMPv6 Type (\(type)) code not implemented, Contact Wireshark developers if you want this supported")
            if data.count > 4 {
                packet.add(hf.data, data, 4, data.count - 4, .bytes, parent: top)
            }
        }
        return .consumed(data.count)
    }

    // MARK: checksum

    /// Verified over the IPv6 pseudo-header (RFC 8200 §8.1) when the whole message is here and it
    /// is not itself quoted in an error.
    private func addChecksum(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode) throws(Malformed) {
        let checksum = try data.u16(2)
        let node = packet.add(hf.checksum, data, 2, 2, .uint(UInt64(checksum)), parent: top)
        let reported = packet.reportedLength(data)
        var sum: UInt32?
        if !packet.fragmented && !packet.inErrorPacket && data.count >= reported,
           case .ipv6(let src) = packet.netSrc, case .ipv6(let dst) = packet.netDst {
            func words(_ v: UInt64) -> UInt32 {
                UInt32(v >> 48) &+ UInt32((v >> 32) & 0xffff) &+ UInt32((v >> 16) & 0xffff) &+ UInt32(v & 0xffff)
            }
            let pseudo = words(src.hi) &+ words(src.lo) &+ words(dst.hi) &+ words(dst.lo)
                &+ UInt32(reported >> 16) &+ UInt32(reported & 0xffff) &+ 58
            sum = InternetChecksum.sum(data, initial: pseudo)
        }
        packet.addChecksumVerdict(sum: sum,
                                  unverifiedReason: packet.inErrorPacket ? "in ICMP error packet" : "fragmented datagram",
                                  checksum: checksum, item: node, status: hf.checksumStatus, badExpert: hf.eiChecksum,
                                  parent: top, data, 2)
    }

    // MARK: errors

    /// The packet an error message quotes, dissected by IPv6 as an error packet (no state is
    /// updated from it) under the ICMPv6 tree; addresses, ports and columns are put back after.
    /// A quote cut short is normal: as tshark does, what was dissected stays and no malformed
    /// mark is added.
    private func dissectInvokingPacket(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode) throws(Malformed) {
        guard data.count > 8 else { throw Malformed() }
        dissectQuoted(&packet, data.suffix(from: 8), parent: top)
    }

    func dissectQuoted(_ packet: inout PacketContext, _ quoted: ByteView, parent: TreeNode) {
        // Only an IPv6 header goes to IPv6; anything else is shown as data.
        guard quoted.count > 0 && quoted[unchecked: 0] >> 4 == 6 else {
            packet.callData(quoted, parent: parent)
            return
        }
        let saved = (packet.netSrc, packet.netDst, packet.dlSrc, packet.dlDst, packet.srcPort, packet.dstPort,
                     packet.inErrorPacket, packet.protocolColumn)
        let info = packet.info
        let savedInfo = info.bytes, savedFence = info.fence
        packet.inErrorPacket = true
        if let h = ipv6.handle {
            _ = try? h.dissector.dissect(&packet, quoted, parent)
        } else {
            packet.callData(quoted, parent: parent)
        }
        (packet.netSrc, packet.netDst, packet.dlSrc, packet.dlDst, packet.srcPort, packet.dstPort,
         packet.inErrorPacket, packet.protocolColumn) = saved
        info.bytes = savedInfo
        info.fence = savedFence
    }

    // MARK: echo

    private func dissectEcho(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                             _ type: UInt8) throws(Malformed) {
        let ident = try data.u16(4)
        packet.add(hf.echoIdentifier, data, 4, 2, .uint(UInt64(ident)), parent: top)
        let seq = try data.u16(6)
        packet.add(hf.echoSequence, data, 6, 2, .uint(UInt64(seq)), parent: top)

        var matched: TransactionTable<EchoKey>.Request?
        if !packet.inErrorPacket {
            let checksum = try data.u16(2)
            if type == MessageType.echoRequest {
                let key = EchoKey(packet.netSrc, packet.netDst, ident: ident, seq: seq, checksum: checksum)
                echoes.request(key, frame: packet.frame.number, time: packet.frame.timestamp)
            } else {
                let key = EchoKey(packet.netSrc, packet.netDst, ident: ident, seq: seq,
                                  checksum: ICMPv6EchoTable.requestChecksum(fromReply: checksum))
                matched = echoes.reply(key, frame: packet.frame.number)
            }
        }
        if let m = matched {
            packet.addGenerated(hf.respTo, .uint(UInt64(m.frame)), parent: top)
            let delta = packet.frame.timestamp - m.time
            let ms = Double(delta.seconds) * 1000 + Double(delta.nanoseconds) / 1_000_000
            let node = packet.addGenerated(hf.respTime, .double(ms), parent: top)
            if packet.buildsFullTree {
                packet.setLabel(node, "Response Time: " + FieldFormatter.cFormat("%.3f", ms) + " ms")
            }
        }
        packet.callData(data.suffix(from: 8), parent: top)

        let info = packet.info
        info.append(" id=0x")
        info.appendHex(UInt64(ident), width: 4)
        info.append(", seq=")
        info.append(UInt64(seq))
        if let hopLimit = Self.hopLimit(packet, data) {
            info.append(", hop limit=")
            info.append(UInt64(hopLimit))
        }
        if let m = matched {
            info.append(" (request in ")
            info.append(UInt64(m.frame))
            info.append(")")
        }
    }

    /// The Hop Limit of the IPv6 header this message travels in. tshark hands ICMPv6 the header;
    /// here it is found behind the message in its buffer: version 6 right before it with next
    /// header 58, or a multiple of 8 bytes further back (extension headers in between), with a
    /// payload length that reaches the end of the message.
    static func hopLimit(_ packet: PacketContext, _ data: ByteView) -> UInt8? {
        let buf = packet.sources.bytes(data.source)
        let end = data.sourceOffset + packet.reportedLength(data)
        var start = data.sourceOffset - 40
        while start >= 0 && data.sourceOffset - start <= 40 + 256 {
            if buf[start] >> 4 == 6 && (start + 40 < data.sourceOffset || buf[start + 6] == 58) {
                let plen = Int(buf[start + 4]) << 8 | Int(buf[start + 5])
                if start + 40 + plen >= end { return buf[start + 7] }
            }
            start -= 8
        }
        return nil
    }

    // MARK: mobile IPv6

    /// RFC 6275 §6.5–6.8: home agent address discovery and mobile prefix solicitation.
    private func dissectMobileIPv6(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                                   _ type: UInt8) throws(Malformed) {
        packet.add(hf.mip6Identifier, data, 4, 2, .uint(UInt64(try data.u16(4))), parent: top)
        if type == MessageType.mobilePrefixAdvertisement {
            packet.addBitmask(hf.mip6Flag, data, 6, 2, value: UInt64(try data.u16(6)), parent: top, subfields: mip6Flags)
            try dissectOptions(&packet, data, 8, top)
            return
        }
        try data.check(6, 2)
        packet.add(hf.reserved, data, 6, 2, .bytes, parent: top)
        guard type == MessageType.homeAgentReply else { return }
        var offset = 8
        let end = packet.reportedLength(data)
        while offset < end {
            packet.add(hf.mip6HomeAgent, data, offset, 16, .ipv6(try IPv6Address(data, at: offset)), parent: top)
            offset += 16
        }
    }

    // MARK: node information

    /// RFC 4620: the query subject (by code) or the reply data (by query type).
    private func dissectNodeInformation(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                                        _ type: UInt8, _ code: UInt8) throws(Malformed) {
        let qtype = try data.u16(4)
        packet.add(hf.niQtype, data, 4, 2, .uint(UInt64(qtype)), parent: top)
        packet.addBitmask(hf.niFlag, data, 6, 2, value: UInt64(try data.u16(6)), parent: top, subfields: niFlags)
        packet.add(hf.niNonce, data, 8, 8, .uint(try data.u64(8)), parent: top)
        let end = packet.reportedLength(data)
        var offset = 16
        if type == MessageType.nodeInfoQuery {
            guard offset < end else { return }
            switch code {
            case 0:
                packet.add(hf.niSubjectIPv6, data, 16, 16, .ipv6(try IPv6Address(data, at: 16)), parent: top)
            case 1:
                let (name, used) = try Self.domainName(data, 16, message: data)
                if packet.wants(hf.niSubjectFQDN) {
                    packet.add(hf.niSubjectFQDN, data, 16, used, packet.text(name), parent: top)
                }
            case 2:
                packet.add(hf.niSubjectIPv4, data, 16, 4, .ipv4(try data.u32(16)), parent: top)
            default:
                break
            }
            return
        }
        guard code == 0 else { return }
        switch qtype {
        case 2: // node name: a TTL, then names
            guard offset < end else { return }
            packet.add(hf.niTTL, data, offset, 4, .uint(UInt64(try data.u32(offset))), parent: top)
            offset += 4
            while offset < end {
                let (name, used) = try Self.domainName(data, offset, message: data)
                if packet.wants(hf.niNodeName) {
                    packet.add(hf.niNodeName, data, offset, used, packet.text(name), parent: top)
                }
                offset += used
            }
        case 3, 4: // addresses, each after its TTL
            let size = qtype == 3 ? 16 : 4
            while offset < end {
                packet.add(hf.niTTL, data, offset, 4, .uint(UInt64(try data.u32(offset))), parent: top)
                offset += 4
                if size == 16 {
                    packet.add(hf.niNodeAddress, data, offset, 16, .ipv6(try IPv6Address(data, at: offset)), parent: top)
                } else {
                    packet.add(hf.niIPv4Address, data, offset, 4, .ipv4(try data.u32(offset)), parent: top)
                }
                offset += size
            }
        default:
            break
        }
    }

    // MARK: multicast listener discovery

    /// RFC 3810 §5.1: a query of 28 bytes or more.
    private func dissectMLDv2Query(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode) throws(Malformed) {
        // Codes of 32768 and up are a floating-point encoding (§5.1.3).
        let mrc = UInt64(try data.u16(4))
        let delay = mrc < 0x8000 ? mrc : (mrc & 0xfff | 0x1000) << ((mrc >> 12 & 7) + 3)
        packet.add(hf.mldMaxResponseCode, data, 4, 2, .uint(delay), parent: top)
        try data.check(6, 2)
        packet.add(hf.reserved, data, 6, 2, .bytes, parent: top)
        packet.add(hf.mldMulticastAddress, data, 8, 16, .ipv6(try IPv6Address(data, at: 8)), parent: top)
        packet.addBitmask(hf.mldFlag, data, 24, 1, value: UInt64(try data.u8(24)), parent: top, subfields: mldFlags)
        let qqic = UInt64(try data.u8(25))
        let interval = qqic < 128 ? qqic : (qqic & 0xf | 0x10) << ((qqic >> 4 & 7) + 3)
        packet.add(hf.mldQQIC, data, 25, 1, .uint(interval), parent: top)
        let sources = Int(try data.u16(26))
        packet.add(hf.mldSourceCount, data, 26, 2, .uint(UInt64(sources)), parent: top)
        for i in 0..<sources {
            let offset = 28 + 16 * i
            packet.add(hf.mldSource, data, offset, 16, .ipv6(try IPv6Address(data, at: offset)), parent: top)
        }
    }

    /// RFC 3810 §5.2: multicast address records.
    private func dissectMLDv2Report(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode) throws(Malformed) {
        try data.check(4, 2)
        packet.add(hf.reserved, data, 4, 2, .bytes, parent: top)
        let records = Int(try data.u16(6))
        packet.add(hf.mldrRecordCount, data, 6, 2, .uint(UInt64(records)), parent: top)
        var offset = 8
        for _ in 0..<records {
            let recordType = try data.u8(offset)
            let auxLength = Int(try data.u8(offset + 1))
            let sources = Int(try data.u16(offset + 2))
            let address = try IPv6Address(data, at: offset + 4)
            let length = 20 + 16 * sources + 4 * auxLength
            let node = packet.add(hf.mldrRecord, data, offset, min(length, data.count - offset), .none, parent: top)
            if packet.buildsFullTree {
                let name = packet.registry[hf.mldrRecordType].strings?.name(for: UInt64(recordType)) ?? "Unknown"
                packet.setLabel(node, "Multicast Address Record \(name): " + FieldFormatter.ipv6String(address))
            }
            packet.add(hf.mldrRecordType, data, offset, 1, .uint(UInt64(recordType)), parent: node)
            packet.add(hf.mldrAuxDataLength, data, offset + 1, 1, .uint(UInt64(auxLength)), parent: node)
            packet.add(hf.mldrSourceCount, data, offset + 2, 2, .uint(UInt64(sources)), parent: node)
            packet.add(hf.mldrMulticastAddress, data, offset + 4, 16, .ipv6(address), parent: node)
            var at = offset + 20
            for _ in 0..<sources {
                packet.add(hf.mldrSource, data, at, 16, .ipv6(try IPv6Address(data, at: at)), parent: node)
                at += 16
            }
            if auxLength > 0 {
                try data.check(at, 4 * auxLength)
                packet.add(hf.mldrAuxData, data, at, 4 * auxLength, .bytes, parent: node)
            }
            offset += length
        }
    }
}
