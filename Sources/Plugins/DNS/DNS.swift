import DissectKit

/// DNS (RFC 1035 and its extensions), Multicast DNS (RFC 6762, UDP 5353, "MDNS") and LLMNR
/// (RFC 4795, UDP 5355): header and flags, questions, resource records with name compression,
/// EDNS0, DNSSEC and service records, request/response matching. DNS also runs over TCP 53 and
/// 5353 with a 2-byte length prefix per message (RFC 1035 §4.2.2), and on other UDP ports when
/// tshark's "dns_udp" heuristic accepts the payload.
public enum DNSPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = DNSDissector(r)
        let udp = r.table("udp.port", uiName: "UDP port")
        let tcp = r.table("tcp.port", uiName: "TCP port")
        let dnsUDP = r.handle(d.protoDNS, DNSTransportDissector(d, .dns, .udp))
        let dnsTCP = r.handle(d.protoDNS, DNSTransportDissector(d, .dns, .tcp))
        udp.add(53, dnsUDP)
        udp.add(5353, r.handle(d.protoMDNS, DNSTransportDissector(d, .mdns, .udp)))
        udp.add(5355, r.handle(d.protoLLMNR, DNSTransportDissector(d, .llmnr, .udp)))
        tcp.add(53, dnsTCP)
        tcp.add(5353, dnsTCP)
        r.table("udp", uiName: "UDP heuristic").addHeuristic("dns_udp", r.handle(d.protoDNS, DNSHeuristic(d)))
        // Callers by name (DNS over TLS, DoH…) get the framing of the transport underneath.
        r.registerDissector("dns", r.handle(d.protoDNS, DNSTransportDissector(d, .dns, nil)))
        r.onReset { d.transactions.reset() }
    }
}

/// Which of the three protocols a message is dissected as.
enum DNSVariant {
    case dns, mdns, llmnr
}

/// How messages are framed: one per datagram, or length-prefixed on a stream.
enum DNSTransport {
    case udp, tcp
}

final class DNSDissector {
    let protoDNS: FieldID
    let protoMDNS: FieldID
    let protoLLMNR: FieldID
    let hf: DNSFields
    let transactions = DNSTransactionTable()
    let prefDesegment: Preference
    let prefRetransmissionTimer: Preference
    /// TCP's protocol id, looked up on first use (TCP may register after DNS).
    private var tcpProto: FieldID?
    private unowned let engine: Engine

    /// Scratch buffers for expanded names (owner name, names inside the record data).
    var owner: [UInt8] = []
    var target: [UInt8] = []
    /// The summary line of the record being dissected (only built for a full tree).
    var recordLabel = ""

    init(_ r: Registrar) {
        engine = r.engine
        protoDNS = r.registerProtocol(name: "Domain Name System", shortName: "DNS", abbrev: "dns")
        protoMDNS = r.registerProtocol(name: "Multicast Domain Name System", shortName: "mDNS", abbrev: "mdns")
        protoLLMNR = r.registerProtocol(name: "Link-local Multicast Name Resolution", shortName: "LLMNR",
                                        abbrev: "llmnr")
        DNSFieldCatalog.registerAll(r, protoDNS, strings: DNSNames.fieldStrings)
        hf = DNSFields(r, protoDNS)
        prefDesegment = r.preference("dns", "desegment_dns_messages",
                                     title: "Reassemble DNS messages spanning multiple TCP segments", .bool,
                                     default: "TRUE")
        prefRetransmissionTimer = r.preference("dns", "retransmission_timer",
                                               title: "Number of seconds allowed between retransmissions", .uint,
                                               default: "5")
        owner.reserveCapacity(256)
        target.reserveCapacity(256)
    }

    /// True when the innermost transport of the packet is TCP (tshark's `pinfo->ptype == PT_TCP`).
    func overTCP(_ packet: PacketContext) -> Bool {
        if tcpProto == nil { tcpProto = engine.registry.lookup("tcp") }
        guard let t = tcpProto else { return false }
        return packet.layers.contains(t)
    }
}

/// The table entry for one protocol variant on one transport.
final class DNSTransportDissector: Dissector {
    unowned let dns: DNSDissector
    let variant: DNSVariant
    /// nil: decided per packet from the transport underneath.
    let transport: DNSTransport?

    init(_ dns: DNSDissector, _ variant: DNSVariant, _ transport: DNSTransport?) {
        self.dns = dns
        self.variant = variant
        self.transport = transport
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let t = transport ?? (dns.overTCP(packet) ? .tcp : .udp)
        if t == .tcp { return try dns.dissectStream(&packet, data, parent) }
        try dns.dissectMessage(&packet, data, parent, variant: variant, tcp: false)
        return .consumed(data.count)
    }
}

/// tshark's "dns_udp" heuristic: a standard query with one question and no records, or a
/// response with at most one question and few records.
final class DNSHeuristic: Dissector {
    unowned let dns: DNSDissector
    init(_ dns: DNSDissector) { self.dns = dns }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        guard packet.reportedLength(data) > 12, data.has(0, 12) else { return .notMine }
        let flags = try data.u16(2)
        guard flags & 0x7800 == 0 else { return .notMine }
        let questions = try data.u16(4), answers = try data.u16(6), authority = try data.u16(8)
        if flags & 0x8000 == 0 {
            guard questions == 1, answers == 0, authority == 0 else { return .notMine }
        } else {
            guard questions <= 1, answers <= 100, authority <= 10 else { return .notMine }
        }
        guard try data.u16(10) <= 10 else { return .notMine }
        try dns.dissectMessage(&packet, data, parent, variant: .dns, tcp: false)
        return .consumed(data.count)
    }
}
