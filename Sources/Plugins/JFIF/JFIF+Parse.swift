import DissectKit

extension JFIFDissector {
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        // A whole image starts with SOI and a first segment whose identifier is "JFIF" (or
        // "Exif", which tshark accepts with a warning on the first APP1).
        guard data.count >= 20, try data.u16(0) == 0xffd8 else { return .notMine }
        var firstIsExif = false
        if data.matches("Exif\0", at: 6) {
            firstIsExif = true
        } else if !data.matches("JFIF\0", at: 6) {
            return .notMine
        }
        packet.info.appendSeparator(" ")
        packet.info.appendCapped("(JPEG JFIF image)")
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        // tshark skips most segment parsers when it builds no tree at all (its summary-only
        // runs), so whether a broken segment marks the packet malformed depends on that too.
        let hasTree = !packet.tree.interest.isEmpty
        let count = data.count
        var entropyStart = 0
        while true {
            // Entropy-coded data runs to the next 0xFF that is not a stuffed 0xFF 0x00.
            var fill = entropyStart
            try data.check(fill, 0)
            while true {
                guard let ff = data.firstIndex(of: 0xff, from: fill) else {
                    fill = count
                    break
                }
                fill = ff
                if count - ff == 1 { break }
                if try data.u8(ff + 1) != 0 { break }
                fill = ff + 2
                if fill > count { fill = count; break }
            }
            if fill != entropyStart {
                packet.add(hf.entropyCoded, data, entropyStart, fill - entropyStart, .bytes, parent: top)
            }
            if fill == count { break }
            var markerAt = fill
            while try data.u8(markerAt + 1) == 0xff { markerAt += 1 }
            if markerAt != fill { packet.add(hf.fillBytes, data, fill, markerAt - fill, .bytes, parent: top) }

            let marker = try data.u16(markerAt)
            guard let name = JFIFNames.marker(marker) else {
                let node = packet.add(hf.marker, data, markerAt, 2, .uint(UInt64(marker)), parent: top)
                packet.appendLabel(node, " (Reserved)")
                return .consumed(count)
            }
            guard JFIFNames.hasLength(marker) else {
                packet.add(hf.marker, data, markerAt, 2, .uint(UInt64(marker)), parent: top)
                entropyStart = markerAt + 2
                continue
            }
            let length = Int(try data.u16(markerAt + 2))
            let segment = JFIFSegment(data, at: markerAt, declared: 2 + length)
            switch marker {
            case 0xffe0:
                if hasTree { try app0(&packet, segment, length, marker, name, top) }
            case 0xffe1:
                try app1(&packet, segment, length, marker, name, top, firstIsExif: firstIsExif)
                firstIsExif = false
            case 0xffe2:
                if hasTree { try app2(&packet, segment, length, marker, name, top) }
            case 0xffc0...0xffc3, 0xffc5...0xffc7, 0xffc8...0xffcb, 0xffcd...0xffcf:
                if hasTree { try startOfFrame(&packet, segment, marker, name, top) }
            case 0xffda:
                if hasTree { try startOfScan(&packet, segment, marker, name, top) }
            case 0xfffe:
                if hasTree { try commentSegment(&packet, segment, length, marker, name, top) }
            default:
                if hasTree { try markerSegment(&packet, segment, length, marker, name, top) }
            }
            entropyStart = markerAt + 2 + length
        }
        return .consumed(count)
    }

    // MARK: segment headers

    /// The segment's item ("Marker segment: NAME (0xFFDB)") with its Marker and Length items.
    private func segmentItem(_ packet: inout PacketContext, _ field: FieldID, _ s: JFIFSegment, _ marker: UInt16,
                             _ name: String, _ parent: TreeNode) throws(Malformed) -> TreeNode {
        let all = try s.rest(0)
        let node = packet.add(field, s.view, all.start, all.length, .none, parent: parent)
        if packet.buildsFullTree, !node.isNone {
            packet.appendLabel(node) { b in
                b.append(": ")
                b.append(name)
                b.append(" (0x")
                b.appendUpperHex(UInt64(marker))
                b.append(")")
            }
        }
        packet.add(hf.marker, s.view, 0, 2, .uint(UInt64(try s.u16(0))), parent: node)
        packet.add(hf.length, s.view, 2, 2, .uint(UInt64(try s.u16(2))), parent: node)
        return node
    }

    /// "Remaining segment data: N bytes" over the rest of the segment; N is tshark's unsigned
    /// `len - 2 - …`, wrapping when the length field is too small.
    private func remainingData(_ packet: inout PacketContext, _ s: JFIFSegment, from offset: Int, shown: Int,
                               _ parent: TreeNode) throws(Malformed) {
        let r = try s.rest(offset)
        let node = packet.add(hf.remainingData, s.view, r.start, r.length, .bytes, parent: parent)
        if packet.buildsFullTree, !node.isNone {
            packet.setLabel(node) { b in
                b.append("Remaining segment data: ")
                b.appendDecimal(UInt64(UInt32(truncatingIfNeeded: shown)))
                b.append(" bytes")
            }
        }
    }

    /// A segment tshark does not look into (DQT, DHT, DRI, APP3–APP15 …).
    private func markerSegment(_ packet: inout PacketContext, _ s: JFIFSegment, _ length: Int, _ marker: UInt16,
                               _ name: String, _ parent: TreeNode) throws(Malformed) {
        let node = try segmentItem(&packet, hf.markerSegment, s, marker, name, parent)
        try remainingData(&packet, s, from: 4, shown: length - 2, node)
    }

    /// COM (T.81 §B.2.4.5): the comment as ASCII text.
    private func commentSegment(_ packet: inout PacketContext, _ s: JFIFSegment, _ length: Int, _ marker: UInt16,
                                _ name: String, _ parent: TreeNode) throws(Malformed) {
        let node = try segmentItem(&packet, hf.commentHeader, s, marker, name, parent)
        try addString(&packet, hf.comment, s, 4, length - 2, parent: node)
    }

    /// SOFn (T.81 §B.2.2): precision, size and the component specifications.
    private func startOfFrame(_ packet: inout PacketContext, _ s: JFIFSegment, _ marker: UInt16, _ name: String,
                              _ parent: TreeNode) throws(Malformed) {
        let node = try segmentItem(&packet, hf.sof, s, marker, name, parent)
        let v = s.view
        packet.add(hf.sofPrecision, v, 4, 1, .uint(UInt64(try s.u8(4))), parent: node)
        packet.add(hf.sofLines, v, 5, 2, .uint(UInt64(try s.u16(5))), parent: node)
        packet.add(hf.sofSamplesPerLine, v, 7, 2, .uint(UInt64(try s.u16(7))), parent: node)
        let components = try s.u8(9)
        packet.add(hf.sofNf, v, 9, 1, .uint(UInt64(components)), parent: node)
        var offset = 10
        for _ in 0..<components {
            packet.add(hf.sofC, v, offset, 1, .uint(UInt64(try s.u8(offset))), parent: node)
            let factors = try s.u8(offset + 1)
            packet.add(hf.sofH, v, offset + 1, 1, .uint(UInt64(factors >> 4)), parent: node)
            packet.add(hf.sofV, v, offset + 1, 1, .uint(UInt64(factors & 0x0f)), parent: node)
            packet.add(hf.sofTq, v, offset + 2, 1, .uint(UInt64(try s.u8(offset + 2))), parent: node)
            offset += 3
        }
    }

    /// SOS (T.81 §B.2.3): the scan's components, spectral selection and approximation.
    private func startOfScan(_ packet: inout PacketContext, _ s: JFIFSegment, _ marker: UInt16, _ name: String,
                             _ parent: TreeNode) throws(Malformed) {
        let node = try segmentItem(&packet, hf.sos, s, marker, name, parent)
        let v = s.view
        let components = try s.u8(4)
        packet.add(hf.sosNs, v, 4, 1, .uint(UInt64(components)), parent: node)
        var offset = 5
        for _ in 0..<components {
            packet.add(hf.sosCs, v, offset, 1, .uint(UInt64(try s.u8(offset))), parent: node)
            let tables = try s.u8(offset + 1)
            packet.add(hf.sosTd, v, offset + 1, 1, .uint(UInt64(tables >> 4)), parent: node)
            packet.add(hf.sosTa, v, offset + 1, 1, .uint(UInt64(tables & 0x0f)), parent: node)
            offset += 2
        }
        packet.add(hf.sosSs, v, offset, 1, .uint(UInt64(try s.u8(offset))), parent: node)
        packet.add(hf.sosSe, v, offset + 1, 1, .uint(UInt64(try s.u8(offset + 1))), parent: node)
        let approximation = try s.u8(offset + 2)
        packet.add(hf.sosAh, v, offset + 2, 1, .uint(UInt64(approximation >> 4)), parent: node)
        packet.add(hf.sosAl, v, offset + 2, 1, .uint(UInt64(approximation & 0x0f)), parent: node)
    }

    // MARK: application segments

    /// The identifier item (a NUL-terminated ASCII string at offset 4); returns its size with the NUL.
    private func identifier(_ packet: inout PacketContext, _ s: JFIFSegment, _ parent: TreeNode) throws(Malformed)
        -> (size: Int, node: TreeNode)
    {
        let size = try s.stringzSize(4)
        let node = try addString(&packet, hf.identifier, s, 4, size, parent: parent)
        return (size, node)
    }

    /// APP0 (JFIF 1.02 §"JFIF APP0 marker"): a JFIF header, a JFXX extension, or anything else.
    private func app0(_ packet: inout PacketContext, _ s: JFIFSegment, _ length: Int, _ marker: UInt16, _ name: String,
                      _ parent: TreeNode) throws(Malformed) {
        let node = try segmentItem(&packet, hf.markerSegment, s, marker, name, parent)
        let id = try identifier(&packet, s, node)
        let v = s.view
        if s.isString("JFIF", at: 4, size: id.size) {
            let major = try s.u8(9)
            let minor = try s.u8(10)
            _ = try s.start(9, 2)
            let version = packet.add(hf.version, v, 9, 2, .none, parent: node)
            if packet.buildsFullTree, !version.isNone { packet.setLabel(version, "Version: \(major).\(minor)") }
            packet.add(hf.versionMajor, v, 9, 1, .uint(UInt64(major)), parent: version)
            packet.add(hf.versionMinor, v, 10, 1, .uint(UInt64(minor)), parent: version)
            packet.add(hf.units, v, 11, 1, .uint(UInt64(try s.u8(11))), parent: node)
            packet.add(hf.xDensity, v, 12, 2, .uint(UInt64(try s.u16(12))), parent: node)
            packet.add(hf.yDensity, v, 14, 2, .uint(UInt64(try s.u16(14))), parent: node)
            let x = Int(try s.u8(16))
            let y = Int(try s.u8(17))
            packet.add(hf.xThumbnail, v, 16, 1, .uint(UInt64(x)), parent: node)
            packet.add(hf.yThumbnail, v, 17, 1, .uint(UInt64(y)), parent: node)
            if x != 0 || y != 0 {
                let start = try s.start(18, 3 * x * y)
                packet.add(hf.rgb, v, start, 3 * x * y, .bytes, parent: node)
            }
        } else if s.isString("JFXX", at: 4, size: id.size) {
            packet.add(hf.extensionCode, v, 9, 1, .uint(UInt64(try s.u8(9))), parent: node)
        } else {
            packet.appendLabel(id.node, " (unknown identifier)")
            try remainingData(&packet, s, from: 4 + id.size, shown: length - 2 - id.size, node)
        }
    }

    /// APP1: Exif (a TIFF header and its IFDs) or another identifier. tshark runs this one even
    /// without a tree, and flags the first APP1 of an image that starts with "Exif".
    private func app1(_ packet: inout PacketContext, _ s: JFIFSegment, _ length: Int, _ marker: UInt16, _ name: String,
                      _ parent: TreeNode, firstIsExif: Bool) throws(Malformed) {
        let node = try segmentItem(&packet, hf.markerSegment, s, marker, name, parent)
        let id = try identifier(&packet, s, node)
        let isJFIF = s.isString("JFIF", at: 4, size: id.size)
        if firstIsExif && !isJFIF {
            packet.addExpert(hf.eiFirstNotJFIF, parent: id.node.isNone ? node : id.node, s.view, 4, id.size)
        }
        if s.isString("Exif", at: 4, size: id.size) {
            // One pad byte follows "Exif\0".
            let tiff = try s.suffix(from: 4 + id.size + 1)
            try self.tiff(&packet, tiff, node)
        } else {
            try remainingData(&packet, s, from: 4 + id.size, shown: length - 2 - id.size, node)
            packet.appendLabel(id.node, " (Unknown identifier)")
        }
    }

    /// APP2: FlashPix ("FPXR", shown as a top-level marker item) or another identifier.
    private func app2(_ packet: inout PacketContext, _ s: JFIFSegment, _ length: Int, _ marker: UInt16, _ name: String,
                      _ parent: TreeNode) throws(Malformed) {
        let node = try segmentItem(&packet, hf.markerSegment, s, marker, name, parent)
        let id = try identifier(&packet, s, node)
        if s.isString("FPXR", at: 4, size: id.size) {
            let all = try s.rest(0)
            packet.add(hf.flashpixMarker, s.view, all.start, all.length, .none, parent: parent)
        } else {
            try remainingData(&packet, s, from: 4 + id.size, shown: length - 2 - id.size, node)
            packet.appendLabel(id.node, " (Unknown identifier)")
        }
    }

    // MARK: strings

    /// An ASCII string item of `length` bytes (tshark's FT_STRING/FT_STRINGZ with ENC_ASCII):
    /// shown up to its first NUL, bytes ≥ 0x80 as U+FFFD. A length of -1 runs to the end.
    @discardableResult
    func addString(_ packet: inout PacketContext, _ field: FieldID, _ s: JFIFSegment, _ offset: Int, _ length: Int,
                   parent: TreeNode) throws(Malformed) -> TreeNode {
        let start: Int
        let count: Int
        switch length {
        case -1: (start, count) = try s.rest(offset)
        case ..<(-1): throw Malformed()
        default:
            start = try s.start(offset, length)
            count = length
        }
        let v = s.view
        guard packet.wants(field) else { return .none }
        guard let nul = v.firstIndex(of: 0, from: start), nul < start + count else {
            return packet.addMailString(field, v, start, count, parent: parent)
        }
        return packet.addMailText(field, v, start, count, MailLabel.formatText(v, start, nul - start, asciiOnly: true),
                                  parent: parent)
    }
}
