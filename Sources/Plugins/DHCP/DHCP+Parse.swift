import DissectKit

extension DHCPDissector {
    static let cookieValue: UInt32 = 0x6382_5363
    static let optionsStart = 240

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let full = packet.buildsFullTree
        let op = try data.u8(0)
        packet.protocolColumn = "BOOTP"
        let info = packet.info
        info.set("")
        info.append(DHCPNames.bootpOps[UInt64(op)] ?? "Unknown")

        // tshark looks for the message type first, for the columns and the title.
        let messageType = Self.findMessageType(data)
        let xid = data.has(4, 4) ? try data.u32(4) : 0
        var typeName: String?
        if let t = messageType {
            packet.protocolColumn = "DHCP"
            let name = DHCPNames.messageTypes[UInt64(t)] ?? "Unknown Message Type (0x\(FieldFormatter.hex(UInt64(t), digits: 2)))"
            typeName = name
            info.set("DHCP ")
            info.append(name)
            var n = name.utf8.count
            while n < 8 { info.append(" "); n += 1 }
            info.append(" - Transaction ID 0x")
            info.appendHex(UInt64(xid), width: 0)
        }
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent, text: typeName.map {
            "Dynamic Host Configuration Protocol (\($0))"
        })

        packet.add(hf.type, data, 0, 1, .uint(UInt64(op)), parent: top)
        let htype = try data.u8(1)
        packet.add(hf.hwType, data, 1, 1, .uint(UInt64(htype)), parent: top)
        let hlen = Int(try data.u8(2))
        packet.add(hf.hwLen, data, 2, 1, .uint(UInt64(hlen)), parent: top)
        packet.add(hf.hops, data, 3, 1, .uint(UInt64(try data.u8(3))), parent: top)
        packet.add(hf.id, data, 4, 4, .uint(UInt64(try data.u32(4))), parent: top)
        packet.add(hf.secs, data, 8, 2, .uint(UInt64(try data.u16(8))), parent: top)
        let flags = try data.u16(10)
        let flagsNode = packet.add(hf.flags, data, 10, 2, .uint(UInt64(flags)), parent: top)
        if full {
            packet.appendLabel(flagsNode, flags & 0x8000 != 0 ? ", Broadcast flag (Broadcast)" : " (Unicast)")
        }
        packet.add(hf.flagsBC, data, 10, 2, .bool(flags & 0x8000 != 0), parent: flagsNode)
        packet.add(hf.flagsReserved, data, 10, 2, .uint(UInt64(flags & 0x7fff)), parent: flagsNode)
        packet.add(hf.ipClient, data, 12, 4, .ipv4(try data.u32(12)), parent: top)
        packet.add(hf.ipYour, data, 16, 4, .ipv4(try data.u32(16)), parent: top)
        packet.add(hf.ipServer, data, 20, 4, .ipv4(try data.u32(20)), parent: top)
        packet.add(hf.ipRelay, data, 24, 4, .ipv4(try data.u32(24)), parent: top)
        try data.check(28, 16)
        if htype == 1 && hlen == 6 {
            packet.add(hf.hwMac, data, 28, 6, .ether(try data.u48(28)), parent: top)
            packet.add(hf.hwPadding, data, 34, 10, .bytes, parent: top)
        } else if hlen > 0 && hlen <= 16 {
            packet.add(hf.hwAddr, data, 28, hlen, .bytes, parent: top)
            if hlen < 16 { packet.add(hf.hwPadding, data, 28 + hlen, 16 - hlen, .bytes, parent: top) }
        } else {
            packet.add(hf.hwAddr, data, 28, 16, .bytes, parent: top)
        }
        try addName(&packet, data, 44, 64, hf.server, "Server host name not given", top)
        try addName(&packet, data, 108, 128, hf.file, "Boot file name not given", top)

        let cookie = try data.u32(236)
        let cookieNode = packet.add(hf.cookie, data, 236, 4, .ipv4(cookie), parent: top)
        if cookie == Self.cookieValue {
            if full { packet.setLabel(cookieNode, "Magic cookie: DHCP") }
            try dissectOptions(&packet, data, top)
        }
        return .consumed(data.count)
    }

    /// Option 53's value, found without throwing (tshark's first pass over the options).
    static func findMessageType(_ data: ByteView) -> UInt8? {
        guard data.count > optionsStart, data[unchecked: 236] == 0x63, data[unchecked: 237] == 0x82,
              data[unchecked: 238] == 0x53, data[unchecked: 239] == 0x63 else { return nil }
        var off = optionsStart
        while off < data.count {
            let code = data[unchecked: off]
            if code == 0 { off += 1; continue }
            if code == 255 || off + 1 >= data.count { return nil }
            let len = Int(data[unchecked: off + 1])
            if code == 53 && len >= 1 && off + 2 < data.count { return data[unchecked: off + 2] }
            off += 2 + len
        }
        return nil
    }

    /// `sname` / `file`: a NUL-terminated string in a fixed-size area, or "… not given".
    private func addName(_ packet: inout PacketContext, _ data: ByteView, _ off: Int, _ size: Int, _ field: FieldID,
                         _ notGiven: String, _ top: TreeNode) throws(Malformed) {
        try data.check(off, size)
        if data[unchecked: off] == 0 {
            // tshark adds the field (value "", its whole area) with this line text.
            let node = packet.add(field, data, off, size, packet.tree.wants(field) ? packet.text("") : .none, parent: top)
            if packet.buildsFullTree { packet.setLabel(node, notGiven) }
            return
        }
        var n = 0
        while n < size && data[unchecked: off + n] != 0 { n += 1 }
        packet.add(field, data, off, n, .string, parent: top)
    }

    private func dissectOptions(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode) throws(Malformed) {
        let full = packet.buildsFullTree
        var off = Self.optionsStart
        while off < data.count {
            let code = try data.u8(off)
            if code == 0 {
                // A run of pad options is one item.
                var end = off
                while end < data.count && data[unchecked: end] == 0 { end += 1 }
                let node = packet.add(hf.optionType, data, off, end - off, .uint(0), parent: top)
                if full { packet.setLabel(node, "Option: (0) Padding") }
                packet.add(hf.optionPadding, data, off, end - off, .bytes, parent: node)
                off = end
                continue
            }
            if code == 255 {
                // tshark's End item holds 0 (its line says 255): `-T json/fields` print "0".
                let node = packet.add(hf.optionType, data, off, 1, .uint(0), parent: top)
                if full { packet.setLabel(node, "Option: (255) End") }
                packet.add(hf.optionEnd, data, off, 1, .uint(255), parent: node)
                off += 1
                if off < data.count {
                    packet.add(hf.optionPadding, data, off, data.count - off, .bytes, parent: top)
                }
                return
            }
            let len = Int(try data.u8(off + 1))
            let node = packet.add(hf.optionType, data, off, 2 + len, .uint(UInt64(code)), parent: top)
            if full { packet.setLabel(node, "Option: (\(code)) \(DHCPNames.optionName(code))") }
            packet.add(hf.optionLength, data, off + 1, 1, .uint(UInt64(len)), parent: node)
            let v = off + 2
            try data.check(v, len)
            // tshark adds every option's raw value, hidden unless nothing better is shown.
            if len > 0 && Self.isDecoded(code) && Self.fixedLength(code).map({ $0 == len }) ?? true {
                packet.add(hf.optionValue, data, v, len, .bytes, parent: node, flags: .hidden)
            }
            try dissectOptionValue(&packet, data, code: code, v, len, node)
            off = v + len
        }
    }

    private func dissectOptionValue(_ packet: inout PacketContext, _ data: ByteView, code: UInt8, _ v: Int, _ len: Int,
                                    _ node: TreeNode) throws(Malformed) {
        let full = packet.buildsFullTree
        // Options holding one IPv4 address repeat it in the option line.
        func badLength(_ text: String, showValue: Bool = true) {
            if showValue { generic() }
            packet.addExpert(hf.eiBadLength, parent: node, data, v - 1, 1, message: text)
        }
        func singleAddress(_ field: FieldID) throws(Malformed) {
            guard len == 4 else { return badLength("length isn't 4") }
            let a = try data.u32(v)
            packet.add(field, data, v, 4, .ipv4(a), parent: node)
            if full { packet.appendLabel(node, " (\(FieldFormatter.ipv4String(a)))") }
        }
        func addresses(_ field: FieldID) throws(Malformed) {
            var i = 0
            while i + 4 <= len {
                packet.add(field, data, v + i, 4, .ipv4(try data.u32(v + i)), parent: node)
                i += 4
            }
            if len % 4 != 0 { badLength("Option length isn't a multiple of 4", showValue: false) }
        }
        func string(_ field: FieldID) {
            var n = 0
            while n < len && data[unchecked: v + n] != 0 { n += 1 }
            packet.add(field, data, v, n, .string, parent: node)
        }
        func duration(_ field: FieldID) throws(Malformed) {
            guard len == 4 else { return badLength("length isn't 4") }
            let t = try data.u32(v)
            let n = packet.add(field, data, v, 4, .uint(UInt64(t)), parent: node)
            if full {
                let name = packet.registry[field].name
                let text = t == 0xffff_ffff ? "infinity" : DHCPNames.durationText(t)
                packet.setLabel(n, "\(name): (\(t)s) \(text)")
            }
        }
        func generic() {
            if len > 0 { packet.add(hf.optionValue, data, v, len, .bytes, parent: node) }
        }

        switch code {
        case 1: try singleAddress(hf.subnetMask)
        case 3: try addresses(hf.router)
        case 6: try addresses(hf.dns)
        case 12: string(hf.hostname)
        case 15: string(hf.domainName)
        case 28: try singleAddress(hf.broadcast)
        case 50: try singleAddress(hf.requestedIP)
        case 51: try duration(hf.leaseTime)
        case 53:
            guard len == 1 else { return generic() }
            let t = try data.u8(v)
            let n = packet.add(hf.messageType, data, v, 1, .uint(UInt64(t)), parent: node)
            if full {
                let name = DHCPNames.messageTypes[UInt64(t)]
                packet.appendLabel(node, " (\(name ?? "Unknown Message Type (0x\(FieldFormatter.hex(UInt64(t), digits: 2)))"))")
                if name == nil { packet.setLabel(n, "DHCP: Unknown (\(t))") }
            }
        case 54: try singleAddress(hf.serverID)
        case 55:
            for i in 0..<len {
                let item = data[unchecked: v + i]
                let n = packet.add(hf.requestItem, data, v + i, 1, .uint(UInt64(item)), parent: node)
                if full { packet.setLabel(n, "Parameter Request List Item: (\(item)) \(DHCPNames.optionName(item))") }
            }
        case 57:
            guard len == 2 else { return badLength("length isn't 2") }
            packet.add(hf.maxMessageSize, data, v, 2, .uint(UInt64(try data.u16(v))), parent: node)
        case 58: try duration(hf.renewalTime)
        case 59: try duration(hf.rebindingTime)
        case 60: string(hf.vendorClass)
        case 61:
            if len == 7 && data[unchecked: v] == 1 {
                packet.add(hf.hwType, data, v, 1, .uint(1), parent: node)
                packet.add(hf.hwMac, data, v + 1, 6, .ether(try data.u48(v + 1)), parent: node)
            } else if len > 1 && data[unchecked: v] == 0 {
                packet.add(hf.clientIDType, data, v, 1, .uint(0), parent: node)
                packet.add(hf.clientIDUndef, data, v + 1, len - 1, .string, parent: node)
            } else {
                generic()
            }
        default:
            if let f = addressLists[code] {
                try addresses(f)
            } else if let f = singleAddresses[code] {
                try singleAddress(f)
            } else {
                generic()
            }
        }
    }

    /// Options shown with their own fields (their raw value is added hidden).
    static func isDecoded(_ code: UInt8) -> Bool {
        switch code {
        case 1, 3, 6, 12, 15, 16, 28, 32, 50, 51, 53, 54, 55, 57, 58, 59, 60, 61: return true
        default: return addressListAbbrevs[code] != nil
        }
    }

    /// The length an option must have; another length shows the raw value and an expert info.
    static func fixedLength(_ code: UInt8) -> Int? {
        switch code {
        case 1, 16, 28, 32, 50, 51, 54, 58, 59: return 4
        case 57: return 2
        case 53: return 1
        default: return nil
        }
    }
}
