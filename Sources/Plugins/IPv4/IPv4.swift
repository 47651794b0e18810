import DissectKit

/// Internet Protocol version 4 (RFC 791); hands the payload to the `ip.proto` table.
public enum IPv4Plugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = IPv4Dissector(r)
        let h = r.handle(d.hf.proto, d)
        r.table("ethertype", uiName: "Ethertype").add(0x0800, h)
        r.registerLinkType(228, h) // LINKTYPE_IPV4
        // IP in IP (RFC 2003): tshark's "ip" handle checks the version first.
        let generic = r.handle(d.hf.proto, IPVersionDispatcher(ipv4: d, ipv6: r.dissector(named: "ipv6")))
        r.registerDissector("ip", generic)
        r.registerDissector("ipv4", h)
        r.table("ip.proto", uiName: "IP protocol").add(4, generic)
        r.table("gre.proto", uiName: "GRE protocol type").add(0x0800, generic)
        d.ipProto = r.table("ip.proto", uiName: "IP protocol")
        r.onReset { d.fragments.reset() }
    }
}

final class IPv4Dissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var version = FieldID.textOnly
        var hdrLen = FieldID.textOnly
        var dsfield = FieldID.textOnly
        var dscp = FieldID.textOnly
        var ecn = FieldID.textOnly
        var len = FieldID.textOnly
        var id = FieldID.textOnly
        var flags = FieldID.textOnly
        var flagRB = FieldID.textOnly
        var flagDF = FieldID.textOnly
        var flagMF = FieldID.textOnly
        var fragOffset = FieldID.textOnly
        var ttl = FieldID.textOnly
        var ipProto = FieldID.textOnly
        var checksum = FieldID.textOnly
        var checksumCalculated = FieldID.textOnly
        var checksumStatus = FieldID.textOnly
        var src = FieldID.textOnly
        var dst = FieldID.textOnly
        var addr = FieldID.textOnly
        var srcHost = FieldID.textOnly
        var dstHost = FieldID.textOnly
        var host = FieldID.textOnly
        var curRoute = FieldID.textOnly
        var curRouteHost = FieldID.textOnly
        // options
        var optType = FieldID.textOnly
        var optCopy = FieldID.textOnly
        var optClass = FieldID.textOnly
        var optNumber = FieldID.textOnly
        var optLen = FieldID.textOnly
        var optPtr = FieldID.textOnly
        var optRA = FieldID.textOnly
        /// tshark's per-option protocols (`ip.options.routeralert`…, "in name only", FT_BYTES):
        /// the option's item, keyed by option type.
        var optionItems: [UInt8: FieldID] = [:]
        var optSID = FieldID.textOnly
        var optMTU = FieldID.textOnly
        var optOverflow = FieldID.textOnly
        var optFlag = FieldID.textOnly
        var optTimestamp = FieldID.textOnly
        var optTimestampAddr = FieldID.textOnly
        var optSecurity = FieldID.textOnly
        var optCompartments = FieldID.textOnly
        var optHandling = FieldID.textOnly
        var optTCC = FieldID.textOnly
        var optSecClass = FieldID.textOnly
        var optSecFlags = FieldID.textOnly
        var optSecFlagBits: [FieldID] = []
        var optSecUnassigned = FieldID.textOnly
        var optSecFTI = FieldID.textOnly
        var recRoute = FieldID.textOnly
        var recRouteHost = FieldID.textOnly
        var srcRoute = FieldID.textOnly
        var srcRouteHost = FieldID.textOnly
        var emptyRoute = FieldID.textOnly
        var emptyRouteHost = FieldID.textOnly
        // fragments
        var frag = FragmentFields()
        // expert infos
        var eiBogusVersion = FieldID.textOnly
        var eiBogusHeaderLength = FieldID.textOnly
        var eiBogusLength = FieldID.textOnly
        var eiChecksumBad = FieldID.textOnly
        var eiTTLTooSmall = FieldID.textOnly
        var eiTTLLNCB = FieldID.textOnly
        var eiOptLenInvalid = FieldID.textOnly
        var eiOptPtrBefore = FieldID.textOnly
        var eiOptPtrMiddle = FieldID.textOnly
        var eiNop = FieldID.textOnly
        var eiExtraneous = FieldID.textOnly
    }
    var hf = Fields()
    var ipProto: DissectorTable!
    let fragments = IPFragmentTable()

    let prefCheckChecksum: Preference
    let prefDefragment: Preference
    let prefTSO: Preference
    let prefSummaryInTree: Preference

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Internet Protocol Version 4", shortName: "IPv4", abbrev: "ip")
        hf.proto = p
        // Version and header length are drawn by hand ("0100 .... = Version: 4"): tshark adds
        // them as bit items with no mask in the registry.
        hf.version = r.field("Version", "ip.version", .uint8, .dec, in: p)
        hf.hdrLen = r.field("Header Length", "ip.hdr_len", .uint8, .dec, blurb: "Header length in 32-bit words", in: p)
        hf.dsfield = r.field("Differentiated Services Field", "ip.dsfield", .uint8, .hex, in: p)
        hf.dscp = r.field("Differentiated Services Codepoint", "ip.dsfield.dscp", .uint8, .dec,
                          strings: .values(IPDiffServ.dscpNames), bitmask: 0xfc, in: p)
        hf.ecn = r.field("Explicit Congestion Notification", "ip.dsfield.ecn", .uint8, .dec,
                         strings: .values(IPDiffServ.ecnNames), bitmask: 0x03, in: p)
        hf.len = r.field("Total Length", "ip.len", .uint16, .dec, in: p)
        hf.id = r.field("Identification", "ip.id", .uint16, .hexDec, in: p)
        hf.flags = r.field("Flags", "ip.flags", .uint8, .hex, bitmask: 0xe0, blurb: "Flags (3 bits)", in: p)
        hf.flagRB = r.field("Reserved bit", "ip.flags.rb", .boolean, bitmask: 0x80, bitWidth: 8, in: p)
        hf.flagDF = r.field("Don't fragment", "ip.flags.df", .boolean, bitmask: 0x40, bitWidth: 8, in: p)
        hf.flagMF = r.field("More fragments", "ip.flags.mf", .boolean, bitmask: 0x20, bitWidth: 8, in: p)
        hf.fragOffset = r.field("Fragment Offset", "ip.frag_offset", .uint16, .dec, bitmask: 0x1fff,
                                blurb: "Fragment offset (13 bits)", in: p)
        hf.ttl = r.field("Time to Live", "ip.ttl", .uint8, .dec, in: p)
        hf.ipProto = r.field("Protocol", "ip.proto", .uint8, .dec, strings: .values(IPProtocolNames.names), in: p)
        hf.checksum = r.field("Header Checksum", "ip.checksum", .uint16, .hex, in: p)
        hf.checksumCalculated = r.field("Calculated Checksum", "ip.checksum_calculated", .uint16, .hex,
                                        blurb: "The expected IP checksum field as calculated from the IP datagram", in: p)
        hf.checksumStatus = r.field("Header checksum status", "ip.checksum.status", .uint8, .none,
                                    strings: .values(ChecksumStatus.names), in: p)
        hf.src = r.field("Source Address", "ip.src", .ipv4, in: p)
        hf.dst = r.field("Destination Address", "ip.dst", .ipv4, in: p)
        hf.addr = r.field("Source or Destination Address", "ip.addr", .ipv4, in: p)
        hf.srcHost = r.field("Source Host", "ip.src_host", .string, in: p)
        hf.dstHost = r.field("Destination Host", "ip.dst_host", .string, in: p)
        hf.host = r.field("Source or Destination Host", "ip.host", .string, in: p)
        hf.curRoute = r.field("Current Route", "ip.cur_rt", .ipv4, in: p)
        hf.curRouteHost = r.field("Current Route Host", "ip.cur_rt_host", .string, in: p)

        hf.optType = r.field("Type", "ip.opt.type", .uint8, .dec, in: p)
        hf.optCopy = r.field("Copy on fragmentation", "ip.opt.type.copy", .boolean, strings: .trueFalse("Yes", "No"),
                             bitmask: 0x80, bitWidth: 8, in: p)
        hf.optClass = r.field("Class", "ip.opt.type.class", .uint8, .dec, strings: .values(IPv4Options.classNames),
                              bitmask: 0x60, in: p)
        hf.optNumber = r.field("Number", "ip.opt.type.number", .uint8, .dec, strings: .values(IPv4Options.numberNames),
                               bitmask: 0x1f, in: p)
        hf.optLen = r.field("Length", "ip.opt.len", .uint8, .dec, in: p)
        hf.optPtr = r.field("Pointer", "ip.opt.ptr", .uint8, .dec, in: p)
        for (type, abbrev, name) in [(UInt8(0x00), "eol", "End of Options List (EOL)"), (0x01, "nop", "No-Operation (NOP)"),
                                     (0x82, "security", "Security"), (0x83, "route", "Loose Source Route"),
                                     (0x44, "timestamp", "Time Stamp"), (0x85, "ext_security", "Extended Security"),
                                     (0x86, "cipso", "Commercial Security"), (0x07, "record_route", "Record Route"),
                                     (0x88, "sid", "Stream ID"), (0x89, "source_route", "Strict Source Route"),
                                     (0x0b, "mtu_probe", "MTU Probe"), (0x0c, "mtu_reply", "MTU Reply"),
                                     (0x52, "traceroute", "Traceroute"), (0x94, "routeralert", "Router Alert"),
                                     (0x95, "sdb", "Selective Directed Broadcast"), (0x19, "qs", "Quick-Start")] {
            hf.optionItems[type] = r.registerProtocol(name: "IP Option - " + name, shortName: name,
                                                      abbrev: "ip.options." + abbrev)
        }
        hf.optRA = r.field("Router Alert", "ip.opt.ra", .uint16, .dec,
                           strings: .ranges([(0, 0, "Router shall examine packet"), (1, 65535, "Reserved")]), in: p)
        hf.optSID = r.field("Stream Identifier", "ip.opt.sid", .uint16, .dec, blurb: "SATNET stream identifier", in: p)
        hf.optMTU = r.field("MTU", "ip.opt.mtu", .uint16, .dec, in: p)
        hf.optOverflow = r.field("Overflow", "ip.opt.overflow", .uint8, .dec, bitmask: 0xf0, in: p)
        hf.optFlag = r.field("Flag", "ip.opt.flag", .uint8, .hex, strings: .values(IPv4Options.timestampFlagNames),
                             bitmask: 0x0f, in: p)
        hf.optTimestamp = r.field("Time stamp", "ip.opt.time_stamp", .uint32, .dec, in: p)
        hf.optTimestampAddr = r.field("Address", "ip.opt.time_stamp_addr", .ipv4, in: p)
        hf.optSecurity = r.field("Security", "ip.opt.sec_rfc791_sec", .uint16, .hex,
                                 strings: .values(IPv4Options.securityNames), in: p)
        hf.optCompartments = r.field("Compartments", "ip.opt.sec_rfc791_comp", .uint16, .dec, in: p)
        hf.optHandling = r.field("Handling Restrictions", "ip.opt.sec_rfc791_hr", .string, in: p)
        hf.optTCC = r.field("Transmission Control Code", "ip.opt.sec_rfc791_tcc", .string, in: p)
        hf.optSecClass = r.field("Classification Level", "ip.opt.sec_cl", .uint8, .hex,
                                 strings: .values([0x01: "Reserved 4", 0x3d: "Top secret", 0x5a: "Secret",
                                                   0x96: "Confidential", 0x66: "Reserved 3", 0xcc: "Reserved 2",
                                                   0xab: "Unclassified", 0xf1: "Reserved 1"]), in: p)
        hf.optSecFlags = r.field("Protection Authority Flags", "ip.opt.sec_prot_auth_flags", .uint8, .hex, in: p)
        let protectedTFS = ValueStrings.trueFalse("Datagram protected in accordance with its rules",
                                                  "Datagram not protected in accordance with its rules")
        hf.optSecFlagBits = [("GENSER", "genser"), ("SIOP-ESI", "siop_esi"), ("SCI", "sci"), ("NSA", "nsa"),
                             ("DOE", "doe")].enumerated().map { i, f in
            r.field(f.0, "ip.opt.sec_prot_auth_\(f.1)", .boolean, strings: protectedTFS, bitmask: UInt64(0x80 >> i),
                    bitWidth: 8, in: p)
        }
        hf.optSecUnassigned = r.field("Unassigned", "ip.opt.sec_prot_auth_unassigned", .uint8, .hex, bitmask: 0x06, in: p)
        hf.optSecFTI = r.field("Field Termination Indicator", "ip.opt.sec_prot_auth_fti", .boolean,
                               strings: .trueFalse("Additional octet present", "Final octet"), bitmask: 0x01,
                               bitWidth: 8, in: p)
        hf.recRoute = r.field("Recorded Route", "ip.rec_rt", .ipv4, in: p)
        hf.recRouteHost = r.field("Recorded Route Host", "ip.rec_rt_host", .string, in: p)
        hf.srcRoute = r.field("Source Route", "ip.src_rt", .ipv4, in: p)
        hf.srcRouteHost = r.field("Source Route Host", "ip.src_rt_host", .string, in: p)
        hf.emptyRoute = r.field("Empty Route", "ip.empty_rt", .ipv4, in: p)
        hf.emptyRouteHost = r.field("Empty Route Host", "ip.empty_rt_host", .string, in: p)

        hf.frag.fragments = r.field("IPv4 Fragments", "ip.fragments", .bytes, in: p)
        hf.frag.fragment = r.field("IPv4 Fragment", "ip.fragment", .framenum, in: p)
        hf.frag.count = r.field("Fragment count", "ip.fragment.count", .uint32, .dec, in: p)
        hf.frag.reassembledLength = r.field("Reassembled IPv4 length", "ip.reassembled.length", .uint32, .dec,
                                            blurb: "The total length of the reassembled payload", in: p)
        hf.frag.reassembledData = r.field("Reassembled IPv4 data", "ip.reassembled.data", .bytes,
                                          blurb: "The reassembled payload", in: p)
        hf.frag.label = "IPv4"
        hf.frag.fragmentsHoldBytes = true

        hf.eiBogusVersion = r.expert("ip.bogus_ip_version", "Bogus IP version", .error, .protocol, in: p)
        hf.eiBogusHeaderLength = r.expert("ip.bogus_header_length", "Bogus IP header length", .error, .protocol, in: p)
        hf.eiBogusLength = r.expert("ip.bogus_ip_length", "Bogus IP length", .error, .protocol, in: p)
        hf.eiChecksumBad = r.expert("ip.checksum_bad.expert", "Bad checksum", .error, .checksum, in: p)
        hf.eiTTLTooSmall = r.expert("ip.ttl.too_small", "Time To Live", .note, .sequence, in: p)
        hf.eiTTLLNCB = r.expert("ip.ttl.lncb", "Time To Live", .note, .sequence, in: p)
        hf.eiOptLenInvalid = r.expert("ip.opt.len.invalid", "Invalid length for option", .warning, .protocol, in: p)
        hf.eiOptPtrBefore = r.expert("ip.opt.ptr.before_address", "Pointer points before first address",
                                     .warning, .protocol, in: p)
        hf.eiOptPtrMiddle = r.expert("ip.opt.ptr.middle_address", "Pointer points to middle of address",
                                     .warning, .protocol, in: p)
        hf.eiNop = r.expert("ip.nop", "4 NOP in a row - a router may have removed some options", .warning,
                            .protocol, in: p)
        hf.eiExtraneous = r.expert("ip.subopt_too_long", "Suboption would go past end of option", .warning,
                                   .protocol, in: p)
        IPv4FieldCatalog.registerAll(r, ["ip": p])

        prefCheckChecksum = r.preference("ip", "check_checksum", title: "Validate the IPv4 checksum if possible",
                                         .bool, default: "FALSE")
        prefDefragment = r.preference("ip", "defragment", title: "Reassemble fragmented IPv4 datagrams",
                                      .bool, default: "TRUE")
        prefTSO = r.preference("ip", "tso_support", title: "Support packet-capture from IP TSO-enabled hardware",
                               .bool, default: "TRUE")
        prefSummaryInTree = r.preference("ip", "summary_in_tree", title: "Show IPv4 summary in protocol tree",
                                         .bool, default: "TRUE")
        _ = r.preference("ip", "decode_tos_as_diffserv", title: "Decode IPv4 TOS field as DiffServ field",
                         .bool, default: "TRUE")
        _ = r.preference("ip", "use_geoip", title: "Enable GeoIP lookups", .bool, default: "TRUE")
        _ = r.preference("ip", "security_flag", title: "Interpret Reserved flag as Security flag (RFC 3514)",
                         .bool, default: "FALSE")
        _ = r.preference("ip", "try_heuristic_first", title: "Try heuristic sub-dissectors first", .bool,
                         default: "FALSE")
    }
}

/// tshark's `proto_checksum_vals` (the `*.checksum.status` fields).
public enum ChecksumStatus {
    public static let bad: UInt64 = 0
    public static let good: UInt64 = 1
    public static let unverified: UInt64 = 2
    public static let notPresent: UInt64 = 3
    public static let illegal: UInt64 = 4
    public static let names: [UInt64: String] = [0: "Bad", 1: "Good", 2: "Unverified", 3: "Not present", 4: "Illegal"]
}

/// The generic "ip" handle used inside tunnels (IP protocol 4, GRE 0x0800 …): it looks at the
/// version nibble and calls IPv4 or IPv6, as tshark's `dissect_ip` does.
final class IPVersionDispatcher: Dissector {
    let ipv4: IPv4Dissector
    let ipv6: NamedDissector

    init(ipv4: IPv4Dissector, ipv6: NamedDissector) {
        self.ipv4 = ipv4
        self.ipv6 = ipv6
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let version = data.count > 0 ? data[unchecked: 0] >> 4 : 0
        if version == 4 { return try ipv4.dissect(&packet, data, parent) }
        if version == 6, let h = ipv6.handle { return try h.dissector.dissect(&packet, data, parent) }
        // "Internet Protocol, bogus version (0)" with the Info text tshark uses.
        packet.protocolColumn = "IP"
        packet.info.clear()
        packet.info.append("Bogus IP version (")
        packet.info.append(UInt64(version))
        packet.info.append(")")
        let top = packet.addProtocol(ipv4.hf.proto, data, 0, min(1, data.count), parent: parent,
                                     text: "Internet Protocol, bogus version (\(version))")
        if data.count > 0 {
            let v = packet.add(ipv4.hf.version, data, 0, 1, .uint(UInt64(version)), parent: top)
            if packet.buildsFullTree {
                packet.setLabel(v, FieldFormatter.bitPattern(value: UInt64(version), mask: 0xf0, width: 8)
                                + " = Version: \(version)")
            }
            packet.addExpert(ipv4.hf.eiBogusVersion, parent: v, data, 0, 1)
        }
        return .consumed(data.count)
    }
}
