import DissectKit

extension GIFDissector {
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        guard data.count >= 20 else { return .notMine }
        let is89a: Bool
        if data.matches("GIF87a", at: 0) {
            is89a = false
        } else if data.matches("GIF89a", at: 0) {
            is89a = true
        } else {
            return .notMine
        }
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        packet.addMailString(hf.version, data, 0, 6, parent: top)
        packet.appendLabel(top, is89a ? ", Version: GIF89a" : ", Version: GIF87a")
        packet.info.appendCapped(is89a ? " (GIF89a)" : " (GIF87a)")

        // Logical screen descriptor (GIF89a §18), little-endian.
        packet.add(hf.screenWidth, data, 6, 2, .uint(UInt64(try data.u16le(6))), parent: top)
        packet.add(hf.screenHeight, data, 8, 2, .uint(UInt64(try data.u16le(8))), parent: top)
        let flags = try data.u8(10)
        let settings = packet.addText(data, 10, 1, parent: top) { b in
            Self.writeSettings(b, "Global settings:", tablePresent: flags & 0x80 != 0 ? " (Global color table present)" : nil,
                               flags: flags)
        }
        addFlags(&packet, data, 10, flags, settings, present: hf.globalMapPresent, colorBits: hf.globalColorBits,
                 ordered: is89a ? hf.globalMapOrdered : nil)
        packet.add(hf.background, data, 11, 1, .uint(UInt64(try data.u8(11))), parent: top)
        // GIF87a reserves this byte; GIF89a's pixel aspect ratio is shown only when set.
        if is89a {
            let ratio = try data.u8(12)
            if ratio != 0 {
                let node = packet.add(hf.aspectRatio, data, 12, 1, .uint(UInt64(ratio)), parent: top)
                if packet.buildsFullTree, !node.isNone {
                    packet.setLabel(node, "\(ratio), yields an aspect ratio of (15 + \(ratio)) / 64 = "
                        + FieldFormatter.cFormat("%.2f", Double(Float(15 + Int(ratio)) / 64)))
                }
            }
        }
        var offset = 13
        if flags & 0x80 != 0 {
            let length = 3 << (1 + Int(flags & 0x07))
            try data.check(offset, length)
            packet.add(hf.globalMap, data, offset, length, .bytes, parent: top)
            offset += length
        }

        // Blocks (GIF89a §20–27) until the trailer or the end of the data.
        while offset < data.count {
            let start = offset
            let introducer = try data.u8(offset)
            switch introducer {
            case 0x21:
                let node = packet.add(hf.extensionItem, data, offset, 1, .none, parent: top)
                let label = try data.u8(offset + 1)
                if packet.buildsFullTree, !node.isNone {
                    if let name = GIFNames.extensions[UInt64(label)] {
                        packet.appendLabel(node, ": " + name)
                    } else {
                        packet.appendLabel(node, ": <Warning: Unknown extension 0x"
                            + FieldFormatter.hex(UInt64(label), digits: 2).uppercased() + ">")
                    }
                }
                offset += 1
                packet.add(hf.extensionLabel, data, offset, 1, .uint(UInt64(label)), parent: node)
                offset += 1
                offset = try dataBlocks(&packet, data, offset, node)
                setLength(&packet, node, offset - start)
            case 0x2c:
                let node = packet.add(hf.image, data, offset, 1, .none, parent: top)
                offset += 1
                offset = try image(&packet, data, offset, node, is89a: is89a)
                setLength(&packet, node, offset - start)
            case 0x3b:
                packet.add(hf.trailer, data, offset, 1, .none, parent: top)
                return .consumed(data.count)
            default:
                // tshark's proto_tree_add_expert: a line with the expert's words, the expert under it.
                let line = packet.addText("Unknown GIF data block type", data, offset, 1, parent: top)
                packet.addExpert(hf.eiUnknownBlock, parent: line.isNone ? top : line, data, offset, 1)
                offset += 1
            }
        }
        return .consumed(data.count)
    }

    /// An image descriptor (GIF89a §20) after its separator, its local colour table, the LZW
    /// code size and the data sub-blocks. Returns the offset after the image.
    private func image(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ node: TreeNode,
                       is89a: Bool) throws(Malformed) -> Int {
        var offset = start
        packet.add(hf.imageLeft, data, offset, 2, .uint(UInt64(try data.u16le(offset))), parent: node)
        packet.add(hf.imageTop, data, offset + 2, 2, .uint(UInt64(try data.u16le(offset + 2))), parent: node)
        packet.add(hf.imageWidth, data, offset + 4, 2, .uint(UInt64(try data.u16le(offset + 4))), parent: node)
        packet.add(hf.imageHeight, data, offset + 6, 2, .uint(UInt64(try data.u16le(offset + 6))), parent: node)
        offset += 8
        let flags = try data.u8(offset)
        let settings = packet.addText(data, offset, 1, parent: node) { b in
            Self.writeSettings(b, "Local settings:", tablePresent: flags & 0x80 != 0 ? " (Local color table present)" : nil,
                               flags: flags)
        }
        addFlags(&packet, data, offset, flags, settings, present: hf.localMapPresent, colorBits: hf.localColorBits,
                 ordered: is89a ? hf.localMapOrdered : nil)
        offset += 1
        if flags & 0x80 != 0 {
            let length = 3 << (1 + Int(flags & 0x07))
            try data.check(offset, length)
            packet.add(hf.localMap, data, offset, length, .bytes, parent: node)
            offset += length
        }
        packet.add(hf.codeSize, data, offset, 1, .uint(UInt64(try data.u8(offset))), parent: node)
        offset += 1
        return try dataBlocks(&packet, data, offset, node)
    }

    /// The flag byte's items; the bits per pixel always use `image-gif.global.bpp` (tshark 4.0).
    private func addFlags(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ flags: UInt8,
                          _ parent: TreeNode, present: FieldID, colorBits: FieldID, ordered: FieldID?) {
        packet.add(present, data, offset, 1, .uint(UInt64(flags >> 7)), parent: parent)
        packet.add(colorBits, data, offset, 1, .uint(UInt64(flags >> 4 & 0x07)), parent: parent)
        if let ordered { packet.add(ordered, data, offset, 1, .uint(UInt64(flags >> 3 & 0x01)), parent: parent) }
        packet.add(hf.globalBPP, data, offset, 1, .uint(UInt64(flags & 0x07)), parent: parent)
    }

    /// "Global settings: (Global color table present) (7 bits per color) (2 bits per pixel)".
    /// The bits per color are tshark's `1 + ((flags & 0x60) >> 4)`, not the field's value + 1.
    private static func writeSettings(_ b: TextBuffer, _ title: StaticString, tablePresent: StaticString?,
                                      flags: UInt8) {
        let colorBits = 1 + Int((flags & 0x60) >> 4)
        let pixelBits = 1 + Int(flags & 0x07)
        b.append(title)
        if let tablePresent { b.append(tablePresent) }
        b.append(" (")
        b.appendDecimal(colorBits)
        b.append(colorBits == 1 ? " bit per color) (" : " bits per color) (")
        b.appendDecimal(pixelBits)
        b.append(pixelBits == 1 ? " bit per pixel)" : " bits per pixel)")
    }

    /// Data sub-blocks (GIF89a §15): a length byte and that many bytes, until a zero length.
    /// Returns the offset after the terminator.
    private func dataBlocks(_ packet: inout PacketContext, _ data: ByteView, _ start: Int,
                            _ parent: TreeNode) throws(Malformed) -> Int {
        var offset = start
        while true {
            let length = Int(try data.u8(offset))
            try data.check(offset, 1 + length)
            if packet.wants(hf.dataBlock) {
                // The value is the bytes after the count (FT_UINT_BYTES); an empty one reads "<none>".
                let node = length > 0
                    ? packet.add(hf.dataBlock, data, offset + 1, length, .bytes, parent: parent)
                    : packet.add(hf.dataBlock, data, offset, 1, packet.text("<none>"), parent: parent)
                if packet.buildsFullTree, !node.isNone {
                    packet.appendLabel(node) { b in
                        b.append(" (length = ")
                        b.appendDecimal(length)
                        b.append(")")
                    }
                }
            }
            offset += 1 + length
            if length == 0 { return offset }
        }
    }

    /// tshark's `proto_item_set_len` on an extension or image item (for `-x` and JSON ranges).
    private func setLength(_ packet: inout PacketContext, _ node: TreeNode, _ length: Int) {
        guard node.index >= 0 else { return }
        packet.tree.records[Int(node.index)].length = Int32(truncatingIfNeeded: length)
    }
}
