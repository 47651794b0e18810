import DissectKit

/// The NetBIOS Datagram Service (RFC 1002 §4.4) on UDP port 138. Direct and broadcast
/// datagrams carry a NetBIOS payload, which goes to the `netbios` heuristics (SMB, for the
/// browser's mailslot announcements) or to `data`.
public enum NBDGMPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = NBDGMDissector(r)
        r.table("udp.port", uiName: "UDP port").add(138, r.handle(d.hf.proto, d))
    }
}

final class NBDGMDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var type = FieldID.textOnly
        var flags = FieldID.textOnly
        var datagramID = FieldID.textOnly
        var srcIP = FieldID.textOnly
        var srcPort = FieldID.textOnly
        var datagramLength = FieldID.textOnly
        var packetOffset = FieldID.textOnly
        var errorCode = FieldID.textOnly
        var sourceName = FieldID.textOnly
        var destinationName = FieldID.textOnly
    }
    var hf = Fields()
    private var flagBits: [FieldID] = []
    private let payloadTable: DissectorTable
    private var raw: [UInt8] = []
    private var printed: [UInt8] = []

    static let typeNames: [UInt64: String] = [
        0x10: "Direct_unique datagram", 0x11: "Direct_group datagram", 0x12: "Broadcast datagram",
        0x13: "Datagram error", 0x14: "Datagram query request", 0x15: "Datagram positive query response",
        0x16: "Datagram negative query response",
    ]

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "NetBIOS Datagram Service", shortName: "NBDS", abbrev: "nbdgm")
        hf.proto = p
        payloadTable = r.table("netbios", uiName: "NetBIOS heuristic")
        // tshark's own strings (`-G values`, in the catalog) win over any written here.
        func f(_ abbrev: String, _ strings: ValueStrings? = nil) -> FieldID {
            NBDGMFieldCatalog.field(r, abbrev, strings: NBDGMFieldCatalog.strings[abbrev] ?? strings, in: p)
        }
        hf.type = f("nbdgm.type", .values(Self.typeNames))
        hf.flags = f("nbdgm.flags")
        flagBits = [f("nbdgm.next", .trueFalse("Yes", "No")), f("nbdgm.first", .trueFalse("Yes", "No")),
                    f("nbdgm.node_type", .values([0: "B node", 1: "P node", 2: "M node", 3: "NBDD"]))]
        hf.datagramID = f("nbdgm.dgram_id")
        hf.srcIP = f("nbdgm.src.ip")
        hf.srcPort = f("nbdgm.src.port")
        hf.datagramLength = f("nbdgm.dgram_len", .units("byte", "bytes"))
        hf.packetOffset = f("nbdgm.pkt_offset", .units("byte", "bytes"))
        hf.errorCode = f("nbdgm.error_code", .values([0x82: "Destination name not present",
                                                       0x83: "Invalid source name format",
                                                       0x84: "Invalid destination name format"]))
        hf.sourceName = f("nbdgm.source_name")
        hf.destinationName = f("nbdgm.destination_name")
        NBDGMFieldCatalog.registerAll(r, ["nbdgm": p])
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "NBDS"
        packet.info.clear()
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        let type = try data.u8(0)
        packet.add(hf.type, data, 0, 1, .uint(UInt64(type)), parent: top)
        if let name = Self.typeNames[UInt64(type)] {
            packet.info.append(name)
        } else {
            packet.info.append("Unknown message type (0x")
            packet.info.appendHex(UInt64(type), width: 2)
            packet.info.append(")")
            // tshark prints the hex digits in upper case here ("0x%02X").
            let n = packet.info.bytes.count
            for i in (n - 3)..<(n - 1) where packet.info.bytes[i] >= 0x61 { packet.info.bytes[i] -= 0x20 }
        }
        packet.addBitmask(hf.flags, data, 1, 1, value: UInt64(try data.u8(1)), parent: top, subfields: flagBits)
        packet.add(hf.datagramID, data, 2, 2, .uint(UInt64(try data.u16(2))), parent: top)
        packet.add(hf.srcIP, data, 4, 4, .ipv4(try data.u32(4)), parent: top)
        packet.add(hf.srcPort, data, 8, 2, .uint(UInt64(try data.u16(8))), parent: top)
        var offset = 10
        switch type {
        case 0x10, 0x11, 0x12:
            packet.add(hf.datagramLength, data, offset, 2, .uint(UInt64(try data.u16(offset))), parent: top)
            packet.add(hf.packetOffset, data, offset + 2, 2, .uint(UInt64(try data.u16(offset + 2))), parent: top)
            offset += 4
            offset += try name(&packet, data, offset, hf.sourceName, top)
            offset += try name(&packet, data, offset, hf.destinationName, top)
            setLength(&packet, top, offset)
            let payload = data.suffix(from: offset)
            if !packet.tryHeuristics(payloadTable, payload, parent: parent) {
                packet.callData(payload, parent: parent)
            }
        case 0x13:
            packet.add(hf.errorCode, data, offset, 1, .uint(UInt64(try data.u8(offset))), parent: top)
            setLength(&packet, top, offset + 1)
        case 0x14, 0x15, 0x16:
            offset += try name(&packet, data, offset, hf.destinationName, top)
            setLength(&packet, top, offset)
        default:
            break
        }
        return .consumed(data.count)
    }

    /// A NetBIOS name field ("Source name: CISCO29401<00> (Workstation/Redirector)"); returns
    /// the bytes it takes.
    private func name(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ field: FieldID,
                      _ parent: TreeNode) throws(Malformed) -> Int {
        // Compression pointers count from the name itself, as tshark passes it.
        let n = try NetBIOSName.read(data, at: offset, base: offset, raw: &raw, into: &printed)
        if packet.wants(field) {
            let text = String(decoding: printed, as: UTF8.self)
            let item = packet.add(field, data, offset, n.used, packet.text(text), parent: parent)
            if packet.buildsFullTree, let t = n.type {
                let label = packet.registry[field].name
                packet.setLabel(item, "\(label): \(text) (\(NetBIOSName.typeDescription(t)))")
            }
        }
        return n.used
    }

    private func setLength(_ packet: inout PacketContext, _ node: TreeNode, _ length: Int) {
        guard node.index >= 0 else { return }
        packet.tree.records[Int(node.index)].length = Int32(truncatingIfNeeded: length)
    }
}
