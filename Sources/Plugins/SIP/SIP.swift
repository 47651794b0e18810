import DissectKit

/// Session Initiation Protocol (RFC 3261) on UDP and TCP port 5060 and the `udp`/`tcp`
/// heuristics: the request or status line, every header (known ones with tshark's sub-items:
/// Via, From/To/Contact/P-Asserted-Identity addresses, CSeq), request/response matching with
/// response times, and the message body handed on by Content-Type (`media_type` table: SDP).
public enum SIPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = SIPDissector(r)
        let udp = r.handle(d.hf.proto, DissectorEntry(d, SIPDissector.dissectDatagram))
        let tcp = r.handle(d.hf.proto, DissectorEntry(d, SIPDissector.dissectStream))
        r.table("udp.port", uiName: "UDP port").add(5060, udp)
        r.table("tcp.port", uiName: "TCP port").add(5060, tcp)
        r.table("udp", uiName: "UDP heuristic").addHeuristic("sip_udp", r.handle(d.hf.proto, SIPHeuristicEntry(d, stream: false)))
        r.table("tcp", uiName: "TCP heuristic sub-dissectors")
            .addHeuristic("sip_tcp", r.handle(d.hf.proto, SIPHeuristicEntry(d, stream: true)))
        r.registerDissector("sip", udp)
        d.mediaTypes = r.table("media_type", uiName: "Internet media type")
        d.sdp = r.dissector(named: "sdp")
        r.onReset { d.transactions.reset() }
    }
}

final class SIPDissector {
    struct Fields {
        var proto = FieldID.textOnly
        var method = FieldID.textOnly
        var requestLine = FieldID.textOnly
        var statusLine = FieldID.textOnly
        var statusCode = FieldID.textOnly
        var ruri = FieldID.textOnly
        var ruriUser = FieldID.textOnly
        var ruriHost = FieldID.textOnly
        var ruriPort = FieldID.textOnly
        var resend = FieldID.textOnly
        var resendOriginal = FieldID.textOnly
        var responseRequest = FieldID.textOnly
        var responseTime = FieldID.textOnly
        var releaseTime = FieldID.textOnly
        var msgHeader = FieldID.textOnly
        var msgBody = FieldID.textOnly
        var callIDGenerated = FieldID.textOnly
        var cseqSeq = FieldID.textOnly
        var cseqMethod = FieldID.textOnly
        var viaTransport = FieldID.textOnly
        var viaSentByAddress = FieldID.textOnly
        var viaSentByPort = FieldID.textOnly
        var viaBranch = FieldID.textOnly
        var viaReceived = FieldID.textOnly
        var viaRPort = FieldID.textOnly
        var viaMaddr = FieldID.textOnly
        var viaTTL = FieldID.textOnly
        var eiUnrecognizedHeader = FieldID.textOnly
    }

    /// The address sub-items of one name-addr header (From, To, Contact, P-Asserted-Identity).
    struct AddressFields {
        var label = "" // "from" …
        var display = FieldID.textOnly
        var addr = FieldID.textOnly
        var user = FieldID.textOnly
        var host = FieldID.textOnly
        var port = FieldID.textOnly
        var param = FieldID.textOnly
        var tag = FieldID.textOnly
        /// Contact's header parameters ("Contact parameter: expires=34").
        var headerParam = FieldID.textOnly
    }

    enum HeaderKind {
        case plain, unsigned, via, from, to, contact, pai, callID, cseq, contentType, contentLength
    }

    struct Header {
        var field: FieldID
        var kind: HeaderKind
    }

    var hf = Fields()
    var from = AddressFields()
    var to = AddressFields()
    var contact = AddressFields()
    var pai = AddressFields()
    /// Known headers by the FNV-1a hash of their lower-case name (full and compact forms).
    var headers: [UInt64: Header] = [:]
    var mediaTypes: DissectorTable!
    var sdp: NamedDissector!
    let transactions = SIPTransactionTable()

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Session Initiation Protocol", shortName: "SIP", abbrev: "sip")
        hf.proto = p
        SIPFieldCatalog.registerAll(r, ["sip": p])
        let reg = r.engine.registry
        func id(_ abbrev: String) -> FieldID { reg.lookup(abbrev) ?? .textOnly }
        hf.method = id("sip.Method")
        hf.requestLine = id("sip.Request-Line")
        hf.statusLine = id("sip.Status-Line")
        hf.statusCode = id("sip.Status-Code")
        hf.ruri = id("sip.r-uri")
        hf.ruriUser = id("sip.r-uri.user")
        hf.ruriHost = id("sip.r-uri.host")
        hf.ruriPort = id("sip.r-uri.port")
        hf.resend = id("sip.resend")
        hf.resendOriginal = id("sip.resend-original")
        hf.responseRequest = id("sip.response-request")
        hf.responseTime = id("sip.response-time")
        hf.releaseTime = id("sip.release-time")
        hf.msgHeader = id("sip.msg_hdr")
        hf.msgBody = id("sip.msg_body")
        hf.callIDGenerated = id("sip.call_id_generated")
        hf.cseqSeq = id("sip.CSeq.seq")
        hf.cseqMethod = id("sip.CSeq.method")
        hf.viaTransport = id("sip.Via.transport")
        hf.viaSentByAddress = id("sip.Via.sent-by.address")
        hf.viaSentByPort = id("sip.Via.sent-by.port")
        hf.viaBranch = id("sip.Via.branch")
        hf.viaReceived = id("sip.Via.received")
        hf.viaRPort = id("sip.Via.rport")
        hf.viaMaddr = id("sip.Via.maddr")
        hf.viaTTL = id("sip.Via.ttl")
        hf.eiUnrecognizedHeader = r.expert("sip.unrecognized_header", "Unrecognised SIP header", .note, .undecoded, in: p)

        func address(_ label: String, _ prefix: String, display: String, addr: String, param: String) -> AddressFields {
            AddressFields(label: label, display: id(display), addr: id(addr), user: id(prefix + ".user"),
                          host: id(prefix + ".host"), port: id(prefix + ".port"), param: id(param),
                          tag: id(prefix + ".tag"), headerParam: .textOnly)
        }
        from = address("from", "sip.from", display: "sip.from.display.info", addr: "sip.from.addr", param: "sip.from.param")
        to = address("to", "sip.to", display: "sip.to.display.info", addr: "sip.to.addr", param: "sip.to.param")
        contact = address("contact", "sip.contact", display: "sip.contact.display.info", addr: "sip.contact.uri",
                          param: "sip.contact.param")
        contact.headerParam = id("sip.contact.parameter")
        pai = address("pai", "sip.pai", display: "sip.pai.display.info", addr: "sip.pai.addr", param: "sip.pai.param")

        // Every header tshark knows is a catalog field "sip.<Name>" whose display name is <Name>.
        for f in SIPFieldCatalog.fields where f.0 == "sip." + f.1 {
            let fid = id(f.0)
            let lower = f.1.lowercased()
            let kind: HeaderKind
            switch lower {
            case "via": kind = .via
            case "from": kind = .from
            case "to": kind = .to
            case "contact": kind = .contact
            case "p-asserted-identity": kind = .pai
            case "call-id": kind = .callID
            case "cseq": kind = .cseq
            case "content-type": kind = .contentType
            case "content-length": kind = .contentLength
            default: kind = f.2 == .uint32 ? .unsigned : .plain
            }
            headers[Self.nameHash(Array(lower.utf8))] = Header(field: fid, kind: kind)
        }
        // RFC 3261 §7.3.3 compact forms (and the later ones tshark knows).
        let compact: [(String, String)] = [
            ("v", "via"), ("f", "from"), ("t", "to"), ("i", "call-id"), ("m", "contact"), ("l", "content-length"),
            ("c", "content-type"), ("e", "content-encoding"), ("s", "subject"), ("k", "supported"), ("o", "event"),
            ("r", "refer-to"), ("b", "referred-by"), ("u", "allow-events"), ("a", "accept-contact"),
            ("j", "reject-contact"), ("d", "request-disposition"), ("x", "session-expires"), ("y", "identity"),
            ("n", "identity-info"),
        ]
        for (short, long) in compact {
            if let h = headers[Self.nameHash(Array(long.utf8))] { headers[Self.nameHash(Array(short.utf8))] = h }
        }
    }

    /// FNV-1a over the lower-cased bytes of a header name.
    static func nameHash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes {
            let l = (b >= 0x41 && b <= 0x5a) ? b | 0x20 : b
            h = (h ^ UInt64(l)) &* 0x100000001b3
        }
        return h
    }

    /// The methods tshark names "Request:"; others are "Unknown request:".
    static let knownMethods: Set<String> = [
        "ACK", "BYE", "CANCEL", "DO", "INFO", "INVITE", "MESSAGE", "NOTIFY", "OPTIONS", "PRACK", "QAUTH", "REFER",
        "REGISTER", "SPRACK", "SUBSCRIBE", "UPDATE", "PUBLISH",
    ]
}

/// tshark's `sip_udp`/`sip_tcp` heuristics: a SIP request or status line at the start.
final class SIPHeuristicEntry: Dissector {
    unowned let sip: SIPDissector
    let stream: Bool
    init(_ sip: SIPDissector, stream: Bool) {
        self.sip = sip
        self.stream = stream
    }
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        guard SIPDissector.firstLine(data) != nil else { return .notMine }
        return stream ? try sip.dissectStream(&packet, data, parent) : try sip.dissectDatagram(&packet, data, parent)
    }
}
