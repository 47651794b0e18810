/// Per-conversation state for a transport protocol, keyed by a compact `FlowKey`, with bounded
/// memory: a conversation that has ended (FIN both ways or RST, as the owner reports it) is
/// released once nothing was seen on it for `closedLinger` of capture time; with an
/// `idleTimeout` (connectionless protocols, which never end) any conversation is released
/// after that long without a packet; and when more than `maxFlows` are alive the least
/// recently seen ones are dropped.
///
/// Memory therefore follows the number of *live* flows, not the number of packets. States are
/// structs stored in one contiguous array and mutated in place through `subscript(slot:)`, so
/// the per-packet path hashes one key and allocates nothing.
///
/// A slot index stays valid until the next call to `insert`, `expire` or `removeAll`; callers
/// look up, work on the state, and drop the index before the next packet.
public final class ConversationTable<State> {
    public struct Limits: Sendable {
        /// Live conversations kept at most; beyond that the least recently seen are evicted.
        public var maxFlows: Int
        /// How long (capture time, nanoseconds) an ended conversation is kept after its last
        /// packet, so late ACKs, retransmitted FINs and RSTs still find it.
        public var closedLinger: Int64
        /// Capture time (nanoseconds) after which a conversation without packets is released
        /// even if it never ended (nil: never).
        public var idleTimeout: Int64?

        /// 30 s of linger covers late ACKs and retransmitted FINs (seconds after the end, at
        /// most an RTO or two) while a busy capture keeps only half a minute of ended flows.
        public init(maxFlows: Int = 1 << 20, closedLinger: Int64 = 30 * 1_000_000_000, idleTimeout: Int64? = nil) {
            self.maxFlows = max(1, maxFlows)
            self.closedLinger = max(0, closedLinger)
            self.idleTimeout = idleTimeout.map { max(0, $0) }
        }
    }

    @usableFromInline
    struct Slot {
        @usableFromInline var key: FlowKey
        @usableFromInline var state: State?
        @usableFromInline var lastSeen: Int64
        @usableFromInline var closed: Bool
        /// Bumped on every reuse, so stale entries in the closing queue are recognised.
        @usableFromInline var generation: UInt32
    }

    private struct Closing {
        var slot: Int32
        var generation: UInt32
        var at: Int64
    }

    public let limits: Limits
    @usableFromInline var slots: ContiguousArray<Slot> = []
    private var index: [FlowKey: Int32] = [:]
    private var freeSlots: [Int32] = []
    private var closing: [Closing] = []
    private var closingHead = 0
    /// With an idle timeout: every conversation, oldest activity first (re-queued when seen
    /// again), so expiry looks only at the head.
    private var idling: [Closing] = []
    private var idlingHead = 0
    /// Capture time after which the oldest ended conversation may be released (`.max`: none).
    @usableFromInline var nextExpiry: Int64 = .max

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Number of live conversations.
    public var count: Int { index.count }

    /// The slot of the conversation stored under `key`, if any.
    @inlinable
    public func lookup(_ key: FlowKey) -> Int? {
        lookupSlot(key)
    }

    @usableFromInline
    func lookupSlot(_ key: FlowKey) -> Int? {
        index[key].map { Int($0) }
    }

    /// Stores `state` as the conversation of `key`, replacing (and releasing) any earlier one:
    /// a new connection on a reused 4-tuple starts from scratch, as tshark's `conversation_new`.
    @discardableResult
    public func insert(_ key: FlowKey, _ state: State, now: Int64) -> Int {
        if let old = index[key] {
            release(Int(old))
        } else if index.count >= limits.maxFlows {
            expire(now: now)
            if index.count >= limits.maxFlows { evictLeastRecentlySeen() }
        }
        let slot: Int
        if let f = freeSlots.popLast() {
            slot = Int(f)
            slots[slot].key = key
            slots[slot].state = state
            slots[slot].lastSeen = now
            slots[slot].closed = false
            slots[slot].generation &+= 1
        } else {
            slot = slots.count
            slots.append(Slot(key: key, state: state, lastSeen: now, closed: false, generation: 0))
        }
        index[key] = Int32(slot)
        if let idle = limits.idleTimeout {
            idling.append(Closing(slot: Int32(slot), generation: slots[slot].generation, at: now))
            if idlingHead == idling.count - 1 { nextExpiry = min(nextExpiry, now &+ idle) }
        }
        return slot
    }

    /// The state in `slot`, mutable in place.
    @inlinable
    public subscript(slot: Int) -> State {
        get { slots[slot].state! }
        _modify { yield &slots[slot].state! }
    }

    /// Runs `body` on the state in `slot`, in place.
    @inlinable
    public func withState<R>(_ slot: Int, _ body: (inout State) throws -> R) rethrows -> R {
        try body(&slots[slot].state!)
    }

    /// Records activity on the conversation (capture time in nanoseconds).
    @inlinable
    public func touch(_ slot: Int, now: Int64) {
        if now > slots[slot].lastSeen { slots[slot].lastSeen = now }
    }

    /// Marks the conversation as ended; it is released `closedLinger` after its last packet.
    public func markClosed(_ slot: Int, now: Int64) {
        touch(slot, now: now)
        guard !slots[slot].closed else { return }
        slots[slot].closed = true
        closing.append(Closing(slot: Int32(slot), generation: slots[slot].generation, at: slots[slot].lastSeen))
        updateNextExpiry()
    }

    /// Ends this table's conversations with the transport's: when the transport reports a
    /// connection closed (`Engine.transportClosed`), the conversation stored under the same key
    /// is marked closed here (released `closedLinger` after its last packet), and ended ones
    /// that are due are released. For application tables keyed like their transport's flows.
    public func followTransport(_ engine: Engine) {
        engine.onTransportClosed { [weak self] key, now in
            guard let self else { return }
            if let s = self.lookup(key) { self.markClosed(s, now: now) }
            self.expire(now: now)
        }
    }

    /// True when the conversation was marked as ended.
    public func isClosed(_ slot: Int) -> Bool { slots[slot].closed }

    /// Releases ended conversations whose last packet is older than `closedLinger`.
    /// Call it before looking up the packet's conversation; it costs one comparison when
    /// nothing is due.
    @inlinable
    public func expire(now: Int64) {
        if now > nextExpiry { expireDue(now: now) }
    }

    @usableFromInline
    func expireDue(now: Int64) {
        while closingHead < closing.count {
            let c = closing[closingHead]
            guard c.at &+ limits.closedLinger < now else { break }
            closingHead += 1
            let s = Int(c.slot)
            guard s < slots.count, slots[s].generation == c.generation, slots[s].closed, slots[s].state != nil else {
                continue
            }
            if slots[s].lastSeen &+ limits.closedLinger < now {
                index[slots[s].key] = nil
                release(s)
            } else {
                // Seen again since it ended: check again one linger after that packet.
                closing.append(Closing(slot: c.slot, generation: c.generation, at: slots[s].lastSeen))
            }
        }
        if closingHead > 1024 && closingHead * 2 > closing.count {
            closing.removeFirst(closingHead)
            closingHead = 0
        }
        if let idle = limits.idleTimeout {
            while idlingHead < idling.count {
                let c = idling[idlingHead]
                guard c.at &+ idle < now else { break }
                idlingHead += 1
                let s = Int(c.slot)
                guard s < slots.count, slots[s].generation == c.generation, slots[s].state != nil else { continue }
                if slots[s].lastSeen &+ idle < now {
                    index[slots[s].key] = nil
                    release(s)
                } else {
                    idling.append(Closing(slot: c.slot, generation: c.generation, at: slots[s].lastSeen))
                }
            }
            if idlingHead > 1024 && idlingHead * 2 > idling.count {
                idling.removeFirst(idlingHead)
                idlingHead = 0
            }
        }
        updateNextExpiry()
    }

    private func updateNextExpiry() {
        nextExpiry = closingHead < closing.count ? closing[closingHead].at &+ limits.closedLinger : .max
        if let idle = limits.idleTimeout, idlingHead < idling.count {
            nextExpiry = min(nextExpiry, idling[idlingHead].at &+ idle)
        }
    }

    /// Drops every conversation.
    public func removeAll() {
        index.removeAll()
        slots.removeAll()
        freeSlots.removeAll()
        closing.removeAll()
        closingHead = 0
        idling.removeAll()
        idlingHead = 0
        nextExpiry = .max
    }

    private func release(_ slot: Int) {
        slots[slot].state = nil
        slots[slot].closed = false
        slots[slot].generation &+= 1
        freeSlots.append(Int32(slot))
    }

    /// Evicts the least recently seen sixteenth of the live conversations (at least one), so a
    /// table at its limit pays for one sort per `maxFlows / 16` new flows.
    private func evictLeastRecentlySeen() {
        var times: [Int64] = []
        times.reserveCapacity(index.count)
        for s in slots where s.state != nil { times.append(s.lastSeen) }
        guard !times.isEmpty else { return }
        times.sort()
        let quota = max(1, times.count / 16)
        let cutoff = times[quota - 1]
        var evicted = 0
        for i in slots.indices where evicted < quota && slots[i].state != nil && slots[i].lastSeen <= cutoff {
            index[slots[i].key] = nil
            release(i)
            evicted += 1
        }
    }
}
