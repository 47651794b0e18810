import DissectKit

/// IPv4 options (RFC 791 §3.1, RFC 2113 router alert, RFC 1063 MTU, RFC 1108 security):
/// names and the tree tshark draws for each.
enum IPv4Options {
    static let classNames: [UInt64: String] = [
        0: "Control", 1: "Reserved for future use", 2: "Debugging and measurement", 3: "Reserved for future use",
    ]

    static let numberNames: [UInt64: String] = [
        0: "End of Option List (EOL)", 1: "No-Operation (NOP)", 2: "Security", 3: "Loose source route",
        4: "Time stamp", 5: "Extended security", 6: "Commercial IP security option", 7: "Record route",
        8: "Stream identifier", 9: "Strict source route", 10: "Experimental Measurement", 11: "MTU probe",
        12: "MTU Reply", 13: "Experimental Flow Control", 14: "Experimental Access Control", 15: "Ask Estrin",
        16: "IMI Traffic Descriptor", 17: "Extended Internet Protocol", 18: "Traceroute", 19: "Address Extension",
        20: "Router Alert", 21: "Selective Directed Broadcast", 22: "Unassigned", 23: "Dynamic Packet State",
        24: "Upstream Multicast Packet", 25: "Quick-Start", 30: "RFC 3692-style experiment",
    ]

    static let timestampFlagNames: [UInt64: String] = [
        0: "Time stamps only", 1: "Time stamp and address", 3: "Time stamps for prespecified addresses",
    ]

    static let securityNames: [UInt64: String] = [
        0x0000: "Unclassified", 0xf135: "Confidential", 0x789a: "EFTO", 0xbc4d: "MMMM", 0x5e26: "PROG",
        0xaf13: "Restricted", 0xd788: "Secret", 0x6bc5: "Top secret", 0x35e2: "Reserved", 0x9af1: "Reserved",
        0x4d78: "Reserved", 0x24bd: "Reserved", 0x135e: "Reserved", 0x89af: "Reserved", 0xc4d6: "Reserved",
        0xe26b: "Reserved",
    ]

    /// Option types tshark knows, with the name of their tree line and (for fixed-size ones)
    /// the length it expects.
    static func known(_ type: UInt8) -> (name: String, fixed: Int?)? {
        switch type {
        case 0x82: return ("Security", nil)
        case 0x83: return ("Loose Source Route", nil)
        case 0x44: return ("Time Stamp", nil)
        case 0x85: return ("Extended Security", nil)
        case 0x86: return ("Commercial Security", nil)
        case 0x07: return ("Record Route", nil)
        case 0x88: return ("Stream ID", 4)
        case 0x89: return ("Strict Source Route", nil)
        case 0x0b: return ("MTU Probe", 4)
        case 0x0c: return ("MTU Reply", 4)
        case 0x52: return ("Traceroute", 12)
        case 0x94: return ("Router Alert", 4)
        case 0x95: return ("Selective Directed Broadcast", nil)
        case 0x19: return ("Quick-Start", 8)
        default: return nil
        }
    }

    /// The last address of a loose/strict source route whose pointer has not run past the end:
    /// the datagram's real destination.
    static func sourceRouteDestination(_ data: ByteView, from: Int, to end: Int) -> (offset: Int, addr: UInt32)? {
        var off = from
        while off < end {
            let t = data[unchecked: off]
            if t == 0 { return nil }
            if t == 1 { off += 1; continue }
            guard off + 1 < end else { return nil }
            let len = Int(data[unchecked: off + 1])
            guard len >= 2, off + len <= end else { return nil }
            if t == 0x83 || t == 0x89 {
                guard len >= 7 else { return nil }
                let ptr = Int(data[unchecked: off + 2])
                // The last slot is designated by pointer value len - 3; past it the route is used up.
                guard ptr <= len - 3, data.has(off + len - 4, 4) else { return nil }
                return (off + len - 4, (try? data.u32(off + len - 4)) ?? 0)
            }
            off += len
        }
        return nil
    }
}

extension IPv4Dissector {
    func dissectOptions(_ packet: inout PacketContext, _ data: ByteView, hlen: Int, parent: TreeNode,
                        finalDst: (offset: Int, addr: UInt32)?) throws(Malformed) {
        let start = Self.minHeaderLength
        let optLen = hlen - start
        let full = packet.buildsFullTree
        let tree = packet.addText("Options: (\(optLen) bytes)", data, start, optLen, parent: parent)
        var off = start
        var nopRun = 0
        while off < hlen {
            let type = try data.u8(off)
            if type == 0 || type == 1 {
                if type == 1 {
                    nopRun += 1
                    if nopRun == 4 { packet.addExpert(hf.eiNop, parent: tree, data, off, 1) }
                } else {
                    nopRun = 0
                }
                let text = type == 0 ? "IP Option - End of Options List (EOL)" : "IP Option - No-Operation (NOP)"
                let item = optionItem(&packet, type, text, data, off, 1, parent: tree)
                addOptionType(&packet, data, off, type, parent: item)
                off += 1
                if type == 0 { break }
                continue
            }
            nopRun = 0
            let known = IPv4Options.known(type)
            let name = known?.name ?? "Unknown (0x\(FieldFormatter.hex(UInt64(type), digits: 2)))"
            guard off + 1 < hlen else {
                let item = packet.addText("\(name) (length byte past end of options)", data, off, 1, parent: tree)
                packet.addExpert(hf.eiOptLenInvalid, parent: item, data, off, 1,
                                 message: "\(name) (length byte past end of options)")
                return
            }
            let len = Int(try data.u8(off + 1))
            if len < 2 {
                let text = "\(name) (with too-short option length = \(len) byte\(len == 1 ? "" : "s"))"
                let item = packet.addText(text, data, off, 2, parent: tree)
                packet.addExpert(hf.eiOptLenInvalid, parent: item, data, off, 2, message: text)
                return
            }
            if off + len > hlen {
                let text = "\(name) (option length = \(len) byte\(len == 1 ? "" : "s") says option goes past end of options)"
                let item = packet.addText(text, data, off, hlen - off, parent: tree)
                packet.addExpert(hf.eiOptLenInvalid, parent: item, data, off, hlen - off, message: text)
                return
            }
            guard let known else {
                packet.addText("\(name) (\(len) bytes)", data, off, len, parent: tree)
                off += len
                continue
            }
            let opt = try data.slice(off, len)
            // A fixed-size option with another length is still dissected; the line shows the
            // size it should have and the length gets an expert info.
            let shownLength = known.fixed ?? len
            let item = optionItem(&packet, type, "IP Option - \(name) (\(shownLength) bytes)", data, off, len, parent: tree)
            addOptionType(&packet, data, off, type, parent: item)
            let lNode = packet.add(hf.optLen, data, off + 1, 1, .uint(UInt64(len)), parent: item)
            if let fixed = known.fixed, fixed != len {
                packet.addExpert(hf.eiOptLenInvalid, parent: lNode, data, off + 1, 1,
                                 message: "\(name) (with option length = \(len) byte\(len == 1 ? "" : "s"); should be \(fixed))")
            }
            switch type {
            case 0x07, 0x83, 0x89:
                try dissectRoute(&packet, opt, isSourceRoute: type != 0x07, finalDst: finalDst, parent: item)
            case 0x44:
                try dissectTimestamp(&packet, opt, parent: item)
            case 0x94:
                let v = try opt.u16(2)
                packet.add(hf.optRA, opt, 2, 2, .uint(UInt64(v)), parent: item)
                if full {
                    let n = v == 0 ? "Router shall examine packet" : "Reserved"
                    packet.appendLabel(item, ": \(n) (\(v))")
                }
            case 0x88:
                packet.add(hf.optSID, opt, 2, 2, .uint(UInt64(try opt.u16(2))), parent: item)
            case 0x0b, 0x0c:
                packet.add(hf.optMTU, opt, 2, 2, .uint(UInt64(try opt.u16(2))), parent: item)
            case 0x82 where len != 11:
                try dissectSecurityRFC1108(&packet, opt, parent: item)
            case 0x82:
                packet.add(hf.optSecurity, opt, 2, 2, .uint(UInt64(try opt.u16(2))), parent: item)
                packet.add(hf.optCompartments, opt, 4, 2, .uint(UInt64(try opt.u16(4))), parent: item)
                packet.add(hf.optHandling, opt, 6, 2, packet.text(Self.cString(try opt.slice(6, 2))), parent: item)
                packet.add(hf.optTCC, opt, 8, 3, packet.text(Self.cString(try opt.slice(8, 3))), parent: item)
            default:
                break
            }
            // Named in the "Options" line only once it was dissected without error.
            if full, !tree.isNone { packet.appendLabel(tree, ", " + name) }
            off += len
        }
    }

    /// The option's item: tshark's `ip.options.*` protocol with the option's bytes (its JSON
    /// key and `-T fields` value), or a text line for an option without one.
    func optionItem(_ packet: inout PacketContext, _ type: UInt8, _ text: @autoclosure () -> String, _ data: ByteView,
                    _ off: Int, _ len: Int, parent: TreeNode) -> TreeNode {
        guard let id = hf.optionItems[type] else { return packet.addText(text(), data, off, len, parent: parent) }
        let item = packet.add(id, data, off, len, .bytes, parent: parent)
        if packet.buildsFullTree { packet.setLabel(item, text()) }
        return item
    }

    /// "Type: 7" with its copy/class/number bits.
    func addOptionType(_ packet: inout PacketContext, _ data: ByteView, _ off: Int, _ type: UInt8, parent: TreeNode) {
        let t = packet.add(hf.optType, data, off, 1, .uint(UInt64(type)), parent: parent)
        packet.add(hf.optCopy, data, off, 1, .bool(type & 0x80 != 0), parent: t)
        packet.add(hf.optClass, data, off, 1, .uint(UInt64((type >> 5) & 3)), parent: t)
        packet.add(hf.optNumber, data, off, 1, .uint(UInt64(type & 0x1f)), parent: t)
    }

    /// Record route and source routes: the pointer and each address slot.
    func dissectRoute(_ packet: inout PacketContext, _ opt: ByteView, isSourceRoute: Bool,
                      finalDst: (offset: Int, addr: UInt32)?, parent: TreeNode) throws(Malformed) {
        let ptr = Int(try opt.u8(2))
        let pNode = packet.add(hf.optPtr, opt, 2, 1, .uint(UInt64(ptr)), parent: parent)
        if ptr < 4 {
            packet.addExpert(hf.eiOptPtrBefore, parent: pNode, opt, 2, 1)
            return
        } else if (ptr - 4) % 4 != 0 {
            packet.addExpert(hf.eiOptPtrMiddle, parent: pNode, opt, 2, 1)
            return
        }
        let len = opt.count
        var i = 3
        while i + 4 <= len {
            let a = try opt.u32(i)
            let slot = i + 1 // the pointer value that designates this slot
            let isLast = i + 4 > len - 4
            if isSourceRoute && isLast && finalDst != nil && slot >= ptr {
                packet.add(hf.dst, opt, i, 4, .ipv4(a), parent: parent)
                packet.add(hf.addr, opt, i, 4, .ipv4(a), parent: parent, flags: .hidden)
                addHostStrings(&packet, opt, i, a, hf.dstHost, parent: parent)
            } else if slot < ptr {
                packet.add(hf.recRoute, opt, i, 4, .ipv4(a), parent: parent)
            } else {
                let field = isSourceRoute ? hf.srcRoute : hf.emptyRoute
                let n = packet.add(field, opt, i, 4, .ipv4(a), parent: parent)
                if slot == ptr { packet.appendLabel(n, " <- (next)") }
            }
            i += 4
        }
    }

    /// RFC 791 Internet Timestamp: pointer, overflow/flag nibbles, then the entries.
    func dissectTimestamp(_ packet: inout PacketContext, _ opt: ByteView, parent: TreeNode) throws(Malformed) {
        let ptr = Int(try opt.u8(2))
        let pNode = packet.add(hf.optPtr, opt, 2, 1, .uint(UInt64(ptr)), parent: parent)
        if ptr < 5 {
            packet.addExpert(hf.eiOptPtrBefore, parent: pNode, opt, 2, 1)
        }
        let of = try opt.u8(3)
        packet.add(hf.optOverflow, opt, 3, 1, .uint(UInt64(of >> 4)), parent: parent)
        let flag = of & 0x0f
        packet.add(hf.optFlag, opt, 3, 1, .uint(UInt64(flag)), parent: parent)
        var i = 4
        let len = opt.count
        while i < len {
            if flag == 1 || flag == 3 {
                guard i + 8 <= len else { break }
                packet.add(hf.optTimestampAddr, opt, i, 4, .ipv4(try opt.u32(i)), parent: parent)
                packet.add(hf.optTimestamp, opt, i + 4, 4, .uint(UInt64(try opt.u32(i + 4))), parent: parent)
                i += 8
            } else {
                guard i + 4 <= len else { break }
                packet.add(hf.optTimestamp, opt, i, 4, .uint(UInt64(try opt.u32(i))), parent: parent)
                i += 4
            }
        }
    }

    /// RFC 1108 basic security option: classification level, then protection authority
    /// flag octets while their last bit says another follows.
    func dissectSecurityRFC1108(_ packet: inout PacketContext, _ opt: ByteView, parent: TreeNode) throws(Malformed) {
        packet.add(hf.optSecClass, opt, 2, 1, .uint(UInt64(try opt.u8(2))), parent: parent)
        var off = 3
        while off < opt.count {
            let flags = try opt.u8(off)
            let f = packet.add(hf.optSecFlags, opt, off, 1, .uint(UInt64(flags)), parent: parent)
            for (i, field) in hf.optSecFlagBits.enumerated() {
                packet.add(field, opt, off, 1, .bool(flags & (0x80 >> UInt8(i)) != 0), parent: f)
            }
            packet.add(hf.optSecUnassigned, opt, off, 1, .uint(UInt64((flags >> 1) & 3)), parent: f)
            packet.add(hf.optSecFTI, opt, off, 1, .bool(flags & 1 != 0), parent: f)
            off += 1
            if flags & 1 == 0 { break }
        }
        if off < opt.count {
            packet.addExpert(hf.eiOptLenInvalid, parent: parent, opt, off, opt.count - off,
                             message: "Extraneous data in option")
        }
    }

    /// Bytes up to the first NUL, as text.
    static func cString(_ v: ByteView) -> String {
        var bytes: [UInt8] = []
        for i in 0..<v.count {
            let c = v[unchecked: i]
            if c == 0 { break }
            bytes.append(c)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
