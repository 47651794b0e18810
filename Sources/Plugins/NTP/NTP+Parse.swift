import DissectKit

extension NTPDissector {
    enum Mode {
        static let control: UInt8 = 6
        static let privateUse: UInt8 = 7
    }

    /// Seconds from 1900 (NTP era 0) to 1970.
    static let secondsFrom1900To1970: Int64 = 2_208_988_800
    /// Seconds from 1970 to 2036 (the start of NTP era 1).
    static let secondsFrom1970To2036: Int64 = 2_085_978_496

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "NTP"
        packet.info.clear()
        let flags = try data.u8(0)
        let version = NTPNames.versions[Int((flags >> 3) & 7)]
        let mode = flags & 7
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        packet.appendLabel(top, " (\(version), \(NTPNames.infoModes[Int(mode)]))")
        packet.info.append(version)
        packet.info.append(", ")
        packet.info.append(NTPNames.infoModes[Int(mode)])
        switch mode {
        case Mode.control: try dissectControl(&packet, data, top, flags)
        case Mode.privateUse: try dissectPrivate(&packet, data, top, flags)
        default: try dissectStandard(&packet, data, top, flags)
        }
        return .consumed(data.count)
    }

    // MARK: modes 0–5

    private func dissectStandard(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                                 _ flags: UInt8) throws(Malformed) {
        let full = packet.buildsFullTree
        packet.addBitmask(hf.flags, data, 0, 1, value: UInt64(flags), parent: top, subfields: standardFlags)
        let stratum = try data.u8(1)
        packet.add(hf.stratum, data, 1, 1, .uint(UInt64(stratum)), parent: top)

        // Poll and precision are log2 seconds.
        let ppoll = try data.u8(2)
        let pollNode = packet.add(hf.ppoll, data, 2, 1, .uint(UInt64(ppoll)), parent: top)
        if full {
            packet.setLabel(pollNode, ppoll >= 4 && ppoll <= 17
                            ? "Peer Polling Interval: \(ppoll) (\(1 << ppoll) seconds)"
                            : "Peer Polling Interval: invalid (\(ppoll))")
        }
        let precision = try data.u8(3)
        let precisionNode = packet.add(hf.precision, data, 3, 1, .uint(UInt64(precision)), parent: top)
        if full {
            let seconds = Double(sign: .plus, exponent: Int(Int8(bitPattern: precision)), significand: 1)
            packet.setLabel(precisionNode, "Peer Clock Precision: " + FieldFormatter.cFormat("%8.6f", seconds) + " seconds")
        }

        try addFixedPoint(&packet, hf.rootDelay, data, 4, "Root Delay", parent: top)
        try addFixedPoint(&packet, hf.rootDispersion, data, 8, "Root Dispersion", parent: top)

        try data.check(12, 4)
        let refNode = packet.add(hf.refid, data, 12, 4, .bytes, parent: top)
        if full { packet.setLabel(refNode, "Reference ID: " + Self.referenceText(data, stratum: stratum)) }

        for (i, field) in hf.timestamps.enumerated() {
            try addTimestamp(&packet, field, data, 16 + 8 * i, parent: top)
        }

        // What follows the header (RFC 7822): extension fields of 16 bytes or more as long as
        // their lengths fit, then a MAC; a last "extension" that leaves less than a MD5 MAC (and
        // not a crypto-NAK) behind was the MAC's start.
        let reported = packet.reportedLength(data)
        var fieldsEnd = 48
        var lastLength = 0
        while reported - fieldsEnd >= 16 {
            let length = Int(try data.u16(fieldsEnd + 2))
            if length < 16 || reported - fieldsEnd < length { break }
            fieldsEnd += length
            lastLength = length
        }
        let macLength = reported - fieldsEnd
        if macLength > 0 && macLength < 20 {
            var cryptoNAK = false // four zero bytes
            if macLength == 4 { cryptoNAK = try data.u32(fieldsEnd) == 0 }
            if !cryptoNAK { fieldsEnd -= lastLength }
        }
        var offset = 48
        while offset < fieldsEnd {
            offset = try dissectExtension(&packet, data, offset, top, reported: reported)
        }
        if reported - offset >= 4 {
            try data.check(offset, 4)
            packet.add(hf.keyID, data, offset, 4, .bytes, parent: top)
        }
        offset += 4
        if reported - offset > 0 {
            let length = reported - offset
            try data.check(offset, length)
            packet.add(hf.mac, data, offset, length, .bytes, parent: top)
        }
    }

    /// Root delay and dispersion: 16.16 fixed point seconds.
    private func addFixedPoint(_ packet: inout PacketContext, _ field: FieldID, _ data: ByteView, _ offset: Int,
                               _ name: StaticString, parent: TreeNode) throws(Malformed) {
        let v = try data.u32(offset)
        let node = packet.add(field, data, offset, 4, .uint(UInt64(v)), parent: parent)
        if packet.buildsFullTree {
            let seconds = Double(v >> 16) + Double(v & 0xffff) / 65536
            packet.setLabel(node, "\(name): " + FieldFormatter.cFormat("%8.6f", seconds) + " seconds")
        }
    }

    /// An RFC 7822 extension field; returns the offset after it (the end when its length is bad).
    private func dissectExtension(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ top: TreeNode,
                                  reported: Int) throws(Malformed) -> Int {
        let type = try data.u16(offset)
        let length = Int(try data.u16(offset + 2))
        let node = packet.add(hf.ext, data, offset, max(4, min(length, data.count - offset)), .none, parent: top)
        packet.add(hf.extType, data, offset, 2, .uint(UInt64(type)), parent: node)
        let lengthNode = packet.add(hf.extLength, data, offset + 2, 2, .uint(UInt64(length)), parent: node)
        if length % 4 != 0 {
            packet.addExpert(hf.eiExtInvalidLength, parent: lengthNode, data, offset + 2, 2,
                             message: "Extension length \(length) isn't a multiple of 4")
            return reported
        }
        try data.check(offset + 4, length - 4)
        packet.add(hf.extValue, data, offset + 4, length - 4, .bytes, parent: node)
        return offset + length
    }

    /// An NTP timestamp (32.32 fixed point seconds since 1900, RFC 5905 §6): seconds with the
    /// top bit clear are read as era 1 (from 2036), as tshark does; all zero is "NULL".
    private func addTimestamp(_ packet: inout PacketContext, _ field: FieldID, _ data: ByteView, _ offset: Int,
                              parent: TreeNode) throws(Malformed) {
        let seconds = try data.u32(offset)
        let fraction = try data.u32(offset + 4)
        guard packet.wants(field) else { return }
        if seconds == 0 && fraction == 0 {
            packet.add(field, data, offset, 8, packet.text("NULL"), parent: parent)
            return
        }
        packet.add(field, data, offset, 8, .absoluteTime(Self.unixTime(seconds, fraction)), parent: parent)
    }

    static func unixTime(_ seconds: UInt32, _ fraction: UInt32) -> Timestamp {
        let s = seconds & 0x8000_0000 != 0 ? Int64(seconds) - secondsFrom1900To1970
            : Int64(seconds) + secondsFrom1970To2036
        let nanos = Int32(1_000_000_000 * (Double(fraction) / 4_294_967_296))
        return Timestamp(seconds: s, nanoseconds: nanos)
    }

    /// Stratum 0 and 1 servers name their source in four ASCII letters; the others give the IPv4
    /// address of their server (or a hash of an IPv6 one, shown the same way).
    static func referenceText(_ data: ByteView, stratum: UInt8) -> String {
        let a = data[unchecked: 12], b = data[unchecked: 13], c = data[unchecked: 14], d = data[unchecked: 15]
        if stratum <= 1 {
            if let name = NTPNames.primarySource(a, b, c, d) { return name }
            var text = [UInt8]()
            for x in [a, b, c, d] {
                if x == 0 { break }
                text.append(contentsOf: x < 0x80 ? [x] : [0xef, 0xbf, 0xbd])
            }
            // tshark prints at most four bytes of the (UTF-8) text.
            return "Unidentified reference source '" + String(decoding: text.prefix(4), as: UTF8.self) + "'"
        }
        return "\(a).\(b).\(c).\(d)"
    }

    // MARK: mode 6

    private func dissectControl(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                                _ flags: UInt8) throws(Malformed) {
        packet.addBitmask(hf.flags, data, 0, 1, value: UInt64(flags), parent: top, subfields: standardFlags)
        let flags2 = try data.u8(1)
        packet.addBitmask(hf.flags2, data, 1, 1, value: UInt64(flags2), parent: top, subfields: controlFlags2)
        packet.add(hf.sequence, data, 2, 2, .uint(UInt64(try data.u16(2))), parent: top)
        let status = UInt64(try data.u16(4))
        let associd = try data.u16(6)
        let opcode = flags2 & 0x1f
        let response = flags2 & 0x80 != 0
        if response && flags2 & 0x40 != 0 {
            packet.addBitmask(hf.status, data, 4, 2, value: status, parent: top, subfields: errorStatus)
        } else if response {
            switch opcode {
            case 1, 2, 3, 7: // read status, read/write variables, asynchronous message
                packet.addBitmask(hf.status, data, 4, 2, value: status, parent: top,
                                  subfields: associd != 0 ? hf.peerStatus : systemStatus)
            case 4, 5: // read/write clock variables
                packet.addBitmask(hf.status, data, 4, 2, value: status, parent: top, subfields: clockStatusFlags)
            default:
                packet.add(hf.status, data, 4, 2, .uint(status), parent: top)
            }
        } else {
            packet.add(hf.status, data, 4, 2, .uint(status), parent: top)
        }
        packet.add(hf.associd, data, 6, 2, .uint(UInt64(associd)), parent: top)
        packet.add(hf.offset, data, 8, 2, .uint(UInt64(try data.u16(8))), parent: top)
        let count = Int(try data.u16(10))
        packet.add(hf.count, data, 10, 2, .uint(UInt64(count)), parent: top)

        var authenticated = !response
        if count > 0 {
            try data.check(12, count)
            let dataNode = packet.add(hf.data, data, 12, count, .none, parent: top)
            switch opcode {
            case 1 where associd == 0:
                // <association id><peer status word> pairs; the status words hang off the NTP tree.
                var offset = 12
                var left = count
                while left != 0 {
                    let item = packet.add(hf.item, data, offset, 4, .none, parent: dataNode)
                    packet.add(hf.associd, data, offset, 2, .uint(UInt64(try data.u16(offset))), parent: item)
                    let word = UInt64(try data.u16(offset + 2))
                    packet.addBitmask(hf.status, data, offset + 2, 2, value: word, parent: top, subfields: hf.peerStatus)
                    offset += 4
                    left = (left - 4) & 0xffff // tshark's 16-bit counter
                }
            case 1, 2, 3, 4, 5:
                NTPControlText.addVariables(&packet, data, 12, count, parent: dataNode)
            case 7:
                packet.add(hf.trapMessage, data, 12, count, .string, parent: dataNode)
            case 8, 9:
                packet.add(hf.configuration, data, 12, count, .string, parent: dataNode)
                authenticated = true
            case 10:
                packet.add(hf.mru, data, 12, count, .string, parent: dataNode)
                authenticated = true
            case 11:
                packet.add(hf.orderedList, data, 12, count, .string, parent: dataNode)
                authenticated = true
            case 12:
                packet.add(hf.nonce, data, 12, count, .string, parent: dataNode)
                authenticated = true
            default:
                break
            }
        }

        // Requests (and some responses) may end in padding to 8 bytes and an MD5 or SHA-1 MAC.
        guard authenticated else { return }
        var offset = 12 + count
        var left = packet.reportedLength(data) - offset
        let padding = offset & 7 != 0 ? 8 - (offset & 7) : 0
        guard left > padding else { return }
        if padding > 0 {
            try data.check(offset, padding)
            packet.add(hf.padding, data, offset, padding, .bytes, parent: top)
            offset += padding
            left -= padding
        }
        let auth = packet.addText("Authenticator", data, offset, max(0, data.count - offset), parent: top)
        if left == 20 || left == 24 {
            packet.addGenerated(hf.keyType, .uint(left == 20 ? 0 : 1), parent: auth, at: data, offset, 0)
            packet.add(hf.keyIndex, data, offset, 4, .uint(UInt64(try data.u32(offset))), parent: auth)
            try data.check(offset + 4, left - 4)
            packet.add(hf.keySignature, data, offset + 4, left - 4, .bytes, parent: auth)
        }
    }

    // MARK: mode 7

    private func dissectPrivate(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                                _ flags: UInt8) throws(Malformed) {
        let full = packet.buildsFullTree
        packet.addBitmask(hf.flags, data, 0, 1, value: UInt64(flags), parent: top, subfields: privateFlags)
        let authSeq = try data.u8(1)
        packet.addBitmask(hf.authSeq, data, 1, 1, value: UInt64(authSeq), parent: top, subfields: authSeqFlags)
        let impl = try data.u8(2)
        packet.add(hf.impl, data, 2, 1, .uint(UInt64(impl)), parent: top)
        let reqcode = try data.u8(3)
        packet.add(hf.reqcode, data, 3, 1, .uint(UInt64(reqcode)), parent: top)
        let requestName = packet.registry[hf.reqcode].strings?.name(for: UInt64(reqcode)) ?? "Unknown"
        packet.info.append(flags & 0x80 != 0 ? ", Response, " : ", Request, ")
        packet.info.append(requestName)
        guard impl == 3 else { return } // XNTPD

        // Err and the item count share a 16-bit word (4 + 12 bits), as do MBZ and the item size.
        let word1 = try data.u16(4)
        let word2 = try data.u16(6)
        let err = UInt64(word1 >> 12), items = Int(word1 & 0xfff), mbz = UInt64(word2 >> 12)
        let size = Int(word2 & 0xfff)
        let errNode = packet.add(hf.err, data, 4, 1, .uint(err), parent: top)
        let itemsNode = packet.add(hf.numItems, data, 4, 2, .uint(UInt64(items)), parent: top)
        let mbzNode = packet.add(hf.reserved, data, 6, 1, .uint(mbz), parent: top)
        let sizeNode = packet.add(hf.itemSize, data, 6, 2, .uint(UInt64(size)), parent: top)
        if full {
            let errName = packet.registry[hf.err].strings?.name(for: err) ?? "Unknown"
            packet.setLabel(errNode, Self.bits(UInt64(word1 >> 8), first: 0, count: 4, bytes: 1)
                            + " = Err: \(errName) (0x" + FieldFormatter.hex(err, digits: 2) + ")")
            packet.setLabel(itemsNode, Self.bits(UInt64(word1), first: 4, count: 12, bytes: 2)
                            + " = Number of data items: \(items)")
            packet.setLabel(mbzNode, Self.bits(UInt64(word2 >> 8), first: 0, count: 4, bytes: 1)
                            + " = Reserved: 0x" + FieldFormatter.hex(mbz, digits: 2))
            packet.setLabel(sizeNode, Self.bits(UInt64(word2), first: 4, count: 12, bytes: 2)
                            + " = Size of data item: \(size)")
        }

        for i in 0..<items {
            let offset = 8 + size * i
            if reqcode == 20 || reqcode == 42 { // MON_GETLIST, MON_GETLIST_1
                try addMonitorItem(&packet, data, offset, size, extended: reqcode == 42, parent: top)
            } else {
                // tshark's string item: empty, labelled "CODE Item".
                let value = packet.wants(hf.mode7Item) ? packet.text("") : FieldValue.none
                let node = packet.add(hf.mode7Item, data, offset, size, value, parent: top)
                if full { packet.setLabel(node, requestName + " Item") }
                if reqcode == 0 { try addPeerListItem(&packet, data, offset, parent: node) }
            }
        }
    }

    /// One entry of ntpd's peer list (PEER_LIST).
    private func addPeerListItem(_ packet: inout PacketContext, _ data: ByteView, _ start: Int,
                                 parent: TreeNode) throws(Malformed) {
        let m = hf.mode7
        packet.add(m.address, data, start, 4, .ipv4(try data.u32(start)), parent: parent)
        packet.add(m.port, data, start + 4, 2, .uint(UInt64(try data.u16(start + 4))), parent: parent)
        packet.add(m.hmode, data, start + 6, 1, .uint(UInt64(try data.u8(start + 6))), parent: parent)
        packet.addBitmask(m.peerFlags, data, start + 7, 1, value: UInt64(try data.u8(start + 7)), parent: parent,
                          subfields: peerListFlags)
        packet.add(m.ipv6Flag, data, start + 8, 4, .uint(UInt64(try data.u32(start + 8))), parent: parent)
        try data.check(start + 12, 4)
        packet.add(m.unused, data, start + 12, 4, .bytes, parent: parent)
        packet.add(m.address6, data, start + 16, 16, .ipv6(try IPv6Address(data, at: start + 16)), parent: parent)
    }

    /// One entry of ntpd's monitor list (the traffic statistics "monlist" reflection used).
    private func addMonitorItem(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ size: Int,
                                extended: Bool, parent: TreeNode) throws(Malformed) {
        let remote = try data.u32(start + 16)
        let port = try data.u16(start + (extended ? 28 : 20))
        let value = packet.wants(hf.mode7Item) ? packet.text("Monlist Item") : FieldValue.none
        let node = packet.add(hf.mode7Item, data, start, size, value, parent: parent)
        if packet.buildsFullTree {
            packet.setLabel(node, "Monlist item: address: " + FieldFormatter.ipv4String(remote) + ":\(port)")
        }
        let m = hf.monlist
        var offset = start
        for k in 0..<4 {
            packet.add(m[k], data, offset, 4, .uint(UInt64(try data.u32(offset))), parent: node)
            offset += 4
        }
        packet.add(m[4], data, offset, 4, .ipv4(try data.u32(offset)), parent: node)
        offset += 4
        if extended {
            packet.add(m[5], data, offset, 4, .ipv4(try data.u32(offset)), parent: node)
            offset += 4
            packet.add(m[6], data, offset, 4, .uint(UInt64(try data.u32(offset))), parent: node)
            offset += 4
        }
        packet.add(m[7], data, offset, 2, .uint(UInt64(try data.u16(offset))), parent: node)
        offset += 2
        packet.add(m[8], data, offset, 1, .uint(UInt64(try data.u8(offset))), parent: node)
        offset += 1
        packet.add(m[9], data, offset, 1, .uint(UInt64(try data.u8(offset))), parent: node)
        offset += 1
        let v6 = try data.u32(offset)
        packet.add(m[10], data, offset, 4, .uint(UInt64(v6)), parent: node)
        offset += 4
        packet.add(m[11], data, offset, 4, .uint(UInt64(try data.u32(offset))), parent: node)
        offset += 4
        if v6 != 0 {
            packet.add(m[12], data, offset, 16, .ipv6(try IPv6Address(data, at: offset)), parent: node)
            offset += 16
            if extended { packet.add(m[13], data, offset, 16, .ipv6(try IPv6Address(data, at: offset)), parent: node) }
        }
    }

    /// tshark's drawing of a bit field added bit by bit (`proto_tree_add_bits_item`): the bytes
    /// it spans, a space inside each byte and two between bytes.
    static func bits(_ value: UInt64, first: Int, count: Int, bytes: Int) -> String {
        var out = ""
        let total = bytes * 8
        for i in 0..<total {
            if i > 0 && i % 8 == 0 { out += "  " } else if i > 0 && i % 4 == 0 { out += " " }
            if i < first || i >= first + count {
                out += "."
            } else {
                out += (value >> UInt64(total - 1 - i)) & 1 == 1 ? "1" : "0"
            }
        }
        return out
    }
}
