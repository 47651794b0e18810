#if canImport(Glibc)
import Glibc
#endif

/// MAC vendor and well-known address names, read at run time from Wireshark's `manuf` and
/// `wka` files (Debian's `libwireshark-data`) when installed. Without them addresses print
/// as plain hex, as tshark does with an empty `manuf`.
public final class NameResolver: @unchecked Sendable {
    /// 24-bit OUI → short vendor name.
    private var oui: [UInt32: String] = [:]
    /// Longer prefixes: (prefix bits, masked address) → name, longest first.
    private var longPrefixes: [(bits: Int, prefix: UInt64, name: String)] = []
    /// Whole well-known addresses.
    private var wellKnown: [UInt64: String] = [:]
    public var resolveMAC = true
    private var cache: [UInt64: String] = [:]

    public static let searchPaths = ["/usr/share/wireshark", "/usr/local/share/wireshark"]

    public init(loadSystemFiles: Bool = true) {
        guard loadSystemFiles else { return }
        for dir in Self.searchPaths {
            if let text = Self.readFile(dir + "/manuf") {
                parseManuf(text)
                if let w = Self.readFile(dir + "/wka") { parseWKA(w) }
                break
            }
        }
    }

    static func readFile(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func parseAddress(_ s: Substring) -> (UInt64, Int)? {
        // "00:1B:C5" or "00:1B:C5:00:00:00/36" or "00-1B-C5"
        var bits = -1
        var addrPart = s
        if let slash = s.firstIndex(of: "/") {
            bits = Int(s[s.index(after: slash)...]) ?? -1
            addrPart = s[..<slash]
        }
        var value: UInt64 = 0
        var n = 0
        for part in addrPart.split(whereSeparator: { $0 == ":" || $0 == "-" || $0 == "." }) {
            guard let b = UInt8(part, radix: 16) else { return nil }
            value = value << 8 | UInt64(b)
            n += 1
        }
        guard n > 0 && n <= 6 else { return nil }
        if bits < 0 { bits = n * 8 }
        value <<= UInt64((6 - n) * 8)
        return (value, bits)
    }

    func parseManuf(_ text: String) {
        for line in text.split(separator: "\n") {
            if line.first == "#" { continue }
            let cols = line.split(separator: "\t", omittingEmptySubsequences: true)
            guard cols.count >= 2, let (addr, bits) = Self.parseAddress(cols[0]) else { continue }
            let name = String(cols[1]).trimmingSpaces
            if bits == 24 {
                oui[UInt32(addr >> 24)] = name
            } else if bits > 24 && bits < 48 {
                longPrefixes.append((bits, addr, name))
            } else if bits == 48 {
                wellKnown[addr] = name
            }
        }
        longPrefixes.sort { $0.bits > $1.bits }
    }

    func parseWKA(_ text: String) {
        for line in text.split(separator: "\n") {
            if line.first == "#" { continue }
            let cols = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard cols.count >= 2, let (addr, bits) = Self.parseAddress(cols[0]) else { continue }
            let name = String(cols[1])
            if bits == 48 { wellKnown[addr] = name } else if bits < 48 { longPrefixes.append((bits, addr, name)) }
        }
        longPrefixes.sort { $0.bits > $1.bits }
    }

    /// "Cisco_12:34:56", a well-known name ("Broadcast"), or the plain address.
    public func etherName(_ mac: UInt64) -> String {
        guard resolveMAC else { return Self.etherString(mac) }
        if let c = cache[mac] { return c }
        let name = computeEtherName(mac)
        if cache.count < 65536 { cache[mac] = name }
        return name
    }

    private func computeEtherName(_ mac: UInt64) -> String {
        if let w = wellKnown[mac] { return w }
        for p in longPrefixes {
            let mask: UInt64 = p.bits >= 48 ? 0xffff_ffff_ffff : ~((UInt64(1) << UInt64(48 - p.bits)) - 1) & 0xffff_ffff_ffff
            if mac & mask == p.prefix & mask {
                if p.bits % 8 == 0 && p.bits >= 48 { return p.name }
                let restBytes = (48 - p.bits + 7) / 8
                return p.name + "_" + Self.hexBytes(mac, last: restBytes)
            }
        }
        if let v = oui[UInt32(mac >> 24)] { return v + "_" + Self.hexBytes(mac, last: 3) }
        return Self.etherString(mac)
    }

    /// The vendor of an OUI, if known ("eth.src.oui_resolved").
    public func vendor(_ mac: UInt64) -> String? { oui[UInt32(mac >> 24)] }

    static func hexBytes(_ mac: UInt64, last n: Int) -> String {
        var parts: [String] = []
        for i in stride(from: n - 1, through: 0, by: -1) {
            let b = UInt8((mac >> UInt64(i * 8)) & 0xff)
            parts.append(hex2(b))
        }
        return parts.joined(separator: ":")
    }

    public static func etherString(_ mac: UInt64) -> String { hexBytes(mac, last: 6) }
}

@inline(__always)
func hex2(_ b: UInt8) -> String {
    let d: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
    return String([d[Int(b >> 4)], d[Int(b & 15)]])
}
