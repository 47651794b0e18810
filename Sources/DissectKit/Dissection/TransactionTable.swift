/// Request/response matching for protocols whose replies name their request by a key (ICMP and
/// ICMPv6 echoes, and any third-party protocol with transaction ids): tshark's "transactions".
///
/// One pass, as tshark reads a file: a request never learns its reply here (with `-2` the reply
/// tells it through `PacketContext.annotate`). A reply matches a request seen earlier with the same
/// key, and only one reply does: a repeated reply is not matched again. Bounded: the table is
/// emptied when it holds `capacity` open requests. Reset it from `Registrar.onReset`.
public final class TransactionTable<Key: Hashable> {
    public struct Request {
        public var frame: UInt32
        public var time: Timestamp
        /// The frame of the reply that matched, 0 before one did.
        public var responseFrame: UInt32 = 0
    }

    private var requests: [Key: Request] = [:]
    public let capacity: Int

    public init(capacity: Int = 1 << 16) { self.capacity = capacity }

    public func reset() { requests.removeAll() }

    /// A request (a later one with the same key replaces it).
    public func request(_ key: Key, frame: UInt32, time: Timestamp) {
        if requests.count >= capacity { requests.removeAll(keepingCapacity: true) }
        requests[key] = Request(frame: frame, time: time)
    }

    /// The request this reply answers, unless another reply already answered it.
    public func reply(_ key: Key, frame: UInt32) -> Request? {
        guard var r = requests[key], r.frame < frame else { return nil }
        if r.responseFrame != 0 && r.responseFrame != frame { return nil }
        r.responseFrame = frame
        requests[key] = r
        return r
    }
}
