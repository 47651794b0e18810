import DissectKit

/// IEEE 802.1Q VLAN tags (EtherType 0x8100, and the `vlan.qinq_ethertype` one, 0x9100 by default)
/// and IEEE 802.1ad service tags (0x88a8). Each tag is 4 bytes, TCI then the inner EtherType
/// (or an 802.3 length), and hands on through the `ethertype` dispatcher.
public enum VLANPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let vlan = VLANDissector(r)
        let h = r.handle(vlan.hf.proto, vlan)
        r.table("ethertype").add(0x8100, h)
        r.table("ethertype").add(UInt32(truncatingIfNeeded: vlan.prefQinQ.hexValue), h)
        let ad = IEEE8021adDissector(r)
        r.table("ethertype").add(0x88a8, r.handle(ad.proto, ad))
        VLANFieldCatalog.registerAll(r, ["vlan": vlan.hf.proto, "ieee8021ad": ad.proto, "ieee8021ah": ad.ahProto])
    }
}

final class VLANDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var priority = FieldID.textOnly
        var dei = FieldID.textOnly
        var id = FieldID.textOnly
        var etype = FieldID.textOnly
        var len = FieldID.textOnly
        var trailer = FieldID.textOnly
        var eiLenPastEnd = FieldID.textOnly
    }
    var hf = Fields()
    let prefQinQ: Preference
    let ethertype: EthertypeLink
    let payload8023: IEEE8023Payload

    /// Priority names of IEEE 802.1Q-2011 with 8 priorities (tshark's default `vlan.version`).
    static let priorities: [UInt64: String] = [
        0: "Best Effort (default)", 1: "Background", 2: "Excellent Effort", 3: "Critical Applications",
        4: "Video, < 100ms latency and jitter", 5: "Voice, < 10ms latency and jitter",
        6: "Internetwork Control", 7: "Network Control",
    ]

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "802.1Q Virtual LAN", shortName: "VLAN", abbrev: "vlan")
        hf.proto = p
        hf.priority = r.field("Priority", "vlan.priority", .uint16, .dec, strings: .values(Self.priorities),
                              bitmask: 0xe000,
                              blurb: "Descriptions are recommendations from IEEE standard 802.1D-2004", in: p)
        hf.dei = r.field("DEI", "vlan.dei", .boolean, strings: .trueFalse("Eligible", "Ineligible"), bitmask: 0x1000,
                         bitWidth: 16, blurb: "Drop Eligible Indicator", in: p)
        hf.id = r.field("ID", "vlan.id", .uint16, .dec, bitmask: 0x0fff, blurb: "VLAN ID", in: p)
        hf.etype = r.field("Type", "vlan.etype", .uint16, .hex, strings: EtherTypes.strings, blurb: "Ethertype", in: p)
        hf.len = r.field("Length", "vlan.len", .uint16, .dec, in: p)
        hf.trailer = r.field("Trailer", "vlan.trailer", .bytes, blurb: "VLAN Trailer", in: p)
        hf.eiLenPastEnd = r.expert("vlan.len.past_end", "Length field value goes past the end of the payload",
                                   .error, .malformed, in: p)
        _ = r.expert("vlan.too_many_tags", "Too many nested VLAN tags", .warning, .undecoded, in: p)
        _ = r.preference("vlan", "summary_in_tree", title: "Whether the vlan summary line should be shown in the protocol tree",
                         .bool, default: "TRUE")
        prefQinQ = r.preference("vlan", "qinq_ethertype", title: "The (hexadecimal) Ethertype used to indicate 802.1QinQ VLAN in VLAN tunneling.",
                                .string, default: "0x9100")
        _ = r.preference("vlan", "version", title: "IEEE 802.1Q specification version used (802.1Q-1998 uses 802.1D-2004 for PRI values)",
                         .choice([("v1998", "IEEE 802.1Q-1998", 0), ("v2005", "IEEE 802.1Q-2005", 1),
                                  ("v2011", "IEEE 802.1Q-2011", 2)]),
                         default: "IEEE 802.1Q-2011")
        ethertype = EthertypeLink(r)
        payload8023 = IEEE8023Payload(r)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "VLAN"
        packet.enterLayer(hf.proto)
        let tci = try data.u16(0)
        let priority = UInt64(tci >> 13), dei = UInt64((tci >> 12) & 1), id = UInt64(tci & 0x0fff)
        // "PRI: 5  DEI: 1  ID: 20" (two spaces, as tshark writes it).
        packet.info.clear()
        packet.info.append("PRI: ")
        packet.info.append(priority)
        packet.info.append("  DEI: ")
        packet.info.append(dei)
        packet.info.append("  ID: ")
        packet.info.append(id)
        let top = packet.addLayerItem(hf.proto, data, 0, 4, parent: parent,
                                     text: "802.1Q Virtual LAN, PRI: \(priority), DEI: \(dei), ID: \(id)")
        packet.add(hf.priority, data, 0, 2, .uint(priority), parent: top)
        packet.add(hf.dei, data, 0, 2, .uint(dei), parent: top)
        packet.add(hf.id, data, 0, 2, .uint(id), parent: top)

        let encap = try data.u16(2)
        if encap <= 1500 {
            let lengthItem = packet.add(hf.len, data, 2, 2, .uint(UInt64(encap)), parent: top)
            payload8023.dissect(&packet, data, offset: 4, length: encap, tree: top, lengthItem: lengthItem,
                                pastEnd: hf.eiLenPastEnd, trailerField: hf.trailer,
                                trailer: ethertype.dispatcher?.trailer, fcs: .never, parent: parent)
        } else {
            packet.add(hf.etype, data, 2, 2, .uint(UInt64(encap)), parent: top)
            ethertype.dispatch(&packet, data, EthertypeRequest(etype: encap, payloadOffset: 4, headerTree: top,
                                                               trailerField: hf.trailer, fcs: .never), parent: parent)
        }
        return .consumed(data.count)
    }
}

/// IEEE 802.1ad service VLAN tag ("IEEE 802.1ad, ID: 200"); its EtherType field and trailer
/// belong to the 802.1ah protocol in tshark.
final class IEEE8021adDissector: Dissector {
    let proto: FieldID
    let ahProto: FieldID
    let priority: FieldID
    let dei: FieldID
    let id: FieldID
    let etype: FieldID
    let trailer: FieldID
    let ethertype: EthertypeLink

    init(_ r: Registrar) {
        proto = r.registerProtocol(name: "IEEE 802.1ad", shortName: "IEEE 802.1AD", abbrev: "ieee8021ad")
        ahProto = r.registerProtocol(name: "IEEE 802.1ah", shortName: "IEEE 802.1AH", abbrev: "ieee8021ah")
        priority = r.field("Priority", "ieee8021ad.priority", .uint16, .dec, bitmask: 0xe000, in: proto)
        dei = r.field("DEI", "ieee8021ad.dei", .uint16, .dec, bitmask: 0x1000, blurb: "Drop Eligibility", in: proto)
        id = r.field("ID", "ieee8021ad.id", .uint16, .dec, bitmask: 0x0fff, blurb: "Vlan ID", in: proto)
        etype = r.field("Type", "ieee8021ah.etype", .uint16, .hex, strings: EtherTypes.strings, in: ahProto)
        trailer = r.field("Trailer", "ieee8021ah.trailer", .bytes, blurb: "802.1ah Trailer", in: ahProto)
        ethertype = EthertypeLink(r)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "802.1ad"
        packet.enterLayer(proto)
        let tci = try data.u16(0)
        let pri = UInt64(tci >> 13), drop = UInt64((tci >> 12) & 1), vid = UInt64(tci & 0x0fff)
        // tshark's text, single space before "ID" included: "PRI: 1  DROP: 1 ID: 10".
        packet.info.clear()
        packet.info.append("PRI: ")
        packet.info.append(pri)
        packet.info.append("  DROP: ")
        packet.info.append(drop)
        packet.info.append(" ID: ")
        packet.info.append(vid)
        // tshark reads the inner type before it fills the item: a 2-byte tag shows a bare item.
        let top = packet.addLayerItem(proto, data, 0, 4, parent: parent)
        let encap = try data.u16(2)
        packet.appendLabel(top, ", ID: \(vid)")
        packet.add(priority, data, 0, 2, .uint(pri), parent: top)
        packet.add(dei, data, 0, 2, .uint(drop), parent: top)
        packet.add(id, data, 0, 2, .uint(vid), parent: top)
        packet.add(etype, data, 2, 2, .uint(UInt64(encap)), parent: top)
        ethertype.dispatch(&packet, data, EthertypeRequest(etype: encap, payloadOffset: 4, headerTree: top,
                                                           trailerField: trailer, fcs: .never), parent: parent)
        return .consumed(data.count)
    }
}

private extension Preference {
    /// "0x9100" → 0x9100.
    var hexValue: UInt64 {
        var t = Substring(text)
        if t.hasPrefix("0x") || t.hasPrefix("0X") { t = t.dropFirst(2) }
        return UInt64(t, radix: 16) ?? 0x9100
    }
}
