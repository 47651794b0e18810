import DissectKit

/// A request seen on the first pass: what its responses (and the ACK of an INVITE) refer to.
struct SIPTransaction {
    var requestFrame: UInt32
    var requestTime: Timestamp
    /// Hash of the request's method (the CSeq method of its responses).
    var methodHash: UInt64
}

/// Requests and the messages already seen, keyed by Call-ID and CSeq (hashed, so no string is
/// kept per packet). Bounded: past `capacity` entries the table starts afresh, as a capture of
/// that many open transactions has long forgotten the old ones.
final class SIPTransactionTable {
    struct Key: Hashable {
        var callID: UInt64
        var cseq: UInt32
        var methodHash: UInt64
    }

    /// One message for resend detection: the same request (or response with the same status)
    /// in the same direction.
    struct MessageKey: Hashable {
        var key: Key
        var status: UInt32
        var srcPortHash: UInt64
    }

    private var requests: [Key: SIPTransaction] = [:]
    /// INVITE transactions by Call-ID and CSeq number, for the ACK.
    private var invites: [Key: SIPTransaction] = [:]
    private var seen: [MessageKey: UInt32] = [:]
    let capacity: Int

    init(capacity: Int = 1 << 15) { self.capacity = capacity }

    func reset() {
        requests.removeAll()
        invites.removeAll()
        seen.removeAll()
    }

    /// The first frame that carried this message, when `frame` repeats it (tshark's resend check).
    func firstFrame(of m: MessageKey, frame: UInt32) -> UInt32? {
        if let f = seen[m] { return f == frame ? nil : f }
        if seen.count >= capacity { seen.removeAll() }
        seen[m] = frame
        return nil
    }

    func noteRequest(_ key: Key, _ t: SIPTransaction, isInvite: Bool) {
        if requests[key] != nil { return }
        if requests.count >= capacity { requests.removeAll(); invites.removeAll() }
        requests[key] = t
        if isInvite { invites[Key(callID: key.callID, cseq: key.cseq, methodHash: 0)] = t }
    }

    func request(_ key: Key) -> SIPTransaction? { requests[key] }

    func invite(callID: UInt64, cseq: UInt32) -> SIPTransaction? {
        invites[Key(callID: callID, cseq: cseq, methodHash: 0)]
    }
}
