import DissectKit

/// Every field tshark 4.0.17 registers for tr (from `tshark -G fields`), so filters and
/// `-G fields` know them even where the dissector does not fill them. Fields the dissector uses
/// are registered first with their value strings; the registry shares the id for these entries.
enum TokenRingFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("tr.ac", "Access Control", .uint8, .hex, 0x0, nil, "", "tr"),
        ("tr.priority", "Priority", .uint8, .dec, 0xe0, nil, "", "tr"),
        ("tr.frame", "Frame", .boolean, .none, 0x10, 8, "", "tr"),
        ("tr.monitor_cnt", "Monitor Count", .uint8, .dec, 0x8, nil, "", "tr"),
        ("tr.priority_reservation", "Priority Reservation", .uint8, .dec, 0x7, nil, "", "tr"),
        ("tr.fc", "Frame Control", .uint8, .hex, 0x0, nil, "", "tr"),
        ("tr.frame_type", "Frame Type", .uint8, .dec, 0xc0, nil, "", "tr"),
        ("tr.frame_pcf", "Frame PCF", .uint8, .dec, 0xf, nil, "", "tr"),
        ("tr.dst", "Destination", .ether, .none, 0x0, nil, "Destination Hardware Address", "tr"),
        ("tr.src", "Source", .ether, .none, 0x0, nil, "Source Hardware Address", "tr"),
        ("tr.addr", "Source or Destination Address", .ether, .none, 0x0, nil, "Source or Destination Hardware Address", "tr"),
        ("tr.sr", "Source Routed", .boolean, .none, 0x0, 0, "", "tr"),
        ("tr.rif_bytes", "RIF Bytes", .uint8, .dec, 0x0, nil, "Number of bytes in Routing Information Fields, including the two bytes of Routing Control Field", "tr"),
        ("tr.broadcast", "Broadcast Type", .uint8, .dec, 0x0, nil, "Type of Token-Ring Broadcast", "tr"),
        ("tr.max_frame_size", "Maximum Frame Size", .uint8, .dec, 0x0, nil, "", "tr"),
        ("tr.direction", "Direction", .uint8, .dec, 0x0, nil, "Direction of RIF", "tr"),
        ("tr.rif", "Ring-Bridge Pairs", .string, .none, 0x0, nil, "String representing Ring-Bridge Pairs", "tr"),
        ("tr.rif.ring", "RIF Ring", .uint16, .hex, 0x0, nil, "", "tr"),
        ("tr.rif.bridge", "RIF Bridge", .uint8, .hex, 0x0, nil, "", "tr"),
        ("tr.rif.extra", "Extra RIF bytes beyond spec", .bytes, .none, 0x0, nil, "", "tr"),
        ("tr.empty_rif", "Empty RIF from Linux 2.0.x driver. The sniffing NIC is also running a protocol stack.", .none, .none, 0x0, nil, "", "tr"),
        ("tr.fake_llc_snap_header", "Linux 2.0.x fake LLC and SNAP header", .none, .none, 0x0, nil, "", "tr"),
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
