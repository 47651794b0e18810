import DissectKit

extension RPCDissector {
    /// Is `data` an RPC message this side knows (a call of a registered program, a reply to a
    /// call seen)? tshark's heuristics check the same before claiming a datagram.
    func recognise(_ packet: PacketContext, _ data: ByteView) -> Bool {
        guard data.count >= 8, let type = try? data.u32(4) else { return false }
        if type == 0 {
            guard data.count >= 24, (try? data.u32(8)) == 2, let prog = try? data.u32(12) else { return false }
            return programs[prog] != nil
        }
        if type == 1, let xid = try? data.u32(0) {
            return calls.find(.init(xid: xid, conversation: conversationHash(packet))) != nil
        }
        return false
    }

    /// Both directions of a conversation hash alike.
    func conversationHash(_ packet: PacketContext) -> Int {
        var a = Hasher(), b = Hasher()
        a.combine(packet.netSrc)
        a.combine(packet.srcPort)
        b.combine(packet.netDst)
        b.combine(packet.dstPort)
        let x = a.finalize(), y = b.finalize()
        return x ^ y &+ (x &+ y)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        guard recognise(packet, data) else { return .notMine }
        try dissectMessage(&packet, data, parent, recordTop: nil)
        return .consumed(data.count)
    }

    /// TCP: a record-marked message (one fragment, as tshark reassembles fragments first).
    func dissectRecord(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        guard data.count >= 4 else { return .notMine }
        let mark = try data.u32(0)
        let length = Int(mark & 0x7fff_ffff)
        guard length >= 8 && length <= 0x100_0000 else { return .notMine }
        if data.count >= 12 {
            guard recognise(packet, data.suffix(from: 4)) else { return .notMine }
        }
        if data.count < 4 + length { return .needMore(4 + length - data.count) }
        let body = try data.slice(4, length)
        guard recognise(packet, body) else { return .notMine }
        try dissectMessage(&packet, body, parent, recordTop: (data, mark))
        return .consumed(4 + length)
    }

    func dissectMessage(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                        recordTop: (ByteView, UInt32)?) throws(Malformed) {
        let full = packet.buildsFullTree
        let xid = try data.u32(0)
        let type = try data.u32(4)
        packet.protocolColumn = "RPC"
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent,
                                     text: "Remote Procedure Call, Type:\(type == 0 ? "Call" : "Reply") XID:0x\(FieldFormatter.hex(UInt64(xid), digits: 8))")
        if let (rec, mark) = recordTop {
            let n = packet.addText("Fragment header: \(mark & 0x8000_0000 != 0 ? "Last fragment" : "Not last fragment"), \(mark & 0x7fff_ffff) bytes",
                                   rec, 0, 4, parent: top)
            packet.add(hf.lastFrag, rec, 0, 4, .bool(mark & 0x8000_0000 != 0), parent: n.isNone ? top : n)
            packet.add(hf.fragLen, rec, 0, 4, .uint(UInt64(mark & 0x7fff_ffff)), parent: n.isNone ? top : n)
        }
        packet.add(hf.xid, data, 0, 4, .uint(UInt64(xid)), parent: top)
        packet.add(hf.msgType, data, 4, 4, .uint(UInt64(type)), parent: top)
        let key = RPCCallTable.Key(xid: xid, conversation: conversationHash(packet))
        let info = packet.info
        info.set("")

        if type == 0 {
            let rpcVersion = try data.u32(8)
            let progNumber = try data.u32(12)
            let version = try data.u32(16)
            let procedure = try data.u32(20)
            guard let program = programs[progNumber] else { throw Malformed() }
            let procName = procedureName(program, version: version, procedure: procedure, registry: packet.registry)
            packet.add(hf.version, data, 8, 4, .uint(UInt64(rpcVersion)), parent: top)
            let pn = packet.add(hf.program, data, 12, 4, .uint(UInt64(progNumber)), parent: top)
            if full { packet.setLabel(pn, "Program: \(program.name) (\(progNumber))") }
            packet.add(hf.programVersion, data, 16, 4, .uint(UInt64(version)), parent: top)
            let prn = packet.add(hf.procedure, data, 20, 4, .uint(UInt64(procedure)), parent: top)
            if full { packet.setLabel(prn, "Procedure: \(procName) (\(procedure))") }
            info.append("V")
            info.append(UInt64(version))
            info.append(" ")
            info.append(procName)
            info.append(" Call")
            if let reply = packet.annotation(hf.reqFrame) {
                let n = packet.addGenerated(hf.reqFrame, .uint(reply), parent: top)
                if full { packet.setLabel(n, "The reply to this request is in frame \(reply)") }
            }
            calls.note(key, RPCCall(program: progNumber, version: version, procedure: procedure,
                                    frame: packet.frame.number, time: packet.frame.timestamp))
            var offset = 24
            offset = try auth(&packet, data, offset, title: "Credentials", parent: top)
            offset = try auth(&packet, data, offset, title: "Verifier", parent: top)
            let args = data.suffix(from: offset)
            callProgram(&packet, program, args, RPCMessage(program: progNumber, version: version, procedure: procedure,
                                                           isReply: false, callFrame: 0))
            return
        }

        guard let call = calls.find(key) else { throw Malformed() }
        let program = programs[call.program]
        let procName = program.map { procedureName($0, version: call.version, procedure: call.procedure, registry: packet.registry) }
            ?? "proc-\(call.procedure)"
        let pn = packet.addGenerated(hf.program, .uint(UInt64(call.program)), parent: top)
        if full { packet.setLabel(pn, "Program: \(program?.name ?? "Unknown") (\(call.program))") }
        packet.addGenerated(hf.programVersion, .uint(UInt64(call.version)), parent: top)
        let prn = packet.addGenerated(hf.procedure, .uint(UInt64(call.procedure)), parent: top)
        if full { packet.setLabel(prn, "Procedure: \(procName) (\(call.procedure))") }
        let state = try data.u32(8)
        packet.add(hf.replyState, data, 8, 4, .uint(UInt64(state)), parent: top)
        info.append("V")
        info.append(UInt64(call.version))
        info.append(" ")
        info.append(procName)
        info.append(" Reply (Call In ")
        info.append(UInt64(call.frame))
        info.append(")")
        let rf = packet.addGenerated(hf.repFrame, .uint(UInt64(call.frame)), parent: top)
        if full { packet.setLabel(rf, "This is a reply to a request in frame \(call.frame)") }
        packet.addGenerated(hf.time, .relativeTime(packet.frame.timestamp - call.time), parent: top)
        packet.annotate(frame: call.frame, hf.reqFrame, UInt64(packet.frame.number))
        guard state == 0 else {
            packet.add(hf.rejectState, data, 12, 4, .uint(UInt64(try data.u32(12))), parent: top)
            return
        }
        var offset = try auth(&packet, data, 12, title: "Verifier", parent: top)
        let accept = try data.u32(offset)
        packet.add(hf.acceptState, data, offset, 4, .uint(UInt64(accept)), parent: top)
        offset += 4
        guard accept == 0, let p = program else { return }
        callProgram(&packet, p, data.suffix(from: offset), RPCMessage(program: call.program, version: call.version,
                                                                      procedure: call.procedure, isReply: true,
                                                                      callFrame: call.frame))
    }

    private func callProgram(_ packet: inout PacketContext, _ program: RPCProgram, _ data: ByteView, _ m: RPCMessage) {
        current = m
        packet.call(program.handle, data)
        current = nil
    }

    /// An opaque_auth (credentials or verifier): flavor, length, and AUTH_UNIX's fields.
    private func auth(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, title: String,
                      parent: TreeNode) throws(Malformed) -> Int {
        let flavor = try data.u32(offset)
        let length = Int(try data.u32(offset + 4))
        let padded = (length + 3) & ~3
        try data.check(offset + 8, padded)
        let node = packet.addText(title, data, offset, 8 + padded, parent: parent)
        let t = node.isNone ? parent : node
        packet.add(hf.authFlavor, data, offset, 4, .uint(UInt64(flavor)), parent: t)
        packet.add(hf.authLength, data, offset + 4, 4, .uint(UInt64(length)), parent: t)
        let body = try data.slice(offset + 8, length)
        if flavor == 1 && length >= 20 {
            // AUTH_UNIX (RFC 5531 §14): stamp, machine name, uid, gid, gids.
            packet.add(hf.authStamp, body, 0, 4, .uint(UInt64(try body.u32(0))), parent: t)
            var o = try opaqueString(&packet, body, 4, field: hf.authMachineName, parent: t)
            packet.add(hf.authUID, body, o, 4, .uint(UInt64(try body.u32(o))), parent: t)
            packet.add(hf.authGID, body, o + 4, 4, .uint(UInt64(try body.u32(o + 4))), parent: t)
            o += 8
            let count = Int(try body.u32(o))
            try body.check(o + 4, count * 4)
            var gids: [UInt32] = []
            if packet.buildsFullTree { for i in 0..<count { gids.append(try body.u32(o + 4 + 4 * i)) } }
            let g = packet.addText("Auxiliary GIDs (\(count)) [\(gids.map { String($0) }.joined(separator: ", "))]",
                                   body, o, 4 + count * 4, parent: t)
            for i in 0..<count {
                packet.add(hf.authGID, body, o + 4 + 4 * i, 4, .uint(UInt64(try body.u32(o + 4 + 4 * i))),
                           parent: g.isNone ? t : g)
            }
        }
        return offset + 8 + padded
    }

    /// An XDR string with tshark's length / contents / fill bytes sub-items.
    private func opaqueString(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, field: FieldID,
                              parent: TreeNode) throws(Malformed) -> Int {
        let length = Int(try data.u32(offset))
        let padded = (length + 3) & ~3
        try data.check(offset + 4, padded)
        let n = packet.add(field, data, offset + 4, length, .string, parent: parent)
        let t = n.isNone ? parent : n
        packet.add(hf.opaqueLength, data, offset, 4, .uint(UInt64(length)), parent: t)
        if packet.buildsFullTree {
            let b = data.buffer
            packet.addText(data, offset + 4, length, parent: t) {
                $0.append("contents: ")
                $0.appendFormatText(UnsafeRawBufferPointer(rebasing: b[(offset + 4)..<(offset + 4 + length)]), asciiOnly: false)
            }
        }
        if padded > length {
            let f = packet.add(hf.fillBytes, data, offset + 4 + length, padded - length, .bytes, parent: t)
            if packet.buildsFullTree { packet.setLabel(f, "fill bytes: opaque data") }
        }
        return offset + 4 + padded
    }
}
