import DissectKit

/// Every field tshark 4.0.17 registers for vlan, ieee8021ad, ieee8021ah (from `tshark -G fields`), so filters and
/// `-G fields` know them even where the dissector does not fill them. Fields the dissector uses
/// are registered first with their value strings; the registry shares the id for these entries.
enum VLANFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("ieee8021ah.priority", "Priority", .uint32, .dec, 0xe0000000, nil, "", "ieee8021ah"),
        ("ieee8021ah.drop", "DROP", .uint32, .dec, 0x10000000, nil, "", "ieee8021ah"),
        ("ieee8021ah.nca", "NCA", .uint32, .dec, 0x8000000, nil, "No Customer Addresses", "ieee8021ah"),
        ("ieee8021ah.res1", "RES1", .uint32, .dec, 0x4000000, nil, "Reserved1", "ieee8021ah"),
        ("ieee8021ah.res2", "RES2", .uint32, .dec, 0x3000000, nil, "Reserved2", "ieee8021ah"),
        ("ieee8021ah.isid", "I-SID", .uint32, .dec, 0xffffff, nil, "", "ieee8021ah"),
        ("ieee8021ah.cdst", "C-Destination", .ether, .none, 0x0, nil, "Customer Destination Address", "ieee8021ah"),
        ("ieee8021ah.csrc", "C-Source", .ether, .none, 0x0, nil, "Customer Source Address", "ieee8021ah"),
        ("ieee8021ah.etype", "Type", .uint16, .hex, 0x0, nil, "", "ieee8021ah"),
        ("ieee8021ah.trailer", "Trailer", .bytes, .none, 0x0, nil, "802.1ah Trailer", "ieee8021ah"),
        ("ieee8021ad.priority", "Priority", .uint16, .dec, 0xe000, nil, "", "ieee8021ad"),
        ("ieee8021ad.dei", "DEI", .uint16, .dec, 0x1000, nil, "Drop Eligibility", "ieee8021ad"),
        ("ieee8021ad.id", "ID", .uint16, .dec, 0xfff, nil, "Vlan ID", "ieee8021ad"),
        ("ieee8021ad.svid", "ID", .uint16, .dec, 0xfff, nil, "S-Vlan ID", "ieee8021ad"),
        ("ieee8021ad.cvid", "ID", .uint16, .dec, 0xfff, nil, "C-Vlan ID", "ieee8021ad"),
        ("vlan.priority", "Priority", .uint16, .dec, 0xe000, nil, "Descriptions are recommendations from IEEE standard 802.1D-2004", "vlan"),
        ("vlan.cfi", "CFI", .boolean, .none, 0x1000, 16, "Canonical Format Identifier", "vlan"),
        ("vlan.dei", "DEI", .boolean, .none, 0x1000, 16, "Drop Eligible Indicator", "vlan"),
        ("vlan.id", "ID", .uint16, .dec, 0xfff, nil, "VLAN ID", "vlan"),
        ("vlan.id_name", "Name", .string, .none, 0x0, nil, "VLAN ID Name", "vlan"),
        ("vlan.etype", "Type", .uint16, .hex, 0x0, nil, "Ethertype", "vlan"),
        ("vlan.len", "Length", .uint16, .dec, 0x0, nil, "", "vlan"),
        ("vlan.trailer", "Trailer", .bytes, .none, 0x0, nil, "VLAN Trailer", "vlan"),
        ("vlan.len.past_end", "Length field value goes past the end of the payload", .none, .none, 0x0, nil, "", "vlan"),
        ("vlan.too_many_tags", "Too many nested VLAN tags", .none, .none, 0x0, nil, "", "vlan"),
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
