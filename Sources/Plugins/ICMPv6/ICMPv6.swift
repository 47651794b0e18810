import DissectKit

/// Internet Control Message Protocol for IPv6 (RFC 4443): echo matching, error messages with the
/// invoking packet dissected by IPv6 as a quoted copy, Neighbor Discovery (RFC 4861) with its
/// options, and Multicast Listener Discovery v1/v2 (RFC 2710, RFC 3810).
public enum ICMPv6Plugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = ICMPv6Dissector(r)
        let h = r.handle(d.hf.proto, d)
        r.table("ip.proto", uiName: "IP protocol").add(58, h)
        r.registerDissector("icmpv6", h)
        r.onReset { d.echoes.reset() }
    }
}

final class ICMPv6Dissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var type = FieldID.textOnly
        var code = FieldID.textOnly
        var checksum = FieldID.textOnly
        var checksumStatus = FieldID.textOnly
        var reserved = FieldID.textOnly
        var data = FieldID.textOnly
        var unknownData = FieldID.textOnly
        var mtu = FieldID.textOnly
        var pointer = FieldID.textOnly
        var length = FieldID.textOnly
        var echoIdentifier = FieldID.textOnly
        var echoSequence = FieldID.textOnly
        var respIn = FieldID.textOnly
        var respTo = FieldID.textOnly
        var respTime = FieldID.textOnly
        // Neighbor Discovery
        var raCurHopLimit = FieldID.textOnly
        var raFlag = FieldID.textOnly
        var raRouterLifetime = FieldID.textOnly
        var raReachableTime = FieldID.textOnly
        var raRetransTimer = FieldID.textOnly
        var nsTarget = FieldID.textOnly
        var naFlag = FieldID.textOnly
        var naTarget = FieldID.textOnly
        var rdTarget = FieldID.textOnly
        var rdDestination = FieldID.textOnly
        // MLD
        var mldMaxResponseDelay = FieldID.textOnly
        var mldMulticastAddress = FieldID.textOnly
        var mldMaxResponseCode = FieldID.textOnly
        var mldFlag = FieldID.textOnly
        var mldQQIC = FieldID.textOnly
        var mldSourceCount = FieldID.textOnly
        var mldSource = FieldID.textOnly
        var mldrRecordCount = FieldID.textOnly
        var mldrRecord = FieldID.textOnly
        var mldrRecordType = FieldID.textOnly
        var mldrAuxDataLength = FieldID.textOnly
        var mldrSourceCount = FieldID.textOnly
        var mldrMulticastAddress = FieldID.textOnly
        var mldrSource = FieldID.textOnly
        var mldrAuxData = FieldID.textOnly
        // Multicast Router Discovery (RFC 4286)
        var mcastQueryInterval = FieldID.textOnly
        var mcastRobustness = FieldID.textOnly
        // Node Information (RFC 4620)
        var niQtype = FieldID.textOnly
        var niFlag = FieldID.textOnly
        var niNonce = FieldID.textOnly
        var niSubjectIPv6 = FieldID.textOnly
        var niSubjectFQDN = FieldID.textOnly
        var niSubjectIPv4 = FieldID.textOnly
        var niTTL = FieldID.textOnly
        var niNodeName = FieldID.textOnly
        var niNodeAddress = FieldID.textOnly
        var niIPv4Address = FieldID.textOnly
        // FMIPv6 (RFC 5568)
        var fmipSubtype = FieldID.textOnly
        var fmipHIFlag = FieldID.textOnly
        var fmipIdentifier = FieldID.textOnly
        // Mobile IPv6 (RFC 6275 §6.5–6.8)
        var mip6Identifier = FieldID.textOnly
        var mip6HomeAgent = FieldID.textOnly
        var mip6Flag = FieldID.textOnly
        // Extended echo (RFC 8335)
        var extEchoSeq = FieldID.textOnly
        var extEchoRequestBits: [FieldID] = []
        var extEchoReplyBits: [FieldID] = []
        /// ICMP's `icmp.ext`, the RFC 4884 extension structure an extended echo request carries.
        var icmpExtensions = FieldID.textOnly
        var opt = NDOptionFields()
        // expert infos
        var eiChecksum = FieldID.textOnly
        var eiInvalidOptionLength = FieldID.textOnly
        var eiUndecodedOption = FieldID.textOnly
        var eiUnknownData = FieldID.textOnly
        var eiUndecodedType = FieldID.textOnly
    }

    /// Neighbor Discovery option fields (`icmpv6.opt.*`).
    struct NDOptionFields {
        var option = FieldID.textOnly
        var type = FieldID.textOnly
        var length = FieldID.textOnly
        var reserved = FieldID.textOnly
        var padding = FieldID.textOnly
        var linkAddr = FieldID.textOnly
        var srcLinkAddr = FieldID.textOnly
        var targetLinkAddr = FieldID.textOnly
        var linkAddrEUI64 = FieldID.textOnly
        var srcLinkAddrEUI64 = FieldID.textOnly
        var targetLinkAddrEUI64 = FieldID.textOnly
        var prefixLength = FieldID.textOnly
        var prefixFlag = FieldID.textOnly
        var prefixValidLifetime = FieldID.textOnly
        var prefixPreferredLifetime = FieldID.textOnly
        var prefix = FieldID.textOnly
        var redirectedPacket = FieldID.textOnly
        var mtu = FieldID.textOnly
        var shortcutLimit = FieldID.textOnly
        var advertisementInterval = FieldID.textOnly
        var homeAgentPreference = FieldID.textOnly
        var homeAgentLifetime = FieldID.textOnly
        var ipv6Address = FieldID.textOnly
        var nonce = FieldID.textOnly
        var routeInfoFlag = FieldID.textOnly
        var routeLifetime = FieldID.textOnly
        var rdnssLifetime = FieldID.textOnly
        var rdnss = FieldID.textOnly
        var efo = FieldID.textOnly
        var dnsslLifetime = FieldID.textOnly
        var dnssl = FieldID.textOnly
        var captivePortal = FieldID.textOnly
        var pref64ScaledLifetime = FieldID.textOnly
        var pref64PLC = FieldID.textOnly
        var pref64Prefix = FieldID.textOnly
    }

    var hf = Fields()
    let echoes = TransactionTable<EchoKey>()
    let ipv6: NamedDissector

    /// Subfields of the flag fields, for `addBitmask` (built once).
    var raFlags: [FieldID] = []
    var naFlags: [FieldID] = []
    var prefixFlags: [FieldID] = []
    var routeInfoFlags: [FieldID] = []
    var efoFlags: [FieldID] = []
    var mldFlags: [FieldID] = []
    var niFlags: [FieldID] = []
    var fmipHIFlags: [FieldID] = []
    var mip6Flags: [FieldID] = []

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Internet Control Message Protocol v6", shortName: "ICMPv6", abbrev: "icmpv6")
        hf.proto = p
        ICMPv6FieldCatalog.registerAll(r, ["icmpv6": p])
        let reg = r.engine.registry
        func id(_ abbrev: String) -> FieldID { reg.lookup("icmpv6." + abbrev) ?? .textOnly }
        hf.type = id("type")
        hf.code = id("code")
        hf.checksum = id("checksum")
        hf.checksumStatus = id("checksum.status")
        hf.reserved = id("reserved")
        hf.data = id("data")
        hf.unknownData = id("unknown_data")
        hf.mtu = id("mtu")
        hf.pointer = id("pointer")
        hf.length = id("length")
        hf.echoIdentifier = id("echo.identifier")
        hf.echoSequence = id("echo.sequence_number")
        hf.respIn = id("resp_in")
        hf.respTo = id("resp_to")
        hf.respTime = id("resptime")
        hf.raCurHopLimit = id("nd.ra.cur_hop_limit")
        hf.raFlag = id("nd.ra.flag")
        hf.raRouterLifetime = id("nd.ra.router_lifetime")
        hf.raReachableTime = id("nd.ra.reachable_time")
        hf.raRetransTimer = id("nd.ra.retrans_timer")
        hf.nsTarget = id("nd.ns.target_address")
        hf.naFlag = id("nd.na.flag")
        hf.naTarget = id("nd.na.target_address")
        hf.rdTarget = id("nd.rd.target_address")
        hf.rdDestination = id("rd.na.destination_address")
        hf.mldMaxResponseDelay = id("mld.maximum_response_delay")
        hf.mldMulticastAddress = id("mld.multicast_address")
        hf.mldMaxResponseCode = id("mld.maximum_response_code")
        hf.mldFlag = id("mld.flag")
        hf.mldQQIC = id("mld.qqi")
        hf.mldSourceCount = id("mld.nb_sources")
        hf.mldSource = id("mld.source_address")
        hf.mldrRecordCount = id("mldr.nb_mcast_records")
        hf.mldrRecord = id("mldr.mar")
        hf.mldrRecordType = id("mldr.mar.record_type")
        hf.mldrAuxDataLength = id("mldr.mar.aux_data_len")
        hf.mldrSourceCount = id("mldr.mar.nb_sources")
        hf.mldrMulticastAddress = id("mldr.mar.multicast_address")
        hf.mldrSource = id("mldr.mar.source_address")
        hf.mldrAuxData = id("mldr.mar.auxiliary_data")
        hf.mcastQueryInterval = id("mcast_ra.query_interval")
        hf.mcastRobustness = id("mcast_ra.robustness_variable")
        hf.niQtype = id("ni.qtype")
        hf.niFlag = id("ni.flag")
        hf.niNonce = id("ni.nonce")
        hf.niSubjectIPv6 = id("ni.query.subject_ipv6")
        hf.niSubjectFQDN = id("ni.query.subject_fqdn")
        hf.niSubjectIPv4 = id("ni.query.subject_ipv4")
        hf.niTTL = id("ni.reply.node_ttl")
        hf.niNodeName = id("ni.reply.node_name")
        hf.niNodeAddress = id("ni.reply.node_address")
        hf.niIPv4Address = id("ni.reply.ipv4_address")
        hf.fmipSubtype = id("fmip6.subtype")
        hf.fmipHIFlag = id("fmip6.hi.flag")
        hf.fmipIdentifier = id("fmip6.identifier")
        hf.mip6Identifier = id("mip6.identifier")
        hf.mip6HomeAgent = id("mip6.home_agent_address")
        hf.mip6Flag = id("mip6.flag")
        hf.extEchoSeq = id("ext.echo.seq")
        hf.icmpExtensions = reg.lookup("icmp.ext") ?? .textOnly
        hf.extEchoRequestBits = ["req.res", "req.local"].map { id("ext.echo." + $0) }
        hf.extEchoReplyBits = ["rsp.state", "rsp.res", "rsp.active", "rsp.ipv4", "rsp.ipv6"].map { id("ext.echo." + $0) }

        var o = NDOptionFields()
        o.option = id("opt")
        o.type = id("opt.type")
        o.length = id("opt.length")
        o.reserved = id("opt.reserved")
        o.padding = id("opt.padding")
        o.linkAddr = id("opt.linkaddr")
        o.srcLinkAddr = id("opt.src_linkaddr")
        o.targetLinkAddr = id("opt.target_linkaddr")
        o.linkAddrEUI64 = id("opt.linkaddr_eui64")
        o.srcLinkAddrEUI64 = id("opt.src_linkaddr_eui64")
        o.targetLinkAddrEUI64 = id("opt.target_linkaddr_eui64")
        o.prefixLength = id("opt.prefix.length")
        o.prefixFlag = id("opt.prefix.flag")
        o.prefixValidLifetime = id("opt.prefix.valid_lifetime")
        o.prefixPreferredLifetime = id("opt.prefix.preferred_lifetime")
        o.prefix = id("opt.prefix")
        o.redirectedPacket = id("opt.redirected_packet")
        o.mtu = id("opt.mtu")
        o.shortcutLimit = id("opt.nbma.shortcut_limit")
        o.advertisementInterval = id("opt.advertisement_interval")
        o.homeAgentPreference = id("opt.home_agent_preference")
        o.homeAgentLifetime = id("opt.home_agent_lifetime")
        o.ipv6Address = id("opt.ipv6_address")
        o.nonce = id("opt.nonce")
        o.routeInfoFlag = id("opt.route_info.flag")
        o.routeLifetime = id("opt.route_lifetime")
        o.rdnssLifetime = id("opt.rdnss.lifetime")
        o.rdnss = id("opt.rdnss")
        o.efo = id("opt.efo")
        o.dnsslLifetime = id("opt.dnssl.lifetime")
        o.dnssl = id("opt.dnssl")
        o.captivePortal = id("opt.captive_portal")
        o.pref64ScaledLifetime = id("opt.pref64.scaled_lifetime")
        o.pref64PLC = id("opt.pref64.plc")
        o.pref64Prefix = id("opt.pref64.prefix")
        hf.opt = o

        hf.eiChecksum = r.expert("icmpv6.checksum_bad.expert", "Bad checksum", .warning, .checksum, in: p)
        hf.eiInvalidOptionLength = r.expert("icmpv6.invalid_option_length", "Invalid Option Length", .error,
                                            .malformed, in: p)
        hf.eiUndecodedOption = r.expert("icmpv6.undecoded.option", "Undecoded option", .note, .undecoded, in: p)
        hf.eiUnknownData = r.expert("icmpv6.unknown_data.expert", "Unknown Data (not interpreted)", .error,
                                    .malformed, in: p)
        hf.eiUndecodedType = r.expert("icmpv6.undecoded.type", "Undecoded type", .note, .undecoded, in: p)

        raFlags = ["m", "o", "h", "prf", "p", "rsv"].map { id("nd.ra.flag." + $0) }
        naFlags = ["r", "s", "o", "rsv"].map { id("nd.na.flag." + $0) }
        prefixFlags = ["l", "a", "r", "reserved"].map { id("opt.prefix.flag." + $0) }
        routeInfoFlags = ["route_preference", "reserved"].map { id("opt.route_info.flag." + $0) }
        efoFlags = ["m", "o", "h", "prf", "p", "rsv"].map { id("opt.efo." + $0) }
        mldFlags = ["s", "qrv", "reserved"].map { id("mld.flag." + $0) }
        niFlags = ["g", "s", "l", "c", "a", "t", "rsv"].map { id("ni.flag." + $0) }
        fmipHIFlags = ["s", "a", "reserved"].map { id("fmip6.hi.flag." + $0) }
        mip6Flags = ["m", "o", "rsv"].map { id("mip6.flag." + $0) }
        ipv6 = r.dissector(named: "ipv6")
    }
}
