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
    /// when new. Valid until the next call.
    func stream(src: Address, srcPort: UInt16, dst: Address, dstPort: UInt16, now: Timestamp) -> (slot: Int, index: UInt32) {
        let key = FlowLookup(src: src, srcPort: srcPort, dst: dst, dstPort: dstPort, proto: 17).key
        let nanos = now.seconds &* 1_000_000_000 &+ Int64(now.nanoseconds)
        if let slot = table.lookup(key) {
            table.touch(slot, now: nanos)
            return (slot, table[slot].index)
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
