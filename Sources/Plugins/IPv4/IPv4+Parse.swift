import DissectKit

extension IPv4Dissector {
    static let minHeaderLength = 20
    static let flagMF: UInt16 = 0x2000
    static let offsetMask: UInt16 = 0x1fff

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "IPv4"
        packet.info.clear()
        let full = packet.buildsFullTree
        let vhl = try data.u8(0)
        let version = vhl >> 4
        let hlen = Int(vhl & 0x0f) * 4
        let top = packet.addProtocol(hf.proto, data, 0, min(max(hlen, 1), data.count), parent: parent)

        let vNode = packet.add(hf.version, data, 0, 1, .uint(UInt64(version)), parent: top)
        if full {
            packet.setLabel(vNode) { b in
                FieldFormatter.writeBitPattern(value: UInt64(version), mask: 0xf0, width: 8, to: b)
                b.append(" = Version: ")
                b.appendDecimal(UInt64(version))
            }
        }
        if version != 4 {
            packet.info.append("Bogus IPv4 version (")
            packet.info.append(UInt64(version))
            packet.info.append(", must be 4)")
            packet.addExpert(hf.eiBogusVersion, parent: vNode, data, 0, 1, message: "Bogus IPv4 version")
            return .consumed(data.count)
        }
        // tshark stores the length in bytes (`ip.hdr_len == 20`), the line shows both.
        let hNode = packet.add(hf.hdrLen, data, 0, 1, .uint(UInt64(hlen)), parent: top)
        if full {
            packet.setLabel(hNode) { b in
                FieldFormatter.writeBitPattern(value: UInt64(vhl & 0x0f), mask: 0x0f, width: 8, to: b)
                b.append(" = Header Length: ")
                b.appendDecimal(hlen)
                b.append(" bytes (")
                b.appendDecimal(hlen >> 2)
                b.append(0x29)
            }
        }
        if hlen < Self.minHeaderLength {
            packet.info.append("Bogus IP header length (")
            packet.info.append(UInt64(hlen))
            packet.info.append(", must be at least 20)")
            packet.addExpert(hf.eiBogusHeaderLength, parent: hNode, data, 0, 1,
                             message: "Bogus IP header length (\(hlen), must be at least 20)")
            return .consumed(data.count)
        }

        let tos = try data.u8(1)
        let ds = packet.add(hf.dsfield, data, 1, 1, .uint(UInt64(tos)), parent: top)
        packet.appendLabel(ds) { IPDiffServ.writeSummary(tos, to: $0) }
        packet.add(hf.dscp, data, 1, 1, .uint(UInt64(tos >> 2)), parent: ds)
        packet.add(hf.ecn, data, 1, 1, .uint(UInt64(tos & 3)), parent: ds)

        var ipLen = Int(try data.u16(2))
        let reported = packet.reportedLength(data)
        if ipLen == 0 && prefTSO.boolValue && !packet.inErrorPacket {
            // A capture on a host with TCP segmentation offload: the stack left the length 0.
            ipLen = reported
            let n = packet.add(hf.len, data, 2, 2, .uint(UInt64(ipLen)), parent: top, flags: .generated)
            if full {
                packet.setLabel(n, "Total Length: \(ipLen) bytes (reported as 0, presumed to be because of "
                                + "\"TCP segmentation offload\" (TSO))")
            }
        } else if ipLen < hlen {
            packet.info.append("Bogus IP length (")
            packet.info.append(UInt64(ipLen))
            packet.info.append(", less than header length ")
            packet.info.append(UInt64(hlen))
            packet.info.append(")")
            let n = packet.add(hf.len, data, 2, 2, .uint(UInt64(ipLen)), parent: top)
            if full { packet.setLabel(n, "Total Length: \(ipLen) bytes (bogus, less than header length \(hlen))") }
            packet.addExpert(hf.eiBogusLength, parent: n, data, 2, 2)
            return .consumed(data.count)
        } else {
            let n = packet.add(hf.len, data, 2, 2, .uint(UInt64(ipLen)), parent: top)
            if ipLen > reported && !packet.inErrorPacket { // tshark stays quiet inside ICMP errors
                packet.addExpert(hf.eiBogusLength, parent: n, data, 2, 2,
                                 message: "IPv4 total length exceeds packet length (\(reported) bytes)")
            }
        }

        let ident = try data.u16(4)
        packet.add(hf.id, data, 4, 2, .uint(UInt64(ident)), parent: top)
        let off = try data.u16(6)
        let flags = UInt8(off >> 13)
        let fNode = packet.add(hf.flags, data, 6, 1, .uint(UInt64(flags)), parent: top)
        if full && flags & 7 != 0 {
            packet.appendLabel(fNode) { b in
                if flags & 4 != 0 { b.append(", Reserved bit") }
                if flags & 2 != 0 { b.append(", Don't fragment") }
                if flags & 1 != 0 { b.append(", More fragments") }
            }
        }
        packet.add(hf.flagRB, data, 6, 1, .bool(flags & 4 != 0), parent: fNode)
        packet.add(hf.flagDF, data, 6, 1, .bool(flags & 2 != 0), parent: fNode)
        packet.add(hf.flagMF, data, 6, 1, .bool(flags & 1 != 0), parent: fNode)
        let fragOffset = Int(off & Self.offsetMask) * 8
        // The field holds the raw 13-bit value (filters compare it); the line shows bytes.
        let oNode = packet.add(hf.fragOffset, data, 6, 2, .uint(UInt64(off & Self.offsetMask)), parent: top)
        if full {
            packet.setLabel(oNode) { b in
                FieldFormatter.writeBitPattern(value: UInt64(off & Self.offsetMask), mask: 0x1fff, width: 16, to: b)
                b.append(" = Fragment Offset: ")
                b.appendDecimal(fragOffset)
            }
        }

        let ttl = try data.u8(8)
        let ttlNode = packet.add(hf.ttl, data, 8, 1, .uint(UInt64(ttl)), parent: top)
        let proto = try data.u8(9)
        if data.has(16, 4) {
            let dst = try data.u32(16)
            if dst & 0xffff_ff00 == 0xe000_0000 {
                // RFC 3171: the Local Network Control Block is link-local; routers never forward it.
                // tshark's exceptions: VRRP (224.0.0.18) and GLBP (.102) use 255, mDNS (.251)
                // and LLMNR (.252) any TTL; everything else 1.
                let valid: Int
                switch dst {
                case 0xe000_0012, 0xe000_0066: valid = 255
                case 0xe000_00fb, 0xe000_00fc: valid = -1
                default: valid = 1
                }
                if valid >= 0 && Int(ttl) != valid {
                    packet.addExpert(hf.eiTTLLNCB, parent: ttlNode, data, 8, 1,
                                     message: "\"Time To Live\" != \(valid) for a packet sent to the Local Network Control Block (see RFC 3171)")
                }
            } else if dst & 0xf000_0000 != 0xe000_0000 && ttl < 5 && proto != 103 && proto != 89 /* OSPF */ {
                packet.addExpert(hf.eiTTLTooSmall, parent: ttlNode, data, 8, 1, message: "\"Time To Live\" only \(ttl)")
            }
        }
        packet.add(hf.ipProto, data, 9, 1, .uint(UInt64(proto)), parent: top)

        // Header checksum (RFC 791 §3.1), verified only when asked (`ip.check_checksum`).
        let checksum = try data.u16(10)
        var checksumBad = false
        if prefCheckChecksum.boolValue && data.has(0, hlen) {
            let s = InternetChecksum.sum(data.prefix(hlen))
            let result = InternetChecksum.finish(s)
            let cNode = packet.add(hf.checksum, data, 10, 2, .uint(UInt64(checksum)), parent: top)
            if result == 0 {
                packet.appendLabel(cNode, " [correct]")
                packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.good), parent: top, at: data, 10, 2)
                packet.addGenerated(hf.checksumCalculated, .uint(UInt64(checksum)), parent: top, at: data, 10, 2)
            } else {
                checksumBad = true
                let expected = InternetChecksum.expected(sumIncludingField: s, field: checksum)
                if full {
                    packet.setLabel(cNode, "Header Checksum: 0x\(FieldFormatter.hex(UInt64(checksum), digits: 4)) incorrect, "
                                    + "should be 0x\(FieldFormatter.hex(UInt64(expected), digits: 4))"
                                    + "(may be caused by \"IP checksum offload\"?)")
                }
                packet.addExpert(hf.eiChecksumBad, parent: cNode, data, 10, 2,
                                 message: "Bad checksum [should be 0x\(FieldFormatter.hex(UInt64(expected), digits: 4))]")
                packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.bad), parent: top, at: data, 10, 2)
                packet.addGenerated(hf.checksumCalculated, .uint(UInt64(expected)), parent: top, at: data, 10, 2)
            }
        } else {
            let cNode = packet.add(hf.checksum, data, 10, 2, .uint(UInt64(checksum)), parent: top)
            let checked = prefCheckChecksum.boolValue
            packet.appendLabel(cNode) { $0.append(checked ? " [not all data available]" : " [validation disabled]") }
            packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.unverified), parent: top, at: data, 10, 0)
        }

        let src = try data.u32(12)
        packet.netSrc = .ipv4(src)
        if full && prefSummaryInTree.boolValue {
            packet.appendLabel(top) { b in
                b.append(", Src: ")
                b.appendIPv4(src)
            }
        }
        packet.add(hf.src, data, 12, 4, .ipv4(src), parent: top)
        packet.add(hf.addr, data, 12, 4, .ipv4(src), parent: top, flags: .hidden)
        addHostStrings(&packet, data, 12, src, hf.srcHost, parent: top)

        let headerDst = try data.u32(16)
        // A source route that is not used up names the real destination (RFC 791 §3.1).
        var finalDst: (offset: Int, addr: UInt32)? = nil
        if hlen > Self.minHeaderLength && data.has(0, hlen) {
            finalDst = IPv4Options.sourceRouteDestination(data, from: Self.minHeaderLength, to: hlen)
        }
        if let fd = finalDst {
            packet.netDst = .ipv4(fd.addr)
            if full && prefSummaryInTree.boolValue {
                packet.appendLabel(top, ", Dst: \(FieldFormatter.ipv4String(fd.addr)), Via: \(FieldFormatter.ipv4String(headerDst))")
            }
            packet.add(hf.curRoute, data, 16, 4, .ipv4(headerDst), parent: top)
            if packet.wants(hf.curRouteHost) {
                packet.add(hf.curRouteHost, data, 16, 4, packet.text(FieldFormatter.ipv4String(headerDst)), parent: top,
                           flags: [.generated, .hidden])
            }
        } else {
            packet.netDst = .ipv4(headerDst)
            if full && prefSummaryInTree.boolValue {
                packet.appendLabel(top) { b in
                    b.append(", Dst: ")
                    b.appendIPv4(headerDst)
                }
            }
            packet.add(hf.dst, data, 16, 4, .ipv4(headerDst), parent: top)
            packet.add(hf.addr, data, 16, 4, .ipv4(headerDst), parent: top, flags: .hidden)
            addHostStrings(&packet, data, 16, headerDst, hf.dstHost, parent: top)
        }

        if hlen > Self.minHeaderLength {
            try dissectOptions(&packet, data, hlen: hlen, parent: top, finalDst: finalDst)
        }

        // The payload: everything after the header, cut to the total length.
        let payloadLen = max(0, ipLen - hlen)
        let payload = data.suffix(from: hlen).prefix(payloadLen)
        let fragmented = off & (Self.flagMF | Self.offsetMask) != 0
        var next: ByteView? = nil
        // tshark's `pinfo->fragmented`: the payload handed on is only the first piece.
        var payloadFragmented = packet.fragmented
        if prefDefragment.boolValue && fragmented && payloadLen > 0 && data.has(hlen, payloadLen) && !checksumBad
            && !packet.inErrorPacket {
            let key = IPFragmentTable.Key(src: IPv6Address(hi: 0, lo: UInt64(src)), dst: IPv6Address(hi: 0, lo: UInt64(headerDst)),
                                          id: UInt32(ident), proto: UInt16(proto))
            if let whole = fragments.add(key, frame: packet.frame.number, offset: fragOffset, data: payload,
                                         more: off & Self.flagMF != 0) {
                next = hf.frag.show(whole, &packet, parent: top)
            }
        } else if off & Self.offsetMask == 0 {
            next = payload
            payloadFragmented = off & Self.flagMF != 0
        }
        let savedFragmented = packet.fragmented
        packet.fragmented = payloadFragmented
        defer { packet.fragmented = savedFragmented }
        guard let next else {
            packet.info.set("Fragmented IP protocol (proto=")
            packet.info.append(IPProtocolNames.name(proto))
            packet.info.append(" ")
            packet.info.append(UInt64(proto))
            packet.info.append(", off=")
            packet.info.append(UInt64(fragOffset))
            packet.info.append(", ID=")
            packet.info.appendHex(UInt64(ident), width: 4)
            packet.info.append(")")
            packet.callData(payload)
            return .consumed(min(ipLen, data.count))
        }
        if next.count > 0 || packet.reportedLength(next) > 0 {
            if packet.call(table: ipProto, key: UInt32(proto), next, parent: parent) == nil {
                packet.info.set("")
                packet.info.append(IPProtocolNames.name(proto))
                packet.info.append(" (")
                packet.info.append(UInt64(proto))
                packet.info.append(")")
                packet.callData(next, parent: parent)
            }
        }
        // The datagram ends at its total length; what follows is the link layer's trailer.
        return .consumed(min(ipLen, data.count))
    }

    /// ip.src_host/ip.dst_host and ip.host: the address as text (no name resolution), hidden.
    func addHostStrings(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ a: UInt32, _ field: FieldID,
                        parent: TreeNode) {
        guard packet.wants(field) || packet.wants(hf.host) else { return }
        let v = packet.text(FieldFormatter.ipv4String(a))
        packet.add(field, data, offset, 4, v, parent: parent, flags: [.generated, .hidden])
        packet.add(hf.host, data, offset, 4, v, parent: parent, flags: [.generated, .hidden])
    }
}

extension PacketContext {
    /// The length `data` had on the wire (tshark's `tvb_reported_length`): with the bytes the
    /// snapshot length cut off when it runs to the end of the frame.
    func reportedLength(_ data: ByteView) -> Int { data.count + missingBytes(data) }
}
