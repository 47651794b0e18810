import DissectKit

/// Internet Message Format (RFC 5322): the message SMTP carries after DATA and IMAP returns in
/// FETCH literals. Registered as the named dissector "imf" and for `message/rfc822` bodies.
public enum IMFPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = IMFDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerDissector("imf", h)
        r.table("media_type", uiName: "Internet media type").add("message/rfc822", h)
    }
}

/// How tshark parses a header's value (`imf_fields` subdissectors).
enum IMFHeaderFormat {
    case unstructured, mailbox, mailboxList, addressList, contentType, transferEncoding, received
}

/// One known header: its lower-case name, field and format, and whether it goes to Info.
struct IMFHeader {
    let key: [UInt8]
    let field: FieldID
    let format: IMFHeaderFormat
    let addToInfo: Bool
}

final class IMFDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var contentType = FieldID.textOnly
        var contentTypeType = FieldID.textOnly
        var contentTypeParameters = FieldID.textOnly
        var contentTransferEncoding = FieldID.textOnly
        var received = FieldID.textOnly
        var extensionItem = FieldID.textOnly
        var extensionType = FieldID.textOnly
        var extensionValue = FieldID.textOnly
        var displayName = FieldID.textOnly
        var address = FieldID.textOnly
        var addressListItem = FieldID.textOnly
        var mailboxListItem = FieldID.textOnly
        var siolabel = FieldID.textOnly
        var messageText = FieldID.textOnly
        var unknownParam = FieldID.textOnly
        // Not in tshark 4.0: RFC 2047 and Received parsing (see Tests/Fixtures/DIVERGENCES.md).
        var encodedText = FieldID.textOnly
        var receivedFrom = FieldID.textOnly
        var receivedFromComment = FieldID.textOnly
        var receivedIP = FieldID.textOnly
        var receivedBy = FieldID.textOnly
        var receivedByComment = FieldID.textOnly
        var receivedVia = FieldID.textOnly
        var receivedWith = FieldID.textOnly
        var receivedID = FieldID.textOnly
        var receivedFor = FieldID.textOnly
        var receivedDate = FieldID.textOnly
        var receivedNoBy = FieldID.textOnly
        var decodedText = FieldID.textOnly
    }
    var hf = Fields()
    /// Known headers by lower-case name.
    var headers: [[UInt8]: IMFHeader] = [:]
    let mediaRef: NamedDissector
    lazy var media: MediaDissector? = mediaRef.handle?.dissector as? MediaDissector

    init(_ r: Registrar) {
        mediaRef = r.dissector(named: "media")
        let p = r.registerProtocol(name: "Internet Message Format", shortName: "IMF", abbrev: "imf")
        hf.proto = p
        func header(_ name: String, _ abbrev: String, _ key: String, _ format: IMFHeaderFormat = .unstructured,
                    info: Bool = false, blurb: String = "") -> FieldID {
            let f = r.field(name, abbrev, .string, blurb: blurb, in: p)
            let k = Array(key.utf8)
            headers[k] = IMFHeader(key: k, field: f, format: format, addToInfo: info)
            return f
        }
        // Order and names as `tshark -G fields` lists them.
        _ = header("Date", "imf.date", "date", blurb: "DateTime")
        _ = header("From", "imf.from", "from", .mailboxList, info: true, blurb: "MailboxList")
        _ = header("Sender", "imf.sender", "sender", .mailbox)
        _ = header("Reply-To", "imf.reply_to", "reply-to", .addressList)
        _ = header("To", "imf.to", "to", .addressList)
        _ = header("Cc", "imf.cc", "cc", .addressList)
        _ = header("Bcc", "imf.bcc", "bcc", .addressList)
        _ = header("Message-ID", "imf.message_id", "message-id")
        _ = header("In-Reply-To", "imf.in_reply_to", "in-reply-to")
        _ = header("References", "imf.references", "references")
        _ = header("Subject", "imf.subject", "subject", info: true)
        _ = header("Comments", "imf.comments", "comments")
        _ = header("User-Agent", "imf.user_agent", "user-agent")
        _ = header("Keywords", "imf.keywords", "keywords")
        _ = header("Resent-Date", "imf.resent.date", "resent-date")
        _ = header("Resent-From", "imf.resent.from", "resent-from", .mailboxList)
        _ = header("Resent-Sender", "imf.resent.sender", "resent-sender", .mailbox)
        _ = header("Resent-To", "imf.resent.to", "resent-to", .addressList)
        _ = header("Resent-Cc", "imf.resent.cc", "resent-cc", .addressList)
        _ = header("Resent-Bcc", "imf.resent.bcc", "resent-bcc", .addressList)
        _ = header("Resent-Message-ID", "imf.resent.message_id", "resent-message-id")
        _ = header("Return-Path", "imf.return_path", "return-path")
        hf.received = header("Received", "imf.received", "received", .received)
        hf.contentType = header("Content-Type", "imf.content.type", "content-type", .contentType)
        hf.contentTypeType = r.field("Type", "imf.content.type.type", .string, in: p)
        hf.contentTypeParameters = r.field("Parameters", "imf.content.type.parameters", .string, in: p)
        _ = header("Content-Description", "imf.content.description", "content-description")
        _ = header("Content-ID", "imf.content.id", "content-id")
        hf.contentTransferEncoding = header("Content-Transfer-Encoding", "imf.content.transfer_encoding",
                                            "content-transfer-encoding", .transferEncoding)
        _ = header("MIME-Version", "imf.mime_version", "mime-version")
        // MIXER, RFC 2156.
        _ = header("Autoforwarded", "imf.autoforwarded", "autoforwarded")
        _ = header("Autosubmitted", "imf.autosubmitted", "autosubmitted")
        _ = header("X400-Content-Identifier", "imf.x400_content_identifier", "x400-content-identifier")
        _ = header("Content-Language", "imf.content_language", "content-language")
        _ = header("Conversion", "imf.conversion", "conversion")
        _ = header("Conversion-With-Loss", "imf.conversion_with_loss", "conversion-with-loss")
        _ = header("Delivery-Date", "imf.delivery_date", "delivery-date")
        _ = header("Discarded-X400-IPMS-Extensions", "imf.discarded_x400_ipms_extensions",
                   "discarded-x400-ipms-extensions")
        _ = header("Discarded-X400-MTS-Extensions", "imf.discarded_x400_mts_extensions",
                   "discarded-x400-mts-extensions")
        _ = header("DL-Expansion-History", "imf.dl_expansion_history", "dl-expansion-history")
        _ = header("Deferred-Delivery", "imf.deferred_delivery", "deferred-delivery")
        _ = header("Expires", "imf.expires", "expires")
        _ = header("Importance", "imf.importance", "importance")
        _ = header("Incomplete-Copy", "imf.incomplete_copy", "incomplete-copy")
        _ = header("Latest-Delivery-Time", "imf.latest_delivery_time", "latest-delivery-time")
        _ = header("Message-Type", "imf.message_type", "message-type")
        _ = header("Original-Encoded-Information-Types", "imf.original_encoded_information_types",
                   "original-encoded-information-types")
        _ = header("Originator-Return-Address", "imf.originator_return_address", "originator-return-address")
        _ = header("Priority", "imf.priority", "priority")
        _ = header("Reply-By", "imf.reply_by", "reply-by")
        _ = header("Sensitivity", "imf.sensitivity", "sensitivity")
        _ = header("Supersedes", "imf.supersedes", "supersedes")
        _ = header("X400-Content-Type", "imf.x400_content_type", "x400-content-type")
        _ = header("X400-MTS-Identifier", "imf.x400_mts_identifier", "x400-mts-identifier")
        _ = header("X400-Originator", "imf.x400_originator", "x400-originator")
        _ = header("X400-Received", "imf.x400_received", "x400-received")
        _ = header("X400-Recipients", "imf.x400_recipients", "x400-recipients")
        _ = header("Delivered-To", "imf.delivered_to", "delivered-to", .mailbox)
        _ = header("X-Mailer", "imf.ext.mailer", "x-mailer")
        _ = header("X-MimeOLE", "imf.ext.mimeole", "x-mimeole")
        _ = header("Expiry-Date", "imf.ext.expiry-date", "expiry-date")
        _ = header("X-MS-TNEF-Correlator", "imf.ext.tnef-correlator", "x-ms-tnef-correlator")
        _ = header("X-UIDL", "imf.ext.uidl", "x-uidl")
        _ = header("X-Authentication-Warning", "imf.ext.authentication_warning", "x-authentication-warning")
        _ = header("X-Virus-Scanned", "imf.ext.virus_scanned", "x-virus-scanned")
        _ = header("X-Original-To", "imf.ext.original-to", "x-original-to", .addressList)
        _ = header("Thread-Index", "imf.thread-index", "thread-index")
        _ = header("Lines", "imf.lines", "lines")
        _ = header("Precedence", "imf.precedence", "precedence")
        hf.extensionItem = r.field("Unknown-Extension", "imf.extension", .string, in: p)
        hf.extensionType = r.field("Type", "imf.extension.type", .string, in: p)
        hf.extensionValue = r.field("Value", "imf.extension.value", .string, in: p)
        hf.displayName = r.field("Display-Name", "imf.display_name", .string, in: p)
        hf.address = r.field("Address", "imf.address", .string, in: p)
        hf.addressListItem = r.field("Item", "imf.address_list.item", .string, in: p)
        hf.mailboxListItem = r.field("Item", "imf.mailbox_list.item", .string, in: p)
        // draft-zeilenga-email-seclabel: registered for filter compatibility; shown as plain text.
        hf.siolabel = r.field("SIO-Label", "imf.siolabel", .none, in: p)
        _ = r.field("Marking", "imf.siolabel.marking", .string, in: p)
        _ = r.field("Foreground Color", "imf.siolabel.fgcolor", .string, in: p)
        _ = r.field("Background Color", "imf.siolabel.bgcolor", .string, in: p)
        _ = r.field("Type", "imf.siolabel.type", .string, in: p)
        _ = r.field("Label", "imf.siolabel.label", .string, in: p)
        _ = r.field("Unknown parameter", "imf.siolabel.unknown", .string, in: p)
        hf.messageText = r.field("Message-Text", "imf.message_text", .none, in: p)
        hf.unknownParam = r.expert("imf.unknown_param", "Unknown parameter", .error, .protocol, in: p)

        hf.encodedText = r.field("Encoded text", "imf.encoded_text", .string,
                                 blurb: "The header value as sent, before RFC 2047 encoded-word decoding", in: p)
        hf.receivedFrom = r.field("From", "imf.received.from", .string,
                                  blurb: "Received: the name the sending host gave (HELO/EHLO)", in: p)
        hf.receivedFromComment = r.field("From (TCP info)", "imf.received.from_comment", .string,
                                         blurb: "Received: what the receiving host saw (reverse name, IP)", in: p)
        hf.receivedIP = r.field("Sender IP", "imf.received.ip", .string,
                                blurb: "Received: the address literal in the from clause", in: p)
        hf.receivedBy = r.field("By", "imf.received.by", .string, blurb: "Received: the receiving host", in: p)
        hf.receivedByComment = r.field("By (comment)", "imf.received.by_comment", .string,
                                       blurb: "Received: comment after the by clause (software, version)", in: p)
        hf.receivedVia = r.field("Via", "imf.received.via", .string, in: p)
        hf.receivedWith = r.field("With", "imf.received.with", .string, blurb: "Received: the protocol used", in: p)
        hf.receivedID = r.field("ID", "imf.received.id", .string,
                                blurb: "Received: the receiving host's queue identifier", in: p)
        hf.receivedFor = r.field("For", "imf.received.for", .string, blurb: "Received: the envelope recipient", in: p)
        hf.receivedDate = r.field("Date", "imf.received.date", .string, blurb: "Received: when the hop happened", in: p)
        hf.decodedText = r.field("Decoded text", "imf.decoded_text", .string,
                                 blurb: "The body's text with its Content-Transfer-Encoding removed", in: p)
        hf.receivedNoBy = r.expert("imf.received.no_by", "Received line without a \"by\" clause (RFC 5321 §4.4)",
                                   .note, .protocol, in: p)
    }
}
