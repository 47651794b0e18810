import DissectKit

/// Every field tshark 4.0.17 registers for pppoe, pppoed, pppoes (from `tshark -G fields`), so filters and
/// `-G fields` know them even where the dissector does not fill them. Fields the dissector uses
/// are registered first with their value strings; the registry shares the id for these entries.
enum PPPoEFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("pppoe.version", "Version", .uint8, .dec, 0xf0, nil, "", "pppoe"),
        ("pppoe.type", "Type", .uint8, .dec, 0xf, nil, "", "pppoe"),
        ("pppoe.code", "Code", .uint8, .hex, 0x0, nil, "", "pppoe"),
        ("pppoe.session_id", "Session ID", .uint16, .hex, 0x0, nil, "", "pppoe"),
        ("pppoe.payload_length", "Payload Length", .uint16, .dec, 0x0, nil, "", "pppoe"),
        ("pppoed.tag_length.invalid", "Wrong length", .none, .none, 0x0, nil, "", "pppoe"),
        ("pppoe.payload_length.bad", "Possible bad payload length", .none, .none, 0x0, nil, "", "pppoe"),
        ("pppoed.tags", "PPPoE Tags", .none, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tag", "Tag", .uint16, .hex, 0x0, nil, "", "pppoed"),
        ("pppoed.tag_length", "Tag Length", .uint16, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tag_length_8", "Tag Length", .uint8, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tag.unknown_data", "Unknown Data", .bytes, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.service_name", "Service-Name", .string, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.ac_name", "AC-Name", .string, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.host_uniq", "Host-Uniq", .bytes, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.ac_cookie", "AC-Cookie", .bytes, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.vendor_id", "Vendor id", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.vendor_unspecified", "Vendor unspecified", .bytes, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.vendorspecific.tags", "Vendor Specific PPPoE Tags", .none, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.vendorspecific.tag", "Tag", .uint8, .hex, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.circuit_id", "Circuit ID", .string, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.remote_id", "Remote ID", .string, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.act_data_rate_up", "Actual Data Rate Upstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.act_data_rate_down", "Actual Data Rate Downstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.min_data_rate_up", "Minimum Data Rate Upstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.min_data_rate_down", "Minimum Data Rate Downstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.attainable_data_rate_up", "Attainable DataRate Upstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.attainable_data_rate_down", "Attainable DataRate Downstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.max_data_rate_up", "Maximum Data Rate Upstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.max_data_rate_down", "Maximum Data Rate Downstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.min_data_rate_up_lp", "Min DataRate Upstream in low power state", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.min_data_rate_down_lp", "Minimum Data Rate Downstream in low power state", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.max_int_delay_up", "Max Interleaving Delay Upstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.act_int_delay_up", "Actual Interleaving Delay Upstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.max_int_delay_down", "Maximum Interleaving Delay Downstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.act_int_delay_down", "Actual Interleaving Delay Downstream", .uint32, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.access_loop_encap", "Access-Loop-Encapsulation", .none, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.access_loop_encap.data_link", "Data link", .uint8, .hex, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.access_loop_encap.encap_1", "Encaps 1", .uint8, .hex, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.access_loop_encap.encap_2", "Encaps 2", .uint8, .hex, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.credits", "Credits", .bytes, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.credits.fcn", "FCN", .uint16, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.credits.bcn", "BCN", .uint16, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.metrics", "Metrics", .bytes, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.metrics.r", "Receive Only", .boolean, .none, 0x1, 16, "", "pppoed"),
        ("pppoed.tags.metrics.mdr_units", "MDR Units", .uint16, .hex, 0x18, nil, "", "pppoed"),
        ("pppoed.tags.metrics.cdr_units", "CDR Units", .uint16, .hex, 0x6, nil, "", "pppoed"),
        ("pppoed.tags.metrics.rlq", "Relative Link Quality", .uint8, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.metrics.resource", "Resource", .uint8, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.metrics.latency", "Latency", .uint16, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.metrics.curr_drate", "Curr. datarate", .uint16, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.metrics.max_drate", "Max. datarate", .uint16, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.seq_num", "Sequence Number", .uint16, .hex, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.credit_scale", "Credit Scale Factor", .uint16, .dec, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.relay_session_id", "Relay-Session-Id", .bytes, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.hurl", "HURL", .bytes, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.motm", "MOTM", .bytes, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.max_payload", "PPP-Max-Payload", .bytes, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.ip_route_add", "IP Route Add", .bytes, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.service_name_error", "Service-Name-Error", .string, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.ac_system_error", "AC-System-Error", .string, .none, 0x0, nil, "", "pppoed"),
        ("pppoed.tags.generic_error", "Generic-Error", .string, .none, 0x0, nil, "", "pppoed"),
        ("pppoes.tags", "PPPoE Tags", .none, .none, 0x0, nil, "", "pppoes"),
        ("pppoes.tags.credits.fcn", "FCN", .uint16, .dec, 0x0, nil, "", "pppoes"),
        ("pppoes.tags.credits.bcn", "BCN", .uint16, .dec, 0x0, nil, "", "pppoes"),
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
