import DissectKit

/// The Protocol and Info columns IMF writes.
enum IMFInfo {
    /// tshark appends "/IMF" to the protocol that carried the message ("SMTP/IMF", "IMAP/IMF",
    /// "SMTP/IMF/IMF" for an attached message). The common results are literals, so setting the
    /// column allocates nothing.
    static func protocolColumn(after current: String) -> String {
        switch current {
        case "SMTP": return "SMTP/IMF"
        case "IMAP": return "IMAP/IMF"
        case "SMTP/IMF": return "SMTP/IMF/IMF"
        case "IMAP/IMF": return "IMAP/IMF/IMF"
        case "": return "/IMF"
        default: return current + "/IMF"
        }
    }

    /// "from: <value>, " and "subject: <value>, " as tshark writes them (the header name in lower
    /// case, the value as `format_text` shows it). RFC 2047 encoded words are shown decoded
    /// (our addition); plain values are copied without building a String.
    static func appendHeader(_ packet: inout PacketContext, _ key: [UInt8], _ data: ByteView, _ offset: Int,
                             _ length: Int) {
        let len = max(0, length)
        let info = packet.info
        info.appendCapped(bytes: key)
        info.appendCapped(": ")
        if MIMEDecode.hasEncodedWord(data, offset, len), let decoded = MIMEDecode.decodeHeader(data, offset, len) {
            var out = [UInt8]()
            MailLabel.appendFormatted(&out, Array(decoded.utf8), asciiOnly: false)
            info.appendCapped(bytes: out)
        } else {
            info.appendFormatted(data, offset, len, asciiOnly: false)
        }
        info.appendCapped(", ")
    }
}
