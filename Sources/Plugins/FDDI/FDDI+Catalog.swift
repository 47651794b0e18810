import DissectKit

/// Every field tshark 4.0.17 registers for fddi (from `tshark -G fields`), so filters and
/// `-G fields` know them even where the dissector does not fill them. Fields the dissector uses
/// are registered first with their value strings; the registry shares the id for these entries.
enum FDDIFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("fddi.fc", "Frame Control", .uint8, .hex, 0x0, nil, "", "fddi"),
        ("fddi.fc.clf", "Class/Length/Format", .uint8, .hex, 0xf0, nil, "", "fddi"),
        ("fddi.fc.prio", "Priority", .uint8, .dec, 0x7, nil, "", "fddi"),
        ("fddi.fc.smt_subtype", "SMT Subtype", .uint8, .dec, 0xf, nil, "", "fddi"),
        ("fddi.fc.mac_subtype", "MAC Subtype", .uint8, .dec, 0xf, nil, "", "fddi"),
        ("fddi.dst", "Destination", .ether, .none, 0x0, nil, "Destination Hardware Address", "fddi"),
        ("fddi.src", "Source", .ether, .none, 0x0, nil, "", "fddi"),
        ("fddi.addr", "Source or Destination Address", .ether, .none, 0x0, nil, "Source or Destination Hardware Address", "fddi"),
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
