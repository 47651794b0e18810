import DissectKit

/// The Stream Control Transmission Protocol (RFC 9260) on IP protocol 132: the common header and
/// its chunks (INIT, INIT_ACK, DATA, SACK, HEARTBEAT, ABORT, SHUTDOWN, ERROR, COOKIE_ECHO/ACK…).
/// As tshark 4.0 does by default, the CRC32c checksum is shown unverified.
public enum SCTPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = SCTPDissector(r)
        r.table("ip.proto", uiName: "IP protocol").add(132, r.handle(d.hf.proto, d))
        r.onReset {
            d.tsnBases.removeAll(keepingCapacity: true)
            d.peerTags.removeAll(keepingCapacity: true)
        }
    }
}

final class SCTPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var srcPort = FieldID.textOnly, dstPort = FieldID.textOnly, port = FieldID.textOnly
        var vtag = FieldID.textOnly, checksum = FieldID.textOnly, checksumStatus = FieldID.textOnly
        var chunkType = FieldID.textOnly, chunkFlags = FieldID.textOnly, chunkLength = FieldID.textOnly
        var chunkPadding = FieldID.textOnly, chunkValue = FieldID.textOnly
        var initTag = FieldID.textOnly, initCredit = FieldID.textOnly, initOut = FieldID.textOnly
        var initIn = FieldID.textOnly, initTSN = FieldID.textOnly
        var ackTag = FieldID.textOnly, ackCredit = FieldID.textOnly, ackOut = FieldID.textOnly
        var ackIn = FieldID.textOnly, ackTSN = FieldID.textOnly
        var tsn = FieldID.textOnly, tsnRaw = FieldID.textOnly, sid = FieldID.textOnly, ssn = FieldID.textOnly
        var ppid = FieldID.textOnly
        var cookie = FieldID.textOnly
        var sackAck = FieldID.textOnly, sackAckRaw = FieldID.textOnly, sackRwnd = FieldID.textOnly
        var sackGaps = FieldID.textOnly, sackDups = FieldID.textOnly, gapStart = FieldID.textOnly
        var gapStartTSN = FieldID.textOnly, gapEnd = FieldID.textOnly, gapEndTSN = FieldID.textOnly
        var gapAcked = FieldID.textOnly, dupTSN = FieldID.textOnly
        var shutdownAck = FieldID.textOnly
        var paramType = FieldID.textOnly, paramLength = FieldID.textOnly, paramValue = FieldID.textOnly
        var paramPadding = FieldID.textOnly, ipv4 = FieldID.textOnly, ipv6 = FieldID.textOnly
        var heartbeat = FieldID.textOnly, stateCookie = FieldID.textOnly, cookieIncrement = FieldID.textOnly
        var hostname = FieldID.textOnly, addressType = FieldID.textOnly, supportedChunk = FieldID.textOnly
        var causeCode = FieldID.textOnly, causeLength = FieldID.textOnly, causeInfo = FieldID.textOnly
        var causePadding = FieldID.textOnly, causeSID = FieldID.textOnly, causeReserved = FieldID.textOnly
        var eiChunkLength = FieldID.textOnly, eiParamPadding = FieldID.textOnly
    }
    var hf = Fields()
    private var chunkTypeBits: [FieldID] = []
    private var paramTypeBits: [FieldID] = []
    private var dataFlagBits: [FieldID] = []
    private var tBit: [FieldID] = []
    private var abortTBit: [FieldID] = []
    private var sackFlagBits: [FieldID] = []
    private var ppiTable: DissectorTable!
    private var portTable: DissectorTable!
    /// Chunk and parameter type names (tshark's value strings).
    private var chunkNames: [UInt8: String] = [:]
    private var paramNames: [UInt16: String] = [:]
    private var causeNames: [UInt16: String] = [:]

    /// The first TSN seen per direction (source port, destination port, verification tag): the
    /// base of tshark's relative TSNs.
    struct Direction: Hashable { var src: UInt16; var dst: UInt16; var vtag: UInt32 }
    var tsnBases: [Direction: UInt32] = [:]
    /// Verification tags paired by INIT_ACK (each side's tag → the other's), so a SACK finds the
    /// TSNs it acknowledges: they were sent with the peer's tag.
    var peerTags: [UInt32: UInt32] = [:]
    static let maxDirections = 65536

    static let commonHeaderLength = 12

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Stream Control Transmission Protocol", shortName: "SCTP", abbrev: "sctp")
        hf.proto = p
        func f(_ a: String) -> FieldID { SCTPFieldCatalog.field(r, "sctp." + a, in: p) }
        hf.srcPort = f("srcport"); hf.dstPort = f("dstport"); hf.port = f("port")
        hf.vtag = f("verification_tag"); hf.checksum = f("checksum"); hf.checksumStatus = f("checksum.status")
        hf.chunkType = f("chunk_type"); hf.chunkFlags = f("chunk_flags"); hf.chunkLength = f("chunk_length")
        chunkTypeBits = [f("chunk_bit_1"), f("chunk_bit_2")]
        hf.chunkPadding = f("chunk_padding"); hf.chunkValue = f("chunk_value")
        hf.initTag = f("initiate_tag"); hf.initCredit = f("init_credit"); hf.initOut = f("init_nr_out_streams")
        hf.initIn = f("init_nr_in_streams"); hf.initTSN = f("init_initial_tsn")
        hf.ackTag = f("initack_initiate_tag"); hf.ackCredit = f("initack_credit")
        hf.ackOut = f("initack_nr_out_streams"); hf.ackIn = f("initack_nr_in_streams")
        hf.ackTSN = f("initack_initial_tsn")
        hf.tsn = f("data_tsn"); hf.tsnRaw = f("data_tsn_raw"); hf.sid = f("data_sid"); hf.ssn = f("data_ssn")
        hf.ppid = f("data_payload_proto_id")
        dataFlagBits = [f("data_i_bit"), f("data_u_bit"), f("data_b_bit"), f("data_e_bit")]
        hf.cookie = f("cookie")
        sackFlagBits = [f("sack_nounce_sum")]
        hf.sackAck = f("sack_cumulative_tsn_ack"); hf.sackAckRaw = f("sack_cumulative_tsn_ack_raw")
        hf.sackRwnd = f("sack_a_rwnd"); hf.sackGaps = f("sack_number_of_gap_blocks")
        hf.sackDups = f("sack_number_of_duplicated_tsns"); hf.gapStart = f("sack_gap_block_start")
        hf.gapStartTSN = f("sack_gap_block_start_tsn"); hf.gapEnd = f("sack_gap_block_end")
        hf.gapEndTSN = f("sack_gap_block_end_tsn"); hf.gapAcked = f("sack_number_of_tsns_gap_acked")
        hf.dupTSN = f("sack_duplicate_tsn")
        hf.shutdownAck = f("shutdown_cumulative_tsn_ack")
        tBit = [f("shutdown_complete_t_bit")]
        abortTBit = [f("abort_t_bit")]
        hf.paramType = f("parameter_type"); hf.paramLength = f("parameter_length")
        paramTypeBits = [f("parameter_bit_1"), f("parameter_bit_2")]
        hf.paramValue = f("parameter_value"); hf.paramPadding = f("parameter_padding")
        hf.ipv4 = f("parameter_ipv4_address"); hf.ipv6 = f("parameter_ipv6_address")
        hf.heartbeat = f("parameter_heartbeat_information"); hf.stateCookie = f("parameter_state_cookie")
        hf.cookieIncrement = f("parameter_cookie_preservative_incr"); hf.hostname = f("parameter_hostname")
        hf.addressType = f("parameter_supported_address_type"); hf.supportedChunk = f("supported_chunk_type")
        hf.causeCode = f("cause_code"); hf.causeLength = f("cause_length"); hf.causeInfo = f("cause_information")
        hf.causePadding = f("cause_padding"); hf.causeSID = f("cause_stream_identifier")
        hf.causeReserved = f("cause_reserved")
        hf.eiChunkLength = r.expert("sctp.chunk_length.bad", "Indicated chunk length is bad", .error, .malformed,
                                    in: p)
        hf.eiParamPadding = r.expert("sctp.parameter_padding.expert",
                                     "The padding of this final parameter should be the padding of the chunk.",
                                     .note, .malformed, in: p)
        SCTPFieldCatalog.registerAll(r, ["sctp": p])
        ppiTable = r.table("sctp.ppi", uiName: "SCTP payload protocol identifier")
        portTable = r.table("sctp.port", uiName: "SCTP port")
        if case .values(let d)? = SCTPFieldCatalog.strings["sctp.chunk_type"] {
            for (k, v) in d { chunkNames[UInt8(truncatingIfNeeded: k)] = v }
        }
        if case .values(let d)? = SCTPFieldCatalog.strings["sctp.parameter_type"] {
            for (k, v) in d { paramNames[UInt16(truncatingIfNeeded: k)] = v }
        }
        if case .values(let d)? = SCTPFieldCatalog.strings["sctp.cause_code"] {
            for (k, v) in d { causeNames[UInt16(truncatingIfNeeded: k)] = v }
        }
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "SCTP"
        packet.info.clear()
        // The layer counts before anything is read (tshark adds it when it calls the dissector).
        packet.layers.push(hf.proto)
        let src = try data.u16(0), dst = try data.u16(2)
        let vtag = try data.u32(4)
        let checksum = try data.u32(8)
        packet.srcPort = UInt32(src)
        packet.dstPort = UInt32(dst)
        let top = packet.add(hf.proto, data, 0, data.count, .none, parent: parent)
        if packet.buildsFullTree {
            packet.setLabel(top, "Stream Control Transmission Protocol, Src Port: \(src) (\(src)), Dst Port: \(dst) (\(dst))")
        }
        packet.add(hf.srcPort, data, 0, 2, .uint(UInt64(src)), parent: top)
        packet.add(hf.dstPort, data, 2, 2, .uint(UInt64(dst)), parent: top)
        packet.add(hf.port, data, 0, 2, .uint(UInt64(src)), parent: top, flags: .hidden)
        packet.add(hf.port, data, 2, 2, .uint(UInt64(dst)), parent: top, flags: .hidden)
        packet.add(hf.vtag, data, 4, 4, .uint(UInt64(vtag)), parent: top)
        let associationMark = packet.tree.records.count
        let ck = packet.add(hf.checksum, data, 8, 4, .uint(UInt64(checksum)), parent: top)
        packet.appendLabel(ck, " [unverified]")
        packet.addGenerated(hf.checksumStatus, .uint(2), parent: top)

        var offset = Self.commonHeaderLength
        var chunkParent = top
        let dir = Direction(src: src, dst: dst, vtag: vtag)
        while offset < data.count {
            let (next, handedOff) = try chunk(&packet, data, offset, chunkParent, dir)
            offset = next
            // tshark dissects a DATA chunk's payload at the top of the tree, so the chunks after
            // it go under a new protocol item (which is not a new layer of frame.protocols).
            if handedOff, offset < data.count {
                chunkParent = packet.add(hf.proto, data, offset, data.count - offset, .none, parent: parent)
            }
        }
        // tshark adds this line after the chunks (a malformed chunk leaves it out) but shows it
        // after the verification tag.
        let mark = packet.tree.records.count
        let line = packet.addText("Association index: disabled (enable in preferences)", data, 0, 0, parent: top,
                                  generated: true)
        if !line.isNone { packet.tree.moveTail(from: mark, to: associationMark) }
        return .consumed(data.count)
    }

    private func chunkName(_ type: UInt8) -> String { chunkNames[type] ?? "RESERVED" }

    /// One chunk; returns the offset after it (with its padding) and whether a payload went to
    /// the top of the tree.
    private func chunk(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ parent: TreeNode,
                       _ dir: Direction) throws(Malformed) -> (Int, Bool) {
        let type = try data.u8(offset)
        let flags = try data.u8(offset + 1)
        let length = Int(try data.u16(offset + 2))
        let remaining = data.count - offset
        let full = packet.buildsFullTree
        let name = chunkName(type)
        let padded = (length + 3) & ~3
        let minimum = Self.minimumLength(type)
        // Info: the chunk name and a space; DATA adds its relative TSN.
        packet.info.append(name)
        let node = packet.addText("\(name) chunk", data, offset, min(max(padded, 4), remaining), parent: parent)
        let c = node.isNone ? parent : node
        // The type's two high bits say what to do with an unknown chunk (RFC 9260 §3.2); tshark
        // shows them under the type without naming them on its line.
        let typeItem = packet.add(hf.chunkType, data, offset, 1, .uint(UInt64(type)), parent: c)
        addFlagBits(&packet, data, offset, type, chunkTypeBits, typeItem)
        let flagsItem = packet.add(hf.chunkFlags, data, offset + 1, 1, .uint(UInt64(flags)), parent: c)
        let lengthItem = packet.add(hf.chunkLength, data, offset + 2, 2, .uint(UInt64(length)), parent: c)
        if length > remaining {
            packet.info.append(" ")
            if full { packet.setLabel(node, "\(name) chunk") }
            packet.addExpert(hf.eiChunkLength, parent: lengthItem, data, offset + 2, 2,
                             message: "Chunk length (\(length)) is longer than remaining data (\(remaining)) in the packet.")
            throw Malformed()
        }
        if length < minimum {
            packet.info.append(" ")
            if full { packet.setLabel(node, "\(name) chunk, bogus chunk length \(length) < \(minimum))") }
            let end = min(padded, remaining)
            if end > max(length, 4) {
                packet.add(hf.chunkPadding, data, offset + max(length, 4), end - max(length, 4), .bytes, parent: c)
            }
            return (offset + max(end, 4), false)
        }
        var handedOff = false
        let body = offset + 4
        let bodyEnd = offset + length
        switch type {
        case 0:
            handedOff = try dataChunk(&packet, data, offset, length, flags, flagsItem, node, c, dir)
        case 1, 2:
            let tag = try data.u32(body), credit = try data.u32(body + 4)
            let out = try data.u16(body + 8), inn = try data.u16(body + 10), tsn = try data.u32(body + 12)
            let ids = type == 1 ? [hf.initTag, hf.initCredit, hf.initOut, hf.initIn, hf.initTSN]
                                : [hf.ackTag, hf.ackCredit, hf.ackOut, hf.ackIn, hf.ackTSN]
            if full { packet.setLabel(node, "\(name) chunk (Outbound streams: \(out), inbound streams: \(inn))") }
            packet.add(ids[0], data, body, 4, .uint(UInt64(tag)), parent: c)
            packet.add(ids[1], data, body + 4, 4, .uint(UInt64(credit)), parent: c)
            packet.add(ids[2], data, body + 8, 2, .uint(UInt64(out)), parent: c)
            packet.add(ids[3], data, body + 10, 2, .uint(UInt64(inn)), parent: c)
            packet.add(ids[4], data, body + 12, 4, .uint(UInt64(tsn)), parent: c)
            if type == 2 && !packet.inErrorPacket {
                if peerTags.count >= Self.maxDirections { peerTags.removeAll(keepingCapacity: true) }
                peerTags[dir.vtag] = tag
                peerTags[tag] = dir.vtag
            }
            try parameters(&packet, data, body + 16, bodyEnd, c)
        case 3:
            try sack(&packet, data, offset, length, flags, flagsItem, node, c, dir)
        case 4, 5:
            if full { packet.setLabel(node, "\(name) chunk (Information: \(length - 4) bytes)") }
            try parameters(&packet, data, body, bodyEnd, c)
        case 6, 9:
            if type == 6 { addFlagBits(&packet, data, offset + 1, flags, abortTBit, flagsItem) }
            try causes(&packet, data, body, bodyEnd, c)
        case 7:
            let ack = try data.u32(body)
            if full { packet.setLabel(node, "\(name) chunk (Cumulative TSN ack: \(ack))") }
            packet.add(hf.shutdownAck, data, body, 4, .uint(UInt64(ack)), parent: c)
        case 10:
            if full { packet.setLabel(node, "\(name) chunk (Cookie length: \(length - 4) bytes)") }
            try data.check(body, length - 4)
            packet.add(hf.cookie, data, body, length - 4, .bytes, parent: c)
        case 8, 11:
            break
        case 14:
            addFlagBits(&packet, data, offset + 1, flags, tBit, flagsItem)
        default:
            if full { packet.setLabel(node, "\(name) chunk (Type: \(type), value length: \(length - 4) bytes)") }
            if length > 4 {
                try data.check(body, length - 4)
                packet.add(hf.chunkValue, data, body, length - 4, .bytes, parent: c)
            }
        }
        if type != 0 { packet.info.append(" ") }
        let end = min(offset + padded, data.count)
        if end > bodyEnd {
            packet.add(hf.chunkPadding, data, bodyEnd, end - bodyEnd, .bytes, parent: c)
        }
        return (max(end, offset + 4), handedOff)
    }

    /// tshark's minimum lengths per chunk type (header plus fixed fields).
    static func minimumLength(_ type: UInt8) -> Int {
        switch type {
        case 0: return 16
        case 1, 2: return 20
        case 3: return 16
        case 7: return 8
        default: return 4
        }
    }

    private func addFlagBits(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ flags: UInt8,
                             _ bits: [FieldID], _ flagsItem: TreeNode) {
        for b in bits {
            let mask = packet.registry[b].bitmask
            packet.add(b, data, offset, 1, .uint((UInt64(flags) & mask) >> UInt64(mask.trailingZeroBitCount)),
                       parent: flagsItem)
        }
    }

    private func relative(_ tsn: UInt32, _ dir: Direction) -> UInt32 {
        if let base = tsnBases[dir] { return tsn &- base }
        if tsnBases.count >= Self.maxDirections { tsnBases.removeAll(keepingCapacity: true) }
        tsnBases[dir] = tsn
        return 0
    }

    private func dataChunk(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int,
                           _ flags: UInt8, _ flagsItem: TreeNode, _ node: TreeNode, _ c: TreeNode,
                           _ dir: Direction) throws(Malformed) -> Bool {
        let body = offset + 4
        let tsn = try data.u32(body), sid = try data.u16(body + 4), ssn = try data.u16(body + 6)
        let ppid = try data.u32(body + 8)
        let rel = packet.inErrorPacket ? tsn &- (tsnBases[dir] ?? tsn) : relative(tsn, dir)
        packet.info.append(" (TSN=")
        packet.info.append(UInt64(rel))
        packet.info.append(") ")
        let payloadLength = length - 16
        if packet.buildsFullTree {
            let order = flags & 0x04 != 0 ? "unordered" : "ordered"
            let segment: String
            switch flags & 0x03 {
            case 3: segment = "complete segment"
            case 2: segment = "first segment"
            case 1: segment = "last segment"
            default: segment = "middle segment"
            }
            packet.setLabel(node, "DATA chunk (\(order), \(segment), TSN: \(rel), SID: \(sid), SSN: \(ssn), PPID: \(ppid), payload length: \(payloadLength) byte\(payloadLength == 1 ? "" : "s"))")
        }
        addFlagBits(&packet, data, offset + 1, flags, dataFlagBits, flagsItem)
        packet.add(hf.tsn, data, body, 4, .uint(UInt64(rel)), parent: c)
        packet.add(hf.tsnRaw, data, body, 4, .uint(UInt64(tsn)), parent: c)
        packet.add(hf.sid, data, body + 4, 2, .uint(UInt64(sid)), parent: c)
        packet.add(hf.ssn, data, body + 6, 2, .uint(UInt64(ssn)), parent: c)
        packet.add(hf.ppid, data, body + 8, 4, .uint(UInt64(ppid)), parent: c)
        guard payloadLength > 0 else { return false }
        try data.check(offset + 16, payloadLength)
        let payload = try data.slice(offset + 16, payloadLength)
        if packet.call(table: ppiTable, key: ppid, payload) != nil { return true }
        let (lo, hi) = dir.src < dir.dst ? (dir.src, dir.dst) : (dir.dst, dir.src)
        if packet.call(table: portTable, key: UInt32(lo), payload) != nil { return true }
        if packet.call(table: portTable, key: UInt32(hi), payload) != nil { return true }
        packet.callData(payload)
        return true
    }

    private func sack(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int, _ flags: UInt8,
                      _ flagsItem: TreeNode, _ node: TreeNode, _ c: TreeNode, _ dir: Direction) throws(Malformed) {
        let body = offset + 4
        let ack = try data.u32(body), rwnd = try data.u32(body + 4)
        let gaps = Int(try data.u16(body + 8)), dups = Int(try data.u16(body + 10))
        // The acknowledged TSNs are the other direction's; without the association's tags we
        // count from the first acknowledgement seen.
        let rel = relative(ack, Direction(src: dir.dst, dst: dir.src, vtag: peerTags[dir.vtag] ?? dir.vtag))
        packet.info.append(" (Ack=")
        packet.info.append(UInt64(rel))
        // With gap blocks tshark adds the end of the last one ("Ack=1+6").
        if gaps > 0, let lastEnd = try? data.u16(body + 12 + (gaps - 1) * 4 + 2) {
            packet.info.append("+")
            packet.info.append(UInt64(lastEnd))
        }
        packet.info.append(", Arwnd=")
        packet.info.append(UInt64(rwnd))
        packet.info.append(")")
        if packet.buildsFullTree {
            packet.setLabel(node, "SACK chunk (Cumulative TSN: \(ack), a_rwnd: \(rwnd), gaps: \(gaps), duplicate TSNs: \(dups))")
        }
        addFlagBits(&packet, data, offset + 1, flags, sackFlagBits, flagsItem)
        packet.add(hf.sackAck, data, body, 4, .uint(UInt64(rel)), parent: c)
        packet.add(hf.sackAckRaw, data, body, 4, .uint(UInt64(ack)), parent: c)
        packet.add(hf.sackRwnd, data, body + 4, 4, .uint(UInt64(rwnd)), parent: c)
        packet.add(hf.sackGaps, data, body + 8, 2, .uint(UInt64(gaps)), parent: c)
        packet.add(hf.sackDups, data, body + 10, 2, .uint(UInt64(dups)), parent: c)
        var o = body + 12
        var acked: UInt64 = 0
        for _ in 0..<gaps {
            let s = try data.u16(o), e = try data.u16(o + 2)
            let g = packet.addText("Gap Acknowledgement for TSN \(rel &+ UInt32(s)) to \(rel &+ UInt32(e))", data, o, 4,
                                   parent: c)
            let gp = g.isNone ? c : g
            let si = packet.add(hf.gapStart, data, o, 2, .uint(UInt64(s)), parent: gp)
            packet.addGenerated(hf.gapStartTSN, .uint(UInt64(rel &+ UInt32(s))), parent: si.isNone ? gp : si)
            let ei = packet.add(hf.gapEnd, data, o + 2, 2, .uint(UInt64(e)), parent: gp)
            packet.addGenerated(hf.gapEndTSN, .uint(UInt64(rel &+ UInt32(e))), parent: ei.isNone ? gp : ei)
            if e >= s { acked += UInt64(e - s) + 1 }
            o += 4
        }
        if gaps > 0 { packet.addGenerated(hf.gapAcked, .uint(acked), parent: c) }
        for _ in 0..<dups {
            packet.add(hf.dupTSN, data, o, 4, .uint(UInt64(try data.u32(o))), parent: c)
            o += 4
        }
    }

    /// Variable-length parameters (RFC 9260 §3.2.1) from `offset` to `end`.
    private func parameters(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ end: Int,
                            _ c: TreeNode) throws(Malformed) {
        var o = start
        while o < end {
            let type = try data.u16(o)
            let length = Int(try data.u16(o + 2))
            guard length >= 4 else { throw Malformed() }
            let padded = (length + 3) & ~3
            let valueLength = length - 4
            try data.check(o, length)
            let name = paramNames[type] ?? "Unknown"
            let full = packet.buildsFullTree
            let node = packet.addText("\(name) parameter", data, o, min(padded, data.count - o), parent: c)
            let p = node.isNone ? c : node
            // The chunk counts the last parameter's padding: tshark notes it.
            let last = o + padded >= end
            if last && o + length < end { packet.addExpert(hf.eiParamPadding, parent: p, data, o, length) }
            let typeItem = packet.add(hf.paramType, data, o, 2, .uint(UInt64(type)), parent: p)
            for b in paramTypeBits {
                let mask = packet.registry[b].bitmask
                packet.add(b, data, o, 2, .uint((UInt64(type) & mask) >> UInt64(mask.trailingZeroBitCount)),
                           parent: typeItem)
            }
            packet.add(hf.paramLength, data, o + 2, 2, .uint(UInt64(length)), parent: p)
            let v = o + 4
            switch type {
            case 1:
                if full { packet.setLabel(node, "Heartbeat info parameter (Information: \(valueLength) bytes)") }
                packet.add(hf.heartbeat, data, v, valueLength, .bytes, parent: p)
            case 5 where valueLength >= 4:
                let a = try data.u32(v)
                if full { packet.setLabel(node, "IPv4 address parameter (Address: \(FieldFormatter.ipv4String(a)))") }
                packet.add(hf.ipv4, data, v, 4, .ipv4(a), parent: p)
            case 6 where valueLength >= 16:
                let a = try IPv6Address(data, at: v)
                if full { packet.setLabel(node, "IPv6 address parameter (Address: \(FieldFormatter.ipv6String(a)))") }
                packet.add(hf.ipv6, data, v, 16, .ipv6(a), parent: p)
            case 7:
                if full { packet.setLabel(node, "State cookie parameter (Cookie length: \(valueLength) bytes)") }
                packet.add(hf.stateCookie, data, v, valueLength, .bytes, parent: p)
            case 9 where valueLength >= 4:
                let inc = try data.u32(v)
                if full { packet.setLabel(node, "Cookie preservative parameter (Increment :\(inc) msec)") }
                packet.add(hf.cookieIncrement, data, v, 4, .uint(UInt64(inc)), parent: p)
            case 12:
                var names: [String] = []
                var a = v
                while a + 2 <= o + length {
                    let t = try data.u16(a)
                    names.append(t == 5 ? "IPv4" : t == 6 ? "IPv6" : t == 11 ? "hostname" : "\(t)")
                    packet.add(hf.addressType, data, a, 2, .uint(UInt64(t)), parent: p)
                    a += 2
                }
                if full { packet.setLabel(node, "Supported address types parameter (Supported types: \(names.joined(separator: ", ")))") }
            case 0x8008:
                var names: [String] = []
                for a in v..<(o + length) {
                    let t = try data.u8(a)
                    names.append(chunkName(t))
                    packet.add(hf.supportedChunk, data, a, 1, .uint(UInt64(t)), parent: p)
                }
                if full { packet.setLabel(node, "Supported Extensions parameter (Supported types: \(names.joined(separator: ", ")))") }
            case 0x8000, 0xc000:
                break
            default:
                if full && paramNames[type] == nil {
                    packet.setLabel(node, "Unknown parameter (Type \(type), value length: \(valueLength) byte\(valueLength == 1 ? "" : "s"))")
                }
                if valueLength > 0 { packet.add(hf.paramValue, data, v, valueLength, .bytes, parent: p) }
            }
            let padEnd = min(o + padded, data.count)
            if padEnd > o + length {
                packet.add(hf.paramPadding, data, o + length, padEnd - o - length, .bytes, parent: p)
            }
            o += padded
        }
    }

    /// Error causes (RFC 9260 §3.3.10) of ABORT and ERROR chunks.
    private func causes(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ end: Int,
                        _ c: TreeNode) throws(Malformed) {
        var o = start
        while o < end {
            let code = try data.u16(o)
            let length = Int(try data.u16(o + 2))
            guard length >= 4 else { throw Malformed() }
            try data.check(o, length)
            let padded = (length + 3) & ~3
            let name = causeNames[code] ?? "Unknown"
            let node = packet.addText("\(name) cause", data, o, min(padded, data.count - o), parent: c)
            let p = node.isNone ? c : node
            packet.add(hf.causeCode, data, o, 2, .uint(UInt64(code)), parent: p)
            packet.add(hf.causeLength, data, o + 2, 2, .uint(UInt64(length)), parent: p)
            if code == 1 && length >= 8 {
                let sid = try data.u16(o + 4)
                if packet.buildsFullTree { packet.setLabel(node, "\(name) cause (SID: \(sid))") }
                packet.add(hf.causeSID, data, o + 4, 2, .uint(UInt64(sid)), parent: p)
                packet.add(hf.causeReserved, data, o + 6, 2, .uint(UInt64(try data.u16(o + 6))), parent: p)
            } else if length > 4 {
                packet.add(hf.causeInfo, data, o + 4, length - 4, .bytes, parent: p)
            }
            let padEnd = min(o + padded, data.count)
            if padEnd > o + length {
                packet.add(hf.causePadding, data, o + length, padEnd - o - length, .bytes, parent: p)
            }
            o += padded
        }
    }
}
