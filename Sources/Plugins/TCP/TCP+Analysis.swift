import DissectKit

/// tshark 4.0's TCP sequence analysis (`tcp_analyze_sequence_number`): retransmissions, lost and
/// out-of-order segments, duplicate ACKs, window events, keep-alives, RTT and bytes in flight.
///
/// All comparisons use raw sequence numbers, before the relative conversion. The rules and their
/// order are tshark's, including its quirks, because the analysis must flag the same frames:
/// a check that "goes to finished" skips the later ones exactly as tshark's `goto`s do.
enum TCPSequenceAnalysis {
    /// Unacknowledged segments kept per direction (tshark's `TCP_MAX_UNACKED_SEGMENTS`).
    static let maxUnackedSegments = 10000
    /// A retransmission within this time of the last duplicate ACK is a fast retransmission.
    static let fastRetransmissionWindow: Int64 = 20_000_000
    /// Out-of-order threshold when no initial RTT is known yet.
    static let defaultOutOfOrderThreshold: Int64 = 3_000_000

    static func analyze(_ c: inout TCPConversation, side: Int, frame: UInt32, now: Timestamp, seq: UInt32,
                        ack: UInt32, seglen: UInt32, flags: UInt16, window: UInt32, settings s: TCPSettings,
                        ta: inout TCPAcked)
    {
        let initialRTT = c.initialRTT
        c.withFlows(side: side) { fwd, rev in
            analyze(&fwd, &rev, initialRTT: initialRTT, frame: frame, now: now, seq: seq, ack: ack, seglen: seglen,
                    flags: flags, window: window, settings: s, ta: &ta)
        }
    }

    private static func analyze(_ fwd: inout TCPFlow, _ rev: inout TCPFlow, initialRTT: Timestamp, frame: UInt32,
                                now: Timestamp, seq: UInt32, ack: UInt32, seglen: UInt32, flags: UInt16,
                                window: UInt32, settings s: TCPSettings, ta: inout TCPAcked)
    {
        let synFinRst = flags & (TCPFlag.syn | TCPFlag.fin | TCPFlag.rst)
        if flags & TCPFlag.ack != 0 { rev.validBytesInFlight = true }

        windowChecks: do {
            // Zero window probe: exactly one byte at the next expected sequence number while the
            // peer advertises a zero window.
            if seglen == 1 && seq == fwd.nextseq && rev.window == 0 {
                ta.set(.zeroWindowProbe)
                break windowChecks
            }
            // Zero window: window 0 on a segment that is not SYN/FIN/RST.
            if window == 0 && synFinRst == 0 { ta.set(.zeroWindow) }
            // Lost segment: this one starts beyond the highest sequence number seen so far.
            if fwd.nextseq != 0 && seqGT(seq, fwd.nextseq) && flags & TCPFlag.rst == 0 {
                ta.set(.lostPacket)
                fwd.validBytesInFlight = false // until the other side ACKs again
            }
            // Keep-alive: 0 or 1 byte starting one byte before the next expected sequence number.
            if (seglen == 0 || seglen == 1) && seq == fwd.nextseq &- 1 && synFinRst == 0 {
                ta.set(.keepAlive)
            }
            // Window update: nothing but a new window, same SEQ/ACK as before.
            if seglen == 0 && window != 0 && window != fwd.window && seq == fwd.nextseq && ack == fwd.lastAck
                && synFinRst == 0
            {
                ta.set(.windowUpdate)
            }
            // Window full: data reaching exactly the right edge of the peer's window.
            if seglen > 0 && rev.winScale != -1 && synFinRst == 0 {
                let shift = rev.isFirstAck ? 0 : (rev.winScale == -2 ? 0 : Int(rev.winScale))
                if seq &+ seglen == rev.lastAck &+ (rev.window &<< UInt32(shift)) { ta.set(.windowFull) }
            }
            // Keep-alive ACK: repeats the previous ACK right after a keep-alive from the peer.
            if seglen == 0 && window != 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastAck
                && rev.lastSegmentFlags.contains(.keepAlive) && synFinRst == 0
            {
                ta.set(.keepAliveAck)
                break windowChecks
            }
            // Zero window probe ACK: repeats the zero window right after a probe from the peer.
            if seglen == 0 && window == 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastAck
                && rev.lastSegmentFlags.contains(.zeroWindowProbe) && synFinRst == 0
            {
                ta.set(.zeroWindowProbeAck)
                break windowChecks
            }
            // Duplicate ACK: same window, SEQ and ACK as the previous segment, and no data.
            if seglen == 0 && window != 0 && window == fwd.window && seq == fwd.nextseq && ack == fwd.lastAck
                && synFinRst == 0
            {
                // −1 marks an "ACKed unseen segment" just reported: count from 1 again.
                fwd.dupAckNum = fwd.dupAckNum == -1 ? 1 : fwd.dupAckNum + 1
                ta.set(.duplicateAck)
                ta.dupackNum = UInt32(bitPattern: fwd.dupAckNum)
                ta.dupackFrame = fwd.lastNonDupAck
            }
        }

        // A new ACK value resets the duplicate ACK count.
        if ack != fwd.lastAck {
            fwd.lastNonDupAck = frame
            fwd.dupAckNum = 0
        }

        // ACKed unseen segment: this ACK covers data the other direction never showed us.
        if rev.maxSeqToBeAcked != 0 && seqGT(ack, rev.maxSeqToBeAcked) && flags & TCPFlag.ack != 0 {
            ta.exists = true
            if seqLT(rev.maxSeqToBeAcked, rev.nextseq) {
                rev.maxSeqToBeAcked = rev.nextseq
                ta.set(.ackLostPacket)
            } else {
                // The peer is stalled sending pure ACKs: report the same hole only once.
                if rev.dupAckNum == 0 { ta.set(.ackLostPacket) }
                rev.dupAckNum = -1
            }
        }

        // Retransmission, fast retransmission, spurious retransmission, out-of-order: a segment
        // with data (or SYN/FIN) that does not advance the sequence number.
        if seglen > 0 || flags & (TCPFlag.syn | TCPFlag.fin) != 0 {
            retransmissionChecks: do {
                var seqNotAdvanced = fwd.nextseq != 0 && seqLT(seq, fwd.nextseq)
                if ta.flags.contains(.keepAlive) { break retransmissionChecks }
                // More than one byte starting one before nextseq follows a zero window probe: new data.
                if seglen > 1 && fwd.nextseq &- 1 == seq { seqNotAdvanced = false }
                // Spurious: everything in it was already acknowledged.
                if seglen > 0 && rev.lastAck != 0 && seqLE(seq &+ seglen, rev.lastAck) {
                    ta.set(.spuriousRetransmission)
                    break retransmissionChecks
                }
                let fastFirst = s.fastRtPrecedence
                for step in 0..<2 {
                    if (step == 0) == fastFirst {
                        // Fast retransmission: ≥ 2 duplicate ACKs for exactly this sequence number,
                        // and the retransmission within 20 ms of the last of them.
                        let t = elapsed(now, since: rev.lastAckTime)
                        // tshark's counter is unsigned: the −1 left by "ACKed unseen segment" counts as many.
                        if seqNotAdvanced && UInt32(bitPattern: rev.dupAckNum) >= 2 && rev.lastAck == seq
                            && t < fastRetransmissionWindow
                        {
                            ta.set(.fastRetransmission)
                            break retransmissionChecks
                        }
                    } else {
                        // Out of order: soon after the highest segment (within the initial RTT,
                        // 3 ms when unknown) and not an exact repeat of the last one.
                        let t = elapsed(now, since: fwd.nextseqTime)
                        let threshold = initialRTT.isZero ? defaultOutOfOrderThreshold : initialRTT.nanoseconds64
                        if seqNotAdvanced && t < threshold {
                            let synFin: UInt32 = flags & (TCPFlag.syn | TCPFlag.fin) != 0 ? 1 : 0
                            if fwd.nextseq != seq &+ seglen &+ synFin {
                                ta.set(.outOfOrder)
                                break retransmissionChecks
                            }
                        }
                    }
                }
                if seqNotAdvanced {
                    ta.set(.retransmission)
                    // tshark 4.0 measures the RTO from the eldest unacknowledged segment (likely
                    // the one retransmitted), else from the segment that last advanced nextseq.
                    if let eldest = fwd.segments.first {
                        ta.rto = now - eldest.time
                        ta.rtoFrame = eldest.frame
                    } else {
                        ta.rto = now - fwd.nextseqTime
                        ta.rtoFrame = fwd.nextseqFrame
                    }
                }
            }
        }

        // Remember this segment as unacknowledged.
        var nextseq = seq &+ seglen
        if (seglen > 0 || flags & (TCPFlag.syn | TCPFlag.fin) != 0) && fwd.segments.count < maxUnackedSegments {
            if flags & (TCPFlag.syn | TCPFlag.fin) != 0 { nextseq &+= 1 } // SYN and FIN take one sequence number
            fwd.segments.append(TCPUnacked(frame: frame, seq: seq, nextseq: nextseq, time: now))
        }
        // Highest sequence number seen; zero window probes do not advance it.
        if seqGT(nextseq, fwd.nextseq) || fwd.nextseq == 0 {
            if !ta.flags.contains(.zeroWindowProbe) {
                fwd.nextseq = nextseq
                fwd.nextseqFrame = frame
                fwd.nextseqTime = now
            }
        }
        // Highest contiguous sequence number, for "ACKed unseen segment".
        if seq == fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked == 0 {
            if !ta.flags.contains(.zeroWindowProbe) { fwd.maxSeqToBeAcked = fwd.nextseq }
        }
        fwd.window = window
        fwd.lastAck = ack
        fwd.lastAckTime = now
        fwd.lastSegmentFlags = ta.exists ? ta.flags : []

        // Drop what this ACK acknowledges; an exact match gives the RTT.
        var kept = 0
        var matched = false
        let count = rev.segments.count
        rev.segments.withUnsafeMutableBufferPointer { segs in
            for i in 0..<count {
                var u = segs[i]
                if ack == u.nextseq {
                    ta.exists = true
                    if !matched {
                        ta.frameAcked = u.frame
                        ta.ackRTT = now - u.time
                        matched = true
                    }
                    continue
                }
                if seqGT(ack, u.seq) && seqLE(ack, u.nextseq) {
                    u.seq = ack // partly acknowledged: keep the rest
                } else if !seqGT(u.nextseq, ack) {
                    continue // entirely acknowledged
                }
                segs[kept] = u
                kept += 1
            }
        }
        if kept < count { rev.segments.removeLast(count - kept) }

        // Bytes in flight: the span of unacknowledged data minus what the peer SACKed.
        if s.trackBytesInFlight {
            var inFlight: UInt32 = 0
            var computed = false
            if !s.bifSeqBased {
                if seglen != 0 && !fwd.segments.isEmpty && fwd.validBytesInFlight {
                    computed = true
                    let base = fwd.baseSeq
                    var first = fwd.segments[fwd.segments.count - 1].seq &- base
                    var last = fwd.segments[fwd.segments.count - 1].nextseq &- base
                    for u in fwd.segments {
                        if u.nextseq &- base > last { last = u.nextseq &- base }
                        if u.seq &- base < first { first = u.seq &- base }
                    }
                    inFlight = last &- first
                }
            } else if seglen != 0 && fwd.validBytesInFlight {
                computed = true
                inFlight = fwd.nextseq &- rev.lastAck
            }
            if computed {
                if rev.sack.count > 0 { inFlight &-= rev.sack.delivered }
                if inFlight > 0 && inFlight < 2_000_000_000 {
                    ta.exists = true
                    ta.bytesInFlight = inFlight
                    // SYN and FIN take a sequence number but no byte.
                    if flags & (TCPFlag.syn | TCPFlag.fin) != 0 { ta.bytesInFlight &-= 1 }
                }
                let psh = flags & TCPFlag.psh != 0
                if psh && !fwd.pushSetLast {
                    fwd.pushBytesSent &+= seglen
                    fwd.pushSetLast = true
                } else if psh && fwd.pushSetLast {
                    fwd.pushBytesSent = seglen
                    fwd.pushSetLast = true
                } else if fwd.pushSetLast {
                    fwd.pushBytesSent = seglen
                    fwd.pushSetLast = false
                } else {
                    fwd.pushBytesSent &+= seglen
                }
                ta.exists = true
                ta.pushBytesSent = fwd.pushBytesSent
            }
        }
    }

    /// Nanoseconds from `earlier` to `now`; a negative span (time going backwards) counts as
    /// infinitely long, as tshark's unsigned arithmetic makes it.
    @inline(__always)
    static func elapsed(_ now: Timestamp, since earlier: Timestamp) -> Int64 {
        let d = (now.seconds &- earlier.seconds) &* 1_000_000_000 &+ Int64(now.nanoseconds &- earlier.nanoseconds)
        return d < 0 ? .max : d
    }

    /// After a SYN or SYN-ACK: window scaling is used only if both sides sent the option
    /// (RFC 7323 §2.2); otherwise both directions read windows unscaled (−2).
    static func verifyWindowScaling(_ c: inout TCPConversation, side: Int, isSynAck: Bool) {
        c.withFlows(side: side) { fwd, rev in
            if fwd.winScale == -1 {
                fwd.winScale = -2
                rev.winScale = -2
            } else if isSynAck && rev.winScale == -2 {
                fwd.winScale = -2
            }
        }
    }
}

extension TCPDissector {
    /// The "[SEQ/ACK analysis]" subtree and the Info prefixes (`tcp_print_sequence_number_analysis`).
    func printAnalysis(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, initialRTT: Timestamp,
                       _ ta: TCPAcked, _ s: TCPSettings)
    {
        guard ta.exists else { return }
        // tshark adds these with no bytes at the TCP header's start (PDML pos of the header).
        let tree = packet.addGenerated(hf.analysis, .none, parent: top, at: data, 0, 0)
        if ta.frameAcked != 0 {
            packet.addGenerated(hf.acksFrame, .uint(UInt64(ta.frameAcked)), parent: tree, at: data, 0, 0)
            if !ta.ackRTT.isZero { packet.addGenerated(hf.ackRTT, .relativeTime(ta.ackRTT), parent: tree, at: data, 0, 0) }
        }
        if !initialRTT.isZero {
            packet.addGenerated(hf.initialRTT, .relativeTime(initialRTT), parent: tree, at: data, 0, 0)
        }
        if ta.bytesInFlight != 0 && s.trackBytesInFlight {
            packet.addGenerated(hf.bytesInFlight, .uint(UInt64(ta.bytesInFlight)), parent: tree, at: data, 0, 0)
            packet.addGenerated(hf.pushBytesSent, .uint(UInt64(ta.pushBytesSent)), parent: tree, at: data, 0, 0)
        }
        let f = ta.flags
        guard !f.isEmpty else { return }
        let flagsNode = packet.addGenerated(hf.analysisFlags, .none, parent: tree)
        let info = packet.info
        // Each prefix goes in front of the Info text and behind tshark's fence, so the order of
        // these calls decides the order of the prefixes (the last one ends up first).
        if f.contains(.reusedPorts) {
            packet.addExpert(ei.reusedPorts, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP Port numbers reused] ") }
        }
        if f.contains(.retransmission) {
            packet.addExpert(ei.retransmission, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP Retransmission] ") }
            if !ta.rto.isZero {
                packet.addGenerated(hf.rto, .relativeTime(ta.rto), parent: flagsNode)
                packet.addGenerated(hf.rtoFrame, .uint(UInt64(ta.rtoFrame)), parent: flagsNode)
            }
        }
        if f.contains(.fastRetransmission) {
            packet.addExpert(ei.fastRetransmission, parent: flagsNode)
            packet.addExpert(ei.retransmission, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP Fast Retransmission] ") }
        }
        if f.contains(.spuriousRetransmission) {
            packet.addExpert(ei.spuriousRetransmission, parent: flagsNode)
            packet.addExpert(ei.retransmission, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP Spurious Retransmission] ") }
        }
        if f.contains(.outOfOrder) {
            packet.addExpert(ei.outOfOrder, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP Out-Of-Order] ") }
        }
        if f.contains(.lostPacket) {
            packet.addExpert(ei.lostSegment, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP Previous segment not captured] ") }
        }
        if f.contains(.ackLostPacket) {
            packet.addExpert(ei.ackLostSegment, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP ACKed unseen segment] ") }
        }
        if f.contains(.windowUpdate) {
            packet.addExpert(ei.windowUpdate, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP Window Update] ") }
        }
        if f.contains(.windowFull) {
            packet.addExpert(ei.windowFull, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP Window Full] ") }
        }
        if f.contains(.keepAlive) {
            packet.addExpert(ei.keepAlive, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP Keep-Alive] ") }
        }
        if f.contains(.keepAliveAck) {
            packet.addExpert(ei.keepAliveAck, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP Keep-Alive ACK] ") }
        }
        if ta.dupackNum != 0 {
            if f.contains(.duplicateAck) {
                let n = packet.addGenerated(hf.duplicateAck, .none, parent: flagsNode)
                if packet.buildsFullTree { packet.setLabel(n, "This is a TCP duplicate ack") }
                TCPInfo.prependFenced(info) { c in
                    c.append("[TCP Dup ACK ")
                    c.append(UInt64(ta.dupackFrame))
                    c.append(byte: 0x23) // "#"
                    c.append(UInt64(ta.dupackNum))
                    c.append("] ")
                }
            }
            packet.addGenerated(hf.duplicateAckNum, .uint(UInt64(ta.dupackNum)), parent: tree)
            let frameNode = packet.addGenerated(hf.duplicateAckFrame, .uint(UInt64(ta.dupackFrame)), parent: tree)
            packet.addExpert(ei.duplicateAck, parent: frameNode, message: "Duplicate ACK (#\(ta.dupackNum))")
        }
        if f.contains(.zeroWindowProbe) {
            packet.addExpert(ei.zeroWindowProbe, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP ZeroWindowProbe] ") }
        }
        if f.contains(.zeroWindow) {
            packet.addExpert(ei.zeroWindow, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP ZeroWindow] ") }
        }
        if f.contains(.zeroWindowProbeAck) {
            packet.addExpert(ei.zeroWindowProbeAck, parent: flagsNode)
            TCPInfo.prependFenced(info) { $0.append("[TCP ZeroWindowProbeAck] ") }
        }
    }
}
