import DissectKit

/// Internet Message Access Protocol (RFC 9051/3501, STARTTLS RFC 2595) on TCP port 143:
/// tagged and untagged lines, LOGIN credentials, request/response matching, and FETCH
/// literals handed to the "imf" dissector.
public enum IMAPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = IMAPDissector(r)
        r.table("tcp.port", uiName: "TCP port").add(143, r.handle(d.hf.proto, imapPortEntry(d, port: 143, viaTLS: false)))
        // For TLS to hand decrypted data back: after STARTTLS (the named handle) and on port 993
        // (IMAP over implicit TLS, tshark's `ssl_dissector_add(993, imap)`).
        r.registerDissector("imap", r.handle(d.hf.proto, imapPortEntry(d, port: 0, viaTLS: true)))
        r.table("tls.port", uiName: "TLS port").add(993, r.handle(d.hf.proto, imapPortEntry(d, port: 993, viaTLS: true)))
        r.onReset { d.reset() }
    }
}

/// One port entry of IMAP (request = sent to the matched port; see `ServerPortDissector`).
func imapPortEntry(_ d: IMAPDissector, port: UInt16, viaTLS: Bool) -> ServerPortDissector {
    ServerPortDissector(port: UInt32(port), serverPorts: [143, 993], viaTLS: viaTLS) { packet, data, parent, isRequest, viaTLS throws(Malformed) in
        d.dissect(&packet, data, parent, isRequest: isRequest, viaTLS: viaTLS)
    }
}

final class IMAPDissector {
    struct Fields {
        var proto = FieldID.textOnly
        var isRequest = FieldID.textOnly
        var line = FieldID.textOnly
        var request = FieldID.textOnly
        var requestTag = FieldID.textOnly
        var response = FieldID.textOnly
        var responseTag = FieldID.textOnly
        var requestCommand = FieldID.textOnly
        var responseCommand = FieldID.textOnly
        var responseStatus = FieldID.textOnly
        var tag = FieldID.textOnly
        var command = FieldID.textOnly
        var requestFolder = FieldID.textOnly
        var requestUID = FieldID.textOnly
        var requestUsername = FieldID.textOnly
        var requestPassword = FieldID.textOnly
        var responseIn = FieldID.textOnly
        var responseTo = FieldID.textOnly
        var time = FieldID.textOnly
    }
    var hf = Fields()
    let sslHeuristic: Preference
    let sessions = ConversationTable<IMAPSession>(limits: .init(maxFlows: 1 << 16))
    let imf: NamedDissector
    let tls: NamedDissector
    /// Set while the bytes of a STARTTLS conversation are with the "tls" dissector.
    var inTLSHandoff = false
    /// The frame whose data was split at an incomplete literal: the rest, called again in the
    /// same frame, must not add a second protocol item.
    var partialFrame: UInt32 = 0

    init(_ r: Registrar) {
        // A session ends with its TCP connection (bounded memory on long captures).
        sessions.followTransport(r.engine)
        let p = r.registerProtocol(name: "Internet Message Access Protocol", shortName: "IMAP", abbrev: "imap")
        hf.proto = p
        hf.isRequest = r.field("Request", "imap.isrequest", .boolean, blurb: "TRUE if IMAP request, FALSE otherwise",
                               in: p)
        hf.line = r.field("Line", "imap.line", .stringz, blurb: "A line of an IMAP message", in: p)
        hf.request = r.field("Request", "imap.request", .stringz, blurb: "Remainder of request line", in: p)
        hf.requestTag = r.field("Request Tag", "imap.request_tag", .stringz, blurb: "First token of request line", in: p)
        hf.response = r.field("Response", "imap.response", .stringz, blurb: "Remainder of response line", in: p)
        hf.responseTag = r.field("Response Tag", "imap.response_tag", .stringz, blurb: "First token of response line",
                                 in: p)
        hf.requestCommand = r.field("Request Command", "imap.request.command", .stringz, blurb: "Request command name",
                                    in: p)
        hf.responseCommand = r.field("Response Command", "imap.response.command", .stringz,
                                     blurb: "Response command name", in: p)
        hf.responseStatus = r.field("Response Status", "imap.response.status", .stringz,
                                    blurb: "Response status code", in: p)
        hf.tag = r.field("Tag", "imap.tag", .stringz, blurb: "First token of line", in: p)
        hf.command = r.field("Command", "imap.command", .stringz, blurb: "Request or Response command name", in: p)
        hf.requestFolder = r.field("Request Folder", "imap.request.folder", .stringz, blurb: "Request command folder",
                                   in: p)
        hf.requestUID = r.field("Request isUID", "imap.request.command.uid", .boolean, blurb: "Request command uid",
                                in: p)
        hf.requestUsername = r.field("Request Username", "imap.request.username", .stringz,
                                     blurb: "Request command username", in: p)
        hf.requestPassword = r.field("Request Password", "imap.request.password", .stringz,
                                     blurb: "Request command password", in: p)
        hf.responseIn = r.field("Response In", "imap.response_in", .framenum,
                                blurb: "The response to this IMAP request is in this frame", in: p)
        hf.responseTo = r.field("Request In", "imap.response_to", .framenum,
                                blurb: "This is a response to the IMAP request in this frame", in: p)
        hf.time = r.field("Response Time", "imap.time", .relativeTime,
                          blurb: "The time between the request and response", in: p)
        sslHeuristic = r.preference("imap", "ssl_heuristic", title: "Use heuristic detection for TLS", .bool,
                                    default: "TRUE")
        imf = r.dissector(named: "imf")
        tls = r.dissector(named: "tls")
    }

    func reset() {
        sessions.removeAll()
        partialFrame = 0
    }
}
