import DissectKit

/// Internet Protocol version 4 (RFC 791); hands the payload to the `ip.proto` table.
public enum IPv4Plugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = IPv4Dissector(r)
        let h = r.handle(d.hf.proto, d)
        r.table("ethertype").add(0x0800, h)
        r.registerLinkType(228, h) // LINKTYPE_IPV4
        d.ipProto = r.table("ip.proto", uiName: "IP protocol")
    }
}

final class IPv4Dissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var version = FieldID.textOnly
        var hdrLen = FieldID.textOnly
        var len = FieldID.textOnly
        var id = FieldID.textOnly
        var ttl = FieldID.textOnly
        var ipProto = FieldID.textOnly
        var src = FieldID.textOnly
        var dst = FieldID.textOnly
        var addr = FieldID.textOnly
    }
    var hf = Fields()
    var ipProto: DissectorTable!

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Internet Protocol Version 4", shortName: "IPv4", abbrev: "ip")
        hf.proto = p
        hf.version = r.field("Version", "ip.version", .uint8, .dec, bitmask: 0xf0, in: p)
        hf.hdrLen = r.field("Header Length", "ip.hdr_len", .uint8, .dec, bitmask: 0x0f, in: p)
        hf.len = r.field("Total Length", "ip.len", .uint16, .dec, in: p)
        hf.id = r.field("Identification", "ip.id", .uint16, .hexDec, in: p)
        hf.ttl = r.field("Time to Live", "ip.ttl", .uint8, .dec, in: p)
        hf.ipProto = r.field("Protocol", "ip.proto", .uint8, .dec, in: p)
        hf.src = r.field("Source Address", "ip.src", .ipv4, in: p)
        hf.dst = r.field("Destination Address", "ip.dst", .ipv4, in: p)
        hf.addr = r.field("Source or Destination Address", "ip.addr", .ipv4, in: p)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let vhl = try data.u8(0)
        let hlen = Int(vhl & 0x0f) * 4
        let total = Int(try data.u16(2))
        let proto = try data.u8(9)
        let src = try data.u32(12)
        let dst = try data.u32(16)
        packet.netSrc = .ipv4(src)
        packet.netDst = .ipv4(dst)
        packet.protocolColumn = "IPv4"
        let top = packet.addProtocol(hf.proto, data, 0, hlen, parent: parent)
        packet.add(hf.version, data, 0, 1, .uint(UInt64(vhl >> 4)), parent: top)
        packet.add(hf.hdrLen, data, 0, 1, .uint(UInt64(vhl & 0xf)), parent: top)
        packet.add(hf.len, data, 2, 2, .uint(UInt64(total)), parent: top)
        packet.add(hf.id, data, 4, 2, .uint(UInt64(try data.u16(4))), parent: top)
        packet.add(hf.ttl, data, 8, 1, .uint(UInt64(try data.u8(8))), parent: top)
        packet.add(hf.ipProto, data, 9, 1, .uint(UInt64(proto)), parent: top)
        packet.add(hf.src, data, 12, 4, .ipv4(src), parent: top)
        packet.add(hf.addr, data, 12, 4, .ipv4(src), parent: top, flags: .hidden)
        packet.add(hf.dst, data, 16, 4, .ipv4(dst), parent: top)
        packet.add(hf.addr, data, 16, 4, .ipv4(dst), parent: top, flags: .hidden)
        let payload = try data.slice(hlen, max(0, min(total, data.count) - hlen))
        if packet.call(table: ipProto, key: UInt32(proto), payload) == nil {
            packet.callData(payload)
        }
        return .consumed(data.count)
    }
}
