import DissectKit

extension DNSDissector {
    /// One resource record: owner, type, class, TTL, data length (or the OPT pseudo-record's
    /// EDNS0 header, RFC 6891 §6.1.2), then the type's data. Reads go by the packet, not by the
    /// data length, as tshark's do: an overlong inner length runs into the next record.
    func dissectRecord(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ ctx: DNSMessageContext,
                       parent: TreeNode) throws(Malformed) -> Int {
        let name = try DNSNameReader.read(data, at: start, base: ctx.base, into: &owner)
        let p = start + name.used
        let type = try data.u16(p)
        let rawClass = try data.u16(p + 2)
        let dataLength = Int(try data.u16(p + 8))
        let mdns = ctx.variant == .mdns
        let flush = mdns && rawClass & 0x8000 != 0
        let cls = mdns ? rawClass & 0x7fff : rawClass
        let typeName = DNSNames.typeName(type)
        packet.info.append(" ")
        packet.info.append(typeName)
        if flush { packet.info.append(", cache flush") }

        let full = packet.buildsFullTree
        let srvOwner = type == 33
        let needOwner = full || (srvOwner ? packet.wants(hf.srvService) || packet.wants(hf.srvProto)
            || packet.wants(hf.srvName) : packet.wants(hf.respName))
        let ownerText = needOwner ? name.text(owner) : ""
        var rr = parent
        // With a tree, tshark checks the record's range before the record's first line.
        if hasTree(packet) { try data.check(start, p + 10 - start + dataLength) }
        if full {
            let total = p + 10 - start + dataLength
            var text = type == 41 ? ownerText + ": type " + typeName
                : ownerText + ": type " + typeName + ", class " + DNSNames.className(cls)
            text = MailLabel.textLabel(text)
            if flush { text = MailLabel.appended(text, ", cache flush") }
            recordLabel = text
            rr = packet.addText(text, data, start, total, parent: parent)
        }

        if srvOwner && !ownerText.isEmpty {
            // "_service._proto.name" is split into its three parts.
            let parts = ownerText.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
            packet.addMailText(hf.srvService, data, start, name.used, String(parts[0]), parent: rr)
            if parts.count > 1 { packet.addMailText(hf.srvProto, data, start, name.used, String(parts[1]), parent: rr) }
            if parts.count > 2 { packet.addMailText(hf.srvName, data, start, name.used, String(parts[2]), parent: rr) }
        } else if needOwner {
            packet.addMailText(hf.respName, data, start, name.used, ownerText, parent: rr)
        }
        packet.add(hf.respType, data, p, 2, .uint(UInt64(type)), parent: rr)
        if type == 41 {
            try addOPTHeader(&packet, data, p, rawClass, mdns: mdns, parent: rr)
        } else {
            let c = packet.add(hf.respClass, data, p + 2, 2, .uint(UInt64(cls)), parent: rr)
            if mdns {
                if full && !c.isNone { packet.setLabel(c, Self.mdnsClassLine(cls)) }
                packet.add(hf.respCacheFlush, data, p + 2, 2, .uint(flush ? 1 : 0), parent: rr)
            }
            if packet.wants(hf.respTtl) {
                let ttl = try data.u32(p + 4)
                let t = packet.add(hf.respTtl, data, p + 4, 4, .uint(UInt64(ttl)), parent: rr)
                packet.appendLabel(t, " (" + DHCPNames.durationText(ttl) + ")")
                if ttl & 0x8000_0000 != 0 { packet.addExpert(hf.eiTTLHighBit, parent: t, data, p + 4, 4) }
            }
            packet.add(hf.respLen, data, p + 8, 2, .uint(UInt64(dataLength)), parent: rr)
        }
        let end = p + 10 + dataLength
        if dataLength > 0 {
            let r = DNSRecord(type: type, cls: cls, start: p + 10, length: dataLength, node: rr, owner: name)
            try dissectRData(&packet, data, r, ctx)
        }
        return end - start
    }

    /// The OPT pseudo-record's class and TTL: UDP payload size, extended RCODE, EDNS version, flags.
    private func addOPTHeader(_ packet: inout PacketContext, _ data: ByteView, _ p: Int, _ rawClass: UInt16,
                              mdns: Bool, parent rr: TreeNode) throws(Malformed) {
        if mdns {
            let size = rawClass & 0x7fff
            let n = packet.add(hf.rrUdpPayloadSize, data, p + 2, 2, .uint(UInt64(size)), parent: rr)
            if packet.buildsFullTree && !n.isNone {
                packet.setLabel(n, FieldFormatter.bitPattern(value: UInt64(size), mask: 0x7fff, width: 16)
                                + " = UDP payload size: 0x" + FieldFormatter.hex(UInt64(size), digits: 4))
            }
            packet.add(hf.respCacheFlush, data, p + 2, 2, .uint(rawClass & 0x8000 != 0 ? 1 : 0), parent: rr)
        } else {
            packet.add(hf.rrUdpPayloadSize, data, p + 2, 2, .uint(UInt64(rawClass)), parent: rr)
        }
        try uint(&packet, hf.respExtRcode, data, p + 4, 1, parent: rr)
        try uint(&packet, hf.respEdns0Version, data, p + 5, 1, parent: rr)
        if packet.wants(hf.respZ) || packet.wants(hf.respZDo) || packet.wants(hf.respZReserved) {
            let z = try data.u16(p + 6)
            let zNode = packet.add(hf.respZ, data, p + 6, 2, .uint(UInt64(z)), parent: rr)
            packet.add(hf.respZDo, data, p + 6, 2, .uint(UInt64(z >> 15)), parent: zNode)
            packet.add(hf.respZReserved, data, p + 6, 2, .uint(UInt64(z & 0x7fff)), parent: zNode)
        }
        try uint(&packet, hf.respLen, data, p + 8, 2, parent: rr)
    }
}

/// The record being dissected: its type and class, where its data lies and its tree line.
struct DNSRecord {
    let type: UInt16
    let cls: UInt16
    /// Offset and length of the record data.
    let start: Int
    let length: Int
    /// The record's subtree (or the section's node when no tree is built).
    let node: TreeNode
    /// The owner name (its characters are in `DNSDissector.owner`).
    let owner: DNSName
}

// MARK: - Field helpers

extension DNSDissector {
    /// An integer item (`proto_tree_add_item`): tshark checks the item's range even when it
    /// builds no tree, so the value is always read.
    @discardableResult
    func uint(_ packet: inout PacketContext, _ f: FieldID, _ data: ByteView, _ offset: Int, _ size: Int,
              parent: TreeNode) throws(Malformed) -> TreeNode {
        let v: UInt64
        switch size {
        case 1: v = UInt64(try data.u8(offset))
        case 2: v = UInt64(try data.u16(offset))
        case 4: v = UInt64(try data.u32(offset))
        case 6: v = try data.u48(offset)
        default: v = try data.u64(offset)
        }
        guard packet.wants(f) else { return .none }
        // A bit field's value is stored shifted down, as the line drawing expects.
        let mask = packet.registry[f].bitmask
        let value = mask == 0 ? v : (v & mask) >> UInt64(mask.trailingZeroBitCount)
        return packet.add(f, data, offset, size, .uint(value), parent: parent)
    }

    /// A byte-string item (`proto_tree_add_item`): its range is checked whether or not a tree is
    /// built; -1 runs to the end of the data (at least one byte) and shorter negative lengths
    /// are errors, as in tshark.
    @discardableResult
    func bytes(_ packet: inout PacketContext, _ f: FieldID, _ data: ByteView, _ offset: Int, _ length: Int,
               parent: TreeNode) throws(Malformed) -> TreeNode {
        var n = length
        if n == -1 {
            n = data.count - offset
            if n <= 0 { throw Malformed() }
        }
        if n < 0 { throw Malformed() }
        try data.check(offset, n)
        guard packet.wants(f) else { return .none }
        return packet.add(f, data, offset, n, .bytes, parent: parent)
    }

    /// A character-string item read as ASCII (or UTF-8), shown with tshark's escapes; its range
    /// is always checked.
    @discardableResult
    func string(_ packet: inout PacketContext, _ f: FieldID, _ data: ByteView, _ offset: Int, _ length: Int,
                utf8: Bool = false, parent: TreeNode) throws(Malformed) -> TreeNode {
        if length < 0 { throw Malformed() }
        try data.check(offset, length)
        guard packet.wants(f) else { return .none }
        // A string value ends at its first NUL, as tshark's C strings do.
        var end = offset
        var plain = true
        while end < offset + length {
            let c = data[unchecked: end]
            if c == 0 { plain = false; break }
            if c < 0x20 || c >= 0x7f { plain = false }
            end += 1
        }
        if plain && length < 200 { return packet.add(f, data, offset, length, .string, parent: parent) }
        // The value is the decoded text (tshark's string), the line shows it with escapes.
        let raw: [UInt8] = utf8 ? Array(data.buffer[offset..<end]) : Self.asciiDecoded(data, offset, end - offset)
        let node = packet.add(f, data, offset, length, packet.text(String(decoding: raw, as: UTF8.self)), parent: parent)
        if packet.buildsFullTree && !node.isNone {
            packet.setLabel(node, MailLabel.fieldLabel(name: packet.registry[f].name,
                                                       value: MailLabel.formatText(raw, asciiOnly: false)))
        }
        return node
    }

    /// A domain name inside record data, expanded into `buf`; its field is added when wanted.
    @discardableResult
    func name(_ packet: inout PacketContext, _ f: FieldID, _ data: ByteView, _ offset: Int, _ ctx: DNSMessageContext,
              into buf: inout [UInt8], parent: TreeNode) throws(Malformed) -> DNSName {
        let n = try DNSNameReader.read(data, at: offset, base: ctx.base, into: &buf)
        if packet.wants(f) { packet.addMailText(f, data, offset, n.used, n.text(buf), parent: parent) }
        return n
    }

    /// Extends the record's summary line (`proto_item_append_text`: cut at 239 bytes).
    func appendToRecord(_ packet: inout PacketContext, _ node: TreeNode, _ suffix: @autoclosure () -> String) {
        guard packet.buildsFullTree && !node.isNone else { return }
        recordLabel = MailLabel.appended(recordLabel, suffix())
        packet.setLabel(node, recordLabel)
    }

    /// True when tshark would have a protocol tree (anything beyond the plain packet list needs
    /// one): text items then have their ranges checked.
    func hasTree(_ packet: PacketContext) -> Bool {
        packet.buildsFullTree || !packet.tree.interest.isEmpty
    }

    /// Appends " text" to the Info column.
    func infoAppend(_ packet: inout PacketContext, _ n: DNSName, _ buf: [UInt8]) {
        packet.info.append(" ")
        n.append(buf, to: packet.info)
    }

    /// Appends " owner" as several record types do in tshark: the raw name, up to a NUL.
    func infoAppendRawOwner(_ packet: inout PacketContext, _ n: DNSName) {
        packet.info.append(" ")
        if let l = n.literal {
            packet.info.append(l)
            return
        }
        for c in owner {
            if c == 0 { break }
            packet.info.append(byte: c)
        }
    }

    /// tshark's "%u (%s)" duration lines (the value is read for the text in any case).
    func duration(_ packet: inout PacketContext, _ f: FieldID, _ data: ByteView, _ offset: Int, parent: TreeNode) throws(Malformed) {
        let v = try data.u32(offset)
        guard packet.wants(f) else { return }
        let n = packet.add(f, data, offset, 4, .uint(UInt64(v)), parent: parent)
        packet.appendLabel(n, " (" + DHCPNames.durationText(v) + ")")
    }

    /// An absolute time in seconds since the epoch (4 bytes).
    func time(_ packet: inout PacketContext, _ f: FieldID, _ data: ByteView, _ offset: Int, parent: TreeNode) throws(Malformed) {
        let v = try data.u32(offset)
        guard packet.wants(f) else { return }
        packet.add(f, data, offset, 4, .absoluteTime(Timestamp(seconds: Int64(v), nanoseconds: 0)), parent: parent)
    }
}
