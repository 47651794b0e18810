import DissectKit

/// Linux "cooked" captures: SLL (link type 113, 16-byte header) and SLL2 (276, 20 bytes), the
/// pseudo link layer of `tcpdump -i any`. The header carries the packet's direction, the
/// interface's hardware type and source address, and a protocol: an EtherType, a Linux
/// protocol number below 1536, or a GRE protocol type on GRE interfaces.
public enum SLLPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = SLLDissector(r)
        r.registerLinkType(113, r.handle(d.hf.proto, SLLDissector.Version(d, v2: false)))
        r.registerLinkType(276, r.handle(d.hf.proto, SLLDissector.Version(d, v2: true)))
        SLLFieldCatalog.registerAll(r, ["sll": d.hf.proto])
    }
}

final class SLLDissector {
    struct Fields {
        var proto = FieldID.textOnly
        var pkttype = FieldID.textOnly
        var hatype = FieldID.textOnly
        var halen = FieldID.textOnly
        var srcEth = FieldID.textOnly
        var srcIPv4 = FieldID.textOnly
        var srcOther = FieldID.textOnly
        var unused = FieldID.textOnly
        var ltype = FieldID.textOnly
        var gretype = FieldID.textOnly
        var etype = FieldID.textOnly
        var trailer = FieldID.textOnly
        var ifindex = FieldID.textOnly
    }
    var hf = Fields()
    let ethertype: EthertypeLink
    /// Linux protocol numbers (`sll.ltype`: 802.2 LLC, raw 802.3…) and GRE types.
    let linuxTable: DissectorTable
    let greTable: DissectorTable

    /// ARPHRD_IPGRE: the protocol field is a GRE protocol type.
    static let hardwareGRE: UInt16 = 778

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Linux cooked-mode capture", shortName: "SLL", abbrev: "sll")
        hf.proto = p
        hf.pkttype = r.field("Packet type", "sll.pkttype", .uint16, .dec, strings: .values(SLLNames.packetTypes), in: p)
        hf.hatype = r.field("Link-layer address type", "sll.hatype", .uint16, .dec,
                            strings: .values(SLLNames.hardwareTypes), in: p)
        hf.halen = r.field("Link-layer address length", "sll.halen", .uint16, .dec, in: p)
        hf.srcEth = r.field("Source", "sll.src.eth", .ether, blurb: "Source link-layer address", in: p)
        hf.srcIPv4 = r.field("Source", "sll.src.ipv4", .ipv4, blurb: "Source link-layer address", in: p)
        hf.srcOther = r.field("Source", "sll.src.other", .bytes, blurb: "Source link-layer address", in: p)
        hf.unused = r.field("Unused", "sll.unused", .bytes, blurb: "Unused bytes", in: p)
        hf.ltype = r.field("Protocol", "sll.ltype", .uint16, .hex, strings: .values(SLLNames.linuxProtocols),
                           blurb: "Linux protocol type", in: p)
        hf.gretype = r.field("Protocol", "sll.gretype", .uint16, .hex, strings: .values(SLLNames.greProtocols),
                             blurb: "GRE protocol type", in: p)
        hf.etype = r.field("Protocol", "sll.etype", .uint16, .hex, strings: EtherTypes.strings,
                           blurb: "Ethernet protocol type", in: p)
        hf.trailer = r.field("Trailer", "sll.trailer", .bytes, in: p)
        hf.ifindex = r.field("Interface index", "sll.ifindex", .uint32, .dec, in: p)
        ethertype = EthertypeLink(r)
        linuxTable = r.table("sll.ltype", uiName: "Linux SLL protocol type")
        greTable = r.table("gre.proto", uiName: "GRE protocol type")
    }

    /// The entry point for one header version.
    final class Version: Dissector {
        let sll: SLLDissector
        let v2: Bool
        init(_ sll: SLLDissector, v2: Bool) {
            self.sll = sll
            self.v2 = v2
        }
        func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
            try v2 ? sll.dissectV2(&packet, data, parent) : sll.dissectV1(&packet, data, parent)
        }
    }

    /// SLL: packet type, hardware type, address length, 8 address bytes, protocol.
    func dissectV1(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "SLL"
        packet.enterLayer(hf.proto)
        let pkttype = try data.u16(0)
        setInfo(&packet, UInt64(pkttype))
        let top = packet.addLayerItem(hf.proto, data, 0, 16, parent: parent, text: "Linux cooked capture v1")
        packet.add(hf.pkttype, data, 0, 2, .uint(UInt64(pkttype)), parent: top)
        let hatype = try data.u16(2)
        packet.add(hf.hatype, data, 2, 2, .uint(UInt64(hatype)), parent: top)
        let halen = try data.u16(4)
        packet.add(hf.halen, data, 4, 2, .uint(UInt64(halen)), parent: top)
        try addAddress(&packet, data, top, offset: 6, length: Int(halen))
        let proto = try data.u16(14)
        dispatch(&packet, data, top, parent, protocolOffset: 14, payloadOffset: 16, protocol: proto, hatype: hatype)
        return .consumed(data.count)
    }

    /// SLL2: protocol, reserved, interface index, hardware type, packet type, address length,
    /// 8 address bytes.
    func dissectV2(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "SLL"
        packet.enterLayer(hf.proto)
        // tshark 4.0 reads the Info text as a 16-bit packet type at offset 10, which takes in the
        // address length byte: "Unknown (1030)" for "sent by us" with a 6-byte address.
        let infoType = try data.u16(10)
        setInfo(&packet, UInt64(infoType))
        let top = packet.addLayerItem(hf.proto, data, 0, 20, parent: parent, text: "Linux cooked capture v2")
        let proto = try data.u16(0)
        let hatype = try data.u16(8)
        addProtocolField(&packet, data, top, offset: 0, protocol: proto, hatype: hatype)
        packet.add(hf.ifindex, data, 4, 4, .uint(UInt64(try data.u32(4))), parent: top)
        packet.add(hf.hatype, data, 8, 2, .uint(UInt64(hatype)), parent: top)
        packet.add(hf.pkttype, data, 10, 1, .uint(UInt64(try data.u8(10))), parent: top)
        let halen = try data.u8(11)
        packet.add(hf.halen, data, 11, 1, .uint(UInt64(halen)), parent: top)
        try addAddress(&packet, data, top, offset: 12, length: Int(halen))
        dispatch(&packet, data, top, parent, protocolOffset: nil, payloadOffset: 20, protocol: proto, hatype: hatype)
        return .consumed(data.count)
    }

    private func setInfo(_ packet: inout PacketContext, _ type: UInt64) {
        packet.info.clear()
        if let name = SLLNames.packetTypes[type] {
            packet.info.append(name)
        } else {
            packet.info.append("Unknown (")
            packet.info.append(type)
            packet.info.append(")")
        }
    }

    /// The source address as its length suggests (6: MAC, 4: IPv4, else bytes), then the unused
    /// rest of the 8-byte field. It becomes the Source column when no network layer sets one.
    private func addAddress(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, offset: Int,
                            length: Int) throws(Malformed) {
        switch length {
        case 0:
            break
        case 4:
            let a = try data.u32(offset)
            packet.dlSrc = .ipv4(a)
            packet.add(hf.srcIPv4, data, offset, 4, .ipv4(a), parent: top)
        case 6:
            let m = try data.u48(offset)
            packet.dlSrc = .ether(m)
            packet.add(hf.srcEth, data, offset, 6, .ether(m), parent: top)
        default:
            let n = min(length, 8)
            try data.check(offset, n)
            packet.add(hf.srcOther, data, offset, n, .bytes, parent: top)
        }
        if length < 8 {
            try data.check(offset + length, 8 - length)
            packet.add(hf.unused, data, offset + length, 8 - length, .bytes, parent: top)
        }
    }

    private enum ProtocolKind { case gre, linux, ether }

    private func kind(_ proto: UInt16, hatype: UInt16) -> ProtocolKind {
        if hatype == Self.hardwareGRE { return .gre }
        // "yes, 1536 - that's how Linux does it": values up to 1536 are Linux protocol numbers.
        return proto <= 1536 ? .linux : .ether
    }

    @discardableResult
    private func addProtocolField(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, offset: Int,
                                  protocol proto: UInt16, hatype: UInt16) -> TreeNode {
        let field: FieldID
        switch kind(proto, hatype: hatype) {
        case .gre: field = hf.gretype
        case .linux: field = hf.ltype
        case .ether: field = hf.etype
        }
        return packet.add(field, data, offset, 2, .uint(UInt64(proto)), parent: top)
    }

    private func dispatch(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ parent: TreeNode,
                          protocolOffset: Int?, payloadOffset: Int, protocol proto: UInt16, hatype: UInt16) {
        if let o = protocolOffset { addProtocolField(&packet, data, top, offset: o, protocol: proto, hatype: hatype) }
        let payload = data.suffix(from: payloadOffset)
        switch kind(proto, hatype: hatype) {
        case .gre:
            if packet.call(table: greTable, key: UInt32(proto), payload, parent: parent) == nil {
                packet.callData(payload, parent: parent)
            }
        case .linux:
            if packet.call(table: linuxTable, key: UInt32(proto), payload, parent: parent) == nil {
                packet.callData(payload, parent: parent)
            }
        case .ether:
            ethertype.dispatch(&packet, data, EthertypeRequest(etype: proto, payloadOffset: payloadOffset, headerTree: top,
                                                               trailerField: hf.trailer, fcs: .never), parent: parent)
        }
    }
}
