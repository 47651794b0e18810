import DissectKit

/// TCP options (RFC 9293 §3.2 and the option RFCs), as tshark's `tcp_dissect_options` walks
/// them: EOL and NOP are one byte, every other kind has a length byte; a broken length ends the
/// walk with an "Invalid length for option" expert. Each option is an item of its own
/// pseudo-protocol ("TCP Option - Maximum segment size") and appends its name to "Options:".
extension TCPDissector {
    /// tshark's `qs_rate_vals` (RFC 4782 rate request codes).
    static let quickStartRates: [UInt64: String] = [
        0: "0 bit/s", 1: "80 Kbit/s", 2: "160 Kbit/s", 3: "320 Kbit/s", 4: "640 Kbit/s", 5: "1.28 Mbit/s",
        6: "2.56 Mbit/s", 7: "5.12 Mbit/s", 8: "10.24 Mbit/s", 9: "20.48 Mbit/s", 10: "40.96 Mbit/s",
        11: "81.92 Mbit/s", 12: "163.84 Mbit/s", 13: "327.68 Mbit/s", 14: "655.36 Mbit/s", 15: "1.31072 Gbit/s",
    ]

    /// The name an option contributes to the "Options:" line (its protocol's short name).
    func optionName(_ kind: UInt8) -> String? {
        switch kind {
        case 2: return "Maximum segment size"
        case 3: return "Window scale"
        case 4: return "SACK permitted"
        case 5: return "SACK"
        case 6: return "Echo"
        case 7: return "Echo reply"
        case 8: return "Timestamps"
        case 11: return "CC"
        case 12: return "CC.NEW"
        case 13: return "CC.ECHO"
        case 19: return "TCP MD5 signature"
        case 20: return "SCPS capabilities"
        case 21: return "Selective Negative Acknowledgment"
        case 22: return "SCPS record boundary"
        case 23: return "SCPS corruption experienced"
        case 27: return "Quick-Start"
        case 28: return "User Timeout"
        case 29: return "TCP AO"
        case 30: return "MPTCP"
        case 34: return "TCP Fast Open"
        case 76: return "Riverbed Probe"
        case 78: return "Riverbed Transparency"
        case 0xac, 0xae: return "Accurate ECN"
        case 0xfd, 0xfe: return "Experimental"
        default: return nil
        }
    }

    func dissectOptions(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ total: Int,
                        _ optionsNode: TreeNode, _ conv: inout TCPConversation, _ side: Int, _ h: inout TCPHeader,
                        _ s: TCPSettings) throws(Malformed)
    {
        var offset = start
        var length = total
        var nopCount = 0
        var mssSeen = false
        var eolSeen = false
        var sack = TCPHeaderSack()
        while length > 0 {
            let kind = try data.u8(offset)
            if eolSeen && kind != 0 {
                try expertLine(&packet, ei.nonZeroAfterEOL, "Non-zero header padding", data, offset, length, optionsNode)
                return
            }
            length -= 1
            if kind == 0 || kind == 1 {
                if kind == 1 {
                    // tshark counts NOPs within one 32-bit word: four in a row suggest a router
                    // blanked an option.
                    if nopCount == 0 || offset % 4 != 0 {
                        nopCount += 1
                        if nopCount == 4 { packet.addExpert(ei.nop, parent: optionsNode) }
                    } else {
                        nopCount = 0
                    }
                }
                let item = packet.add(kind == 0 ? hf.optEOL : hf.optNOP, data, offset, 1, .bytes, parent: optionsNode)
                packet.add(hf.optionKind, data, offset, 1, .uint(UInt64(kind)), parent: item)
                packet.appendLabel(optionsNode, kind == 0 ? ", End of Option List (EOL)" : ", No-Operation (NOP)")
                offset += 1
            } else {
                let name = optionName(kind)
                func nameText() -> String { name ?? "Unknown (0x" + TCPInfo.hex2(kind) + ")" }
                if length == 0 {
                    try expertLine(&packet, ei.optLenInvalid, nameText() + " (length byte past end of options)", data, offset,
                               1, optionsNode)
                    return
                }
                let optlen = Int(try data.u8(offset + 1))
                length -= 1
                if optlen < 2 {
                    try expertLine(&packet, ei.optLenInvalid,
                               nameText() + " (with too-short option length = \(optlen) byte\(optlen == 1 ? "" : "s"))",
                               data, offset, 2, optionsNode)
                    return
                }
                if optlen - 2 > length {
                    try expertLine(&packet, ei.optLenInvalid,
                               nameText() + " (option length = \(optlen) byte\(optlen == 1 ? "" : "s") says option goes past end of options)",
                               data, offset, length, optionsNode)
                    return
                }
                if kind == 2 { mssSeen = true }
                // The option's bytes as far as captured; readers past them throw (truncated frame).
                let opt = data.suffix(from: offset).prefix(optlen)
                try dissectOption(&packet, kind, opt, optlen, optionsNode, &conv, side, &h, &sack, s)
                packet.appendLabel(optionsNode, ", " + nameText())
                offset += optlen
                length -= optlen - 2
            }
            if kind == 0 { eolSeen = true }
        }
        if h.flags & TCPFlag.syn != 0 && !mssSeen { packet.addExpert(ei.mssAbsent, parent: optionsNode) }
        // A Riverbed probe query marks the packet "S+" ("S#" traced, "S+*" not from a CFE).
        if sack.probeQuery {
            if sack.probeType == 3 {
                packet.info.prepend("S#, ")
            } else if sack.probeFlags & 0x04 != 0 {
                packet.info.prepend("S+*, ")
            } else {
                packet.info.prepend("S+, ")
            }
        }
    }

    /// A text line carrying an expert info of the same words (tshark's `proto_tree_add_expert_format`).
    /// Like any tshark item, its byte range must exist: one running past the captured bytes
    /// throws (a broken option length in a cut or short header ends the dissection there).
    func expertLine(_ packet: inout PacketContext, _ expert: FieldID, _ text: @autoclosure () -> String, _ data: ByteView,
                    _ offset: Int, _ length: Int, _ parent: TreeNode) throws(Malformed)
    {
        try data.check(offset, length)
        let line = packet.addText(text(), data, offset, length, parent: parent)
        packet.addExpert(expert, parent: line.isNone ? parent : line, data, offset, length, message: text())
    }

    /// Kind and length items; the length item carries the "option length should be N" expert.
    @discardableResult
    private func kindAndLength(_ packet: inout PacketContext, _ opt: ByteView, _ item: TreeNode, expect: Int?) throws(Malformed)
        -> (ok: Bool, length: TreeNode)
    {
        packet.add(hf.optionKind, opt, 0, 1, .uint(UInt64(try opt.u8(0))), parent: item)
        let lenNode = packet.add(hf.optionLen, opt, 1, 1, .uint(UInt64(try opt.u8(1))), parent: item)
        if let e = expect, Int(try opt.u8(1)) != e {
            packet.addExpert(ei.optLenInvalid, parent: lenNode, message: "option length should be \(e)")
            return (false, lenNode)
        }
        return (true, lenNode)
    }

    private func dissectOption(_ packet: inout PacketContext, _ kind: UInt8, _ opt: ByteView, _ optlen: Int,
                               _ parent: TreeNode, _ conv: inout TCPConversation, _ side: Int, _ h: inout TCPHeader,
                               _ sack: inout TCPHeaderSack, _ s: TCPSettings) throws(Malformed)
    {
        let info = packet.info
        switch kind {
        case 2: // Maximum segment size (RFC 9293 §3.7.1)
            let item = packet.add(hf.optMSS, opt, 0, optlen, .bytes, parent: parent)
            if h.flags & TCPFlag.syn == 0 { packet.addExpert(ei.mssPresent, parent: item) }
            guard try kindAndLength(&packet, opt, item, expect: 4).ok else { return }
            let mss = try opt.u16(2)
            packet.add(hf.mssVal, opt, 2, 2, .uint(UInt64(mss)), parent: item)
            packet.appendLabel(item, ": \(mss) bytes")
            info.append(" MSS=")
            info.append(UInt64(mss))

        case 3: // Window scale (RFC 7323 §2)
            let item = packet.add(hf.optWScale, opt, 0, optlen, .bytes, parent: parent)
            guard try kindAndLength(&packet, opt, item, expect: 3).ok else { return }
            let raw = try opt.u8(2)
            let shiftNode = packet.add(hf.wscaleShift, opt, 2, 1, .uint(UInt64(raw)), parent: item)
            var shift = raw
            if shift > 14 {
                // RFC 7323 §2.3: log the error and use 14.
                shift = 14
                packet.addExpert(ei.wscaleShiftInvalid, parent: shiftNode)
            }
            let multiplier = UInt64(1) << UInt64(shift)
            packet.addGenerated(hf.wscaleMultiplier, .uint(multiplier), parent: item, at: opt, 2, 1)
            packet.appendLabel(item, ": \(raw) (multiply by \(multiplier))")
            info.append(" WS=")
            info.append(multiplier)
            conv.withFlows(side: side) { fwd, _ in fwd.winScale = Int16(shift) }

        case 4: // SACK permitted (RFC 2018)
            let item = packet.add(hf.optSackPerm, opt, 0, optlen, .bytes, parent: parent)
            info.append(" SACK_PERM")
            try kindAndLength(&packet, opt, item, expect: 2)

        case 5:
            try dissectSack(&packet, opt, optlen, parent, &conv, side, &h, &sack, s)

        case 6, 7: // Echo, Echo reply (RFC 1072)
            let item = packet.add(kind == 6 ? hf.optEcho : hf.optEchoReply, opt, 0, optlen, .bytes, parent: parent)
            guard try kindAndLength(&packet, opt, item, expect: 6).ok else { return }
            let v = try opt.u32(2)
            packet.add(hf.echo, opt, 2, 4, .uint(UInt64(v)), parent: item)
            packet.appendLabel(item, ": \(v)")
            info.append(" ECHO=")
            info.append(UInt64(v))

        case 8: // Timestamps (RFC 7323 §3)
            let item = packet.add(hf.optTimestamp, opt, 0, optlen, .bytes, parent: parent)
            guard try kindAndLength(&packet, opt, item, expect: 10).ok else { return }
            let tsval = try opt.u32(2)
            let tsecr = try opt.u32(6)
            packet.add(hf.tsval, opt, 2, 4, .uint(UInt64(tsval)), parent: item)
            packet.add(hf.tsecr, opt, 6, 4, .uint(UInt64(tsecr)), parent: item)
            packet.appendLabel(item, ": TSval \(tsval), TSecr \(tsecr)")
            if !s.ignoreTimestamps {
                info.append(" TSval=")
                info.append(UInt64(tsval))
                info.append(" TSecr=")
                info.append(UInt64(tsecr))
            }

        case 11, 12, 13: // CC, CC.NEW, CC.ECHO (RFC 1644): tshark names all three items "CC"
            let item = packet.add(hf.optCC, opt, 0, optlen, .bytes, parent: parent)
            guard try kindAndLength(&packet, opt, item, expect: 6).ok else { return }
            let v = try opt.u32(2)
            packet.add(hf.cc, opt, 2, 4, .uint(UInt64(v)), parent: item)
            info.append(" CC=")
            info.append(UInt64(v))

        case 19: // MD5 signature (RFC 2385)
            let item = packet.add(hf.optMD5, opt, 0, optlen, .bytes, parent: parent)
            info.append(" MD5")
            guard try kindAndLength(&packet, opt, item, expect: 18).ok else { return }
            try opt.check(2, 16)
            packet.add(hf.md5Digest, opt, 2, 16, .bytes, parent: item)

        case 29: // TCP-AO (RFC 5925)
            let item = packet.add(hf.optAO, opt, 0, optlen, .bytes, parent: parent)
            info.append("TCP AO") // tshark appends it without a separator
            try kindAndLength(&packet, opt, item, expect: nil)
            if optlen >= 4 {
                packet.add(hf.aoKeyID, opt, 2, 1, .uint(UInt64(try opt.u8(2))), parent: item)
                packet.add(hf.aoRNextKeyID, opt, 3, 1, .uint(UInt64(try opt.u8(3))), parent: item)
                if optlen > 4 {
                    try opt.check(4, optlen - 4)
                    packet.add(hf.aoMAC, opt, 4, optlen - 4, .bytes, parent: item)
                }
            }

        case 27: // Quick-Start response (RFC 4782)
            let item = packet.add(hf.optQS, opt, 0, optlen, .bytes, parent: parent)
            guard try kindAndLength(&packet, opt, item, expect: 8).ok else { return }
            let rate = try opt.u8(2) & 0x0f
            let n = packet.add(hf.qsRate, opt, 2, 1, .uint(UInt64(rate)), parent: item)
            let rateText = Self.quickStartRates[UInt64(rate)] ?? "Unknown"
            if packet.buildsFullTree {
                packet.setLabel(n, ".... " + TCPInfo.bits4(rate) + " = QS Rate: \(rateText) (\(rate))")
            }
            packet.add(hf.qsTTLDiff, opt, 3, 1, .uint(UInt64(try opt.u8(3))), parent: item)
            info.append(" QSresp=")
            info.append(rateText)

        case 28: // User Timeout (RFC 5482)
            let item = packet.add(hf.optUserTO, opt, 0, optlen, .bytes, parent: parent)
            guard try kindAndLength(&packet, opt, item, expect: 4).ok else { return }
            let v = try opt.u16(2)
            packet.add(hf.userTOGranularity, opt, 2, 2, .uint(UInt64(v >> 15)), parent: item)
            packet.add(hf.userTOValue, opt, 2, 2, .uint(UInt64(v & 0x7fff)), parent: item)
            info.append(" USER_TO=")
            info.append(UInt64(v & 0x7fff))

        case 30: // Multipath TCP (RFC 8684): the option is shown as its own protocol
            packet.protocolColumn = "MPTCP"
            let item = packet.add(hf.mptcp, opt, 0, optlen, .bytes, parent: parent)
            try kindAndLength(&packet, opt, item, expect: nil)
            let sub = try opt.u8(2) >> 4
            packet.add(hf.mptcpSubtype, opt, 2, 1, .uint(UInt64(sub)), parent: item)
            packet.appendLabel(item, ": " + (Self.mptcpSubtypeNames[UInt64(sub)] ?? "Unknown (\(sub))"))

        case 34: // TCP Fast Open (RFC 7413)
            let item = packet.add(hf.optTFO, opt, 0, optlen, .bytes, parent: parent)
            try kindAndLength(&packet, opt, item, expect: nil)
            try fastOpenPayload(&packet, opt, 0, optlen, item, &conv, h)

        case 0xac, 0xae: // Accurate ECN (draft-ietf-tcpm-accurate-ecn)
            let item = packet.add(hf.optAccECN, opt, 0, optlen, .bytes, parent: parent)
            packet.add(hf.optionKind, opt, 0, 1, .uint(UInt64(kind)), parent: item)
            let lenNode = packet.add(hf.optionLen, opt, 1, 1, .uint(UInt64(optlen)), parent: item)
            if optlen != 2 && optlen != 5 && optlen != 8 && optlen != 11 {
                packet.addExpert(ei.optLenInvalid, parent: lenNode,
                                 message: "option length should be 2, 5, 8, or 11 instead of \(optlen)")
            } else {
                try accurateECN(&packet, opt, 2, optlen - 2, orderZero: kind == 0xac, item, &conv)
            }

        case 0xfd, 0xfe: // RFC 6994 experimental options
            let item = packet.add(hf.optExp, opt, 0, optlen, .bytes, parent: parent)
            let lenNode = try kindAndLength(&packet, opt, item, expect: nil).length
            guard s.expOptionsRFC6994 else {
                try opt.check(2, optlen - 2)
                packet.add(hf.expData, opt, 2, optlen - 2, .bytes, parent: item)
                info.append(" Exp=")
                info.append(UInt64(kind == 0xfd ? 1 : 2))
                return
            }
            guard optlen >= 4 else {
                packet.addExpert(ei.optLenInvalid, parent: lenNode, message: "option length \(optlen) smaller than 4")
                return
            }
            let exid = try opt.u16(2)
            packet.add(hf.expExID, opt, 2, 2, .uint(UInt64(exid)), parent: item)
            packet.appendLabel(item, ": " + (Self.exidNames[UInt64(exid)] ?? "Unknown"))
            switch exid {
            case 0x00ac: // TCP ACK Rate Request (draft-gomez-tcpm-ack-rate-request)
                guard optlen == 4 || optlen == 5 else {
                    packet.addExpert(ei.optLenInvalid, parent: lenNode,
                                     message: "option length should be 4 or 5 instead of \(optlen)")
                    return
                }
                if optlen == 4 {
                    info.append(" TARR")
                } else {
                    let rate = (try opt.u8(4) & 0xfe) >> 1
                    packet.add(hf.tarrRate, opt, 4, 1, .uint(UInt64(rate)), parent: item)
                    packet.add(hf.tarrReserved, opt, 4, 1, .uint(UInt64(try opt.u8(4) & 1)), parent: item)
                    info.append(" TARR=")
                    info.append(UInt64(rate))
                    packet.appendLabel(item, " \(rate)")
                }
            case 0xacc0, 0xacc1: // AccECN carried as an experiment
                guard optlen == 4 || optlen == 7 || optlen == 10 || optlen == 13 else {
                    packet.addExpert(ei.optLenInvalid, parent: lenNode,
                                     message: "option length should be 4, 7, 10, or 13 instead of \(optlen)")
                    return
                }
                packet.appendLabel(item, ": Accurate ECN")
                try accurateECN(&packet, opt, 4, optlen - 4, orderZero: exid == 0xacc0, item, &conv)
            case 0xf989:
                try fastOpenPayload(&packet, opt, 2, optlen - 2, item, &conv, h)
            default:
                if optlen > 4 {
                    try opt.check(4, optlen - 4)
                    packet.add(hf.expData, opt, 4, optlen - 4, .bytes, parent: item)
                }
                info.append(" ExID=")
                info.append(TCPInfo.hexUpper(exid))
            }

        case 20: // SCPS capabilities
            let item = packet.add(hf.optSCPS, opt, 0, optlen, .bytes, parent: parent)
            try kindAndLength(&packet, opt, item, expect: nil)
        case 21: // SCPS SNACK
            let item = packet.add(hf.optSNACK, opt, 0, optlen, .bytes, parent: parent)
            try kindAndLength(&packet, opt, item, expect: 6)
        case 22, 23: // SCPS record boundary, corruption experienced
            let item = packet.add(kind == 22 ? hf.optSCPSRec : hf.optSCPSCor, opt, 0, optlen, .bytes, parent: parent)
            try kindAndLength(&packet, opt, item, expect: 2)
        case 76:
            try riverbedProbe(&packet, opt, optlen, parent, h, &sack)
        case 78: // Riverbed transparency: marks the Info column first, whatever follows
            packet.info.prepend("TRPY, ")
            let item = packet.add(hf.optRvbdTrpy, opt, 0, optlen, .bytes, parent: parent)
            guard try kindAndLength(&packet, opt, item, expect: 16).ok else { return }
            let flags = try opt.u16(2)
            let fn = packet.add(hf.trpyFlags, opt, 2, 2, .uint(UInt64(flags)), parent: item)
            flagBits(&packet, opt, 2, 2, UInt64(flags), fn, ["tcp.options.rvbd.trpy.flags.fw_rst_probe",
                "tcp.options.rvbd.trpy.flags.fw_rst_inner", "tcp.options.rvbd.trpy.flags.fw_rst",
                "tcp.options.rvbd.trpy.flags.chksum", "tcp.options.rvbd.trpy.flags.oob",
                "tcp.options.rvbd.trpy.flags.mode"])
            let src = try opt.u32(4), dst = try opt.u32(8), sp = try opt.u16(12), dp = try opt.u16(14)
            packet.add(hf.trpySrcIP, opt, 4, 4, .ipv4(src), parent: item)
            packet.add(hf.trpyDstIP, opt, 8, 4, .ipv4(dst), parent: item)
            packet.add(hf.trpySrcPort, opt, 12, 2, .uint(UInt64(sp)), parent: item)
            packet.add(hf.trpyDstPort, opt, 14, 2, .uint(UInt64(dp)), parent: item)
            packet.appendLabel(item, " " + FieldFormatter.ipv4String(src) + ":\(sp) -> "
                + FieldFormatter.ipv4String(dst) + ":\(dp)")

        default: // unknown kinds: kind, length and the raw payload
            let item = packet.add(hf.optUnknown, opt, 0, optlen, .bytes, parent: parent)
            try kindAndLength(&packet, opt, item, expect: nil)
            if optlen > 2 {
                try opt.check(2, optlen - 2)
                packet.add(hf.unknownPayload, opt, 2, optlen - 2, .bytes, parent: item)
            }
        }
    }

    static let riverbedProbeTypes: [UInt8: String] = [
        0: "Probe Query", 1: "Probe Response", 2: "Probe Internal", 3: "Probe Trace", 4: "Probe Query SH",
        5: "Probe Response SH", 6: "Probe Query Info", 7: "Probe Response Info", 8: "Probe Query Info SH",
        9: "Probe Query Info Store ID", 10: "Probe Reset",
    ]

    /// Riverbed's auto-discovery probe (option 76, not IANA-registered), read in tshark's order so
    /// a short option fails where tshark's does.
    private func riverbedProbe(_ packet: inout PacketContext, _ opt: ByteView, _ optlen: Int, _ parent: TreeNode,
                               _ h: TCPHeader, _ state: inout TCPHeaderSack) throws(Malformed)
    {
        let item = packet.add(hf.optRvbdProbe, opt, 0, optlen, .bytes, parent: parent)
        let lenNode = try kindAndLength(&packet, opt, item, expect: nil).length
        guard optlen >= 3 else {
            packet.addExpert(ei.optLenInvalid, parent: lenNode, message: "option length should be >= 3)")
            return
        }
        let vt = try opt.u8(2)
        let v1 = vt & 0x01 != 0
        let type = v1 ? vt >> 4 : vt >> 1
        packet.appendLabel(item, ": " + (Self.riverbedProbeTypes[type] ?? "Probe Unknown"))
        guard type <= 10 else { return }
        func ipv4(_ field: FieldID, _ at: Int) throws(Malformed) -> UInt32 {
            let v = try opt.u32(at)
            packet.add(field, opt, at, 4, .ipv4(v), parent: item)
            return v
        }
        func serverSteelhead(_ ip: UInt32, _ port: UInt16) {
            packet.appendLabel(item, ", Server Steelhead: " + FieldFormatter.ipv4String(ip) + ":\(port)")
            packet.info.prepend("SA+, ")
        }
        if v1 {
            packet.add(hf.rvbdType1, opt, 2, 1, .uint(UInt64(type)), parent: item)
            packet.add(hf.rvbdVersion, opt, 2, 1, .uint(UInt64(vt & 0x0f)), parent: item)
            if type == 2 { return } // internal
            packet.add(hf.rvbdReserved, opt, 3, 1, .uint(UInt64(try opt.u8(3))), parent: item)
            let prober = try ipv4(hf.rvbdProber, 4)
            switch type {
            case 0, 3, 4: // query, trace, query SH
                packet.add(hf.rvbdAppliVer, opt, 8, 2, .uint(UInt64(try opt.u16(8))), parent: item)
                packet.appendLabel(item, ", CSH IP: " + FieldFormatter.ipv4String(prober))
                state.probeQuery = true
                state.probeType = type
            case 1: // response
                let proxy = try ipv4(hf.rvbdProxyIP, 8)
                let port = try opt.u16(12)
                packet.add(hf.rvbdProxyPort, opt, 12, 2, .uint(UInt64(port)), parent: item)
                serverSteelhead(proxy, port)
            case 5: // response SH
                _ = try ipv4(hf.rvbdClientIP, 8)
                let proxy = try ipv4(hf.rvbdProxyIP, 12)
                let port = try opt.u16(16)
                packet.add(hf.rvbdProxyPort, opt, 16, 2, .uint(UInt64(port)), parent: item)
                serverSteelhead(proxy, port)
            default:
                break
            }
        } else {
            packet.add(hf.rvbdType2, opt, 2, 1, .uint(UInt64(type)), parent: item)
            let vn = packet.add(hf.rvbdVersionRaw, opt, 2, 1, .uint(2), parent: item)
            if packet.buildsFullTree { packet.setLabel(vn, ".... ...0 = Version: 2") }
            packet.add(hf.rvbdVersion, opt, 2, 1, .uint(2), parent: item, flags: .hidden)
            switch type {
            case 6, 8, 9: // query info, query info SH, query info store ID
                let flags = try opt.u8(3)
                let fn = packet.add(hf.rvbdFlags, opt, 3, 1, .uint(UInt64(flags)), parent: item)
                flagBits(&packet, opt, 3, 1, UInt64(flags), fn,
                         ["tcp.options.rvbd.probe.flags.notcfe", "tcp.options.rvbd.probe.flags.last"])
                if type == 6 { state.probeFlags = flags }
                if type == 8 { _ = try ipv4(hf.rvbdClientIP, 4) }
                if type == 9 { packet.add(hf.rvbdStoreID, opt, 4, 4, .uint(UInt64(try opt.u32(4))), parent: item) }
                if type != 9 && h.flags & (TCPFlag.syn | TCPFlag.ack) == (TCPFlag.syn | TCPFlag.ack) && flags & 0x01 != 0 {
                    packet.info.prepend("SA++, ")
                }
            case 7: // response info
                let flags = try opt.u8(3)
                let fn = packet.add(hf.rvbdFlags, opt, 3, 1, .uint(UInt64(flags)), parent: item)
                flagBits(&packet, opt, 3, 1, UInt64(flags), fn, ["tcp.options.rvbd.probe.flags.probe",
                    "tcp.options.rvbd.probe.flags.ssl", "tcp.options.rvbd.probe.flags.server"])
            case 10: // reset
                packet.add(hf.rvbdFlags, opt, 3, 1, .uint(UInt64(try opt.u8(3))), parent: item)
            default:
                break
            }
        }
    }

    /// Boolean sub-items of a flags field, by abbreviation (rare options: looked up when shown).
    private func flagBits(_ packet: inout PacketContext, _ opt: ByteView, _ offset: Int, _ length: Int, _ value: UInt64,
                          _ parent: TreeNode, _ abbrevs: [StaticString])
    {
        guard !parent.isNone else { return }
        for a in abbrevs {
            guard let id = packet.registry.lookup(a.description) else { continue }
            let mask = packet.registry[id].bitmask
            packet.add(id, opt, offset, length, .uint((value & mask) >> UInt64(mask.trailingZeroBitCount)), parent: parent)
        }
    }

    /// SACK blocks (RFC 2018) relative to the peer's ISN, D-SACK detection (RFC 2883 §4), and
    /// the blocks kept for bytes-in-flight.
    private func dissectSack(_ packet: inout PacketContext, _ opt: ByteView, _ optlen: Int, _ parent: TreeNode,
                             _ conv: inout TCPConversation, _ side: Int, _ h: inout TCPHeader,
                             _ sack: inout TCPHeaderSack, _ s: TCPSettings) throws(Malformed)
    {
        let relative = s.analyzeSeq && s.relativeSeq
        var baseAck: UInt32 = 0
        if s.analyzeSeq {
            if relative { baseAck = side == 0 ? conv.flow2.baseSeq : conv.flow1.baseSeq }
            if s.trackBytesInFlight { conv.withFlows(side: side) { fwd, _ in fwd.sack.count = 0 } }
        }
        let suffix = relative ? " (relative)" : ""
        let item = packet.add(hf.optSack, opt, 0, optlen, .bytes, parent: parent)
        packet.add(hf.optionKind, opt, 0, 1, .uint(UInt64(try opt.u8(0))), parent: item)
        packet.add(hf.optionLen, opt, 1, 1, .uint(UInt64(try opt.u8(1))), parent: item)
        var offset = 2
        var remaining = optlen - 2
        var ranges = 0
        let info = packet.info
        while remaining > 0 {
            if remaining < 4 {
                try expertLine(&packet, ei.suboptionMalformed, "suboption would go past end of option", opt, offset, remaining, item)
                break
            }
            let left = try opt.u32(offset) &- baseAck
            let ln = packet.add(hf.sackLE, opt, offset, 4, .uint(UInt64(left)), parent: item)
            if packet.buildsFullTree { packet.setLabel(ln, "left edge = \(left)\(suffix)") }
            remaining -= 4
            if remaining < 4 {
                try expertLine(&packet, ei.suboptionMalformed, "suboption would go past end of option", opt, offset, remaining, item)
                break
            }
            let right = try opt.u32(offset + 4) &- baseAck
            remaining -= 4
            let rn = packet.add(hf.sackRE, opt, offset + 4, 4, .uint(UInt64(right)), parent: item)
            if packet.buildsFullTree { packet.setLabel(rn, "right edge = \(right)\(suffix)") }
            info.append(" SLE=")
            info.append(UInt64(left))
            info.append(" SRE=")
            info.append(UInt64(right))
            ranges += 1
            // Blocks 1…3 are kept for bytes in flight (tshark's MAX_TCP_SACK_RANGES = 4 with slot 0 unused).
            if s.analyzeSeq && s.trackBytesInFlight && ranges < 4 {
                conv.withFlows(side: side) { fwd, _ in
                    fwd.sack.count = ranges
                    fwd.sack.set(ranges - 1, left, right)
                }
            }
            sack.add(left, right)
            packet.appendLabel(item, " \(left)-\(right)")
            offset += 8
        }
        packet.addGenerated(hf.sackCount, .uint(UInt64(ranges)), parent: item, at: opt, 0, 0)

        // D-SACK: the first block lies below the cumulative ACK, or inside the second block.
        if seqLE(sack.right0, h.ack) || (sack.count > 1 && seqLT(sack.left1, sack.right0) && seqGE(sack.right1, sack.right0)) {
            let l = try opt.u32(2) &- baseAck
            let ln = packet.addGenerated(hf.dsackLE, .uint(UInt64(l)), parent: item, at: opt, 2, 4)
            if packet.buildsFullTree { packet.setLabel(ln, "D-SACK Left Edge = \(l)\(suffix)") }
            let r = try opt.u32(6) &- baseAck
            let rn = packet.addGenerated(hf.dsackRE, .uint(UInt64(r)), parent: item, at: opt, 6, 4)
            if packet.buildsFullTree { packet.setLabel(rn, "D-SACK Right Edge = \(r)\(suffix)") }
            try expertLine(&packet, ei.dsack, "D-SACK Sequence", opt, 2, 8, item)
        }
    }

    /// TFO cookie request or cookie (RFC 7413 §4.1.1), in option 34 or experiment 0xF989.
    private func fastOpenPayload(_ packet: inout PacketContext, _ opt: ByteView, _ offset: Int, _ length: Int,
                                 _ item: TreeNode, _ conv: inout TCPConversation, _ h: TCPHeader) throws(Malformed)
    {
        if length == 2 {
            let n = packet.add(hf.tfoRequest, opt, offset, 2, .none, parent: item)
            _ = n
            packet.info.append(" TFO=R")
        } else if length > 2 {
            try opt.check(offset + 2, length - 2)
            let n = packet.add(hf.tfoCookie, opt, offset + 2, length - 2, .bytes, parent: item)
            packet.info.append(" TFO=C")
            if h.flags & (TCPFlag.syn | TCPFlag.ack) == TCPFlag.syn {
                packet.addExpert(ei.tfoSyn, parent: n)
                if h.haveSeglen && h.seglen > 0 { conv.tfoSynData = true }
            }
        }
    }

    /// AccECN byte counters; seeing one switches the ECN flags to the ACE reading.
    private func accurateECN(_ packet: inout PacketContext, _ opt: ByteView, _ offset: Int, _ length: Int,
                             orderZero: Bool, _ item: TreeNode, _ conv: inout TCPConversation) throws(Malformed)
    {
        let info = packet.info
        let fields = orderZero ? [hf.accEcnEE0B, hf.accEcnECEB, hf.accEcnEE1B] : [hf.accEcnEE1B, hf.accEcnECEB, hf.accEcnEE0B]
        let names = orderZero ? ["EE0B", "ECEB", "EE1B"] : ["EE1B", "ECEB", "EE0B"]
        if length == 0 {
            info.append(" AccECN")
        } else {
            var parts: [String] = []
            for i in 0..<(length / 3) {
                let v = try opt.u24(offset + 3 * i)
                packet.add(fields[i], opt, offset + 3 * i, 3, .uint(UInt64(v)), parent: item)
                info.append(" " + names[i] + "=")
                info.append(UInt64(v))
                if packet.buildsFullTree { parts.append("\(names[i]) \(v)") }
            }
            packet.appendLabel(item, (orderZero ? " (Order 0): " : " (Order 1): ") + parts.joined(separator: ", "))
        }
        conv.accEcnOption = true
    }
}

/// What the options of one segment leave for later in the same segment: the first two SACK
/// blocks for D-SACK detection (tshark's `tcph->sack_*`), and a Riverbed probe query's marks.
struct TCPHeaderSack {
    var probeQuery = false
    var probeType: UInt8 = 0
    var probeFlags: UInt8 = 0
    var count = 0
    var left0: UInt32 = 0, right0: UInt32 = 0
    var left1: UInt32 = 0, right1: UInt32 = 0

    mutating func add(_ l: UInt32, _ r: UInt32) {
        if count == 0 { left0 = l; right0 = r } else if count == 1 { left1 = l; right1 = r }
        if count < 4 { count += 1 }
    }
}
