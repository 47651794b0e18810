import DissectKit

/// What a link layer hands to the ethertype dispatcher (tshark's `ethertype_data_t`).
struct EthertypeRequest {
    var etype: UInt16
    /// Where the payload starts in the caller's data.
    var payloadOffset: Int
    /// The caller's subtree: padding, trailer and FCS items go there.
    var headerTree: TreeNode
    /// The caller's trailer field (`eth.trailer`, `vlan.trailer`, `sll.trailer`…).
    var trailerField: FieldID
    var fcs: FCSPresence
}

/// tshark's `ethertype` dissector: one layer in `frame.protocols` ("eth:ethertype:ip") with no
/// tree item of its own. It looks the type up in the "ethertype" table, labels unclaimed
/// payloads, and shows what the payload's dissector left over as padding, trailer and FCS
/// in the caller's tree.
final class EthertypeDispatcher: Dissector {
    let proto: FieldID
    let table: DissectorTable
    /// Set by the Ethernet plugin right after both are made.
    var trailer: EthernetTrailer!
    /// "0x1234" Protocol column texts of unclaimed types, made once each.
    private var unknownColumns: [UInt16: String] = [:]

    init(_ r: Registrar) {
        proto = r.registerProtocol(name: "Ethertype", shortName: "Ethertype", abbrev: "ethertype")
        table = r.table("ethertype", uiName: "Ethertype")
    }

    /// Called without a request (a table entry by mistake): not ours.
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        .notMine
    }

    func dispatch(_ packet: inout PacketContext, _ data: ByteView, _ request: EthertypeRequest, parent: TreeNode) {
        packet.layers.push(proto)
        let lengthBefore = max(0, data.count - request.payloadOffset)
        var payload = data.suffix(from: request.payloadOffset)
        // A known FCS is not the payload's: hide it from the sub-dissector.
        if request.fcs == .always {
            let missing = packet.missingBytes(data)
            let cut = max(0, 4 - missing)
            if payload.count >= cut { payload = payload.prefix(payload.count - cut) }
        }
        var used = payload.count
        if let result = packet.call(table: table, key: UInt32(request.etype), payload, parent: parent) {
            if case .consumed(let n) = result { used = min(max(n, 0), payload.count) }
        } else {
            packet.callData(payload, parent: parent)
            packet.protocolColumn = unknownColumn(request.etype)
            if let name = EtherTypes.names[UInt64(request.etype)] {
                packet.info.clear()
                packet.info.append(name)
            }
        }
        // What the payload's dissector did not use (IP's total length, ARP's 28 bytes…) is the trailer.
        if used < lengthBefore, request.payloadOffset + used < data.count {
            trailer.addTrailer(&packet, frame: data, request.headerTree, trailerField: request.trailerField,
                               trailer: data.suffix(from: request.payloadOffset + used), fcs: request.fcs)
        }
    }

    private func unknownColumn(_ etype: UInt16) -> String {
        if let s = unknownColumns[etype] { return s }
        let s = "0x" + FieldFormatter.hex(UInt64(etype), digits: 4)
        unknownColumns[etype] = s
        return s
    }
}

/// A link layer's reference to the engine's ethertype dispatcher (registered by the Ethernet
/// plugin), found on first use so plugin order does not matter.
final class EthertypeLink {
    private let named: NamedDissector
    private var resolved: EthertypeDispatcher?

    init(_ r: Registrar) { named = r.dissector(named: "ethertype") }

    var dispatcher: EthertypeDispatcher? {
        if let d = resolved { return d }
        resolved = named.handle?.dissector as? EthertypeDispatcher
        return resolved
    }

    /// Dispatches `request`, or shows the payload as data when Ethernet is not registered.
    func dispatch(_ packet: inout PacketContext, _ data: ByteView, _ request: EthertypeRequest, parent: TreeNode) {
        if let d = dispatcher {
            d.dispatch(&packet, data, request, parent: parent)
        } else {
            packet.callData(data.suffix(from: request.payloadOffset), parent: parent)
        }
    }
}

extension PacketContext {
    /// tshark lists a protocol in `frame.protocols` as soon as its dissector is called, even
    /// when its first read fails and no item is added: the link layers enter the layer first…
    mutating func enterLayer(_ proto: FieldID) { layers.push(proto) }

    /// …and add the protocol's item once the bytes it shows have been read.
    @discardableResult
    mutating func addLayerItem(_ proto: FieldID, _ data: ByteView, _ offset: Int, _ length: Int, parent: TreeNode,
                               text: @autoclosure () -> String? = nil) -> TreeNode {
        let node = add(proto, data, offset, length, .none, parent: parent)
        if !node.isNone, buildsFullTree, let t = text() { setLabel(node, t) }
        return node
    }
}
