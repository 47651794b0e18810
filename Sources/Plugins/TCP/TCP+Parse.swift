import DissectKit

/// The TCP dissector: header, options, conversation state and sequence analysis, then the
/// payload hand-off. Session state lives in `flows`, keyed by the compact 4-tuple.
final class TCPDissector: Dissector {
    var hf = TCPFields()
    var ei = TCPExperts()
    let prefs: TCPPreferences
    /// Preference values, read on the first packet (after `-o` was applied).
    var settings: TCPSettings?
    var portTable: DissectorTable!
    var heuristicTable: DissectorTable!
    var dataHandle: DissectorHandle!

    /// Conversations (tshark's `tcp_analysis` per conversation).
    let flows = ConversationTable<TCPConversation>()
    /// Next `tcp.stream` index: conversations are numbered in order of first appearance.
    var streamCount: UInt32 = 0
    /// Bytes held in pending PDUs of all flows (bounded by `tcp.reassembly_max_buffered`).
    let budget = TCPReassemblyBudget()

    init(_ r: Registrar) {
        prefs = TCPPreferences(r)
        registerFields(r)
    }

    func reset() {
        flows.removeAll()
        streamCount = 0
        settings = nil
    }

    /// TCP's minimum header length (RFC 9293 §3.1: data offset ≥ 5 words).
    static let minHeaderLength = 20

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        if settings == nil { settings = TCPSettings(prefs) }
        let s = settings!
        let sport = try data.u16(0)
        let dport = try data.u16(2)

        packet.protocolColumn = "TCP"
        packet.info.clear()
        packet.info.append(UInt64(sport))
        packet.info.append(" → ")
        packet.info.append(UInt64(dport))

        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        if s.summaryInTree && packet.buildsFullTree {
            packet.setLabel(top) { b in
                b.append("Transmission Control Protocol, Src Port: ")
                b.appendDecimal(UInt64(sport))
                b.append(", Dst Port: ")
                b.appendDecimal(UInt64(dport))
            }
        }
        packet.add(hf.srcport, data, 0, 2, .uint(UInt64(sport)), parent: top)
        packet.add(hf.dstport, data, 2, 2, .uint(UInt64(dport)), parent: top)
        packet.add(hf.port, data, 0, 2, .uint(UInt64(sport)), parent: top, flags: .hidden)
        packet.add(hf.port, data, 2, 2, .uint(UInt64(dport)), parent: top, flags: .hidden)

        // Inside an ICMP error only the first 8 bytes are guaranteed: tshark shows the raw
        // sequence number right away (`icmp_ip`), finds the conversation but runs no sequence
        // analysis on the quoted header.
        let inError = packet.inErrorPacket
        if inError {
            let raw = try data.u32(4)
            packet.add(hf.seq, data, 4, 4, .uint(UInt64(raw)), parent: top)
            // A quote shorter than the fixed header shows only ports and sequence number in
            // tshark, without a Malformed mark (typical: the 8 bytes RFC 792 requires).
            if data.count < Self.minHeaderLength {
                packet.srcPort = UInt32(sport)
                packet.dstPort = UInt32(dport)
                return .consumed(data.count)
            }
        }
        packet.srcPort = UInt32(sport)
        packet.dstPort = UInt32(dport)

        var h = TCPHeader()
        h.sport = sport
        h.dport = dport
        h.rawSeq = try data.u32(4)
        h.rawAck = try data.u32(8)
        let offX2 = try data.u8(12)
        h.flags = try data.u16(12) & TCPFlag.mask
        h.rawWindow = try data.u16(14)
        h.headerLength = Int(offX2 >> 4) * 4
        h.seq = h.rawSeq
        h.ack = h.rawAck
        h.window = UInt32(h.rawWindow)

        // Conversation lookup (tshark's find_conversation / conversation_new).
        let now = packet.frame.timestamp
        let nowNs = now.nanoseconds64
        flows.expire(now: nowNs)
        let lookup = FlowLookup(src: packet.netSrc, srcPort: sport, dst: packet.netDst, dstPort: dport, proto: 6)
        var ta = TCPAcked()
        var isNew = false
        var slot: Int
        if let found = flows.lookup(lookup.key) {
            slot = found
        } else {
            slot = flows.insert(lookup.key, newConversation(now, packet.frame.number), now: nowNs)
            isNew = true
        }

        // A SYN on a known 4-tuple with another ISN starts a new conversation (tshark 4.0: "Port
        // numbers reused", new stream index); with the same ISN it is a retransmitted SYN, even
        // after a FIN or RST, and the analysis calls it so.
        if !isNew && h.flags & (TCPFlag.syn | TCPFlag.ack) == TCPFlag.syn {
            let replace = flows.withState(slot) { c -> Bool in
                let f = lookup.side == 0 ? c.flow1 : c.flow2
                guard f.baseSeqSet else { return false }
                if h.rawSeq != f.baseSeq { return true }
                // A RST may carry SEQ = the ACK received (RFC 9293 §3.10.7.3) and push nextseq
                // ahead; the retransmitted SYN brings it back (tshark issue 17616).
                if s.analyzeSeq { c.withFlows(side: lookup.side) { fwd, _ in fwd.nextseq = fwd.maxSeqToBeAcked } }
                return false
            }
            if replace {
                slot = flows.insert(lookup.key, newConversation(now, packet.frame.number), now: nowNs)
                flows[slot].completeness = TCPCompleteness.syn
                ta.set(.reusedPorts)
            }
        }

        var plan: TCPPayloadPlan
        do {
            plan = try dissectHeader(&packet, data, top, &flows[slot], lookup.side, isNew: isNew, &h, &ta, s)
        } catch {
            noteActivity(slot, h, lookup.side, nowNs, inErrorPacket: inError)
            throw error
        }
        noteActivity(slot, h, lookup.side, nowNs, inErrorPacket: inError)
        plan.slot = slot
        plan.side = lookup.side
        plan.stream = flows.withState(slot) { $0.stream }
        plan.parent = parent
        if plan.hasPayload {
            handOffPayload(&packet, data, top, plan, s)
        } else if h.flags & TCPFlag.fin != 0 && s.desegment && !inError {
            finishAtFIN(&packet, plan, s)
        }
        return .consumed(data.count)
    }

    private func newConversation(_ now: Timestamp, _ frame: UInt32) -> TCPConversation {
        let c = TCPConversation(stream: streamCount, time: now, frame: frame)
        streamCount &+= 1
        return c
    }

    /// Touches the flow and marks it ended after a RST or once both sides sent a FIN, so the
    /// table can release it after its linger time.
    private func noteActivity(_ slot: Int, _ h: TCPHeader, _ side: Int, _ now: Int64, inErrorPacket: Bool) {
        flows.touch(slot, now: now)
        if inErrorPacket { return } // a quoted header does not end the connection
        if h.flags & TCPFlag.rst != 0 {
            flows.markClosed(slot, now: now)
        } else if h.flags & TCPFlag.fin != 0 {
            let both = flows.withState(slot) { c -> Bool in
                if side == 0 { c.flow1.finSeen = true } else { c.flow2.finSeen = true }
                return c.flow1.finSeen && c.flow2.finSeen
            }
            if both { flows.markClosed(slot, now: now) }
        }
    }

    /// The length the IP layer announced for this segment. Views hold captured bytes only; when
    /// the capture cut the frame (snapshot length) and this view runs to the end of what was
    /// captured, the missing tail belongs to it — tshark's "reported length".
    private func reportedLength(_ packet: PacketContext, _ data: ByteView) -> Int {
        let f = packet.frame
        guard data.source == 0, f.originalLength > f.capturedLength,
              data.sourceOffset + data.count >= f.capturedLength else { return data.count }
        return data.count + (f.originalLength - f.capturedLength)
    }

    // MARK: header

    /// Adds the header fields, runs the conversation and sequence analysis, dissects the options
    /// and prints the analysis. Returns what the payload hand-off needs.
    private func dissectHeader(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                               _ conv: inout TCPConversation, _ side: Int, isNew: Bool,
                               _ h: inout TCPHeader, _ ta: inout TCPAcked, _ s: TCPSettings) throws(Malformed)
        -> TCPPayloadPlan
    {
        let flags = h.flags
        let now = packet.frame.timestamp
        let frame = packet.frame.number
        var plan = TCPPayloadPlan()

        if flags & (TCPFlag.syn | TCPFlag.ack) == TCPFlag.syn {
            conv.accEcnSetupSyn = flags & (TCPFlag.ae | TCPFlag.cwr | TCPFlag.ece) == (TCPFlag.ae | TCPFlag.cwr | TCPFlag.ece)
        }
        if flags & (TCPFlag.syn | TCPFlag.ack) == (TCPFlag.syn | TCPFlag.ack) {
            // A SYN-ACK with another ISN than the one seen: a new connection on this 4-tuple
            // (tshark issue 16944 keeps the conversation and takes the new base).
            conv.withFlows(side: side) { fwd, _ in
                if fwd.baseSeqSet && h.rawSeq != fwd.baseSeq {
                    fwd.baseSeq = h.rawSeq
                    ta.set(.reusedPorts)
                }
            }
            conv.accEcnSetupSynAck = flags & (TCPFlag.ae | TCPFlag.cwr) == TCPFlag.cwr
                || flags & (TCPFlag.ae | TCPFlag.ece) == TCPFlag.ae
        }

        packet.addGenerated(hf.stream, .uint(UInt64(conv.stream)), parent: top, at: data, 0, 0)
        // The completeness shown is the value before this packet (tshark updates it afterwards).
        // With -2 tshark shows the conversation's final value (the first pass built it).
        let shownCompleteness = packet.annotation(key: conv.stream, hf.completeness).map { UInt8(truncatingIfNeeded: $0) }
            ?? conv.completeness
        let completenessNode = packet.addGenerated(hf.completeness, .uint(UInt64(shownCompleteness)), parent: top)
        if packet.buildsFullTree {
            packet.setLabel(completenessNode) { b in
                b.append("Conversation completeness: ")
                TCPCompleteness.write(shownCompleteness, to: b)
            }
        }
        if s.analyzeSeq {
            conv.withFlows(side: side) { fwd, _ in fwd.sack.count = 0 }
        }

        var timeDelta = Timestamp.zero
        if s.calculateTimestamps {
            timeDelta = now - conv.previousTime
            conv.previousTime = now
        }

        let reported = reportedLength(packet, data)
        let hlen = h.headerLength
        if !packet.inErrorPacket {
            if reported < hlen {
                let short = packet.addText("Short segment. Segment/fragment does not contain a full TCP header"
                    + " (might be NMAP or someone else deliberately sending unusual packets)", data, 0, 0, parent: top)
                packet.addExpert(ei.shortSegment, parent: short, message: "Short segment. Segment/fragment does not contain"
                    + " a full TCP header (might be NMAP or someone else deliberately sending unusual packets)")
            } else {
                h.seglen = UInt32(reported - hlen)
                h.haveSeglen = true
                // tshark adds it with no bytes at the header start (PDML size="0").
                packet.addGenerated(hf.len, .uint(UInt64(h.seglen)), parent: top, at: data, 0, 0)
                conv.withFlows(side: side) { fwd, rev in
                    if !fwd.baseSeqSet {
                        if flags & TCPFlag.syn != 0 {
                            fwd.baseSeq = h.rawSeq
                            if flags & TCPFlag.ack != 0 { fwd.sawSynAck = true } else { fwd.sawSyn = true }
                        } else {
                            fwd.baseSeq = h.rawSeq &- 1
                        }
                        fwd.baseSeqSet = true
                    }
                    // The ACK field of a SYN need not be zero; take the peer's ISN from the first
                    // segment that acknowledges something.
                    if !rev.baseSeqSet && flags & TCPFlag.ack != 0 {
                        rev.baseSeq = h.rawAck &- 1
                        rev.baseSeqSet = true
                    }
                }
                if s.analyzeSeq {
                    TCPSequenceAnalysis.analyze(&conv, side: side, frame: frame, now: now, seq: h.rawSeq, ack: h.rawAck,
                                                seglen: h.seglen, flags: flags, window: UInt32(h.rawWindow),
                                                settings: s, ta: &ta)
                    if s.relativeSeq {
                        let fwdBase = side == 0 ? conv.flow1.baseSeq : conv.flow2.baseSeq
                        let revBase = side == 0 ? conv.flow2.baseSeq : conv.flow1.baseSeq
                        h.seq = h.rawSeq &- fwdBase
                        if flags & TCPFlag.ack != 0 { h.ack = h.rawAck &- revBase }
                    }
                }
                // SYNs are never scaled (RFC 7323 §2.2).
                if flags & TCPFlag.syn == 0 {
                    let scale = side == 0 ? conv.flow1.winScale : conv.flow2.winScale
                    if scale >= 0 {
                        h.window = h.window &<< UInt32(scale)
                    } else if scale == -1 && s.defaultWindowScaling >= 0 {
                        h.window = h.window &<< UInt32(s.defaultWindowScaling)
                    }
                }
                h.nxtseq = h.seq &+ h.seglen
            }
        }

        // ECN bits read as AccECN's ACE counter once both SYNs negotiated it (or an option showed it).
        h.useACE = flags & TCPFlag.syn == 0 && ((conv.accEcnSetupSyn && conv.accEcnSetupSynAck) || conv.accEcnOption)

        let info = packet.info
        info.append(" [")
        TCPInfo.appendFlagNames(info, flags, useACE: h.useACE)
        info.append(byte: 0x5d) // "]"
        info.append(" Seq=")
        info.append(UInt64(h.seq))
        if flags & TCPFlag.ack != 0 {
            info.append(" Ack=")
            info.append(UInt64(h.ack))
        }
        info.append(" Win=")
        info.append(UInt64(h.window))
        if s.summaryInTree {
            let seq = h.seq
            packet.appendLabel(top) { b in
                b.append(", Seq: ")
                b.appendDecimal(UInt64(seq))
            }
        }

        let relative = s.relativeSeq && s.analyzeSeq
        if !packet.inErrorPacket {
            if relative {
                let n = packet.add(hf.seq, data, 4, 4, .uint(UInt64(h.seq)), parent: top)
                if packet.buildsFullTree {
                    let seq = h.seq
                    packet.setLabel(n) { b in
                        b.append("Sequence Number: ")
                        b.appendDecimal(UInt64(seq))
                        b.append("    (relative sequence number)")
                    }
                }
                packet.add(hf.seqRaw, data, 4, 4, .uint(UInt64(h.rawSeq)), parent: top)
            } else {
                packet.add(hf.seq, data, 4, 4, .uint(UInt64(h.seq)), parent: top)
                packet.add(hf.seqRaw, data, 4, 4, .uint(UInt64(h.rawSeq)), parent: top, flags: .hidden)
            }
        }

        if hlen < Self.minHeaderLength {
            info.append(", bogus TCP header length (")
            info.append(UInt64(hlen))
            info.append(", must be at least 20)")
            let n = packet.add(hf.hdrLen, data, 12, 1, .uint(UInt64(hlen)), parent: top)
            if packet.buildsFullTree {
                packet.setLabel(n, TCPInfo.nibbleBits(UInt8(hlen / 4)) + " = Header Length: \(hlen) bytes (\(hlen >> 2))")
            }
            packet.addExpert(ei.bogusHeaderLength, parent: n,
                             message: "Bogus TCP header length (\(hlen), must be at least \(Self.minHeaderLength))")
            return plan
        }

        // Completeness moves forward (RFC 9293 handshake, data, FIN, RST seen).
        var completeness: UInt8 = 0
        if isNew {
            if flags & (TCPFlag.syn | TCPFlag.ack) == TCPFlag.syn {
                completeness |= TCPCompleteness.syn
                if h.seglen > 0 { completeness |= TCPCompleteness.data } // TCP Fast Open
            }
        } else {
            completeness = conv.completeness
            if flags & (TCPFlag.syn | TCPFlag.ack) == (TCPFlag.syn | TCPFlag.ack) { completeness |= TCPCompleteness.synAck }
            if flags & (TCPFlag.syn | TCPFlag.ack) == TCPFlag.ack {
                completeness |= h.seglen > 0 ? TCPCompleteness.data : TCPCompleteness.ack
            }
            if flags & (TCPFlag.fin | TCPFlag.ack) == (TCPFlag.fin | TCPFlag.ack) { completeness |= TCPCompleteness.fin }
            if flags & TCPFlag.rst != 0 { completeness |= TCPCompleteness.rst }
        }
        conv.completeness = completeness
        packet.annotate(frame: conv.stream, hf.completeness, UInt64(completeness))

        if s.summaryInTree {
            let ack = h.ack, seglen = h.seglen
            if flags & TCPFlag.ack != 0 {
                packet.appendLabel(top) { b in
                    b.append(", Ack: ")
                    b.appendDecimal(UInt64(ack))
                }
            }
            if h.haveSeglen {
                packet.appendLabel(top) { b in
                    b.append(", Len: ")
                    b.appendDecimal(UInt64(seglen))
                }
            }
        }
        if top.index >= 0 { packet.tree.records[Int(top.index)].length = Int32(hlen) }

        if h.haveSeglen {
            let next = flags & (TCPFlag.syn | TCPFlag.fin) != 0 ? h.nxtseq &+ 1 : h.nxtseq
            let n = packet.addGenerated(hf.nxtseq, .uint(UInt64(next)), parent: top, at: data, 0, 0)
            if relative && packet.buildsFullTree {
                packet.setLabel(n) { b in
                    b.append("Next Sequence Number: ")
                    b.appendDecimal(UInt64(next))
                    b.append("    (relative sequence number)")
                }
            }
        }

        let ackNode = packet.add(hf.ack, data, 8, 4, .uint(UInt64(h.ack)), parent: top)
        if flags & TCPFlag.ack != 0 {
            packet.add(hf.ackRaw, data, 8, 4, .uint(UInt64(h.rawAck)), parent: top, flags: relative ? [] : .hidden)
            if relative { packet.appendLabel(ackNode) { $0.append("    (relative ack number)") } }
            if flags & TCPFlag.syn != 0 && s.analyzeSeq {
                let revBase = side == 0 ? conv.flow2.baseSeq : conv.flow1.baseSeq
                if (relative && h.ack > 1) || (!relative && h.ack &- revBase > 1) {
                    packet.addExpert(ei.tfoAck, parent: ackNode)
                } else if conv.tfoSynData {
                    packet.addExpert(ei.tfoIgnored, parent: ackNode)
                }
            }
        } else {
            packet.add(hf.ackRaw, data, 8, 4, .uint(UInt64(h.rawAck)), parent: top)
            if h.rawAck != 0 { packet.addExpert(ei.ackNonzero, parent: ackNode) }
        }

        let flagNodes = addFlagItems(&packet, data, top, &h)

        packet.add(hf.windowValue, data, 14, 2, .uint(UInt64(h.rawWindow)), parent: top)
        packet.addGenerated(hf.windowSize, .uint(UInt64(h.window)), parent: top, at: data, 14, 2)
        if flags & TCPFlag.syn == 0 {
            let scale = side == 0 ? conv.flow1.winScale : conv.flow2.winScale
            switch scale {
            case -1:
                let fromPref = s.defaultWindowScaling >= 0
                let v = fromPref ? Int64(1 << s.defaultWindowScaling) : -1
                let n = packet.addGenerated(hf.windowScale, .int(v), parent: top, at: data, 14, 2)
                if packet.buildsFullTree {
                    packet.setLabel(n, "Window size scaling factor: \(v) (" + (fromPref ? "missing - taken from preference" : "unknown") + ")")
                }
            case -2:
                let n = packet.addGenerated(hf.windowScale, .int(-2), parent: top, at: data, 14, 2)
                if packet.buildsFullTree { packet.setLabel(n, "Window size scaling factor: -2 (no window scaling used)") }
            default:
                packet.addGenerated(hf.windowScale, .int(Int64(1) << Int64(scale)), parent: top, at: data, 14, 2)
            }
        }

        if flags & TCPFlag.syn != 0 {
            if flags & TCPFlag.ack != 0 {
                packet.addExpert(ei.synack, parent: flagNodes.syn,
                                 message: "Connection establish acknowledge (SYN+ACK): server port \(h.sport)")
                conv.serverPort = h.sport
            } else {
                packet.addExpert(ei.syn, parent: flagNodes.syn,
                                 message: "Connection establish request (SYN): server port \(h.dport)")
                conv.serverPort = h.dport
                conv.lastSynTime = now
            }
            conv.withFlows(side: side) { fwd, _ in
                if s.desegment && s.reassembleOutOfOrder && fwd.maxNextSeq == 0 { fwd.maxNextSeq = h.seq &+ 1 }
                fwd.isFirstAck = true
            }
        }
        if flags & TCPFlag.fin != 0 {
            packet.addExpert(ei.fin, parent: flagNodes.fin)
            // The side that sends the first FIN initiates the close; a FIN answering it undergoes it.
            let passive = conv.withFlows(side: side) { fwd, rev -> Bool in
                if !rev.closingInitiator {
                    fwd.closingInitiator = true
                    return false
                }
                return true
            }
            packet.addExpert(passive ? ei.finPassive : ei.finActive, parent: flagNodes.str)
        }
        if flags & TCPFlag.rst != 0 { packet.addExpert(ei.rst, parent: flagNodes.rst) }

        if s.analyzeSeq && flags & (TCPFlag.syn | TCPFlag.ack) == TCPFlag.ack {
            // The first ACK after a SYN completes the handshake: that is the initial RTT.
            if !conv.lastSynTime.isZero && conv.initialRTT.isZero {
                conv.initialRTT = now - conv.lastSynTime
                packet.annotate(frame: conv.stream, hf.initialRTT, UInt64(bitPattern: conv.initialRTT.nanoseconds64))
            }
            conv.withFlows(side: side) { fwd, _ in fwd.isFirstAck = false }
        }

        plan.canDesegment = addChecksum(&packet, data, top, reported, s)

        let urp = try data.u16(18)
        let urpNode = packet.add(hf.urgentPointer, data, 18, 2, .uint(UInt64(urp)), parent: top)
        if flags & TCPFlag.urg != 0 {
            info.append(" Urg=")
            info.append(UInt64(urp))
        } else if urp != 0 {
            packet.addExpert(ei.urgentPointerNonZero, parent: urpNode)
        }
        if h.haveSeglen {
            info.append(" Len=")
            info.append(UInt64(h.seglen))
        }

        let optlen = hlen - Self.minHeaderLength
        var optionsNode = TreeNode.none
        if optlen != 0 {
            let captured = max(0, data.count - Self.minHeaderLength)
            optionsNode = packet.add(hf.options, data, Self.minHeaderLength, min(captured, optlen), .bytes, parent: top)
            if packet.buildsFullTree { packet.setLabel(optionsNode, "Options: (\(optlen) bytes)") }
        }

        if s.calculateTimestamps {
            let ts = packet.addText("Timestamps", data, 0, 0, parent: top, generated: true)
            packet.addGenerated(hf.timeRelative, .relativeTime(now - conv.firstTime), parent: ts)
            packet.addGenerated(hf.timeDelta, .relativeTime(timeDelta), parent: ts)
        }

        if optlen != 0 {
            try dissectOptions(&packet, data, Self.minHeaderLength, optlen, optionsNode, &conv, side, &h, s)
        }

        if s.analyzeSeq {
            // With -2 the iRTT found later in the handshake shows from the first frames on.
            let shownRTT = packet.annotation(key: conv.stream, hf.initialRTT)
                .map { Timestamp(seconds: Int64(bitPattern: $0) / 1_000_000_000, nanoseconds: Int32(Int64(bitPattern: $0) % 1_000_000_000)) }
                ?? conv.initialRTT
            printAnalysis(&packet, data, top, initialRTT: shownRTT, ta, s)
        }

        if flags & TCPFlag.syn != 0 {
            TCPSequenceAnalysis.verifyWindowScaling(&conv, side: side, isSynAck: flags & TCPFlag.ack != 0)
        }

        // What follows the header: the payload, unless only the header was captured.
        let capturedPayload = data.count - hlen
        if capturedPayload > 0 {
            plan.hasPayload = true
            plan.offset = hlen
            plan.reportedLength = h.haveSeglen ? Int(h.seglen) : max(0, reported - hlen)
            plan.flags = flags
            plan.analysis = ta.flags
            plan.serverPort = conv.serverPort
            let synShift: UInt32 = flags & TCPFlag.syn != 0 ? 1 : 0 // a SYN's data starts after the SYN (bug 9882)
            plan.seq = h.seq &+ synShift
            plan.nxtseq = h.nxtseq &+ synShift
            plan.canDesegment = plan.canDesegment && s.desegment && !packet.inErrorPacket
                && reported <= data.count
            if plan.canDesegment && flags & TCPFlag.rst == 0 {
                plan.disposition = TCPPayloadHandoff.classify(&conv, side: side, plan, s)
            }
        }
        return plan
    }

    /// Header length, flags and their bits, `[TCP Flags: ···…]`. Returns the nodes experts hang on.
    private func addFlagItems(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ h: inout TCPHeader)
        -> (syn: TreeNode, fin: TreeNode, rst: TreeNode, str: TreeNode)
    {
        let hlen = h.headerLength
        let flags = h.flags
        let full = packet.buildsFullTree
        let hl = packet.add(hf.hdrLen, data, 12, 1, .uint(UInt64(hlen)), parent: top)
        if full {
            packet.setLabel(hl) { b in
                TCPInfo.writeNibbleBits(UInt8(truncatingIfNeeded: hlen / 4), to: b)
                b.append(" = Header Length: ")
                b.appendDecimal(hlen)
                b.append(" bytes (")
                b.appendDecimal(hlen >> 2)
                b.append(0x29)
            }
        }
        let fnode = packet.add(hf.flags, data, 12, 2, .uint(UInt64(flags)), parent: top)
        if full {
            let useACE = h.useACE
            packet.setLabel(fnode) { b in
                b.append("Flags: 0x")
                b.appendHex(UInt64(flags), digits: 3)
                b.append(" (")
                TCPInfo.writeFlagNames(b, flags, useACE: useACE)
                b.append(0x29)
            }
        }
        func bit(_ id: FieldID, _ mask: UInt16, _ off: Int) -> TreeNode {
            packet.add(id, data, off, 1, .uint(UInt64((flags & mask) >> UInt16(mask.trailingZeroBitCount))), parent: fnode)
        }
        _ = bit(hf.flagsRes, TCPFlag.reserved, 12)
        if h.useACE {
            let ace = TCPInfo.ace(flags)
            let n = packet.add(hf.flagsACE, data, 12, 2, .uint(UInt64(ace)), parent: fnode)
            if full {
                let b = { (m: UInt8) -> String in ace & m != 0 ? "1" : "0" }
                packet.setLabel(n, "...\(b(4)) \(b(2))\(b(1)).. .... = ACE: \(ace)")
            }
        } else {
            _ = bit(hf.flagsAE, TCPFlag.ae, 12)
            _ = bit(hf.flagsCWR, TCPFlag.cwr, 13)
            _ = bit(hf.flagsECE, TCPFlag.ece, 13)
        }
        _ = bit(hf.flagsURG, TCPFlag.urg, 13)
        _ = bit(hf.flagsACK, TCPFlag.ack, 13)
        _ = bit(hf.flagsPSH, TCPFlag.psh, 13)
        let rst = bit(hf.flagsRST, TCPFlag.rst, 13)
        let syn = bit(hf.flagsSYN, TCPFlag.syn, 13)
        let fin = bit(hf.flagsFIN, TCPFlag.fin, 13)
        var str = TreeNode.none
        if packet.wants(hf.flagsStr) {
            str = packet.add(hf.flagsStr, data, 12, 2, packet.text(TCPInfo.flagLetters(flags, useACE: h.useACE)),
                             parent: fnode, flags: .generated)
        }
        return (syn, fin, rst, str)
    }

    /// Checksum items; verifies the checksum when `tcp.check_checksum` is on. Returns whether the
    /// payload may be handed to reassembly (tshark's `desegment_ok`).
    private func addChecksum(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ reported: Int,
                             _ s: TCPSettings) -> Bool
    {
        guard let sum = try? data.u16(16) else { return false }
        let complete = reported <= data.count
        if s.checkChecksum && complete && !packet.inErrorPacket,
           let computed = TCPChecksum.verify(data, src: packet.netSrc, dst: packet.netDst)
        {
            if computed == 0 && sum == 0xffff {
                let n = packet.add(hf.checksum, data, 16, 2, .uint(UInt64(sum)), parent: top)
                if packet.buildsFullTree { packet.setLabel(n, "Checksum: 0xffff [should be 0x0000 (see RFC 1624)]") }
                packet.addGenerated(hf.checksumCalculated, .uint(0), parent: n, at: data, 16, 2)
                let st = packet.addGenerated(hf.checksumStatus, .uint(0), parent: n, at: data, 16, 0)
                if packet.buildsFullTree { packet.setLabel(st, "Checksum Status: Bad") }
                packet.addExpert(ei.checksumFFFF, parent: st)
                packet.info.append(" [TCP CHECKSUM 0xFFFF]")
                return true
            }
            let expected = TCPChecksum.expected(data, src: packet.netSrc, dst: packet.netDst)
            let n = packet.add(hf.checksum, data, 16, 2, .uint(UInt64(sum)), parent: top)
            if computed == 0 {
                packet.appendLabel(n, " [correct]")
                let st = packet.addGenerated(hf.checksumStatus, .uint(1), parent: top, at: data, 16, 0)
                if packet.buildsFullTree { packet.setLabel(st, "Checksum Status: Good") }
            } else {
                if packet.buildsFullTree {
                    packet.appendLabel(n, " incorrect, should be 0x" + TCPInfo.hex4(expected)
                        + "(maybe caused by \"TCP checksum offload\"?)")
                }
                packet.addExpert(ei.checksumBad, parent: n, message: "Bad checksum [should be 0x" + TCPInfo.hex4(expected) + "]")
                let st = packet.addGenerated(hf.checksumStatus, .uint(0), parent: top, at: data, 16, 0)
                if packet.buildsFullTree { packet.setLabel(st, "Checksum Status: Bad") }
            }
            packet.addGenerated(hf.checksumCalculated, .uint(UInt64(expected)), parent: top, at: data, 16, 2)
            if computed != 0 {
                packet.info.append(" [TCP CHECKSUM INCORRECT]")
                return false
            }
            return true
        }
        let n = packet.add(hf.checksum, data, 16, 2, .uint(UInt64(sum)), parent: top)
        packet.appendLabel(n, " [unverified]")
        let st = packet.addGenerated(hf.checksumStatus, .uint(2), parent: top, at: data, 16, 0)
        if packet.buildsFullTree { packet.setLabel(st, "Checksum Status: Unverified") }
        return complete
    }
}

/// The fixed header as read, plus the values derived from the conversation.
struct TCPHeader {
    var sport: UInt16 = 0
    var dport: UInt16 = 0
    var rawSeq: UInt32 = 0
    var rawAck: UInt32 = 0
    /// Relative when the analysis and `tcp.relative_sequence_numbers` are on.
    var seq: UInt32 = 0
    var ack: UInt32 = 0
    var nxtseq: UInt32 = 0
    var flags: UInt16 = 0
    var rawWindow: UInt16 = 0
    /// Scaled by the conversation's window shift.
    var window: UInt32 = 0
    var headerLength = 0
    var seglen: UInt32 = 0
    var haveSeglen = false
    var useACE = false
}

/// `tcp.completeness` bits and tshark's text for them (`conversation_completeness_fill`).
enum TCPCompleteness {
    static let syn: UInt8 = 0x01
    static let synAck: UInt8 = 0x02
    static let ack: UInt8 = 0x04
    static let data: UInt8 = 0x08
    static let fin: UInt8 = 0x10
    static let rst: UInt8 = 0x20

    /// `text(v)` written into `b` (no String).
    static func write(_ v: UInt8, to b: TextBuffer) {
        switch v {
        case 1: b.append("Incomplete, SYN_SENT")
        case 3: b.append("Incomplete, CLIENT_ESTABLISHED")
        case 7: b.append("Incomplete, ESTABLISHED")
        case 15: b.append("Incomplete, DATA")
        case 31, 47, 63: b.append("Complete, WITH_DATA")
        case 23, 39, 55: b.append("Complete, NO_DATA")
        default: b.append("Incomplete")
        }
        b.append(" (")
        b.appendDecimal(UInt64(v))
        b.append(0x29)
    }

    static func text(_ v: UInt8) -> String {
        let name: String
        switch v {
        case 1: name = "Incomplete, SYN_SENT"
        case 3: name = "Incomplete, CLIENT_ESTABLISHED"
        case 7: name = "Incomplete, ESTABLISHED"
        case 15: name = "Incomplete, DATA"
        case 31, 47, 63: name = "Complete, WITH_DATA"
        case 23, 39, 55: name = "Complete, NO_DATA"
        default: name = "Incomplete"
        }
        return "\(name) (\(v))"
    }
}

/// RFC 9293 §3.1 checksum over the pseudo-header and the segment.
enum TCPChecksum {
    /// The ones-complement sum of the pseudo-header and the segment, folded and inverted:
    /// 0 when the checksum field is right. nil for an address family without a pseudo-header.
    static func verify(_ data: ByteView, src: Address, dst: Address) -> UInt16? {
        guard var sum = pseudoHeaderSum(src, dst, length: data.count) else { return nil }
        sum &+= sumBytes(data, skipChecksum: false)
        return ~fold(sum)
    }

    /// The value the checksum field should hold.
    static func expected(_ data: ByteView, src: Address, dst: Address) -> UInt16 {
        guard var sum = pseudoHeaderSum(src, dst, length: data.count) else { return 0 }
        sum &+= sumBytes(data, skipChecksum: true)
        return ~fold(sum)
    }

    private static func pseudoHeaderSum(_ src: Address, _ dst: Address, length: Int) -> UInt64? {
        var sum: UInt64 = 0
        func add32(_ v: UInt32) { sum &+= UInt64(v >> 16) &+ UInt64(v & 0xffff) }
        func add64(_ v: UInt64) { add32(UInt32(truncatingIfNeeded: v >> 32)); add32(UInt32(truncatingIfNeeded: v)) }
        switch (src, dst) {
        case (.ipv4(let a), .ipv4(let b)):
            add32(a); add32(b)
            sum &+= 6 &+ UInt64(length & 0xffff) &+ UInt64(length >> 16)
        case (.ipv6(let a), .ipv6(let b)):
            add64(a.hi); add64(a.lo); add64(b.hi); add64(b.lo)
            add32(UInt32(truncatingIfNeeded: length)); sum &+= 6
        default:
            return nil
        }
        return sum
    }

    private static func sumBytes(_ data: ByteView, skipChecksum: Bool) -> UInt64 {
        var sum: UInt64 = 0
        var i = 0
        let n = data.count
        while i + 1 < n {
            if !(skipChecksum && i == 16) {
                sum &+= UInt64(data[unchecked: i]) << 8 | UInt64(data[unchecked: i + 1])
            }
            i += 2
        }
        if i < n { sum &+= UInt64(data[unchecked: i]) << 8 }
        return sum
    }

    private static func fold(_ s: UInt64) -> UInt16 {
        var v = s
        while v >> 16 != 0 { v = (v & 0xffff) &+ (v >> 16) }
        return UInt16(v)
    }
}
