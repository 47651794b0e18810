import DissectKit

/// Every field tshark 4.0.17 registers for nbns (from `tshark -G fields`), so filters and
/// `-G fields` know them even where this dissector does not fill them yet. Fields the dissector uses are
/// registered first with their value strings; the registry shares the id for these entries.
enum NBNSFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [CatalogField] = [
        ("nbns.flags", "Flags", .uint16, .hex, 0x0, nil, "", "nbns"),
        ("nbns.flags.response", "Response", .boolean, .none, 0x8000, 16, "Is the message a response?", "nbns"),
        ("nbns.flags.opcode", "Opcode", .uint16, .dec, 0x7800, nil, "Operation code", "nbns"),
        ("nbns.flags.authoritative", "Authoritative", .boolean, .none, 0x400, 16, "Is the server is an authority for the domain?", "nbns"),
        ("nbns.flags.truncated", "Truncated", .boolean, .none, 0x200, 16, "Is the message truncated?", "nbns"),
        ("nbns.flags.recdesired", "Recursion desired", .boolean, .none, 0x100, 16, "Do query recursively?", "nbns"),
        ("nbns.flags.recavail", "Recursion available", .boolean, .none, 0x80, 16, "Can the server do recursive queries?", "nbns"),
        ("nbns.flags.broadcast", "Broadcast", .boolean, .none, 0x10, 16, "Is this a broadcast packet?", "nbns"),
        ("nbns.flags.rcode", "Reply code", .uint16, .dec, 0xf, nil, "", "nbns"),
        ("nbns.id", "Transaction ID", .uint16, .hex, 0x0, nil, "Identification of transaction", "nbns"),
        ("nbns.count.queries", "Questions", .uint16, .dec, 0x0, nil, "Number of queries in packet", "nbns"),
        ("nbns.count.answers", "Answer RRs", .uint16, .dec, 0x0, nil, "Number of answers in packet", "nbns"),
        ("nbns.count.auth_rr", "Authority RRs", .uint16, .dec, 0x0, nil, "Number of authoritative records in packet", "nbns"),
        ("nbns.count.add_rr", "Additional RRs", .uint16, .dec, 0x0, nil, "Number of additional records in packet", "nbns"),
        ("nbns.name_flags", "Name flags", .uint16, .hex, 0x0, nil, "", "nbns"),
        ("nbns.name_flags.group", "Name type", .boolean, .none, 0x8000, 16, "", "nbns"),
        ("nbns.name_flags.ont", "ONT", .uint16, .dec, 0x6000, nil, "", "nbns"),
        ("nbns.name_flags.drg", "Name is being deregistered", .boolean, .none, 0x1000, 16, "", "nbns"),
        ("nbns.name_flags.cnf", "Name is in conflict", .boolean, .none, 0x800, 16, "", "nbns"),
        ("nbns.name_flags.act", "Name is active", .boolean, .none, 0x400, 16, "", "nbns"),
        ("nbns.name_flags.prm", "Permanent node name", .boolean, .none, 0x200, 16, "", "nbns"),
        ("nbns.nb_flags", "Name flags", .uint16, .hex, 0x0, nil, "", "nbns"),
        ("nbns.nb_flags.group", "Name type", .boolean, .none, 0x8000, 16, "", "nbns"),
        ("nbns.nb_flags.ont", "ONT", .uint16, .dec, 0x6000, nil, "", "nbns"),
        ("nbns.type", "Type", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.class", "Class", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.name", "Name", .string, .none, 0x0, nil, "", "nbns"),
        ("nbns.addr", "Addr", .ipv4, .none, 0x0, nil, "", "nbns"),
        ("nbns.number_of_names", "Number of names", .uint8, .dec, 0x0, nil, "", "nbns"),
        ("nbns.unit_id", "Unit ID", .ether, .none, 0x0, nil, "", "nbns"),
        ("nbns.jumpers", "Jumpers", .uint8, .hex, 0x0, nil, "", "nbns"),
        ("nbns.test_result", "Test result", .uint8, .hex, 0x0, nil, "", "nbns"),
        ("nbns.version_number", "Version number", .uint16, .hex, 0x0, nil, "", "nbns"),
        ("nbns.period_of_statistics", "Period of statistics", .uint16, .hex, 0x0, nil, "", "nbns"),
        ("nbns.num_crcs", "Number of CRCs", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.num_alignment_errors", "Number of alignment errors", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.num_collisions", "Number of collisions", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.num_send_aborts", "Number of send aborts", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.num_good_sends", "Number of good sends", .uint32, .dec, 0x0, nil, "", "nbns"),
        ("nbns.num_good_receives", "Number of good receives", .uint32, .dec, 0x0, nil, "", "nbns"),
        ("nbns.numretransmits", "Number of retransmits", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.num_no_resource_conditions", "Number of no resource conditions", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.numcommand_blocks", "Number of command blocks", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.numpending_sessions", "Number of pending sessions", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.max_num_pending_sessions", "Max number of pending sessions", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.max_total_sessions_possible", "Max total sessions possible", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.session_data_packet_size", "Session data packet size", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.data", "Data", .bytes, .none, 0x0, nil, "", "nbns"),
        ("nbns.netbios_name", "Name", .string, .none, 0x0, nil, "", "nbns"),
        ("nbns.ttl", "Time to live", .uint32, .dec, 0x0, nil, "", "nbns"),
        ("nbns.data_length", "Data length", .uint16, .dec, 0x0, nil, "", "nbns"),
        ("nbns.incomplete_entry", "incomplete entry", .none, .none, 0x0, nil, "", "nbns"),
    ]

    /// Value strings, true/false texts and units of the fields (from `tshark -G values`).
    static let strings: [String: ValueStrings] = [
        "nbns.class": .values([1: "IN", 2: "CS", 3: "CH", 4: "HS", 254: "NONE", 255: "ANY"]),
        "nbns.flags.authoritative": .trueFalse("Server is an authority for domain", "Server is not an authority for domain"),
        "nbns.flags.broadcast": .trueFalse("Broadcast packet", "Not a broadcast packet"),
        "nbns.flags.opcode": .values([0: "Name query", 5: "Registration", 6: "Release", 7: "Wait for acknowledgment", 8: "Refresh", 9: "Refresh (alternate opcode)", 15: "Multi-homed registration"]),
        "nbns.flags.rcode": .values([0: "No error", 1: "Request was invalidly formatted", 2: "Server failure", 3: "Requested name does not exist", 4: "Request is not implemented", 5: "Request was refused", 6: "Name is owned by another node", 7: "Name is in conflict"]),
        "nbns.flags.recavail": .trueFalse("Server can do recursive queries", "Server can't do recursive queries"),
        "nbns.flags.recdesired": .trueFalse("Do query recursively", "Don't do query recursively"),
        "nbns.flags.response": .trueFalse("Message is a response", "Message is a query"),
        "nbns.flags.truncated": .trueFalse("Message is truncated", "Message is not truncated"),
        "nbns.name_flags.act": .trueFalse("Yes", "No"),
        "nbns.name_flags.cnf": .trueFalse("Yes", "No"),
        "nbns.name_flags.drg": .trueFalse("Yes", "No"),
        "nbns.name_flags.group": .trueFalse("Group name", "Unique name"),
        "nbns.name_flags.ont": .values([0: "B-node", 8192: "P-node", 16384: "M-node"]),
        "nbns.name_flags.prm": .trueFalse("Yes", "No"),
        "nbns.nb_flags.group": .trueFalse("Group name", "Unique name"),
        "nbns.nb_flags.ont": .values([0: "B-node", 8192: "P-node", 16384: "M-node", 24576: "H-node"]),
        "nbns.type": .values([32: "NB", 33: "NBSTAT"]),
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
