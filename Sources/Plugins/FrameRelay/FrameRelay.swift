import DissectKit

/// Frame Relay (ITU-T Q.922 addresses; payloads in RFC 2427 / FRF 3.2 multiprotocol
/// encapsulation or Cisco's HDLC-style EtherType encapsulation): pcap link type 107
/// (LINKTYPE_FRELAY, wiretap's "Frame Relay" 26) and GRE protocol type 0x6559.
///
/// tshark 4.0 cannot read LINKTYPE_FRELAY_WITH_DIR (206) from pcap files ("network type 206
/// unknown or unsupported"), so that link type is deliberately not registered here.
public enum FrameRelayPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = FrameRelayDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerLinkType(107, h)
        r.registerDissector("fr", h)
        r.table("gre.proto", uiName: "GRE protocol type").add(0x6559, h) // ETHERTYPE_RAW_FR
    }
}

final class FrameRelayDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var ea = FieldID.textOnly
        var upperDLCI = FieldID.textOnly
        var cr = FieldID.textOnly
        var secondDLCI = FieldID.textOnly
        var fecn = FieldID.textOnly
        var becn = FieldID.textOnly
        var de = FieldID.textOnly
        var thirdDLCI = FieldID.textOnly
        var dlcoreControl = FieldID.textOnly
        var lowerDLCI = FieldID.textOnly
        var dc = FieldID.textOnly
        var dlci = FieldID.textOnly
        var control = FieldID.textOnly
        var nR = FieldID.textOnly
        var nS = FieldID.textOnly
        var poll = FieldID.textOnly
        var final = FieldID.textOnly
        var sType = FieldID.textOnly
        var uCommand = FieldID.textOnly
        var uResponse = FieldID.textOnly
        var frameType = FieldID.textOnly
        var nlpid = FieldID.textOnly
        var oui = FieldID.textOnly
        var pid = FieldID.textOnly
        var snapType = FieldID.textOnly
        var chdlcType = FieldID.textOnly
        var firstOctet = FieldID.textOnly
        var secondOctet = FieldID.textOnly
        var thirdOctet = FieldID.textOnly
        var eiBogusAddress = FieldID.textOnly
        var eiLAPF = FieldID.textOnly
        var eiXID = FieldID.textOnly
    }
    var hf = Fields()

    /// The sub-items of each Q.922 address octet, in tshark's order (stored once: an array
    /// literal per packet would allocate).
    let firstOctetBits: [FieldID]
    let secondOctetBits: [FieldID]
    let thirdOctetBits: [FieldID]

    /// "fr.encap": how frames on a DLCI other than 0 are encapsulated.
    enum Encapsulation: Int {
        case frf32 = 0, gprsNS = 1, rawEthernet = 2, lapb = 3
    }
    let prefEncap: Preference
    private var encapCache = ChoiceCache()

    /// Protocols keyed by NLPID (tshark's "fr.nlpid"), by OSI NLPID that include the NLPID in
    /// their PDU ("fr.osinl", "osinl.incl"), and by Cisco HDLC type ("chdlc.protocol"); other
    /// plugins may add to them. The protocols built in here are found by name as a fallback.
    let nlpidTable: DissectorTable
    let osinlTable: DissectorTable
    let osinlInclTable: DissectorTable
    let chdlcTable: DissectorTable
    let ethertype: DissectorTable
    let ip: NamedDissector
    let ipv6: NamedDissector
    let ppp: NamedDissector
    let ethWithFCS: NamedDissector
    let ethWithoutFCS: NamedDissector

    static let eaStrings = ValueStrings.trueFalse("Last Octet", "More Follows")
    static let crStrings = ValueStrings.trueFalse("Command", "Response")
    /// tshark's default for booleans without their own texts.
    static let trueFalse = ValueStrings.trueFalse("True", "False")
    static let dcStrings = ValueStrings.trueFalse("DLCI Address", "Control")
    static let frameTypes: [UInt64: String] = [0: "Information frame", 1: "Supervisory frame", 3: "Unnumbered frame"]

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Frame Relay", shortName: "FR", abbrev: "fr")
        hf.proto = p
        // Registered in tshark's order, so `-G fields` lists them as tshark does.
        hf.ea = r.field("EA", "fr.ea", .boolean, strings: Self.eaStrings, bitmask: 0x01, bitWidth: 8,
                        blurb: "Extended Address", in: p)
        hf.upperDLCI = r.field("Upper DLCI", "fr.upper_dlci", .uint8, .hex, bitmask: 0xfc,
                               blurb: "Upper bits of DLCI", in: p)
        hf.cr = r.field("CR", "fr.cr", .boolean, strings: Self.crStrings, bitmask: 0x02, bitWidth: 8,
                        blurb: "Command/Response", in: p)
        hf.secondDLCI = r.field("Second DLCI", "fr.second_dlci", .uint8, .hex, bitmask: 0xf0,
                                blurb: "Bits below upper bits of DLCI", in: p)
        hf.fecn = r.field("FECN", "fr.fecn", .boolean, strings: Self.trueFalse, bitmask: 0x08, bitWidth: 8,
                          blurb: "Forward Explicit Congestion Notification", in: p)
        hf.becn = r.field("BECN", "fr.becn", .boolean, strings: Self.trueFalse, bitmask: 0x04, bitWidth: 8,
                          blurb: "Backward Explicit Congestion Notification", in: p)
        hf.de = r.field("DE", "fr.de", .boolean, strings: Self.trueFalse, bitmask: 0x02, bitWidth: 8,
                        blurb: "Discard Eligibility", in: p)
        hf.thirdDLCI = r.field("Third DLCI", "fr.third_dlci", .uint8, .hex, bitmask: 0xfe,
                               blurb: "Additional bits of DLCI", in: p)
        hf.dlcoreControl = r.field("DL-CORE Control", "fr.dlcore_control", .uint8, .hex, bitmask: 0xfc,
                                   blurb: "DL-Core control bits", in: p)
        hf.lowerDLCI = r.field("Lower DLCI", "fr.lower_dlci", .uint8, .hex, bitmask: 0xfc,
                               blurb: "Lower bits of DLCI", in: p)
        // tshark registers DC as a 16-bit boolean on the C/R bit's mask (0x02): its line shows
        // 16 bit positions although the octet has 8.
        hf.dc = r.field("DC", "fr.dc", .boolean, strings: Self.dcStrings, bitmask: 0x02, bitWidth: 16,
                        blurb: "Address/Control", in: p)
        hf.dlci = r.field("DLCI", "fr.dlci", .uint32, .dec, blurb: "Data-Link Connection Identifier", in: p)
        hf.control = r.field("Control Field", "fr.control", .uint8, .hex, in: p)
        hf.nR = r.field("N(R)", "fr.control.n_r", .uint16, .dec, bitmask: 0xfe00, in: p)
        hf.nS = r.field("N(S)", "fr.control.n_s", .uint16, .dec, bitmask: 0x00fe, in: p)
        hf.poll = r.field("Poll", "fr.control.p", .boolean, strings: .trueFalse("Set", "Not set"), bitmask: 0x10,
                          bitWidth: 8, in: p)
        hf.final = r.field("Final", "fr.control.f", .boolean, strings: .trueFalse("Set", "Not set"), bitmask: 0x10,
                           bitWidth: 8, in: p)
        hf.sType = r.field("Supervisory frame type", "fr.control.s_ftype", .uint16, .hex,
                           strings: .values(LLCNames.sTypes), bitmask: 0x000c, in: p)
        hf.uCommand = r.field("Command", "fr.control.u_modifier_cmd", .uint8, .hex,
                              strings: .values(LLCNames.uCommands), bitmask: 0xec, in: p)
        hf.uResponse = r.field("Response", "fr.control.u_modifier_resp", .uint8, .hex,
                               strings: .values(LLCNames.uResponses), bitmask: 0xec, in: p)
        // tshark has an 8-bit (U frames) and two 16-bit (I, S frames) entries under this name;
        // one id holds all, as the 8-bit one: UI frames are what Frame Relay carries.
        hf.frameType = r.field("Frame type", "fr.control.ftype", .uint8, .hex, strings: .values(Self.frameTypes),
                               bitmask: 0x03, in: p)
        hf.nlpid = r.field("NLPID", "fr.nlpid", .uint8, .hex, strings: .values(FrameRelayNames.nlpids),
                           blurb: "Frame Relay Encapsulated Protocol NLPID", in: p)
        hf.oui = r.field("Organization Code", "fr.snap.oui", .uint24, .none, in: p)
        hf.pid = r.field("Protocol ID", "fr.snap.pid", .uint16, .hex, in: p)
        hf.snapType = r.field("Type", "fr.snaptype", .uint16, .hex, strings: EtherTypes.strings,
                              blurb: "Frame Relay SNAP Encapsulated Protocol", in: p)
        hf.chdlcType = r.field("Type", "fr.chdlctype", .uint16, .hex, strings: .values(FrameRelayNames.chdlcTypes),
                               blurb: "Frame Relay Cisco HDLC Encapsulated Protocol", in: p)
        hf.firstOctet = r.field("First address octet", "fr.first_addr_octet", .uint8, .hex, in: p)
        hf.secondOctet = r.field("Second address octet", "fr.second_addr_octet", .uint8, .hex, in: p)
        hf.thirdOctet = r.field("Third address octet", "fr.third_addr_octet", .uint8, .hex, in: p)
        hf.eiBogusAddress = r.expert("fr.bogus_address", "Bogus address", .warning, .protocol, in: p)
        hf.eiLAPF = r.expert("fr.frame_relay.lapf", "Frame relay lapf not yet implemented", .warning, .undecoded, in: p)
        hf.eiXID = r.expert("fr.frame_relay.xid", "Frame relay xid not yet implemented", .warning, .undecoded, in: p)

        firstOctetBits = [hf.upperDLCI, hf.cr, hf.ea]
        secondOctetBits = [hf.secondDLCI, hf.fecn, hf.becn, hf.de, hf.ea]
        thirdOctetBits = [hf.thirdDLCI, hf.ea]

        prefEncap = r.preference("fr", "encap", title: "Encapsulation",
                                 .choice([("frf-3.2", "FRF 3.2/Cisco HDLC", Encapsulation.frf32.rawValue),
                                          ("gprs-ns", "GPRS Network Service", Encapsulation.gprsNS.rawValue),
                                          ("ethernet", "Raw Ethernet", Encapsulation.rawEthernet.rawValue),
                                          ("lapb", "LAPB (T1.617a-1994 Annex G)", Encapsulation.lapb.rawValue)]),
                                 default: "FRF 3.2/Cisco HDLC")

        nlpidTable = r.table("fr.nlpid", uiName: "Frame Relay NLPID")
        osinlTable = r.table("fr.osinl", uiName: "Frame Relay OSI NLPID")
        osinlInclTable = r.table("osinl.incl", uiName: "OSI incl NLPID")
        chdlcTable = r.table("chdlc.protocol", uiName: "Cisco HDLC protocol")
        ethertype = r.table("ethertype", uiName: "Ethertype")
        ip = r.dissector(named: "ip")
        ipv6 = r.dissector(named: "ipv6")
        ppp = r.dissector(named: "ppp")
        ethWithFCS = r.dissector(named: "eth_withfcs")
        ethWithoutFCS = r.dissector(named: "eth_withoutfcs")
    }

    var encapsulation: Encapsulation { Encapsulation(rawValue: encapCache.value(prefEncap)) ?? .frf32 }
}
