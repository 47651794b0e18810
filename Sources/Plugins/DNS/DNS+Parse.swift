import DissectKit

extension DNSDissector {
    /// DNS on a stream (RFC 1035 §4.2.2): one message per call, after its 2-byte length. A
    /// message that continues past the data asks TCP for the rest (`dns.desegment_dns_messages`);
    /// a length field cut in two asks for one more segment, as tshark's `tcp_dissect_pdus` does.
    func dissectStream(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let desegment = prefDesegment.boolValue
        if data.count < 2 && desegment { return .needMore(0) }
        let length = Int(try data.u16(0)) + 2
        if data.count < length && desegment { return .needMore(length - data.count) }
        try dissectMessage(&packet, data.prefix(length), parent, variant: .dns, tcp: true)
        return .consumed(min(length, data.count))
    }

    /// One DNS, mDNS or LLMNR message (tshark's `dissect_dns_common`). Everything is read in
    /// tshark's order, so a message cut short shows the same lines before its Malformed mark.
    func dissectMessage(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, variant: DNSVariant,
                        tcp: Bool) throws(Malformed) {
        let proto: FieldID
        let title: String
        switch variant {
        case .dns: proto = protoDNS; title = "Domain Name System"; packet.protocolColumn = "DNS"
        case .mdns: proto = protoMDNS; title = "Multicast Domain Name System"; packet.protocolColumn = "MDNS"
        case .llmnr:
            proto = protoLLMNR; title = "Link-local Multicast Name Resolution"; packet.protocolColumn = "LLMNR"
        }
        let base = tcp ? 2 : 0
        // The protocol is a layer of the frame from the moment it is called, even when its
        // first bytes are missing (tshark's `frame.protocols`).
        packet.layers.push(proto)
        let info = packet.info
        info.clear()
        defer { DNSInfo.cap(info) }
        let id = try data.u16(base)
        let flags = try data.u16(base + 2)
        let opcode = UInt64(flags >> 11 & 0xf), rcode = UInt64(flags & 0xf)
        let isResponse = flags & 0x8000 != 0
        if let name = DNSNames.opcodes[opcode] {
            info.append(name)
        } else {
            info.append("Unknown operation (")
            info.append(opcode)
            info.append(")")
        }
        if isResponse { info.append(" response") }
        info.append(" 0x")
        DNSInfo.appendHex4(id, to: info)
        if isResponse && rcode != 0 {
            info.append(" ")
            if let name = DNSNames.rcodes[rcode] {
                info.append(name)
            } else {
                info.append("Unknown error (")
                info.append(rcode)
                info.append(")")
            }
        }

        let full = packet.buildsFullTree
        let top = packet.add(proto, data, 0, data.count, .none, parent: parent)
        if full && !top.isNone { packet.setLabel(top, title + (isResponse ? " (response)" : " (query)")) }

        // Request/response matching happens before any record is read (tshark's first pass).
        var match = DNSMatch()
        var flow: FlowKey? = nil
        if !packet.inErrorPacket {
            let key = FlowLookup(src: packet.netSrc, srcPort: UInt16(truncatingIfNeeded: packet.srcPort),
                                 dst: packet.netDst, dstPort: UInt16(truncatingIfNeeded: packet.dstPort),
                                 proto: tcp ? 6 : 17).key
            flow = key
            match = transactions.track(key: key, id: id, isResponse: isResponse, frame: packet.frame.number,
                                       time: packet.frame.timestamp,
                                       retransmissionTimer: Double(prefRetransmissionTimer.uintValue))
        }

        if tcp { packet.add(hf.length, data, 0, 2, .uint(UInt64(try data.u16(0))), parent: top) }
        let idNode = packet.add(hf.id, data, base, 2, .uint(UInt64(id)), parent: top)
        try addFlags(&packet, data, base + 2, flags, variant: variant, parent: top)

        let isUpdate = opcode == 5
        let questions = try data.u16(base + 4)
        packet.add(isUpdate ? hf.countZones : hf.countQueries, data, base + 4, 2, .uint(UInt64(questions)),
                   parent: top)
        let answers = try data.u16(base + 6)
        packet.add(isUpdate ? hf.countPrerequisites : hf.countAnswers, data, base + 6, 2, .uint(UInt64(answers)),
                   parent: top)
        let authority = try data.u16(base + 8)
        packet.add(isUpdate ? hf.countUpdates : hf.countAuthRr, data, base + 8, 2, .uint(UInt64(authority)),
                   parent: top)
        let additional = try data.u16(base + 10)
        packet.add(hf.countAddRr, data, base + 10, 2, .uint(UInt64(additional)), parent: top)

        var offset = base + 12
        let context = DNSMessageContext(base: base, variant: variant)
        if opcode == 6 && questions == 0 && answers == 0 && authority == 0 && additional == 0 {
            // RFC 8490: a DSO message carries TLVs instead of records.
            offset += try dissectDSO(&packet, data, offset, parent: top)
        }
        if questions > 0 {
            var zoneTransfer = false
            offset += try dissectQuestions(&packet, data, offset, count: Int(questions), context,
                                           title: isUpdate ? "Zone" : "Queries", parent: top,
                                           zoneTransfer: &zoneTransfer)
            if let key = flow, match.transaction != nil {
                transactions.setMultipleResponses(key: key, id: id, zoneTransfer)
            }
        }
        if answers > 0 {
            offset += try dissectRecords(&packet, data, offset, count: Int(answers), context,
                                         title: isUpdate ? "Prerequisites" : "Answers", parent: top)
        }
        if authority > 0 {
            offset += try dissectRecords(&packet, data, offset, count: Int(authority), context,
                                         title: isUpdate ? "Updates" : "Authoritative nameservers", parent: top)
        }
        if additional > 0 {
            offset += try dissectRecords(&packet, data, offset, count: Int(additional), context,
                                         title: "Additional records", parent: top)
        }

        addTracking(&packet, match, isResponse: isResponse, idNode: idNode, data, parent: top)

        let extra = packet.reportedLength(data) - offset
        if extra > 0 {
            let node = packet.addText("Extraneous Data (\(extra) bytes)", data, offset, extra, parent: top)
            let under = full ? node : top
            if hasTree(packet) { try data.check(offset, extra) }
            try bytes(&packet, hf.extraneousData, data, offset, extra, parent: under)
            packet.addGenerated(hf.extraneousLength, .int(Int64(extra)), parent: under)
            // proto_tree_add_expert, hidden: an "Extraneous data" line holding the expert info.
            let line = packet.addText("Extraneous data", data, offset, extra, parent: under)
            hide(&packet, line)
            let e = packet.addExpert(hf.eiExtraneous, parent: full ? line : under, data, offset, extra)
            hide(&packet, e)
        }
    }

    /// The flags word and its bits; LLMNR (RFC 4795 §2.1.1) replaces AA/RD/RA/Z/AD/CD with
    /// conflict and tentative bits.
    private func addFlags(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ flags: UInt16,
                          variant: DNSVariant, parent: TreeNode) throws(Malformed) {
        let isResponse = flags & 0x8000 != 0
        let opcode = UInt64(flags >> 11 & 0xf), rcode = UInt64(flags & 0xf)
        let node = packet.add(hf.flags, data, offset, 2, .uint(UInt64(flags)), parent: parent)
        if packet.buildsFullTree && !node.isNone {
            var text = " " + (DNSNames.opcodes[opcode] ?? "Unknown operation")
            if isResponse { text += " response, " + (DNSNames.rcodes[rcode] ?? "Unknown error") }
            packet.appendLabel(node, text)
        }
        func bit(_ f: FieldID, _ mask: UInt16) {
            packet.add(f, data, offset, 2, .uint(flags & mask != 0 ? 1 : 0), parent: node)
        }
        /// A bit whose tshark line differs from the catalog field's (same abbreviation).
        func variantBit(_ f: FieldID, _ mask: UInt16, _ name: String, _ set: String, _ clear: String) {
            let n = packet.add(f, data, offset, 2, .uint(flags & mask != 0 ? 1 : 0), parent: node)
            if packet.buildsFullTree && !n.isNone {
                packet.setLabel(n, FieldFormatter.bitPattern(value: flags & mask != 0 ? 1 : 0, mask: UInt64(mask), width: 16)
                                + " = " + name + ": " + (flags & mask != 0 ? set : clear))
            }
        }
        bit(hf.flagsResponse, 0x8000)
        packet.add(hf.flagsOpcode, data, offset, 2, .uint(opcode), parent: node)
        if variant == .llmnr {
            if isResponse {
                variantBit(hf.flagsConflict, 0x0400, "Conflict", "The name is not considered unique",
                           "The name is considered unique")
            } else {
                bit(hf.flagsConflict, 0x0400)
            }
            bit(hf.flagsTruncated, 0x0200)
            bit(hf.flagsTentative, 0x0100)
            if isResponse { packet.add(hf.flagsRcode, data, offset, 2, .uint(rcode), parent: node) }
            return
        }
        if isResponse { bit(hf.flagsAuthoritative, 0x0400) }
        bit(hf.flagsTruncated, 0x0200)
        bit(hf.flagsRecdesired, 0x0100)
        if isResponse { bit(hf.flagsRecavail, 0x0080) }
        bit(hf.flagsZ, 0x0040)
        if isResponse {
            bit(hf.flagsAuthenticated, 0x0020)
        } else if flags & 0x0020 != 0 {
            variantBit(hf.flagsAuthenticated, 0x0020, "AD bit", "Set", "Not set")
        }
        bit(hf.flagsCheckdisable, 0x0010)
        if isResponse { packet.add(hf.flagsRcode, data, offset, 2, .uint(rcode), parent: node) }
    }

    /// The question section ("Queries", or "Zone" in an UPDATE).
    private func dissectQuestions(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, count: Int,
                                  _ ctx: DNSMessageContext, title: StaticString, parent: TreeNode,
                                  zoneTransfer: inout Bool) throws(Malformed) -> Int {
        // The section's line first runs to the end of the data, which must not be empty.
        if hasTree(packet) && start >= data.count { throw Malformed() }
        let section = packet.addText(title.description, data, start, 0, parent: parent)
        let under = packet.buildsFullTree ? section : parent
        var offset = start
        for _ in 0..<count {
            offset += try dissectQuestion(&packet, data, offset, ctx, parent: under, zoneTransfer: &zoneTransfer)
            setLength(&packet, section, offset - start)
        }
        return offset - start
    }

    private func dissectQuestion(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int,
                                 _ ctx: DNSMessageContext, parent: TreeNode, zoneTransfer: inout Bool) throws(Malformed) -> Int {
        let name = try DNSNameReader.read(data, at: offset, base: ctx.base, into: &owner)
        let type = try data.u16(offset + name.used)
        var cls = try data.u16(offset + name.used + 2)
        let used = name.used + 4
        let mdns = ctx.variant == .mdns
        let qu = mdns && cls & 0x8000 != 0
        if mdns { cls &= 0x7fff }
        if type == 251 || type == 252 { zoneTransfer = true }

        let info = packet.info
        info.append(" ")
        info.append(DNSNames.typeName(type))
        info.append(" ")
        name.append(owner, to: info)
        if mdns { info.append(qu ? ", \"QU\" question" : ", \"QM\" question") }

        let full = packet.buildsFullTree
        let wantName = full || packet.wants(hf.qryName)
        let nameText = wantName ? name.text(owner) : ""
        var node = parent
        if full {
            var text = nameText + ": type " + DNSNames.typeName(type) + ", class " + DNSNames.className(cls)
            text = MailLabel.textLabel(text)
            if mdns { text = MailLabel.appended(text, qu ? ", \"QU\" question" : ", \"QM\" question") }
            node = packet.addText(text, data, offset, used, parent: parent)
        }
        if wantName { packet.addMailText(hf.qryName, data, offset, name.used, nameText, parent: node) }
        let length = name.length(owner)
        packet.addGenerated(hf.qryNameLen, .uint(UInt64(length > 1 ? length : 0)), parent: node,
                            at: data, offset, name.used)
        packet.addGenerated(hf.countLabels, .uint(UInt64(name.labelCount(owner))), parent: node,
                            at: data, offset, name.used)
        packet.add(hf.qryType, data, offset + name.used, 2, .uint(UInt64(type)), parent: node)
        let c = packet.add(hf.qryClass, data, offset + name.used + 2, 2, .uint(UInt64(cls)), parent: node)
        if mdns {
            if full && !c.isNone { packet.setLabel(c, Self.mdnsClassLine(cls)) }
            packet.add(hf.qryQu, data, offset + name.used + 2, 2, .uint(qu ? 1 : 0), parent: node)
        }
        return used
    }

    /// ".000 0000 0000 0001 = Class: IN (0x0001)": the class without the mDNS QU/cache-flush bit.
    static func mdnsClassLine(_ cls: UInt16) -> String {
        FieldFormatter.bitPattern(value: UInt64(cls), mask: 0x7fff, width: 16) + " = Class: "
            + DNSNames.className(cls) + " (0x" + FieldFormatter.hex(UInt64(cls), digits: 4) + ")"
    }

    /// A section of resource records.
    private func dissectRecords(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, count: Int,
                                _ ctx: DNSMessageContext, title: StaticString, parent: TreeNode) throws(Malformed) -> Int {
        if hasTree(packet) && start >= data.count { throw Malformed() }
        let section = packet.addText(title.description, data, start, 0, parent: parent)
        let under = packet.buildsFullTree ? section : parent
        var offset = start
        for _ in 0..<count {
            offset += try dissectRecord(&packet, data, offset, ctx, parent: under)
            setLength(&packet, section, offset - start)
        }
        return offset - start
    }

    /// Hides a record from the `-V` tree (`proto_item_set_hidden`).
    func hide(_ packet: inout PacketContext, _ node: TreeNode) {
        guard node.index >= 0 else { return }
        packet.tree.records[Int(node.index)].flags.insert(.hidden)
    }

    /// Sets the byte length of a subtree once its end is known (`proto_item_set_len`).
    func setLength(_ packet: inout PacketContext, _ node: TreeNode, _ length: Int) {
        guard node.index >= 0 else { return }
        packet.tree.records[Int(node.index)].length = Int32(truncatingIfNeeded: length)
    }

    /// The "[Request In: N]" / "[Response In: N]" / retransmission / unsolicited lines.
    private func addTracking(_ packet: inout PacketContext, _ match: DNSMatch, isResponse: Bool, idNode: TreeNode,
                             _ data: ByteView, parent: TreeNode) {
        let inError = packet.inErrorPacket
        if !isResponse {
            guard let t = match.transaction else { return }
            if match.retransmission && !inError {
                let frame = t.requestFrame
                packet.addExpert(hf.eiRetransmitRequest, parent: idNode, data,
                                 message: "DNS query retransmission. Original request in frame \(frame)")
                packet.addGenerated(hf.retransmitRequestIn, .uint(UInt64(frame)), parent: parent)
                packet.addGenerated(hf.retransmission, .uint(1), parent: parent)
            } else if t.responseFrame != 0 {
                packet.addGenerated(hf.responseIn, .uint(UInt64(t.responseFrame)), parent: parent)
            }
            return
        }
        guard let t = match.transaction else {
            if !match.retransmission { packet.addGenerated(hf.unsolicited, .uint(1), parent: parent) }
            return
        }
        if match.retransmission && t.responseFrame != 0 && !inError {
            let frame = t.responseFrame
            packet.addExpert(hf.eiRetransmitResponse, parent: idNode, data,
                             message: "DNS response retransmission. Original response in frame \(frame)")
            packet.addGenerated(hf.retransmitResponseIn, .uint(UInt64(frame)), parent: parent)
            packet.addGenerated(hf.retransmission, .uint(1), parent: parent)
        } else {
            packet.addGenerated(hf.responseTo, .uint(UInt64(t.requestFrame)), parent: parent)
            packet.addGenerated(hf.time, .relativeTime(packet.frame.timestamp - t.requestTime), parent: parent)
        }
    }

    /// RFC 8490 stateful-operation TLVs.
    private func dissectDSO(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, parent: TreeNode) throws(Malformed) -> Int {
        // The item runs to the end of the data, which must not be empty (even without a tree).
        if start >= data.count { throw Malformed() }
        let dso = packet.add(hf.dso, data, start, data.count - start, .none, parent: parent)
        var offset = start
        while packet.reportedLength(data) - offset >= 4 {
            let length = Int(try data.u16(offset + 2))
            let type = try data.u16(offset)
            let tlv = packet.add(hf.dsoTlv, data, offset, length + 4, .none, parent: dso)
            if packet.buildsFullTree && !tlv.isNone {
                let name = DNSNames.dsoTypes.first { UInt64(type) >= $0.lo && UInt64(type) <= $0.hi }?.name
                packet.appendLabel(tlv, ": " + (name ?? "Unknown Type"))
            }
            packet.add(hf.dsoTlvType, data, offset, 2, .uint(UInt64(type)), parent: tlv)
            packet.add(hf.dsoTlvLength, data, offset + 2, 2, .uint(UInt64(length)), parent: tlv)
            offset += 4
            switch type {
            case 1:
                try uint(&packet, hf.dsoTlvKeepaliveInactivity, data, offset, 4, parent: tlv)
                try uint(&packet, hf.dsoTlvKeepaliveInterval, data, offset + 4, 4, parent: tlv)
                offset += 8
            case 2:
                try uint(&packet, hf.dsoTlvRetrydelayRetrydelay, data, offset, 4, parent: tlv)
                offset += 4
            default:
                if length > 0 {
                    try bytes(&packet, type == 3 ? hf.dsoTlvEncpadPadding : hf.dsoTlvData, data, offset, length,
                              parent: tlv)
                    offset += length
                }
            }
        }
        setLength(&packet, dso, offset - start)
        return offset - start
    }
}

/// What every record of one message shares.
struct DNSMessageContext {
    /// Where the message starts in the data (compression pointers count from here).
    let base: Int
    let variant: DNSVariant
}
