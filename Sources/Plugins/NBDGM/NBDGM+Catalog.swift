import DissectKit

/// Every field tshark 4.0.17 registers for nbdgm (from `tshark -G fields`), so filters and
/// `-G fields` know them even where this dissector does not fill them yet. Fields the dissector uses are
/// registered first with their value strings; the registry shares the id for these entries.
enum NBDGMFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [CatalogField] = [
        ("nbdgm.type", "Message Type", .uint8, .dec, 0x0, nil, "NBDGM message type", "nbdgm"),
        ("nbdgm.flags", "Flags", .uint8, .hex, 0x0, nil, "", "nbdgm"),
        ("nbdgm.next", "More fragments follow", .boolean, .none, 0x1, 8, "TRUE if more fragments follow", "nbdgm"),
        ("nbdgm.first", "This is first fragment", .boolean, .none, 0x2, 8, "TRUE if first fragment", "nbdgm"),
        ("nbdgm.node_type", "Node Type", .uint8, .dec, 0xc, nil, "", "nbdgm"),
        ("nbdgm.dgram_id", "Datagram ID", .uint16, .hex, 0x0, nil, "Datagram identifier", "nbdgm"),
        ("nbdgm.src.ip", "Source IP", .ipv4, .none, 0x0, nil, "Source IPv4 address", "nbdgm"),
        ("nbdgm.src.port", "Source Port", .uint16, .dec, 0x0, nil, "", "nbdgm"),
        ("nbdgm.dgram_len", "Datagram length", .uint16, .dec, 0x0, nil, "", "nbdgm"),
        ("nbdgm.pkt_offset", "Packet offset", .uint16, .dec, 0x0, nil, "", "nbdgm"),
        ("nbdgm.error_code", "Error code", .uint8, .hex, 0x0, nil, "", "nbdgm"),
        ("nbdgm.source_name", "Source name", .string, .none, 0x0, nil, "", "nbdgm"),
        ("nbdgm.destination_name", "Destination name", .string, .none, 0x0, nil, "", "nbdgm"),
    ]

    /// Value strings, true/false texts and units of the fields (from `tshark -G values`).
    static let strings: [String: ValueStrings] = [
        "nbdgm.dgram_len": .units("byte", "bytes"),
        "nbdgm.error_code": .values([130: "Destination name not present", 131: "Invalid source name format", 132: "Invalid destination name format"]),
        "nbdgm.first": .trueFalse("Yes", "No"),
        "nbdgm.next": .trueFalse("Yes", "No"),
        "nbdgm.node_type": .values([0: "B node", 1: "P node", 2: "M node", 3: "NBDD"]),
        "nbdgm.pkt_offset": .units("byte", "bytes"),
        "nbdgm.type": .values([16: "Direct_unique datagram", 17: "Direct_group datagram", 18: "Broadcast datagram", 19: "Datagram error", 20: "Datagram query request", 21: "Datagram positive query response", 22: "Datagram negative query response"]),
    ]

    /// Registers every catalog field not registered yet; `protocols` maps protocol abbrevs to ids.
    static func registerAll(_ r: Registrar, _ protocols: [String: FieldID]) {
        FieldCatalog.registerAll(r, fields, strings, protocols)
    }

    /// Registers the catalog entry `abbrev` now (before `registerAll`), with its strings unless
    /// `strings` overrides them.
    static func field(_ r: Registrar, _ abbrev: String, strings override: ValueStrings? = nil,
                      in proto: FieldID) -> FieldID {
        FieldCatalog.field(r, fields, strings, abbrev, override: override, in: proto)
    }
}
