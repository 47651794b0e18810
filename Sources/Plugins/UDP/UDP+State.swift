import DissectKit

/// UDP conversations: tshark numbers each new address/port pair (either direction) with the
/// next `udp.stream` index and times its frames from the first one seen. Kept in the shared
/// bounded `ConversationTable` (least recently seen conversations go first past the limit).
final class UDPStreamTable {
    struct Stream {
        var index: UInt32
        var first: Timestamp
        var previous: Timestamp
    }

    private let table = ConversationTable<Stream>()
    private var nextIndex: UInt32 = 0

    func reset() {
        table.removeAll()
        nextIndex = 0
    }

    /// The slot and `udp.stream` index of this packet's conversation, created at time `now`
    /// when new. Valid until the next call. Without a stream of its own address/port pair, a
    /// packet that falls under a conversation binding with an open port (a TFTP transfer) shares
    /// that binding's stream, as tshark's wildcard conversations do.
    func stream(src: Address, srcPort: UInt16, dst: Address, dstPort: UInt16, now: Timestamp,
                bindings: ConversationDissectors) -> (slot: Int, index: UInt32) {
        var key = FlowLookup(src: src, srcPort: srcPort, dst: dst, dstPort: dstPort, proto: 17).key
        let nanos = now.seconds &* 1_000_000_000 &+ Int64(now.nanoseconds)
        if let slot = table.lookup(key) {
            table.touch(slot, now: nanos)
            return (slot, table[slot].index)
        }
        if !bindings.isEmpty,
           let b = bindings.findOpen(transport: 17, src: src, srcPort: srcPort, dst: dst, dstPort: dstPort) {
            // Family 0xff marks a binding's key: it never equals an address pair's.
            key = FlowKey(addressA: FlowAddress(family: 0xff, hi: 0, lo: UInt64(b.id)),
                          addressB: FlowAddress(family: 0xff, hi: 0, lo: 0), portA: 0, portB: 0, proto: 17)
            if let slot = table.lookup(key) {
                table.touch(slot, now: nanos)
                return (slot, table[slot].index)
            }
        }
        let s = Stream(index: nextIndex, first: now, previous: now)
        nextIndex &+= 1
        return (table.insert(key, s, now: nanos), s.index)
    }

    /// Times since the stream's first and previous frame; makes `now` the previous one.
    /// tshark only does this for datagrams that carry a payload.
    func times(_ slot: Int, now: Timestamp) -> (relative: Timestamp, delta: Timestamp) {
        table.withState(slot) { s in
            let result = (now - s.first, now - s.previous)
            s.previous = now
            return result
        }
    }
}
