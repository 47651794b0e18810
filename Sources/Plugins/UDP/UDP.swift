import DissectKit

/// User Datagram Protocol (RFC 768): ports, length, checksum, stream index and timestamps;
/// hands the payload to the `udp.port` table (lower port first) and the `udp` heuristics.
public enum UDPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = UDPDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.table("ip.proto", uiName: "IP protocol").add(17, h)
        r.registerDissector("udp", h)
        d.portTable = r.table("udp.port", uiName: "UDP port")
        d.heuristics = r.table("udp", uiName: "UDP heuristic")
        r.onReset { d.streams.reset() }
    }
}

final class UDPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var srcPort = FieldID.textOnly
        var dstPort = FieldID.textOnly
        var port = FieldID.textOnly
        var stream = FieldID.textOnly
        var length = FieldID.textOnly
        var checksum = FieldID.textOnly
        var checksumCalculated = FieldID.textOnly
        var checksumStatus = FieldID.textOnly
        var timeRelative = FieldID.textOnly
        var timeDelta = FieldID.textOnly
        var payload = FieldID.textOnly
        var eiTraceroute = FieldID.textOnly
        var eiLengthBad = FieldID.textOnly
        var eiChecksumZero = FieldID.textOnly
        var eiChecksumBad = FieldID.textOnly
        var eiLengthBadZero = FieldID.textOnly
    }
    var hf = Fields()
    var portTable: DissectorTable!
    var heuristics: DissectorTable!
    let streams = UDPStreamTable()

    let prefCheckChecksum: Preference
    let prefSummaryInTree: Preference
    let prefTimestamps: Preference
    let prefHeuristicFirst: Preference
    let prefIgnoreIPv6ZeroChecksum: Preference

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "User Datagram Protocol", shortName: "UDP", abbrev: "udp")
        hf.proto = p
        hf.srcPort = r.field("Source Port", "udp.srcport", .uint16, .dec, in: p)
        hf.dstPort = r.field("Destination Port", "udp.dstport", .uint16, .dec, in: p)
        hf.port = r.field("Source or Destination Port", "udp.port", .uint16, .dec, in: p)
        hf.stream = r.field("Stream index", "udp.stream", .uint32, .dec, in: p)
        hf.length = r.field("Length", "udp.length", .uint16, .dec,
                            blurb: "Length in octets including this header and the data", in: p)
        hf.checksum = r.field("Checksum", "udp.checksum", .uint16, .hex,
                              blurb: "Details at: https://www.wireshark.org/docs/wsug_html_chunked/ChAdvChecksums.html",
                              in: p)
        hf.checksumCalculated = r.field("Calculated Checksum", "udp.checksum_calculated", .uint16, .hex,
                                        blurb: "The expected UDP checksum field as calculated from the UDP packet", in: p)
        hf.checksumStatus = r.field("Checksum Status", "udp.checksum.status", .uint8, .none,
                                    strings: .values(ChecksumStatus.names), in: p)
        hf.timeRelative = r.field("Time since first frame", "udp.time_relative", .relativeTime,
                                  blurb: "Time relative to first frame in this UDP stream", in: p)
        hf.timeDelta = r.field("Time since previous frame", "udp.time_delta", .relativeTime,
                               blurb: "Time delta from previous frame in this UDP stream", in: p)
        hf.payload = r.field("Payload", "udp.payload", .bytes, in: p)
        hf.eiTraceroute = r.expert("udp.possible_traceroute", "Possible traceroute", .chat, .sequence, in: p)
        hf.eiLengthBad = r.expert("udp.length.bad", "Bad length value", .error, .malformed, in: p)
        hf.eiChecksumZero = r.expert("udp.checksum.zero", "Illegal checksum value (0)", .error, .checksum, in: p)
        hf.eiChecksumBad = r.expert("udp.checksum.bad", "Bad checksum", .error, .checksum, in: p)
        hf.eiLengthBadZero = r.expert("udp.length.bad_zero", "Length is zero but payload < 65536", .warning,
                                      .protocol, in: p)
        let lite = r.registerProtocol(name: "Lightweight User Datagram Protocol", shortName: "UDP-Lite", abbrev: "udplite")
        UDPFieldCatalog.registerAll(r, ["udp": p, "udplite": lite])

        prefSummaryInTree = r.preference("udp", "summary_in_tree", title: "Show UDP summary in protocol tree",
                                         .bool, default: "TRUE")
        prefHeuristicFirst = r.preference("udp", "try_heuristic_first", title: "Try heuristic sub-dissectors first",
                                          .bool, default: "FALSE")
        prefCheckChecksum = r.preference("udp", "check_checksum", title: "Validate the UDP checksum if possible",
                                         .bool, default: "FALSE")
        prefIgnoreIPv6ZeroChecksum = r.preference("udp", "ignore_ipv6_zero_checksum",
                                                  title: "Ignore zero-value IPv6 UDP checksums", .bool, default: "FALSE")
        _ = r.preference("udp", "process_info", title: "Collect process flow information", .bool, default: "FALSE")
        prefTimestamps = r.preference("udp", "calculate_timestamps", title: "Calculate conversation timestamps",
                                      .bool, default: "TRUE")
    }
}
