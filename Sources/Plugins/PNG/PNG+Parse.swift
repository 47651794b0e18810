import DissectKit

extension PNGDissector {
    /// The eight signature bytes (PNG §5.2).
    static let signature: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        // tshark wants at least 20 bytes (signature plus one chunk header) and the signature.
        guard data.count >= 20, Self.hasSignature(data) else { return .notMine }
        packet.info.appendCapped(" (PNG)")
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        packet.add(hf.signature, data, 0, 8, .bytes, parent: top)
        var offset = 8
        while offset < data.count {
            let length = try data.u32(offset)
            let type = try data.u32(offset + 4)
            // tshark sizes the chunk's subtree as 4+4+len+4 in a C int: a length near 2^32
            // wraps to a small (or -1: "to the end") size, one near 2^31 to a negative one
            // that throws, and any size past the data throws before the line is added.
            let itemLength: Int
            switch Int32(truncatingIfNeeded: UInt32(12) &+ length) {
            case -1: itemLength = data.count - offset
            case let n where n < 0: throw Malformed()
            case let n: itemLength = Int(n)
            }
            try data.check(offset, itemLength)
            let chunkNode = packet.addText(data, offset, itemLength, parent: top) { b in
                b.append(PNGNames.chunkTypes[type] ?? "unknown")
                b.append(" (")
                b.append(MailLabel.formatText(data, offset + 4, 4, asciiOnly: true))
                b.append(")")
            }
            let lengthNode = packet.add(hf.chunkLen, data, offset, 4, .uint(UInt64(length)), parent: chunkNode)
            offset += 4
            if length > UInt32(Int32.max) {
                packet.addExpert(hf.eiChunkTooLarge, parent: lengthNode.isNone ? chunkNode : lengthNode, data,
                                 offset - 4, 4)
                return .consumed(data.count)
            }
            packet.addMailString(hf.chunkType, data, offset, 4, parent: chunkNode)
            packet.add(hf.ancillary, data, offset, 4, .bool(type & 0x2000_0000 != 0), parent: chunkNode)
            packet.add(hf.isPrivate, data, offset, 4, .bool(type & 0x0020_0000 != 0), parent: chunkNode)
            packet.add(hf.safeToCopy, data, offset, 4, .bool(type & 0x0000_0020 != 0), parent: chunkNode)
            offset += 4

            let chunk = try data.slice(offset, Int(length))
            switch type {
            case PNGChunk.ihdr: try header(&packet, chunk, chunkNode)
            case PNGChunk.bkgd: try background(&packet, chunk, chunkNode)
            case PNGChunk.chrm: try chromaticities(&packet, chunk, chunkNode)
            case PNGChunk.gama:
                add(&packet, hf.gamma, chunk, 0, try chunk.u32(0), parent: chunkNode)
            case PNGChunk.phys:
                packet.add(hf.physHoriz, chunk, 0, 4, .uint(UInt64(try chunk.u32(0))), parent: chunkNode)
                packet.add(hf.physVert, chunk, 4, 4, .uint(UInt64(try chunk.u32(4))), parent: chunkNode)
                packet.add(hf.physUnit, chunk, 8, 1, .uint(UInt64(try chunk.u8(8))), parent: chunkNode)
            case PNGChunk.srgb:
                packet.add(hf.srgbIntent, chunk, 0, 1, .uint(UInt64(try chunk.u8(0))), parent: chunkNode)
            case PNGChunk.text: text(&packet, chunk, chunkNode)
            case PNGChunk.time:
                packet.add(hf.year, chunk, 0, 2, .uint(UInt64(try chunk.u16(0))), parent: chunkNode)
                packet.add(hf.month, chunk, 2, 1, .uint(UInt64(try chunk.u8(2))), parent: chunkNode)
                packet.add(hf.day, chunk, 3, 1, .uint(UInt64(try chunk.u8(3))), parent: chunkNode)
                packet.add(hf.hour, chunk, 4, 1, .uint(UInt64(try chunk.u8(4))), parent: chunkNode)
                packet.add(hf.minute, chunk, 5, 1, .uint(UInt64(try chunk.u8(5))), parent: chunkNode)
                packet.add(hf.second, chunk, 6, 1, .uint(UInt64(try chunk.u8(6))), parent: chunkNode)
            default:
                // Everything else (IDAT, PLTE, zTXt, iTXt, private chunks…) is an opaque "Data".
                if length > 0 { packet.add(hf.chunkData, chunk, 0, chunk.count, .none, parent: chunkNode) }
            }
            offset += Int(length)
            packet.add(hf.chunkCRC, data, offset, 4, .uint(UInt64(try data.u32(offset))), parent: chunkNode)
            offset += 4
        }
        return .consumed(data.count)
    }

    static func hasSignature(_ data: ByteView) -> Bool {
        guard data.has(0, 8) else { return false }
        for i in 0..<8 where data[unchecked: i] != signature[i] { return false }
        return true
    }

    /// IHDR (PNG §11.2.2): dimensions, bit depth, colour type and the three methods.
    private func header(_ packet: inout PacketContext, _ c: ByteView, _ parent: TreeNode) throws(Malformed) {
        packet.add(hf.width, c, 0, 4, .uint(UInt64(try c.u32(0))), parent: parent)
        packet.add(hf.height, c, 4, 4, .uint(UInt64(try c.u32(4))), parent: parent)
        packet.add(hf.bitDepth, c, 8, 1, .uint(UInt64(try c.u8(8))), parent: parent)
        packet.add(hf.colourType, c, 9, 1, .uint(UInt64(try c.u8(9))), parent: parent)
        packet.add(hf.compression, c, 10, 1, .uint(UInt64(try c.u8(10))), parent: parent)
        packet.add(hf.filter, c, 11, 1, .uint(UInt64(try c.u8(11))), parent: parent)
        packet.add(hf.interlace, c, 12, 1, .uint(UInt64(try c.u8(12))), parent: parent)
    }

    /// bKGD (PNG §11.3.5.1): its layout follows from its length (1: palette index, 2: grey,
    /// 6: RGB); tshark shows nothing for any other length.
    private func background(_ packet: inout PacketContext, _ c: ByteView, _ parent: TreeNode) throws(Malformed) {
        switch c.count {
        case 1:
            packet.add(hf.bkgdPaletteIndex, c, 0, 1, .uint(UInt64(try c.u8(0))), parent: parent)
        case 2:
            packet.add(hf.bkgdGreyscale, c, 0, 2, .uint(UInt64(try c.u16(0))), parent: parent)
        case 6:
            packet.add(hf.bkgdRed, c, 0, 2, .uint(UInt64(try c.u16(0))), parent: parent)
            packet.add(hf.bkgdGreen, c, 2, 2, .uint(UInt64(try c.u16(2))), parent: parent)
            packet.add(hf.bkgdBlue, c, 4, 2, .uint(UInt64(try c.u16(4))), parent: parent)
        default:
            break
        }
    }

    /// cHRM (PNG §11.3.3.1): eight values in units of 1/100000.
    private func chromaticities(_ packet: inout PacketContext, _ c: ByteView, _ parent: TreeNode) throws(Malformed) {
        for (i, field) in hf.chromaticities.enumerated() {
            add(&packet, field, c, i * 4, try c.u32(i * 4), parent: parent)
        }
    }

    /// A value in units of 1/100000 as tshark's FT_FLOAT shows it: computed in single
    /// precision and printed with FLT_DIG (6) significant digits.
    private func add(_ packet: inout PacketContext, _ field: FieldID, _ c: ByteView, _ offset: Int, _ raw: UInt32,
                     parent: TreeNode) {
        guard packet.wants(field) else { return }
        let f = Float(raw) / 100_000
        let shown = Double(FieldFormatter.cFormat("%.6g", Double(f))) ?? Double(f)
        packet.add(field, c, offset, 4, .double(shown), parent: parent)
    }

    /// tEXt (PNG §11.3.4.3): a Latin-1 keyword, a NUL, the Latin-1 text. tshark shows nothing
    /// when the keyword is empty or the NUL is missing.
    private func text(_ packet: inout PacketContext, _ c: ByteView, _ parent: TreeNode) {
        guard let nul = c.firstIndex(of: 0), nul > 0 else { return }
        addLatin1(&packet, hf.textKeyword, c, 0, nul, parent: parent)
        addLatin1(&packet, hf.textString, c, nul + 1, c.count - nul - 1, parent: parent)
    }

    /// An ISO 8859-1 string field: plain ASCII is shown from the bytes, anything else converted.
    private func addLatin1(_ packet: inout PacketContext, _ field: FieldID, _ c: ByteView, _ offset: Int, _ length: Int,
                           parent: TreeNode) {
        guard packet.wants(field) else { return }
        var ascii = true
        for i in offset..<(offset + length) where c[unchecked: i] >= 0x80 {
            ascii = false
            break
        }
        if ascii {
            packet.addMailString(field, c, offset, length, parent: parent)
            return
        }
        var utf8 = [UInt8]()
        utf8.reserveCapacity(length * 2)
        for i in offset..<(offset + length) {
            let b = c[unchecked: i]
            if b < 0x80 {
                utf8.append(b)
            } else {
                utf8.append(0xc0 | b >> 6)
                utf8.append(0x80 | b & 0x3f)
            }
        }
        packet.addMailText(field, c, offset, length, MailLabel.formatText(utf8, asciiOnly: false), parent: parent)
    }
}
