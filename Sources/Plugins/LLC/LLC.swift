import DissectKit

/// IEEE 802.2 Logical-Link Control, with SNAP (DSAP = SSAP = 0xAA): the header after an 802.3
/// length, in FDDI and Token Ring frames, and in Linux cooked captures (protocol 4).
/// SNAP payloads with OUI 00-00-00 (or 00-00-F8) carry an EtherType; other OUIs have their own
/// protocol-ID tables ("llc.cisco_pid"…); plain SAPs go to the "llc.dsap" table.
public enum LLCPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = LLCDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerDissector("llc", h)
        r.table("sll.ltype", uiName: "Linux SLL protocol type").add(4, h)
        LLCFieldCatalog.registerAll(r, ["llc": d.hf.proto, "basicxid": d.xid.proto])
    }
}

final class LLCDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var dsap = FieldID.textOnly
        var dsapSAP = FieldID.textOnly
        var dsapIG = FieldID.textOnly
        var ssap = FieldID.textOnly
        var ssapSAP = FieldID.textOnly
        var ssapCR = FieldID.textOnly
        var control = FieldID.textOnly
        var nR = FieldID.textOnly
        var nS = FieldID.textOnly
        var poll = FieldID.textOnly
        var final = FieldID.textOnly
        var sType = FieldID.textOnly
        var uCommand = FieldID.textOnly
        var uResponse = FieldID.textOnly
        var frameType = FieldID.textOnly
        var type = FieldID.textOnly
        var oui = FieldID.textOnly
        var pid = FieldID.textOnly
    }
    var hf = Fields()
    let xid: BasicXID

    /// One SNAP organisation with its own protocol-ID field and table.
    struct OrganizationPIDs {
        let field: FieldID
        let table: DissectorTable
    }
    private var organizations: [UInt32: OrganizationPIDs] = [:]
    let ethertype: DissectorTable
    let dsapTable: DissectorTable
    /// SAPs whose protocols are found by name (tshark registers them in "llc.dsap" itself).
    private let sapProtocols: [UInt8: NamedDissector]

    static let ouiEncapsulatedEthernet: UInt32 = 0x000000
    static let ouiCisco90: UInt32 = 0x0000f8
    static let sapSNAP: UInt8 = 0xaa

    /// SAP names keyed by the SAP value without its I/G (C/R) bit, for the "SAP:" sub-items.
    static let sapNamesShifted: [UInt64: String] = {
        var d: [UInt64: String] = [:]
        for (k, v) in LLCNames.saps where k & 1 == 0 { d[k >> 1] = v }
        return d
    }()

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Logical-Link Control", shortName: "LLC", abbrev: "llc")
        hf.proto = p
        hf.dsap = r.field("DSAP", "llc.dsap", .uint8, .hex, strings: .values(LLCNames.saps),
                          blurb: "Destination Service Access Point", in: p)
        hf.dsapSAP = r.field("SAP", "llc.dsap.sap", .uint8, .none, strings: .values(Self.sapNamesShifted), bitmask: 0xfe,
                             blurb: "Service Access Point", in: p)
        hf.dsapIG = r.field("IG Bit", "llc.dsap.ig", .boolean, strings: .trueFalse("Group", "Individual"), bitmask: 0x01,
                            bitWidth: 8, blurb: "Individual/Group", in: p)
        hf.ssap = r.field("SSAP", "llc.ssap", .uint8, .hex, strings: .values(LLCNames.saps),
                          blurb: "Source Service Access Point", in: p)
        hf.ssapSAP = r.field("SAP", "llc.ssap.sap", .uint8, .none, strings: .values(Self.sapNamesShifted), bitmask: 0xfe,
                             blurb: "Service Access Point", in: p)
        hf.ssapCR = r.field("CR Bit", "llc.ssap.cr", .boolean, strings: .trueFalse("Response", "Command"), bitmask: 0x01,
                            bitWidth: 8, blurb: "Command/Response", in: p)
        hf.control = r.field("Control", "llc.control", .uint16, .hex, in: p)
        hf.nR = r.field("N(R)", "llc.control.n_r", .uint16, .dec, bitmask: 0xfe00, in: p)
        hf.nS = r.field("N(S)", "llc.control.n_s", .uint16, .dec, bitmask: 0x00fe, in: p)
        hf.poll = r.field("Poll", "llc.control.p", .boolean, bitmask: 0x10, bitWidth: 8, in: p)
        hf.final = r.field("Final", "llc.control.f", .boolean, bitmask: 0x10, bitWidth: 8, in: p)
        hf.sType = r.field("Supervisory frame type", "llc.control.s_ftype", .uint16, .hex,
                           strings: .values(LLCNames.sTypes), bitmask: 0x000c, in: p)
        hf.uCommand = r.field("Command", "llc.control.u_modifier_cmd", .uint8, .hex,
                              strings: .values(LLCNames.uCommands), bitmask: 0xec, in: p)
        hf.uResponse = r.field("Response", "llc.control.u_modifier_resp", .uint8, .hex,
                               strings: .values(LLCNames.uResponses), bitmask: 0xec, in: p)
        hf.frameType = r.field("Frame type", "llc.control.ftype", .uint8, .hex,
                               strings: .values([0: "Information frame", 1: "Supervisory frame", 3: "Unnumbered frame"]),
                               bitmask: 0x03, in: p)
        hf.type = r.field("Type", "llc.type", .uint16, .hex, strings: EtherTypes.strings, in: p)
        hf.oui = r.field("Organization Code", "llc.oui", .uint24, .none, in: p)
        hf.pid = r.field("Protocol ID", "llc.pid", .uint16, .hex, in: p)

        ethertype = r.table("ethertype", uiName: "Ethertype")
        dsapTable = r.table("llc.dsap", uiName: "LLC SAP")
        let organizationTables: [(UInt32, String, String, [UInt64: String])] = [
            (0x00000c, "llc.cisco_pid", "Cisco OUI PID", LLCNames.ciscoPIDs),
            (0x00005e, "llc.iana_pid", "IANA OUI PID", LLCNames.ianaPIDs),
            (0x000081, "llc.nortel_pid", "Nortel OUI PID", LLCNames.nortelPIDs),
            (0x00e02b, "llc.extreme_pid", "Extreme Networks OUI PID", LLCNames.extremePIDs),
            (0x00e052, "llc.foundry_pid", "Foundry OUI PID", LLCNames.foundryPIDs),
            (0x0001e8, "llc.force10_pid", "Force10 OUI PID", LLCNames.force10PIDs),
            (0x004096, "llc.wlccp_pid", "Cisco WLCCP OUI PID", LLCNames.wlccpPIDs),
            (0x001958, "llc.bluetooth_pid", "Bluetooth OUI PID", LLCNames.bluetoothPIDs),
            (0x0017f2, "llc.apple_awdl_pid", "Apple AWDL OUI PID", LLCNames.appleAWDLPIDs),
            (0x080007, "llc.apple_atalk_pid", "Apple AppleTalk OUI PID", LLCNames.appleAtalkPIDs),
        ]
        for (oui, abbrev, ui, names) in organizationTables {
            let field = r.field("PID", abbrev, .uint16, .hex, strings: .values(names), blurb: "Protocol ID", in: p)
            organizations[oui] = OrganizationPIDs(field: field, table: r.table(abbrev, uiName: ui))
        }
        sapProtocols = [
            0x06: r.dissector(named: "ip"), 0x42: r.dissector(named: "stp"), 0xe0: r.dissector(named: "ipx"),
            0xf0: r.dissector(named: "netbios"), 0xfe: r.dissector(named: "osi"),
        ]
        xid = BasicXID(r)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "LLC"
        // Cleared first: a frame too short for the control field shows only the malformed mark.
        packet.info.clear()
        let top = packet.addProtocol(hf.proto, data, 0, min(3, data.count), parent: parent)
        let dsap = try data.u8(0)
        let dsapItem = packet.add(hf.dsap, data, 0, 1, .uint(UInt64(dsap)), parent: top)
        packet.add(hf.dsapSAP, data, 0, 1, .uint(UInt64(dsap >> 1)), parent: dsapItem)
        packet.add(hf.dsapIG, data, 0, 1, .uint(UInt64(dsap & 1)), parent: dsapItem)
        let ssap = try data.u8(1)
        let ssapItem = packet.add(hf.ssap, data, 1, 1, .uint(UInt64(ssap)), parent: top)
        packet.add(hf.ssapSAP, data, 1, 1, .uint(UInt64(ssap >> 1)), parent: ssapItem)
        packet.add(hf.ssapCR, data, 1, 1, .uint(UInt64(ssap & 1)), parent: ssapItem)

        let isResponse = ssap & 1 != 0
        let control = try XDLCControl(data, at: 2, isResponse: isResponse)
        addControl(&packet, data, top, control)
        packet.info.clear()
        control.appendSummary(to: packet.info)
        let headerLength = 2 + control.length
        if !top.isNone { packet.tree.records[Int(top.index)].length = Int32(headerLength) }

        let isSNAP = dsap == Self.sapSNAP && ssap == Self.sapSNAP
        if isSNAP {
            try snap(&packet, data, top, parent, at: headerLength, control: control)
            return .consumed(data.count)
        }
        packet.info.append("; DSAP ")
        appendSAP(packet.info, dsap & 0xfe)
        packet.info.append(dsap & 1 != 0 ? " Group" : " Individual")
        packet.info.append(", SSAP ")
        appendSAP(packet.info, ssap & 0xfe)
        packet.info.append(isResponse ? " Response" : " Command")

        let payload = data.suffix(from: headerLength)
        if control.isInformation {
            if packet.call(table: dsapTable, key: UInt32(dsap), payload, parent: parent) == nil {
                if let h = sapProtocols[dsap]?.handle {
                    packet.call(h, payload, parent: parent)
                } else {
                    packet.callData(payload, parent: parent)
                }
            }
        } else if control.isXID && payload.count > 0 {
            xid.dissect(&packet, payload, parent: parent)
        } else {
            packet.callData(payload, parent: parent)
        }
        return .consumed(data.count)
    }

    private func appendSAP(_ info: ColumnText, _ sap: UInt8) {
        if let name = LLCNames.saps[UInt64(sap)] {
            info.append(name)
        } else {
            info.append("0x")
            info.appendHex(UInt64(sap), width: 2)
        }
    }

    /// The control field and its sub-items, as tshark's shared X.25/HDLC/LLC code shows them.
    private func addControl(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ c: XDLCControl) {
        let node = packet.add(hf.control, data, 2, c.length, .uint(UInt64(c.value)), parent: top)
        if packet.buildsFullTree { packet.setLabel(node, "Control field: " + c.summary + " (0x" + c.hexText + ")") }
        let v = UInt64(c.value)
        switch c.kind {
        case .unnumbered:
            if c.pollFinal { packet.add(c.isResponse ? hf.final : hf.poll, data, 2, 1, .uint(1), parent: node) }
            packet.add(c.isResponse ? hf.uResponse : hf.uCommand, data, 2, 1, .uint((v & 0xec) >> 2), parent: node)
            packet.add(hf.frameType, data, 2, 1, .uint(v & 0x03), parent: node)
        case .supervisory:
            packet.add(hf.nR, data, 2, 2, .uint((v & 0xfe00) >> 9), parent: node)
            if c.pollFinal { addExtendedPollFinal(&packet, data, node, c.isResponse) }
            packet.add(hf.sType, data, 2, 2, .uint((v & 0x000c) >> 2), parent: node)
            addExtendedFrameType(&packet, data, node, value: v & 0x03, mask: 0x0003, name: "Supervisory frame")
        case .information:
            packet.add(hf.nR, data, 2, 2, .uint((v & 0xfe00) >> 9), parent: node)
            packet.add(hf.nS, data, 2, 2, .uint((v & 0x00fe) >> 1), parent: node)
            if c.pollFinal { addExtendedPollFinal(&packet, data, node, false) }
            addExtendedFrameType(&packet, data, node, value: v & 0x01, mask: 0x0001, name: "Information frame")
        }
    }

    /// The 16-bit variants of the P/F and frame-type items (tshark registers them under the
    /// same names with other masks; the drawing is made here).
    private func addExtendedPollFinal(_ packet: inout PacketContext, _ data: ByteView, _ node: TreeNode, _ isResponse: Bool) {
        let item = packet.add(isResponse ? hf.final : hf.poll, data, 2, 2, .uint(1), parent: node)
        if packet.buildsFullTree {
            packet.setLabel(item, FieldFormatter.bitPattern(value: 1, mask: 0x0100, width: 16)
                                + (isResponse ? " = Final: Set" : " = Poll: Set"))
        }
    }

    private func addExtendedFrameType(_ packet: inout PacketContext, _ data: ByteView, _ node: TreeNode, value: UInt64,
                                      mask: UInt64, name: String) {
        let item = packet.add(hf.frameType, data, 2, 2, .uint(value), parent: node)
        if packet.buildsFullTree {
            packet.setLabel(item, FieldFormatter.bitPattern(value: value, mask: mask, width: 16)
                                + " = Frame type: " + name + " (0x\(String(value, radix: 16)))")
        }
    }

    /// SNAP: a 3-byte organisation code and a 2-byte protocol identifier.
    private func snap(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ parent: TreeNode, at offset: Int,
                      control: XDLCControl) throws(Malformed) {
        let oui = try data.u24(offset)
        let pid = try data.u16(offset + 3)
        if !top.isNone { packet.tree.records[Int(top.index)].length = Int32(offset + 5) }
        let ouiItem = packet.add(hf.oui, data, offset, 3, .uint(UInt64(oui)), parent: top)
        if packet.buildsFullTree {
            packet.setLabel(ouiItem, "Organization Code: " + packet.engine.nameResolver.ouiDisplay(oui))
        }
        // "; SNAP, OUI 0x08002B (Digital Equipment Corporation), PID 0x1234", which the
        // payload's dissector usually replaces.
        packet.info.append("; SNAP, OUI 0x")
        packet.info.append(FieldFormatter.hex(UInt64(oui), digits: 6).uppercased())
        packet.info.append(" (")
        packet.info.append(packet.engine.nameResolver.vendor(oui: oui)?.longName ?? "Unknown")
        packet.info.append("), PID 0x")
        packet.info.append(FieldFormatter.hex(UInt64(pid), digits: 4).uppercased())

        let payload = data.suffix(from: offset + 5)
        switch oui {
        case Self.ouiEncapsulatedEthernet, Self.ouiCisco90:
            // Only frames carrying data (I, UI) have a meaningful EtherType.
            guard control.isInformation else {
                packet.callData(payload, parent: parent)
                return
            }
            packet.add(hf.type, data, offset + 3, 2, .uint(UInt64(pid)), parent: top)
            if packet.call(table: ethertype, key: UInt32(pid), payload, parent: parent) == nil {
                packet.callData(payload, parent: parent)
            }
        default:
            if let org = organizations[oui] {
                packet.add(org.field, data, offset + 3, 2, .uint(UInt64(pid)), parent: top)
                if packet.call(table: org.table, key: UInt32(pid), payload, parent: parent) == nil {
                    packet.callData(payload, parent: parent)
                }
                return
            }
            packet.add(hf.pid, data, offset + 3, 2, .uint(UInt64(pid)), parent: top)
            packet.callData(payload, parent: parent)
        }
    }
}

/// The control field of HDLC-family protocols as LLC uses it: U frames take one byte, I and S
/// frames two (modulo-128, little-endian).
struct XDLCControl {
    enum Kind { case information, supervisory, unnumbered }
    let kind: Kind
    let value: UInt16
    let length: Int
    let isResponse: Bool
    var pollFinal: Bool {
        kind == .unnumbered ? value & 0x10 != 0 : value & 0x0100 != 0
    }

    init(_ data: ByteView, at offset: Int, isResponse: Bool) throws(Malformed) {
        self.isResponse = isResponse
        let first = try data.u8(offset)
        if first & 0x03 == 0x03 {
            kind = .unnumbered
            value = UInt16(first)
            length = 1
        } else {
            kind = first & 0x01 == 0 ? .information : .supervisory
            value = try data.u16le(offset)
            length = 2
        }
    }

    /// I frames and UI frames carry data for the layer above.
    var isInformation: Bool { kind == .information || (kind == .unnumbered && value & 0xef == 0x03) }
    var isXID: Bool { kind == .unnumbered && value & 0xef == 0xaf }

    static let uShortCommands: [UInt16: String] = [
        0x00: "UI", 0x20: "UP", 0x40: "DISC", 0x60: "UA", 0x80: "SNRM", 0xe0: "TEST", 0x04: "SIM", 0x84: "FRMR",
        0xc4: "CFGR", 0x0c: "SARM", 0x2c: "SABM", 0x4c: "SARME", 0x6c: "SABME", 0x8c: "RESET", 0xac: "XID",
        0xcc: "SNRME", 0xec: "BCN",
    ]
    static let uShortResponses: [UInt16: String] = [
        0x00: "UI", 0x20: "UP", 0x40: "RD", 0x60: "UA", 0x80: "SNRM", 0xe0: "TEST", 0x04: "RIM", 0x84: "FRMR",
        0xc4: "CFGR", 0x0c: "DM", 0x2c: "SABM", 0x4c: "SARME", 0x6c: "SABME", 0x8c: "RESET", 0xac: "XID",
        0xcc: "SNRME", 0xec: "BCN",
    ]
    static let sShort: [UInt16: StaticString] = [0: "RR", 1: "RNR", 2: "REJ", 3: "SREJ"]

    private var pfText: StaticString {
        guard pollFinal else { return "" }
        return isResponse ? " F" : " P"
    }

    /// "U, func=UI", "I, N(R)=3, N(S)=2", "S F, func=RR, N(R)=3".
    var summary: String {
        let c = ColumnText()
        appendSummary(to: c)
        return c.string
    }

    func appendSummary(to info: ColumnText) {
        switch kind {
        case .unnumbered:
            info.append("U")
            info.append(pfText)
            info.append(", func=")
            let names = isResponse ? Self.uShortResponses : Self.uShortCommands
            info.append(names[value & 0xec] ?? "Unknown")
        case .supervisory:
            info.append("S")
            info.append(pfText)
            info.append(", func=")
            info.append(Self.sShort[(value & 0x0c) >> 2] ?? "RR")
            info.append(", N(R)=")
            info.append(UInt64(value >> 9))
        case .information:
            info.append("I")
            info.append(pollFinal ? " P" : "")
            info.append(", N(R)=")
            info.append(UInt64(value >> 9))
            info.append(", N(S)=")
            info.append(UInt64((value >> 1) & 0x7f))
        }
    }

    /// "03", "0604": upper-case hex of the field, as tshark prints it.
    var hexText: String { FieldFormatter.hex(UInt64(value), digits: length * 2).uppercased() }
}

/// The LLC basic-format XID information field (tshark's "basicxid").
struct BasicXID {
    let proto: FieldID
    let format: FieldID
    let types: FieldID
    let windowSize: FieldID

    static let typeNames: [UInt64: String] = [
        1: "Type 1 LLC (Class I LLC)", 2: "Type 2 LLC", 3: "Type 1 and Type 2 LLCs (Class II LLC)", 4: "Type 3 LLC",
        5: "Type 1 and Type 3 LLCs (Class III LLC)", 6: "Type 2 and Type 3 LLCs",
        7: "Type 1 and Type 2 and Type 3 LLCs (Class IV LLC)",
    ]

    init(_ r: Registrar) {
        proto = r.registerProtocol(name: "Logical-Link Control Basic Format XID", shortName: "Basic Format XID",
                                   abbrev: "basicxid")
        format = r.field("XID Format", "basicxid.llc.xid.format", .uint8, .hex,
                         strings: .values([0x81: "LLC basic format"]), in: proto)
        types = r.field("LLC Types/Classes", "basicxid.llc.xid.types", .uint8, .hex, strings: .values(Self.typeNames),
                        in: proto)
        windowSize = r.field("Receive Window Size", "basicxid.llc.xid.wsize", .uint8, .dec, in: proto)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, parent: TreeNode) {
        packet.protocolColumn = "XID"
        packet.info.clear()
        // Dissected in place by LLC: a tree item but no layer of its own in frame.protocols.
        let top = packet.add(proto, data, 0, min(3, data.count), .none, parent: parent)
        guard let f = try? data.u8(0) else { return }
        packet.add(format, data, 0, 1, .uint(UInt64(f)), parent: top)
        guard f == 0x81 else {
            packet.info.append("Data")
            return
        }
        packet.info.append("Basic Format")
        guard let t = try? data.u8(1) else { return }
        let classes = UInt64(t & 0x1f)
        packet.add(types, data, 1, 1, .uint(classes), parent: top)
        packet.info.append("; ")
        packet.info.append(Self.typeNames[classes] ?? "Unknown")
        guard let w = try? data.u8(2) else { return }
        packet.add(windowSize, data, 2, 1, .uint(UInt64(w >> 1)), parent: top)
        packet.info.append("; Window Size ")
        packet.info.append(UInt64(w >> 1))
    }
}
