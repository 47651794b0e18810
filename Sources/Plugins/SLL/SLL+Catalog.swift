import DissectKit

/// Every field tshark 4.0.17 registers for sll (from `tshark -G fields`), so filters and
/// `-G fields` know them even where the dissector does not fill them. Fields the dissector uses
/// are registered first with their value strings; the registry shares the id for these entries.
enum SLLFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("sll.pkttype", "Packet type", .uint16, .dec, 0x0, nil, "", "sll"),
        ("sll.hatype", "Link-layer address type", .uint16, .dec, 0x0, nil, "", "sll"),
        ("sll.halen", "Link-layer address length", .uint16, .dec, 0x0, nil, "", "sll"),
        ("sll.src.eth", "Source", .ether, .none, 0x0, nil, "Source link-layer address", "sll"),
        ("sll.src.ipv4", "Source", .ipv4, .none, 0x0, nil, "Source link-layer address", "sll"),
        ("sll.src.other", "Source", .bytes, .none, 0x0, nil, "Source link-layer address", "sll"),
        ("sll.unused", "Unused", .bytes, .none, 0x0, nil, "Unused bytes", "sll"),
        ("sll.ltype", "Protocol", .uint16, .hex, 0x0, nil, "Linux protocol type", "sll"),
        ("sll.gretype", "Protocol", .uint16, .hex, 0x0, nil, "GRE protocol type", "sll"),
        ("sll.etype", "Protocol", .uint16, .hex, 0x0, nil, "Ethernet protocol type", "sll"),
        ("sll.trailer", "Trailer", .bytes, .none, 0x0, nil, "", "sll"),
        ("sll.ifindex", "Interface index", .uint32, .dec, 0x0, nil, "", "sll"),
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
