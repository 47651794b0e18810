import DissectKit

/// Novell's Internetwork Packet eXchange (IPX) and its Routing Information Protocol (IPX RIP).
///
/// IPX arrives over Ethernet II (ethertype 0x8137), Novell "raw 802.3" (the Ethernet plugin
/// calls the dissector named "ipx" when the payload starts with 0xFFFF), LLC SAP 0xE0 and SNAP
/// (both through the LLC plugin). The header is always 30 bytes (NetWare LAN Analysis, ch. 3).
public enum IPXPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        // RIP first: the fields it fills are registered with their value strings before the catalog.
        let rip = IPXRIPDissector(r)
        let d = IPXDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerDissector("ipx", h)
        r.table("ethertype", uiName: "Ethertype").add(0x8137, h)
        // tshark also registers IPX under the PPP protocol number (0x002b) and in the "ipx.socket" table.
        r.table("ppp.protocol", uiName: "PPP protocol").add(0x002b, h)
        d.socketTable.add(UInt32(IPXDissector.socketRIP), r.handle(rip.hf.proto, rip))
    }
}

final class IPXDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var checksum = FieldID.textOnly
        var src = FieldID.textOnly
        var dst = FieldID.textOnly
        var addr = FieldID.textOnly
        var len = FieldID.textOnly
        var hops = FieldID.textOnly
        var packetType = FieldID.textOnly
        var dstNet = FieldID.textOnly
        var dstNode = FieldID.textOnly
        var dstSocket = FieldID.textOnly
        var srcNet = FieldID.textOnly
        var srcNode = FieldID.textOnly
        var srcSocket = FieldID.textOnly
        var net = FieldID.textOnly
        var node = FieldID.textOnly
        var socket = FieldID.textOnly
    }
    var hf = Fields()
    /// tshark's "ipx.socket" and "ipx.packet_type" tables.
    let socketTable: DissectorTable
    let typeTable: DissectorTable

    static let headerLength = 30
    static let socketRIP: UInt16 = 0x0453
    /// NWLink SMB name queries are recognised by this socket alone (tshark's NMPI rule).
    static let socketNameQuery: UInt16 = 0x0551

    /// tshark's `ipx_socket_vals` (packet-ipx.h numbers).
    static let socketNames: [UInt64: String] = [
        0x0002: "CISCO PING", 0x0451: "NCP", 0x0452: "SAP", 0x0453: "RIP", 0x0455: "NetBIOS",
        0x0456: "Diagnostic", 0x0457: "Serialization", 0x0550: "NWLink SMB Server",
        0x0551: "NWLink SMB Name Query", 0x0552: "NWLink SMB Redirector", 0x0553: "NWLink SMB Mailslot Datagram",
        0x0554: "NWLink SMB Messenger", 0x0555: "NWLink SMB Browse", 0x055d: "Attachmate Gateway",
        0x4001: "IPX Message", 0x4003: "IPX Message", 0x4006: "NetWare Directory Server",
        0x400c: "HP LaserJet/QuickSilver", 0x8104: "NetWare 386", 0x8522: "ADSM", 0x85be: "Cisco EIGRP for IPX",
        0x8f83: "Powerchute UPS Monitoring", 0x9001: "NetWare Link Services Protocol", 0x9004: "IPX WAN",
        0x900f: "SNMP Agent", 0x9010: "SNMP Sink", 0x907b: "SMS Testing and Development", 0x9086: "Novell PING",
        0x9091: "TCP Tunnel", 0x9092: "UDP Tunnel", 0x90b2: "NDPS Printer Agent/PSM", 0x90b3: "NDPS Broker",
        0x90b4: "NDPS Service Registry Service", 0x90b5: "NDPS Event Notification Service",
        0x90b6: "NDPS Remote Management Service", 0x90b7: "NDPS Notify Listener", 0xe885: "NT Server-RPC/GW",
    ]

    /// tshark's `ipx_packet_type_vals`.
    static let packetTypeNames: [UInt64: String] = {
        var d: [UInt64: String] = [0: "IPX", 1: "RIP", 2: "Echo", 3: "Error", 4: "PEP", 5: "SPX", 17: "NCP",
                                   20: "NetBIOS Broadcast"]
        for t in [16, 18, 19] + Array(21...31) { d[UInt64(t)] = "Experimental Protocol" }
        return d
    }()

    /// Info texts of the known sockets, as static strings (no formatting per packet).
    private var infoNames: [UInt16: String] = [:]

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Internetwork Packet eXchange", shortName: "IPX", abbrev: "ipx")
        hf.proto = p
        hf.checksum = r.field("Checksum", "ipx.checksum", .uint16, .hex, in: p)
        hf.src = r.field("Source Address", "ipx.src", .string, blurb: "Source IPX Address  \"network.node\"", in: p)
        hf.dst = r.field("Destination Address", "ipx.dst", .string,
                         blurb: "Destination IPX Address  \"network.node\"", in: p)
        hf.addr = r.field("Src/Dst Address", "ipx.addr", .string,
                          blurb: "Source or Destination IPX Address  \"network.node\"", in: p)
        hf.len = r.field("Length", "ipx.len", .uint16, .dec, strings: .units("byte", "bytes"), in: p)
        hf.hops = r.field("Transport Control (Hops)", "ipx.hops", .uint8, .dec, in: p)
        hf.packetType = r.field("Packet Type", "ipx.packet_type", .uint8, .hex, strings: .values(Self.packetTypeNames),
                                in: p)
        let sockets = ValueStrings.values(Self.socketNames)
        hf.dstNet = r.field("Destination Network", "ipx.dst.net", .ipxnet, in: p)
        hf.dstNode = r.field("Destination Node", "ipx.dst.node", .ether, in: p)
        hf.dstSocket = r.field("Destination Socket", "ipx.dst.socket", .uint16, .hex, strings: sockets, in: p)
        hf.srcNet = r.field("Source Network", "ipx.src.net", .ipxnet, in: p)
        hf.srcNode = r.field("Source Node", "ipx.src.node", .ether, in: p)
        hf.srcSocket = r.field("Source Socket", "ipx.src.socket", .uint16, .hex, strings: sockets, in: p)
        hf.net = r.field("Source or Destination Network", "ipx.net", .ipxnet, in: p)
        hf.node = r.field("Source or Destination Node", "ipx.node", .ether, in: p)
        hf.socket = r.field("Source or Destination Socket", "ipx.socket", .uint16, .hex, strings: sockets, in: p)
        socketTable = r.table("ipx.socket", uiName: "IPX socket")
        typeTable = r.table("ipx.packet_type", uiName: "IPX packet type")
        var protocols: [String: FieldID] = ["ipx": p]
        // Protocols tshark registers beside IPX, known to filters and `-G` (not dissected yet).
        for (name, short, abbrev) in [("Service Advertisement Protocol", "IPX SAP", "ipxsap"),
                                      ("IPX Message", "IPX MSG", "ipxmsg"), ("IPX WAN", "IPX WAN", "ipxwan"),
                                      ("Sequenced Packet eXchange", "SPX", "spx"),
                                      ("NetWare Serialization Protocol", "NW_SERIAL", "nw_serial")] {
            protocols[abbrev] = r.registerProtocol(name: name, shortName: short, abbrev: abbrev)
        }
        protocols["ipxrip"] = r.registerProtocol(name: "IPX Routing Information Protocol", shortName: "IPX RIP",
                                                 abbrev: "ipxrip")
        IPXFieldCatalog.registerAll(r, protocols)
        for (k, v) in Self.socketNames { infoNames[UInt16(k)] = v }
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "IPX"
        packet.info.clear()
        // tshark adds the layer before the dissector runs: a cut header still counts as IPX.
        packet.layers.push(hf.proto)
        // tshark reads these before it adds anything: a short header shows only the malformed mark.
        let dstSocket = try data.u16(16)
        let srcSocket = try data.u16(28)
        let type = try data.u8(5)
        let length = try data.u16(2)
        let dstNet = try data.u32(6)
        let dstNode = try data.u48(10)
        let srcNet = try data.u32(18)
        let srcNode = try data.u48(22)
        // tshark's set_actual_length: the datagram ends where its length says (when that is shorter).
        let datagram = Int(length) < data.count ? data.prefix(Int(length)) : data

        packet.srcPort = UInt32(srcSocket)
        packet.dstPort = UInt32(dstSocket)
        packet.netSrc = .ipx(net: srcNet, node: srcNode)
        packet.netDst = .ipx(net: dstNet, node: dstNode)
        if let name = infoNames[dstSocket] {
            packet.info.append(name)
        } else {
            packet.info.append("Unknown (0x")
            packet.info.appendHex(UInt64(dstSocket), width: 4)
            packet.info.append(")")
        }

        let top = packet.add(hf.proto, datagram, 0, Self.headerLength, .none, parent: parent)
        if packet.wants(hf.src) || packet.wants(hf.addr) {
            let s = packet.text(Self.addressText(srcNet, srcNode))
            packet.add(hf.src, datagram, 0, 0, s, parent: top, flags: .hidden)
            packet.add(hf.addr, datagram, 0, 0, s, parent: top, flags: .hidden)
        }
        if packet.wants(hf.dst) || packet.wants(hf.addr) {
            let s = packet.text(Self.addressText(dstNet, dstNode))
            packet.add(hf.dst, datagram, 0, 0, s, parent: top, flags: .hidden)
            packet.add(hf.addr, datagram, 0, 0, s, parent: top, flags: .hidden)
        }
        packet.add(hf.checksum, datagram, 0, 2, .uint(UInt64(try data.u16(0))), parent: top)
        packet.add(hf.len, datagram, 2, 2, .uint(UInt64(length)), parent: top)
        let hops = try data.u8(4)
        let hopsItem = packet.add(hf.hops, datagram, 4, 1, .uint(UInt64(hops)), parent: top)
        if packet.buildsFullTree { packet.setLabel(hopsItem, "Transport Control: \(hops) hops") }
        packet.add(hf.packetType, datagram, 5, 1, .uint(UInt64(type)), parent: top)

        packet.add(hf.dstNet, datagram, 6, 4, .uint(UInt64(dstNet)), parent: top)
        packet.add(hf.net, datagram, 6, 4, .uint(UInt64(dstNet)), parent: top, flags: .hidden)
        packet.add(hf.dstNode, datagram, 10, 6, .ether(dstNode), parent: top)
        packet.add(hf.node, datagram, 10, 6, .ether(dstNode), parent: top, flags: .hidden)
        packet.add(hf.dstSocket, datagram, 16, 2, .uint(UInt64(dstSocket)), parent: top)
        packet.add(hf.socket, datagram, 16, 2, .uint(UInt64(dstSocket)), parent: top, flags: .hidden)
        packet.add(hf.srcNet, datagram, 18, 4, .uint(UInt64(srcNet)), parent: top)
        packet.add(hf.net, datagram, 18, 4, .uint(UInt64(srcNet)), parent: top, flags: .hidden)
        packet.add(hf.srcNode, datagram, 22, 6, .ether(srcNode), parent: top)
        packet.add(hf.node, datagram, 22, 6, .ether(srcNode), parent: top, flags: .hidden)
        packet.add(hf.srcSocket, datagram, 28, 2, .uint(UInt64(srcSocket)), parent: top)
        packet.add(hf.socket, datagram, 28, 2, .uint(UInt64(srcSocket)), parent: top, flags: .hidden)

        let payload = datagram.suffix(from: Self.headerLength)
        // The lower socket first (tshark's rule, as for TCP/UDP ports), except that a name query
        // socket on the higher side wins alone. Sub-protocols are not added to frame.protocols
        // (tshark calls them with add_proto_name = FALSE).
        let (first, second) = srcSocket > dstSocket ? (dstSocket, srcSocket) : (srcSocket, dstSocket)
        if second != Self.socketNameQuery, let h = socketTable.lookup(UInt32(first)) {
            callWithoutLayer(&packet, h, payload, parent)
        } else if let h = socketTable.lookup(UInt32(second)) {
            callWithoutLayer(&packet, h, payload, parent)
        } else if let h = typeTable.lookup(UInt32(type)) {
            callWithoutLayer(&packet, h, payload, parent)
        } else {
            packet.callData(payload, parent: parent)
        }
        return .consumed(datagram.count)
    }

    /// Calls a sub-dissector and drops the layer it pushed (tshark's `add_proto_name = FALSE`).
    private func callWithoutLayer(_ packet: inout PacketContext, _ h: DissectorHandle, _ data: ByteView,
                                  _ parent: TreeNode) {
        let mark = packet.layers.count
        packet.call(h, data, parent: parent)
        // Only the sub-protocol's own layer goes; what it called itself (and a malformed mark) stays.
        guard packet.layers.count > mark else { return }
        var after = packet.layers.all[mark...]
        guard after.first == h.protocolID else { return }
        after.removeFirst()
        packet.layers.truncate(mark)
        for id in after { packet.layers.push(id) }
    }

    /// tshark's AT_IPX address text: "%08x.%012x" ("00000028.00aa00a3e3a4").
    static func addressText(_ net: UInt32, _ node: UInt64) -> String {
        FieldFormatter.hex(UInt64(net), digits: 8) + "." + FieldFormatter.hex(node, digits: 12)
    }
}
