import DissectKit

/// Address Resolution Protocol (RFC 826) and its relatives carried in the same packet format:
/// RARP (RFC 903), DRARP and Inverse ARP (RFC 2390). Registered for ethertypes 0x0806 and
/// 0x8035, so it runs over every link layer that dispatches through the `ethertype` table.
public enum ARPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = ARPDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.table("ethertype", uiName: "Ethertype").add(0x0806, h)
        r.table("ethertype", uiName: "Ethertype").add(0x8035, h)
        r.registerDissector("arp", h)
        r.onReset { d.addresses.reset() }
    }
}

final class ARPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var hwType = FieldID.textOnly
        var protoType = FieldID.textOnly
        var hwSize = FieldID.textOnly
        var protoSize = FieldID.textOnly
        var opcode = FieldID.textOnly
        var isGratuitous = FieldID.textOnly
        var isProbe = FieldID.textOnly
        var isAnnouncement = FieldID.textOnly
        var srcHw = FieldID.textOnly
        var srcHwMac = FieldID.textOnly
        var srcProto = FieldID.textOnly
        var srcProtoIPv4 = FieldID.textOnly
        var dstHw = FieldID.textOnly
        var dstHwMac = FieldID.textOnly
        var dstProto = FieldID.textOnly
        var dstProtoIPv4 = FieldID.textOnly
        var duplicateFrame = FieldID.textOnly
        var duplicateSeconds = FieldID.textOnly
        var eiDuplicate = FieldID.textOnly
    }
    var hf = Fields()
    let addresses = ARPAddressTable()
    let prefDetectDuplicates: Preference

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Address Resolution Protocol", shortName: "ARP/RARP", abbrev: "arp")
        hf.proto = p
        ARPFieldCatalog.registerAll(r, p, strings: [
            "arp.hw.type": .values(ARPNames.hardwareTypes), "arp.proto.type": EtherTypes.strings,
            "arp.opcode": .values(ARPNames.opcodes),
        ])
        hf.hwType = r.field("Hardware type", "arp.hw.type", .uint16, .dec, strings: .values(ARPNames.hardwareTypes), in: p)
        hf.protoType = r.field("Protocol type", "arp.proto.type", .uint16, .hex, strings: EtherTypes.strings, in: p)
        hf.hwSize = r.field("Hardware size", "arp.hw.size", .uint8, .dec, in: p)
        hf.protoSize = r.field("Protocol size", "arp.proto.size", .uint8, .dec, in: p)
        hf.opcode = r.field("Opcode", "arp.opcode", .uint16, .dec, strings: .values(ARPNames.opcodes), in: p)
        hf.isGratuitous = r.field("Is gratuitous", "arp.isgratuitous", .boolean, in: p)
        hf.isProbe = r.field("Is probe", "arp.isprobe", .boolean, in: p)
        hf.isAnnouncement = r.field("Is announcement", "arp.isannouncement", .boolean, in: p)
        hf.srcHw = r.field("Sender hardware address", "arp.src.hw", .bytes, in: p)
        hf.srcHwMac = r.field("Sender MAC address", "arp.src.hw_mac", .ether, in: p)
        hf.srcProto = r.field("Sender protocol address", "arp.src.proto", .bytes, in: p)
        hf.srcProtoIPv4 = r.field("Sender IP address", "arp.src.proto_ipv4", .ipv4, in: p)
        hf.dstHw = r.field("Target hardware address", "arp.dst.hw", .bytes, in: p)
        hf.dstHwMac = r.field("Target MAC address", "arp.dst.hw_mac", .ether, in: p)
        hf.dstProto = r.field("Target protocol address", "arp.dst.proto", .bytes, in: p)
        hf.dstProtoIPv4 = r.field("Target IP address", "arp.dst.proto_ipv4", .ipv4, in: p)
        hf.duplicateFrame = r.field("Frame showing earlier use of IP address", "arp.duplicate-address-frame",
                                    .framenum, in: p)
        hf.duplicateSeconds = r.field("Seconds since earlier frame seen", "arp.seconds-since-duplicate-address-frame",
                                      .uint32, .dec, in: p)
        hf.eiDuplicate = r.expert("arp.duplicate-address-detected", "Duplicate IP address configured", .warning,
                                  .sequence, in: p)
        _ = r.preference("arp", "detect_request_storms", title: "Detect ARP request storms", .bool, default: "FALSE")
        _ = r.preference("arp", "detect_storm_number_of_packets", title: "Number of requests to detect during period",
                         .uint, default: "30")
        _ = r.preference("arp", "detect_storm_period", title: "Detection period (in ms)", .uint, default: "100")
        prefDetectDuplicates = r.preference("arp", "detect_duplicate_ips", title: "Detect duplicate IP address configuration",
                         .bool, default: "TRUE")
        _ = r.preference("arp", "register_network_address_binding",
                         title: "Register network address mappings", .bool, default: "TRUE")
    }
}
