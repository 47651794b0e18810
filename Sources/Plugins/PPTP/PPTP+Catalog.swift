import DissectKit

/// Every field tshark 4.0.17 registers for pptp (from `tshark -G fields`), so filters and `-G fields`
/// know them even where this dissector does not fill them yet. Fields the dissector uses are
/// registered first with their value strings; the registry shares the id for these entries.
enum PPTPFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("pptp.length", "Length", .uint16, .dec, 0x0, nil, "Total length in octets of this PPTP message", "pptp"),
        ("pptp.type", "Message type", .uint16, .dec, 0x0, nil, "PPTP message type", "pptp"),
        ("pptp.magic_cookie", "Magic Cookie", .uint32, .hex, 0x0, nil, "This constant value is used as a sanity check on received messages", "pptp"),
        ("pptp.control_message_type", "Control Message Type", .uint16, .dec, 0x0, nil, "", "pptp"),
        ("pptp.reserved", "Reserved", .bytes, .none, 0x0, nil, "This field MUST be 0", "pptp"),
        ("pptp.protocol_version", "Protocol version", .uint16, .dec, 0x0, nil, "The version of the PPTP protocol", "pptp"),
        ("pptp.framing_capabilities", "Framing Capabilities", .uint32, .dec, 0x0, nil, "A set of bits indicating the type of framing", "pptp"),
        ("pptp.bearer_capabilities", "Bearer Capabilities", .uint32, .dec, 0x0, nil, "A set of bits indicating the type of bearer", "pptp"),
        ("pptp.maximum_channels", "Maximum Channels", .uint16, .dec, 0x0, nil, "The total number of individual PPP sessions this PAC can support", "pptp"),
        ("pptp.firmware_revision", "Firmware Revision", .uint16, .dec, 0x0, nil, "This field contains the firmware revision", "pptp"),
        ("pptp.host_name", "Host Name", .string, .none, 0x0, nil, "A 64 octet field containing the DNS name", "pptp"),
        ("pptp.vendor_name", "Vendor Name", .string, .none, 0x0, nil, "A 64 octet field containing a vendor", "pptp"),
        ("pptp.control_result", "Result Code", .uint8, .dec, 0x0, nil, "Indicates the result of the command channel establishment attempt", "pptp"),
        ("pptp.error", "Error Code", .uint8, .dec, 0x0, nil, "", "pptp"),
        ("pptp.reason", "Reason", .uint8, .dec, 0x0, nil, "Indicates the reason for the control connection being close", "pptp"),
        ("pptp.stop_result", "Result Code", .uint8, .dec, 0x0, nil, "Indicates the result of the attempt to close the control connection", "pptp"),
        ("pptp.identifier", "Identifier", .uint32, .dec, 0x0, nil, "", "pptp"),
        ("pptp.echo_result", "Result Code", .uint8, .dec, 0x0, nil, "Indicates the result of the receipt of the Echo-Request", "pptp"),
        ("pptp.call_id", "Call ID", .uint16, .dec, 0x0, nil, "A unique identifier, unique to a particular PAC-PNS pair assigned by the PNS", "pptp"),
        ("pptp.call_serial_number", "Call Serial Number", .uint16, .dec, 0x0, nil, "An identifier assigned by the PNS to this session for the purpose of identifying this particular session in logged session information", "pptp"),
        ("pptp.minimum_bps", "Minimum BPS", .uint32, .dec, 0x0, nil, "The lowest acceptable line speed (in bits/second) for this session", "pptp"),
        ("pptp.maximum_bps", "Maximum BPS", .uint32, .dec, 0x0, nil, "The highest acceptable line speed (in bits/second) for this session", "pptp"),
        ("pptp.framing_type", "Framing Type", .uint32, .dec, 0x0, nil, "A value indicating the type of PPP framing to be used for this outgoing call", "pptp"),
        ("pptp.bearer_type", "Bearer Type", .uint32, .dec, 0x0, nil, "A value indicating the bearer capability required for this outgoing call", "pptp"),
        ("pptp.packet_receive_window_size", "Packet Receive Window Size", .uint16, .dec, 0x0, nil, "A unique identifier, unique to a particular PAC-PNS pair assigned by the PNS", "pptp"),
        ("pptp.packet_processing_delay", "Packet Processing Delay", .uint16, .dec, 0x0, nil, "A measure of the packet processing delay that might be imposed on data sent to the PNS from the PAC", "pptp"),
        ("pptp.phone_number_length", "Phone Number Length", .uint16, .dec, 0x0, nil, "The actual number of valid digits in the Phone Number field", "pptp"),
        ("pptp.phone_number", "Phone Number", .string, .none, 0x0, nil, "The number to be dialed to establish the outgoing session", "pptp"),
        ("pptp.subaddress", "Subaddress", .string, .none, 0x0, nil, "A 64 octet field used to specify additional dialing information.", "pptp"),
        ("pptp.peer_call_id", "Peer Call ID", .uint16, .dec, 0x0, nil, "This field is set to the value received in the Call ID field of the corresponding Outgoing-Call-Request message", "pptp"),
        ("pptp.out_result", "Result Code", .uint8, .dec, 0x0, nil, "Indicates the result of the receipt of the Outgoing-Call-Request attempt", "pptp"),
        ("pptp.cause", "Cause Code", .uint16, .dec, 0x0, nil, "This field gives additional information", "pptp"),
        ("pptp.connect_speed", "Connect Speed", .uint32, .dec, 0x0, nil, "The actual connection speed used, in bits/second.", "pptp"),
        ("pptp.physical_channel_id", "Physical Channel ID", .uint32, .dec, 0x0, nil, "This field is set by the PAC in a vendor-specific manner to the physical channel number used to place this call", "pptp"),
        ("pptp.dialed_number_length", "Dialed Number Length", .uint16, .dec, 0x0, nil, "The actual number of valid digits in the Dialed Number field", "pptp"),
        ("pptp.dialed_number", "Dialed Number", .string, .none, 0x0, nil, "The number that was dialed by the caller", "pptp"),
        ("pptp.dialing_number_length", "Dialing Number Length", .uint16, .dec, 0x0, nil, "The actual number of valid digits in the Dialing Number field", "pptp"),
        ("pptp.dialing_number", "Dialing Number", .string, .none, 0x0, nil, "The number from which the call was placed", "pptp"),
        ("pptp.in_result", "Result Code", .uint8, .dec, 0x0, nil, "This value indicates the result of the Incoming-Call-Request attempt", "pptp"),
        ("pptp.disc_result", "Result Code", .uint8, .dec, 0x0, nil, "This value indicates the reason for the disconnect", "pptp"),
        ("pptp.call_Statistics", "Call Statistics", .string, .none, 0x0, nil, "This field is an ASCII string containing vendor-specific call statistics that can be logged for diagnostic purpose", "pptp"),
        ("pptp.crc_errors", "CRC Errors", .uint32, .dec, 0x0, nil, "Number of PPP frames received with CRC errors since session was established", "pptp"),
        ("pptp.framing_errors", "Framing Errors", .uint32, .dec, 0x0, nil, "Number of improperly framed PPP packets received", "pptp"),
        ("pptp.hardware_overruns", "Hardware overruns", .uint32, .dec, 0x0, nil, "Number of receive buffer over-runs since session was established", "pptp"),
        ("pptp.buffer_overruns", "Buffer overruns", .uint32, .dec, 0x0, nil, "Number of buffer over-runs detected since session was established", "pptp"),
        ("pptp.timeout_errors", "Time-out Errors", .uint32, .dec, 0x0, nil, "Number of time-outs since call was established", "pptp"),
        ("pptp.alignment_errors", "Alignment Errors", .uint32, .dec, 0x0, nil, "Number of Alignment errors since call was established", "pptp"),
        ("pptp.send_accm", "Send ACCM", .uint32, .hex, 0x0, nil, "The send ACCM value the client should use to process outgoing PPP packets", "pptp"),
        ("pptp.receive_accm", "Receive ACCM", .uint32, .hex, 0x0, nil, "The Receive ACCM value the client should use to process incoming PPP packets", "pptp"),
        ("pptp.magic_cookie.incorrect", "Incorrect Magic Cookie", .none, .none, 0x0, nil, "", "pptp"),
    ]

    /// Registers every catalog field not registered yet; `protocols` maps protocol abbrevs to ids.
    static func registerAll(_ r: Registrar, _ protocols: [String: FieldID]) {
        for f in fields {
            guard let p = protocols[f.7] else { continue }
            _ = r.field(f.1, f.0, f.2, f.3, bitmask: f.4, bitWidth: f.5, blurb: f.6, in: p)
        }
    }
}
