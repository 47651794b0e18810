import DissectKit

/// What the header dissection passes to the payload hand-off (computed while the conversation
/// is borrowed, used after it is released so a payload dissector may re-enter TCP, e.g. in a
/// tunnel, without touching a borrowed flow).
struct TCPPayloadPlan {
    var hasPayload = false
    /// Offset of the payload in the TCP view (the header length).
    var offset = 0
    /// Payload length the IP layer announced (may exceed the captured bytes).
    var reportedLength = 0
    /// Sequence numbers of the first payload byte and the byte after it (relative when shown so).
    var seq: UInt32 = 0
    var nxtseq: UInt32 = 0
    var flags: UInt16 = 0
    var analysis: TCPAnalysisFlags = []
    /// tshark's `can_desegment`: complete segment, checksum not known bad, not in an ICMP error.
    var canDesegment = false
    var disposition: TCPPayloadDisposition = .dissect
    var serverPort: UInt16 = 0
    /// Where payload protocols go in the tree: TCP's own parent (the root, or the ICMP error
    /// quoting the segment).
    var parent = TreeNode.root
    /// The conversation's slot, direction and stream, for the direction's pending PDU.
    var slot = -1
    var side = 0
    var stream: UInt32 = 0
}

/// How the hand-off treats a segment's payload (the part of tshark's `desegment_tcp` that does
/// not need reassembly buffers).
enum TCPPayloadDisposition {
    /// Hand it to the payload dissectors.
    case dissect
    /// The first `oldBytes` repeat data already seen: shown as "Retransmitted TCP segment data";
    /// with `tcp.reassemble_out_of_order`, new bytes after them are handed off.
    case retransmitted(oldBytes: Int, handOffRest: Bool)
    /// A spurious retransmission (everything already acknowledged): ignored (tshark issue 10289).
    case spurious
    /// With `tcp.reassemble_out_of_order`: data after a gap, held until the gap is filled.
    case heldOutOfOrder
}

/// The payload hand-off (tshark's `dissect_tcp_payload` → `desegment_tcp` → `decode_tcp_ports`).
///
/// Reassembly design (issue 5), so it can be added here without touching the analysis:
/// * Stream dissectors return `.needMore(n)` when a PDU continues past the segment, after
///   `.consumed(k)` for the PDUs they could dissect (they are called again for the rest).
/// * Each `TCPFlow` will own an optional `TCPReassemblyBuffer`: the sequence number where the
///   pending PDU starts, the bytes collected so far (one growing `[UInt8]`, capped), the
///   sequence number at which it is complete (`start + needed`), and the frames that contributed
///   (for "[Reassembled PDU in frame: N]" and the "Reassembled TCP Segments" tree). Memory is
///   bounded per flow and released with the flow by `ConversationTable`.
/// * A segment whose `seq` falls inside a pending PDU is appended instead of dissected
///   ("[TCP segment of a reassembled PDU]", Protocol "TCP", "TCP segment data (N bytes)"); the one
///   that completes it publishes the buffer as a new data source ("Reassembled TCP") and calls the
///   dissector on it, then on any bytes after the PDU in the same segment.
/// * `maxNextSeq` (already kept for `tcp.reassemble_out_of_order`) is the contiguous edge; that
///   mode adds a per-flow list of held segments sorted by sequence number, drained when the gap fills.
enum TCPPayloadHandoff {
    /// Decides, before the payload dissectors run, whether the segment repeats data already
    /// seen or waits behind a hole, and moves the flow's contiguous edge (`desegment_tcp`).
    static func classify(_ conv: inout TCPConversation, side: Int, _ plan: TCPPayloadPlan, _ s: TCPSettings)
        -> TCPPayloadDisposition
    {
        guard s.reassembleOutOfOrder && s.analyzeSeq else {
            // tshark 4.0 trusts the sequence analysis here.
            if plan.analysis.contains(.spuriousRetransmission) { return .spurious }
            if plan.analysis.contains(.retransmission) {
                return .retransmitted(oldBytes: plan.reportedLength, handOffRest: false)
            }
            return .dissect
        }
        return conv.withFlows(side: side) { fwd, _ -> TCPPayloadDisposition in
            // Reordering mode keeps its own contiguous edge: bytes below it are old, whatever
            // the analysis says; new bytes after them go on.
            if fwd.maxNextSeq != 0 && seqLT(plan.seq, fwd.maxNextSeq) {
                let newStart = seqGT(plan.nxtseq, fwd.maxNextSeq) ? fwd.maxNextSeq : plan.nxtseq
                if newStart != plan.nxtseq { fwd.maxNextSeq = plan.nxtseq }
                return .retransmitted(oldBytes: Int(newStart &- plan.seq), handOffRest: newStart != plan.nxtseq)
            }
            // Data after a hole waits for the hole.
            if fwd.maxNextSeq != 0 && seqLT(fwd.maxNextSeq, plan.seq) { return .heldOutOfOrder }
            fwd.maxNextSeq = plan.nxtseq
            return .dissect
        }
    }
}

extension TCPDissector {
    func handOffPayload(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ plan: TCPPayloadPlan,
                        _ s: TCPSettings)
    {
        let captured = data.count - plan.offset
        // A FIN with data: a PDU that runs until the sender closes ends here (HTTP/1.0 bodies).
        if plan.flags & TCPFlag.fin != 0 { packet.endOfStream = true }
        if plan.flags & TCPFlag.rst != 0 {
            // RFC 9293 §3.5.3: a RST may carry text explaining the reset.
            packet.add(hf.resetCause, data, plan.offset, captured, .string, parent: top)
            return
        }
        let n = packet.add(hf.payload, data, plan.offset, captured, .bytes, parent: top)
        if packet.buildsFullTree {
            let len = plan.reportedLength
            packet.setLabel(n) { b in
                b.append("TCP payload (")
                b.appendDecimal(len)
                b.append(len == 1 ? " byte)" : " bytes)")
            }
        }
        let payload = data.suffix(from: plan.offset)
        guard plan.canDesegment else {
            _ = decodePorts(&packet, payload, plan, s)
            return
        }
        switch plan.disposition {
        case .dissect:
            desegment(&packet, data, top, plan, s)
        case .retransmitted(let old, let rest):
            if s.reassembleOutOfOrder && !rest && addRetransmissionToPDU(&packet, data, top, plan) { return }
            let sd = packet.add(hf.segmentData, data, plan.offset, min(old, captured), .bytes, parent: top)
            if packet.buildsFullTree { packet.setLabel(sd, "Retransmitted TCP segment data (\(plural(old)))") }
            if rest && old < captured { _ = decodePorts(&packet, payload.suffix(from: old), plan, s) }
        case .spurious:
            break
        case .heldOutOfOrder:
            packet.protocolColumn = "TCP"
            if !packet.info.isEmpty { packet.info.append(byte: 0x20) }
            packet.info.append("[TCP segment of a reassembled PDU]")
            let sd = packet.add(hf.segmentData, data, plan.offset, captured, .bytes, parent: top)
            if packet.buildsFullTree { packet.setLabel(sd, "TCP segment data (\(plural(plan.reportedLength)))") }
            holdSegment(plan, payload, frame: packet.frame.number, s)
        }
    }

    /// tshark's `decode_tcp_ports`: keep-alive payload is shown as data; retransmitted and
    /// out-of-order payload is not dissected (`tcp.no_subdissector_on_error`); otherwise the
    /// server port from the handshake, the lower port, the higher port, the heuristics, data.
    /// Returns what the dissector that took the payload still needs, if anything.
    func decodePorts(_ packet: inout PacketContext, _ payload: ByteView, _ plan: TCPPayloadPlan, _ s: TCPSettings)
        -> TCPDesegmentRequest?
    {
        if plan.analysis.contains(.keepAlive) {
            packet.callData(payload, parent: plan.parent)
            return nil
        }
        if s.noSubdissectorOnError && !(s.desegment && s.reassembleOutOfOrder)
            && !plan.analysis.isDisjoint(with: [.retransmission, .outOfOrder])
        {
            return nil
        }
        if s.tryHeuristicFirst, let r = packet.callHeuristics(heuristicTable, payload, parent: plan.parent) {
            return continueHeuristics(r, &packet, payload, plan.parent)
        }
        let sport = UInt32(packet.srcPort), dport = UInt32(packet.dstPort)
        let server = UInt32(plan.serverPort), low = min(sport, dport), high = max(sport, dport)
        if server != 0, let r = packet.call(table: portTable, key: server, payload, parent: plan.parent) {
            return continueAfter(r, &packet, payload, port: server, plan.parent)
        }
        if low != 0 && low != server, let r = packet.call(table: portTable, key: low, payload, parent: plan.parent) {
            return continueAfter(r, &packet, payload, port: low, plan.parent)
        }
        if high != 0 && high != low && high != server,
           let r = packet.call(table: portTable, key: high, payload, parent: plan.parent)
        {
            return continueAfter(r, &packet, payload, port: high, plan.parent)
        }
        if !s.tryHeuristicFirst, let r = packet.callHeuristics(heuristicTable, payload, parent: plan.parent) {
            return continueHeuristics(r, &packet, payload, plan.parent)
        }
        packet.callData(payload, parent: plan.parent)
        return nil
    }

    /// The heuristic counterpart of `continueAfter`: a heuristic dissector that consumed only the
    /// first PDUs (TLS records before one cut by the segment end) is offered the rest again.
    private func continueHeuristics(_ first: DissectResult, _ packet: inout PacketContext, _ payload: ByteView,
                                    _ parent: TreeNode) -> TCPDesegmentRequest? {
        var result = first
        var offset = 0
        while case .consumed(let k) = result, k > 0, offset + k < payload.count {
            offset += k
            guard let r = packet.callHeuristics(heuristicTable, payload.suffix(from: offset), parent: parent) else {
                return nil
            }
            result = r
        }
        return Self.request(result, at: offset)
    }

    private static func request(_ r: DissectResult, at offset: Int) -> TCPDesegmentRequest? {
        if case .needMore(let n) = r { return TCPDesegmentRequest(offset: offset, more: n) }
        return nil
    }

    /// A stream dissector that dissected only the first PDUs is called again for the rest, until
    /// it asks for more than the segment holds. No Info fence between them: tshark's
    /// `tcp_dissect_pdus` loop lets each PDU set the column (DNS over TCP shows the last message);
    /// only a PDU after a *reassembled* one is fenced (`desegment`).
    private func continueAfter(_ first: DissectResult, _ packet: inout PacketContext, _ payload: ByteView,
                               port: UInt32, _ parent: TreeNode) -> TCPDesegmentRequest?
    {
        var result = first
        var offset = 0
        while true {
            switch result {
            case .needMore(let n):
                return TCPDesegmentRequest(offset: offset, more: n)
            case .notMine:
                return nil
            case .consumed(let k):
                // Every round consumes at least one byte, so this ends.
                guard k > 0, offset + k < payload.count else { return nil }
                offset += k
                guard let r = packet.call(table: portTable, key: port, payload.suffix(from: offset), parent: parent) else {
                    return nil
                }
                result = r
            }
        }
    }
}
