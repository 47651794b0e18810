import DissectKit

/// Formats several record types share: type bit maps, key tags, RFC 1876 sizes and angles,
/// base32hex/base64 text, and tshark's C-string views of character strings.
extension DNSDissector {
    /// "RR type in bit map: …" lines of an RFC 4034 §4.1.2 type bit map (NSEC, NSEC3, CSYNC).
    func typeBitmap(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ length: Int,
                    parent: TreeNode) throws(Malformed) {
        var cur = start
        var left = length
        while left != 0 {
            let window = Int(try data.u8(cur))
            var blocks = Int(try data.u8(cur + 1))
            cur += 2
            left -= 2
            var type = window * 256
            while blocks > 0 {
                let bits = try data.u8(cur)
                for i in 0..<8 {
                    if bits & (0x80 >> UInt8(i)) != 0 { typeInBitmap(&packet, data, cur, type, parent: parent) }
                    type += 1
                }
                cur += 1
                left -= 1
                blocks -= 1
            }
        }
    }

    func typeInBitmap(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ type: Int, parent: TreeNode) {
        let n = packet.add(hf.respType, data, offset, 1, .uint(UInt64(type)), parent: parent)
        if packet.buildsFullTree && !n.isNone {
            packet.setLabel(n, "RR type in bit map: " + (DNSNames.typeDescriptions[UInt64(type)] ?? "Unknown (\(type))"))
        }
    }

    /// The key tag of a KEY/DNSKEY record (RFC 4034 appendix B), over the whole record data.
    func keyID(_ packet: inout PacketContext, _ f: FieldID, _ data: ByteView, _ start: Int, _ size: Int,
               _ algorithm: UInt8, parent: TreeNode) throws(Malformed) {
        if size < 4 {
            // proto_tree_add_expert: a generated line with the summary, the expert info under it.
            let line = packet.addText("Buffer too short to compute a key id", data, start, max(size, 0), parent: parent,
                                      generated: true)
            packet.addExpert(hf.eiKeyIDTooShort, parent: packet.buildsFullTree ? line : parent, data, start,
                             max(size, 0))
            return
        }
        var id: UInt32
        if algorithm == 1 {
            // RSA/MD5: the low 16 bits of the modulus.
            id = UInt32(try data.u8(start + size - 3)) << 8 + UInt32(try data.u8(start + size - 2))
        } else {
            var ac: UInt32 = 0
            var i = 0
            while size - i > 1 {
                ac &+= UInt32(try data.u8(start + i)) << 8 + UInt32(try data.u8(start + i + 1))
                i += 2
            }
            if size - i > 0 { ac &+= UInt32(try data.u8(start + i)) << 8 }
            ac &+= (ac >> 16) & 0xffff
            id = ac & 0xffff
        }
        packet.addGenerated(f, .uint(UInt64(id)), parent: parent)
    }

    /// "%g" of an RFC 1876 size/precision byte (mantissa and power of ten, in centimetres), in metres.
    static func locSize(_ v: UInt8) -> String {
        var size = Double(v >> 4)
        for _ in 0..<(v & 0x0f) { size *= 10 }
        return FieldFormatter.cFormat("%g", size / 100)
    }

    /// "52 deg 24 min 0.832 sec N": an RFC 1876 latitude or longitude (thousandths of an arc
    /// second, offset by 2^31).
    static func locAngle(_ raw: UInt32, longitude: Bool) -> String {
        var angle = raw
        let direction: String
        if angle < 0x8000_0000 {
            angle = 0x8000_0000 - angle
            direction = longitude ? "W" : "S"
        } else {
            angle -= 0x8000_0000
            direction = longitude ? "E" : "N"
        }
        if angle > (longitude ? 648_000_000 : 324_000_000) { return "Value out of range" }
        let thousandths = angle % 1000
        angle /= 1000
        let seconds = angle % 60
        angle /= 60
        let minutes = angle % 60
        let degrees = angle / 60
        let t = String(thousandths)
        return "\(degrees) deg \(minutes) min \(seconds)." + String(repeating: "0", count: 3 - t.count) + t
            + " sec " + direction
    }

    /// RFC 4648 §7 base32hex (lower case, no padding) of an NSEC3 hash, 5 bits at a time; the
    /// last group reads past the hash as tshark's does.
    static func base32hex(_ data: ByteView, _ offset: Int, _ length: Int) throws(Malformed) -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuv".utf8)
        var out: [UInt8] = []
        var bit = 0
        while bit / 8 < length {
            var group = 0
            for b in bit..<(bit + 5) {
                let byte = try data.u8(offset + b / 8)
                group = group << 1 | Int(byte >> UInt8(7 - b % 8) & 1)
            }
            out.append(alphabet[group])
            bit += 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 4648 base64 with padding (ECHConfig, ODoHConfig).
    static func base64(_ data: ByteView, _ offset: Int, _ length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < length {
            let n = min(3, length - i)
            var v = 0
            for j in 0..<3 { v = v << 8 | (j < n ? Int(data[unchecked: offset + i + j]) : 0) }
            for j in 0..<4 { out.append(j <= n ? alphabet[v >> (18 - 6 * j) & 63] : 0x3d) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An `ENC_ASCII` string: bytes over 0x7f become U+FFFD.
    static func asciiDecoded(_ data: ByteView, _ offset: Int, _ length: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(length)
        for i in 0..<max(0, length) {
            let c = data[unchecked: offset + i]
            if c >= 0x80 { out.append(contentsOf: [0xef, 0xbf, 0xbd]) } else { out.append(c) }
        }
        return out
    }

    /// `"%.*s"` of an `ENC_ASCII` string: bytes over 0x7f become U+FFFD, then the first `length`
    /// bytes are kept, up to a NUL.
    static func cString(_ data: ByteView, _ offset: Int, _ length: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(length)
        var i = 0
        while i < length && out.count < length {
            let c = data[unchecked: offset + i]
            if c >= 0x80 { out.append(contentsOf: [0xef, 0xbf, 0xbd]) } else { out.append(c) }
            i += 1
        }
        if out.count > length { out.removeSubrange(length...) }
        if let z = out.firstIndex(of: 0) { out.removeSubrange(z...) }
        return out
    }

    static func ipv6(_ b: [UInt8]) -> IPv6Address {
        var hi: UInt64 = 0, lo: UInt64 = 0
        for i in 0..<8 { hi = hi << 8 | UInt64(b[i]) }
        for i in 8..<16 { lo = lo << 8 | UInt64(b[i]) }
        return IPv6Address(hi: hi, lo: lo)
    }

    /// tshark's `strncmp(tag, literal, tag_len) == 0`.
    static func isPrefix(_ tag: Slice<UnsafeRawBufferPointer>, of literal: StaticString) -> Bool {
        let l = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        var i = 0
        for c in tag {
            if i >= l.count { return c == 0 }
            if c != l[i] { return false }
            if c == 0 { return true }
            i += 1
        }
        return true
    }
}
