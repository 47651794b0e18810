import DissectKit

/// Raw IP captures with no link-layer header (link types 101, and 12 and 14 as some systems
/// number DLT_RAW): tshark's "raw" protocol, an empty "Raw packet data" item, then IPv4 or IPv6
/// by the version nibble. (Link types 228 and 229 are IPv4/IPv6 themselves, without "raw".)
public enum RawPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = RawDissector(r)
        let h = r.handle(d.proto, d)
        for linkType in [101, 12, 14] { r.registerLinkType(linkType, h) }
    }
}

final class RawDissector: Dissector {
    let proto: FieldID
    let ip: NamedDissector
    let ipv6: NamedDissector
    let pppHDLC: NamedDissector

    init(_ r: Registrar) {
        proto = r.registerProtocol(name: "Raw packet data", shortName: "Raw", abbrev: "raw")
        ip = r.dissector(named: "ip")
        ipv6 = r.dissector(named: "ipv6")
        pppHDLC = r.dissector(named: "ppp_hdlc")
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        // Overwritten by the next protocol; what a non-IP payload keeps.
        packet.protocolColumn = "N/A"
        packet.addressPlaceholder = "N/A"
        packet.info.set("Raw packet data")
        packet.addProtocol(proto, data, 0, data.count, parent: parent)
        let first = try data.u16(0)
        var handle: DissectorHandle?
        var payload = data
        if first == 0xff03 {
            handle = pppHDLC.handle
        } else if try data.u32(0) == 0 {
            // (tshark reads these four bytes unconditionally: shorter frames are malformed.)
            // Some Cisco devices prefix four zero bytes.
            payload = data.suffix(from: 4)
            handle = ip.handle
        } else {
            switch data[unchecked: 0] & 0xf0 {
            case 0x40: handle = ip.handle
            case 0x60: handle = ipv6.handle
            default: handle = nil
            }
        }
        if let h = handle {
            packet.call(h, payload, parent: parent)
        } else {
            packet.callData(payload, parent: parent)
        }
        return .consumed(data.count)
    }
}
