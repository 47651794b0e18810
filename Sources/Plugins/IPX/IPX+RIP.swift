import DissectKit

/// IPX RIP (socket 0x0453): an operation (1 request, 2 response) and 8-byte route vectors
/// (network, hops, ticks of 1/18 s).
final class IPXRIPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var request = FieldID.textOnly
        var response = FieldID.textOnly
        var packetType = FieldID.textOnly
        var routeVector = FieldID.textOnly
        var hops = FieldID.textOnly
        var ticks = FieldID.textOnly
    }
    var hf = Fields()

    init(_ r: Registrar) {
        // Registered (with the catalog) by the IPX dissector; the registry returns the same ids.
        let p = r.registerProtocol(name: "IPX Routing Information Protocol", shortName: "IPX RIP", abbrev: "ipxrip")
        hf.proto = p
        hf.request = r.field("Request", "ipxrip.request", .boolean, blurb: "TRUE if IPX RIP request", in: p)
        hf.response = r.field("Response", "ipxrip.response", .boolean, blurb: "TRUE if IPX RIP response", in: p)
        hf.packetType = r.field("RIP packet type", "ipxrip.packet_type", .uint16, .dec,
                                strings: .values([1: "Request", 2: "Response"]), in: p)
        hf.routeVector = r.field("Route Vector", "ipxrip.route_vector", .ipxnet, in: p)
        hf.hops = r.field("Hops", "ipxrip.hops", .uint16, .dec, in: p)
        hf.ticks = r.field("Ticks", "ipxrip.ticks", .uint16, .dec, in: p)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "IPX RIP"
        packet.info.clear()
        let operation = try data.u16(0)
        switch operation {
        case 1: packet.info.set("Request")
        case 2: packet.info.set("Response")
        default: packet.info.set("Unknown")
        }
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        packet.add(hf.packetType, data, 0, 2, .uint(UInt64(operation)), parent: top)
        if operation == 1 {
            packet.add(hf.request, data, 0, 2, .uint(1), parent: top, flags: .hidden)
        } else if operation == 2 {
            packet.add(hf.response, data, 0, 2, .uint(1), parent: top, flags: .hidden)
        }
        // tshark reads the vectors only while building a tree (`if (tree)`): a plain packet list
        // never sees a cut vector, `-V` and `-T fields` show the malformed mark.
        guard !packet.tree.interest.isEmpty else { return .consumed(data.count) }
        var cursor = 2
        while cursor < data.count + packet.missingBytes(data) {
            // The ticks are read first, so a cut vector adds none of its items.
            let ticks = try data.u16(cursor + 6)
            packet.add(hf.routeVector, data, cursor, 4, .uint(UInt64(try data.u32(cursor))), parent: top)
            packet.add(hf.hops, data, cursor + 4, 2, .uint(UInt64(try data.u16(cursor + 4))), parent: top)
            let item = packet.add(hf.ticks, data, cursor + 6, 2, .uint(UInt64(ticks)), parent: top)
            // tshark compares with IPX_RIP_REQUEST - 1 (0), so only operation 0 shows raw ticks.
            if operation != 0 && packet.buildsFullTree {
                packet.setLabel(item, "Ticks: \(Int(ticks) * 1000 / 18) ms")
            }
            cursor += 8
        }
        return .consumed(data.count)
    }
}
