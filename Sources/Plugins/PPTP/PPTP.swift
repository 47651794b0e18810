import DissectKit

/// The Point-to-Point Tunnelling Protocol's control connection (RFC 2637 §2) on TCP port 1723.
/// The tunnelled PPP frames travel in enhanced GRE (the GRE plugin).
public enum PPTPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = PPTPDissector(r)
        r.table("tcp.port", uiName: "TCP port").add(1723, r.handle(d.proto, d))
    }
}

final class PPTPDissector: Dissector {
    /// One element of a control message body after the 12-byte header.
    enum Element {
        /// An unsigned big-endian field of 1, 2 or 4 bytes.
        case number(FieldID, Int)
        /// Opaque bytes ("Reserved").
        case bytes(FieldID, Int)
        /// A fixed-size ASCII field, its value ending at the first NUL (RFC 2637 pads with zeros).
        case text(FieldID, Int)
        /// "Protocol version: 1.0": the version and revision bytes of one 16-bit field.
        case version(FieldID)

        var length: Int {
            switch self {
            case .number(_, let n), .bytes(_, let n), .text(_, let n): return n
            case .version: return 2
            }
        }
    }

    let proto: FieldID
    let length: FieldID
    let messageType: FieldID
    let magicCookie: FieldID
    let controlType: FieldID
    let reserved: FieldID
    let eiIncorrectCookie: FieldID
    /// Control message type → its body, as RFC 2637 §2.1–2.15 lays it out.
    private(set) var bodies: [UInt16: [Element]] = [:]
    /// Info texts ("Start-Control-Connection-Request") by control message type.
    private var infoNames: [UInt16: String] = [:]

    static let magic: UInt32 = 0x1A2B_3C4D
    static let headerLength = 12

    static let controlTypeNames: [UInt64: String] = [
        1: "Start-Control-Connection-Request", 2: "Start-Control-Connection-Reply",
        3: "Stop-Control-Connection-Request", 4: "Stop-Control-Connection-Reply", 5: "Echo-Request", 6: "Echo-Reply",
        7: "Outgoing-Call-Request", 8: "Outgoing-Call-Reply", 9: "Incoming-Call-Request", 10: "Incoming-Call-Reply",
        11: "Incoming-Call-Connected", 12: "Call-Clear-Request", 13: "Call-Disconnect-Notify", 14: "WAN-Error-Notify",
        15: "Set-Link-Info",
    ]

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Point-to-Point Tunnelling Protocol", shortName: "PPTP", abbrev: "pptp")
        proto = p
        func vals(_ d: [UInt64: String]) -> ValueStrings { .values(d) }
        let frameTypes = vals([1: "Asynchronous Framing supported", 2: "Synchronous Framing supported",
                               3: "Either Framing supported"])
        let bearerTypes = vals([1: "Analog access supported", 2: "Digital access supported",
                                3: "Either access supported"])
        let errors = vals([0: "None", 1: "Not-Connected", 2: "Bad-Format", 3: "Bad-Value", 4: "No-Resource",
                           5: "Bad-Call ID", 6: "PAC-Error"])
        let okOrError = vals([1: "OK", 2: "General error"])
        // Fields with value strings first; the catalog then adds the rest under the same ids.
        length = r.field("Length", "pptp.length", .uint16, .dec, in: p)
        messageType = r.field("Message type", "pptp.type", .uint16, .dec,
                              strings: vals([1: "Control Message", 2: "Management Message"]), in: p)
        magicCookie = r.field("Magic Cookie", "pptp.magic_cookie", .uint32, .hex, in: p)
        controlType = r.field("Control Message Type", "pptp.control_message_type", .uint16, .dec,
                              strings: vals(Self.controlTypeNames), in: p)
        reserved = r.field("Reserved", "pptp.reserved", .bytes, in: p)
        let strings: [String: ValueStrings] = [
            "pptp.framing_capabilities": frameTypes, "pptp.framing_type": frameTypes,
            "pptp.bearer_capabilities": bearerTypes, "pptp.bearer_type": bearerTypes,
            "pptp.control_result": vals([1: "Successful channel establishment", 2: "General error",
                                         3: "Command channel already exists", 4: "Requester not authorized",
                                         5: "Protocol version not supported"]),
            "pptp.error": errors,
            "pptp.reason": vals([1: "None", 2: "Stop-Protocol", 3: "Stop-Local-Shutdown"]),
            "pptp.stop_result": okOrError, "pptp.echo_result": okOrError,
            "pptp.out_result": vals([1: "Connected", 2: "General Error", 3: "No Carrier", 4: "Busy",
                                     5: "No Dial Tone", 6: "Time-out", 7: "Do Not Accept"]),
            "pptp.in_result": vals([1: "Connect", 2: "General error", 3: "Do Not Accept"]),
            "pptp.disc_result": vals([1: "Lost Carrier", 2: "General Error", 3: "Admin Shutdown", 4: "Request"]),
        ]
        for f in PPTPFieldCatalog.fields where strings[f.0] != nil {
            _ = r.field(f.1, f.0, f.2, f.3, strings: strings[f.0], blurb: f.6, in: p)
        }
        eiIncorrectCookie = r.expert("pptp.magic_cookie.incorrect", "Incorrect Magic Cookie", .warning, .protocol,
                                     in: p)
        PPTPFieldCatalog.registerAll(r, ["pptp": p])

        let reg = r.engine.registry
        func id(_ name: String) -> FieldID { reg.lookup("pptp." + name) ?? .textOnly }
        func n(_ name: String, _ size: Int) -> Element { .number(id(name), size) }
        func s(_ name: String) -> Element { .text(id(name), 64) }
        let res = Element.bytes(reserved, 2)
        let version = Element.version(id("protocol_version"))
        let capabilities = [n("framing_capabilities", 4), n("bearer_capabilities", 4), n("maximum_channels", 2),
                            n("firmware_revision", 2), s("host_name"), s("vendor_name")]
        bodies = [
            1: [version, res] + capabilities,
            2: [version, n("control_result", 1), n("error", 1)] + capabilities,
            3: [n("reason", 1), .bytes(reserved, 1), res],
            4: [n("stop_result", 1), n("error", 1), res],
            5: [n("identifier", 4)],
            6: [n("identifier", 4), n("echo_result", 1), n("error", 1), res],
            7: [n("call_id", 2), n("call_serial_number", 2), n("minimum_bps", 4), n("maximum_bps", 4),
                n("bearer_type", 4), n("framing_type", 4), n("packet_receive_window_size", 2),
                n("packet_processing_delay", 2), n("phone_number_length", 2), res, s("phone_number"),
                s("subaddress")],
            8: [n("call_id", 2), n("peer_call_id", 2), n("out_result", 1), n("error", 1), n("cause", 2),
                n("connect_speed", 4), n("packet_receive_window_size", 2), n("packet_processing_delay", 2),
                n("physical_channel_id", 4)],
            9: [n("call_id", 2), n("call_serial_number", 2), n("bearer_type", 4), n("physical_channel_id", 4),
                n("dialed_number_length", 2), n("dialing_number_length", 2), s("dialed_number"), s("dialing_number"),
                s("subaddress")],
            10: [n("call_id", 2), n("peer_call_id", 2), n("in_result", 1), n("error", 1),
                 n("packet_receive_window_size", 2), n("packet_processing_delay", 2), res],
            11: [n("peer_call_id", 2), res, n("connect_speed", 4), n("packet_receive_window_size", 2),
                 n("packet_processing_delay", 2), n("framing_type", 4)],
            12: [n("call_id", 2), res],
            13: [n("call_id", 2), n("disc_result", 1), n("error", 1), n("cause", 2), res,
                 .text(id("call_Statistics"), 64)],
            14: [n("peer_call_id", 2), res, n("crc_errors", 4), n("framing_errors", 4), n("hardware_overruns", 4),
                 n("buffer_overruns", 4), n("timeout_errors", 4), n("alignment_errors", 4)],
            15: [n("peer_call_id", 2), res, n("send_accm", 4), n("receive_accm", 4)],
        ]
        for (k, v) in Self.controlTypeNames { infoNames[UInt16(k)] = v }
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "PPTP"
        packet.info.clear()
        // The layer counts before anything is read (tshark adds it when it calls the dissector).
        packet.layers.push(proto)
        let len = try data.u16(0)
        let type = try data.u16(8)
        if let name = infoNames[type] {
            packet.info.append(name)
        } else {
            packet.info.append("Unknown control type (")
            packet.info.append(UInt64(type))
            packet.info.append(")")
        }
        // tshark fills the tree only when there is one (`if (tree)`): without, nothing past the
        // cookie is read and a short message is not marked.
        let hasTree = !packet.tree.interest.isEmpty
        let top = packet.add(proto, data, 0, min(Int(len), data.count), .none, parent: parent)
        var cookieItem = TreeNode.none
        if hasTree {
            packet.add(length, data, 0, 2, .uint(UInt64(len)), parent: top)
            packet.add(messageType, data, 2, 2, .uint(UInt64(try data.u16(2))), parent: top)
            cookieItem = packet.add(magicCookie, data, 4, 4, .uint(UInt64(try data.u32(4))), parent: top)
        }
        if try data.u32(4) == Self.magic {
            packet.appendLabel(cookieItem, " (correct)")
        } else {
            packet.appendLabel(cookieItem, " (incorrect)")
            packet.addExpert(eiIncorrectCookie, parent: cookieItem, data, 4, 4)
        }
        guard hasTree else {
            if bodies[type] == nil { packet.callData(data.suffix(from: Self.headerLength), parent: top) }
            return .consumed(data.count)
        }
        packet.add(controlType, data, 8, 2, .uint(UInt64(type)), parent: top)
        try data.check(10, 2)
        packet.add(reserved, data, 10, 2, .bytes, parent: top)
        guard let body = bodies[type] else {
            packet.callData(data.suffix(from: Self.headerLength), parent: top)
            return .consumed(data.count)
        }
        var offset = Self.headerLength
        for element in body {
            try add(&packet, element, data, offset, top)
            offset += element.length
        }
        return .consumed(data.count)
    }

    private func add(_ packet: inout PacketContext, _ element: Element, _ data: ByteView, _ offset: Int,
                     _ top: TreeNode) throws(Malformed) {
        switch element {
        case .number(let f, let size):
            let v: UInt64
            switch size {
            case 1: v = UInt64(try data.u8(offset))
            case 2: v = UInt64(try data.u16(offset))
            default: v = UInt64(try data.u32(offset))
            }
            packet.add(f, data, offset, size, .uint(v), parent: top)
        case .bytes(let f, let size):
            try data.check(offset, size)
            packet.add(f, data, offset, size, .bytes, parent: top)
        case .text(let f, let size):
            try data.check(offset, size)
            guard packet.wants(f) else { return }
            let field = data.suffix(from: offset).prefix(size)
            let end = field.firstIndex(of: 0) ?? size
            packet.add(f, data, offset, size, packet.text(String(decoding: field.prefix(end).buffer, as: UTF8.self)),
                       parent: top)
        case .version(let f):
            let v = try data.u16(offset)
            let item = packet.add(f, data, offset, 2, .uint(UInt64(v)), parent: top)
            if packet.buildsFullTree { packet.setLabel(item, "Protocol version: \(v >> 8).\(v & 0xff)") }
        }
    }
}
