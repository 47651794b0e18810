/// pcapng: sections in either byte order, several interfaces with their link types and
/// timestamp resolutions, enhanced/simple/obsolete packet blocks, comments, name resolution
/// and statistics blocks (skipped), Decryption Secrets Blocks (kept for TLS).
public final class PcapngReader: CaptureReader {
    public let format: CaptureFormat = .pcapng
    public private(set) var interfaces: [InterfaceInfo] = []
    public private(set) var decryptionSecrets: [(type: UInt32, data: [UInt8])] = []
    private let source: ByteSource
    private var swapped = false
    private var section = -1
    /// Interfaces of the current section start at this index of `interfaces`.
    private var sectionBase = 0
    /// Per interface: ticks per second and offset (if_tsresol, if_tsoffset).
    private var tsResolution: [UInt64] = []
    private var tsOffset: [Int64] = []

    init(source: ByteSource) throws(CaptureError) {
        self.source = source
    }

    private func u32(_ p: UnsafeRawBufferPointer, _ o: Int) -> UInt32 {
        let v = p.loadUnaligned(fromByteOffset: o, as: UInt32.self)
        return swapped ? v.byteSwapped : v
    }

    private func u16(_ p: UnsafeRawBufferPointer, _ o: Int) -> UInt16 {
        let v = p.loadUnaligned(fromByteOffset: o, as: UInt16.self)
        return swapped ? v.byteSwapped : v
    }

    private func damaged(_ detail: String) -> CaptureError {
        CaptureError.damaged(path: source.path, detail: "pcapng: \(detail)")
    }

    public func next() throws(CaptureError) -> CapturedPacket? {
        while true {
            guard let h = try source.read(8) else {
                if source.remaining > 0 { throw damaged("the last block is cut short") }
                if source.truncatedCompressed {
                    throw damaged(source.compressionError ?? "compressed data ended early")
                }
                return nil
            }
            let rawType = h.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
            if rawType == 0x0a0d_0d0a {
                // Section header: determine byte order from the magic that follows.
                guard let bom = try source.read(4) else { throw damaged("the section header block is cut short") }
                let magic = bom.loadUnaligned(as: UInt32.self)
                if magic == 0x1a2b_3c4d { swapped = false } else if magic == 0x4d3c_2b1a { swapped = true } else {
                    throw damaged("bad byte-order magic in a section header block")
                }
                let total = Int(u32(h, 4))
                guard total >= 28, total % 4 == 0 else { throw damaged("section header block has bad length \(total)") }
                guard try source.skip(total - 12) else { throw damaged("the section header block is cut short") }
                section += 1
                sectionBase = interfaces.count
                continue
            }
            guard section >= 0 else { throw damaged("the file does not start with a section header block") }
            let type = swapped ? rawType.byteSwapped : rawType
            let total = Int(u32(h, 4))
            guard total >= 12, total % 4 == 0, total <= 128 * 1024 * 1024 else {
                throw damaged("block of type 0x\(String(type, radix: 16)) has bad length \(total)")
            }
            guard let body = try source.read(total - 8) else {
                throw damaged("a block of \(total) bytes is cut short (\(source.remaining + 8) bytes left)")
            }
            let bodyLen = total - 12 // excluding trailing length
            switch type {
            case 1:
                try readInterface(body, bodyLen)
            case 6, 2:
                return try packet(type: type, body, bodyLen)
            case 3:
                // Simple packet block: interface 0, no timestamp.
                guard bodyLen >= 4 else { throw damaged("simple packet block too short") }
                let orig = Int(u32(body, 0))
                let idx = sectionBase
                guard idx < interfaces.count else { throw damaged("simple packet block before any interface") }
                var snap = interfaces[idx].snapLength
                if snap == 0 { snap = Int.max }
                let incl = min(orig, snap, bodyLen - 4)
                var m = FrameMetadata()
                m.capturedLength = incl
                m.originalLength = orig
                m.interfaceID = idx
                m.linkType = interfaces[idx].linkType
                m.section = section
                return CapturedPacket(meta: m, bytes: UnsafeRawBufferPointer(rebasing: body[4..<(4 + incl)]))
            case 10:
                // Decryption secrets block.
                guard bodyLen >= 8 else { throw damaged("decryption secrets block too short") }
                let stype = u32(body, 0)
                let slen = Int(u32(body, 4))
                guard slen <= bodyLen - 8 else { throw damaged("decryption secrets block length is wrong") }
                decryptionSecrets.append((stype, Array(body[8..<(8 + slen)])))
            default:
                continue // NRB, ISB, custom and unknown blocks are skipped
            }
        }
    }

    private func readInterface(_ body: UnsafeRawBufferPointer, _ bodyLen: Int) throws(CaptureError) {
        guard bodyLen >= 8 else { throw damaged("interface description block too short") }
        var info = InterfaceInfo(linkType: Int(u16(body, 0)), snapLength: Int(u32(body, 4)), section: section)
        var resolution: UInt64 = 1_000_000
        var offset: Int64 = 0
        forEachOption(body, from: 8, to: bodyLen) { code, value in
            switch code {
            case 2: info.name = Self.text(value)
            case 3: info.description = Self.text(value)
            case 9:
                if let b = value.first {
                    if b & 0x80 != 0 {
                        resolution = 1 << UInt64(min(Int(b & 0x7f), 63))
                    } else {
                        var r: UInt64 = 1
                        for _ in 0..<min(Int(b), 19) { r *= 10 }
                        resolution = r
                    }
                }
            case 13:
                if let b = value.first { info.fcsLength = Int(b) }
            case 14:
                if value.count == 8 {
                    let v = value.loadUnaligned(as: Int64.self)
                    offset = swapped ? v.byteSwapped : v
                }
            default: break
            }
        }
        var digits = 0
        var r = resolution
        while r > 1 { r /= 10; digits += 1 }
        info.timeDigits = min(max(digits, 0), 9)
        interfaces.append(info)
        tsResolution.append(resolution)
        tsOffset.append(offset)
    }

    private static func text(_ v: UnsafeRawBufferPointer) -> String {
        var b = Array(v)
        while let l = b.last, l == 0 { b.removeLast() }
        return String(decoding: b, as: UTF8.self)
    }

    private func forEachOption(_ body: UnsafeRawBufferPointer, from: Int, to: Int,
                               _ f: (UInt16, UnsafeRawBufferPointer) -> Void) {
        var o = from
        while o + 4 <= to {
            let code = u16(body, o)
            let len = Int(u16(body, o + 2))
            if code == 0 { break }
            guard o + 4 + len <= to else { break }
            f(code, UnsafeRawBufferPointer(rebasing: body[(o + 4)..<(o + 4 + len)]))
            o += 4 + (len + 3) & ~3
        }
    }

    private func packet(type: UInt32, _ body: UnsafeRawBufferPointer, _ bodyLen: Int) throws(CaptureError) -> CapturedPacket {
        guard bodyLen >= 20 else { throw damaged("packet block too short") }
        let ifLocal: Int
        if type == 6 { ifLocal = Int(u32(body, 0)) } else { ifLocal = Int(u16(body, 0)) }
        let idx = sectionBase + ifLocal
        guard idx < interfaces.count else {
            throw damaged("packet block refers to interface \(ifLocal), but the section has only \(interfaces.count - sectionBase)")
        }
        let tsHigh = UInt64(u32(body, 4)), tsLow = UInt64(u32(body, 8))
        let incl = Int(u32(body, 12)), orig = Int(u32(body, 16))
        guard incl <= bodyLen - 20 else {
            throw damaged("packet block captured length \(incl) exceeds the block")
        }
        let ticks = tsHigh << 32 | tsLow
        let res = tsResolution[idx]
        let secs = Int64(ticks / res) + tsOffset[idx]
        let rem = ticks % res
        let nanos: Int64
        if res <= 1_000_000_000 {
            nanos = Int64(rem * (1_000_000_000 / res))
        } else {
            nanos = Int64(Double(rem) * 1e9 / Double(res))
        }
        var m = FrameMetadata()
        m.timestamp = Timestamp(seconds: secs, nanoseconds: Int32(nanos))
        m.capturedLength = incl
        m.originalLength = max(orig, incl)
        m.interfaceID = idx
        m.linkType = interfaces[idx].linkType
        m.section = section
        var comments: [String] = []
        let optStart = 20 + (incl + 3) & ~3
        if optStart < bodyLen {
            forEachOption(body, from: optStart, to: bodyLen) { code, value in
                if code == 1 { comments.append(Self.text(value)) }
                if code == 2 && value.count == 4 {
                    let v = value.loadUnaligned(as: UInt32.self)
                    m.epbFlags = swapped ? v.byteSwapped : v
                }
            }
        }
        m.hasComments = !comments.isEmpty
        return CapturedPacket(meta: m, bytes: UnsafeRawBufferPointer(rebasing: body[20..<(20 + incl)]), comments: comments)
    }
}
