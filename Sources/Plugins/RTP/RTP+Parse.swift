import DissectKit

extension RTPDissector {
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let b0 = try data.u8(0)
        let version = b0 >> 6
        // tshark gives up on other versions when RTP was not asked for explicitly.
        guard version == 2 else { return .notMine }
        // A datagram shorter than the fixed header is malformed before RTP shows (tshark: "UDP").
        try data.check(0, 12)
        packet.protocolColumn = "RTP"
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        let full = packet.buildsFullTree

        let binding = packet.conversations.find(transport: 17, src: packet.netSrc,
                                                srcPort: UInt16(truncatingIfNeeded: packet.srcPort),
                                                dst: packet.netDst, dstPort: UInt16(truncatingIfNeeded: packet.dstPort))
        let bindingID = binding.flatMap { $0.handle.dissector === self ? $0.id : nil }

        let b1 = try data.u8(1)
        let seq = try data.u16(2)
        let timestamp = try data.u32(4)
        let ssrc = try data.u32(8)
        let padding = b0 & 0x20 != 0
        let hasExt = b0 & 0x10 != 0
        let csrcCount = Int(b0 & 0x0f)
        let marker = b1 & 0x80 != 0
        let pt = b1 & 0x7f

        var setup: RTPStreamSetup? = nil
        var extended: UInt32 = 0x10000 | UInt32(seq)
        if let id = bindingID {
            (setup, extended) = streams.with(id) { (s: inout RTPStream) -> (RTPStreamSetup?, UInt32) in
                // RFC 3550 A.1: a sequence number far below the last one wrapped around.
                if s.started {
                    if seq < s.lastSeq && s.lastSeq - seq > 0x8000 { s.cycles &+= 1 }
                } else {
                    s.started = true
                }
                s.lastSeq = seq
                return (s.setup, (s.cycles &+ 1) << 16 | UInt32(seq))
            }
        }

        if let s = setup {
            let n = packet.addGenerated(hf.setup, .string, parent: top, at: data, 0, 0)
            if full { packet.setLabel(n, "Stream setup by SDP (frame \(s.frame))") }
            let under = n.isNone ? top : n
            packet.addGenerated(hf.setupFrame, .uint(UInt64(s.frame)), parent: under)
            if packet.buildsFullTree || packet.wants(hf.setupMethod) {
                packet.addGenerated(hf.setupMethod, packet.text("SDP"), parent: under)
            }
            if let c = s.callID, packet.buildsFullTree || packet.wants(hf.callIDGenerated) {
                packet.addGenerated(hf.callIDGenerated, packet.text(c), parent: under)
            }
        }
        packet.add(hf.version, data, 0, 1, .uint(UInt64(version)), parent: top)
        packet.add(hf.padding, data, 0, 1, .bool(padding), parent: top)
        packet.add(hf.ext, data, 0, 1, .bool(hasExt), parent: top)
        packet.add(hf.cc, data, 0, 1, .uint(UInt64(csrcCount)), parent: top)
        packet.add(hf.marker, data, 1, 1, .bool(marker), parent: top)
        let ptNode = packet.add(hf.payloadType, data, 1, 1, .uint(UInt64(pt)), parent: top)
        let ptName = RTPPayloadTypes.name(pt)
        if full { packet.setLabel(ptNode, "Payload type: \(ptName) (\(pt))") }
        packet.add(hf.seq, data, 2, 2, .uint(UInt64(seq)), parent: top)
        packet.addGenerated(hf.extSeq, .uint(UInt64(extended)), parent: top, at: data, 2, 2)
        packet.add(hf.timestamp, data, 4, 4, .uint(UInt64(timestamp)), parent: top)
        packet.add(hf.ssrc, data, 8, 4, .uint(UInt64(ssrc)), parent: top)

        let info = packet.info
        info.set("PT=")
        info.append(ptName)
        info.append(", SSRC=0x")
        Self.appendUpperHex(info, UInt64(ssrc))
        info.append(", Seq=")
        info.append(UInt64(seq))
        info.append(", Time=")
        info.append(UInt64(timestamp))
        if marker { info.append(", Mark") }

        var offset = 12
        if csrcCount > 0 {
            let items = packet.add(hf.csrcItems, data, offset, csrcCount * 4, .none, parent: top)
            if full { packet.setLabel(items, "Contributing Source identifiers (\(csrcCount) items)") }
            for i in 0..<csrcCount {
                let v = try data.u32(offset)
                let n = packet.add(hf.csrcItem, data, offset, 4, .uint(UInt64(v)), parent: items.isNone ? top : items)
                if full { packet.setLabel(n, "CSRC item \(i): 0x" + String(v, radix: 16, uppercase: true)) }
                offset += 4
            }
        }
        if hasExt {
            let profile = try data.u16(offset)
            let words = Int(try data.u16(offset + 2))
            packet.add(hf.extProfile, data, offset, 2, .uint(UInt64(profile)), parent: top)
            packet.add(hf.extLength, data, offset + 2, 2, .uint(UInt64(words)), parent: top)
            offset += 4
            try data.check(offset, words * 4)
            let exts = packet.add(hf.hdrExts, data, offset, words * 4, .none, parent: top)
            for _ in 0..<words {
                packet.add(hf.hdrExt, data, offset, 4, .uint(UInt64(try data.u32(offset))), parent: exts.isNone ? top : exts)
                offset += 4
            }
        }
        try data.check(offset, 0)
        var end = data.count
        if padding {
            let count = Int(try data.u8(data.count - 1))
            guard count > 0, data.count - count >= offset else { throw Malformed() }
            end = data.count - count
        }
        if end > offset { packet.add(hf.payload, data, offset, end - offset, .bytes, parent: top) }
        if padding {
            if end < data.count - 1 {
                packet.add(hf.paddingData, data, end, data.count - 1 - end, .bytes, parent: top)
            }
            packet.add(hf.paddingCount, data, data.count - 1, 1, .uint(UInt64(data.count - end)), parent: top)
        }
        return .consumed(data.count)
    }

    /// tshark's "%X": upper-case hex without padding.
    static func appendUpperHex(_ c: ColumnText, _ v: UInt64) {
        var shift = 60
        while shift > 0 && (v >> UInt64(shift)) & 0xf == 0 { shift -= 4 }
        while shift >= 0 {
            let d = UInt8((v >> UInt64(shift)) & 0xf)
            c.append(byte: d < 10 ? 0x30 + d : 0x37 + d)
            shift -= 4
        }
    }
}
