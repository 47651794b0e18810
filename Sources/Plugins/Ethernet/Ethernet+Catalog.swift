import DissectKit

/// Every field tshark 4.0.17 registers for eth, ethertype (from `tshark -G fields`), so filters and
/// `-G fields` know them even where the dissector does not fill them. Fields the dissector uses
/// are registered first with their value strings; the registry shares the id for these entries.
enum EthernetFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("eth.dst", "Destination", .ether, .none, 0x0, nil, "Destination Hardware Address", "eth"),
        ("eth.dst_resolved", "Destination (resolved)", .string, .none, 0x0, nil, "Destination Hardware Address (resolved)", "eth"),
        ("eth.dst.oui", "Destination OUI", .uint24, .none, 0x0, nil, "Destination Organizationally Unique Identifier", "eth"),
        ("eth.dst.oui_resolved", "Destination OUI (resolved)", .string, .none, 0x0, nil, "Destination Organizationally Unique Identifier (resolved)", "eth"),
        ("eth.src", "Source", .ether, .none, 0x0, nil, "Source Hardware Address", "eth"),
        ("eth.src_resolved", "Source (resolved)", .string, .none, 0x0, nil, "Source Hardware Address (resolved)", "eth"),
        ("eth.src.oui", "Source OUI", .uint24, .none, 0x0, nil, "Source Organizationally Unique Identifier", "eth"),
        ("eth.src.oui_resolved", "Source OUI (resolved)", .string, .none, 0x0, nil, "Source Organizationally Unique Identifier (resolved)", "eth"),
        ("eth.len", "Length", .uint16, .dec, 0x0, nil, "", "eth"),
        ("eth.type", "Type", .uint16, .hex, 0x0, nil, "", "eth"),
        ("eth.invalid_lentype", "Invalid length/type", .uint16, .hexDec, 0x0, nil, "", "eth"),
        ("eth.addr", "Address", .ether, .none, 0x0, nil, "Source or Destination Hardware Address", "eth"),
        ("eth.addr_resolved", "Address (resolved)", .string, .none, 0x0, nil, "Source or Destination Hardware Address (resolved)", "eth"),
        ("eth.addr.oui", "Address OUI", .uint24, .none, 0x0, nil, "Address Organizationally Unique Identifier", "eth"),
        ("eth.addr.oui_resolved", "Address OUI (resolved)", .string, .none, 0x0, nil, "Address Organizationally Unique Identifier (resolved)", "eth"),
        ("eth.padding", "Padding", .bytes, .none, 0x0, nil, "Ethernet Padding", "eth"),
        ("eth.trailer", "Trailer", .bytes, .none, 0x0, nil, "Ethernet Trailer or Checksum", "eth"),
        ("eth.fcs", "Frame check sequence", .uint32, .hex, 0x0, nil, "Ethernet checksum", "eth"),
        ("eth.fcs.status", "FCS Status", .uint8, .none, 0x0, nil, "", "eth"),
        ("eth.dst.lg", "LG bit", .boolean, .none, 0x20000, 24, "Specifies if this is a locally administered or globally unique (IEEE assigned) address", "eth"),
        ("eth.dst.ig", "IG bit", .boolean, .none, 0x10000, 24, "Specifies if this is an individual (unicast) or group (broadcast/multicast) address", "eth"),
        ("eth.src.lg", "LG bit", .boolean, .none, 0x20000, 24, "Specifies if this is a locally administered or globally unique (IEEE assigned) address", "eth"),
        ("eth.src.ig", "IG bit", .boolean, .none, 0x10000, 24, "Specifies if this is an individual (unicast) or group (broadcast/multicast) address", "eth"),
        ("eth.lg", "LG bit", .boolean, .none, 0x20000, 24, "Specifies if this is a locally administered or globally unique (IEEE assigned) address", "eth"),
        ("eth.ig", "IG bit", .boolean, .none, 0x10000, 24, "Specifies if this is an individual (unicast) or group (broadcast/multicast) address", "eth"),
        ("eth.invalid_lentype.expert", "Invalid length/type", .none, .none, 0x0, nil, "", "eth"),
        ("eth.src_not_group", "Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)", .none, .none, 0x0, nil, "", "eth"),
        ("eth.fcs_bad", "Bad checksum", .none, .none, 0x0, nil, "", "eth"),
        ("eth.len.past_end", "Length field value goes past the end of the payload", .none, .none, 0x0, nil, "", "eth"),
        ("eth.padding_bad", "Padding identification may be inaccurate and impact trailer dissector", .none, .none, 0x0, nil, "", "eth"),
    ]

    /// Registers every catalog field not registered yet; `protocols` maps protocol abbrevs to ids.
    static func registerAll(_ r: Registrar, _ protocols: [String: FieldID]) {
        for f in fields {
            // Already registered by the dissector (possibly with another width): keep that one.
            guard let p = protocols[f.7], r.engine.registry.lookup(f.0) == nil else { continue }
            _ = r.field(f.1, f.0, f.2, f.3, bitmask: f.4, bitWidth: f.5, blurb: f.6, in: p)
        }
    }
}
