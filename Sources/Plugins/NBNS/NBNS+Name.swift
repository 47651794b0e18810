import DissectKit

/// A NetBIOS name as RFC 1001 §14.1 encodes it on the wire: a DNS-style name whose first label
/// is the 16-byte NetBIOS name in "first-level encoding" (each byte as two letters 'A'+nibble),
/// optionally followed by scope labels. Decoded as tshark's `get_nbns_name` +
/// `process_netbios_name` do: "CISCO29401<20>", scope appended ("NAME<00>.scope"), or one of
/// tshark's "Illegal NetBIOS name (…)" texts.
struct NetBIOSName {
    /// Bytes the encoded name takes at its position (tshark's `used_bytes`).
    var used: Int
    /// The 16th byte (the name type), nil when the name is illegal.
    var type: UInt8?

    static let length = 16

    /// tshark's `nb_name_type_vals` (packet-netbios.c).
    static let typeNames: [UInt8: String] = [
        0x00: "Workstation/Redirector", 0x01: "Browser", 0x02: "Workstation/Redirector",
        0x03: "Messenger service/Main name", 0x05: "Forwarded name", 0x06: "RAS Server service",
        0x1b: "Domain Master Browser", 0x1c: "Domain Controllers", 0x1d: "Local Master Browser",
        0x1e: "Browser Election Service", 0x1f: "Net DDE Service", 0x20: "Server service",
        0x21: "RAS client service", 0x22: "Exchange Interchange (MSMail Connector)", 0x23: "Exchange Store",
        0x24: "Exchange Directory", 0x2b: "Lotus Notes Server service", 0x30: "Modem sharing server service",
        0x31: "Modem sharing client service", 0x43: "SMS Clients Remote Control",
        0x44: "SMS Administrators Remote Control Tool", 0x45: "SMS Clients Remote Chat",
        0x46: "SMS Clients Remote Transfer", 0x4c: "DEC Pathworks TCP/IP Service on Windows NT",
        0x52: "DEC Pathworks TCP/IP Service on Windows NT", 0x6a: "Microsoft Exchange IMC",
        0x87: "Microsoft Exchange MTA", 0xbe: "Network Monitor Agent", 0xbf: "Network Monitor Analyzer",
    ]

    /// tshark's `netbios_name_type_descr`.
    static func typeDescription(_ type: UInt8) -> String { typeNames[type] ?? "Unknown" }

    /// Reads the name at `offset` (compression pointers count from `base`) and writes its printed
    /// form into `out` (reused; no allocation after warm-up).
    static func read(_ data: ByteView, at offset: Int, base: Int, raw: inout [UInt8],
                     into out: inout [UInt8]) throws(Malformed) -> NetBIOSName {
        let dns = try DNSNameReader.read(data, at: offset, base: base, into: &raw)
        out.removeAll(keepingCapacity: true)
        if dns.literal != nil {
            // "<Root>" and friends start with '<': not first-level encoded.
            append(&out, "Illegal NetBIOS name (1st character not between A and Z in first-level encoding)")
            return NetBIOSName(used: dns.used, type: nil)
        }
        var decoded: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var i = 0
        var scopeAt: Int? = nil
        let A = UInt8(ascii: "A"), Z = UInt8(ascii: "Z"), dot = UInt8(ascii: ".")
        while i < raw.count {
            let c1 = raw[i]
            if c1 == 0 { break }
            if c1 == dot { scopeAt = i; break }
            guard c1 >= A && c1 <= Z else {
                append(&out, "Illegal NetBIOS name (1st character not between A and Z in first-level encoding)")
                return NetBIOSName(used: dns.used, type: nil)
            }
            i += 1
            let c2 = i < raw.count ? raw[i] : 0
            if c2 == 0 || c2 == dot {
                append(&out, "Illegal NetBIOS name (odd number of bytes)")
                return NetBIOSName(used: dns.used, type: nil)
            }
            guard c2 >= A && c2 <= Z else {
                append(&out, "Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)")
                return NetBIOSName(used: dns.used, type: nil)
            }
            i += 1
            if count < length {
                let b = UInt8(truncatingIfNeeded: (Int(c1 - A) << 4) | Int(c2 - A))
                withUnsafeMutableBytes(of: &decoded) { $0[count] = b }
                // Letters past the 16th are dropped, as tshark does.
                count += 1
            }
        }
        guard count == length else {
            append(&out, "Illegal NetBIOS name (\(count) bytes long)")
            return NetBIOSName(used: dns.used, type: nil)
        }
        let type = withUnsafeBytes(of: &decoded) { p -> UInt8 in
            printable(UnsafeRawBufferPointer(rebasing: p[0..<15]), into: &out)
            return p[15]
        }
        out.append(UInt8(ascii: "<"))
        appendHex(&out, type)
        out.append(UInt8(ascii: ">"))
        if let s = scopeAt { out.append(contentsOf: raw[s...]) }
        return NetBIOSName(used: dns.used, type: type)
    }

    /// tshark's `process_netbios_name` on the first 15 bytes: printable ASCII as is, anything
    /// else as "<xx>", trailing spaces removed (but a name of only spaces keeps them: tshark's
    /// loop never finds the end).
    static func printable(_ name: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let start = out.count
        for c in name {
            if c >= 0x20 && c <= 0x7e {
                out.append(c)
            } else {
                out.append(UInt8(ascii: "<"))
                appendHex(&out, c)
                out.append(UInt8(ascii: ">"))
            }
        }
        var end = out.count
        var checked = 0
        while checked < 15 && end > start && out[end - 1] == 0x20 {
            end -= 1
            checked += 1
        }
        if checked < 15 { out.removeSubrange(end...) }
    }

    static func appendHex(_ out: inout [UInt8], _ b: UInt8) {
        let digits: StaticString = "0123456789abcdef"
        out.append(digits.utf8Start[Int(b >> 4)])
        out.append(digits.utf8Start[Int(b & 15)])
    }

    private static func append(_ out: inout [UInt8], _ s: String) { out.append(contentsOf: s.utf8) }
}
