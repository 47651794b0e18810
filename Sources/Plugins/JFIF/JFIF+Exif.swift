import DissectKit

/// Which IFD chain is being read: its tag names and its title ("Exif IFD #0").
struct ExifIFDKind {
    let tagField: FieldID
    let title: String
    /// Only IFD0's chain follows the Exif, GPS and Interoperability pointers.
    let followsPointers: Bool
}

extension JFIFDissector {
    /// At most this many IFD entries per APP1 segment. Real images have a few dozen; the cap
    /// only stops crafted ones whose IFD0 points many times at one huge IFD (tshark would
    /// build tens of millions of items).
    static let maxIFDEntries = 100_000

    /// The TIFF header of an Exif APP1 (TIFF 6.0 §2): byte order, the magic 42 (not checked,
    /// as tshark), the offset of IFD0, then the IFD chain.
    func tiff(_ packet: inout PacketContext, _ t: JFIFSegment, _ parent: TreeNode) throws(Malformed) {
        let order = try t.u16(0)
        let little: Bool
        switch order {
        case 0x4949: little = true
        case 0x4d4d: little = false
        default:
            let node = packet.add(hf.endianness, t.view, 0, 2, .uint(UInt64(order)), parent: parent)
            if packet.buildsFullTree, !node.isNone {
                packet.setLabel(node, "Endianness: Incorrect encoding 0x" + FieldFormatter.hex(UInt64(order), digits: 4)
                    + "- skipping the remainder of this application marker")
            }
            return
        }
        let node = packet.add(hf.endianness, t.view, 0, 2, .uint(UInt64(order)), parent: parent)
        if packet.buildsFullTree, !node.isNone {
            packet.setLabel(node, little ? "Endianness: little endian" : "Endianness: big endian")
        }
        let first = try t.u32(4, littleEndian: little)
        let firstNode = packet.add(hf.startIFDOffset, t.view, 4, 4, .uint(UInt64(first)), parent: parent)
        if first < 8 {
            packet.addExpert(hf.eiStartIFDOffset, parent: firstNode.isNone ? parent : firstNode, t.view, 4, 4,
                             message: " (bogus, should be >= 8)")
            return
        }
        var budget = Self.maxIFDEntries
        try ifdChain(&packet, t, little, first, ExifIFDKind(tagField: hf.ifdTag, title: "Image File Directory",
                                                            followsPointers: true), parent, &budget)
    }

    /// A chain of IFDs (TIFF 6.0 §2 "Image File Directory"): entries, then the offset of the
    /// next IFD, which must move forward. Values that do not fit in an entry are shown at the
    /// level of `parent`, after the IFD, as tshark does.
    private func ifdChain(_ packet: inout PacketContext, _ t: JFIFSegment, _ little: Bool, _ first: UInt32,
                          _ kind: ExifIFDKind, _ parent: TreeNode, _ budget: inout Int) throws(Malformed) {
        var next = first
        var index = 0
        while true {
            // tshark keeps offsets in C ints: one of 2^31 or more counts from the end.
            var offset = Int(Int32(truncatingIfNeeded: next))
            let fieldCount = Int(try t.u16(offset, littleEndian: little))
            let ifdStart = try t.start(offset, fieldCount * 12 + 6)
            let title = kind.title
            let ifd = packet.addText(t.view, ifdStart, fieldCount * 12 + 6, parent: parent) { b in
                b.append(title)
                b.append(" #")
                b.appendDecimal(index)
            }
            packet.add(hf.ifdNumFields, t.view, ifdStart, 2, .uint(UInt64(fieldCount)), parent: ifd)
            offset += 2
            for _ in 0..<fieldCount {
                budget -= 1
                if budget < 0 { return }
                try entry(&packet, t, little, offset, kind, ifd, parent, &budget)
                offset += 12
            }
            let nextAt = try t.start(offset, 4)
            next = try t.u32(offset, littleEndian: little)
            let nextNode = packet.add(hf.nextIFDOffset, t.view, nextAt, 4, .uint(UInt64(next)), parent: ifd)
            offset += 4
            if next == 0 { return }
            let here = UInt32(truncatingIfNeeded: Int32(truncatingIfNeeded: offset))
            if next < here {
                packet.addExpert(hf.eiNextIFDOffset, parent: nextNode.isNone ? ifd : nextNode, t.view, nextAt, 4,
                                 message: " (bogus, should be >= \(here))")
                return
            }
            index += 1
        }
    }

    /// One 12-byte IFD entry: tag, type, count, and the values (in the entry when they fit in
    /// four bytes, else at the offset it gives).
    private func entry(_ packet: inout PacketContext, _ t: JFIFSegment, _ little: Bool, _ at: Int, _ kind: ExifIFDKind,
                       _ ifd: TreeNode, _ outer: TreeNode, _ budget: inout Int) throws(Malformed) {
        let v = t.view
        let tagAt = try t.start(at, 2)
        let tag = try t.u16(at, littleEndian: little)
        packet.add(kind.tagField, v, tagAt, 2, .uint(UInt64(tag)), parent: ifd)
        let typeAt = try t.start(at + 2, 2)
        let type = try t.u16(at + 2, littleEndian: little)
        packet.add(hf.ifdType, v, typeAt, 2, .uint(UInt64(type)), parent: ifd)
        let countAt = try t.start(at + 4, 4)
        let count = try t.u32(at + 4, littleEndian: little)
        packet.add(hf.ifdCount, v, countAt, 4, .uint(UInt64(count)), parent: ifd)
        let offsetField = at + 8

        let size: Int
        let field: FieldID
        switch type {
        case 1: size = 1; field = hf.valueByte
        case 2: size = 1; field = hf.valueASCII
        case 3: size = 2; field = hf.valueShort
        case 4: size = 4; field = hf.valueLong
        case 5: size = 8; field = hf.valueRational
        case 7: size = 1; field = hf.valueUndefined
        case 9: size = 4; field = hf.valueSLong
        case 10: size = 8; field = hf.valueSRational
        default: size = 0; field = .textOnly
        }

        var valueAt: Int?
        let valueParent: TreeNode
        if size == 0 || UInt32(4 / size) < count {
            let fieldAt = try t.start(offsetField, 4)
            let pointer = try t.u32(offsetField, littleEndian: little)
            let node = packet.add(hf.ifdOffset, v, fieldAt, 4, .uint(UInt64(pointer)), parent: ifd)
            if Int(pointer) < t.declared {
                valueAt = Int(Int32(truncatingIfNeeded: pointer))
            } else {
                packet.addExpert(hf.eiValueOffset, parent: node.isNone ? ifd : node, v, fieldAt, 4,
                                 message: "bogus, should be < \(t.declared)")
            }
            valueParent = outer
        } else {
            valueAt = offsetField
            valueParent = ifd
        }
        guard var valueOffset = valueAt, size != 0 else { return }

        if type == 2 || type == 7 {
            // One item for all the bytes; its length is the count as a C int (-1: to the end).
            let length = Int(Int32(truncatingIfNeeded: count))
            if type == 2 {
                try addString(&packet, field, t, valueOffset, length, parent: valueParent)
            } else {
                let (start, n) = length == -1 ? try t.rest(valueOffset) : (try t.start(valueOffset, length), length)
                packet.add(field, v, start, n, .bytes, parent: valueParent)
            }
            return
        }
        var i: UInt32 = 0
        while i < count {
            let start = try t.start(valueOffset, size)
            switch type {
            case 1:
                packet.add(field, v, start, 1, .uint(UInt64(v[unchecked: start])), parent: valueParent)
            case 3:
                packet.add(field, v, start, 2, .uint(UInt64(try t.u16(valueOffset, littleEndian: little))),
                           parent: valueParent)
            case 9:
                let n = Int32(bitPattern: try t.u32(valueOffset, littleEndian: little))
                packet.add(field, v, start, 4, .int(Int64(n)), parent: valueParent)
            case 5, 10:
                let num = try t.u32(valueOffset, littleEndian: little)
                let den = try t.u32(valueOffset + 4, littleEndian: little)
                let signed = type == 10
                let node = packet.add(field, v, start, 8, .none, parent: valueParent)
                if signed {
                    packet.add(hf.sRationalNumerator, v, start, 4, .int(Int64(Int32(bitPattern: num))), parent: node)
                    packet.add(hf.sRationalDenominator, v, start + 4, 4, .int(Int64(Int32(bitPattern: den))), parent: node)
                } else {
                    packet.add(hf.rationalNumerator, v, start, 4, .uint(UInt64(num)), parent: node)
                    packet.add(hf.rationalDenominator, v, start + 4, 4, .uint(UInt64(den)), parent: node)
                }
                if packet.buildsFullTree, !node.isNone {
                    packet.setLabel(node, signed ? "Value: \(Int32(bitPattern: num))/\(Int32(bitPattern: den))"
                                                 : "Value: \(num)/\(den)")
                }
            default: // 4, LONG
                let value = try t.u32(valueOffset, littleEndian: little)
                let node = packet.add(field, v, start, 4, .uint(UInt64(value)), parent: valueParent)
                if count == 1, kind.followsPointers {
                    try pointer(&packet, t, little, UInt64(tag), value, node, start, outer, &budget)
                }
            }
            valueOffset += size
            i += 1
        }
    }

    /// IFD0's pointers to the Exif, GPS and Interoperability IFDs (Exif 2.32 §4.6.3).
    private func pointer(_ packet: inout PacketContext, _ t: JFIFSegment, _ little: Bool, _ tag: UInt64,
                         _ target: UInt32, _ node: TreeNode, _ at: Int, _ outer: TreeNode,
                         _ budget: inout Int) throws(Malformed) {
        let kind: ExifIFDKind
        switch tag {
        case ExifTag.exifIFD: kind = ExifIFDKind(tagField: hf.ifdTagExif, title: "Exif IFD", followsPointers: false)
        case ExifTag.gpsIFD: kind = ExifIFDKind(tagField: hf.ifdTagGPS, title: "GPS IFD", followsPointers: false)
        case ExifTag.interopIFD:
            kind = ExifIFDKind(tagField: hf.ifdTagInterop, title: "Interoperability IFD", followsPointers: false)
        default: return
        }
        guard Int(target) < t.declared else {
            packet.addExpert(hf.eiStartIFDOffset, parent: node.isNone ? outer : node, t.view, at, 4,
                             message: "bogus, should be < \(t.declared)")
            return
        }
        try ifdChain(&packet, t, little, target, kind, outer, &budget)
    }
}
