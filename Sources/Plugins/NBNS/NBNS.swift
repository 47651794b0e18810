import DissectKit

/// The NetBIOS Name Service (RFC 1002 §4.2) on UDP port 137: name queries, registrations,
/// releases, refreshes and their responses, with NB and NBSTAT resource records.
public enum NBNSPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = NBNSDissector(r)
        r.table("udp.port", uiName: "UDP port").add(137, r.handle(d.hf.proto, d))
    }
}

final class NBNSDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var id = FieldID.textOnly
        var flags = FieldID.textOnly
        var questions = FieldID.textOnly
        var answers = FieldID.textOnly
        var authority = FieldID.textOnly
        var additional = FieldID.textOnly
        var name = FieldID.textOnly
        var type = FieldID.textOnly
        var rrClass = FieldID.textOnly
        var ttl = FieldID.textOnly
        var dataLength = FieldID.textOnly
        var nbFlags = FieldID.textOnly
        var addr = FieldID.textOnly
        var data = FieldID.textOnly
        var numberOfNames = FieldID.textOnly
        var netbiosName = FieldID.textOnly
        var nameFlags = FieldID.textOnly
        var unitID = FieldID.textOnly
        var eiIncomplete = FieldID.textOnly
    }
    var hf = Fields()
    /// Bitmask members of the header flags for requests, responses and WACK responses, and of
    /// the NB and NBSTAT name flags (stored once: a literal per call would allocate).
    private var requestFlags: [FieldID] = []
    private var responseFlags: [FieldID] = []
    private var wackFlags: [FieldID] = []
    private var nbFlagBits: [FieldID] = []
    private var nameFlagBits: [FieldID] = []
    /// NBSTAT statistics after the unit id: (field, size), in RFC 1002 §4.2.18 order.
    private var statistics: [(FieldID, Int)] = []
    /// Reused buffers for name decoding.
    private var raw: [UInt8] = []
    private var printed: [UInt8] = []

    static let opcodeNames: [UInt64: String] = [
        0: "Name query", 5: "Registration", 6: "Release", 7: "Wait for acknowledgment", 8: "Refresh",
        9: "Refresh (alternate opcode)", 15: "Multi-homed registration",
    ]
    static let rcodeNames: [UInt64: String] = [
        0: "No error", 1: "Request was invalidly formatted", 2: "Server failure", 3: "Requested name does not exist",
        4: "Request is not implemented", 5: "Request was refused", 6: "Name is owned by another node",
        7: "Name is in conflict",
    ]
    static let typeNames: [UInt64: String] = [32: "NB", 33: "NBSTAT"]
    static let opcodeWACK: UInt16 = 7
    static let sectionTitles = ["Answers", "Authoritative nameservers", "Additional records"]
    static let headerLength = 12

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "NetBIOS Name Service", shortName: "NBNS", abbrev: "nbns")
        hf.proto = p
        func tf(_ t: String, _ f: String) -> ValueStrings { .trueFalse(t, f) }
        // Fields with value strings are registered from the catalog entry plus their strings.
        // tshark's own strings (`-G values`, in the catalog) win over any written here.
        func f(_ abbrev: String, _ strings: ValueStrings? = nil) -> FieldID {
            NBNSFieldCatalog.field(r, abbrev, strings: NBNSFieldCatalog.strings[abbrev] ?? strings, in: p)
        }
        hf.id = f("nbns.id")
        hf.flags = f("nbns.flags")
        let response = f("nbns.flags.response", tf("Message is a response", "Message is a query"))
        let opcode = f("nbns.flags.opcode", .values(Self.opcodeNames))
        let authoritative = f("nbns.flags.authoritative",
                              tf("Server is an authority for domain", "Server is not an authority for domain"))
        let truncated = f("nbns.flags.truncated", tf("Message is truncated", "Message is not truncated"))
        let recDesired = f("nbns.flags.recdesired", tf("Do query recursively", "Don't do query recursively"))
        let recAvail = f("nbns.flags.recavail",
                         tf("Server can do recursive queries", "Server can't do recursive queries"))
        let broadcast = f("nbns.flags.broadcast", tf("Broadcast packet", "Not a broadcast packet"))
        let rcode = f("nbns.flags.rcode", .values(Self.rcodeNames))
        requestFlags = [response, opcode, truncated, recDesired, broadcast]
        responseFlags = [response, opcode, authoritative, truncated, recDesired, recAvail, broadcast, rcode]
        wackFlags = [response, opcode, authoritative, truncated, recDesired, recAvail, broadcast]
        hf.questions = f("nbns.count.queries")
        hf.answers = f("nbns.count.answers")
        hf.authority = f("nbns.count.auth_rr")
        hf.additional = f("nbns.count.add_rr")
        hf.name = f("nbns.name")
        hf.type = f("nbns.type", .values(Self.typeNames))
        hf.rrClass = f("nbns.class", .values(DNSNames.classes))
        hf.ttl = f("nbns.ttl")
        hf.dataLength = f("nbns.data_length")
        let groupName = tf("Group name", "Unique name")
        hf.nbFlags = f("nbns.nb_flags")
        nbFlagBits = [f("nbns.nb_flags.group", groupName),
                      f("nbns.nb_flags.ont", .values([0: "B-node", 1: "P-node", 2: "M-node", 3: "H-node"]))]
        hf.nameFlags = f("nbns.name_flags")
        nameFlagBits = [
            f("nbns.name_flags.group", groupName),
            f("nbns.name_flags.ont", .values([0: "B-node", 1: "P-node", 2: "M-node"])),
            f("nbns.name_flags.drg", tf("Name is being deregistered", "Name is not being deregistered")),
            f("nbns.name_flags.cnf", tf("Name is in conflict", "Name is not in conflict")),
            f("nbns.name_flags.act", tf("Name is active", "Name is not active")),
            f("nbns.name_flags.prm", tf("Permanent node name", "Not permanent node name")),
        ]
        hf.addr = f("nbns.addr")
        hf.data = f("nbns.data")
        hf.numberOfNames = f("nbns.number_of_names")
        hf.netbiosName = f("nbns.netbios_name")
        hf.unitID = f("nbns.unit_id")
        hf.eiIncomplete = r.expert("nbns.incomplete_entry", "incomplete entry", .error, .malformed, in: p)
        NBNSFieldCatalog.registerAll(r, ["nbns": p])
        let reg = r.engine.registry
        func id(_ name: String) -> FieldID { reg.lookup("nbns." + name) ?? .textOnly }
        statistics = [
            (id("jumpers"), 1), (id("test_result"), 1), (id("version_number"), 2), (id("period_of_statistics"), 2),
            (id("num_crcs"), 2), (id("num_alignment_errors"), 2), (id("num_collisions"), 2),
            (id("num_send_aborts"), 2), (id("num_good_sends"), 4), (id("num_good_receives"), 4),
            (id("numretransmits"), 2), (id("num_no_resource_conditions"), 2), (id("numcommand_blocks"), 2),
            (id("numpending_sessions"), 2), (id("max_num_pending_sessions"), 2),
            (id("max_total_sessions_possible"), 2), (id("session_data_packet_size"), 2),
        ]
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "NBNS"
        packet.info.clear()
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        let id = try data.u16(0)
        let flags = try data.u16(2)
        let opcode = (flags >> 11) & 0xf
        let isResponse = flags & 0x8000 != 0
        if let name = Self.opcodeNames[UInt64(opcode)] {
            packet.info.append(name)
        } else {
            packet.info.append("Unknown operation (")
            packet.info.append(UInt64(opcode))
            packet.info.append(")")
        }
        if isResponse { packet.info.append(" response") }
        packet.add(hf.id, data, 0, 2, .uint(UInt64(id)), parent: top)
        try headerFlags(&packet, data, 2, top, wack: false, info: true)
        let questions = Int(try data.u16(4))
        let answers = Int(try data.u16(6))
        let authority = Int(try data.u16(8))
        let additional = Int(try data.u16(10))
        packet.add(hf.questions, data, 4, 2, .uint(UInt64(questions)), parent: top)
        packet.add(hf.answers, data, 6, 2, .uint(UInt64(answers)), parent: top)
        packet.add(hf.authority, data, 8, 2, .uint(UInt64(authority)), parent: top)
        packet.add(hf.additional, data, 10, 2, .uint(UInt64(additional)), parent: top)
        var offset = Self.headerLength
        if questions > 0 {
            let list = packet.addText("Queries", data, offset, 0, parent: top)
            let start = offset
            for _ in 0..<questions {
                offset += try query(&packet, data, offset, list, info: !isResponse)
            }
            setLength(&packet, list, offset - start)
        }
        for i in 0..<3 {
            let count = i == 0 ? answers : i == 1 ? authority : additional
            guard count > 0 else { continue }
            let list = packet.addText(Self.sectionTitles[i], data, offset, 0, parent: top)
            let start = offset
            for _ in 0..<count {
                offset += try answer(&packet, data, offset, list, opcode: opcode, info: i == 0 && isResponse)
            }
            setLength(&packet, list, offset - start)
        }
        return .consumed(data.count)
    }

    /// The 16-bit header flags (also the body of a WACK record); a response's reply code goes
    /// to Info (", Requested name does not exist").
    private func headerFlags(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ parent: TreeNode,
                             wack: Bool, info: Bool) throws(Malformed) {
        let flags = try data.u16(offset)
        let isResponse = flags & 0x8000 != 0
        if info && isResponse && !wack && flags & 0xf != 0 {
            packet.info.append(", ")
            packet.info.append(Self.rcodeNames[UInt64(flags & 0xf)] ?? "Unknown error")
        }
        let bits = isResponse ? (wack ? wackFlags : responseFlags) : requestFlags
        packet.addBitmask(hf.flags, data, offset, 2, value: UInt64(flags), parent: parent, subfields: bits)
    }

    /// Decodes the name at `offset` into `printed`.
    private func readName(_ data: ByteView, _ offset: Int) throws(Malformed) -> NetBIOSName {
        try NetBIOSName.read(data, at: offset, base: 0, raw: &raw, into: &printed)
    }

    private var printedName: String { String(decoding: printed, as: UTF8.self) }

    private func typeName(_ type: UInt16) -> StaticString {
        switch type {
        case 32: return "NB"
        case 33: return "NBSTAT"
        default: return "Unknown"
        }
    }

    private func className(_ c: UInt16) -> String { DNSNames.classes[UInt64(c)] ?? "Unknown" }

    /// One question: name, type, class. Returns its length.
    private func query(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ parent: TreeNode,
                       info: Bool) throws(Malformed) -> Int {
        let name = try readName(data, offset)
        let type = try data.u16(offset + name.used)
        let rrClass = try data.u16(offset + name.used + 2)
        if info {
            packet.info.append(" ")
            packet.info.append(typeName(type))
            packet.info.append(" ")
            packet.info.bytes.append(contentsOf: printed)
        }
        let full = packet.buildsFullTree
        let len = name.used + 4
        let node = full ? packet.addText("\(printedName): type \(typeName(type)), class \(className(rrClass))",
                                         data, offset, len, parent: parent) : parent
        if packet.wants(hf.name) {
            let item = packet.add(hf.name, data, offset, name.used, packet.text(printedName), parent: node)
            if full, let t = name.type {
                packet.setLabel(item, "Name: \(printedName) (\(NetBIOSName.typeDescription(t)))")
            }
        }
        packet.add(hf.type, data, offset + name.used, 2, .uint(UInt64(type)), parent: node)
        packet.add(hf.rrClass, data, offset + name.used + 2, 2, .uint(UInt64(rrClass)), parent: node)
        return len
    }

    /// One resource record. Returns its length (as tshark counts it: up to the data it parsed).
    private func answer(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ parent: TreeNode,
                        opcode: UInt16, info: Bool) throws(Malformed) -> Int {
        let name = try readName(data, offset)
        var cur = offset + name.used
        let type = try data.u16(cur)
        let rrClass = try data.u16(cur + 2)
        cur += 4
        let ttl = try data.u32(cur)
        cur += 4
        var dataLength = Int(try data.u16(cur))
        cur += 2
        let full = packet.buildsFullTree
        switch type {
        case 32:
            // tshark reads the address for Info before checking the data length, so a short record
            // is malformed, but only when it fills columns: `tshark -V` alone has none and shows
            // the record. We follow the column-less behaviour whenever the whole tree is built.
            if info && opcode != Self.opcodeWACK && !(packet.buildsFullTree && !data.has(cur + 2, 4)) {
                let a = try data.u32(cur + 2)
                packet.info.append(" NB ")
                DNSInfo.appendIPv4(a, to: packet.info)
            }
        case 33:
            if info { packet.info.append(" NBSTAT") }
        default:
            if info {
                packet.info.append(" ")
                packet.info.append(typeName(type))
            }
        }
        let rr = full ? packet.addText("\(printedName): type \(typeName(type)), class \(className(rrClass))",
                                       data, offset, cur - offset + dataLength, parent: parent) : parent
        // tshark's add_rr_to_tree: for NB records the value itself carries " (type description)".
        if packet.wants(hf.name) {
            var text = printedName
            if type == 32 { text += " (" + (name.type.map(NetBIOSName.typeDescription) ?? "Unknown") + ")" }
            packet.add(hf.name, data, offset + 1, name.used - 1, packet.text(text), parent: rr)
        }
        packet.add(hf.type, data, offset + name.used, 2, .uint(UInt64(type)), parent: rr)
        packet.add(hf.rrClass, data, offset + name.used + 2, 2, .uint(UInt64(rrClass)), parent: rr)
        let ttlItem = packet.add(hf.ttl, data, offset + name.used + 4, 4, .uint(UInt64(ttl)), parent: rr)
        if full { packet.setLabel(ttlItem, "Time to live: " + DHCPNames.durationText(ttl)) }
        packet.add(hf.dataLength, data, offset + name.used + 8, 2, .uint(UInt64(dataLength)), parent: rr)

        switch type {
        case 32:
            while dataLength > 0 {
                if opcode == Self.opcodeWACK {
                    guard dataLength >= 2 else { incomplete(&packet, data, cur, dataLength, rr); break }
                    try headerFlags(&packet, data, cur, rr, wack: true, info: false)
                    cur += 2
                    dataLength -= 2
                } else {
                    guard dataLength >= 2 else { incomplete(&packet, data, cur, dataLength, rr); break }
                    let nb = try data.u16(cur)
                    let item = packet.addBitmask(hf.nbFlags, data, cur, 2, value: UInt64(nb), parent: rr,
                                                 subfields: nbFlagBits)
                    if full {
                        let ont = ["B-node", "P-node", "M-node", "H-node"][Int(nb >> 13) & 3]
                        packet.appendLabel(item, " (\(ont), \(nb & 0x8000 != 0 ? "group" : "unique"))")
                    }
                    cur += 2
                    dataLength -= 2
                    guard dataLength >= 4 else { incomplete(&packet, data, cur, dataLength, rr); break }
                    packet.add(hf.addr, data, cur, 4, .ipv4(try data.u32(cur)), parent: rr)
                    cur += 4
                    dataLength -= 4
                }
            }
        case 33:
            try nodeStatus(&packet, data, &cur, dataLength, rr)
        default:
            try data.check(cur, dataLength)
            packet.add(hf.data, data, cur, dataLength, .bytes, parent: rr)
            cur += dataLength
        }
        return cur - offset
    }

    /// An NBSTAT record (RFC 1002 §4.2.18): the node's names, its unit id and statistics.
    private func nodeStatus(_ packet: inout PacketContext, _ data: ByteView, _ cur: inout Int, _ length: Int,
                            _ rr: TreeNode) throws(Malformed) {
        var dataLength = length
        guard dataLength >= 1 else { incomplete(&packet, data, cur, dataLength, rr); return }
        var names = Int(try data.u8(cur))
        packet.add(hf.numberOfNames, data, cur, 1, .uint(UInt64(names)), parent: rr)
        cur += 1
        // tshark does not count the name-count byte against the data length.
        while names != 0 {
            guard dataLength >= NetBIOSName.length else { incomplete(&packet, data, cur, dataLength, rr); return }
            let field = try data.slice(cur, NetBIOSName.length)
            if packet.wants(hf.netbiosName) {
                printed.removeAll(keepingCapacity: true)
                NetBIOSName.printable(UnsafeRawBufferPointer(rebasing: field.buffer[0..<15]), into: &printed)
                let base = printedName
                let t = field.buffer[15]
                let item = packet.add(hf.netbiosName, data, cur, NetBIOSName.length, packet.text(base), parent: rr)
                if packet.buildsFullTree {
                    var hex: [UInt8] = []
                    NetBIOSName.appendHex(&hex, t)
                    packet.setLabel(item, "Name: \(base)<\(String(decoding: hex, as: UTF8.self))> (\(NetBIOSName.typeDescription(t)))")
                }
            }
            cur += NetBIOSName.length
            dataLength -= NetBIOSName.length
            guard dataLength >= 2 else { incomplete(&packet, data, cur, dataLength, rr); return }
            packet.addBitmask(hf.nameFlags, data, cur, 2, value: UInt64(try data.u16(cur)), parent: rr,
                              subfields: nameFlagBits)
            cur += 2
            dataLength -= 2
            names -= 1
        }
        guard dataLength >= 6 else { incomplete(&packet, data, cur, dataLength, rr); return }
        packet.add(hf.unitID, data, cur, 6, .ether(try data.u48(cur)), parent: rr)
        cur += 6
        dataLength -= 6
        for (i, (field, size)) in statistics.enumerated() {
            guard dataLength >= size else { incomplete(&packet, data, cur, dataLength, rr); return }
            let v: UInt64
            switch size {
            case 1: v = UInt64(try data.u8(cur))
            case 2: v = UInt64(try data.u16(cur))
            default: v = UInt64(try data.u32(cur))
            }
            packet.add(field, data, cur, size, .uint(v), parent: rr)
            cur += size
            // The last statistic is not subtracted (tshark's commented-out `data_len -= 2`).
            if i < statistics.count - 1 { dataLength -= size }
        }
    }

    private func incomplete(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int,
                            _ parent: TreeNode) {
        // tshark's proto_tree_add_expert: a line with the expert's words, the expert under it.
        let line = packet.addText("incomplete entry", data, offset, max(length, 0), parent: parent)
        packet.addExpert(hf.eiIncomplete, parent: line.isNone ? parent : line, data, offset, max(length, 0))
    }

    /// tshark's `proto_item_set_len` on a subtree made before its length was known.
    private func setLength(_ packet: inout PacketContext, _ node: TreeNode, _ length: Int) {
        guard node.index >= 0 else { return }
        packet.tree.records[Int(node.index)].length = Int32(truncatingIfNeeded: length)
    }
}
