import DissectKit

/// IEEE 802.5 Token Ring (link type 6): access control, frame control, addresses, the routing
/// information field of source-routed frames, then LLC.
public enum TokenRingPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = TokenRingDissector(r)
        r.registerLinkType(6, r.handle(d.hf.proto, d))
        TokenRingFieldCatalog.registerAll(r, ["tr": d.hf.proto])
    }
}

final class TokenRingDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var ac = FieldID.textOnly
        var priority = FieldID.textOnly
        var frame = FieldID.textOnly
        var monitorCount = FieldID.textOnly
        var priorityReservation = FieldID.textOnly
        var fc = FieldID.textOnly
        var frameType = FieldID.textOnly
        var framePCF = FieldID.textOnly
        var dst = FieldID.textOnly
        var src = FieldID.textOnly
        var addr = FieldID.textOnly
        var sourceRouted = FieldID.textOnly
        var rifBytes = FieldID.textOnly
        var broadcast = FieldID.textOnly
        var maxFrameSize = FieldID.textOnly
        var direction = FieldID.textOnly
    }
    var hf = Fields()
    let llc: NamedDissector

    static let frameTypes: [UInt64: String] = [0: "MAC", 1: "LLC", 2: "Reserved"]
    static let pcfNames: [UInt64: String] = [
        0: "Normal buffer", 1: "Express buffer", 2: "Purge", 3: "Claim Token", 4: "Beacon",
        5: "Active Monitor Present", 6: "Standby Monitor Present",
    ]

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Token-Ring", shortName: "Token-Ring", abbrev: "tr")
        hf.proto = p
        hf.ac = r.field("Access Control", "tr.ac", .uint8, .hex, in: p)
        hf.priority = r.field("Priority", "tr.priority", .uint8, .dec, bitmask: 0xe0, in: p)
        hf.frame = r.field("Frame", "tr.frame", .boolean, strings: .trueFalse("Frame", "Token"), bitmask: 0x10,
                           bitWidth: 8, in: p)
        hf.monitorCount = r.field("Monitor Count", "tr.monitor_cnt", .uint8, .dec, bitmask: 0x08, in: p)
        hf.priorityReservation = r.field("Priority Reservation", "tr.priority_reservation", .uint8, .dec,
                                         bitmask: 0x07, in: p)
        hf.fc = r.field("Frame Control", "tr.fc", .uint8, .hex, in: p)
        hf.frameType = r.field("Frame Type", "tr.frame_type", .uint8, .dec, strings: .values(Self.frameTypes),
                               bitmask: 0xc0, in: p)
        hf.framePCF = r.field("Frame PCF", "tr.frame_pcf", .uint8, .dec, strings: .values(Self.pcfNames),
                              bitmask: 0x0f, in: p)
        hf.dst = r.field("Destination", "tr.dst", .ether, blurb: "Destination Hardware Address", in: p)
        hf.src = r.field("Source", "tr.src", .ether, blurb: "Source Hardware Address", in: p)
        hf.addr = r.field("Source or Destination Address", "tr.addr", .ether,
                          blurb: "Source or Destination Hardware Address", in: p)
        hf.sourceRouted = r.field("Source Routed", "tr.sr", .boolean, in: p)
        hf.rifBytes = r.field("RIF Bytes", "tr.rif_bytes", .uint8, .dec,
                              blurb: "Number of bytes in Routing Information Fields, including the two bytes of Routing Control Field",
                              in: p)
        hf.broadcast = r.field("Broadcast Type", "tr.broadcast", .uint8, .dec,
                               strings: .values([0: "Non-broadcast", 32: "Non-broadcast", 64: "Non-broadcast",
                                                 96: "Non-broadcast", 128: "All-routes broadcast",
                                                 160: "All-routes broadcast", 192: "Single-route broadcast",
                                                 224: "Single-route broadcast"]),
                               blurb: "Type of Token-Ring Broadcast", in: p)
        hf.maxFrameSize = r.field("Maximum Frame Size", "tr.max_frame_size", .uint8, .dec,
                                  strings: .values([0: "516", 16: "1500", 32: "2052", 48: "4472", 64: "8144",
                                                    80: "11407", 96: "17800", 112: "65535"]), in: p)
        hf.direction = r.field("Direction", "tr.direction", .uint8, .dec,
                               strings: .values([0: "From originating station (-->)", 128: "To originating station (<--)"]),
                               blurb: "Direction of RIF", in: p)
        _ = r.preference("tr", "fix_linux_botches", title: "Whether Linux mangling of the link-layer header should be checked for and worked around",
                         .bool, default: "FALSE")
        llc = r.dissector(named: "llc")
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "TR"
        packet.enterLayer(hf.proto)
        packet.info.set("Token-Ring Unknown")
        let ac = try data.u8(0)
        let fc = try data.u8(1)
        let d = try data.u48(2)
        var s = try data.u48(8)
        // The source address's group bit marks a source-routed frame (RIF follows).
        let sourceRouted = s & 0x8000_0000_0000 != 0
        s &= ~UInt64(0x8000_0000_0000)
        var rifLength = 0
        if sourceRouted { rifLength = Int(try data.u8(14) & 0x1f) }
        packet.dlDst = .ether(d)
        packet.dlSrc = .ether(s)

        let top = packet.addLayerItem(hf.proto, data, 0, 14 + rifLength, parent: parent)
        let acItem = packet.add(hf.ac, data, 0, 1, .uint(UInt64(ac)), parent: top)
        if packet.buildsFullTree {
            packet.setLabel(acItem, "Access Control: 0x" + FieldFormatter.hex(UInt64(ac), digits: 2)
                                + (ac & 0x10 != 0 ? ", Frame" : ", Token"))
        }
        packet.add(hf.priority, data, 0, 1, .uint(UInt64(ac >> 5)), parent: acItem)
        packet.add(hf.frame, data, 0, 1, .uint(UInt64((ac >> 4) & 1)), parent: acItem)
        packet.add(hf.monitorCount, data, 0, 1, .uint(UInt64((ac >> 3) & 1)), parent: acItem)
        packet.add(hf.priorityReservation, data, 0, 1, .uint(UInt64(ac & 7)), parent: acItem)
        let frameType = UInt64(fc >> 6), pcf = UInt64(fc & 0x0f)
        let fcItem = packet.add(hf.fc, data, 1, 1, .uint(UInt64(fc)), parent: top)
        if packet.buildsFullTree {
            packet.setLabel(fcItem, "Frame Control: 0x" + FieldFormatter.hex(UInt64(fc), digits: 2)
                                + ", Frame Type: " + (Self.frameTypes[frameType] ?? "Reserved")
                                + ", Frame PCF: " + (Self.pcfNames[pcf] ?? "Unknown"))
        }
        packet.add(hf.frameType, data, 1, 1, .uint(frameType), parent: fcItem)
        packet.add(hf.framePCF, data, 1, 1, .uint(pcf), parent: fcItem)
        packet.add(hf.dst, data, 2, 6, .ether(d), parent: top)
        packet.add(hf.src, data, 8, 6, .ether(s), parent: top)
        packet.add(hf.addr, data, 2, 6, .ether(d), parent: top, flags: .hidden)
        packet.add(hf.addr, data, 8, 6, .ether(s), parent: top, flags: .hidden)
        packet.add(hf.sourceRouted, data, 8, 1, .uint(sourceRouted ? 1 : 0), parent: top)
        // tshark adds the source (its route bit cleared) once more, hidden, after the bit.
        packet.add(hf.src, data, 8, 6, .ether(s), parent: top, flags: .hidden)
        if sourceRouted {
            let rc0 = try data.u8(14), rc1 = try data.u8(15)
            packet.add(hf.rifBytes, data, 14, 1, .uint(UInt64(rifLength)), parent: top)
            packet.add(hf.broadcast, data, 14, 1, .uint(UInt64(rc0 & 0xe0)), parent: top)
            packet.add(hf.maxFrameSize, data, 15, 1, .uint(UInt64(rc1 & 0x70)), parent: top)
            packet.add(hf.direction, data, 15, 1, .uint(UInt64(rc1 & 0x80)), parent: top)
        }
        let payload = data.suffix(from: 14 + rifLength)
        if frameType == 1, let h = llc.handle {
            packet.call(h, payload, parent: parent)
        } else {
            packet.callData(payload, parent: parent)
        }
        return .consumed(data.count)
    }
}
