/// Dissectors bound to a conversation at run time: tshark's `conversation_set_dissector`.
///
/// A protocol that learns from one packet that later packets on other ports belong to it (TFTP's
/// transfer on the ephemeral ports after a request to port 69, an FTP data connection, media
/// negotiated by SIP) binds its handle to the endpoints here; the transport (UDP) asks this table
/// before its port tables. A binding joins two endpoints in either direction; the second port may
/// be left open (tshark's `NO_PORT_B`), so the answer from any port of that address matches.
///
/// One table per engine, emptied when the engine resets. Memory is bounded: past `capacity`
/// bindings the oldest are dropped first. Lookups hash one or three small keys and allocate
/// nothing; when no binding exists they cost one comparison.
public final class ConversationDissectors {
    /// A binding found for a packet: the handle to call and a stable id the binding's owner can
    /// key its own per-conversation state by.
    public struct Binding {
        public let id: UInt32
        public let handle: DissectorHandle
    }

    private struct Entry {
        var id: UInt32
        var handle: DissectorHandle
    }

    /// Where a binding sits, for dropping the oldest.
    private struct Slot {
        var key: FlowKey
        var openPort: Bool
        var id: UInt32
    }

    public let capacity: Int
    private var exact: [FlowKey: Entry] = [:]
    /// Keyed by (address A, port A, address B, port 0): B's port is open.
    private var open: [FlowKey: Entry] = [:]
    private var order: [Slot] = []
    private var orderHead = 0
    private var nextID: UInt32 = 1

    public init(capacity: Int = 1 << 16) {
        self.capacity = max(1, capacity)
    }

    /// Number of live bindings.
    public var count: Int { exact.count + open.count }

    @inlinable public var isEmpty: Bool { count == 0 }

    /// Binds `handle` to the packets between `a:aPort` and `b:bPort` (either direction) of IP
    /// protocol `transport`; `bPort == nil` matches any port on `b`'s side (and with `b == .none`,
    /// any peer at all). A new binding for the
    /// same endpoints replaces the old one. Returns the binding's id.
    @discardableResult
    public func bind(_ handle: DissectorHandle, transport: UInt8, _ a: Address, _ aPort: UInt16, _ b: Address,
                     _ bPort: UInt16?) -> UInt32 {
        let id = nextID
        nextID &+= 1
        if nextID == 0 { nextID = 1 }
        let key: FlowKey
        let openPort = bPort == nil
        if let p = bPort {
            key = FlowLookup(src: a, srcPort: aPort, dst: b, dstPort: p, proto: transport).key
            exact[key] = Entry(id: id, handle: handle)
        } else {
            key = Self.openKey(transport, a, aPort, b)
            open[key] = Entry(id: id, handle: handle)
        }
        order.append(Slot(key: key, openPort: openPort, id: id))
        if count > capacity { dropOldest() }
        if order.count - orderHead > 2 * capacity + 64 { compactOrder() }
        return id
    }

    /// The binding of a packet from `src:srcPort` to `dst:dstPort`: a binding of exactly these
    /// endpoints first, then one with an open port on either side (as tshark's `find_conversation`).
    public func find(transport: UInt8, src: Address, srcPort: UInt16, dst: Address, dstPort: UInt16) -> Binding? {
        guard !isEmpty else { return nil }
        if !exact.isEmpty,
           let e = exact[FlowLookup(src: src, srcPort: srcPort, dst: dst, dstPort: dstPort, proto: transport).key] {
            return Binding(id: e.id, handle: e.handle)
        }
        guard !open.isEmpty else { return nil }
        if let e = open[Self.openKey(transport, dst, dstPort, src)] { return Binding(id: e.id, handle: e.handle) }
        if let e = open[Self.openKey(transport, src, srcPort, dst)] { return Binding(id: e.id, handle: e.handle) }
        // Bound with `b == .none` and no port: any peer (tshark's NO_ADDR_B|NO_PORT_B, as media
        // set up by SDP is bound to its receiving address and port only).
        if let e = open[Self.openKey(transport, dst, dstPort, .none)] { return Binding(id: e.id, handle: e.handle) }
        if let e = open[Self.openKey(transport, src, srcPort, .none)] { return Binding(id: e.id, handle: e.handle) }
        return nil
    }

    /// Only a binding with an open port that this packet falls under (tshark's wildcard
    /// conversations, which transports also number their streams by).
    public func findOpen(transport: UInt8, src: Address, srcPort: UInt16, dst: Address, dstPort: UInt16) -> Binding? {
        guard !open.isEmpty else { return nil }
        if let e = open[Self.openKey(transport, dst, dstPort, src)] { return Binding(id: e.id, handle: e.handle) }
        if let e = open[Self.openKey(transport, src, srcPort, dst)] { return Binding(id: e.id, handle: e.handle) }
        return nil
    }

    /// Drops every binding (a new run).
    public func removeAll() {
        exact.removeAll()
        open.removeAll()
        order.removeAll()
        orderHead = 0
    }

    private static func openKey(_ transport: UInt8, _ a: Address, _ aPort: UInt16, _ b: Address) -> FlowKey {
        FlowKey(addressA: FlowAddress(a), addressB: FlowAddress(b), portA: aPort, portB: 0, proto: transport)
    }

    /// Forgets the slots of replaced bindings, so rebinding the same endpoints again and again
    /// keeps the list bounded too.
    private func compactOrder() {
        order = order[orderHead...].filter { s in
            s.openPort ? open[s.key]?.id == s.id : exact[s.key]?.id == s.id
        }
        orderHead = 0
    }

    private func dropOldest() {
        while count > capacity && orderHead < order.count {
            let s = order[orderHead]
            orderHead += 1
            // Skip slots whose binding was replaced since (the newer one has its own slot).
            if s.openPort {
                if open[s.key]?.id == s.id { open[s.key] = nil }
            } else if exact[s.key]?.id == s.id {
                exact[s.key] = nil
            }
        }
        if orderHead > 1024 && orderHead * 2 > order.count {
            order.removeFirst(orderHead)
            orderHead = 0
        }
    }
}

extension PacketContext {
    /// The engine's conversation dissectors (`ConversationDissectors`).
    @inlinable public var conversations: ConversationDissectors { engine.conversationDissectors }
}
