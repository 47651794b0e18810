import DissectKit

/// One query and its answer, as tshark tracks them per conversation and transaction ID.
struct DNSTransaction {
    var requestFrame: UInt32
    var responseFrame: UInt32 = 0
    var requestTime: Timestamp
    /// Set when the query asked for a zone transfer (AXFR/IXFR): several responses are normal.
    var multipleResponses = false
}

/// What the tracker tells the tree about a message (tshark's `dns_trans` after its lookup).
struct DNSMatch {
    /// The transaction, or nil (tshark's "fake" transaction with no request frame).
    var transaction: DNSTransaction?
    var retransmission = false
}

/// Request/response matching as tshark 4.0 does it in a single pass: per conversation, the
/// latest transaction of each ID. A query opens a new transaction unless the latest one with its
/// ID is still unanswered and younger than `dns.retransmission_timer` seconds (then it is a
/// retransmission); a response answers the latest transaction with its ID, and a second response
/// to an answered one is a retransmission (unless the query was a zone transfer).
///
/// Conversations live in a bounded `ConversationTable`; most hold one transaction inline, so
/// only resolvers that reuse a port for many IDs allocate a dictionary.
final class DNSTransactionTable {
    struct Conversation {
        var firstID: UInt16
        var first: DNSTransaction
        var more: [UInt16: DNSTransaction]? = nil

        func lookup(_ id: UInt16) -> DNSTransaction? {
            if firstID == id { return first }
            return more?[id]
        }

        mutating func store(_ id: UInt16, _ t: DNSTransaction) {
            if firstID == id {
                first = t
            } else {
                if more == nil { more = [:] }
                more![id] = t
            }
        }
    }

    private let table = ConversationTable<Conversation>(limits: .init(maxFlows: 1 << 16))

    func reset() { table.removeAll() }

    /// Looks the message up (and records it), as tshark's first pass does.
    func track(key: FlowKey, id: UInt16, isResponse: Bool, frame: UInt32, time: Timestamp,
               retransmissionTimer: Double) -> DNSMatch {
        let nanos = time.seconds &* 1_000_000_000 &+ Int64(time.nanoseconds)
        let slot = table.lookup(key)
        if let s = slot { table.touch(s, now: nanos) }
        let latest = slot.flatMap { table[$0].lookup(id) }
        if !isResponse {
            if let t = latest, t.responseFrame == 0, (time - t.requestTime).doubleValue < retransmissionTimer {
                return DNSMatch(transaction: t, retransmission: true)
            }
            let t = DNSTransaction(requestFrame: frame, requestTime: time)
            if let s = slot {
                table.withState(s) { $0.store(id, t) }
            } else {
                table.insert(key, Conversation(firstID: id, first: t), now: nanos)
            }
            return DNSMatch(transaction: t)
        }
        guard var t = latest, let s = slot else { return DNSMatch() }
        if t.responseFrame == 0 {
            t.responseFrame = frame
            table.withState(s) { $0.store(id, t) }
            return DNSMatch(transaction: t)
        }
        return DNSMatch(transaction: t, retransmission: !t.multipleResponses)
    }

    /// Records that the transaction's query asked for a zone transfer (tshark sets this from
    /// every message's question section, responses included).
    func setMultipleResponses(key: FlowKey, id: UInt16, _ value: Bool) {
        guard let s = table.lookup(key) else { return }
        table.withState(s) { c in
            guard var t = c.lookup(id) else { return }
            t.multipleResponses = value
            c.store(id, t)
        }
    }
}
