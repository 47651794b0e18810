import DissectKit

/// What the client side of an SMTP conversation is sending.
enum SMTPMode: UInt8 {
    /// Command lines.
    case commands
    /// Message data after DATA, until the "." line.
    case data
    /// The bytes of a BDAT chunk (RFC 3030), counted down in `SMTPSession.chunkRemaining`.
    case chunk
}

/// AUTH exchange states (tshark's `smtp_auth_state_t`, RFC 4954).
enum SMTPAuthState: UInt8 {
    case none
    /// "AUTH LOGIN" sent, waiting for the username prompt.
    case start
    case usernameRequested, usernameSent, passwordRequested, passwordSent
    /// "AUTH PLAIN" without an initial response, waiting for 334.
    case plainStartRequested
    /// "AUTH PLAIN <credentials>" sent.
    case plainCredentialsSent
    /// 334 received after "AUTH PLAIN": the next client line holds the credentials.
    case plainRequested
    case plainSent
    case ntlmRequested, ntlmChallenge, ntlmSent
    case succeeded, failed

    /// True while the server waits for the client's next AUTH line (not a command).
    var awaitsClientLine: Bool {
        self == .usernameRequested || self == .passwordRequested || self == .plainRequested || self == .ntlmChallenge
    }
}

/// Per-conversation SMTP state. Small and copied in and out of the conversation table; the
/// message being reassembled is a reference.
struct SMTPSession {
    var mode: SMTPMode = .commands
    var auth: SMTPAuthState = .none
    /// Frames of the AUTH exchange (tshark decodes client lines only inside it).
    var firstAuthFrame: UInt32 = 0
    var lastAuthFrame: UInt32 = 0
    /// The last line of the previous DATA segment ended with CRLF, so a segment starting with
    /// ".\r\n" ends the message.
    var crlfSeen = false
    /// Our fix of tshark's DATA handling: DATA only switches to message data once the server
    /// accepts it with 354 (a 503/554 keeps the conversation in command mode).
    var dataPending = false
    /// Final replies still due before the reply to DATA (pipelined commands, RFC 2920).
    var repliesBeforeData = 0
    /// Commands sent whose final reply has not been seen.
    var pendingReplies = 0
    /// STARTTLS sent; a 220 reply switches the conversation to TLS.
    var awaitingStartTLS = false
    /// First frame carried by TLS after STARTTLS (0: none).
    var tlsFromFrame: UInt32 = 0
    /// Remaining bytes of the current BDAT chunk, and whether it is the LAST one.
    var chunkRemaining: UInt64 = 0
    var chunkIsLast = false
    var message: MailMessage?

    mutating func appendFragment(_ v: ByteView, frame: UInt32, budget: MailReassemblyBudget) {
        if message == nil { message = MailMessage(budget: budget) }
        message!.append(v, frame: frame)
    }
}

/// How the first pass classified one line of a client packet.
enum SMTPLineKind: UInt8 {
    case command
    /// AUTH LOGIN username / password lines.
    case username, password
    /// AUTH PLAIN credentials sent after a 334.
    case credentials
    /// "AUTH LOGIN <username>" / "AUTH PLAIN <credentials>".
    case authLoginCommand, authPlainCommand
    /// NTLM exchange lines (shown as plain command lines).
    case ntlm
    /// Bytes of a BDAT chunk.
    case chunk
}

/// One line of a client packet: where it is and what it is.
struct SMTPRequestLine {
    var offset: Int
    var length: Int
    var next: Int
    var kind: SMTPLineKind
    /// This chunk (or "BDAT 0 LAST") ends the message.
    var completes = false
}
