import DissectKit

/// Yahoo Messenger's YMSG protocol on TCP port 5050: a 20-byte header ("YMSG", version, vendor,
/// length, service, status, session id) and key/value content lines separated by 0xC0 0x80.
public enum YMSGPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = YMSGDissector(r)
        r.table("tcp.port", uiName: "TCP port").add(5050, r.handle(d.hf.proto, d))
    }
}

final class YMSGDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var version = FieldID.textOnly
        var vendor = FieldID.textOnly
        var length = FieldID.textOnly
        var service = FieldID.textOnly
        var status = FieldID.textOnly
        var sessionID = FieldID.textOnly
        var content = FieldID.textOnly
        var line = FieldID.textOnly
        var key = FieldID.textOnly
        var value = FieldID.textOnly
    }
    var hf = Fields()
    private var serviceNames: [UInt16: String] = [:]
    private var statusNames: [UInt32: String] = [:]

    static let headerLength = 20

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Yahoo YMSG Messenger Protocol", shortName: "YMSG", abbrev: "ymsg")
        hf.proto = p
        func f(_ abbrev: String) -> FieldID { YMSGFieldCatalog.field(r, abbrev, in: p) }
        hf.version = f("ymsg.version")
        hf.vendor = f("ymsg.vendor")
        hf.length = f("ymsg.len")
        hf.service = f("ymsg.service")
        hf.status = f("ymsg.status")
        hf.sessionID = f("ymsg.session_id")
        hf.content = f("ymsg.content")
        hf.line = f("ymsg.content-line")
        hf.key = f("ymsg.content-line.key")
        hf.value = f("ymsg.content-line.value")
        YMSGFieldCatalog.registerAll(r, ["ymsg": p])
        if case .values(let d)? = YMSGFieldCatalog.strings["ymsg.service"] {
            for (k, v) in d { serviceNames[UInt16(truncatingIfNeeded: k)] = v }
        }
        if case .values(let d)? = YMSGFieldCatalog.strings["ymsg.status"] {
            for (k, v) in d { statusNames[UInt32(truncatingIfNeeded: k)] = v }
        }
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        // tshark checks the magic first and declines anything else.
        guard data.count >= 4, data.matches("YMSG", at: 0) else { return .notMine }
        guard data.count >= 10 else { return .oneMoreSegment }
        let pdu = Self.headerLength + Int(try data.u16(8))
        if data.count < pdu { return .needMore(pdu - data.count) }
        try dissectPDU(&packet, data.prefix(pdu), parent)
        return .consumed(pdu)
    }

    private func dissectPDU(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) {
        packet.protocolColumn = "YMSG"
        let service = try data.u16(10)
        let status = try data.u32(12)
        // TCP hands each PDU of a segment to us; tshark's tcp_dissect_pdus calls the PDU
        // dissector directly, so the second PDU of a frame appends to Info and is no new layer.
        let first = packet.layers.last != hf.proto
        if first { packet.info.clear() }
        appendName(serviceNames[service], "Unknown Service: ", UInt64(service), to: packet.info)
        packet.info.append(" (status=")
        appendName(statusNames[status], "Unknown Status: ", UInt64(status), to: packet.info)
        packet.info.append(")   ")
        let top = first ? packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
                        : packet.add(hf.proto, data, 0, data.count, .none, parent: parent)
        packet.appendLabel(top, " (" + (serviceNames[service] ?? "Unknown") + ")")
        packet.add(hf.version, data, 4, 2, .uint(UInt64(try data.u16(4))), parent: top)
        packet.add(hf.vendor, data, 6, 2, .uint(UInt64(try data.u16(6))), parent: top)
        let length = Int(try data.u16(8))
        packet.add(hf.length, data, 8, 2, .uint(UInt64(length)), parent: top)
        packet.add(hf.service, data, 10, 2, .uint(UInt64(service)), parent: top)
        packet.add(hf.status, data, 12, 4, .uint(UInt64(status)), parent: top)
        // The session id is little-endian (tshark reads it so).
        packet.add(hf.sessionID, data, 16, 4, .uint(UInt64(try data.u32le(16))), parent: top)
        // tshark fills the content only when there is a tree (`if (tree)`): without one a short
        // content line is not marked.
        guard length > 0, !packet.tree.interest.isEmpty else { return }
        var offset = Self.headerLength
        let content = packet.add(hf.content, data, offset, data.count - offset, .bytes, parent: top)
        while offset < Self.headerLength + length - 4 {
            let keyLength = itemLength(data, offset)
            let valueStart = offset + keyLength + 2
            let valueLength = itemLength(data, valueStart)
            let lineLength = keyLength + 2 + valueLength + 2
            // The line item claims both delimiters: a line cut short is malformed.
            try data.check(offset, lineLength)
            if packet.wants(hf.line) || packet.wants(hf.key) || packet.wants(hf.value) {
                let line = packet.add(hf.line, data, offset, lineLength, packet.text(""), parent: content)
                // Values as read (tshark's `-T fields` shows control characters raw).
                let key = packet.add(hf.key, data, offset, keyLength, raw(&packet, data, offset, keyLength),
                                     parent: line)
                let value = packet.add(hf.value, data, valueStart, valueLength,
                                       raw(&packet, data, valueStart, valueLength), parent: line)
                if packet.buildsFullTree {
                    let k = Self.formatText(data, offset, keyLength)
                    let v = Self.formatText(data, valueStart, valueLength)
                    packet.setLabel(line, k + ":" + v)
                    packet.setLabel(key, "Key: " + k)
                    packet.setLabel(value, "Value: " + v)
                }
            }
            offset += lineLength
        }
    }

    private func appendName(_ name: String?, _ unknown: StaticString, _ value: UInt64, to column: ColumnText) {
        if let n = name {
            column.append(n)
        } else {
            column.append(unknown)
            column.append(value)
        }
    }

    /// Bytes up to the next 0xC0 0x80 delimiter (or the end of the data).
    private func itemLength(_ data: ByteView, _ start: Int) -> Int {
        var o = start
        while o + 2 <= data.count {
            if data[unchecked: o] == 0xc0 && data[unchecked: o + 1] == 0x80 { break }
            o += 1
        }
        return max(o - start, 0)
    }

    private func raw(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int) -> FieldValue {
        let v = data.suffix(from: min(offset, data.count)).prefix(length)
        return packet.text(String(decoding: v.buffer, as: UTF8.self))
    }

    /// tshark's `tvb_format_text`: C escapes for \\a \\b \\f \\n \\r \\t \\v, other control
    /// characters as three octal digits ("hi\\001there").
    static func formatText(_ data: ByteView, _ offset: Int, _ length: Int) -> String {
        var out: [UInt8] = []
        for i in offset..<min(offset + length, data.count) {
            let c = data[unchecked: i]
            switch c {
            case 0x07: out += [0x5c, 0x61]
            case 0x08: out += [0x5c, 0x62]
            case 0x0c: out += [0x5c, 0x66]
            case 0x0a: out += [0x5c, 0x6e]
            case 0x0d: out += [0x5c, 0x72]
            case 0x09: out += [0x5c, 0x74]
            case 0x0b: out += [0x5c, 0x76]
            case 0x00..<0x20, 0x7f:
                out += [0x5c, 0x30 + (c >> 6), 0x30 + ((c >> 3) & 7), 0x30 + (c & 7)]
            default: out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
