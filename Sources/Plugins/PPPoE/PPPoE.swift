import DissectKit

/// PPP over Ethernet (RFC 2516): the discovery stage (EtherType 0x8863, PADI/PADO/PADR/PADS/
/// PADT with their tags) and the session stage (0x8864, a PPP frame without HDLC framing).
public enum PPPoEPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = PPPoEDissector(r)
        r.table("ethertype", uiName: "Ethertype").add(0x8863, r.handle(d.discoveryProto, PPPoEDissector.Discovery(d)))
        r.table("ethertype", uiName: "Ethertype").add(0x8864, r.handle(d.sessionProto, PPPoEDissector.Session(d)))
        PPPoEFieldCatalog.registerAll(r, ["pppoe": d.proto, "pppoed": d.discoveryProto, "pppoes": d.sessionProto])
    }
}

final class PPPoEDissector {
    let proto: FieldID
    let discoveryProto: FieldID
    let sessionProto: FieldID
    let version: FieldID
    let type: FieldID
    let code: FieldID
    let sessionID: FieldID
    let payloadLength: FieldID
    let eiPayloadLength: FieldID
    let tags: FieldID
    let unknownTag: FieldID
    /// Tag type → the field that shows its value.
    private var tagFields: [UInt16: FieldID] = [:]
    let vendorID: FieldID
    let vendorData: FieldID
    let ppp: NamedDissector

    static let codes: [UInt64: String] = [
        0x00: "Session Data", 0x07: "Active Discovery Offer (PADO)", 0x09: "Active Discovery Initiation (PADI)",
        0x0a: "Active Discovery Session-Grant (PADG)", 0x0b: "Active Discovery Session-Credit Resp.(PADC)",
        0x0c: "Active Discovery Quality (PADQ)", 0x19: "Active Discovery Request (PADR)",
        0x65: "Active Discovery Session-confirmation (PADS)", 0xa7: "Active Discovery Terminate (PADT)",
        0xd3: "Active Discovery Message (PADM)", 0xd4: "Active Discovery Network (PADN)",
    ]

    static let acNameTag: UInt16 = 0x0102
    static let vendorSpecificTag: UInt16 = 0x0105

    init(_ r: Registrar) {
        proto = r.registerProtocol(name: "PPP-over-Ethernet", shortName: "PPPoE", abbrev: "pppoe")
        discoveryProto = r.registerProtocol(name: "PPP-over-Ethernet Discovery", shortName: "PPPoED", abbrev: "pppoed")
        sessionProto = r.registerProtocol(name: "PPP-over-Ethernet Session", shortName: "PPPoES", abbrev: "pppoes")
        version = r.field("Version", "pppoe.version", .uint8, .dec, bitmask: 0xf0, in: proto)
        type = r.field("Type", "pppoe.type", .uint8, .dec, bitmask: 0x0f, in: proto)
        code = r.field("Code", "pppoe.code", .uint8, .hex, strings: .values(Self.codes), in: proto)
        sessionID = r.field("Session ID", "pppoe.session_id", .uint16, .hex, in: proto)
        payloadLength = r.field("Payload Length", "pppoe.payload_length", .uint16, .dec, in: proto)
        eiPayloadLength = r.expert("pppoe.payload_length.bad", "Possible bad payload length", .warning, .malformed,
                                   in: proto)
        _ = r.expert("pppoed.tag_length.invalid", "Wrong length", .warning, .malformed, in: proto)
        tags = r.field("PPPoE Tags", "pppoed.tags", .none, in: discoveryProto)
        unknownTag = r.field("Unknown Data", "pppoed.tag.unknown_data", .bytes, in: discoveryProto)
        vendorID = r.field("Vendor id", "pppoed.tags.vendor_id", .uint32, .dec, in: discoveryProto)
        vendorData = r.field("Vendor unspecified", "pppoed.tags.vendor_unspecified", .bytes, in: discoveryProto)
        let tagList: [(UInt16, String, String, FieldType)] = [
            (0x0101, "Service-Name", "pppoed.tags.service_name", .string),
            (0x0102, "AC-Name", "pppoed.tags.ac_name", .string),
            (0x0103, "Host-Uniq", "pppoed.tags.host_uniq", .bytes),
            (0x0104, "AC-Cookie", "pppoed.tags.ac_cookie", .bytes),
            (0x0106, "Credits", "pppoed.tags.credits", .bytes),
            (0x0107, "Metrics", "pppoed.tags.metrics", .bytes),
            (0x0110, "Relay-Session-Id", "pppoed.tags.relay_session_id", .bytes),
            (0x0111, "HURL", "pppoed.tags.hurl", .bytes),
            (0x0112, "MOTM", "pppoed.tags.motm", .bytes),
            (0x0120, "PPP-Max-Payload", "pppoed.tags.max_payload", .bytes),
            (0x0121, "IP Route Add", "pppoed.tags.ip_route_add", .bytes),
            (0x0201, "Service-Name-Error", "pppoed.tags.service_name_error", .string),
            (0x0202, "AC-System-Error", "pppoed.tags.ac_system_error", .string),
            (0x0203, "Generic-Error", "pppoed.tags.generic_error", .string),
        ]
        for (tag, name, abbrev, type) in tagList {
            tagFields[tag] = r.field(name, abbrev, type, in: discoveryProto)
        }
        tagFields[0x0108] = r.field("Sequence Number", "pppoed.tags.seq_num", .uint16, .hex, in: discoveryProto)
        tagFields[0x0109] = r.field("Credit Scale Factor", "pppoed.tags.credit_scale", .uint16, .dec, in: discoveryProto)
        _ = r.preference("pppoed", "show_tags_and_lengths", title: "Show values of tags and lengths of data fields",
                         .bool, default: "FALSE")
        ppp = r.dissector(named: "ppp")
    }

    /// The 6-byte header both stages share, under the stage's own item.
    private func header(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode) throws(Malformed) -> (code: UInt8, length: Int, lengthItem: TreeNode) {
        let vt = try data.u8(0)
        packet.add(version, data, 0, 1, .uint(UInt64(vt >> 4)), parent: top)
        packet.add(type, data, 0, 1, .uint(UInt64(vt & 0x0f)), parent: top)
        let c = try data.u8(1)
        packet.add(code, data, 1, 1, .uint(UInt64(c)), parent: top)
        packet.add(sessionID, data, 2, 2, .uint(UInt64(try data.u16(2))), parent: top)
        let length = Int(try data.u16(4))
        let item = packet.add(payloadLength, data, 4, 2, .uint(UInt64(length)), parent: top)
        return (c, length, item)
    }

    final class Discovery: Dissector {
        let pppoe: PPPoEDissector
        init(_ pppoe: PPPoEDissector) { self.pppoe = pppoe }
        func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
            try pppoe.dissectDiscovery(&packet, data, parent)
        }
    }

    final class Session: Dissector {
        let pppoe: PPPoEDissector
        init(_ pppoe: PPPoEDissector) { self.pppoe = pppoe }
        func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
            try pppoe.dissectSession(&packet, data, parent)
        }
    }

    func dissectDiscovery(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "PPPoED"
        packet.enterLayer(discoveryProto)
        let c = try data.u8(1)
        packet.info.clear()
        packet.info.append(Self.codes[UInt64(c)] ?? "Unknown")
        let top = packet.addLayerItem(discoveryProto, data, 0, data.count, parent: parent)
        let (_, length, _) = try header(&packet, data, top)
        if length > 0 { try discoveryTags(&packet, data, top, at: 6, length: min(length, data.count - 6)) }
        return .consumed(data.count)
    }

    /// Type-length-value tags (RFC 2516 appendix A); AC-Name also goes to the Info column.
    private func discoveryTags(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, at start: Int,
                               length: Int) throws(Malformed) {
        let tree = packet.add(tags, data, start, length, .none, parent: top)
        var offset = start
        let end = start + length
        while offset + 4 <= end {
            let tag = try data.u16(offset)
            let tagLength = Int(try data.u16(offset + 2))
            try data.check(offset + 4, tagLength)
            let v = offset + 4
            if tag == 0 { break }
            if tagLength > 0 {
                if tag == Self.vendorSpecificTag {
                    // (tshark shows nothing for a vendor tag too short for its vendor id.)
                    if tagLength >= 4 {
                        packet.add(vendorID, data, v, 4, .uint(UInt64(try data.u32(v))), parent: tree)
                        if tagLength > 4 { packet.add(vendorData, data, v + 4, tagLength - 4, .bytes, parent: tree) }
                    }
                } else if let field = tagFields[tag] {
                    let info = packet.registry[field]
                    let value: FieldValue
                    switch info.type {
                    case .string: value = .string
                    case .uint16 where tagLength == 2: value = .uint(UInt64(try data.u16(v)))
                    default: value = .bytes
                    }
                    packet.add(field, data, v, tagLength, value, parent: tree)
                } else {
                    packet.add(unknownTag, data, v, tagLength, .bytes, parent: tree)
                }
                if tag == Self.acNameTag {
                    packet.info.append(" AC-Name='")
                    packet.info.append(try data.slice(v, tagLength))
                    packet.info.append("'")
                }
            }
            offset = v + tagLength
        }
    }

    func dissectSession(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "PPPoES"
        packet.enterLayer(sessionProto)
        let c = try data.u8(1)
        packet.info.clear()
        packet.info.append(Self.codes[UInt64(c)] ?? "Unknown")
        let top = packet.addLayerItem(sessionProto, data, 0, min(6, data.count), parent: parent)
        let (_, length, lengthItem) = try header(&packet, data, top)
        let actual = data.count - 6 + packet.missingBytes(data)
        // A short frame padded to the Ethernet minimum, or a trailing FCS, is not an error.
        let padded = length < actual && packet.frame.originalLength <= 64
        if length != actual && length + 4 != actual && !padded {
            if packet.buildsFullTree { packet.appendLabel(lengthItem, " [incorrect, should be \(actual)]") }
            packet.addExpert(eiPayloadLength, parent: lengthItem, data, 4, 2,
                             message: "Possible bad payload length \(length) != \(actual)")
        }
        let payload = data.suffix(from: 6).prefix(length)
        if let h = ppp.handle {
            packet.call(h, payload, parent: parent)
        } else {
            packet.callData(payload, parent: parent)
        }
        return .consumed(data.count)
    }
}
