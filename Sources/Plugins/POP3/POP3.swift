import DissectKit

/// Post Office Protocol version 3 (RFC 1939, STLS from RFC 2595) on TCP port 110: command and
/// response lines, the multi-line data of responses, and the message of RETR/TOP responses
/// reassembled and handed to the "imf" dissector, as tshark 4.0's `pop` dissector does it.
public enum POP3Plugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = POP3Dissector(r)
        r.table("tcp.port", uiName: "TCP port")
            .add(110, r.handle(d.hf.proto, pop3PortEntry(d, port: 110, viaTLS: false)))
        // For TLS to hand decrypted data back: after STLS (the named handle) and on port 995
        // (POP3 over implicit TLS, tshark's `ssl_dissector_add(995, pop)`).
        r.registerDissector("pop", r.handle(d.hf.proto, pop3PortEntry(d, port: 0, viaTLS: true)))
        r.table("tls.port", uiName: "TLS port").add(995, r.handle(d.hf.proto, pop3PortEntry(d, port: 995, viaTLS: true)))
        r.onReset { d.reset() }
    }
}

/// One port entry of POP3 (request = sent to the matched port; see `ServerPortDissector`).
func pop3PortEntry(_ d: POP3Dissector, port: UInt16, viaTLS: Bool) -> ServerPortDissector {
    ServerPortDissector(port: UInt32(port), serverPorts: [110, 995], viaTLS: viaTLS) { packet, data, parent, isRequest, viaTLS throws(Malformed) in
        d.dissect(&packet, data, parent, isRequest: isRequest, viaTLS: viaTLS)
    }
}

final class POP3Dissector {
    struct Fields {
        /// "DATA fragments" of a reassembled message (MailFragments.swift).
        var data = MailFragmentFields()
        var proto = FieldID.textOnly
        var response = FieldID.textOnly
        var responseIndicator = FieldID.textOnly
        var responseDescription = FieldID.textOnly
        var responseData = FieldID.textOnly
        var request = FieldID.textOnly
        var requestCommand = FieldID.textOnly
        var requestParameter = FieldID.textOnly
        var requestData = FieldID.textOnly
        var eiTotalLengthInvalid = FieldID.textOnly
    }
    var hf = Fields()

    /// tshark's "Reassemble POP RETR and TOP responses spanning multiple TCP segments".
    let desegmentData: Preference

    /// Conversation state, keyed by the TCP 4-tuple.
    let sessions = ConversationTable<POP3Session>(limits: .init(maxFlows: 1 << 16))
    /// Bytes held by all messages being reassembled.
    let budget = MailReassemblyBudget()

    let imf: NamedDissector
    let tls: NamedDissector
    /// Set while the bytes of an STLS conversation are with the "tls" dissector.
    var inTLSHandoff = false

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Post Office Protocol", shortName: "POP", abbrev: "pop")
        hf.proto = p
        hf.response = r.field("Response", "pop.response", .string, in: p)
        hf.responseIndicator = r.field("Response indicator", "pop.response.indicator", .string, in: p)
        hf.responseDescription = r.field("Response description", "pop.response.description", .string, in: p)
        hf.responseData = r.field("Data", "pop.response.data", .string, blurb: "Response Data", in: p)
        hf.request = r.field("Request", "pop.request", .string, in: p)
        hf.requestCommand = r.field("Request command", "pop.request.command", .string, in: p)
        hf.requestParameter = r.field("Request parameter", "pop.request.parameter", .string, in: p)
        hf.requestData = r.field("Data", "pop.request.data", .string, blurb: "Request data", in: p)
        hf.data = MailFragmentFields.register(r, prefix: "pop", in: p)
        hf.eiTotalLengthInvalid = r.expert("pop.response.tot_len.invalid",
                                           "Length must be a string containing an integer", .error, .malformed, in: p)
        desegmentData = r.preference("pop", "desegment_data",
                                     title: "Reassemble POP RETR and TOP responses spanning multiple TCP segments",
                                     .bool, default: "TRUE")
        imf = r.dissector(named: "imf")
        tls = r.dissector(named: "tls")
    }

    func reset() {
        sessions.removeAll()
        inTLSHandoff = false
    }
}
