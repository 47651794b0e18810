import DissectKit

/// The Point-to-Point Protocol (RFC 1661): link types 9 and 50 and PPP inside GRE (PPTP) in
/// HDLC-like framing (address 0xFF, control 0x03, RFC 1662), PPP inside PPPoE without it.
/// The protocol field picks the payload: IPv4, IPv6, LCP, or the "ppp.protocol" table.
public enum PPPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = PPPDissector(r)
        let hdlc = r.handle(d.hf.proto, PPPDissector.HDLCFramed(d))
        let plain = r.handle(d.hf.proto, d)
        r.registerDissector("ppp", plain)
        r.registerDissector("ppp_hdlc", hdlc)
        r.registerLinkType(9, hdlc)
        r.registerLinkType(50, hdlc)
        r.table("gre.proto", uiName: "GRE protocol type").add(0x880b, hdlc)
        r.table("sll.ltype", uiName: "Linux SLL protocol type").add(7, hdlc)
        let lcp = LCPDissector(r, ppp: d)
        r.table("ppp.protocol", uiName: "PPP protocol").add(0xc021, r.handle(lcp.hf.proto, lcp))
        PPPFieldCatalog.registerAll(r, ["ppp": d.hf.proto, "lcp": lcp.hf.proto])
    }
}

final class PPPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var address = FieldID.textOnly
        var control = FieldID.textOnly
        var `protocol` = FieldID.textOnly
        var code = FieldID.textOnly
        var identifier = FieldID.textOnly
        var length = FieldID.textOnly
        var eiOptionLength = FieldID.textOnly
    }
    var hf = Fields()
    let table: DissectorTable
    let ip: NamedDissector
    let ipv6: NamedDissector
    private var unknownColumns: [UInt16: String] = [:]

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Point-to-Point Protocol", shortName: "PPP", abbrev: "ppp")
        hf.proto = p
        hf.address = r.field("Address", "ppp.address", .uint8, .hex, in: p)
        hf.control = r.field("Control", "ppp.control", .uint8, .hex, in: p)
        hf.protocol = r.field("Protocol", "ppp.protocol", .uint16, .hex, strings: .values(PPPNames.protocols), in: p)
        // The control protocols (LCP, IPCP…) share these with PPP itself.
        hf.code = r.field("Code", "ppp.code", .uint8, .dec, strings: .values(LCPDissector.codes), in: p)
        hf.identifier = r.field("Identifier", "ppp.identifier", .uint8, .decHex, in: p)
        hf.length = r.field("Length", "ppp.length", .uint16, .dec, in: p)
        hf.eiOptionLength = r.expert("ppp.opt.len.invalid", "Invalid length for option", .warning, .protocol, in: p)
        _ = r.expert("ppp.bad_checksum", "Bad checksum", .error, .checksum, in: p)
        _ = r.preference("ppp", "fcs_type", title: "The type of PPP frame checksum (none, 16-bit, 32-bit)",
                         .choice([("none", "None", 0), ("16-bit", "16-Bit", 1), ("32-bit", "32-Bit", 2)]),
                         default: "None")
        table = r.table("ppp.protocol", uiName: "PPP protocol")
        ip = r.dissector(named: "ip")
        ipv6 = r.dissector(named: "ipv6")
    }

    /// PPP with HDLC-like framing: the address and control bytes, unless compressed away.
    final class HDLCFramed: Dissector {
        let ppp: PPPDissector
        init(_ ppp: PPPDissector) { self.ppp = ppp }
        func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
            // Overwritten by the payload's protocol.
            packet.protocolColumn = "PPP"
            packet.addressPlaceholder = "N/A"
            packet.enterLayer(ppp.hf.proto)
            let first = try data.u8(0)
            let top = packet.addLayerItem(ppp.hf.proto, data, 0, data.count, parent: parent)
            var offset = 0
            if first == 0xff {
                packet.add(ppp.hf.address, data, 0, 1, .uint(0xff), parent: top)
                packet.add(ppp.hf.control, data, 1, 1, .uint(UInt64(try data.u8(1))), parent: top)
                offset = 2
            }
            try ppp.dissectProtocol(&packet, data, top, parent, at: offset)
            return .consumed(data.count)
        }
    }

    /// PPP without framing (PPPoE): the protocol field first.
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        try dissectProtocol(&packet, data, top, parent, at: 0)
        return .consumed(data.count)
    }

    /// The protocol field (one byte when compressed: RFC 1661 5.: odd values) and the payload.
    func dissectProtocol(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ parent: TreeNode,
                         at offset: Int) throws(Malformed) {
        var proto = UInt16(try data.u8(offset))
        var length = 1
        if proto & 1 == 0 {
            proto = try data.u16(offset)
            length = 2
        }
        if !top.isNone { packet.tree.records[Int(top.index)].length = Int32(offset + length) }
        packet.add(hf.protocol, data, offset, length, .uint(UInt64(proto)), parent: top)
        let payload = data.suffix(from: offset + length)
        if packet.call(table: table, key: UInt32(proto), payload, parent: parent) != nil { return }
        let named: NamedDissector?
        switch proto {
        case 0x0021: named = ip
        case 0x0057: named = ipv6
        default: named = nil
        }
        if let h = named?.handle {
            packet.call(h, payload, parent: parent)
            return
        }
        packet.protocolColumn = unknownColumn(proto)
        packet.info.clear()
        packet.info.append("PPP ")
        packet.info.append(PPPNames.protocols[UInt64(proto)] ?? "Unknown")
        packet.info.append(" (0x")
        packet.info.appendHex(UInt64(proto), width: 4)
        packet.info.append(")")
        packet.callData(payload, parent: parent)
    }

    private func unknownColumn(_ proto: UInt16) -> String {
        if let s = unknownColumns[proto] { return s }
        let s = "0x" + FieldFormatter.hex(UInt64(proto), digits: 4)
        unknownColumns[proto] = s
        return s
    }
}
