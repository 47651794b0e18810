/// Base64 (RFC 4648 §4) for the engine and plugins: encoding for `-z follow,…,yaml`, lenient
/// decoding for credentials and MIME bodies.
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The padded encoding of `bytes`, as ASCII bytes (no line breaks).
    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        let t = alphabet
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [t[Int(v >> 18)], t[Int(v >> 12 & 63)], t[Int(v >> 6 & 63)], t[Int(v & 63)]]
            i += 3
        }
        if bytes.count - i == 1 {
            let v = UInt32(bytes[i]) << 16
            out += [t[Int(v >> 18)], t[Int(v >> 12 & 63)], 0x3d, 0x3d]
        } else if bytes.count - i == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [t[Int(v >> 18)], t[Int(v >> 12 & 63)], t[Int(v >> 6 & 63)], 0x3d]
        }
        return out
    }

    /// The decoded bytes; padding, CR, LF and spaces are skipped, any other character outside
    /// the alphabet makes it nil.
    public static func decode<S: Sequence>(_ text: S) -> [UInt8]? where S.Element == UInt8 {
        var out: [UInt8] = []
        var acc: UInt32 = 0, bits = 0
        for c in text {
            let v: UInt32
            switch c {
            case 0x41...0x5a: v = UInt32(c - 0x41)
            case 0x61...0x7a: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2b: v = 62
            case 0x2f: v = 63
            case 0x3d, 0x0d, 0x0a, 0x20: continue
            default: return nil
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }
}
