import DissectKit

extension FrameRelayDissector {
    /// Bits of the Q.922 address octets.
    enum Address {
        static let ea: UInt8 = 0x01
        static let cr: UInt8 = 0x02
        static let dc: UInt8 = 0x02
        static let upperDLCI: UInt8 = 0xfc
        static let secondDLCI: UInt8 = 0xf0
        static let thirdDLCI: UInt8 = 0xfe
        static let lowerDLCI: UInt8 = 0xfc
    }

    /// The control field of an RFC 2427 frame: UI (0x03); XID is 0xAF.
    static let controlUI: UInt8 = 0x03
    static let controlXID: UInt8 = 0xaf

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        // tshark names the protocol, clears Info and adds the whole-frame item before reading
        // anything: a frame cut inside the address shows the octets it has, then the mark.
        packet.protocolColumn = "FR"
        packet.info.clear()
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        let address = try dissectAddress(&packet, data, top)
        packet.info.set("DLCI ")
        packet.info.append(UInt64(address.dlci))
        try dissectPayload(&packet, data, top, parent, address)
        return .consumed(data.count)
    }

    struct ParsedAddress {
        var dlci: UInt32 = 0
        /// The C/R bit: tshark reads the control field as a response when it is set.
        var isResponse = false
        var length = 0
    }

    /// The Q.922 address: two to four octets, each ending with its EA bit (RFC 2427 2.1).
    private func dissectAddress(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode) throws(Malformed)
        -> ParsedAddress
    {
        var a = ParsedAddress()
        let first = try data.u8(0)
        if first & Address.ea != 0 {
            // An address has at least two octets (perhaps FRF.12 fragmentation; tshark does
            // not dissect that either).
            addExpertLine(&packet, hf.eiBogusAddress, "Bogus 1-octet address field", own: true, data, 0, 1,
                          parent: top)
            a.length = 1
        } else {
            a.dlci = UInt32((first & Address.upperDLCI) >> 2)
            a.isResponse = first & Address.cr != 0
            packet.addBitmask(hf.firstOctet, data, 0, 1, value: UInt64(first), parent: top, subfields: firstOctetBits)
            let second = try data.u8(1)
            a.dlci = a.dlci << 4 | UInt32((second & Address.secondDLCI) >> 4)
            packet.addBitmask(hf.secondOctet, data, 1, 1, value: UInt64(second), parent: top,
                              subfields: secondOctetBits)
            a.length = 2
            if second & Address.ea == 0 {
                var octet = try data.u8(2)
                if octet & Address.ea == 0 {
                    a.dlci = a.dlci << 7 | UInt32((octet & Address.thirdDLCI) >> 1)
                    packet.addBitmask(hf.thirdOctet, data, 2, 1, value: UInt64(octet), parent: top,
                                      subfields: thirdOctetBits)
                    a.length = 3
                    octet = try data.u8(3)
                    // More than four octets: each extra one is flagged until an EA bit (the
                    // read throws at the end of the frame, so this ends).
                    while octet & Address.ea == 0 {
                        addExpertLine(&packet, hf.eiBogusAddress, "Bogus extra address octet", own: true,
                                      data, a.length, 1, parent: top)
                        a.length += 1
                        octet = try data.u8(a.length)
                    }
                }
                try dissectFinalOctet(&packet, data, top, octet, at: a.length, &a)
                a.length += 1
            }
        }
        packet.add(hf.dlci, data, 0, a.length, .uint(UInt64(a.dlci)), parent: top)
        return a
    }

    /// The last octet of a 3- or 4-octet address: six more DLCI bits, or DL-CORE control
    /// when the D/C bit is set.
    private func dissectFinalOctet(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ octet: UInt8,
                                   at offset: Int, _ a: inout ParsedAddress) throws(Malformed) {
        let node = packet.addText("Final address octet: 0x" + FieldFormatter.hex(UInt64(octet), digits: 2),
                                  data, offset, 1, parent: top)
        let six = UInt64((octet & Address.lowerDLCI) >> 2)
        if octet & Address.dc != 0 {
            packet.add(hf.dlcoreControl, data, offset, 1, .uint(six), parent: node)
        } else {
            a.dlci = a.dlci << 6 | UInt32(six)
            packet.add(hf.lowerDLCI, data, offset, 1, .uint(six), parent: node)
        }
        packet.add(hf.dc, data, offset, 1, .uint(UInt64((octet & Address.dc) >> 1)), parent: node)
        packet.add(hf.ea, data, offset, 1, .uint(UInt64(octet & Address.ea)), parent: node)
    }

    // MARK: what follows the address

    private func dissectPayload(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ parent: TreeNode,
                                _ a: ParsedAddress) throws(Malformed) {
        let offset = a.length
        switch encapsulation {
        case .frf32:
            try dissectFRF32(&packet, data, top, parent, a)
        case .gprsNS:
            // No GPRS Network Service dissector here: its frames stay data.
            if a.dlci == 0 {
                try dissectUIWithNLPID(&packet, data, top, parent, a)
            } else {
                packet.callData(data.suffix(from: offset), parent: parent)
            }
        case .rawEthernet:
            if a.dlci != 0, let h = ethWithFCS.handle {
                packet.call(h, data.suffix(from: offset), parent: parent)
            } else {
                lapf(&packet, data.suffix(from: offset), parent)
            }
        case .lapb:
            // No LAPB dissector here either.
            if a.dlci != 0 {
                packet.callData(data.suffix(from: offset), parent: parent)
            } else {
                lapf(&packet, data.suffix(from: offset), parent)
            }
        }
    }

    /// RFC 2427 / FRF 3.2 when the control field says UI or an NLPID follows, Cisco's
    /// EtherType encapsulation when the two octets after the address are a type with a
    /// dissector, and tshark's raw-Ethernet guess for the rest.
    private func dissectFRF32(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ parent: TreeNode,
                              _ a: ParsedAddress) throws(Malformed) {
        let offset = a.length
        let control = try data.u8(offset)
        var isRFC2427 = control == Self.controlUI
        if !isRFC2427 {
            if a.dlci == 0 {
                // DLCI 0 carries LMI and SVC signalling in LAPF; only UI frames are decoded.
                _ = try addControl(&packet, data, top, at: offset, isResponse: a.isResponse)
                lapf(&packet, data.suffix(from: offset), parent)
                return
            }
            if control == Self.controlXID {
                _ = try addControl(&packet, data, top, at: offset, isResponse: a.isResponse)
                let rest = data.suffix(from: offset)
                addExpertLine(&packet, hf.eiXID, "Frame relay xid not yet implemented", rest, 0, 0, parent: parent)
                packet.callData(rest, parent: parent)
                return
            }
            if data.has(offset, 2) {
                let type = try data.u16(offset)
                if let h = chdlcHandle(type) {
                    setEnd(&packet, top, offset + 2, data)
                    packet.add(hf.chdlcType, data, offset, 2, .uint(UInt64(type)), parent: top)
                    packet.call(h, data.suffix(from: offset + 2), parent: parent)
                    return
                }
                isRFC2427 = try nlpidFollows(data, controlAt: offset)
            }
        }
        if isRFC2427 {
            try dissectUIWithNLPID(&packet, data, top, parent, a)
            return
        }
        // Neither: tshark tries raw Ethernet when a length or a known EtherType sits where
        // Ethernet's type field would be.
        let rest = data.suffix(from: offset)
        if data.has(offset + 12, 2) {
            let t = try data.u16(offset + 12)
            if t <= 1500 || ethertype.lookup(UInt32(t)) != nil, let h = ethWithFCS.handle {
                packet.call(h, rest, parent: parent)
                return
            }
        }
        packet.callData(rest, parent: parent)
    }

    /// Whether an NLPID with a dissector follows a control field that is not UI (an optional
    /// padding octet first; I and S frames in extended mode take two octets).
    private func nlpidFollows(_ data: ByteView, controlAt offset: Int) throws(Malformed) -> Bool {
        var at = offset
        var control = try data.u8(at)
        if control == 0 {
            at += 1
            control = try data.u8(at)
        }
        at += control & 0x03 == 0x03 ? 1 : 2
        guard data.has(at, 1) else { return false }
        let n = try data.u8(at)
        return FrameRelayNames.knownNLPIDs.contains(n) || nlpidTable.lookup(UInt32(n)) != nil
            || osinlTable.lookup(UInt32(n)) != nil || osinlInclTable.lookup(UInt32(n)) != nil
    }

    private func dissectUIWithNLPID(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                                    _ parent: TreeNode, _ a: ParsedAddress) throws(Malformed) {
        let c = try addControl(&packet, data, top, at: a.length, isResponse: a.isResponse)
        try dissectNLPID(&packet, data, top, parent, at: a.length + c.length, control: c)
    }

    /// LAPF frames are not decoded (tshark neither): a note beside Frame Relay (not under it, as
    /// in tshark), then the bytes as data.
    private func lapf(_ packet: inout PacketContext, _ rest: ByteView, _ parent: TreeNode) {
        addExpertLine(&packet, hf.eiLAPF, "Frame relay lapf not yet implemented", rest, 0, 0, parent: parent)
        packet.callData(rest, parent: parent)
    }

    /// tshark's `proto_tree_add_expert`: a line with the text and the expert info under it;
    /// `own` when the text is not the expert's registered summary.
    private func addExpertLine(_ packet: inout PacketContext, _ expert: FieldID, _ text: StaticString,
                               own: Bool = false, _ data: ByteView, _ offset: Int, _ length: Int, parent: TreeNode) {
        let line = packet.addText(text.description, data, offset, length, parent: parent)
        packet.addExpert(expert, parent: packet.buildsFullTree ? line : parent, data, offset, length,
                         message: own ? text.description : nil)
    }

    /// Shortens the Frame Relay item to end at `end` (tshark's `proto_item_set_end`).
    func setEnd(_ packet: inout PacketContext, _ top: TreeNode, _ end: Int, _ data: ByteView) {
        guard !top.isNone else { return }
        packet.tree.records[Int(top.index)].length = Int32(min(end, data.count))
    }

    // MARK: control field

    /// The control field and its sub-items, as tshark's shared HDLC-family code shows them
    /// (extended mode: I and S frames have two octets); appends its summary to Info.
    func addControl(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, at offset: Int,
                    isResponse: Bool) throws(Malformed) -> XDLCControl {
        let c = try XDLCControl(data, at: offset, isResponse: isResponse)
        packet.info.append(", ")
        c.appendSummary(to: packet.info)
        let node = packet.add(hf.control, data, offset, c.length, .uint(UInt64(c.value)), parent: top)
        if packet.buildsFullTree { packet.setLabel(node, "Control field: " + c.summary + " (0x" + c.hexText + ")") }
        let v = UInt64(c.value)
        switch c.kind {
        case .unnumbered:
            if c.pollFinal { packet.add(c.isResponse ? hf.final : hf.poll, data, offset, 1, .uint(1), parent: node) }
            packet.add(c.isResponse ? hf.uResponse : hf.uCommand, data, offset, 1, .uint((v & 0xec) >> 2), parent: node)
            packet.add(hf.frameType, data, offset, 1, .uint(v & 0x03), parent: node)
        case .supervisory:
            packet.add(hf.nR, data, offset, 2, .uint((v & 0xfe00) >> 9), parent: node)
            if c.pollFinal { addExtendedPollFinal(&packet, data, offset, node, c.isResponse) }
            packet.add(hf.sType, data, offset, 2, .uint((v & 0x000c) >> 2), parent: node)
            addExtendedFrameType(&packet, data, offset, node, value: v & 0x03, mask: 0x0003)
        case .information:
            packet.add(hf.nR, data, offset, 2, .uint((v & 0xfe00) >> 9), parent: node)
            packet.add(hf.nS, data, offset, 2, .uint((v & 0x00fe) >> 1), parent: node)
            if c.pollFinal { addExtendedPollFinal(&packet, data, offset, node, false) }
            addExtendedFrameType(&packet, data, offset, node, value: v & 0x01, mask: 0x0001)
        }
        return c
    }

    /// The 16-bit P/F item (tshark registers it under the same name with mask 0x0100).
    private func addExtendedPollFinal(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ node: TreeNode,
                                      _ isResponse: Bool) {
        let item = packet.add(isResponse ? hf.final : hf.poll, data, offset, 2, .uint(1), parent: node)
        if packet.buildsFullTree {
            packet.setLabel(item, FieldFormatter.bitPattern(value: 1, mask: 0x0100, width: 16)
                                + (isResponse ? " = Final: Set" : " = Poll: Set"))
        }
    }

    /// The 16-bit frame-type item of I and S frames.
    private func addExtendedFrameType(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ node: TreeNode,
                                      value: UInt64, mask: UInt64) {
        let item = packet.add(hf.frameType, data, offset, 2, .uint(value), parent: node)
        if packet.buildsFullTree {
            packet.setLabel(item, FieldFormatter.bitPattern(value: value, mask: mask, width: 16) + " = Frame type: "
                                + (Self.frameTypes[value] ?? "Unknown") + " (0x" + String(value, radix: 16) + ")")
        }
    }
}
