/// A network address in a fixed-size, hashable form: the address half of a flow key.
///
/// Ordered as tshark's `cmp_address` orders addresses (address type first, then the bytes as
/// unsigned big-endian numbers), because that order decides which side of a conversation is
/// tshark's "flow 1" — and with it, for example, which direction a self-connected socket lands in.
@frozen
public struct FlowAddress: Hashable, Sendable, Comparable {
    /// tshark's `address_type` numbering: 0 none, 1 Ethernet, 2 IPv4, 3 IPv6.
    public var family: UInt8
    public var hi: UInt64
    public var lo: UInt64

    @inlinable
    public init(family: UInt8, hi: UInt64, lo: UInt64) {
        self.family = family
        self.hi = hi
        self.lo = lo
    }

    @inlinable
    public init(_ address: Address) {
        switch address {
        case .none: self.init(family: 0, hi: 0, lo: 0)
        case .ether(let m): self.init(family: 1, hi: 0, lo: m)
        case .ipv4(let v): self.init(family: 2, hi: 0, lo: UInt64(v))
        case .ipv6(let v): self.init(family: 3, hi: v.hi, lo: v.lo)
        case .ipx(let net, let node): self.init(family: 4, hi: UInt64(net), lo: node)
        }
    }

    @inlinable
    public static func < (a: FlowAddress, b: FlowAddress) -> Bool {
        if a.family != b.family { return a.family < b.family }
        if a.hi != b.hi { return a.hi < b.hi }
        return a.lo < b.lo
    }
}

/// The key of a conversation: both endpoints (address + port) in a canonical order, so the two
/// directions of a flow find the same entry. 40 bytes, no heap.
@frozen
public struct FlowKey: Hashable, Sendable {
    /// The endpoint that sorts higher (tshark's `flow1` sender).
    public var addressA: FlowAddress
    public var addressB: FlowAddress
    public var portA: UInt16
    public var portB: UInt16
    /// IP protocol number (6 TCP, 17 UDP…), so one table type can serve several transports.
    public var proto: UInt8

    @inlinable
    public init(addressA: FlowAddress, addressB: FlowAddress, portA: UInt16, portB: UInt16, proto: UInt8) {
        self.addressA = addressA
        self.addressB = addressB
        self.portA = portA
        self.portB = portB
        self.proto = proto
    }
}

/// A flow key plus the side of the conversation the packet was sent from.
@frozen
public struct FlowLookup: Sendable {
    public var key: FlowKey
    /// 0 when the packet's source is endpoint A (tshark: `direction >= 0`, the packet belongs to
    /// `flow1`), 1 otherwise.
    public var side: Int

    /// Builds the key of a packet from `src:srcPort` to `dst:dstPort`.
    ///
    /// tshark's rule (`get_tcp_conversation_data`): compare the addresses; when they are equal
    /// the higher source port wins; a packet from an endpoint to itself is always side 1.
    @inlinable
    public init(src: Address, srcPort: UInt16, dst: Address, dstPort: UInt16, proto: UInt8) {
        let s = FlowAddress(src), d = FlowAddress(dst)
        let srcIsA = d < s || (s == d && srcPort > dstPort)
        if srcIsA {
            key = FlowKey(addressA: s, addressB: d, portA: srcPort, portB: dstPort, proto: proto)
            side = 0
        } else {
            key = FlowKey(addressA: d, addressB: s, portA: dstPort, portB: srcPort, proto: proto)
            side = 1
        }
    }
}
