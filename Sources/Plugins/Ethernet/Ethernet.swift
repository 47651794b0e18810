import DissectKit

/// Ethernet II and IEEE 802.3 framing; hands the payload to the `ethertype` table.
public enum EthernetPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = EthernetDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerLinkType(1, h)
        d.ethertype = r.table("ethertype", uiName: "Ethertype")
    }
}

final class EthernetDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var dst = FieldID.textOnly
        var src = FieldID.textOnly
        var addr = FieldID.textOnly
        var type = FieldID.textOnly
    }
    var hf = Fields()
    var ethertype: DissectorTable!

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Ethernet", shortName: "Ethernet", abbrev: "eth")
        hf.proto = p
        hf.dst = r.field("Destination", "eth.dst", .ether, in: p)
        hf.src = r.field("Source", "eth.src", .ether, in: p)
        hf.addr = r.field("Address", "eth.addr", .ether, in: p)
        hf.type = r.field("Type", "eth.type", .uint16, .hex, strings: .values(EtherTypes.names), in: p)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let dst = try data.u48(0)
        let src = try data.u48(6)
        let type = try data.u16(12)
        packet.dlSrc = .ether(src)
        packet.dlDst = .ether(dst)
        packet.protocolColumn = "Ethernet"
        let top = packet.addProtocol(hf.proto, data, 0, 14, parent: parent)
        packet.add(hf.dst, data, 0, 6, .ether(dst), parent: top)
        packet.add(hf.src, data, 6, 6, .ether(src), parent: top)
        packet.add(hf.type, data, 12, 2, .uint(UInt64(type)), parent: top)
        let payload = data.suffix(from: 14)
        if packet.call(table: ethertype, key: UInt32(type), payload) == nil {
            packet.callData(payload)
        }
        return .consumed(data.count)
    }
}

/// Names of common EtherType values (tshark's `etype_vals`).
public enum EtherTypes {
    public static let names: [UInt64: String] = [
        0x0800: "IPv4", 0x0806: "ARP", 0x86dd: "IPv6", 0x8100: "802.1Q Virtual LAN", 0x88a8: "802.1ad Provider Bridge (Q-in-Q)",
        0x8863: "PPPoE Discovery", 0x8864: "PPPoE Session", 0x8035: "RARP", 0x88cc: "802.1 Link Layer Discovery Protocol (LLDP)",
        0x8847: "MPLS label switched packet", 0x88e5: "802.1AE (MACsec)", 0x9000: "Configuration Test Protocol (loopback)",
    ]
}
