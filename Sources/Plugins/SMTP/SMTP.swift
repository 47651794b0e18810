import DissectKit

/// Simple Mail Transfer Protocol (RFC 5321, with RFC 1869/2920/3030/3207/4954/6531) on TCP
/// ports 25 and 587: commands, replies, AUTH, STARTTLS, and the message after DATA/BDAT
/// reassembled and handed to the "imf" dissector.
public enum SMTPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = SMTPDissector(r)
        let ports = r.table("tcp.port", uiName: "TCP port")
        for port in SMTPDissector.ports {
            ports.add(UInt32(port), r.handle(d.hf.proto, smtpPortEntry(d, port: port, viaTLS: false)))
        }
        // For TLS to hand decrypted data back: after STARTTLS (the named handle) and on port 465
        // (SMTP submission over implicit TLS, tshark's `ssl_dissector_add(465, smtp)`).
        r.registerDissector("smtp", r.handle(d.hf.proto, smtpPortEntry(d, port: 0, viaTLS: true)))
        r.table("tls.port", uiName: "TLS port").add(465, r.handle(d.hf.proto, smtpPortEntry(d, port: 465, viaTLS: true)))
        r.onReset { d.reset() }
    }
}

/// One port entry of SMTP (request = sent to the matched port; see `ServerPortDissector`).
func smtpPortEntry(_ d: SMTPDissector, port: UInt16, viaTLS: Bool) -> ServerPortDissector {
    ServerPortDissector(port: UInt32(port), serverPorts: [25, 587, 465], viaTLS: viaTLS) { packet, data, parent, isRequest, viaTLS throws(Malformed) in
        try d.dissect(&packet, data, parent, isRequest: isRequest, viaTLS: viaTLS)
    }
}

final class SMTPDissector {
    static let ports: [UInt16] = [25, 587]

    struct Fields {
        /// "DATA fragments" of a reassembled message (MailFragments.swift).
        var data = MailFragmentFields()
        var proto = FieldID.textOnly
        var req = FieldID.textOnly
        var rsp = FieldID.textOnly
        var message = FieldID.textOnly
        var commandLine = FieldID.textOnly
        var command = FieldID.textOnly
        var requestParameter = FieldID.textOnly
        var response = FieldID.textOnly
        var responseCode = FieldID.textOnly
        var responseParameter = FieldID.textOnly
        var username = FieldID.textOnly
        var password = FieldID.textOnly
        var usernamePassword = FieldID.textOnly
        var eom = FieldID.textOnly
        var base64Decode = FieldID.textOnly
        var unexpectedCode = FieldID.textOnly
    }
    var hf = Fields()

    // Preferences (tshark's names and defaults).
    let decryption: Preference
    let desegmentLines: Preference
    let desegmentData: Preference

    /// Conversation state, keyed by the TCP 4-tuple.
    let sessions = ConversationTable<SMTPSession>(limits: .init(maxFlows: 1 << 16))
    /// Bytes held by all messages being reassembled.
    let budget = MailReassemblyBudget()

    let imf: NamedDissector
    let tls: NamedDissector
    let textLinesRef: NamedDissector
    lazy var textLines: TextLinesDissector? = textLinesRef.handle?.dissector as? TextLinesDissector

    /// Set while the bytes of a STARTTLS conversation are with the "tls" dissector.
    var inTLSHandoff = false
    /// Reused per packet: the lines of a request classified by the first pass.
    var lines: [SMTPRequestLine] = []

    init(_ r: Registrar) {
        // A session ends with its TCP connection (bounded memory on long captures).
        sessions.followTransport(r.engine)
        let p = r.registerProtocol(name: "Simple Mail Transfer Protocol", shortName: "SMTP", abbrev: "smtp")
        hf.proto = p
        hf.req = r.field("Request", "smtp.req", .boolean, in: p)
        hf.rsp = r.field("Response", "smtp.rsp", .boolean, in: p)
        hf.message = r.field("Message", "smtp.message", .string, in: p)
        hf.commandLine = r.field("Command Line", "smtp.command_line", .string, in: p)
        hf.command = r.field("Command", "smtp.req.command", .string, in: p)
        hf.requestParameter = r.field("Request parameter", "smtp.req.parameter", .string, in: p)
        hf.response = r.field("Response", "smtp.response", .string, in: p)
        hf.responseCode = r.field("Response code", "smtp.response.code", .uint32, .dec,
                                  strings: .values(SMTPDissector.responseCodes), in: p)
        hf.responseParameter = r.field("Response parameter", "smtp.rsp.parameter", .string, in: p)
        hf.username = r.field("Username", "smtp.auth.username", .string, in: p)
        hf.password = r.field("Password", "smtp.auth.password", .string, in: p)
        hf.usernamePassword = r.field("Username/Password", "smtp.auth.username_password", .string, in: p)
        hf.eom = r.field("EOM", "smtp.eom", .none, in: p)
        hf.data = MailFragmentFields.register(r, prefix: "smtp", in: p)
        hf.base64Decode = r.expert("smtp.base64_decode",
                                   "base64 decode failed or is not enabled (check SMTP preferences)",
                                   .warning, .protocol, in: p)
        hf.unexpectedCode = r.expert("smtp.response.code.unexpected", "Unexpected response code in multiline response",
                                     .warning, .protocol, in: p)

        desegmentLines = r.preference("smtp", "desegment_lines",
                                      title: "Reassemble SMTP command and response lines spanning multiple TCP segments",
                                      .bool, default: "TRUE")
        desegmentData = r.preference("smtp", "desegment_data",
                                     title: "Reassemble SMTP DATA commands spanning multiple TCP segments",
                                     .bool, default: "TRUE")
        decryption = r.preference("smtp", "decryption", title: "Decode base-64-encoded AUTH parameters",
                                  .bool, default: "FALSE")
        imf = r.dissector(named: "imf")
        tls = r.dissector(named: "tls")
        textLinesRef = r.dissector(named: "data-text-lines")
        lines.reserveCapacity(32)
    }

    func reset() {
        sessions.removeAll()
    }

    /// Reply codes and their meaning as tshark 4.0 names them (from RFC 2821 and 4954).
    static let responseCodes: [UInt64: String] = [
        211: "System status, or system help reply",
        214: "Help message",
        220: "<domain> Service ready",
        221: "<domain> Service closing transmission channel",
        235: "Authentication successful",
        250: "Requested mail action okay, completed",
        251: "User not local; will forward to <forward-path>",
        252: "Cannot VRFY user, but will accept message and attempt delivery",
        334: "AUTH input",
        354: "Start mail input; end with <CRLF>.<CRLF>",
        421: "<domain> Service not available, closing transmission channel",
        432: "A password transition is needed",
        450: "Requested mail action not taken: mailbox unavailable",
        451: "Requested action aborted: local error in processing",
        452: "Requested action not taken: insufficient system storage",
        454: "Temporary authentication failed",
        500: "Syntax error, command unrecognized",
        501: "Syntax error in parameters or arguments",
        502: "Command not implemented",
        503: "Bad sequence of commands",
        504: "Command parameter not implemented",
        530: "Authentication required",
        534: "Authentication mechanism is too weak",
        535: "Authentication credentials invalid",
        538: "Encryption required for requested authentication mechanism",
        550: "Requested action not taken: mailbox unavailable",
        551: "User not local; please try <forward-path>",
        552: "Requested mail action aborted: exceeded storage allocation",
        553: "Requested action not taken: mailbox name not allowed",
        554: "Transaction failed",
    ]
}
