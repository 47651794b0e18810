import DissectKit

/// The Resource ReserVation Protocol (RFC 2205) on IP protocol 46: the common header and the
/// objects of Path/Resv messages (SESSION, HOP, TIME VALUES, ERROR, STYLE, FLOWSPEC, FILTER SPEC,
/// SENDER TEMPLATE, CONFIRM); other objects are shown with their class, C-type and bytes.
/// Info, like tshark's, is the message type and the SESSION and sender/filter summaries.
public enum RSVPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = RSVPDissector(r)
        r.table("ip.proto", uiName: "IP protocol").add(46, r.handle(d.hf.proto, d))
    }
}

final class RSVPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var version = FieldID.textOnly, flags = FieldID.textOnly, msg = FieldID.textOnly
        var checksum = FieldID.textOnly, ttl = FieldID.textOnly, length = FieldID.textOnly
        var objLength = FieldID.textOnly, object = FieldID.textOnly, ctype = FieldID.textOnly
        var sessionIP = FieldID.textOnly, sessionProto = FieldID.textOnly, sessionFlags = FieldID.textOnly
        var sessionPort = FieldID.textOnly
        var hopAddress = FieldID.textOnly, hopInterface = FieldID.textOnly
        var refresh = FieldID.textOnly, confirmAddress = FieldID.textOnly
        var styleFlags = FieldID.textOnly, style = FieldID.textOnly
        var senderIP = FieldID.textOnly, senderPort = FieldID.textOnly
        var errorNode = FieldID.textOnly, errorFlags = FieldID.textOnly, errorCode = FieldID.textOnly
        var errorValue = FieldID.textOnly
        var formatVersion = FieldID.textOnly, dataLength = FieldID.textOnly, serviceHeader = FieldID.textOnly
        var parameter = FieldID.textOnly, parameterFlags = FieldID.textOnly, parameterLength = FieldID.textOnly
        var bucketRate = FieldID.textOnly, bucketSize = FieldID.textOnly, peakRate = FieldID.textOnly
        var minPoliced = FieldID.textOnly, maxPacket = FieldID.textOnly
        var unknownObject = FieldID.textOnly
        var eiInvalidLength = FieldID.textOnly
        var eiUnknownSession = FieldID.textOnly
    }
    var hf = Fields()
    /// Object class → (item field, its C-type field, tshark's short title).
    private var objects: [UInt8: (FieldID, FieldID, String)] = [:]
    /// Message type → its hidden boolean ("rsvp.resv").
    private var messageFlags: [UInt8: FieldID] = [:]
    private var errorFlagBits: [FieldID] = []
    private var messageNames: [UInt8: String] = [:]
    private var objectNames: [UInt8: String] = [:]

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Resource ReserVation Protocol (RSVP)", shortName: "RSVP", abbrev: "rsvp")
        hf.proto = p
        func f(_ a: String) -> FieldID { RSVPFieldCatalog.field(r, "rsvp." + a, in: p) }
        hf.version = f("version"); hf.flags = f("flags"); hf.msg = f("msg")
        hf.checksum = f("message_checksum"); hf.ttl = f("sending_ttl"); hf.length = f("message_length")
        hf.objLength = f("length"); hf.object = f("object"); hf.ctype = f("ctype")
        hf.sessionIP = f("session.ip"); hf.sessionProto = f("session.proto"); hf.sessionFlags = f("session.flags")
        hf.sessionPort = f("session.port")
        hf.hopAddress = f("hop.neighbor_address_ipv4"); hf.hopInterface = f("hop.logical_interface")
        hf.refresh = f("refresh_interval"); hf.confirmAddress = f("confirm.receiver_address_ipv4")
        hf.styleFlags = f("style.flags"); hf.style = f("style.style")
        hf.senderIP = f("sender.ip"); hf.senderPort = f("sender.port")
        hf.errorNode = f("error.error_node_ipv4"); hf.errorFlags = f("error_flags")
        errorFlagBits = [f("error_flags.path_state_removed"), f("error_flags.not_guilty"), f("error_flags.in_place")]
        hf.errorCode = f("error.error_code"); hf.errorValue = f("error_value")
        hf.formatVersion = f("flowspec.message_format_version"); hf.dataLength = f("data_length")
        hf.serviceHeader = f("flowspec.service_header"); hf.parameter = f("parameter")
        hf.parameterFlags = f("parameter_flags"); hf.parameterLength = f("parameter_length")
        hf.bucketRate = f("flowspec.token_bucket_rate"); hf.bucketSize = f("flowspec.token_bucket_size")
        hf.peakRate = f("flowspec.peak_data_rate"); hf.minPoliced = f("minimum_policed_unit")
        hf.maxPacket = f("maximum_packet_size"); hf.unknownObject = f("obj_unknown")
        objects = [
            1: (f("session"), f("ctype.session"), "SESSION"), 3: (f("hop"), f("ctype.hop"), "HOP"),
            5: (f("time"), f("ctype.time_values"), "TIME VALUES"), 6: (f("error"), f("ctype.error"), "ERROR"),
            8: (f("style"), f("ctype.style"), "STYLE"), 9: (f("flowspec"), f("ctype.flowspec"), "FLOWSPEC"),
            10: (f("filter"), f("ctype.template"), "FILTERSPEC"),
            11: (f("sender"), f("ctype.template"), "SENDER TEMPLATE"),
            15: (f("confirm"), f("ctype.confirm"), "CONFIRM"),
        ]
        messageFlags = [1: f("path"), 2: f("resv"), 3: f("perr"), 4: f("rerr"), 5: f("ptear"), 6: f("rtear"),
                        7: f("resvconf"), 10: f("rtearconf"), 12: f("bundle"), 13: f("ack"), 15: f("srefresh"),
                        20: f("hello"), 21: f("notify")]
        hf.eiInvalidLength = r.expert("rsvp.invalid_length", "Invalid length", .error, .malformed, in: p)
        hf.eiUnknownSession = r.expert("rsvp.session_type.unknown", "Unknown session type", .warning, .protocol,
                                       in: p)
        RSVPFieldCatalog.registerAll(r, ["rsvp": p])
        if case .values(let d)? = RSVPFieldCatalog.strings["rsvp.msg"] {
            for (k, v) in d { messageNames[UInt8(truncatingIfNeeded: k)] = v }
        }
        if case .values(let d)? = RSVPFieldCatalog.strings["rsvp.object"] {
            for (k, v) in d { objectNames[UInt8(truncatingIfNeeded: k)] = v }
        }
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "RSVP"
        packet.info.clear()
        let vf = try data.u8(0)
        let type = try data.u8(1)
        let msgLength = Int(try data.u16(6))
        let msgName = messageNames[type] ?? "Unknown (\(type)). "
        // The summary (Info and the protocol line): the message type, then the SESSION and
        // sender/filter objects' summaries.
        var summary = msgName
        var hasSession = false
        var o = 8
        while o + 4 <= min(msgLength, data.count) {
            let len = Int(try data.u16(o))
            guard len >= 4 else { break }
            let cls = try data.u8(o + 2), ct = try data.u8(o + 3)
            if cls == 1 { hasSession = true }
            if let s = try infoSummary(data, o, len, cls, ct) { summary += s }
            o += len
        }
        packet.info.append(summary)
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent,
                                     text: "Resource ReserVation Protocol (RSVP): " + summary)
        let full = packet.buildsFullTree
        let header = packet.addText("RSVP Header. " + (messageNames[type] ?? "Unknown Message (\(type)). "),
                                    data, 0, 8, parent: top)
        let h = header.isNone ? top : header
        packet.add(hf.version, data, 0, 1, .uint(UInt64(vf >> 4)), parent: h)
        packet.add(hf.flags, data, 0, 1, .uint(UInt64(vf & 0x0f)), parent: h)
        packet.add(hf.msg, data, 1, 1, .uint(UInt64(type)), parent: h)
        if let flag = messageFlags[type] { packet.add(flag, data, 1, 1, .bool(true), parent: h, flags: .hidden) }
        let ck = try data.u16(2)
        let ckItem = packet.add(hf.checksum, data, 2, 2, .uint(UInt64(ck)), parent: h)
        // Verified only when the whole message was captured.
        if full && msgLength <= data.count {
            // The Internet checksum over the whole message (RFC 2205 §3.1.1).
            let end = min(msgLength, data.count)
            var sum: UInt32 = 0
            var i = 0
            while i + 1 < end {
                sum &+= UInt32(data[unchecked: i]) << 8 | UInt32(data[unchecked: i + 1])
                i += 2
            }
            if i < end { sum &+= UInt32(data[unchecked: i]) << 8 }
            while sum >> 16 != 0 { sum = (sum & 0xffff) + (sum >> 16) }
            if sum == 0xffff {
                packet.appendLabel(ckItem, " [correct]")
            } else {
                // tshark's in_cksum_shouldbe: the received value plus the computed checksum.
                var want = UInt32(ck) + UInt32(~UInt16(truncatingIfNeeded: sum))
                want = (want & 0xffff) + (want >> 16)
                want = (want & 0xffff) + (want >> 16)
                packet.appendLabel(ckItem, " [incorrect, should be 0x\(FieldFormatter.hex(UInt64(want), digits: 4))]")
            }
        }
        packet.add(hf.ttl, data, 4, 1, .uint(UInt64(try data.u8(4))), parent: h)
        packet.add(hf.length, data, 6, 2, .uint(UInt64(msgLength)), parent: h)
        o = 8
        while o < min(msgLength, data.count) {
            let len = Int(try data.u16(o))
            guard len >= 4 else {
                // tshark shows the object with a "bogus" length and stops there, unmarked.
                let cls = try data.u8(o + 2)
                let node: TreeNode
                if let (item, _, title) = objects[cls] {
                    node = packet.add(item, data, o, 4, .none, parent: top)
                    if full { packet.setLabel(node, title) }
                } else {
                    node = packet.add(hf.unknownObject, data, o, 4, .none, parent: top)
                }
                let l = packet.add(hf.objLength, data, o, 2, .uint(UInt64(len)), parent: node)
                packet.addExpert(hf.eiInvalidLength, parent: l, data, o, 2,
                                 message: "Length: \(len) (bogus, must be >= 4)")
                break
            }
            try object(&packet, data, o, len, top)
            o += len
        }
        // Without a SESSION object tshark cannot tell the session type and says so at the top.
        if !hasSession {
            let line = packet.addText("Unknown session type", data, 0, 0, parent: .root)
            packet.addExpert(hf.eiUnknownSession, parent: line.isNone ? top : line)
        }
        return .consumed(data.count)
    }

    /// The Info words of an object, nil for objects that have none.
    private func infoSummary(_ data: ByteView, _ o: Int, _ len: Int, _ cls: UInt8, _ ct: UInt8) throws(Malformed) -> String? {
        switch (cls, ct) {
        case (1, 1) where len >= 12:
            let a = try data.u32(o + 4), proto = try data.u8(o + 8), port = try data.u16(o + 10)
            return "SESSION: IPv4, Destination \(FieldFormatter.ipv4String(a)), Protocol \(proto), Port \(port). "
        case (10, 1) where len >= 12, (11, 1) where len >= 12:
            let a = try data.u32(o + 4), port = try data.u16(o + 10)
            let what = cls == 10 ? "FILTERSPEC" : "SENDER TEMPLATE"
            return "\(what): IPv4, Sender \(FieldFormatter.ipv4String(a)), Port \(port). "
        default:
            return nil
        }
    }

    private func object(_ packet: inout PacketContext, _ data: ByteView, _ o: Int, _ len: Int,
                        _ top: TreeNode) throws(Malformed) {
        let cls = try data.u8(o + 2), ct = try data.u8(o + 3)
        let full = packet.buildsFullTree
        guard let (item, ctypeField, title) = objects[cls] else {
            let node = packet.add(hf.unknownObject, data, o, len, .none, parent: top)
            packet.add(hf.objLength, data, o, 2, .uint(UInt64(len)), parent: node)
            packet.add(hf.object, data, o + 2, 1, .uint(UInt64(cls)), parent: node)
            packet.add(hf.ctype, data, o + 3, 1, .uint(UInt64(ct)), parent: node)
            if full { packet.setLabel(node, "Unknown object (\(cls))") }
            return
        }
        let node = packet.add(item, data, o, len, .none, parent: top)
        packet.add(hf.objLength, data, o, 2, .uint(UInt64(len)), parent: node)
        packet.add(hf.object, data, o + 2, 1, .uint(UInt64(cls)), parent: node)
        packet.add(hf.ctype, data, o + 3, 1, .uint(UInt64(ct)), parent: node, flags: .hidden)
        packet.add(ctypeField, data, o + 3, 1, .uint(UInt64(ct)), parent: node)
        let v = o + 4
        var label = "\(title): "
        switch (cls, ct) {
        case (1, 1) where len >= 12:
            let a = try data.u32(v), proto = try data.u8(v + 4), port = try data.u16(v + 6)
            label += "IPv4, Destination \(FieldFormatter.ipv4String(a)), Protocol \(proto), Port \(port). "
            packet.add(hf.sessionIP, data, v, 4, .ipv4(a), parent: node)
            packet.add(hf.sessionProto, data, v + 4, 1, .uint(UInt64(proto)), parent: node)
            packet.add(hf.sessionFlags, data, v + 5, 1, .uint(UInt64(try data.u8(v + 5))), parent: node)
            packet.add(hf.sessionPort, data, v + 6, 2, .uint(UInt64(port)), parent: node)
        case (3, 1) where len >= 12:
            let a = try data.u32(v)
            label += "IPv4, \(FieldFormatter.ipv4String(a))"
            packet.add(hf.hopAddress, data, v, 4, .ipv4(a), parent: node)
            packet.add(hf.hopInterface, data, v + 4, 4, .uint(UInt64(try data.u32(v + 4))), parent: node)
        case (5, 1) where len >= 8:
            let ms = try data.u32(v)
            label += "\(ms) ms"
            let r = packet.add(hf.refresh, data, v, 4, .uint(UInt64(ms)), parent: node)
            if full { packet.setLabel(r, "Refresh interval: \(ms) ms (\(ms / 1000) seconds)") }
        case (6, 1) where len >= 12:
            let a = try data.u32(v), flags = try data.u8(v + 4), code = try data.u8(v + 5)
            let value = try data.u16(v + 6)
            let codeName = packet.registry[hf.errorCode].strings?.name(for: UInt64(code)) ?? "Unknown (\(code))"
            label += "IPv4, Error code: \(codeName), Value: \(value), Error Node: \(FieldFormatter.ipv4String(a))"
            packet.add(hf.errorNode, data, v, 4, .ipv4(a), parent: node)
            let fl = packet.add(hf.errorFlags, data, v + 4, 1, .uint(UInt64(flags)), parent: node)
            // tshark names each set flag and writes a lone space for each clear one.
            if full {
                packet.appendLabel(fl, (flags & 4 != 0 ? " Path-State-Removed" : " ")
                    + (flags & 2 != 0 ? " NotGuilty" : " ") + (flags & 1 != 0 ? " InPlace" : " "))
            }
            for b in errorFlagBits {
                let mask = packet.registry[b].bitmask
                packet.add(b, data, v + 4, 1, .uint((UInt64(flags) & mask) >> UInt64(mask.trailingZeroBitCount)),
                           parent: fl)
            }
            packet.add(hf.errorCode, data, v + 5, 1, .uint(UInt64(code)), parent: node)
            packet.add(hf.errorValue, data, v + 6, 2, .uint(UInt64(value)), parent: node)
        case (8, 1) where len >= 8:
            let style = try data.u24(v + 1)
            let name = packet.registry[hf.style].strings?.name(for: UInt64(style)) ?? "Unknown"
            label += "\(name) (\(style))"
            packet.add(hf.styleFlags, data, v, 1, .uint(UInt64(try data.u8(v))), parent: node)
            packet.add(hf.style, data, v + 1, 3, .uint(UInt64(style)), parent: node)
        case (9, 2) where len >= 36:
            label += try intServFlowspec(&packet, data, v, node)
        case (10, 1) where len >= 12, (11, 1) where len >= 12:
            let a = try data.u32(v), port = try data.u16(v + 6)
            label += "IPv4, Sender \(FieldFormatter.ipv4String(a)), Port \(port). "
            packet.add(hf.senderIP, data, v, 4, .ipv4(a), parent: node)
            packet.add(hf.senderPort, data, v + 6, 2, .uint(UInt64(port)), parent: node)
        case (15, 1) where len >= 8:
            let a = try data.u32(v)
            label += "Receiver \(FieldFormatter.ipv4String(a))"
            packet.add(hf.confirmAddress, data, v, 4, .ipv4(a), parent: node)
        default:
            label += "Unknown C-type (\(ct))"
        }
        if full { packet.setLabel(node, label) }
    }

    /// An Integrated Services FLOWSPEC (RFC 2210) with a token bucket; returns its title words.
    private func intServFlowspec(_ packet: inout PacketContext, _ data: ByteView, _ v: Int,
                                 _ node: TreeNode) throws(Malformed) -> String {
        let full = packet.buildsFullTree
        packet.add(hf.formatVersion, data, v, 1, .uint(UInt64(try data.u8(v) >> 4)), parent: node)
        let words = try data.u16(v + 2)
        let d1 = packet.add(hf.dataLength, data, v + 2, 2, .uint(UInt64(words)), parent: node)
        if full { packet.setLabel(d1, "Data length: \(words) words, not including header") }
        let service = try data.u8(v + 4)
        packet.add(hf.serviceHeader, data, v + 4, 1, .uint(UInt64(service)), parent: node)
        let words2 = try data.u16(v + 6)
        let d2 = packet.add(hf.dataLength, data, v + 6, 2, .uint(UInt64(words2)), parent: node)
        if full { packet.setLabel(d2, "Data length: \(words2) words, not including header") }
        let param = try data.u8(v + 8)
        let rate = Float(bitPattern: try data.u32(v + 12)), size = Float(bitPattern: try data.u32(v + 16))
        let peak = Float(bitPattern: try data.u32(v + 20))
        let m = try data.u32(v + 24), bigM = try data.u32(v + 28)
        let pItem = packet.add(hf.parameter, data, v + 8, 24, .uint(UInt64(param)), parent: node)
        let paramName = packet.registry[hf.parameter].strings?.name(for: UInt64(param)) ?? "Unknown"
        if full {
            packet.setLabel(pItem, "Parameter: \(paramName) (\(param))Rate=\(Self.g(rate)) Burst=\(Self.g(size)) Peak=\(Self.g(peak)) m=\(m) M=\(bigM)")
        }
        packet.add(hf.parameterFlags, data, v + 9, 1, .uint(UInt64(try data.u8(v + 9))), parent: pItem)
        let plen = try data.u16(v + 10)
        let pl = packet.add(hf.parameterLength, data, v + 10, 2, .uint(UInt64(plen)), parent: pItem)
        if full { packet.setLabel(pl, "Parameter length: \(plen) words, not including header") }
        packet.add(hf.bucketRate, data, v + 12, 4, .double(Double(rate)), parent: pItem)
        packet.add(hf.bucketSize, data, v + 16, 4, .double(Double(size)), parent: pItem)
        packet.add(hf.peakRate, data, v + 20, 4, .double(Double(peak)), parent: pItem)
        packet.add(hf.minPoliced, data, v + 24, 4, .uint(UInt64(m)), parent: pItem)
        packet.add(hf.maxPacket, data, v + 28, 4, .uint(UInt64(bigM)), parent: pItem)
        let serviceName = packet.registry[hf.serviceHeader].strings?.name(for: UInt64(service)) ?? "Unknown"
        return "\(serviceName): Token Bucket, \(Self.g(rate)) bytes/sec. "
    }

    /// Whole rates as integers ("6000", "1000000000"), others as tshark prints floats.
    static func g(_ f: Float) -> String {
        if f == f.rounded(), abs(f) < 1e15 { return String(Int64(f)) }
        return FieldFormatter.formatDouble(Double(f))
    }
}
