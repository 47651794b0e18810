import DissectKit

extension TLSDissector {
    /// One SSL 2.0 record (draft-hickman SSL 2.0 §2.1: a 2-byte header with the top bit set, or
    /// a 3-byte header with a padding length). Returns the bytes still missing when the record
    /// is cut by the segment end; sets `ctx.next` to the offset after it.
    func sslv2Record(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ top: TreeNode,
                     _ s: inout TLSSession, _ ctx: inout TLSRecordContext) throws(Malformed) -> Int? {
        let remaining = data.count - offset
        guard remaining >= 2 else { return 2 - remaining }
        let b0 = data[unchecked: offset]
        let twoByte = b0 & 0x80 != 0
        let headerLength = twoByte ? 2 : 3
        guard remaining >= headerLength else { return headerLength - remaining }
        let length = twoByte ? (Int(b0 & 0x7f) << 8 | Int(data[unchecked: offset + 1]))
            : (Int(b0 & 0x3f) << 8 | Int(data[unchecked: offset + 1]))
        guard remaining >= headerLength + length else { return headerLength + length - remaining }
        ctx.next = offset + headerLength + length
        packet.protocolColumn = "SSLv2"

        let rec = packet.add(hf.record, data, offset, headerLength + length, .none, parent: top)
        let body = offset + headerLength
        // Until the ClientMasterKey is sent the messages are in clear; then they are encrypted.
        let type = length > 0 ? data[unchecked: body] : 0xff
        let clear = !s.v2MasterKeySent && (type == 1 || type == 2 || type == 4)
        // A v2-format ClientHello offering SSL 3.0 or TLS says nothing about the version the
        // server picks (such servers answer in SSL 3.0 records); one offering only SSL 2.0, or
        // any other SSL 2.0 message, makes the session SSL 2.0.
        if s.version == 0 && (type != 1 || (length >= 3 && data.has(body + 1, 2) && data[unchecked: body + 1] == 0
                                              && data[unchecked: body + 2] == 2)) {
            s.version = 0x0002
        }
        let name: StaticString = clear ? (type == 1 ? "Client Hello" : type == 2 ? "Client Master Key" : "Server Hello")
            : "Encrypted Data"
        TLSDissector.appendInfo(&packet, name)
        if packet.buildsFullTree {
            packet.setLabel(rec, "SSLv2 Record Layer: \(name)")
            let v = packet.addGenerated(hf.recordVersion, .uint(0x0002), parent: rec)
            _ = v
        }
        packet.add(hf.v2RecordLength, data, offset, headerLength == 2 ? 2 : 3, .uint(UInt64(length)), parent: rec)
        if !twoByte { packet.add(hf.v2Padding, data, offset + 2, 1, .uint(UInt64(data[unchecked: offset + 2])), parent: rec) }
        guard clear else { return nil }
        let m = try data.slice(body, length)
        let typeNode = packet.add(hf.v2MsgType, m, 0, 1, .uint(UInt64(type)), parent: rec)
        if packet.buildsFullTree { packet.setLabel(typeNode, "Handshake Message Type: \(name) (\(type))") }
        switch type {
        case 1: try v2ClientHello(&packet, m, rec, &s, ctx)
        case 2:
            s.v2MasterKeySent = true
            try v2ClientMasterKey(&packet, m, rec)
        default: try v2ServerHello(&packet, m, rec, &s, ctx)
        }
        return nil
    }

    private func v2ClientHello(_ packet: inout PacketContext, _ m: ByteView, _ rec: TreeNode,
                               _ s: inout TLSSession, _ ctx: TLSRecordContext) throws(Malformed) {
        s.serverSide = ctx.side ^ 1
        packet.add(hf.version, m, 1, 2, .uint(UInt64(try m.u16(1))), parent: rec)
        let csLen = Int(try m.u16(3)), sidLen = Int(try m.u16(5)), chLen = Int(try m.u16(7))
        packet.add(hf.v2CipherSpecLength, m, 3, 2, .uint(UInt64(csLen)), parent: rec)
        packet.add(hf.v2SessionIDLength, m, 5, 2, .uint(UInt64(sidLen)), parent: rec)
        packet.add(hf.v2ChallengeLength, m, 7, 2, .uint(UInt64(chLen)), parent: rec)
        var o = 9
        try m.check(o, csLen)
        let specs = packet.add(hf.v2CipherSpecs, m, o, csLen, .none, parent: rec)
        if packet.buildsFullTree { packet.setLabel(specs, "Cipher Specs (\(csLen / 3) spec\(csLen / 3 == 1 ? "" : "s"))") }
        while o + 3 <= 9 + csLen {
            packet.add(hf.v2CipherSpec, m, o, 3, .uint(UInt64(try m.u24(o))), parent: specs)
            o += 3
        }
        o = 9 + csLen
        if sidLen > 0 {
            try m.check(o, sidLen)
            packet.add(hf.sessionID, m, o, sidLen, .bytes, parent: rec)
            o += sidLen
        }
        if chLen > 0 {
            try m.check(o, chLen)
            packet.add(hf.v2Challenge, m, o, chLen, .none, parent: rec)
        }
    }

    private func v2ServerHello(_ packet: inout PacketContext, _ m: ByteView, _ rec: TreeNode,
                               _ s: inout TLSSession, _ ctx: TLSRecordContext) throws(Malformed) {
        s.serverSide = ctx.side
        packet.add(hf.v2SessionIDHit, m, 1, 1, .bool(try m.u8(1) != 0), parent: rec)
        let ct = packet.add(hf.v2CertType, m, 2, 1, .uint(UInt64(try m.u8(2))), parent: rec)
        if packet.buildsFullTree, try m.u8(2) == 1 { packet.setLabel(ct, "Certificate Type: X.509 Certificate (1)") }
        packet.add(hf.version, m, 3, 2, .uint(UInt64(try m.u16(3))), parent: rec)
        let certLen = Int(try m.u16(5)), csLen = Int(try m.u16(7)), cidLen = Int(try m.u16(9))
        packet.add(hf.certificateLength, m, 5, 2, .uint(UInt64(certLen)), parent: rec)
        packet.add(hf.v2CipherSpecLength, m, 7, 2, .uint(UInt64(csLen)), parent: rec)
        packet.add(hf.v2ConnectionIDLength, m, 9, 2, .uint(UInt64(cidLen)), parent: rec)
        var o = 11
        try m.check(o, certLen)
        packet.add(hf.certificate, m, o, certLen, .bytes, parent: rec)
        o += certLen
        try m.check(o, csLen)
        let specs = packet.add(hf.v2CipherSpecs, m, o, csLen, .none, parent: rec)
        if packet.buildsFullTree { packet.setLabel(specs, "Cipher Specs (\(csLen / 3) spec\(csLen / 3 == 1 ? "" : "s"))") }
        let end = o + csLen
        while o + 3 <= end {
            packet.add(hf.v2CipherSpec, m, o, 3, .uint(UInt64(try m.u24(o))), parent: specs)
            o += 3
        }
        o = end
        if cidLen > 0 {
            try m.check(o, cidLen)
            packet.add(hf.v2ConnectionID, m, o, cidLen, .none, parent: rec)
        }
    }

    private func v2ClientMasterKey(_ packet: inout PacketContext, _ m: ByteView, _ rec: TreeNode) throws(Malformed) {
        packet.add(hf.v2CipherSpec, m, 1, 3, .uint(UInt64(try m.u24(1))), parent: rec)
        let clear = Int(try m.u16(4)), enc = Int(try m.u16(6)), arg = Int(try m.u16(8))
        packet.add(hf.v2ClearKeyLength, m, 4, 2, .uint(UInt64(clear)), parent: rec)
        packet.add(hf.v2EncryptedKeyLength, m, 6, 2, .uint(UInt64(enc)), parent: rec)
        packet.add(hf.v2KeyArgLength, m, 8, 2, .uint(UInt64(arg)), parent: rec)
        var o = 10
        if clear > 0 { try m.check(o, clear); packet.add(hf.v2ClearKey, m, o, clear, .none, parent: rec); o += clear }
        if enc > 0 { try m.check(o, enc); packet.add(hf.v2EncryptedKey, m, o, enc, .none, parent: rec); o += enc }
        if arg > 0 { try m.check(o, arg); packet.add(hf.v2KeyArg, m, o, arg, .none, parent: rec) }
    }
}
