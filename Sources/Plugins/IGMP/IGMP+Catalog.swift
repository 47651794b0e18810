import DissectKit

/// Every field tshark 4.0.17 registers for igmp (from `tshark -G fields`), so filters and `-G fields`
/// know them even where this dissector does not fill them yet. Fields the dissector uses are
/// registered first with their value strings; the registry shares the id for these entries.
enum IGMPFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("igmp.type", "Type", .uint8, .hex, 0x0, nil, "IGMP Packet Type", "igmp"),
        ("igmp.reserved", "Reserved", .bytes, .none, 0x0, nil, "IGMP Reserved", "igmp"),
        ("igmp.version", "IGMP Version", .uint8, .dec, 0x0, nil, "", "igmp"),
        ("igmp.group_type", "Type Of Group", .uint8, .dec, 0x0, nil, "IGMP V0 Type Of Group", "igmp"),
        ("igmp.reply", "Reply", .uint8, .dec, 0x0, nil, "IGMP V0 Reply", "igmp"),
        ("igmp.reply.pending", "Reply Pending", .uint8, .dec, 0x0, nil, "IGMP V0 Reply Pending, Retry in this many seconds", "igmp"),
        ("igmp.checksum", "Checksum", .uint16, .hex, 0x0, nil, "IGMP Checksum", "igmp"),
        ("igmp.checksum.status", "Checksum Status", .uint8, .none, 0x0, nil, "", "igmp"),
        ("igmp.identifier", "Identifier", .uint32, .dec, 0x0, nil, "IGMP V0 Identifier", "igmp"),
        ("igmp.access_key", "Access Key", .bytes, .none, 0x0, nil, "IGMP V0 Access Key", "igmp"),
        ("igmp.max_resp", "Max Resp Time", .uint8, .dec, 0x0, nil, "Max Response Time", "igmp"),
        ("igmp.s", "S", .boolean, .none, 0x8, 8, "Suppress Router Side Processing", "igmp"),
        ("igmp.qrv", "QRV", .uint8, .dec, 0x7, nil, "Querier's Robustness Value", "igmp"),
        ("igmp.qqic", "QQIC", .uint8, .dec, 0x0, nil, "Querier's Query Interval Code", "igmp"),
        ("igmp.num_src", "Num Src", .uint16, .dec, 0x0, nil, "Number Of Sources", "igmp"),
        ("igmp.saddr", "Source Address", .ipv4, .none, 0x0, nil, "", "igmp"),
        ("igmp.num_grp_recs", "Num Group Records", .uint16, .dec, 0x0, nil, "Number Of Group Records", "igmp"),
        ("igmp.record_type", "Record Type", .uint8, .dec, 0x0, nil, "", "igmp"),
        ("igmp.aux_data_len", "Aux Data Len", .uint8, .dec, 0x0, nil, "Aux Data Len, In units of 32bit words", "igmp"),
        ("igmp.maddr", "Multicast Address", .ipv4, .none, 0x0, nil, "", "igmp"),
        ("igmp.aux_data", "Aux Data", .bytes, .none, 0x0, nil, "IGMP V3 Auxiliary Data", "igmp"),
        ("igmp.data", "Data", .bytes, .none, 0x0, nil, "", "igmp"),
        ("igmp.max_resp.exp", "Exponent", .uint8, .hex, 0x70, nil, "Maximum Response Time, Exponent", "igmp"),
        ("igmp.max_resp.mant", "Mantissa", .uint8, .hex, 0xf, nil, "Maximum Response Time, Mantissa", "igmp"),
        ("igmp.mtrace.max_hops", "# hops", .uint8, .dec, 0x0, nil, "Maximum Number of Hops to Trace", "igmp"),
        ("igmp.mtrace.saddr", "Source Address", .ipv4, .none, 0x0, nil, "Multicast Source for the Path Being Traced", "igmp"),
        ("igmp.mtrace.raddr", "Receiver Address", .ipv4, .none, 0x0, nil, "Multicast Receiver for the Path Being Traced", "igmp"),
        ("igmp.mtrace.rspaddr", "Response Address", .ipv4, .none, 0x0, nil, "Destination of Completed Traceroute Response", "igmp"),
        ("igmp.mtrace.resp_ttl", "Response TTL", .uint8, .dec, 0x0, nil, "TTL for Multicasted Responses", "igmp"),
        ("igmp.mtrace.q_id", "Query ID", .uint24, .dec, 0x0, nil, "Identifier for this Traceroute Request", "igmp"),
        ("igmp.mtrace.q_arrival", "Query Arrival", .uint32, .dec, 0x0, nil, "Query Arrival Time", "igmp"),
        ("igmp.mtrace.q_inaddr", "In itf addr", .ipv4, .none, 0x0, nil, "Incoming Interface Address", "igmp"),
        ("igmp.mtrace.q_outaddr", "Out itf addr", .ipv4, .none, 0x0, nil, "Outgoing Interface Address", "igmp"),
        ("igmp.mtrace.q_prevrtr", "Previous rtr addr", .ipv4, .none, 0x0, nil, "Previous-Hop Router Address", "igmp"),
        ("igmp.mtrace.q_inpkt", "In pkts", .uint32, .dec, 0x0, nil, "Input packet count on incoming interface", "igmp"),
        ("igmp.mtrace.q_outpkt", "Out pkts", .uint32, .dec, 0x0, nil, "Output packet count on outgoing interface", "igmp"),
        ("igmp.mtrace.q_total", "S,G pkt count", .uint32, .dec, 0x0, nil, "Total number of packets for this source-group pair", "igmp"),
        ("igmp.mtrace.q_rtg_proto", "Rtg Protocol", .uint8, .dec, 0x0, nil, "Routing protocol between this and previous hop rtr", "igmp"),
        ("igmp.mtrace.q_fwd_ttl", "FwdTTL", .uint8, .dec, 0x0, nil, "TTL required for forwarding", "igmp"),
        ("igmp.mtrace.q_mbz", "MBZ", .uint8, .hex, 0x80, nil, "Must be zeroed on transmission and ignored on reception", "igmp"),
        ("igmp.mtrace.q_s", "S", .uint8, .hex, 0x40, nil, "Set if S,G packet count is for source network", "igmp"),
        ("igmp.mtrace.q_src_mask", "Src Mask", .uint8, .hex, 0x3f, nil, "Source mask length. 63 when forwarding on group state", "igmp"),
        ("igmp.mtrace.q_fwd_code", "Forwarding Code", .uint8, .hex, 0x0, nil, "Forwarding information/error code", "igmp"),
        ("igmp.bad_checksum", "Bad checksum", .none, .none, 0x0, nil, "", "igmp"),
    ]

    /// Registers every catalog field not registered yet; `protocols` maps protocol abbrevs to ids.
    static func registerAll(_ r: Registrar, _ protocols: [String: FieldID]) {
        for f in fields {
            guard let p = protocols[f.7] else { continue }
            _ = r.field(f.1, f.0, f.2, f.3, bitmask: f.4, bitWidth: f.5, blurb: f.6, in: p)
        }
    }
}
