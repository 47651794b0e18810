import DissectKit

extension ARPDissector {
    /// Opcodes (RFC 826, 903, 1931, 2390).
    enum Op {
        static let request: UInt16 = 1
        static let reply: UInt16 = 2
        static let reverseRequest: UInt16 = 3
        static let reverseReply: UInt16 = 4
        static let drarpRequest: UInt16 = 5
        static let drarpReply: UInt16 = 6
        static let drarpError: UInt16 = 7
        static let inverseRequest: UInt16 = 8
        static let inverseReply: UInt16 = 9
    }

    // Swift 6.3.1's optimizer crashes on this function (SimplifyCFG: "cannot get borrow
    // introducers for unknown guaranteed value", typed throws from nested functions); ARP is
    // never hot, so it is compiled unoptimised.
    @_optimize(none)
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        // tshark names the protocol and clears Info before reading anything, then adds the
        // header fields one by one: a short packet shows what it has, then the Malformed mark.
        packet.protocolColumn = "ARP"
        packet.info.set("")
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        let hrd = try data.u16(0)
        packet.add(hf.hwType, data, 0, 2, .uint(UInt64(hrd)), parent: top)
        let pro = try data.u16(2)
        packet.add(hf.protoType, data, 2, 2, .uint(UInt64(pro)), parent: top)
        let hln = Int(try data.u8(4))
        packet.add(hf.hwSize, data, 4, 1, .uint(UInt64(hln)), parent: top)
        let pln = Int(try data.u8(5))
        packet.add(hf.protoSize, data, 5, 1, .uint(UInt64(pln)), parent: top)
        let op = try data.u16(6)
        packet.add(hf.opcode, data, 6, 2, .uint(UInt64(op)), parent: top)
        let totalLength = 8 + 2 * hln + 2 * pln
        let sha = 8, spa = sha + hln, tha = spa + pln, tpa = tha + hln

        // tshark's ARP_HW_IS_ETHER / ARP_PRO_IS_IPv4: only these get MAC / IP fields.
        let hwIsEther = (hrd == 1 || hrd == 6) && hln == 6
        let proIsIPv4 = (pro == 0x0800 || pro == 0x00cc) && pln == 4

        // tshark shrinks its buffer's reported length to the ARP datagram before naming the
        // RARP/Inverse ARP column: a datagram longer than the packet's real (not snapped) end
        // stops it there, so the column stays "ARP".
        let snapped = max(0, packet.frame.originalLength - packet.frame.capturedLength)
        if totalLength > data.count + snapped { throw Malformed() }

        switch op {
        case Op.reverseRequest, Op.reverseReply: packet.protocolColumn = "RARP"
        case Op.drarpRequest, Op.drarpReply, Op.drarpError: packet.protocolColumn = "DRARP"
        case Op.inverseRequest, Op.inverseReply: packet.protocolColumn = "Inverse ARP"
        default: break
        }

        // Gratuitous ARP: the sender announces its own address (sender IP == target IP).
        var gratuitous = false, probe = false, announcement = false
        if proIsIPv4, data.has(spa, 4), data.has(tpa, 4) {
            let s = try data.u32(spa), t = try data.u32(tpa)
            let thaValue: UInt64 = hwIsEther && data.has(tha, 6) ? try data.u48(tha) : 1
            let targetHwZero = thaValue == 0
            gratuitous = (op == Op.request || op == Op.reply) && s == t
            if op == Op.request {
                probe = s == 0 && targetHwZero
                announcement = gratuitous && targetHwZero
            }
        }

        let info = packet.info
        func addHw(_ offset: Int) throws(Malformed) {
            if hln == 0 { info.append("<No address>"); return }
            if hwIsEther { ARPDissector.appendMAC(info, try data.u48(offset)) } else {
                try ARPDissector.appendHexBytes(info, data.slice(offset, hln))
            }
        }
        func addPro(_ offset: Int) throws(Malformed) {
            if pln == 0 { info.append("<No address>"); return }
            if proIsIPv4 { ARPDissector.appendIPv4(info, try data.u32(offset)) } else {
                try ARPDissector.appendHexBytes(info, data.slice(offset, pln))
            }
        }
        // Columns first: tshark fills them before the tree, so a short packet still shows them
        // as far as the addresses exist.
        try data.check(0, totalLength)
        switch op {
        case Op.request:
            if gratuitous {
                if announcement {
                    info.set("ARP Announcement for "); try addPro(tpa)
                } else {
                    info.set("Gratuitous ARP for "); try addPro(tpa); info.append(" (Request)")
                }
            } else if probe {
                info.set("Who has "); try addPro(tpa); info.append("? (ARP Probe)")
            } else {
                info.set("Who has "); try addPro(tpa); info.append("? Tell "); try addPro(spa)
            }
        case Op.reply:
            if gratuitous {
                info.set("Gratuitous ARP for "); try addPro(spa); info.append(" (Reply)")
            } else {
                info.set(""); try addPro(spa); info.append(" is at "); try addHw(sha)
            }
        case Op.reverseRequest, Op.drarpRequest, Op.inverseRequest:
            info.set("Who is "); try addHw(tha); info.append("? Tell "); try addHw(sha)
        case Op.reverseReply, Op.drarpReply:
            info.set(""); try addHw(tha); info.append(" is at "); try addPro(tpa)
        case Op.drarpError:
            info.set("DRARP Error")
        case Op.inverseReply:
            info.set(""); try addHw(sha); info.append(" is at "); try addPro(spa)
        default:
            info.set("Unknown ARP opcode 0x"); info.appendHex(UInt64(op), width: 4)
        }

        if packet.buildsFullTree {
            var name: String
            if let n = ARPNames.opcodes[UInt64(op)] {
                name = n
                if gratuitous && !announcement { name += "/gratuitous ARP" }
                if probe { name = "ARP Probe" }
                if announcement { name = "ARP Announcement" }
            } else {
                let h = String(op, radix: 16)
                name = "opcode 0x" + String(repeating: "0", count: max(0, 4 - h.count)) + h
            }
            packet.setLabel(top, "Address Resolution Protocol (\(name))")
        }
        if gratuitous { packet.addGenerated(hf.isGratuitous, .bool(true), parent: top) }
        if probe { packet.addGenerated(hf.isProbe, .bool(true), parent: top) }
        if announcement { packet.addGenerated(hf.isAnnouncement, .bool(true), parent: top) }
        if hln > 0 { try addHwField(&packet, data, sha, hln, ether: hwIsEther, source: true, parent: top) }
        if pln > 0 { try addProField(&packet, data, spa, pln, ipv4: proIsIPv4, source: true, parent: top) }
        if hln > 0 { try addHwField(&packet, data, tha, hln, ether: hwIsEther, source: false, parent: top) }
        if pln > 0 { try addProField(&packet, data, tpa, pln, ipv4: proIsIPv4, source: false, parent: top) }
        if hwIsEther && proIsIPv4 && (op == Op.request || op == Op.reply) && prefDetectDuplicates.boolValue {
            let duplicate = try checkDuplicates(&packet, data, sha: sha, spa: spa, tha: tha, tpa: tpa,
                                                reply: op == Op.reply, parent: parent)
            // tshark flags the duplicate in Info for requests only.
            if let ip = duplicate, op == Op.request {
                info.append(" (duplicate use of ")
                ARPDissector.appendIPv4(info, ip)
                info.append(" detected!)")
            }
        }
        return .consumed(totalLength)
    }

    private func addHwField(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ len: Int, ether: Bool,
                            source: Bool, parent: TreeNode) throws(Malformed) {
        if ether {
            packet.add(source ? hf.srcHwMac : hf.dstHwMac, data, offset, 6, .ether(try data.u48(offset)), parent: parent)
        } else {
            packet.add(source ? hf.srcHw : hf.dstHw, data, offset, len, .bytes, parent: parent)
        }
    }

    private func addProField(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ len: Int, ipv4: Bool,
                             source: Bool, parent: TreeNode) throws(Malformed) {
        if ipv4 {
            packet.add(source ? hf.srcProtoIPv4 : hf.dstProtoIPv4, data, offset, 4, .ipv4(try data.u32(offset)),
                       parent: parent)
        } else {
            packet.add(source ? hf.srcProto : hf.dstProto, data, offset, len, .bytes, parent: parent)
        }
    }

    // MARK: column text without String allocation

    static func appendIPv4(_ c: ColumnText, _ a: UInt32) {
        c.append(UInt64(a >> 24)); c.append(".")
        c.append(UInt64((a >> 16) & 0xff)); c.append(".")
        c.append(UInt64((a >> 8) & 0xff)); c.append(".")
        c.append(UInt64(a & 0xff))
    }

    static func appendMAC(_ c: ColumnText, _ m: UInt64) {
        var shift: UInt64 = 40
        while true {
            c.appendHex((m >> shift) & 0xff, width: 2)
            if shift == 0 { break }
            c.append(":")
            shift -= 8
        }
    }

    static func appendHexBytes(_ c: ColumnText, _ v: ByteView) {
        for i in 0..<v.count { c.appendHex(UInt64(v[unchecked: i]), width: 2) }
    }
}
