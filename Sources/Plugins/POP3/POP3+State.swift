import DissectKit

/// Per-conversation POP3 state (tshark's `pop_data_val`). Small and copied in and out of the
/// conversation table; the message being reassembled is a reference.
struct POP3Session {
    /// RETR or TOP sent: the next response may announce the message size.
    var messageRequested = false
    /// STLS sent: a "+OK " reply switches the conversation to TLS (RFC 2595 §4).
    var tlsRequested = false
    /// Bytes of message data seen since the announcing "+OK n octets" line, and the size it
    /// announced (tshark counts every continuation segment, dot-stuffing and the final ".\r\n"
    /// included, against the announced size).
    var readLength: UInt64 = 0
    var totalLength: UInt64 = 0
    /// First frame carried by TLS (0: none).
    var tlsFromFrame: UInt32 = 0
    var message: MailMessage?
}

