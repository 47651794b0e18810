import DissectKit

/// 32 bytes (a hello random), stored inline so a session allocates nothing for it.
struct TLSRandom: Equatable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}

    init(_ v: ByteView, at offset: Int) {
        guard v.has(offset, 32) else { return }
        withUnsafeMutableBytes(of: &words) { p in
            for i in 0..<32 { p[i] = v[unchecked: offset + i] }
        }
    }

    static func == (a: TLSRandom, b: TLSRandom) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    /// The bytes, for a decryptor (never on the dissection path).
    var bytes: [UInt8] { withUnsafeBytes(of: words) { Array($0) } }
}

/// A handshake message that continues in a later record of the same direction (tshark's
/// `tls_hs_reassembly_table`): the bytes gathered so far and the frames they came in.
final class TLSHandshakeFragments {
    /// Upper bound of a message we gather (the 24-bit length allows 16 MiB; real ones are far
    /// smaller): longer messages are shown as fragments only, so memory stays bounded.
    static let maxMessage = 1 << 20
    var bytes: [UInt8] = []
    var parts: [ReassembledPart] = []
    let messageType: UInt8

    init(messageType: UInt8) { self.messageType = messageType }

    /// Total length of the message (header included) once the 4-byte header is in, else nil.
    var messageLength: Int? {
        guard bytes.count >= 4 else { return nil }
        return 4 + (Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3]))
    }
}

/// One direction of a TLS conversation.
struct TLSDirection {
    /// Frame of the last ChangeCipherSpec sent this way (0: none): handshake records after it are
    /// encrypted (tshark's `client_ccs_frame` / `server_ccs_frame`).
    var ccsFrame: UInt32 = 0
    /// A handshake message being gathered across records.
    var fragments: TLSHandshakeFragments?
}

/// What a TLS conversation has negotiated so far, in the clear (tshark's `SslSession` plus the
/// parts of `SslDecryptSession` that need no keys).
///
/// Decryption seam (a later issue adds it): a decryptor keys its secrets by `clientRandom`
/// (NSS key log `CLIENT_RANDOM`/TLS 1.3 traffic secrets, pcapng Decryption Secrets Blocks) or
/// by `sessionID`/the RSA pre-master secret of the ClientKeyExchange, derives keys with
/// `cipherSuite` and `version`, and then needs, per direction, the record sequence number and
/// cipher state from the `ccsFrame` (TLS ≤ 1.2) or the ServerHello (TLS 1.3) on. It would live
/// beside this state (an optional per-conversation object) and be asked by
/// `TLSDissector.record(…)` for the plaintext of a record before the content is dissected;
/// decrypted bytes then become a "Decrypted TLS" data source and application data is handed to
/// `appProtocol` (or the `tls.port` table / heuristics) exactly where "Application Data" is
/// shown now.
struct TLSSession {
    /// Negotiated version as tshark tracks it (0: not known yet; 0x0002 SSL 2.0; 0x0304 for
    /// every TLS 1.3 draft too).
    var version: UInt16 = 0
    /// Side (`FlowLookup.side`) of the server, -1 while unknown (tshark's `srv_addr`/`srv_port`).
    var serverSide: Int8 = -1
    var cipherSuite: UInt16 = 0
    var compression: UInt8 = 0
    var clientRandom = TLSRandom()
    var serverRandom = TLSRandom()
    var sessionIDLength: UInt8 = 0
    var sessionID = TLSRandom()
    /// ClientHello offered early data (TLS 1.3 0-RTT): the conversation is TLS 1.3 from then on.
    var hasEarlyData = false
    /// The ServerHello echoed the client's session id: the ChangeCipherSpec resumes a session.
    var resumed = false
    /// SSL 2.0: the ClientMasterKey was sent, what follows is encrypted.
    var v2MasterKeySent = false
    /// Set when the TCP heuristic took the conversation (tshark's conversation dissector).
    var claimed = false
    /// The application protocol that handed the conversation over after STARTTLS (tshark's
    /// `app_handle` set by `ssl_starttls_ack`).
    var appProtocol: FieldID? = nil
    var client = TLSDirection()
    var server = TLSDirection()

    subscript(fromServer fromServer: Bool) -> TLSDirection {
        get { fromServer ? server : client }
        set { if fromServer { server = newValue } else { client = newValue } }
    }
}

/// Short names of versions for the Protocol column and record lines (tshark's
/// `ssl_version_short_names`); nil for versions it does not name.
enum TLSVersionName {
    static func short(_ v: UInt16) -> StaticString? {
        switch v {
        case 0x0002: return "SSLv2"
        case 0x0300: return "SSLv3"
        case 0x0301: return "TLSv1"
        case 0x0302: return "TLSv1.1"
        case 0x0303: return "TLSv1.2"
        case 0x0304: return "TLSv1.3"
        case 0x0101: return "GMTLS"
        case 0xfeff: return "DTLSv1.0"
        case 0xfefd: return "DTLSv1.2"
        case 0x0100: return "DTLS 1.0 (OpenSSL pre 0.9.8f)"
        default: return nil
        }
    }

    /// tshark's `tls_try_get_version`: the version a message makes authoritative (TLS 1.3
    /// drafts count as 1.3), or 0 when it names none TLS knows.
    static func negotiated(_ v: UInt16) -> UInt16 {
        switch v {
        case 0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0101: return v
        case 0x7f0e...0x7f1c, 0xfb17, 0xfb1a: return 0x0304
        default: return 0
        }
    }
}
