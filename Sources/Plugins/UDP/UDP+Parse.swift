import DissectKit

extension UDPDissector {
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        // tshark reads the ports before it claims the Protocol column.
        let sport = try data.u16(0)
        let dport = try data.u16(2)
        packet.protocolColumn = "UDP"
        packet.info.clear()
        let full = packet.buildsFullTree
        packet.info.append(UInt64(sport))
        packet.info.append(" → ")
        packet.info.append(UInt64(dport))
        let top = packet.addProtocol(hf.proto, data, 0, min(8, data.count), parent: parent,
                                     text: self.prefSummaryInTree.boolValue
                                        ? "User Datagram Protocol, Src Port: \(sport), Dst Port: \(dport)"
                                        : nil)
        let sNode = packet.add(hf.srcPort, data, 0, 2, .uint(UInt64(sport)), parent: top)
        let dNode = packet.add(hf.dstPort, data, 2, 2, .uint(UInt64(dport)), parent: top)
        packet.add(hf.port, data, 0, 2, .uint(UInt64(sport)), parent: top, flags: .hidden)
        packet.add(hf.port, data, 2, 2, .uint(UInt64(dport)), parent: top, flags: .hidden)
        addTracerouteHint(&packet, data, sport, 0, node: sNode)
        addTracerouteHint(&packet, data, dport, 2, node: dNode)

        let isIPv6 = { if case .ipv6 = packet.netSrc { return true } else { return false } }()
        let reported = packet.reportedLength(data)
        var ulen = Int(try data.u16(4))
        var view = data
        var jumbogram = false
        if ulen == 0 && isIPv6 {
            // RFC 2675 §4: a UDP jumbogram carries 0 and takes its length from the IPv6 layer.
            ulen = reported
            jumbogram = true
            let n = packet.add(hf.length, data, 4, 2, .uint(0), parent: top)
            if reported < 65536 { packet.addExpert(hf.eiLengthBadZero, parent: n, data, 4, 2) }
        } else if ulen < 8 {
            let n = packet.add(hf.length, data, 4, 2, .uint(UInt64(ulen)), parent: top)
            if full { packet.appendLabel(n, " (bogus, must be >= 8)") }
            packet.addExpert(hf.eiLengthBad, parent: n, data, 4, 2, message: "Bad length value \(ulen) < 8")
            packet.info.append(" [BAD UDP LENGTH ")
            packet.info.append(UInt64(ulen))
            packet.info.append(" < 8]")
            return .consumed(data.count)
        } else if ulen > reported && !packet.inErrorPacket && !packet.fragmented {
            let n = packet.add(hf.length, data, 4, 2, .uint(UInt64(ulen)), parent: top)
            if full { packet.appendLabel(n, " (bogus, payload length \(reported))") }
            packet.addExpert(hf.eiLengthBad, parent: n, data, 4, 2,
                             message: "Bad length value \(ulen) > IP payload length")
            packet.info.append(" [BAD UDP LENGTH ")
            packet.info.append(UInt64(ulen))
            packet.info.append(" > IP PAYLOAD LENGTH]")
        } else {
            packet.add(hf.length, data, 4, 2, .uint(UInt64(ulen)), parent: top)
            view = data.prefix(ulen)
        }
        packet.info.append(" Len=")
        packet.info.append(UInt64(ulen - 8))
        if jumbogram { packet.info.append(" [Jumbogram]") }

        let checksum = try data.u16(6)
        try addChecksum(&packet, view, checksum: checksum, ulen: ulen, isIPv6: isIPv6, parent: top)

        packet.srcPort = UInt32(sport)
        packet.dstPort = UInt32(dport)
        let (slot, index) = streams.stream(src: packet.netSrc, srcPort: sport, dst: packet.netDst, dstPort: dport,
                                           now: packet.frame.timestamp, bindings: packet.conversations)
        packet.addGenerated(hf.stream, .uint(UInt64(index)), parent: top, at: data, 8, 0)

        let payload = view.suffix(from: 8)
        let payloadReported = packet.reportedLength(payload)
        guard payloadReported > 0 else { return .consumed(data.count) }
        // tshark keeps no times for the copy of a header quoted in an ICMP error.
        if prefTimestamps.boolValue && !packet.inErrorPacket {
            let (rel, delta) = streams.times(slot, now: packet.frame.timestamp)
            // "[Timestamps]" is a generated text line (its JSON key has no brackets); without a
            // tree the times hang off the UDP item.
            let ts = full ? packet.addText("Timestamps", data, 8, 0, parent: top, generated: true) : top
            packet.addGenerated(hf.timeRelative, .relativeTime(rel), parent: ts, at: data, 8, 0)
            packet.addGenerated(hf.timeDelta, .relativeTime(delta), parent: ts, at: data, 8, 0)
        }
        let pNode = packet.add(hf.payload, payload, 0, payload.count, .bytes, parent: top)
        if full { packet.setLabel(pNode, "UDP payload (\(payload.count) byte\(payload.count == 1 ? "" : "s"))") }

        dispatch(&packet, payload, sport: sport, dport: dport)
        return .consumed(data.count)
    }

    /// tshark's `decode_udp_ports`: a dissector bound to the conversation (TFTP's transfer ports),
    /// then the lower port, then the higher, then heuristics, then data.
    func dispatch(_ packet: inout PacketContext, _ payload: ByteView, sport: UInt16, dport: UInt16) {
        let bindings = packet.conversations
        if !bindings.isEmpty,
           let b = bindings.find(transport: 17, src: packet.netSrc, srcPort: sport, dst: packet.netDst, dstPort: dport) {
            let mark = packet.tree.records.count, layerMark = packet.layers.count
            if packet.call(b.handle, payload) != .notMine { return }
            packet.tree.records.removeSubrange(mark...)
            packet.layers.truncate(layerMark)
        }
        if prefHeuristicFirst.boolValue && packet.tryHeuristics(heuristics, payload) { return }
        let low = min(sport, dport), high = max(sport, dport)
        if low != 0, packet.call(table: portTable, key: UInt32(low), payload) != nil { return }
        if high != 0, high != low, packet.call(table: portTable, key: UInt32(high), payload) != nil { return }
        if !prefHeuristicFirst.boolValue && packet.tryHeuristics(heuristics, payload) { return }
        packet.callData(payload)
    }

    /// LBL traceroute probes use ports 33435 and up, three per hop.
    func addTracerouteHint(_ packet: inout PacketContext, _ data: ByteView, _ port: UInt16, _ off: Int, node: TreeNode) {
        let base = 32768 + 666
        guard Int(port) > base && Int(port) <= base + 30 else { return }
        let n = Int(port) - base - 1
        packet.addExpert(hf.eiTraceroute, parent: node, data, off, 2,
                         message: "Possible traceroute: hop #\(n / 3 + 1), attempt #\(n % 3 + 1)")
    }

    func addChecksum(_ packet: inout PacketContext, _ view: ByteView, checksum: UInt16, ulen: Int, isIPv6: Bool,
                     parent top: TreeNode) throws(Malformed) {
        let full = packet.buildsFullTree
        let hex = { (v: UInt16) in "0x" + FieldFormatter.hex(UInt64(v), digits: 4) }
        if checksum == 0 {
            let n = packet.add(hf.checksum, view, 6, 2, .uint(0), parent: top)
            if !isIPv6 || packet.inErrorPacket || prefIgnoreIPv6ZeroChecksum.boolValue {
                packet.appendLabel(n, " [zero-value ignored]")
                packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.notPresent), parent: n, at: view, 6, 0)
            } else {
                // RFC 8200 §8.1: IPv6 forbids a zero UDP checksum.
                packet.appendLabel(n, " [zero-value illegal]")
                packet.addExpert(hf.eiChecksumZero, parent: n, view, 6, 2)
                packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.illegal), parent: n, at: view, 6, 0)
                packet.info.append(" [ILLEGAL CHECKSUM (0)]")
            }
            return
        }
        if prefCheckChecksum.boolValue && !packet.fragmented && view.has(0, ulen), let pseudo = pseudoHeaderSum(packet, length: ulen) {
            let s = InternetChecksum.sum(view.prefix(ulen), initial: pseudo)
            let n = packet.add(hf.checksum, view, 6, 2, .uint(UInt64(checksum)), parent: top)
            if InternetChecksum.finish(s) == 0 {
                packet.appendLabel(n, " [correct]")
                packet.addGenerated(hf.checksumCalculated, .uint(UInt64(checksum)), parent: n, at: view, 6, 2)
                packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.good), parent: top, at: view, 6, 0)
            } else {
                var expected = InternetChecksum.expected(sumIncludingField: s, field: checksum)
                if expected == 0 { expected = 0xffff }
                if full {
                    packet.setLabel(n, "Checksum: \(hex(checksum)) incorrect, should be \(hex(expected)) "
                                    + "(maybe caused by \"UDP checksum offload\"?)")
                }
                packet.addExpert(hf.eiChecksumBad, parent: n, view, 6, 2, message: "Bad checksum [should be \(hex(expected))]")
                packet.addGenerated(hf.checksumCalculated, .uint(UInt64(expected)), parent: n, at: view, 6, 2)
                packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.bad), parent: top, at: view, 6, 0)
                packet.info.append(" [UDP CHECKSUM INCORRECT]")
            }
            return
        }
        let n = packet.add(hf.checksum, view, 6, 2, .uint(UInt64(checksum)), parent: top)
        packet.appendLabel(n, " [unverified]")
        packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.unverified), parent: top, at: view, 6, 0)
    }

    /// Sum of the IPv4 (RFC 768) or IPv6 (RFC 8200 §8.1) pseudo-header.
    func pseudoHeaderSum(_ packet: PacketContext, length: Int) -> UInt32? {
        func words(_ v: UInt64) -> UInt32 {
            UInt32(v >> 48) &+ UInt32((v >> 32) & 0xffff) &+ UInt32((v >> 16) & 0xffff) &+ UInt32(v & 0xffff)
        }
        switch (packet.netSrc, packet.netDst) {
        case (.ipv4(let s), .ipv4(let d)):
            return (s >> 16) &+ (s & 0xffff) &+ (d >> 16) &+ (d & 0xffff) &+ 17 &+ UInt32(length & 0xffff)
        case (.ipv6(let s), .ipv6(let d)):
            return words(s.hi) &+ words(s.lo) &+ words(d.hi) &+ words(d.lo) &+ UInt32(length >> 16) &+
                UInt32(length & 0xffff) &+ 17
        default:
            return nil
        }
    }
}
