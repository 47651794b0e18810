/// Value names tshark 4.0.17 shows in Frame Relay headers.
enum FrameRelayNames {
    /// Initial protocol identifiers after the control field (ISO/IEC TR 9577). Frame Relay's own
    /// list: 0x08 is Q.933 and 0x09 LMI here, not Q.931 / Q.2931 as elsewhere.
    static let nlpids: [UInt64: String] = [
        0x00: "NULL", 0x01: "T.70", 0x03: "X.633", 0x08: "Q.933", 0x09: "LMI", 0x0c: "Q.2119", 0x80: "SNAP",
        0x81: "CLNP", 0x82: "ESIS", 0x83: "ISIS", 0x85: "IDRP", 0x8a: "ESIS (X.25)", 0x8c: "ISO 10030",
        0x8d: "ISO 11577", 0xb0: "Data compression protocol", 0xcc: "IP", 0x8e: "IPv6", 0xcf: "PPP",
    ]

    /// NLPIDs tshark 4.0 has a dissector for (its "fr.nlpid", "fr.osinl" and "osinl.incl"
    /// tables, plus SNAP): a frame whose control field is not UI is still taken for RFC 2427
    /// encapsulation when one of these follows.
    static let knownNLPIDs: Set<UInt8> = [0x00, 0x08, 0x09, 0x80, 0x81, 0x82, 0x83, 0x8e, 0xb0, 0xcc, 0xcf]

    /// Cisco HDLC protocol types (tshark's `chdlc_vals`).
    static let chdlcTypes: [UInt64: String] = [
        0x2000: "Cisco Discovery Protocol", 0x0800: "IP", 0x86dd: "IPv6", 0x8035: "SLARP", 0x8038: "DEC LanBridge",
        0x4242: "Spanning Tree BPDU", 0x809b: "Appletalk", 0x80f3: "AARP", 0x8137: "Netware IPX/SPX",
        0x6558: "Transparent Ethernet bridging", 0xfefe: "OSI", 0x8847: "MPLS unicast", 0x8848: "MPLS multicast",
    ]
}
