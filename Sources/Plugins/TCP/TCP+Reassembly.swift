import DissectKit

/// Bytes every flow together holds for reassembly. PDUs give theirs back when they die, so a
/// flow the table drops (timeout, eviction) returns its share without bookkeeping.
final class TCPReassemblyBudget {
    var buffered = 0
}

/// A PDU that began in an earlier segment of one direction and is not whole yet (tshark's
/// multi-segment PDU). Owned by the direction's `TCPFlow`, so it is freed with the flow.
final class TCPPendingPDU {
    let budget: TCPReassemblyBudget
    /// Sequence number of the PDU's first byte.
    let start: UInt32
    var bytes: [UInt8] = []
    var parts: [ReassembledPart] = []
    /// Length at which the PDU is whole; nil: whatever the next segment brings (tshark's
    /// `DESEGMENT_ONE_MORE_SEGMENT`); `Int.max`: until the sender's FIN.
    var target: Int?

    init(budget: TCPReassemblyBudget, start: UInt32, target: Int?) {
        self.budget = budget
        self.start = start
        self.target = target
    }

    deinit { budget.buffered -= bytes.count }

    /// Sequence number after the last byte held.
    var end: UInt32 { start &+ UInt32(truncatingIfNeeded: bytes.count) }

    /// Set once an out-of-order segment completed the PDU (tshark's defragmented fragment
    /// head): another segment landing in it is a reassembly error.
    var done = false
    private var doneNxtpdu: UInt32 = 0

    /// tshark's `msp->nxtpdu`: the sequence number after the PDU (one byte into the next
    /// segment while it wants "one more segment").
    var nxtpdu: UInt32 {
        if done { return doneNxtpdu }
        guard let t = target else { return end &+ 1 }
        if t == Int.max { return start &+ 0x7fff_ffff }
        return start &+ UInt32(truncatingIfNeeded: t)
    }

    /// Marks the PDU complete; a PDU that took whole segments then ends where `nxtseq` is.
    func finish(nxtseq: UInt32) {
        doneNxtpdu = target == nil ? (seqGT(nxtseq, end) ? nxtseq : end) : nxtpdu
        doneLength = bytes.count
        done = true
    }

    /// Length of the reassembled data (kept when a completed PDU gives its bytes back).
    private(set) var doneLength = 0
    var length: Int { done ? doneLength : bytes.count }

    /// A completed PDU kept only for late segments needs no bytes.
    func releaseBytes() {
        guard done, !bytes.isEmpty else { return }
        budget.buffered -= bytes.count
        bytes = []
    }

    /// Adds a segment that starts at or before `end` (tshark's fragment_add at offset
    /// `seq - start`): bytes past `end` are appended, repeated bytes are listed as an overlap
    /// (conflicting when they differ from the ones kept).
    func addOverlapping(_ v: ByteView, seq: UInt32, frame: UInt32) {
        let offset = Int(seq &- start)
        let old = min(v.count, bytes.count - offset)
        var conflict = false
        for i in 0..<old where bytes[offset + i] != v[unchecked: i] { conflict = true; break }
        parts.append(ReassembledPart(frame: frame, offset: offset, length: v.count, overlap: old > 0,
                                     conflict: conflict))
        if v.count > old {
            bytes.append(contentsOf: v.suffix(from: old).buffer)
            budget.buffered += v.count - old
        }
    }

    /// How many bytes of a segment of `available` bytes belong to the PDU.
    func wanted(from available: Int) -> Int {
        guard let t = target, t != Int.max else { return available }
        return min(available, max(0, t - bytes.count))
    }

    var isWhole: Bool {
        guard let t = target else { return true } // one more segment: whole after each segment
        return t != Int.max && bytes.count >= t
    }

    func append(_ v: ByteView, frame: UInt32) {
        guard v.count > 0 else { return }
        parts.append(ReassembledPart(frame: frame, offset: bytes.count, length: v.count))
        bytes.append(contentsOf: v.buffer)
        budget.buffered += v.count
    }

    /// A piece that repeats bytes the PDU holds (listed with "[Segment overlap: True]").
    func addOverlap(frame: UInt32, seq: UInt32, length: Int) {
        parts.append(ReassembledPart(frame: frame, offset: Int(Int32(bitPattern: seq &- start)), length: length, overlap: true))
    }

    func append(_ b: ArraySlice<UInt8>, frame: UInt32) {
        guard !b.isEmpty else { return }
        parts.append(ReassembledPart(frame: frame, offset: bytes.count, length: b.count))
        bytes.append(contentsOf: b)
        budget.buffered += b.count
    }

    /// The target after the PDU's dissector asked for `more` bytes beyond what it was given.
    static func target(have: Int, more: Int) -> Int? {
        if more <= 0 { return nil }
        if more == Int.max { return Int.max }
        return have + more
    }
}

/// Segments that arrived after a hole, kept (with `tcp.reassemble_out_of_order`) until the hole
/// is filled, in sequence order. Owned by the direction's `TCPFlow`.
final class TCPHeldSegments {
    struct Segment {
        var seq: UInt32
        var frame: UInt32
        var bytes: [UInt8]
        /// Set on a drained segment that brought no new byte (its `bytes` are the old ones).
        var overlap = false
    }
    let budget: TCPReassemblyBudget
    var items: [Segment] = []
    var count = 0

    init(budget: TCPReassemblyBudget) { self.budget = budget }
    deinit { budget.buffered -= count }

    func insert(seq: UInt32, frame: UInt32, _ v: ByteView) {
        guard v.count > 0 else { return }
        // Equal sequence numbers keep arrival order (a repeat lists as an overlap).
        let at = items.firstIndex { seqGT($0.seq, seq) } ?? items.count
        items.insert(Segment(seq: seq, frame: frame, bytes: v.copyBytes()), at: at)
        count += v.count
        budget.buffered += v.count
    }

    /// Takes out the held segments that continue the stream from `edge` without a hole (bytes
    /// before `edge` trimmed), in order.
    func drain(from edge: UInt32) -> [Segment] {
        var out: [Segment] = []
        var e = edge
        while let first = items.first, seqLE(first.seq, e) {
            items.removeFirst()
            count -= first.bytes.count
            budget.buffered -= first.bytes.count
            let end = first.seq &+ UInt32(truncatingIfNeeded: first.bytes.count)
            guard seqGT(end, e) else {
                var repeatSegment = first
                repeatSegment.overlap = true
                out.append(repeatSegment)
                continue
            }
            let skip = Int(e &- first.seq)
            out.append(Segment(seq: e, frame: first.frame, bytes: Array(first.bytes[skip...])))
            e = end
        }
        return out
    }
}

/// What the payload dissectors asked for: the PDU starting `offset` bytes into what they were
/// given needs `more` bytes (≤ 0: one more segment; `Int.max`: until FIN).
struct TCPDesegmentRequest {
    var offset: Int
    var more: Int
}

extension TCPDissector {
    /// tshark's `desegment_tcp` for a segment in sequence: continues the direction's pending PDU
    /// or dissects the payload, keeping what the dissectors could not finish for later segments.
    func desegment(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ plan: TCPPayloadPlan,
                   _ s: TCPSettings) {
        var view = data.suffix(from: plan.offset)
        var seq = plan.seq
        var at = plan.offset // where `view` starts in `data`
        let infoMark = packet.info.bytes.count
        let frame = packet.frame.number
        let fin = plan.flags & TCPFlag.fin != 0
        // Second pass of `-2`: this segment's data belongs to a PDU completed in a later frame.
        if let later = packet.annotation(hf.reassembledIn), later != UInt64(frame) {
            packet.addGenerated(hf.reassembledIn, .uint(later), parent: top)
        }

        // With `tcp.reassemble_out_of_order`, a segment that fills a hole is dissected together
        // with the segments held behind it.
        if s.reassembleOutOfOrder, let held = heldSegments(plan), !held.items.isEmpty {
            let drained = held.drain(from: plan.nxtseq)
            if !drained.isEmpty {
                let pending = pendingPDU(plan)
                let pdu = pending.flatMap { $0.end == seq ? $0 : nil }
                    ?? TCPPendingPDU(budget: budget, start: seq, target: nil)
                pdu.append(view, frame: frame)
                var edge = plan.nxtseq
                for d in drained {
                    if d.overlap {
                        pdu.addOverlap(frame: d.frame, seq: d.seq, length: d.bytes.count)
                    } else {
                        pdu.append(d.bytes[...], frame: d.frame)
                        edge = d.seq &+ UInt32(truncatingIfNeeded: d.bytes.count)
                    }
                }
                pdu.target = pdu.bytes.count
                flows.withState(plan.slot) { c in c.withFlows(side: plan.side) { fwd, _ in fwd.maxNextSeq = edge } }
                let sd = packet.add(hf.segmentData, data, at, view.count, .bytes, parent: top)
                if packet.buildsFullTree { packet.setLabel(sd, "TCP segment data (\(plural(view.count)))") }
                _ = dissectPDU(&packet, pdu, plan, s, infoMark)
                return
            }
        }

        if !s.reassembleOutOfOrder && plan.analysis.contains(.outOfOrder)
            && addOutOfOrderToPDU(&packet, data, top, view, at: at, seq: seq, plan, s, infoMark) {
            return
        }

        if let pdu = pendingPDU(plan) {
            var keep = true
            if seq != pdu.end {
                if seqLT(seq, pdu.end) && seqLT(seq, pdu.start) && plan.analysis.contains(.outOfOrder) {
                    // Out of order and starting before the PDU: tshark finds no PDU for it and
                    // hands it on (where it is not dissected, being out of order).
                    _ = decodePorts(&packet, view, plan, s)
                    return
                } else if seqLT(seq, pdu.end) {
                    // The segment repeats bytes already held (a retransmission the analysis did
                    // not flag): only the new bytes count.
                    let old = Int(pdu.end &- seq)
                    if old >= view.count {
                        let sd = packet.add(hf.segmentData, data, at, view.count, .bytes, parent: top)
                        if packet.buildsFullTree { packet.setLabel(sd, "Retransmitted TCP segment data (\(plural(view.count)))") }
                        return
                    }
                    view = view.suffix(from: old)
                    seq = pdu.end
                    at += old
                } else if !s.reassembleOutOfOrder && seqGE(seq, pdu.nxtpdu) {
                    // The segment starts after the PDU's end: tshark leaves the PDU waiting
                    // for its missing bytes (an out-of-order segment may still bring them) and
                    // dissects this one on its own.
                    retire(plan, pdu)
                    setPendingPDU(plan, nil)
                    keep = false
                } else {
                    // Bytes before this segment were never seen: the PDU cannot be completed.
                    let lost = Int(seq &- pdu.end)
                    packet.addExpert(ei.reassemblyGap, parent: top,
                                     message: "Reassembly of the PDU starting in frame \(pdu.parts.first?.frame ?? 0) stopped: \(plural(lost)) missing before this segment")
                    setPendingPDU(plan, nil)
                    keep = false
                }
            }
            if keep {
                let want = pdu.wanted(from: view.count)
                if pdu.bytes.count + want > s.maxPDU || pdu.budget.buffered + want > s.maxBuffered {
                    packet.addExpert(ei.reassemblyLimit, parent: top,
                                     message: "PDU starting in frame \(pdu.parts.first?.frame ?? 0) dropped: it exceeds the reassembly limits (tcp.reassembly_max_pdu, tcp.reassembly_max_buffered)")
                    setPendingPDU(plan, nil)
                } else {
                    pdu.append(view.prefix(want), frame: frame)
                    let sd = packet.add(hf.segmentData, data, at, want, .bytes, parent: top)
                    if packet.buildsFullTree { packet.setLabel(sd, "TCP segment data (\(plural(want)))") }
                    let whole = pdu.isWhole || (fin && pdu.target == Int.max && want == view.count)
                    guard whole else {
                        markSegmentOfPDU(&packet, infoMark)
                        return
                    }
                    let stillPending = dissectPDU(&packet, pdu, plan, s, infoMark)
                    view = view.suffix(from: want)
                    seq &+= UInt32(truncatingIfNeeded: want)
                    at += want
                    if stillPending {
                        // The dissector wants more than it asked for: the rest of the segment
                        // goes to the PDU as well.
                        if !view.isEmpty, pdu.bytes.count + view.count <= s.maxPDU {
                            pdu.append(view, frame: frame)
                        }
                        return
                    }
                    if view.isEmpty { return }
                    // Another PDU follows in this segment (tshark fences the Info column and keeps
                    // the Protocol column of the reassembled PDU).
                    packet.info.setFence()
                    let proto = packet.protocolColumn
                    defer { packet.protocolColumn = proto }
                    dissectFresh(&packet, data, top, view, at: at, seq: seq, plan, s, infoMark: packet.info.bytes.count,
                                 afterPDU: true)
                    return
                }
            }
        }
        dissectFresh(&packet, data, top, view, at: at, seq: seq, plan, s, infoMark: infoMark)
    }

    /// Hands `view` (payload not part of a pending PDU) to the dissectors; what they leave
    /// unfinished becomes the direction's pending PDU.
    private func dissectFresh(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ view: ByteView, at: Int,
                              seq: UInt32, _ plan: TCPPayloadPlan, _ s: TCPSettings, infoMark: Int,
                              afterPDU: Bool = false) {
        let marks = (packet.tree.records.count, packet.layers.count)
        guard let req = decodePorts(&packet, view, plan, s) else { return }
        if req.offset == 0 { hideSpeculativeDissection(&packet, marks) }
        let rest = view.count - req.offset
        guard rest > 0 else { return }
        let pdu = TCPPendingPDU(budget: budget, start: seq &+ UInt32(truncatingIfNeeded: req.offset),
                                target: TCPPendingPDU.target(have: rest, more: req.more))
        if let t = pdu.target, t != Int.max, t > s.maxPDU || budget.buffered + rest > s.maxBuffered {
            packet.addExpert(ei.reassemblyLimit, parent: top,
                             message: "PDU of \(t) bytes not reassembled: it exceeds the reassembly limits (tcp.reassembly_max_pdu, tcp.reassembly_max_buffered)")
            return
        }
        pdu.append(view.suffix(from: req.offset), frame: packet.frame.number)
        setPendingPDU(plan, pdu)
        // After a reassembled PDU the frame keeps that PDU's columns (tshark marks only a segment
        // whose first byte starts the unfinished PDU: TLS records after a reassembled one).
        if req.offset == 0 && !afterPDU { markSegmentOfPDU(&packet, infoMark) }
        let sd = packet.add(hf.segmentData, data, at + req.offset, rest, .bytes, parent: top)
        if packet.buildsFullTree { packet.setLabel(sd, "TCP segment data (\(plural(rest)))") }
    }

    /// Dissects a PDU that is whole (as far as its target says). Returns true when the
    /// dissector asked for more from its very start, so the PDU stays pending.
    private func dissectPDU(_ packet: inout PacketContext, _ pdu: TCPPendingPDU, _ plan: TCPPayloadPlan,
                            _ s: TCPSettings, _ infoMark: Int) -> Bool {
        // The source shares the PDU's storage: by the next packet the source is gone again, so
        // appending to a PDU still pending does not copy it.
        let sourceMark = packet.sources.extra.count
        let view = packet.addDataSource("Reassembled TCP", pdu.bytes)
        let recordMark = packet.tree.records.count
        let marks = (recordMark, packet.layers.count)
        if let req = decodePorts(&packet, view, plan, s) {
            if req.offset == 0 {
                pdu.target = TCPPendingPDU.target(have: pdu.bytes.count, more: req.more)
                if hideSpeculativeDissection(&packet, marks) { packet.sources.extra.removeSubrange(sourceMark...) }
                markSegmentOfPDU(&packet, infoMark)
                return true
            }
            // The first PDUs were whole; the rest starts the next pending PDU.
            let rest = view.suffix(from: req.offset)
            let next = TCPPendingPDU(budget: budget, start: pdu.start &+ UInt32(truncatingIfNeeded: req.offset),
                                     target: TCPPendingPDU.target(have: rest.count, more: req.more))
            next.append(rest, frame: packet.frame.number)
            setPendingPDU(plan, next)
        } else {
            setPendingPDU(plan, nil)
        }
        // "[N Reassembled TCP Segments]" goes right after TCP, before what the PDU's
        // dissector added (tshark adds it afterwards and moves it there).
        let treeMark = packet.tree.records.count
        packet.addReassembly(hf.reassembly, parts: pdu.parts, view, parent: plan.parent)
        packet.tree.moveTail(from: treeMark, to: recordMark)
        // tshark keeps the completed PDU: a late out-of-order copy of its bytes is then a
        // retransmission (same start) or a reassembly error.
        if !s.reassembleOutOfOrder {
            pdu.finish(nxtseq: plan.nxtseq)
            retire(plan, pdu)
        }
        // For `-2`: the earlier segments learn where their PDU was reassembled.
        let frame = packet.frame.number
        for p in pdu.parts where p.frame != frame { packet.annotate(frame: p.frame, hf.reassembledIn, UInt64(frame)) }
        return false
    }

    /// In the second pass of `-2`, a segment of a PDU reassembled later shows only as such:
    /// what its dissector added while finding the PDU incomplete (IMAP's empty item) goes, as
    /// tshark does not call the dissector for it then. Returns true when it removed records.
    @discardableResult
    private func hideSpeculativeDissection(_ packet: inout PacketContext, _ marks: (records: Int, layers: Int)) -> Bool {
        guard let later = packet.annotation(hf.reassembledIn), later != UInt64(packet.frame.number) else { return false }
        if packet.tree.records.count > marks.records { packet.tree.records.removeSubrange(marks.records...) }
        packet.layers.truncate(marks.layers)
        return true
    }

    /// With `tcp.reassemble_out_of_order`, a retransmission of bytes a pending PDU holds is
    /// listed in the PDU as an overlap and marked as a segment of it (tshark adds it to the PDU).
    /// Returns false when the segment is not inside the direction's pending PDU.
    func addRetransmissionToPDU(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                                _ plan: TCPPayloadPlan) -> Bool {
        guard let pdu = pendingPDU(plan), seqGE(plan.seq, pdu.start), seqLE(plan.nxtseq, pdu.end) else { return false }
        let infoMark = packet.info.bytes.count
        let n = data.count - plan.offset
        pdu.addOverlap(frame: packet.frame.number, seq: plan.seq, length: n)
        let sd = packet.add(hf.segmentData, data, plan.offset, n, .bytes, parent: top)
        if packet.buildsFullTree { packet.setLabel(sd, "TCP segment data (\(plural(n)))") }
        markSegmentOfPDU(&packet, infoMark)
        return true
    }

    /// tshark 4.0 without `tcp.reassemble_out_of_order`: an out-of-order segment that falls
    /// inside a PDU still being gathered (the pending one, or one left behind by a hole) is
    /// added to it at its place; when that completes the PDU, "[N Reassembled TCP Segments]"
    /// is shown but the PDU is not dissected (`tcp.no_subdissector_on_error`), and overlapping
    /// bytes that differ make the Info "[Illegal Segments]". A segment landing in a PDU
    /// completed so is tshark's "[Reassembly error, protocol TCP: New fragment overlaps old
    /// data (retransmission?)]". Returns false when no kept PDU takes the segment.
    private func addOutOfOrderToPDU(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ view: ByteView,
                                    at: Int, seq: UInt32, _ plan: TCPPayloadPlan, _ s: TCPSettings,
                                    _ infoMark: Int) -> Bool {
        // tshark's lookup: the PDU that starts last at or before `seq` (the pending one first
        // when it starts at `seq`), taken when `seq` is before its end.
        var found: (pdu: TCPPendingPDU, pending: Bool)? = nil
        if let p = pendingPDU(plan), seqLE(p.start, seq) { found = (p, true) }
        for r in retiredPDUs(plan) where seqLE(r.start, seq) {
            if let f = found, seqGE(f.pdu.start, r.start) { continue }
            found = (r, false)
        }
        guard let (pdu, isPending) = found, seqLT(seq, pdu.nxtpdu) else { return false }
        let nxtseq = seq &+ UInt32(truncatingIfNeeded: view.count)
        if pdu.start == seq && seqLE(nxtseq, pdu.nxtpdu) {
            // tshark: a segment starting where a PDU starts, inside it, was seen before.
            let sd = packet.add(hf.segmentData, data, at, view.count, .bytes, parent: top)
            if packet.buildsFullTree { packet.setLabel(sd, "Retransmitted TCP segment data (\(plural(view.count)))") }
            return true
        }
        if pdu.done {
            let offset = Int(seq &- pdu.start)
            markReassemblyError(&packet, data, offset >= pdu.length
                                ? "New fragment past old data limits" : "New fragment overlaps old data (retransmission?)")
            return true
        }
        // A segment after a hole inside the PDU would leave a gap: not modelled, handled as before.
        guard seqLE(seq, pdu.end), !view.isEmpty else { return false }
        let len = pdu.target == nil ? view.count : min(view.count, Int(pdu.nxtpdu &- seq))
        pdu.addOverlapping(view.prefix(len), seq: seq, frame: packet.frame.number)
        let sd = packet.add(hf.segmentData, data, at, len, .bytes, parent: top)
        if packet.buildsFullTree { packet.setLabel(sd, "TCP segment data (\(plural(len)))") }
        guard pdu.isWhole else {
            markSegmentOfPDU(&packet, infoMark)
            return true
        }
        pdu.finish(nxtseq: nxtseq)
        let reassembled = packet.addDataSource("Reassembled TCP", pdu.bytes)
        packet.addReassembly(hf.reassembly, parts: pdu.parts, reassembled, parent: plan.parent)
        if isPending {
            setPendingPDU(plan, nil)
            retire(plan, pdu)
        } else {
            pdu.releaseBytes()
        }
        if pdu.parts.contains(where: \.conflict) {
            // show_fragment_tree replaces the Info after TCP's fence with "[Illegal Segments]".
            let keepBytes = min(packet.info.fence, packet.info.bytes.count)
            packet.info.bytes.removeSubrange(keepBytes...)
            packet.info.append("[Illegal Segments]")
        }
        return true
    }

    /// tshark's show_exception for ReassemblyError: "[Reassembly error, protocol TCP: …]".
    private func markReassemblyError(_ packet: inout PacketContext, _ data: ByteView, _ message: String) {
        guard hf.malformedProto != .textOnly else { return }
        packet.layers.push(hf.malformedProto)
        let node = packet.add(hf.malformedProto, data, 0, 0, .none, parent: .root)
        if packet.buildsFullTree { packet.setLabel(node, "[Reassembly error, protocol TCP: " + message + "]") }
        packet.addExpert(ei.malformedReassembly, parent: node.isNone ? .root : node, message: message)
        packet.info.append("[Reassembly error, protocol TCP: ")
        packet.info.append(message)
        packet.info.append("]")
    }

    /// tshark's marking of a segment whose payload only starts (or continues) a PDU.
    private func markSegmentOfPDU(_ packet: inout PacketContext, _ infoMark: Int) {
        packet.protocolColumn = "TCP"
        if packet.info.bytes.count > infoMark { packet.info.bytes.removeSubrange(infoMark...) }
        if packet.info.fence > packet.info.bytes.count { packet.info.fence = packet.info.bytes.count }
        if !packet.info.isEmpty { packet.info.append(byte: 0x20) }
        packet.info.append("[TCP segment of a reassembled PDU]")
    }

    /// A FIN without payload ends a PDU that runs until FIN.
    func finishAtFIN(_ packet: inout PacketContext, _ plan: TCPPayloadPlan, _ s: TCPSettings) {
        guard let pdu = pendingPDU(plan), pdu.target == Int.max, !pdu.bytes.isEmpty else { return }
        pdu.target = pdu.bytes.count
        packet.endOfStream = true
        _ = dissectPDU(&packet, pdu, plan, s, packet.info.bytes.count)
    }

    // MARK: per-direction storage

    // The slot is checked against the stream: a payload dissector may have re-entered TCP
    // (a tunnel) and the table may have reused the slot meanwhile.
    func pendingPDU(_ plan: TCPPayloadPlan) -> TCPPendingPDU? {
        guard plan.slot >= 0 else { return nil }
        return flows.withState(plan.slot) { c -> TCPPendingPDU? in
            guard c.stream == plan.stream else { return nil }
            return plan.side == 0 ? c.flow1.pending : c.flow2.pending
        }
    }

    func heldSegments(_ plan: TCPPayloadPlan) -> TCPHeldSegments? {
        guard plan.slot >= 0 else { return nil }
        return flows.withState(plan.slot) { c -> TCPHeldSegments? in
            guard c.stream == plan.stream else { return nil }
            return plan.side == 0 ? c.flow1.held : c.flow2.held
        }
    }

    /// Keeps a segment that arrived after a hole until the hole is filled.
    func holdSegment(_ plan: TCPPayloadPlan, _ payload: ByteView, frame: UInt32, _ s: TCPSettings) {
        guard plan.slot >= 0, budget.buffered + payload.count <= s.maxBuffered else { return }
        let held = heldSegments(plan) ?? {
            let h = TCPHeldSegments(budget: budget)
            flows.withState(plan.slot) { c in
                if plan.side == 0 { c.flow1.held = h } else { c.flow2.held = h }
            }
            return h
        }()
        held.insert(seq: plan.seq, frame: frame, payload)
    }

    /// Keeps `pdu` for late segments (the last four per direction).
    func retire(_ plan: TCPPayloadPlan, _ pdu: TCPPendingPDU) {
        guard plan.slot >= 0 else { return }
        flows.withState(plan.slot) { c in
            guard c.stream == plan.stream else { return }
            c.withFlows(side: plan.side) { fwd, _ in
                if fwd.retired.count >= 4 { fwd.retired.removeFirst() }
                fwd.retired.append(pdu)
            }
            pdu.releaseBytes()
        }
    }

    func retiredPDUs(_ plan: TCPPayloadPlan) -> [TCPPendingPDU] {
        guard plan.slot >= 0 else { return [] }
        return flows.withState(plan.slot) { c -> [TCPPendingPDU] in
            guard c.stream == plan.stream else { return [] }
            return plan.side == 0 ? c.flow1.retired : c.flow2.retired
        }
    }

    func setPendingPDU(_ plan: TCPPayloadPlan, _ pdu: TCPPendingPDU?) {
        guard plan.slot >= 0 else { return }
        flows.withState(plan.slot) { c in
            guard c.stream == plan.stream else { return }
            if plan.side == 0 { c.flow1.pending = pdu } else { c.flow2.pending = pdu }
        }
    }

    func plural(_ n: Int) -> String { n == 1 ? "1 byte" : "\(n) bytes" }
}
