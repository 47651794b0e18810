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
    var message: POP3Message?
}

/// A message being reassembled from continuation segments (tshark's `fragment_add_seq_next`
/// list for the conversation).
final class POP3Message {
    var bytes: [UInt8] = []
    var fragments: [(frame: UInt32, length: Int)] = []
    /// Bytes beyond the per-message or global limit were not kept.
    var truncated = false
    let budget: POP3ReassemblyBudget

    init(budget: POP3ReassemblyBudget) { self.budget = budget }
    deinit { budget.used -= bytes.count }

    var totalLength: Int { fragments.reduce(0) { $0 + $1.length } }

    func append(_ v: ByteView, frame: UInt32) {
        fragments.append((frame, v.count))
        guard !truncated else { return }
        if bytes.count + v.count > POP3ReassemblyBudget.maxMessage || budget.used + v.count > budget.limit {
            truncated = true
            return
        }
        bytes.append(contentsOf: v.buffer)
        budget.used += v.count
    }

    /// Hands the bytes over (no copy) and releases them from the budget.
    func take() -> [UInt8] {
        let b = bytes
        budget.used -= bytes.count
        bytes = []
        return b
    }
}

/// Bounds the memory all POP3 reassemblies may hold at once.
final class POP3ReassemblyBudget {
    static let maxMessage = 64 << 20
    var limit = 256 << 20
    var used = 0
}
