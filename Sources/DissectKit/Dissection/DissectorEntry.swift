/// Another way into one dissector object: a protocol that registers several entry points (its
/// TCP port, a heuristic, a UDP port…) over the same state hands each table a `DissectorEntry`
/// that calls the right method, instead of writing a forwarding class per entry point.
///
///     r.table("tcp.port").add(80, r.handle(hf.proto, DissectorEntry(d, HTTPDissector.dissectStream)))
public final class DissectorEntry: Dissector {
    public typealias Call = (inout PacketContext, ByteView, TreeNode) throws(Malformed) -> DissectResult
    /// Bound once here: no closure is made per packet.
    private let call: Call

    /// `method`: an unapplied method of `owner`'s type (`HTTPDissector.dissectStream`).
    public init<Owner: AnyObject>(_ owner: Owner, _ method: (Owner) -> Call) {
        call = method(owner)
    }

    public func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        try call(&packet, data, parent)
    }
}
