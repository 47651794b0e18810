import DissectKit

extension NFSDissector {
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        guard let m = rpc?.current else { return .notMine }
        let full = packet.buildsFullTree
        packet.protocolColumn = "NFS"
        let procField: FieldID = m.version == 2 ? hf.procedureV2 : m.version == 3 ? hf.procedureV3 : hf.procedureV4
        let procName = packet.registry[procField].strings?.name(for: UInt64(m.procedure)) ?? "proc-\(m.procedure)"
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent,
                                     text: "Network File System, \(procName) \(m.isReply ? "Reply" : "Call")")
        packet.addGenerated(hf.programVersion, .uint(UInt64(m.version)), parent: top)
        packet.addGenerated(procField, .uint(UInt64(m.procedure)), parent: top)
        guard m.version == 3 else { return .consumed(data.count) }
        switch (m.procedure, m.isReply) {
        case (1, false): // GETATTR3args: the object's handle
            let hash = try fileHandle3(&packet, data, 0, title: "object", parent: top)
            packet.info.append(", FH: 0x")
            appendHex8(packet.info, hash)
            if full { packet.appendLabel(top, " FH: 0x" + FieldFormatter.hex(UInt64(hash), digits: 8)) }
        case (1, true): // GETATTR3res
            let status = try data.u32(0)
            packet.add(hf.status3, data, 0, 4, .uint(UInt64(status)), parent: top)
            packet.add(hf.status, data, 0, 4, .uint(UInt64(status)), parent: top, flags: .hidden)
            guard status == 0 else {
                let name = packet.registry[hf.status3].strings?.name(for: UInt64(status)) ?? "Unknown"
                packet.info.append(" Error: ")
                packet.info.append(name)
                if full { packet.appendLabel(top, " Error: " + name) }
                return .consumed(data.count)
            }
            let summary = try fattr3(&packet, data, 4, title: "obj_attributes", parent: top)
            packet.info.append("  ")
            packet.info.append(summary)
            if full { packet.appendLabel(top, "  " + summary) }
        default:
            break
        }
        return .consumed(data.count)
    }

    /// nfs_fh3 (RFC 1813 §2.5): length and opaque handle; returns tshark's CRC-32 of the handle.
    func fileHandle3(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, title: String,
                     parent: TreeNode) throws(Malformed) -> UInt32 {
        let length = Int(try data.u32(offset))
        guard length <= 64 else { throw Malformed() }
        let padded = (length + 3) & ~3
        try data.check(offset + 4, padded)
        let node = packet.addText(title, data, offset, 4 + padded, parent: parent)
        let t = node.isNone ? parent : node
        packet.add(hf.fhLength, data, offset, 4, .uint(UInt64(length)), parent: t)
        let hash = NFSDissector.crc32(try data.slice(offset + 4, length))
        packet.addGenerated(hf.fhHash, .uint(UInt64(hash)), parent: t)
        if length > 0 { packet.add(hf.fhandle, data, offset + 4, length, .bytes, parent: t) }
        return hash
    }

    /// fattr3 (RFC 1813 §2.6); returns tshark's summary "Regular File mode: 0755 uid: 0 gid: 30".
    func fattr3(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, title: String,
                parent: TreeNode) throws(Malformed) -> String {
        // Read field by field: a reply cut inside the attributes keeps the ones before the cut.
        let type = try data.u32(offset)
        let mode = try data.u32(offset + 4)
        let uid = try data.u32(offset + 12)
        let gid = try data.u32(offset + 16)
        let typeName = packet.registry[hf.ftype3].strings?.name(for: UInt64(type)) ?? "Unknown"
        var octal = String(mode & 0o7777, radix: 8)
        while octal.count < 4 { octal = "0" + octal }
        let summary = "\(typeName) mode: \(octal) uid: \(uid) gid: \(gid)"
        // tshark appends the summary once the attributes are read.
        let node = packet.addText(title, data, offset, min(84, data.count - offset), parent: parent)
        let t = node.isNone ? parent : node
        packet.add(hf.ftype3, data, offset, 4, .uint(UInt64(type)), parent: t)
        let mn = packet.addBitmask(hf.mode3, data, offset + 4, 4, value: UInt64(mode), parent: t, subfields: hf.mode3Bits)
        if packet.buildsFullTree, !mn.isNone {
            var label = "Mode: " + octal
            for (i, bit) in [0o4000, 0o2000, 0o1000, 0o400, 0o200, 0o100, 0o40, 0o20, 0o10, 0o4, 0o2, 0o1].enumerated()
                where mode & UInt32(bit) != 0 {
                label += ", " + packet.registry[hf.mode3Bits[i]].name
            }
            packet.setLabel(mn, label)
        }
        packet.add(hf.nlink3, data, offset + 8, 4, .uint(UInt64(try data.u32(offset + 8))), parent: t)
        packet.add(hf.uid3, data, offset + 12, 4, .uint(UInt64(uid)), parent: t)
        packet.add(hf.gid3, data, offset + 16, 4, .uint(UInt64(gid)), parent: t)
        packet.add(hf.size3, data, offset + 20, 8, .uint(try data.u64(offset + 20)), parent: t)
        packet.add(hf.used3, data, offset + 28, 8, .uint(try data.u64(offset + 28)), parent: t)
        let s1 = try data.u32(offset + 36), s2 = try data.u32(offset + 40)
        let rdev = packet.addText("rdev: \(s1),\(s2)", data, offset + 36, 8, parent: t)
        packet.add(hf.specdata1, data, offset + 36, 4, .uint(UInt64(s1)), parent: rdev.isNone ? t : rdev)
        packet.add(hf.specdata2, data, offset + 40, 4, .uint(UInt64(s2)), parent: rdev.isNone ? t : rdev)
        packet.add(hf.fsid3, data, offset + 44, 8, .uint(try data.u64(offset + 44)), parent: t)
        packet.add(hf.fileid3, data, offset + 52, 8, .uint(try data.u64(offset + 52)), parent: t)
        for (i, f) in hf.times.enumerated() {
            let o = offset + 60 + 8 * i
            let sec = try data.u32(o), nsec = try data.u32(o + 4)
            let tn = packet.add(f.time, data, o, 8,
                                .absoluteTime(Timestamp(seconds: Int64(sec), nanoseconds: Int32(truncatingIfNeeded: nsec))),
                                parent: t)
            packet.add(f.sec, data, o, 4, .uint(UInt64(sec)), parent: tn.isNone ? t : tn)
            packet.add(f.nsec, data, o + 4, 4, .uint(UInt64(nsec)), parent: tn.isNone ? t : tn)
        }
        packet.appendLabel(node, "  " + summary)
        return summary
    }

    private func appendHex8(_ c: ColumnText, _ v: UInt32) {
        for shift in stride(from: 28, through: 0, by: -4) {
            let d = UInt8((v >> UInt32(shift)) & 0xf)
            c.append(byte: d < 10 ? 0x30 + d : 0x57 + d)
        }
    }

    /// CRC-32 (IEEE 802.3, reflected) — tshark's file-handle "hash".
    static func crc32(_ v: ByteView) -> UInt32 {
        var c: UInt32 = 0xffff_ffff
        for b in v.buffer { c = crcTable[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
        return c ^ 0xffff_ffff
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xedb8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
