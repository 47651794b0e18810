import DissectKit

/// Every field tshark 4.0.17 registers for gre (from `tshark -G fields`), so filters and `-G fields`
/// know them even where this dissector does not fill them yet. Fields the dissector uses are
/// registered first with their value strings; the registry shares the id for these entries.
enum GREFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("gre.proto", "Protocol Type", .uint16, .hex, 0x0, nil, "The protocol that is GRE encapsulated", "gre"),
        ("gre.flags_and_version", "Flags and Version", .uint16, .hex, 0x0, nil, "The GRE flags are encoded in the first two octets", "gre"),
        ("gre.flags.checksum", "Checksum Bit", .boolean, .none, 0x8000, 16, "Indicates if the Checksum field is present", "gre"),
        ("gre.flags.routing", "Routing Bit", .boolean, .none, 0x4000, 16, "Indicates if the Routing and Checksum/Offset field are present", "gre"),
        ("gre.flags.key", "Key Bit", .boolean, .none, 0x2000, 16, "Indicates if the Key field is present", "gre"),
        ("gre.flags.sequence_number", "Sequence Number Bit", .boolean, .none, 0x1000, 16, "Indicates if the Sequence Number field is present", "gre"),
        ("gre.flags.strict_source_route", "Strict Source Route Bit", .boolean, .none, 0x800, 16, "", "gre"),
        ("gre.flags.recursion_control", "Recursion control", .uint16, .dec, 0x700, nil, "", "gre"),
        ("gre.flags.ack", "Acknowledgment", .boolean, .none, 0x80, 16, "Indicates if the packet contains an Acknowledgment Number to be used for acknowledging previously transmitted data", "gre"),
        ("gre.flags.reserved", "Flags (Reserved)", .uint16, .dec, 0xf8, nil, "", "gre"),
        ("gre.flags.version", "Version", .uint16, .dec, 0x7, nil, "", "gre"),
        ("gre.checksum", "Checksum", .uint16, .hex, 0x0, nil, "The Checksum field contains the IP (one's complement) checksum of the GRE header and the payload packet", "gre"),
        ("gre.checksum.status", "Checksum Status", .uint8, .none, 0x0, nil, "", "gre"),
        ("gre.offset", "Offset", .uint16, .dec, 0x0, nil, "The offset field indicates the octet offset from the start of the Routing field to the first octet of the active Source Route Entry to be examined", "gre"),
        ("gre.key", "Key", .uint32, .hex, 0x0, nil, "The Key field contains a four octet number which was inserted by the encapsulator", "gre"),
        ("gre.key.payload_length", "Payload Length", .uint16, .dec, 0x0, nil, "Size of the payload, not including the GRE header", "gre"),
        ("gre.key.call_id", "Call ID", .uint16, .dec, 0x0, nil, "Contains the Peer's Call ID for the session to which this packet belongs.", "gre"),
        ("gre.sequence_number", "Sequence Number", .uint32, .dec, 0x0, nil, "The Sequence Number field contains an unsigned 32 bit integer which is inserted by the encapsulator", "gre"),
        ("gre.ack_number", "Acknowledgment Number", .uint32, .dec, 0x0, nil, "Contains the sequence number of the highest numbered GRE packet received by the sending peer for this user session", "gre"),
        ("gre.routing", "Routing", .none, .none, 0x0, nil, "The Routing field is a list of Source Route Entries (SREs)", "gre"),
        ("gre.routing.address_family", "Address Family", .uint16, .dec, 0x0, nil, "The Address Family field contains a two octet value which indicates the syntax and semantics of the Routing Information field", "gre"),
        ("gre.routing.sre_offset", "SRE Offset", .uint8, .dec, 0x0, nil, "The Address Family field contains a two octet value which indicates the syntax and semantics of the Routing Information field", "gre"),
        ("gre.routing.src_length", "SRE Length", .uint8, .dec, 0x0, nil, "The SRE Length field contains the number of octets in the SRE", "gre"),
        ("gre.routing.information", "Routing Information", .bytes, .none, 0x0, nil, "The Routing Information field contains data which may be used in routing this packet", "gre"),
        ("gre.3gpp2_attrib", "3GPP2 Attributes", .none, .none, 0x0, nil, "", "gre"),
        ("gre.3gpp2_attrib_id", "Type", .uint8, .hex, 0x7f, nil, "", "gre"),
        ("gre.3gpp2_attrib_length", "Length", .uint8, .hex, 0x0, nil, "", "gre"),
        ("gre.3gpp2_sdi", "SDI/DOS", .boolean, .none, 0x8000, 16, "Short Data Indicator(SDI)/Data Over Signaling (DOS)", "gre"),
        ("gre.3gpp2_fci", "Flow Control Indicator", .boolean, .none, 0x8000, 16, "", "gre"),
        ("gre.3gpp2_di", "Duration Indicator", .boolean, .none, 0x4000, 16, "", "gre"),
        ("gre.ggp2_flow_disc", "Flow ID", .bytes, .none, 0x0, nil, "", "gre"),
        ("gre.ggp2_3gpp2_seg", "Type", .uint16, .hex, 0xc000, nil, "", "gre"),
        ("gre.wccp.redirect_header", "Redirect Header", .none, .none, 0x0, nil, "", "gre"),
        ("gre.wccp.dynamic_service", "Dynamic Service", .boolean, .none, 0x1, 8, "", "gre"),
        ("gre.wccp.alternative_bucket_used", "Alternative bucket used", .boolean, .none, 0x2, 8, "", "gre"),
        ("gre.wccp.redirect_header_valid", "WCCP Redirect header is valid", .boolean, .none, 0x4, 8, "", "gre"),
        ("gre.wccp.service_id", "Service ID", .uint8, .dec, 0x0, nil, "Service Group identifier", "gre"),
        ("gre.wccp.alternative_bucket", "Alternative Bucket", .uint8, .dec, 0x0, nil, "Alternative bucket index used to redirect the packet.", "gre"),
        ("gre.wccp.primary_bucket", "Primary Bucket", .uint8, .dec, 0x0, nil, "Primary bucket index used to redirect the packet.", "gre"),
        ("gre.checksum.incorrect", "Incorrect GRE Checksum", .none, .none, 0x0, nil, "", "gre"),
    ]

    /// Registers every catalog field not registered yet; `protocols` maps protocol abbrevs to ids.
    static func registerAll(_ r: Registrar, _ protocols: [String: FieldID]) {
        for f in fields {
            guard let p = protocols[f.7] else { continue }
            _ = r.field(f.1, f.0, f.2, f.3, bitmask: f.4, bitWidth: f.5, blurb: f.6, in: p)
        }
    }
}
