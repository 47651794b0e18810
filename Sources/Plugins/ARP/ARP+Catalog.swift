import DissectKit

/// Every field tshark 4.0.17 registers for arp (from `tshark -G fields`), so filters and `-G fields`
/// know them even where this dissector does not fill them. Fields the dissector uses are registered
/// first with their value strings; the registry shares the id for these entries.
enum ARPFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String)] = [
        ("arp.hw.type", "Hardware type", .uint16, .dec, 0x0, nil, ""),
        ("arp.proto.type", "Protocol type", .uint16, .hex, 0x0, nil, ""),
        ("arp.hw.size", "Hardware size", .uint8, .dec, 0x0, nil, ""),
        ("arp.src.htype", "Sender ATM number type", .boolean, .none, 0x40, 8, ""),
        ("arp.src.hlen", "Sender ATM number length", .uint8, .dec, 0x3f, nil, ""),
        ("arp.src.stype", "Sender ATM subaddress type", .boolean, .none, 0x40, 8, ""),
        ("arp.src.slen", "Sender ATM subaddress length", .uint8, .dec, 0x3f, nil, ""),
        ("arp.proto.size", "Protocol size", .uint8, .dec, 0x0, nil, ""),
        ("arp.opcode", "Opcode", .uint16, .dec, 0x0, nil, ""),
        ("arp.isgratuitous", "Is gratuitous", .boolean, .none, 0x0, nil, ""),
        ("arp.isprobe", "Is probe", .boolean, .none, 0x0, nil, ""),
        ("arp.isannouncement", "Is announcement", .boolean, .none, 0x0, nil, ""),
        ("arp.src.pln", "Sender protocol size", .uint8, .dec, 0x0, nil, ""),
        ("arp.dst.htype", "Target ATM number type", .boolean, .none, 0x40, 8, ""),
        ("arp.dst.hlen", "Target ATM number length", .uint8, .dec, 0x3f, nil, ""),
        ("arp.dst.stype", "Target ATM subaddress type", .boolean, .none, 0x40, 8, ""),
        ("arp.dst.slen", "Target ATM subaddress length", .uint8, .dec, 0x3f, nil, ""),
        ("arp.dst.pln", "Target protocol size", .uint8, .dec, 0x0, nil, ""),
        ("arp.src.hw", "Sender hardware address", .bytes, .none, 0x0, nil, ""),
        ("arp.src.hw_mac", "Sender MAC address", .ether, .none, 0x0, nil, ""),
        ("arp.src.atm_num_e164", "Sender ATM number (E.164)", .string, .none, 0x0, nil, ""),
        ("arp.src.atm_num_nsap", "Sender ATM number (NSAP)", .bytes, .none, 0x0, nil, ""),
        ("arp.src.atm_subaddr", "Sender ATM subaddress", .bytes, .none, 0x0, nil, ""),
        ("arp.src.proto", "Sender protocol address", .bytes, .none, 0x0, nil, ""),
        ("arp.src.proto_ipv4", "Sender IP address", .ipv4, .none, 0x0, nil, ""),
        ("arp.dst.hw", "Target hardware address", .bytes, .none, 0x0, nil, ""),
        ("arp.dst.hw_mac", "Target MAC address", .ether, .none, 0x0, nil, ""),
        ("arp.dst.atm_num_e164", "Target ATM number (E.164)", .string, .none, 0x0, nil, ""),
        ("arp.dst.atm_num_nsap", "Target ATM number (NSAP)", .bytes, .none, 0x0, nil, ""),
        ("arp.dst.atm_subaddr", "Target ATM subaddress", .bytes, .none, 0x0, nil, ""),
        ("arp.dst.proto", "Target protocol address", .bytes, .none, 0x0, nil, ""),
        ("arp.dst.proto_ipv4", "Target IP address", .ipv4, .none, 0x0, nil, ""),
        ("arp.dst.drarp_error_status", "DRARP error status", .uint16, .dec, 0x0, nil, ""),
        ("arp.duplicate-address-frame", "Frame showing earlier use of IP address", .framenum, .none, 0x0, nil, ""),
        ("arp.seconds-since-duplicate-address-frame", "Seconds since earlier frame seen", .uint32, .dec, 0x0, nil, ""),
        ("arp.src.atm_data_country_code", "Data Country Code", .uint16, .hex, 0x0, nil, ""),
        ("arp.src.atm_data_country_code_group", "Data Country Code (group)", .uint16, .hex, 0x0, nil, ""),
        ("arp.src.atm_high_order_dsp", "High Order DSP", .bytes, .none, 0x0, nil, ""),
        ("arp.src.atm_end_system_identifier", "End System Identifier", .bytes, .none, 0x0, nil, ""),
        ("arp.src.atm_selector", "Selector", .uint8, .hex, 0x0, nil, ""),
        ("arp.src.atm_international_code_designator", "International Code Designator", .uint16, .hex, 0x0, nil, ""),
        ("arp.src.atm_international_code_designator_group", "International Code Designator (group)", .uint16, .hex, 0x0, nil, ""),
        ("arp.src.atm_e.164_isdn", "E.164 ISDN", .bytes, .none, 0x0, nil, ""),
        ("arp.src.atm_e.164_isdn_group", "E.164 ISDN", .bytes, .none, 0x0, nil, ""),
        ("arp.src.atm_rest_of_address", "Rest of address", .bytes, .none, 0x0, nil, ""),
        ("arp.src.atm_afi", "AFI", .uint8, .hex, 0x0, nil, ""),
        ("arp.duplicate-address-detected", "Duplicate IP address configured", .none, .none, 0x0, nil, ""),
        ("arp.packet-storm-detected", "ARP packet storm detected", .none, .none, 0x0, nil, ""),
        ("arp.src.atm_afi.unknown", "Unknown AFI", .none, .none, 0x0, nil, ""),
    ]

    /// Registers the fields in tshark's order (so `-G fields` lists them as tshark does), with
    /// the value strings the dissector's own registrations would give them.
    static func registerAll(_ r: Registrar, _ proto: FieldID, strings: [String: ValueStrings] = [:]) {
        for f in fields {
            _ = r.field(f.1, f.0, f.2, f.3, strings: strings[f.0], bitmask: f.4, bitWidth: f.5, blurb: f.6, in: proto)
        }
    }
}
