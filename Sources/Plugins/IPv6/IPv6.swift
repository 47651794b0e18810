import DissectKit

/// Internet Protocol version 6 (RFC 8200) with its extension headers (hop-by-hop, routing,
/// fragment, destination options) and the IPsec headers tshark shows without keys (AH, ESP).
public enum IPv6Plugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = IPv6Dissector(r)
        let h = r.handle(d.hf.proto, d)
        r.table("ethertype", uiName: "Ethertype").add(0x86dd, h)
        r.registerLinkType(229, h) // LINKTYPE_IPV6
        r.registerDissector("ipv6", h)
        let ipProto = r.table("ip.proto", uiName: "IP protocol")
        ipProto.add(41, h) // IPv6 in IP (RFC 4213)
        r.table("gre.proto", uiName: "GRE protocol type").add(0x86dd, h)
        d.ipProto = ipProto

        let ext = IPv6ExtensionHeaders(r, ipv6: d)
        ipProto.add(0, r.handle(ext.hf.hopProto, IPv6OptionsHeader(ext, hopByHop: true)))
        ipProto.add(60, r.handle(ext.hf.dstProto, IPv6OptionsHeader(ext, hopByHop: false)))
        ipProto.add(43, r.handle(ext.hf.routingProto, IPv6RoutingHeader(ext)))
        ipProto.add(44, r.handle(ext.hf.fragProto, IPv6FragmentHeader(ext)))
        ipProto.add(51, r.handle(ext.hf.ahProto, AuthenticationHeader(ext)))
        ipProto.add(50, r.handle(ext.hf.espProto, EncapsulatingSecurityPayload(ext)))
        IPv6FieldCatalog.registerAll(r, ["ipv6": d.hf.proto, "ipv6.hopopts": ext.hf.hopProto,
                                         "ipv6.dstopts": ext.hf.dstProto, "ipv6.routing": ext.hf.routingProto,
                                         "ipv6.fraghdr": ext.hf.fragProto, "ah": ext.hf.ahProto,
                                         "esp": ext.hf.espProto])
        r.onReset { d.fragments.reset() }
    }
}

final class IPv6Dissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var version = FieldID.textOnly
        var ipVersion = FieldID.textOnly
        var tclass = FieldID.textOnly
        var dscp = FieldID.textOnly
        var ecn = FieldID.textOnly
        var flow = FieldID.textOnly
        var plen = FieldID.textOnly
        var nxt = FieldID.textOnly
        var hlim = FieldID.textOnly
        var src = FieldID.textOnly
        var dst = FieldID.textOnly
        var addr = FieldID.textOnly
        var srcHost = FieldID.textOnly
        var dstHost = FieldID.textOnly
        var host = FieldID.textOnly
        var detail = AddressDetailFields()
        var frag = FragmentFields()
        var eiBogusVersion = FieldID.textOnly
        var eiInvalidHeader = FieldID.textOnly
        var eiPlenExceeds = FieldID.textOnly
        var eiPlenZero = FieldID.textOnly
    }

    /// Fields for what tshark reads out of special addresses, per direction plus the
    /// direction-less hidden copy.
    struct AddressDetailFields {
        struct Side {
            var slaacMAC = FieldID.textOnly
            var isatap = FieldID.textOnly
            var gw6to4 = FieldID.textOnly
            var sla6to4 = FieldID.textOnly
            var teredoServer = FieldID.textOnly
            var teredoPort = FieldID.textOnly
            var teredoClient = FieldID.textOnly
            var embedded = FieldID.textOnly
        }
        var src = Side()
        var dst = Side()
        var any = Side()
        var embeddedPrefix = FieldID.textOnly
    }

    var hf = Fields()
    var ipProto: DissectorTable!
    let fragments = IPFragmentTable()

    /// The IPv6 header being dissected: its tree (extension headers hang under it) and addresses.
    struct Current {
        var frame: UInt32 = 0
        var tree = TreeNode.none
        var src = IPv6Address(hi: 0, lo: 0)
        var dst = IPv6Address(hi: 0, lo: 0)
        var payloadSource = 0
        var payloadOffset = -1
        /// The tree the header was added under (the ICMPv6 tree for a quoted header): the next
        /// header goes there too.
        var parent = TreeNode.root
    }
    var current = Current()

    let prefDefragment: Preference
    let prefSummaryInTree: Preference
    let prefExtUnderRoot: Preference

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Internet Protocol Version 6", shortName: "IPv6", abbrev: "ipv6")
        hf.proto = p
        hf.version = r.field("Version", "ipv6.version", .uint8, .dec, in: p)
        // tshark's IPv6 adds a hidden `ip.version` too ("makes the filter match on ip.version == 6
        // possible"); one registry entry per abbreviation, so IPv4's (registered first) is used.
        hf.ipVersion = r.engine.registry.lookup("ip.version") ?? .textOnly
        hf.tclass = r.field("Traffic Class", "ipv6.tclass", .uint32, .hex, bitmask: 0x0ff0_0000, in: p)
        hf.dscp = r.field("Differentiated Services Codepoint", "ipv6.tclass.dscp", .uint32, .dec,
                          strings: .values(IPDiffServ.dscpNames), bitmask: 0x0fc0_0000, in: p)
        hf.ecn = r.field("Explicit Congestion Notification", "ipv6.tclass.ecn", .uint32, .dec,
                         strings: .values(IPDiffServ.ecnNames), bitmask: 0x0030_0000, in: p)
        hf.flow = r.field("Flow Label", "ipv6.flow", .uint24, .hex, bitmask: 0xfffff, in: p)
        hf.plen = r.field("Payload Length", "ipv6.plen", .uint16, .dec, in: p)
        hf.nxt = r.field("Next Header", "ipv6.nxt", .uint8, .dec, strings: .values(IPProtocolNames.names), in: p)
        hf.hlim = r.field("Hop Limit", "ipv6.hlim", .uint8, .dec, in: p)
        hf.src = r.field("Source Address", "ipv6.src", .ipv6, in: p)
        hf.dst = r.field("Destination Address", "ipv6.dst", .ipv6, in: p)
        hf.addr = r.field("Source or Destination Address", "ipv6.addr", .ipv6, in: p)
        hf.srcHost = r.field("Source Host", "ipv6.src_host", .string, in: p)
        hf.dstHost = r.field("Destination Host", "ipv6.dst_host", .string, in: p)
        hf.host = r.field("Source or Destination Host", "ipv6.host", .string, in: p)

        func side(_ prefix: String, _ label: String) -> AddressDetailFields.Side {
            var s = AddressDetailFields.Side()
            s.slaacMAC = r.field("\(label)SLAAC MAC", "ipv6.\(prefix)slaac_mac", .ether, in: p)
            s.isatap = r.field("\(label)ISATAP IPv4", "ipv6.\(prefix)isatap_ipv4", .ipv4, in: p)
            s.gw6to4 = r.field("\(label)6to4 Gateway IPv4", "ipv6.\(prefix)6to4_gw_ipv4", .ipv4, in: p)
            s.sla6to4 = r.field("\(label)6to4 SLA ID", "ipv6.\(prefix)6to4_sla_id", .uint16, .dec, in: p)
            s.teredoServer = r.field("\(label)Teredo Server IPv4", "ipv6.\(prefix)ts_ipv4", .ipv4, in: p)
            s.teredoPort = r.field("\(label)Teredo Port", "ipv6.\(prefix)tc_port", .uint16, .dec, in: p)
            s.teredoClient = r.field("\(label)Teredo Client IPv4", "ipv6.\(prefix)tc_ipv4", .ipv4, in: p)
            s.embedded = r.field("\(label)Embedded IPv4", prefix.isEmpty ? "ipv6.embed_ipv4" : "ipv6.\(prefix)embed_ipv4",
                                 .ipv4, in: p)
            return s
        }
        hf.detail.src = side("src_", "Source ")
        hf.detail.dst = side("dst_", "Destination ")
        hf.detail.any = side("", "")
        hf.detail.embeddedPrefix = r.field("Embedded IPv4 Prefix", "ipv6.embed_ipv4_prefix", .bytes, in: p)

        hf.frag.fragments = r.field("IPv6 Fragments", "ipv6.fragments", .none, in: p)
        hf.frag.fragment = r.field("IPv6 Fragment", "ipv6.fragment", .framenum, in: p)
        hf.frag.count = r.field("Fragment count", "ipv6.fragment.count", .uint32, .dec, in: p)
        hf.frag.reassembledLength = r.field("Reassembled IPv6 length", "ipv6.reassembled.length", .uint32, .dec, in: p)
        hf.frag.reassembledData = r.field("Reassembled IPv6 data", "ipv6.reassembled.data", .bytes, in: p)
        hf.frag.label = "IPv6"

        hf.eiBogusVersion = r.expert("ipv6.bogus_ipv6_version", "Bogus IP version", .error, .malformed, in: p)
        hf.eiInvalidHeader = r.expert("ipv6.invalid_header", "Invalid IPv6 header", .error, .malformed, in: p)
        hf.eiPlenExceeds = r.expert("ipv6.plen_exceeds_framing",
                                    "IPv6 payload length does not match expected framing length", .warning,
                                    .protocol, in: p)
        hf.eiPlenZero = r.expert("ipv6.plen_zero",
                                 "IPv6 payload length equals 0 (maybe because of \"TCP segmentation offload\" (TSO))",
                                 .chat, .protocol, in: p)

        prefDefragment = r.preference("ipv6", "defragment", title: "Reassemble fragmented IPv6 datagrams",
                                      .bool, default: "TRUE")
        prefSummaryInTree = r.preference("ipv6", "summary_in_tree", title: "Show IPv6 summary in protocol tree",
                                         .bool, default: "TRUE")
        _ = r.preference("ipv6", "use_geoip", title: "Enable GeoIP lookups", .bool, default: "TRUE")
        _ = r.preference("ipv6", "perform_strict_rpl_srh_rfc_checking",
                         title: "Perform strict checking for adherence to the RFC for RPL Source Routing Headers (RFC 6554)",
                         .bool, default: "FALSE")
        _ = r.preference("ipv6", "try_heuristic_first", title: "Try heuristic sub-dissectors first", .bool,
                         default: "FALSE")
        prefExtUnderRoot = r.preference("ipv6", "exthdr_under_root_protocol_tree",
                                        title: "Display IPv6 extension headers under the root protocol tree", .bool,
                                        default: "FALSE")
        _ = r.preference("ipv6", "exthdr_hide_len_oct_field",
                         title: "Use a single field for IPv6 extension header length", .bool, default: "FALSE")
        _ = r.preference("ipv6", "tso_support", title: "Support packet-capture from IPv6 TSO-enabled hardware",
                         .bool, default: "FALSE")
    }
}
