import DissectKit

extension ICMPv6Dissector {
    /// RFC 4861 §4 messages (and RFC 3122 inverse discovery): the fixed part, then options.
    func dissectNeighborDiscovery(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                                  _ type: UInt8) throws(Malformed) {
        let info = packet.info
        var offset = 8
        switch type {
        case MessageType.routerAdvertisement:
            packet.add(hf.raCurHopLimit, data, 4, 1, .uint(UInt64(try data.u8(4))), parent: top)
            packet.addBitmask(hf.raFlag, data, 5, 1, value: UInt64(try data.u8(5)), parent: top, subfields: raFlags)
            packet.add(hf.raRouterLifetime, data, 6, 2, .uint(UInt64(try data.u16(6))), parent: top)
            packet.add(hf.raReachableTime, data, 8, 4, .uint(UInt64(try data.u32(8))), parent: top)
            packet.add(hf.raRetransTimer, data, 12, 4, .uint(UInt64(try data.u32(12))), parent: top)
            offset = 16
        case MessageType.neighborSolicitation:
            try addReserved(&packet, data, 4, 4, top)
            let target = try IPv6Address(data, at: 8)
            packet.add(hf.nsTarget, data, 8, 16, .ipv6(target), parent: top)
            info.append(" for ")
            info.append(FieldFormatter.ipv6String(target))
            offset = 24
        case MessageType.neighborAdvertisement:
            let flags = try data.u32(4)
            packet.addBitmask(hf.naFlag, data, 4, 4, value: UInt64(flags), parent: top, subfields: naFlags)
            let target = try IPv6Address(data, at: 8)
            packet.add(hf.naTarget, data, 8, 16, .ipv6(target), parent: top)
            info.append(" ")
            info.append(FieldFormatter.ipv6String(target))
            info.append(" (")
            if flags & 0xe000_0000 == 0 {
                info.append("none")
            } else {
                var first = true
                func flag(_ bit: UInt32, _ name: StaticString) {
                    guard flags & bit != 0 else { return }
                    if !first { info.append(", ") }
                    info.append(name)
                    first = false
                }
                flag(0x8000_0000, "rtr")
                flag(0x4000_0000, "sol")
                flag(0x2000_0000, "ovr")
            }
            info.append(")")
            offset = 24
        case MessageType.redirect:
            try addReserved(&packet, data, 4, 4, top)
            packet.add(hf.rdTarget, data, 8, 16, .ipv6(try IPv6Address(data, at: 8)), parent: top)
            packet.add(hf.rdDestination, data, 24, 16, .ipv6(try IPv6Address(data, at: 24)), parent: top)
            offset = 40
        default: // router solicitation, inverse discovery
            try addReserved(&packet, data, 4, 4, top)
        }
        try dissectOptions(&packet, data, offset, top)
    }

    private func addReserved(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int,
                             _ parent: TreeNode) throws(Malformed) {
        try data.check(offset, length)
        packet.add(hf.reserved, data, offset, length, .bytes, parent: parent)
    }

    // MARK: options

    /// RFC 4861 §4.6 options (type, length in units of 8 bytes, value) up to the end of the
    /// message. A zero length ends the list with an expert info, as tshark does.
    func dissectOptions(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ parent: TreeNode) throws(Malformed) {
        let full = packet.buildsFullTree
        let o = hf.opt
        let end = packet.reportedLength(data)
        var offset = start
        while offset < end {
            let type = try data.u8(offset)
            let units = try data.u8(offset + 1)
            let length = Int(units) * 8
            let node = packet.add(o.option, data, offset, min(max(length, 2), data.count - offset), .none, parent: parent)
            var label = ""
            if full {
                label = "ICMPv6 Option (" + (packet.registry[o.type].strings?.name(for: UInt64(type)) ?? "Unknown \(type)")
            }
            if full { packet.setLabel(node, label) }
            packet.add(o.type, data, offset, 1, .uint(UInt64(type)), parent: node)
            let lengthNode = packet.add(o.length, data, offset + 1, 1, .uint(UInt64(units)), parent: node)
            if full { packet.appendLabel(lengthNode, " (\(length) bytes)") }
            if units == 0 {
                packet.addExpert(hf.eiInvalidOptionLength, parent: lengthNode, data, offset + 1, 1,
                                 message: "Invalid option length (Zero)")
                return
            }
            let opt = try data.slice(offset, length)
            let used = try dissectOption(&packet, opt, type, node, &label, message: data)
            if used < length {
                let n = packet.add(hf.unknownData, opt, used, length - used, .bytes, parent: node)
                packet.addExpert(hf.eiUnknownData, parent: n, opt, used, length - used)
            }
            if full { packet.setLabel(node, label + ")") }
            offset += length
        }
    }

    /// One option's value (bytes 2… of `opt`); returns how many bytes of the option it used.
    /// `label` collects what tshark appends to the option line.
    private func dissectOption(_ packet: inout PacketContext, _ opt: ByteView, _ type: UInt8, _ node: TreeNode,
                               _ label: inout String, message: ByteView) throws(Malformed) -> Int {
        let full = packet.buildsFullTree
        let o = hf.opt
        let length = opt.count
        switch type {
        case 1, 2: // source / target link-layer address
            let source = type == 1
            if length == 8 {
                let mac = try opt.u48(2)
                packet.add(o.linkAddr, opt, 2, 6, .ether(mac), parent: node)
                packet.add(source ? o.srcLinkAddr : o.targetLinkAddr, opt, 2, 6, .ether(mac), parent: node,
                           flags: .hidden)
                if full { label += " : " + NameResolver.etherString(mac) }
                packet.info.append(source ? " from " : " is at ")
                Self.appendMAC(packet.info, mac, bytes: 6)
            } else if length == 16, try opt.u48(10) == 0 {
                // An EUI-64 (IEEE 802.15.4) padded with six zero bytes.
                let text = FieldFormatter.hexString(ArraySlice(try opt.slice(2, 8).buffer), separator: ":")
                let n = packet.add(o.linkAddrEUI64, opt, 2, 8, .bytes, parent: node)
                if full { packet.setLabel(n, "Link-layer address: \(text) (\(text))") }
                packet.add(source ? o.srcLinkAddrEUI64 : o.targetLinkAddrEUI64, opt, 2, 8, .bytes, parent: node,
                           flags: .hidden)
                packet.add(o.linkAddr, opt, 2, 8, .bytes, parent: node, flags: .hidden)
                packet.add(source ? o.srcLinkAddr : o.targetLinkAddr, opt, 2, 8, .bytes, parent: node, flags: .hidden)
                packet.add(o.padding, opt, 10, 6, .none, parent: node)
                if full { label += " : " + text }
                packet.info.append(source ? " from " : " is at ")
                packet.info.append(text)
            } else {
                packet.add(o.linkAddr, opt, 2, length - 2, .bytes, parent: node)
                packet.add(source ? o.srcLinkAddr : o.targetLinkAddr, opt, 2, length - 2, .bytes, parent: node,
                           flags: .hidden)
            }
            return length
        case 3: // prefix information
            let prefixLength = try opt.u8(2)
            packet.add(o.prefixLength, opt, 2, 1, .uint(UInt64(prefixLength)), parent: node)
            packet.addBitmask(o.prefixFlag, opt, 3, 1, value: UInt64(try opt.u8(3)), parent: node,
                              subfields: prefixFlags)
            try addLifetime(&packet, o.prefixValidLifetime, opt, 4, node, zero: nil)
            try addLifetime(&packet, o.prefixPreferredLifetime, opt, 8, node, zero: nil)
            try opt.check(12, 4)
            packet.add(o.reserved, opt, 12, 4, .none, parent: node)
            let prefix = try IPv6Address(opt, at: 16)
            packet.add(o.prefix, opt, 16, 16, .ipv6(prefix), parent: node)
            if full { label += " : " + FieldFormatter.ipv6String(prefix) + "/\(prefixLength)" }
            return 32
        case 4: // redirected header: the start of the packet that was redirected
            try opt.check(2, 6)
            packet.add(o.reserved, opt, 2, 6, .none, parent: node)
            if length > 8 {
                packet.add(o.redirectedPacket, opt, 8, length - 8, .none, parent: node)
                dissectQuoted(&packet, opt.suffix(from: 8), parent: node)
            }
            return length
        case 5: // MTU
            try opt.check(2, 2)
            packet.add(o.reserved, opt, 2, 2, .none, parent: node)
            let mtu = try opt.u32(4)
            packet.add(o.mtu, opt, 4, 4, .uint(UInt64(mtu)), parent: node)
            if full { label += " : \(mtu)" }
            return 8
        case 6: // NBMA shortcut limit (RFC 2491)
            let limit = try opt.u8(2)
            packet.add(o.shortcutLimit, opt, 2, 1, .uint(UInt64(limit)), parent: node)
            try opt.check(3, 5)
            packet.add(o.reserved, opt, 3, 1, .none, parent: node)
            packet.add(o.reserved, opt, 4, 4, .none, parent: node)
            if full { label += " : \(limit)" }
            // tshark counts the second reserved field as 3 bytes: the last byte is left over.
            return 7
        case 7: // advertisement interval (RFC 6275)
            try opt.check(2, 2)
            packet.add(o.reserved, opt, 2, 2, .none, parent: node)
            let interval = try opt.u32(4)
            packet.add(o.advertisementInterval, opt, 4, 4, .uint(UInt64(interval)), parent: node)
            if full { label += " : \(interval)" }
            return 8
        case 8: // home agent information (RFC 6275)
            try opt.check(2, 2)
            packet.add(o.reserved, opt, 2, 2, .none, parent: node)
            packet.add(o.homeAgentPreference, opt, 4, 2, .uint(UInt64(try opt.u16(4))), parent: node)
            packet.add(o.homeAgentLifetime, opt, 6, 2, .uint(UInt64(try opt.u16(6))), parent: node)
            return 8
        case 9, 10: // source / target address list (RFC 3122)
            try opt.check(2, 6)
            packet.add(o.reserved, opt, 2, 6, .none, parent: node)
            var at = 8
            while at < length {
                let a = try IPv6Address(opt, at: at)
                packet.add(o.ipv6Address, opt, at, 16, .ipv6(a), parent: node)
                if full { label += " " + FieldFormatter.ipv6String(a) }
                at += 16
            }
            return length
        case 14: // nonce (RFC 3971)
            packet.add(o.nonce, opt, 2, length - 2, .bytes, parent: node)
            return length
        case 24: // route information (RFC 4191)
            let prefixLength = try opt.u8(2)
            packet.add(o.prefixLength, opt, 2, 1, .uint(UInt64(prefixLength)), parent: node)
            let flags = try opt.u8(3)
            packet.addBitmask(o.routeInfoFlag, opt, 3, 1, value: UInt64(flags), parent: node, subfields: routeInfoFlags)
            try addLifetime(&packet, o.routeLifetime, opt, 4, node, zero: nil)
            let prefix = try Self.paddedPrefix(opt, 8, length - 8)
            packet.add(o.prefix, opt, 8, length - 8, .ipv6(prefix), parent: node)
            if full {
                let preference = packet.registry[routeInfoFlags[0]].strings?.name(for: UInt64(flags >> 3 & 3)) ?? ""
                label += " : \(preference) " + FieldFormatter.ipv6String(prefix) + "/\(prefixLength)"
            }
            return length
        case 25: // recursive DNS servers (RFC 8106)
            try opt.check(2, 2)
            packet.add(o.reserved, opt, 2, 2, .none, parent: node)
            try addLifetime(&packet, o.rdnssLifetime, opt, 4, node, zero: "RDNSS address MUST no longer be used")
            var at = 8
            while at < length {
                let a = try IPv6Address(opt, at: at)
                packet.add(o.rdnss, opt, at, 16, .ipv6(a), parent: node)
                if full { label += " " + FieldFormatter.ipv6String(a) }
                at += 16
            }
            return length
        case 26: // RA flags extension (RFC 5175)
            packet.addBitmask(o.efo, opt, 2, 2, value: UInt64(try opt.u16(2)), parent: node, subfields: efoFlags)
            try opt.check(4, 4)
            packet.add(o.reserved, opt, 4, 4, .none, parent: node)
            return 8
        case 31: // DNS search list (RFC 8106)
            try opt.check(2, 2)
            packet.add(o.reserved, opt, 2, 2, .none, parent: node)
            try addLifetime(&packet, o.dnsslLifetime, opt, 4, node, zero: "DNSSL domain name MUST no longer be used")
            var at = 8
            while at < length {
                if try opt.u8(at) == 0 {
                    packet.add(o.padding, opt, at, length - at, .none, parent: node)
                    break
                }
                let (name, used) = try Self.domainName(opt, at, message: message)
                if packet.wants(o.dnssl) { packet.add(o.dnssl, opt, at, used, packet.text(name), parent: node) }
                if full { label += " " + name }
                at += used
            }
            return length
        case 37: // captive portal URI (RFC 8910)
            var textLength = length - 2
            if let nul = opt.firstIndex(of: 0, from: 2) { textLength = nul - 2 }
            packet.add(o.captivePortal, opt, 2, textLength, .string, parent: node)
            return length
        case 38: // PREF64 (RFC 8781)
            let word = UInt64(try opt.u16(2))
            packet.add(o.pref64ScaledLifetime, opt, 2, 2, .uint(word >> 3), parent: node)
            packet.add(o.pref64PLC, opt, 2, 2, .uint(word & 7), parent: node)
            let prefix = try Self.paddedPrefix(opt, 4, length - 4)
            packet.add(o.pref64Prefix, opt, 4, length - 4, .ipv6(prefix), parent: node)
            return length
        default:
            packet.addExpert(hf.eiUndecodedOption, parent: node, opt, 0, 1,
                             message: "Dissector for ICMPv6 Option (\(type)) code not implemented, Contact Wireshark developers if you want this supported")
            packet.add(hf.data, opt, 2, length - 2, .bytes, parent: node)
            return length
        }
    }

    /// "02:00:00:00:00:01" into a column without building a String.
    static func appendMAC(_ column: ColumnText, _ v: UInt64, bytes: Int) {
        for i in stride(from: bytes - 1, through: 0, by: -1) {
            column.appendHex((v >> UInt64(8 * i)) & 0xff, width: 2)
            if i > 0 { column.append(":") }
        }
    }

    /// A lifetime where all ones means "Infinity" (and, for some options, zero means "no longer
    /// valid"): tshark's BASE_SPECIAL_VALS, the number alone otherwise.
    private func addLifetime(_ packet: inout PacketContext, _ field: FieldID, _ opt: ByteView, _ offset: Int,
                             _ parent: TreeNode, zero: String?) throws(Malformed) {
        let v = try opt.u32(offset)
        let node = packet.add(field, opt, offset, 4, .uint(UInt64(v)), parent: parent)
        guard packet.buildsFullTree else { return }
        let name = packet.registry[field].name
        if v == 0xffff_ffff {
            packet.setLabel(node, "\(name): Infinity (\(v))")
        } else if v == 0, let z = zero {
            packet.setLabel(node, "\(name): \(z) (0)")
        } else {
            packet.setLabel(node, "\(name): \(v)")
        }
    }

    /// An address prefix of `length` bytes (up to 16), zero-filled to a full address.
    static func paddedPrefix(_ data: ByteView, _ offset: Int, _ length: Int) throws(Malformed) -> IPv6Address {
        try data.check(offset, length)
        var hi: UInt64 = 0, lo: UInt64 = 0
        for i in 0..<min(length, 16) {
            let b = UInt64(data[unchecked: offset + i])
            if i < 8 { hi |= b << UInt64(56 - 8 * i) } else { lo |= b << UInt64(56 - 8 * (i - 8)) }
        }
        return IPv6Address(hi: hi, lo: lo)
    }

    /// A DNS name in wire format at `offset` of `data` and the bytes it takes there; compression
    /// pointers (not allowed here, but seen) point into the ICMPv6 `message`, as in tshark.
    static func domainName(_ data: ByteView, _ offset: Int, message: ByteView) throws(Malformed) -> (String, Int) {
        var labels: [String] = []
        var view = data
        var at = offset
        var used: Int?
        var jumps = 0
        while true {
            let n = Int(try view.u8(at))
            if n == 0 {
                if used == nil { used = at + 1 - offset }
                break
            }
            if n & 0xc0 == 0xc0 {
                let target = (n & 0x3f) << 8 | Int(try view.u8(at + 1))
                if used == nil { used = at + 2 - offset }
                jumps += 1
                if jumps > 32 { throw Malformed() }
                view = message
                at = target
                continue
            }
            let label = try view.slice(at + 1, n)
            labels.append(FieldFormatter.escape(ArraySlice(label.buffer)))
            at += 1 + n
        }
        return (labels.isEmpty ? "<Root>" : labels.joined(separator: "."), used ?? 1)
    }
}
