/// The `data` protocol: payload no dissector claimed ("Data (5 bytes)").
final class DataDissector: Dissector {
    var proto = FieldID.textOnly
    var hfData = FieldID.textOnly
    var hfLen = FieldID.textOnly

    static func register(_ r: Registrar) -> DissectorHandle {
        let d = DataDissector()
        d.proto = r.registerProtocol(name: "Data", shortName: "DATA", abbrev: "data")
        d.hfData = r.field("Data", "data.data", .bytes, in: d.proto)
        d.hfLen = r.field("Length", "data.len", .int32, .dec, in: d.proto)
        return r.handle(d.proto, d)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let top = packet.addProtocol(proto, data, 0, data.count, parent: parent, text: "Data (\(data.count) byte\(data.count == 1 ? "" : "s"))")
        packet.add(hfData, data, 0, data.count, .bytes, parent: top)
        packet.addGenerated(hfLen, .int(Int64(data.count)), parent: top)
        return .consumed(data.count)
    }
}
