import DissectKit

/// A request seen on the conversation, for "Request In" / "Response Time" on its reply.
struct IMAPRequest {
    /// FNV-1a hash of the lower-cased tag (tshark matches tags without case).
    var tag: UInt64
    var frame: UInt32
    var time: Timestamp
}

/// Per-conversation IMAP state.
struct IMAPSession {
    /// STARTTLS sent: a tagged OK switches the conversation to TLS.
    var sslRequested = false
    /// Packets left to check for TLS without a visible STARTTLS (tshark's `ssl_heur_tries_left`;
    /// -1 when the `imap.ssl_heuristic` preference is off).
    var heuristicTriesLeft: Int8 = 2
    /// First frame carried by TLS (0: none).
    var tlsFromFrame: UInt32 = 0
    /// The most recent requests (a reference, so the session copies in and out of the
    /// conversation table without copying the list).
    let requests = IMAPRequestLog()

    mutating func addRequest(_ r: IMAPRequest) { requests.add(r) }

    /// The latest request with `tag` (tshark's `wmem_tree_lookup32_le` on the tag's frames).
    func request(tag: UInt64) -> IMAPRequest? { requests.latest(tag: tag) }
}

/// A conversation's requests, newest last; bounded (tshark keeps them all).
final class IMAPRequestLog {
    private var entries: [IMAPRequest] = []
    static let capacity = 64

    func add(_ r: IMAPRequest) {
        if entries.count >= Self.capacity { entries.removeFirst(entries.count - Self.capacity + 1) }
        entries.append(r)
    }

    func latest(tag: UInt64) -> IMAPRequest? {
        entries.last { $0.tag == tag }
    }
}

extension MailText {
    /// FNV-1a over the lower-cased bytes of `[offset, offset+length)`: a tag key without a String.
    static func lowercaseHash(_ v: ByteView, _ offset: Int, _ length: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = offset
        let end = min(offset + length, v.count)
        while i < end {
            h = (h ^ UInt64(lower(v[unchecked: i]))) &* 0x100_0000_01b3
            i += 1
        }
        return h
    }
}
