import DissectKit

/// Ethernet II and IEEE 802.3 framing (link type 1), with tshark 4.0's padding, trailer and FCS
/// handling; Ethernet II payloads go through the `ethertype` dispatcher, 802.3 ones to LLC.
public enum EthernetPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let ethertype = EthertypeDispatcher(r)
        let d = EthernetDissector(r, ethertype: ethertype)
        ethertype.trailer = d.trailerFields
        r.registerLinkType(1, r.handle(d.hf.proto, d))
        r.registerDissector("ethertype", r.handle(ethertype.proto, ethertype))
        // Ethernet carried inside other protocols (GRE 0x6558, VXLAN, PPP bridging…):
        // tshark's "eth_withoutfcs" / "eth_withfcs" / "eth_maybefcs".
        let withoutFCS = r.handle(d.hf.proto, EthernetDissector.Entry(d, fcs: .never))
        r.registerDissector("eth_withoutfcs", withoutFCS)
        r.registerDissector("eth_withfcs", r.handle(d.hf.proto, EthernetDissector.Entry(d, fcs: .always)))
        r.registerDissector("eth_maybefcs", r.handle(d.hf.proto, d))
        r.table("gre.proto").add(0x6558, withoutFCS)
        r.table("sll.ltype").add(3, withoutFCS) // LINUX_SLL_P_ETHERNET
    }
}

/// Whether a frame ends with a 4-byte FCS (tshark's `fcs_len`: 0, 4, or -1 for "guess").
enum FCSPresence: Int {
    case heuristic = -1
    case never = 0
    case always = 4
}

final class EthernetDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var dst = FieldID.textOnly
        var dstResolved = FieldID.textOnly
        var dstOUI = FieldID.textOnly
        var dstOUIResolved = FieldID.textOnly
        var src = FieldID.textOnly
        var srcResolved = FieldID.textOnly
        var srcOUI = FieldID.textOnly
        var srcOUIResolved = FieldID.textOnly
        var addr = FieldID.textOnly
        var addrResolved = FieldID.textOnly
        var addrOUI = FieldID.textOnly
        var addrOUIResolved = FieldID.textOnly
        var dstLG = FieldID.textOnly
        var dstIG = FieldID.textOnly
        var srcLG = FieldID.textOnly
        var srcIG = FieldID.textOnly
        var lg = FieldID.textOnly
        var ig = FieldID.textOnly
        var len = FieldID.textOnly
        var type = FieldID.textOnly
        var invalidLentype = FieldID.textOnly
        var trailer = FieldID.textOnly
        var eiInvalidLentype = FieldID.textOnly
        var eiSrcNotGroup = FieldID.textOnly
        var eiLenPastEnd = FieldID.textOnly
    }
    var hf = Fields()
    let trailerFields: EthernetTrailer
    let ethertype: EthertypeDispatcher
    /// LLC (802.2) or IPX after an 802.3 length field.
    let payload8023: IEEE8023Payload
    let prefFCS: Preference
    private var fcsCache = ChoiceCache()

    static let lgStrings = ValueStrings.trueFalse("Locally administered address (this is NOT the factory default)",
                                                  "Globally unique address (factory default)")
    static let igStrings = ValueStrings.trueFalse("Group address (multicast/broadcast)", "Individual address (unicast)")

    init(_ r: Registrar, ethertype: EthertypeDispatcher) {
        self.ethertype = ethertype
        let p = r.registerProtocol(name: "Ethernet", shortName: "Ethernet", abbrev: "eth")
        hf.proto = p
        hf.dst = r.field("Destination", "eth.dst", .ether, blurb: "Destination Hardware Address", in: p)
        hf.dstResolved = r.field("Destination (resolved)", "eth.dst_resolved", .string,
                                 blurb: "Destination Hardware Address (resolved)", in: p)
        hf.dstOUI = r.field("Destination OUI", "eth.dst.oui", .uint24,
                            blurb: "Destination Organizationally Unique Identifier", in: p)
        hf.dstOUIResolved = r.field("Destination OUI (resolved)", "eth.dst.oui_resolved", .string,
                                    blurb: "Destination Organizationally Unique Identifier (resolved)", in: p)
        hf.src = r.field("Source", "eth.src", .ether, blurb: "Source Hardware Address", in: p)
        hf.srcResolved = r.field("Source (resolved)", "eth.src_resolved", .string,
                                 blurb: "Source Hardware Address (resolved)", in: p)
        hf.srcOUI = r.field("Source OUI", "eth.src.oui", .uint24,
                            blurb: "Source Organizationally Unique Identifier", in: p)
        hf.srcOUIResolved = r.field("Source OUI (resolved)", "eth.src.oui_resolved", .string,
                                    blurb: "Source Organizationally Unique Identifier (resolved)", in: p)
        hf.len = r.field("Length", "eth.len", .uint16, .dec, in: p)
        hf.type = r.field("Type", "eth.type", .uint16, .hex, strings: EtherTypes.strings, in: p)
        hf.invalidLentype = r.field("Invalid length/type", "eth.invalid_lentype", .uint16, .hexDec, in: p)
        hf.addr = r.field("Address", "eth.addr", .ether, blurb: "Source or Destination Hardware Address", in: p)
        hf.addrResolved = r.field("Address (resolved)", "eth.addr_resolved", .string,
                                  blurb: "Source or Destination Hardware Address (resolved)", in: p)
        hf.addrOUI = r.field("Address OUI", "eth.addr.oui", .uint24,
                             blurb: "Address Organizationally Unique Identifier", in: p)
        hf.addrOUIResolved = r.field("Address OUI (resolved)", "eth.addr.oui_resolved", .string,
                                     blurb: "Address Organizationally Unique Identifier (resolved)", in: p)
        let lgBlurb = "Specifies if this is a locally administered or globally unique (IEEE assigned) address"
        let igBlurb = "Specifies if this is an individual (unicast) or group (broadcast/multicast) address"
        hf.dstLG = r.field("LG bit", "eth.dst.lg", .boolean, strings: Self.lgStrings, bitmask: 0x20000, bitWidth: 24,
                           blurb: lgBlurb, in: p)
        hf.dstIG = r.field("IG bit", "eth.dst.ig", .boolean, strings: Self.igStrings, bitmask: 0x10000, bitWidth: 24,
                           blurb: igBlurb, in: p)
        hf.srcLG = r.field("LG bit", "eth.src.lg", .boolean, strings: Self.lgStrings, bitmask: 0x20000, bitWidth: 24,
                           blurb: lgBlurb, in: p)
        hf.srcIG = r.field("IG bit", "eth.src.ig", .boolean, strings: Self.igStrings, bitmask: 0x10000, bitWidth: 24,
                           blurb: igBlurb, in: p)
        hf.lg = r.field("LG bit", "eth.lg", .boolean, strings: Self.lgStrings, bitmask: 0x20000, bitWidth: 24,
                        blurb: lgBlurb, in: p)
        hf.ig = r.field("IG bit", "eth.ig", .boolean, strings: Self.igStrings, bitmask: 0x10000, bitWidth: 24,
                        blurb: igBlurb, in: p)
        hf.trailer = r.field("Trailer", "eth.trailer", .bytes, blurb: "Ethernet Trailer or Checksum", in: p)
        hf.eiInvalidLentype = r.expert("eth.invalid_lentype.expert", "Invalid length/type", .warning, .protocol, in: p)
        hf.eiSrcNotGroup = r.expert("eth.src_not_group",
                                    "Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)",
                                    .warning, .protocol, in: p)
        hf.eiLenPastEnd = r.expert("eth.len.past_end", "Length field value goes past the end of the payload",
                                   .error, .malformed, in: p)
        _ = r.preference("eth", "padding", title: "Some devices add trailing data to frames.  Depending on where this device exists in the network, padding could be added to short frames before the additional trailer.  This option determines how that padding will be detected.",
                         .choice(EthernetTrailer.paddingChoices), default: "Zeros")
        _ = r.preference("eth", "trailer_length", title: "Some TAPs add a fixed length ethernet trailer at the end of the frame, but before the (optional) FCS. Make sure it gets interpreted correctly.",
                         .uint, default: "0")
        prefFCS = r.preference("eth", "fcs", title: "Some Ethernet adapters and drivers include the FCS at the end of a packet, others do not.  Some capture file formats and protocols do not indicate whether or not the FCS is included. The Ethernet dissector then attempts to guess whether a captured packet has an FCS, but it cannot always guess correctly.  This option can override that heuristic and assume that the FCS is either never or always present in such cases.",
                               .choice([("heuristic", "According to heuristic", FCSPresence.heuristic.rawValue),
                                        ("never", "Never", FCSPresence.never.rawValue),
                                        ("always", "Always", FCSPresence.always.rawValue)]),
                               default: "According to heuristic")
        _ = r.preference("eth", "check_fcs", title: "Whether to validate the Frame Check Sequence", .bool, default: "FALSE")
        _ = r.preference("eth", "interpret_as_fw1_monitor", title: "Whether packets should be interpreted as coming from CheckPoint FireWall-1 monitor file if they look as if they do",
                         .bool, default: "FALSE")
        _ = r.preference("eth", "deduplicate_dmac", title: "When capturing on a Cisco FEX some frames start with an extra destination mac",
                         .bool, default: "FALSE")
        for name in ["ccsds_heuristic_length", "ccsds_heuristic_version", "ccsds_heuristic_header", "ccsds_heuristic_bit"] {
            _ = r.preference("eth", name, title: "Set the condition that must be true for the CCSDS dissector to be called",
                             .bool, default: "FALSE")
        }
        trailerFields = EthernetTrailer(r, proto: p)
        payload8023 = IEEE8023Payload(r)
        EthernetFieldCatalog.registerAll(r, ["eth": p, "ethertype": ethertype.proto])
    }

    /// The FCS length of frames read from the capture: the file's own signal (pcap FCS bits,
    /// pcapng `if_fcslen`) wins over the `eth.fcs` preference, as in tshark 4.0.
    func captureFCS(_ packet: PacketContext) -> FCSPresence {
        let interfaces = packet.engine.interfaces
        let i = packet.frame.interfaceID
        if i >= 0 && i < interfaces.count, let n = interfaces[i].fcsLength {
            return n >= 4 ? .always : .never
        }
        return FCSPresence(rawValue: fcsCache.value(prefFCS)) ?? .heuristic
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        try dissect(&packet, data, parent, fcs: captureFCS(packet))
    }

    /// Ethernet called by another protocol with a known FCS presence.
    final class Entry: Dissector {
        let eth: EthernetDissector
        let fcs: FCSPresence
        init(_ eth: EthernetDissector, fcs: FCSPresence) {
            self.eth = eth
            self.fcs = fcs
        }
        func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
            try eth.dissect(&packet, data, parent, fcs: fcs)
        }
    }
}

/// Reads a choice preference without allocating per packet: the value is recomputed only when
/// the preference's text changed.
struct ChoiceCache {
    private var text: String?
    private var cached = 0
    mutating func value(_ p: Preference) -> Int {
        if let t = text, t == p.text { return cached }
        text = p.text
        cached = p.choiceValue
        return cached
    }
}
