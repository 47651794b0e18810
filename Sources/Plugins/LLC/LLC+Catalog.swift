import DissectKit

/// Every field tshark 4.0.17 registers for llc, basicxid (from `tshark -G fields`), so filters and
/// `-G fields` know them even where the dissector does not fill them. Fields the dissector uses
/// are registered first with their value strings; the registry shares the id for these entries.
enum LLCFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("basicxid.llc.xid.format", "XID Format", .uint8, .hex, 0x0, nil, "", "basicxid"),
        ("basicxid.llc.xid.types", "LLC Types/Classes", .uint8, .hex, 0x0, nil, "", "basicxid"),
        ("basicxid.llc.xid.wsize", "Receive Window Size", .uint8, .dec, 0x0, nil, "", "basicxid"),
        ("llc.dsap", "DSAP", .uint8, .hex, 0x0, nil, "Destination Service Access Point", "llc"),
        ("llc.dsap.sap", "SAP", .uint8, .custom, 0xfe, nil, "Service Access Point", "llc"),
        ("llc.dsap.ig", "IG Bit", .boolean, .none, 0x1, 8, "Individual/Group", "llc"),
        ("llc.ssap", "SSAP", .uint8, .hex, 0x0, nil, "Source Service Access Point", "llc"),
        ("llc.ssap.sap", "SAP", .uint8, .custom, 0xfe, nil, "Service Access Point", "llc"),
        ("llc.ssap.cr", "CR Bit", .boolean, .none, 0x1, 8, "Command/Response", "llc"),
        ("llc.control", "Control", .uint16, .hex, 0x0, nil, "", "llc"),
        ("llc.control.n_r", "N(R)", .uint16, .dec, 0xfe00, nil, "", "llc"),
        ("llc.control.n_s", "N(S)", .uint16, .dec, 0xfe, nil, "", "llc"),
        ("llc.control.p", "Poll", .boolean, .none, 0x10, 8, "", "llc"),
        ("llc.control.f", "Final", .boolean, .none, 0x10, 8, "", "llc"),
        ("llc.control.s_ftype", "Supervisory frame type", .uint16, .hex, 0xc, nil, "", "llc"),
        ("llc.control.u_modifier_cmd", "Command", .uint8, .hex, 0xec, nil, "", "llc"),
        ("llc.control.u_modifier_resp", "Response", .uint8, .hex, 0xec, nil, "", "llc"),
        ("llc.control.ftype", "Frame type", .uint16, .hex, 0x1, nil, "", "llc"),
        ("llc.type", "Type", .uint16, .hex, 0x0, nil, "", "llc"),
        ("llc.oui", "Organization Code", .uint24, .none, 0x0, nil, "", "llc"),
        ("llc.pid", "Protocol ID", .uint16, .hex, 0x0, nil, "", "llc"),
        ("llc.cisco_pid", "PID", .uint16, .hex, 0x0, nil, "Protocol ID", "llc"),
        ("llc.apple_atalk_pid", "PID", .uint16, .hex, 0x0, nil, "Protocol ID", "llc"),
        ("llc.iana_pid", "PID", .uint16, .hex, 0x0, nil, "", "llc"),
        ("mausb.pid", "PID", .uint16, .hex, 0x0, nil, "", "llc"),
        ("llc.force10_pid", "PID", .uint16, .hex, 0x0, nil, "", "llc"),
        ("llc.wlccp_pid", "PID", .uint16, .hex, 0x0, nil, "", "llc"),
        ("llc.bluetooth_pid", "PID", .uint16, .hex, 0x0, nil, "Protocol ID", "llc"),
        ("llc.apple_awdl_pid", "PID", .uint16, .hex, 0x0, nil, "Protocol ID", "llc"),
        ("locamation-im.llc.pid", "PID", .uint16, .hex, 0x0, nil, "Protocol ID", "llc"),
        ("llc.cimetrics_pid", "PID", .uint16, .hex, 0x0, nil, "", "llc"),
        ("llc.extreme_pid", "PID", .uint16, .hex, 0x0, nil, "", "llc"),
        ("llc.nortel_pid", "PID", .uint16, .hex, 0x0, nil, "", "llc"),
        ("llc.foundry_pid", "PID", .uint16, .hex, 0x0, nil, "", "llc"),
        ("llc.hpteam_pid", "PID", .uint16, .hex, 0x0, nil, "", "llc"),
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
