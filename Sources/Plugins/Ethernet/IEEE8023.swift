import DissectKit

/// What follows an IEEE 802.3 length field (tshark's `dissect_802_3`, shared by Ethernet and
/// 802.1Q): `length` bytes of LLC, or of IPX in a "raw 802.3" frame; the rest is a trailer.
struct IEEE8023Payload {
    /// LLC (802.2) and IPX, looked up when first needed.
    let llc: NamedDissector
    let ipx: NamedDissector

    init(_ r: Registrar) {
        llc = r.dissector(named: "llc")
        ipx = r.dissector(named: "ipx")
    }

    /// Novell's "raw 802.3": IPX right after the length, recognised by its 0xFFFF checksum.
    static func isRawIPX(_ data: ByteView, at offset: Int) -> Bool {
        data.has(offset, 2) && data[unchecked: offset] == 0xff && data[unchecked: offset + 1] == 0xff
    }

    /// Dissects the payload at `offset` of `data` and shows what is left as a trailer in `tree`.
    /// `lengthItem` (the caller's length field) gets `pastEnd` when the length overruns the frame.
    func dissect(_ packet: inout PacketContext, _ data: ByteView, offset: Int, length: UInt16, tree: TreeNode,
                 lengthItem: TreeNode, pastEnd: FieldID, trailerField: FieldID, trailer: EthernetTrailer?,
                 fcs: FCSPresence, parent: TreeNode) {
        var available = max(0, data.count - offset) + packet.missingBytes(data)
        if fcs == .always && available >= 4 { available -= 4 }
        var payloadLength = Int(length)
        if payloadLength > available {
            payloadLength = available
            packet.addExpert(pastEnd, parent: lengthItem, data, offset - 2, 2)
        }
        let payload = data.suffix(from: offset).prefix(payloadLength)
        if let h = Self.isRawIPX(data, at: offset) ? ipx.handle : llc.handle {
            packet.call(h, payload, parent: parent)
        } else {
            packet.callData(payload, parent: parent)
        }
        if offset + payloadLength < data.count, let trailer {
            trailer.addTrailer(&packet, frame: data, tree, trailerField: trailerField,
                               trailer: data.suffix(from: offset + payloadLength), fcs: fcs)
        }
    }
}
