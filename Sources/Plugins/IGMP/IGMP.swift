import DissectKit

/// The Internet Group Management Protocol, versions 0 (RFC 988), 1 (RFC 1112), 2 (RFC 2236)
/// and 3 (RFC 3376), on IP protocol 2.
public enum IGMPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = IGMPDissector(r)
        r.table("ip.proto", uiName: "IP protocol").add(2, r.handle(d.hf.proto, d))
    }
}

final class IGMPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var type = FieldID.textOnly
        var reserved = FieldID.textOnly
        var version = FieldID.textOnly
        var groupType = FieldID.textOnly
        var reply = FieldID.textOnly
        var replyPending = FieldID.textOnly
        var checksum = FieldID.textOnly
        var checksumStatus = FieldID.textOnly
        var identifier = FieldID.textOnly
        var accessKey = FieldID.textOnly
        var maxResp = FieldID.textOnly
        var maxRespExp = FieldID.textOnly
        var maxRespMant = FieldID.textOnly
        var suppress = FieldID.textOnly
        var qrv = FieldID.textOnly
        var qqic = FieldID.textOnly
        var numSrc = FieldID.textOnly
        var saddr = FieldID.textOnly
        var numGroupRecords = FieldID.textOnly
        var recordType = FieldID.textOnly
        var auxDataLen = FieldID.textOnly
        var maddr = FieldID.textOnly
        var auxData = FieldID.textOnly
        var data = FieldID.textOnly
        var eiBadChecksum = FieldID.textOnly
    }
    var hf = Fields()

    /// tshark's `commands` value string.
    static let typeNames: [UInt64: String] = [
        0x01: "Create Group Request", 0x02: "Create Group Reply", 0x03: "Join Group Request", 0x04: "Join Group Reply",
        0x05: "Leave Group Request", 0x06: "Leave Group Reply", 0x07: "Confirm Group Request",
        0x08: "Confirm Group Reply", 0x11: "Membership Query", 0x12: "Membership Report", 0x13: "DVMRP Protocol",
        0x14: "PIM Routing Message", 0x16: "Membership Report", 0x17: "Leave Group", 0x1e: "Traceroute Response",
        0x1f: "Traceroute Query or Request", 0x22: "Membership Report",
    ]
    static let recordTypeNames: [UInt64: String] = [
        1: "Mode Is Include", 2: "Mode Is Exclude", 3: "Change To Include Mode", 4: "Change To Exclude Mode",
        5: "Allow New Sources", 6: "Block Old Sources",
    ]
    /// Info texts of the types, made once.
    private var infoNames: [UInt8: String] = [:]
    private var sqrv: [FieldID] = []
    private var maxRespParts: [FieldID] = []

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Internet Group Management Protocol", shortName: "IGMP", abbrev: "igmp")
        hf.proto = p
        hf.type = r.field("Type", "igmp.type", .uint8, .hex, strings: .values(Self.typeNames),
                          blurb: "IGMP Packet Type", in: p)
        hf.reserved = r.field("Reserved", "igmp.reserved", .bytes, blurb: "IGMP Reserved", in: p)
        hf.version = r.field("IGMP Version", "igmp.version", .uint8, .dec, in: p)
        hf.groupType = r.field("Type Of Group", "igmp.group_type", .uint8, .dec,
                               strings: .values([0: "Public Group", 1: "Private Group"]),
                               blurb: "IGMP V0 Type Of Group", in: p)
        hf.reply = r.field("Reply", "igmp.reply", .uint8, .dec,
                           strings: .values([0: "Request Granted", 1: "Request Denied, No Resources",
                                             2: "Request Denied, Invalid Code", 3: "Request Denied, Invalid Group",
                                             4: "Request Denied, Invalid Key"]),
                           blurb: "IGMP V0 Reply", in: p)
        hf.replyPending = r.field("Reply Pending", "igmp.reply.pending", .uint8, .dec,
                                  blurb: "IGMP V0 Reply Pending, Retry in this many seconds", in: p)
        hf.checksum = r.field("Checksum", "igmp.checksum", .uint16, .hex, blurb: "IGMP Checksum", in: p)
        hf.checksumStatus = r.field("Checksum Status", "igmp.checksum.status", .uint8, .none,
                                    strings: .values(ChecksumStatus.names), in: p)
        hf.identifier = r.field("Identifier", "igmp.identifier", .uint32, .dec, blurb: "IGMP V0 Identifier", in: p)
        hf.accessKey = r.field("Access Key", "igmp.access_key", .bytes, blurb: "IGMP V0 Access Key", in: p)
        hf.maxResp = r.field("Max Resp Time", "igmp.max_resp", .uint8, .dec, blurb: "Max Response Time", in: p)
        hf.maxRespExp = r.field("Exponent", "igmp.max_resp.exp", .uint8, .hex, bitmask: 0x70,
                                blurb: "Maximum Response Time, Exponent", in: p)
        hf.maxRespMant = r.field("Mantissa", "igmp.max_resp.mant", .uint8, .hex, bitmask: 0x0f,
                                 blurb: "Maximum Response Time, Mantissa", in: p)
        hf.suppress = r.field("S", "igmp.s", .boolean,
                              strings: .trueFalse("SUPPRESS router side processing",
                                                  "Do not suppress router side processing"),
                              bitmask: 0x08, bitWidth: 8, blurb: "Suppress Router Side Processing", in: p)
        hf.qrv = r.field("QRV", "igmp.qrv", .uint8, .dec, bitmask: 0x07, blurb: "Querier's Robustness Value", in: p)
        hf.qqic = r.field("QQIC", "igmp.qqic", .uint8, .dec, blurb: "Querier's Query Interval Code", in: p)
        hf.numSrc = r.field("Num Src", "igmp.num_src", .uint16, .dec, blurb: "Number Of Sources", in: p)
        hf.saddr = r.field("Source Address", "igmp.saddr", .ipv4, in: p)
        hf.numGroupRecords = r.field("Num Group Records", "igmp.num_grp_recs", .uint16, .dec,
                                     blurb: "Number Of Group Records", in: p)
        hf.recordType = r.field("Record Type", "igmp.record_type", .uint8, .dec,
                                strings: .values(Self.recordTypeNames), in: p)
        hf.auxDataLen = r.field("Aux Data Len", "igmp.aux_data_len", .uint8, .dec,
                                blurb: "Aux Data Len, In units of 32bit words", in: p)
        hf.maddr = r.field("Multicast Address", "igmp.maddr", .ipv4, in: p)
        hf.auxData = r.field("Aux Data", "igmp.aux_data", .bytes, blurb: "IGMP V3 Auxiliary Data", in: p)
        hf.data = r.field("Data", "igmp.data", .bytes, in: p)
        hf.eiBadChecksum = r.expert("igmp.bad_checksum", "Bad checksum", .error, .checksum, in: p)
        IGMPFieldCatalog.registerAll(r, ["igmp": p])
        sqrv = [hf.suppress, hf.qrv]
        maxRespParts = [hf.maxRespExp, hf.maxRespMant]
        for (k, v) in Self.typeNames { infoNames[UInt8(k)] = v }
    }

    /// Which of tshark's "igmp.type" dissectors handles `type` (nil: the unknown-type dissector).
    private enum Kind { case v0, v1, v2, query, v3Report }
    private func kind(_ type: UInt8) -> Kind? {
        switch type {
        case 0...15: return .v0
        case 0x11: return .query
        case 0x12: return .v1
        case 0x16, 0x17: return .v2
        case 0x22: return .v3Report
        default: return nil
        }
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.layers.push(hf.proto)
        let type = try data.u8(0)
        guard let kind = kind(type) else {
            try unknown(&packet, data, parent, type)
            return .consumed(data.count)
        }
        // tshark's "igmp.type" table call adds the protocol a second time ("ip:igmp:igmp").
        packet.layers.push(hf.proto)
        let reported = packet.reportedLength(data)
        switch kind {
        case .v0: try v0(&packet, data, parent, type)
        case .v1: try v1(&packet, data, parent, type)
        case .v2: try v2(&packet, data, parent, type)
        case .v3Report: try v3Report(&packet, data, parent, type, reported)
        case .query:
            if reported >= 12 {
                try v3Query(&packet, data, parent, type, reported)
            } else if try data.u8(1) != 0 {
                try v2(&packet, data, parent, type)
            } else {
                try v1(&packet, data, parent, type)
            }
        }
        return .consumed(data.count)
    }

    // MARK: common parts

    private func common(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, _ type: UInt8,
                        version: Int) -> TreeNode {
        switch version {
        case 0: packet.protocolColumn = "IGMPv0"
        case 1: packet.protocolColumn = "IGMPv1"
        case 2: packet.protocolColumn = "IGMPv2"
        default: packet.protocolColumn = "IGMPv3"
        }
        packet.info.clear()
        let top = packet.add(hf.proto, data, 0, data.count, .none, parent: parent)
        appendTypeName(packet.info, type)
        packet.addGenerated(hf.version, .uint(UInt64(version)), parent: top, at: data, 0, 0)
        packet.add(hf.type, data, 0, 1, .uint(UInt64(type)), parent: top)
        return top
    }

    private func appendTypeName(_ info: ColumnText, _ type: UInt8) {
        if let name = infoNames[type] {
            info.append(name)
        } else {
            info.append("Unknown Type:0x")
            info.appendHex(UInt64(type), width: 2)
        }
    }

    /// tshark's `igmp_checksum`: verified over the first `length` bytes (0: all of the message)
    /// when they were captured and the datagram is not a fragment; "[unverified]" otherwise.
    private func checksum(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, length: Int,
                          reported: Int) throws(Malformed) {
        let value = try data.u16(2)
        let item = packet.add(hf.checksum, data, 2, 2, .uint(UInt64(value)), parent: top)
        let len = length == 0 ? reported : length
        if !packet.fragmented && data.count >= len {
            packet.addChecksumVerdict(sum: InternetChecksum.sum(data.prefix(len)), unverifiedReason: "",
                                      checksum: value, item: item, status: hf.checksumStatus,
                                      badExpert: hf.eiBadChecksum, parent: top, data, 2)
        } else {
            packet.appendLabel(item, " [unverified]")
            packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.unverified), parent: top, at: data, 2, 2)
        }
    }

    private func ipv4Text(_ a: UInt32) -> String { FieldFormatter.ipv4String(a) }

    // MARK: versions

    private func unknown(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                         _ type: UInt8) throws(Malformed) {
        packet.protocolColumn = "IGMP"
        packet.info.clear()
        let top = packet.add(hf.proto, data, 0, data.count, .none, parent: parent)
        appendTypeName(packet.info, type)
        packet.add(hf.type, data, 0, 1, .uint(UInt64(type)), parent: top)
        packet.add(hf.data, data, 1, data.count - 1, .bytes, parent: top)
    }

    /// RFC 988: code, checksum over 20 bytes, identifier, group, access key.
    private func v0(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                    _ type: UInt8) throws(Malformed) {
        let top = common(&packet, data, parent, type, version: 0)
        let code = try data.u8(1)
        if type == 1 {
            packet.add(hf.groupType, data, 1, 1, .uint(UInt64(code)), parent: top)
        } else if type & 1 == 0 {
            packet.add(code < 5 ? hf.reply : hf.replyPending, data, 1, 1, .uint(UInt64(code)), parent: top)
        }
        try checksum(&packet, data, top, length: 20, reported: packet.reportedLength(data))
        packet.add(hf.identifier, data, 4, 4, .uint(UInt64(try data.u32(4))), parent: top)
        packet.add(hf.maddr, data, 8, 4, .ipv4(try data.u32(8)), parent: top)
        try data.check(12, 8)
        packet.add(hf.accessKey, data, 12, 8, .bytes, parent: top)
    }

    /// RFC 1112: unused byte, checksum over 8 bytes, group.
    private func v1(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                    _ type: UInt8) throws(Malformed) {
        let top = common(&packet, data, parent, type, version: 1)
        try data.check(1, 1)
        packet.add(hf.reserved, data, 1, 1, .bytes, parent: top)
        try checksum(&packet, data, top, length: 8, reported: packet.reportedLength(data))
        packet.add(hf.maddr, data, 4, 4, .ipv4(try data.u32(4)), parent: top)
    }

    /// RFC 2236: max response time in tenths of a second, checksum over 8 bytes, group.
    private func v2(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                    _ type: UInt8) throws(Malformed) {
        let top = common(&packet, data, parent, type, version: 2)
        let tsecs = try data.u8(1)
        let item = packet.add(hf.maxResp, data, 1, 1, .uint(UInt64(tsecs)), parent: top)
        if packet.buildsFullTree { packet.setLabel(item, "Max Resp Time: " + Self.seconds(UInt32(tsecs), code: tsecs)) }
        try checksum(&packet, data, top, length: 8, reported: packet.reportedLength(data))
        let group = try data.u32(4)
        packet.add(hf.maddr, data, 4, 4, .ipv4(group), parent: top)
        if group == 0 {
            packet.info.append(", general")
        } else {
            switch type {
            case 0x17: packet.info.append(" ")
            case 0x11: packet.info.append(", specific for group ")
            default: packet.info.append(" group ")
            }
            packet.info.append(ipv4Text(group))
        }
    }

    /// "10.0 sec (0x64)": tshark's `%.1f sec (0x%02x)` of a time in tenths of a second.
    static func seconds(_ tenths: UInt32, code: UInt8) -> String {
        "\(tenths / 10).\(tenths % 10) sec (0x" + FieldFormatter.hex(UInt64(code), digits: 2) + ")"
    }

    /// RFC 3376 §4.1: a query with its max response code, S/QRV, QQIC and sources.
    private func v3Query(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, _ type: UInt8,
                         _ reported: Int) throws(Malformed) {
        let top = common(&packet, data, parent, type, version: 3)
        let count = try data.u16(10)
        let code = try data.u8(1)
        // RFC 3376 §4.1.1: codes from 128 on are a floating-point value.
        let tsecs = code & 0x80 != 0 ? (UInt32(code & 0x0f) | 0x10) << (UInt32((code & 0x70) >> 4) + 3) : UInt32(code)
        let item = packet.add(hf.maxResp, data, 1, 1, .uint(UInt64(tsecs)), parent: top)
        if packet.buildsFullTree { packet.setLabel(item, "Max Resp Time: " + Self.seconds(tsecs, code: code)) }
        if code & 0x80 != 0 {
            packet.add(hf.maxRespExp, data, 1, 1, .uint(UInt64((code & 0x70) >> 4)), parent: item)
            packet.add(hf.maxRespMant, data, 1, 1, .uint(UInt64(code & 0x0f)), parent: item)
        }
        try checksum(&packet, data, top, length: 0, reported: reported)
        let group = try data.u32(4)
        packet.add(hf.maddr, data, 4, 4, .ipv4(group), parent: top)
        if group == 0 {
            packet.info.append(", general")
        } else {
            packet.info.append(", specific for group ")
            packet.info.append(ipv4Text(group))
        }
        let bits = try data.u8(8)
        packet.add(hf.suppress, data, 8, 1, .uint(UInt64((bits & 0x08) >> 3)), parent: top)
        packet.add(hf.qrv, data, 8, 1, .uint(UInt64(bits & 0x07)), parent: top)
        packet.add(hf.qqic, data, 9, 1, .uint(UInt64(try data.u8(9))), parent: top)
        packet.add(hf.numSrc, data, 10, 2, .uint(UInt64(count)), parent: top)
        if count > 0 { packet.info.append(count > 1 ? ", sources {" : ", source {") }
        var offset = 12
        var left = Int(count)
        while left > 0 {
            left -= 1
            let source = try data.u32(offset)
            packet.info.append(ipv4Text(source))
            packet.info.append(left > 0 ? ", " : "}")
            packet.add(hf.saddr, data, offset, 4, .ipv4(source), parent: top)
            offset += 4
        }
    }

    /// RFC 3376 §4.2: a report of group records.
    private func v3Report(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, _ type: UInt8,
                          _ reported: Int) throws(Malformed) {
        let top = common(&packet, data, parent, type, version: 3)
        try data.check(1, 1)
        packet.add(hf.reserved, data, 1, 1, .bytes, parent: top)
        try checksum(&packet, data, top, length: 0, reported: reported)
        try data.check(4, 2)
        packet.add(hf.reserved, data, 4, 2, .bytes, parent: top)
        let count = try data.u16(6)
        if count == 0 { packet.info.append(" - General query") }
        packet.add(hf.numGroupRecords, data, 6, 2, .uint(UInt64(count)), parent: top)
        var offset = 8
        for _ in 0..<Int(count) {
            offset = try groupRecord(&packet, data, top, offset)
        }
    }

    private func groupRecord(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                             _ start: Int) throws(Malformed) -> Int {
        let group = try data.u32(start + 4)
        let recordType = try data.u8(start)
        let node = packet.addText("Group Record : " + ipv4Text(group) + "  "
                                  + (Self.recordTypeNames[UInt64(recordType)] ?? ""),
                                  data, start, data.count - start, parent: top)
        packet.add(hf.recordType, data, start, 1, .uint(UInt64(recordType)), parent: node)
        let auxLength = try data.u8(start + 1)
        packet.add(hf.auxDataLen, data, start + 1, 1, .uint(UInt64(auxLength)), parent: node)
        let count = try data.u16(start + 2)
        packet.add(hf.numSrc, data, start + 2, 2, .uint(UInt64(count)), parent: node)
        packet.add(hf.maddr, data, start + 4, 4, .ipv4(group), parent: node)
        let info = packet.info
        let g = ipv4Text(group)
        if count == 0 {
            switch recordType {
            case 1, 3: info.append(" / Leave group " + g)
            case 2, 4: info.append(" / Join group " + g + " for any sources")
            case 5: info.append(" / Group " + g + ", ALLOW_NEW_SOURCES but no source specified (?)")
            case 6: info.append(" / Group " + g + ", BLOCK_OLD_SOURCES but no source specified (?)")
            default: info.append(" / Group " + g + ", unknown record type (?)")
            }
        } else {
            switch recordType {
            case 1, 3: info.append(" / Join group " + g + " for source" + (count > 1 ? "s in" : "") + " {")
            case 2, 4: info.append(" / Join group " + g + ", for source" + (count > 1 ? "s not in" : " not") + " {")
            case 5: info.append(" / Group " + g + ", new source" + (count > 1 ? "s" : "") + " {")
            case 6: info.append(" / Group " + g + ", block source" + (count > 1 ? "s" : "") + " {")
            default: info.append(" / Group " + g + ", unknown record type (?), sources {")
            }
        }
        var offset = start + 8
        var left = Int(count)
        while left > 0 {
            left -= 1
            let source = try data.u32(offset)
            info.append(ipv4Text(source))
            info.append(left > 0 ? ", " : "}")
            packet.add(hf.saddr, data, offset, 4, .ipv4(source), parent: node)
            offset += 4
        }
        if auxLength > 0 {
            try data.check(offset, Int(auxLength) * 4)
            packet.add(hf.auxData, data, offset, Int(auxLength) * 4, .bytes, parent: node)
            offset += Int(auxLength) * 4
        }
        if node.index >= 0 { packet.tree.records[Int(node.index)].length = Int32(offset - start) }
        return offset
    }
}
