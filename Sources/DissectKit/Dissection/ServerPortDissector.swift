/// A dissector-table entry for a client/server protocol (SMTP, IMAP, POP3 …): it decides whether a
/// packet is a request the way tshark does — the packet goes *to* the port the table matched
/// (`pinfo->match_uint == pinfo->destport`) — and hands that decision to the protocol.
///
/// With `port` 0 (a named handle, e.g. TLS handing decrypted data back) there is no matched port:
/// a packet to one of `serverPorts`, or else to the lower port, is a request.
public final class ServerPortDissector: Dissector {
    public typealias Body = (inout PacketContext, ByteView, TreeNode, _ isRequest: Bool, _ viaTLS: Bool)
        throws(Malformed) -> DissectResult

    let port: UInt32
    let serverPorts: [UInt32]
    /// Set for handles TLS calls with decrypted data (never handed back to TLS).
    let viaTLS: Bool
    let body: Body

    public init(port: UInt32, serverPorts: [UInt32], viaTLS: Bool, _ body: @escaping Body) {
        self.port = port
        self.serverPorts = serverPorts
        self.viaTLS = viaTLS
        self.body = body
    }

    public func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let isRequest: Bool
        if port != 0 {
            isRequest = packet.dstPort == port
        } else {
            isRequest = serverPorts.contains(packet.dstPort)
                || (!serverPorts.contains(packet.srcPort) && packet.dstPort < packet.srcPort)
        }
        return try body(&packet, data, parent, isRequest, viaTLS)
    }
}
