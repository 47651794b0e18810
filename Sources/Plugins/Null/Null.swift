import DissectKit

/// BSD loopback encapsulation: link type 0 (DLT_NULL, a 4-byte address family in the capturing
/// machine's byte order) and 108 (DLT_LOOP, OpenBSD, always network order). Some captures put
/// an EtherType there instead of a family, and some are PPP in HDLC framing (0xFF03).
public enum NullPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = NullDissector(r)
        r.registerLinkType(0, r.handle(d.proto, d))
        r.registerLinkType(108, r.handle(d.proto, NullDissector.Loop(d)))
    }
}

final class NullDissector: Dissector {
    let proto: FieldID
    let family: FieldID
    let type: FieldID
    let ethertype: DissectorTable
    /// The BSD address families tshark knows (its `null.type` table).
    let familyTable: DissectorTable
    let ip: NamedDissector
    let ipv6: NamedDissector
    let pppHDLC: NamedDissector

    static let families: [UInt64: String] = [
        2: "IP", 7: "OSI", 16: "Appletalk", 23: "Netware IPX/SPX", 24: "IPv6", 28: "IPv6", 30: "IPv6",
    ]

    init(_ r: Registrar) {
        proto = r.registerProtocol(name: "Null/Loopback", shortName: "Null", abbrev: "null")
        type = r.field("Type", "null.type", .uint16, .hex, strings: EtherTypes.strings, in: proto)
        family = r.field("Family", "null.family", .uint32, .dec, strings: .values(Self.families), in: proto)
        ethertype = r.table("ethertype", uiName: "Ethertype")
        familyTable = r.table("null.type", uiName: "Null type")
        ip = r.dissector(named: "ip")
        ipv6 = r.dissector(named: "ipv6")
        pppHDLC = r.dissector(named: "ppp_hdlc")
    }

    /// DLT_LOOP: the family is always big-endian.
    final class Loop: Dissector {
        let null: NullDissector
        init(_ null: NullDissector) { self.null = null }
        func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
            null.setColumns(&packet)
            packet.enterLayer(null.proto)
            // No EtherTypes here: the value is always a family.
            let value = try data.u32(0)
            return null.dissect(&packet, data, parent, header: value, typesAllowed: false)
        }
    }

    /// tshark fills the columns first, so a frame nobody else claims shows "N/A" and
    /// "Null/Loopback".
    func setColumns(_ packet: inout PacketContext) {
        packet.protocolColumn = "N/A"
        packet.addressPlaceholder = "N/A"
        packet.info.set("Null/Loopback")
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        setColumns(&packet)
        packet.enterLayer(proto)
        // PPP in HDLC framing (some BSDs): no loopback header at all.
        if try data.u16(0) == 0xff03, let h = pppHDLC.handle {
            packet.call(h, data, parent: parent)
            return .consumed(data.count)
        }
        // The family is in the capturing host's byte order: read it little-endian, and undo
        // a big-endian writer when the upper half is set (families are small numbers).
        var value = try data.u32le(0)
        if value & 0xffff_0000 != 0 {
            if value & 0xff00_0000 == 0 && value & 0x00ff_0000 < 0x0006_0000 {
                value >>= 16
            } else {
                value = value.byteSwapped
            }
        }
        return dissect(&packet, data, parent, header: value)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, header: UInt32,
                 typesAllowed: Bool = true) -> DissectResult {
        let top = packet.addLayerItem(proto, data, 0, 4, parent: parent)
        let payload = data.suffix(from: 4)
        if typesAllowed && header > 1500 {
            // Not a family but an EtherType.
            packet.add(type, data, 0, 4, .uint(UInt64(header)), parent: top)
            if packet.call(table: ethertype, key: header, payload, parent: parent) == nil {
                packet.callData(payload, parent: parent)
            }
            return .consumed(data.count)
        }
        packet.add(family, data, 0, 4, .uint(UInt64(header)), parent: top)
        let handle: DissectorHandle?
        switch header {
        case 2: handle = ip.handle
        case 24, 28, 30: handle = ipv6.handle
        default: handle = familyTable.lookup(header)
        }
        if let h = handle {
            packet.call(h, payload, parent: parent)
        } else {
            packet.callData(payload, parent: parent)
        }
        return .consumed(data.count)
    }
}
