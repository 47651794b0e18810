import DissectKit

extension IPv6Dissector {
    static let headerLength = 40

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "IPv6"
        packet.info.clear()
        let full = packet.buildsFullTree
        let layerMark = packet.layers.count
        let top = packet.addProtocol(hf.proto, data, 0, min(Self.headerLength, data.count), parent: parent)
        let first = try data.u8(0)
        let version = first >> 4
        let vNode = packet.add(hf.version, data, 0, 1, .uint(UInt64(version)), parent: top)
        if full {
            packet.setLabel(vNode, FieldFormatter.bitPattern(value: UInt64(version), mask: 0xf0, width: 8)
                            + " = Version: \(version)")
        }
        if hf.ipVersion != .textOnly {
            packet.add(hf.ipVersion, data, 0, 1, .uint(UInt64(version)), parent: top, flags: .hidden)
        }
        if version != 6 {
            packet.info.set("Bogus IPv6 version (")
            packet.info.append(UInt64(version))
            packet.info.append(", must be 6)")
            packet.addExpert(hf.eiBogusVersion, parent: vNode, data, 0, 1, message: "Bogus IPv6 version")
            // tshark's dissector returns 0: the caller shows the bytes as data and the layer is dropped.
            packet.layers.truncate(layerMark)
            return .notMine
        }
        if data.count < Self.headerLength {
            packet.info.append("Invalid IPv6 header (")
            packet.info.append(UInt64(data.count))
            packet.info.append(" bytes, need exactly 40)")
            packet.addExpert(hf.eiInvalidHeader, parent: top, data, 0, data.count,
                             message: "IPv6 header must be exactly 40 bytes")
        }
        let word = try data.u32(0)
        let tc = UInt8((word >> 20) & 0xff)
        let tcNode = packet.add(hf.tclass, data, 0, 4, .uint(UInt64(tc)), parent: top)
        packet.appendLabel(tcNode, IPDiffServ.summary(tc))
        packet.add(hf.dscp, data, 0, 4, .uint(UInt64(tc >> 2)), parent: tcNode)
        packet.add(hf.ecn, data, 0, 4, .uint(UInt64(tc & 3)), parent: tcNode)
        packet.add(hf.flow, data, 1, 3, .uint(UInt64(word & 0xfffff)), parent: top)

        var plen = Int(try data.u16(4))
        let nxt = try data.u8(6)
        let reported = packet.reportedLength(data)
        let pNode = packet.add(hf.plen, data, 4, 2, .uint(UInt64(plen)), parent: top)
        if plen == 0 && nxt == 0, let jumbo = Self.jumboLength(data) {
            // RFC 2675: the real length is in the hop-by-hop Jumbo Payload option.
            plen = jumbo
            packet.appendLabel(pNode, " (Jumbogram)")
        } else if plen == 0 && nxt != 59 {
            packet.addExpert(hf.eiPlenZero, parent: pNode, data, 4, 2)
        }
        // tshark stays quiet about a quoted header cut short inside an ICMPv6 error.
        if plen > reported - Self.headerLength && reported >= Self.headerLength && !packet.inErrorPacket {
            packet.addExpert(hf.eiPlenExceeds, parent: pNode, data, 4, 2,
                             message: "IPv6 payload length exceeds framing length (\(reported - Self.headerLength) bytes)")
        }
        packet.add(hf.nxt, data, 6, 1, .uint(UInt64(nxt)), parent: top)
        packet.add(hf.hlim, data, 7, 1, .uint(UInt64(try data.u8(7))), parent: top)

        let src = try IPv6Address(data, at: 8)
        packet.netSrc = .ipv6(src)
        packet.add(hf.src, data, 8, 16, .ipv6(src), parent: top)
        packet.add(hf.addr, data, 8, 16, .ipv6(src), parent: top, flags: .hidden)
        addHost(&packet, data, 8, src, hf.srcHost, parent: top)
        let dst = try IPv6Address(data, at: 24)
        packet.netDst = .ipv6(dst)
        if full && prefSummaryInTree.boolValue {
            packet.appendLabel(top) { b in
                b.append(", Src: ")
                b.appendIPv6(src)
                b.append(", Dst: ")
                b.appendIPv6(dst)
            }
        }
        packet.add(hf.dst, data, 24, 16, .ipv6(dst), parent: top)
        packet.add(hf.addr, data, 24, 16, .ipv6(dst), parent: top, flags: .hidden)
        addHost(&packet, data, 24, dst, hf.dstHost, parent: top)
        addAddressDetails(&packet, data, 8, src, hf.detail.src, parent: top)
        addAddressDetails(&packet, data, 24, dst, hf.detail.dst, parent: top)

        let payload = data.suffix(from: Self.headerLength).prefix(plen)
        current = Current(frame: packet.frame.number, tree: top, src: src, dst: dst,
                          payloadSource: payload.source, payloadOffset: payload.sourceOffset, parent: parent)
        dispatch(&packet, nxt, payload)
        return .consumed(min(data.count, Self.headerLength + plen))
    }

    /// tshark's `ipv6_dissect_next`: the next header through the `ip.proto` table, "no next
    /// header" (59), or data with "Name (n)" in Info.
    func dispatch(_ packet: inout PacketContext, _ nxt: UInt8, _ payload: ByteView) {
        if nxt == 59 {
            Self.appendInfo(&packet, "IPv6 no next header")
            packet.callData(payload, parent: current.parent)
            return
        }
        if packet.call(table: ipProto, key: UInt32(nxt), payload, parent: current.parent) == nil {
            packet.info.set("")
            packet.info.append(IPProtocolNames.name(nxt))
            packet.info.append(" (")
            packet.info.append(UInt64(nxt))
            packet.info.append(")")
            packet.callData(payload, parent: current.parent)
        }
    }

    /// The tree an extension header hangs under: the current IPv6 header's, or `parent` when
    /// the header follows something else (IPv6 routing after IPv4, say).
    func extensionParent(_ packet: PacketContext, _ parent: TreeNode) -> TreeNode {
        current.frame == packet.frame.number && parent == current.parent && !prefExtUnderRoot.boolValue
            ? current.tree : parent
    }

    /// True when `data` starts right after the current IPv6 header (RFC 8200 §4.1 wants the
    /// hop-by-hop header there).
    func followsHeader(_ packet: PacketContext, _ data: ByteView) -> Bool {
        current.frame == packet.frame.number && current.payloadSource == data.source
            && current.payloadOffset == data.sourceOffset
    }

    /// tshark's `col_append_sep_str(COL_INFO, " , ", text)`.
    static func appendInfo(_ packet: inout PacketContext, _ text: StaticString) {
        if !packet.info.isEmpty { packet.info.append(" , ") }
        packet.info.append(text)
    }

    /// The Jumbo Payload option's length when the first extension header is hop-by-hop.
    static func jumboLength(_ data: ByteView) -> Int? {
        guard data.has(40, 2) else { return nil }
        let hlen = (Int(data[unchecked: 41]) + 1) * 8
        var off = 42
        let end = min(40 + hlen, data.count)
        while off < end {
            let t = data[unchecked: off]
            if t == 0 { off += 1; continue }
            guard off + 1 < end else { return nil }
            let len = Int(data[unchecked: off + 1])
            if t == 0xc2 && len == 4 && off + 6 <= end {
                return Int((try? data.u32(off + 2)) ?? 0)
            }
            off += 2 + len
        }
        return nil
    }

    func addHost(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ a: IPv6Address, _ field: FieldID,
                 parent: TreeNode) {
        guard packet.wants(field) || packet.wants(hf.host) else { return }
        let v = packet.text(FieldFormatter.ipv6String(a))
        packet.add(field, data, offset, 16, v, parent: parent, flags: [.generated, .hidden])
        packet.add(hf.host, data, offset, 16, v, parent: parent, flags: [.generated, .hidden])
    }

    /// What tshark reads out of 6to4 (RFC 3056), Teredo (RFC 4380), SLAAC EUI-64 (RFC 4291
    /// App. A), ISATAP (RFC 5214) and IPv4-embedded (RFC 6052) addresses.
    func addAddressDetails(_ packet: inout PacketContext, _ data: ByteView, _ off: Int, _ a: IPv6Address,
                           _ side: AddressDetailFields.Side, parent: TreeNode) {
        let any = hf.detail.any
        func both(_ f: FieldID, _ g: FieldID, _ o: Int, _ l: Int, _ v: FieldValue, showAny: Bool = false) {
            packet.addGenerated(f, v, parent: parent, at: data, off + o, l)
            packet.addGenerated(g, v, parent: parent, at: data, off + o, l, hidden: !showAny)
        }
        let top16 = a.hi >> 48
        if top16 == 0x2002 {
            let gw = UInt32(truncatingIfNeeded: a.hi >> 16)
            both(side.gw6to4, any.gw6to4, 2, 4, .ipv4(gw))
            both(side.sla6to4, any.sla6to4, 6, 2, .uint(a.hi & 0xffff))
        } else if a.hi >> 32 == 0x2001_0000 {
            both(side.teredoServer, any.teredoServer, 4, 4, .ipv4(UInt32(truncatingIfNeeded: a.hi)))
            both(side.teredoPort, any.teredoPort, 10, 2, .uint(~(a.lo >> 32) & 0xffff))
            both(side.teredoClient, any.teredoClient, 12, 4, .ipv4(~UInt32(truncatingIfNeeded: a.lo)))
        }
        if (a.lo >> 24) & 0xffff == 0xfffe && (a.lo >> 56) & 0x02 != 0 {
            // EUI-64 interface identifier: the MAC around ff:fe, universal/local bit flipped
            // (tshark takes only identifiers with the bit set, i.e. from a universal MAC).
            let mac = ((a.lo >> 16) & 0xffff_ff00_0000 | (a.lo & 0xff_ffff)) ^ 0x0200_0000_0000
            both(side.slaacMAC, any.slaacMAC, 8, 8, .ether(mac))
        } else if (a.lo >> 32) & 0xfdff_ffff == 0x0000_5efe {
            both(side.isatap, any.isatap, 12, 4, .ipv4(UInt32(truncatingIfNeeded: a.lo)))
        }
        if a.hi == 0x0064_ff9b_0000_0000 && a.lo >> 32 == 0 {
            packet.addGenerated(hf.detail.embeddedPrefix, .bytes, parent: parent, at: data, off, 12)
            both(side.embedded, any.embedded, 12, 4, .ipv4(UInt32(truncatingIfNeeded: a.lo)), showAny: true)
        }
    }
}
