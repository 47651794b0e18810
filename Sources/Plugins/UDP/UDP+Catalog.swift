import DissectKit

/// Every field tshark 4.0.17 registers for udp, udplite (from `tshark -G fields`), so filters and `-G fields`
/// know them even where this dissector does not fill them yet. Fields the dissector uses are
/// registered first with their value strings; the registry shares the id for these entries.
enum UDPFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("udp.srcport", "Source Port", .uint16, .dec, 0x0, nil, "", "udp"),
        ("udp.dstport", "Destination Port", .uint16, .dec, 0x0, nil, "", "udp"),
        ("udp.port", "Source or Destination Port", .uint16, .dec, 0x0, nil, "", "udp"),
        ("udp.stream", "Stream index", .uint32, .dec, 0x0, nil, "", "udp"),
        ("udp.length", "Length", .uint16, .dec, 0x0, nil, "Length in octets including this header and the data", "udp"),
        ("udp.checksum", "Checksum", .uint16, .hex, 0x0, nil, "Details at: https://www.wireshark.org/docs/wsug_html_chunked/ChAdvChecksums.html", "udp"),
        ("udp.checksum_calculated", "Calculated Checksum", .uint16, .hex, 0x0, nil, "The expected UDP checksum field as calculated from the UDP packet", "udp"),
        ("udp.checksum.status", "Checksum Status", .uint8, .none, 0x0, nil, "", "udp"),
        ("udp.proc.srcuid", "Source process user ID", .uint32, .dec, 0x0, nil, "", "udp"),
        ("udp.proc.srcpid", "Source process ID", .uint32, .dec, 0x0, nil, "", "udp"),
        ("udp.proc.srcuname", "Source process user name", .string, .none, 0x0, nil, "", "udp"),
        ("udp.proc.srccmd", "Source process name", .string, .none, 0x0, nil, "Source process command name", "udp"),
        ("udp.proc.dstuid", "Destination process user ID", .uint32, .dec, 0x0, nil, "", "udp"),
        ("udp.proc.dstpid", "Destination process ID", .uint32, .dec, 0x0, nil, "", "udp"),
        ("udp.proc.dstuname", "Destination process user name", .string, .none, 0x0, nil, "", "udp"),
        ("udp.proc.dstcmd", "Destination process name", .string, .none, 0x0, nil, "Destination process command name", "udp"),
        ("udp.pdu.size", "PDU Size", .uint32, .dec, 0x0, nil, "The size of this PDU", "udp"),
        ("udp.time_relative", "Time since first frame", .relativeTime, .none, 0x0, nil, "Time relative to first frame in this UDP stream", "udp"),
        ("udp.time_delta", "Time since previous frame", .relativeTime, .none, 0x0, nil, "Time delta from previous frame in this UDP stream", "udp"),
        ("udp.payload", "Payload", .bytes, .none, 0x0, nil, "", "udp"),
        ("udp.checksum_coverage", "Checksum coverage", .uint16, .dec, 0x0, nil, "", "udplite"),
        ("udp.possible_traceroute", "Possible traceroute", .none, .none, 0x0, nil, "", "udp"),
        ("udp.length.bad", "Bad length value", .none, .none, 0x0, nil, "", "udp"),
        ("udplite.checksum_coverage.bad", "Bad checksum coverage length value", .none, .none, 0x0, nil, "", "udp"),
        ("udp.checksum.zero", "Illegal checksum value (0)", .none, .none, 0x0, nil, "", "udp"),
        ("udp.checksum.bad", "Bad checksum", .none, .none, 0x0, nil, "", "udp"),
        ("udp.length.bad_zero", "Length is zero but payload < 65536", .none, .none, 0x0, nil, "", "udp"),
    ]

    /// Registers every catalog field not registered yet; `protocols` maps protocol abbrevs to ids.
    static func registerAll(_ r: Registrar, _ protocols: [String: FieldID]) {
        for f in fields {
            guard let p = protocols[f.7] else { continue }
            _ = r.field(f.1, f.0, f.2, f.3, bitmask: f.4, bitWidth: f.5, blurb: f.6, in: p)
        }
    }
}
