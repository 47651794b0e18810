#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// MAC address names as tshark 4.0 prints them by default: well-known addresses ("Broadcast"),
/// well-known ranges ("IPv6mcast_01"), vendors ("Cisco_12:34:56").
///
/// The tables come from Wireshark's `manuf` and `wka` files (Debian's `libwireshark-data`), read
/// at run time when installed, the first time a name is needed. They are never copied into this
/// project; without them every address prints as plain hex, as tshark does with empty files.
/// Tests load hand-made lines with `init(manuf:wka:)`.
///
/// The lookup order copies tshark 4.0's `eth_addr_resolve` (checked against tshark 4.0.17):
/// 1. whole addresses (48-bit entries of both files; a later line wins);
/// 2. ranges, from /47 down to /24: the address masked to that many bits is looked up in one
///    table of every range entry keyed by its masked address — the entry's own prefix length is
///    *not* part of the key (tshark's quirk: `00:1b:c5:ff:ff:ff` matches the /36 entry stored
///    at `00:1b:c5:00:00:00` when looked up as a /24 and prints "Convergi_ff:ff:ff");
/// 3. the 24-bit vendor table, first exactly, then with the group (multicast) bit cleared;
/// 4. ranges from /23 down to /1.
/// A range match at prefix length L prints the name, "_", then the bytes from byte L/8 on, the
/// first of them masked to the bits below the prefix.
public final class NameResolver: @unchecked Sendable {
    /// Vendor of a 24-bit OUI: the short name of `manuf`'s second column and the long name of
    /// its third (the short one when there is no third).
    public struct Vendor: Sendable {
        public let shortName: String
        public let longName: String
    }

    /// When false (`-n`, or `-N` without `m`), addresses print as plain hex.
    public var resolveMAC = true

    private var vendors: [UInt32: Vendor] = [:]
    private var wholeAddresses: [UInt64: String] = [:]
    private var ranges: [UInt64: String] = [:]
    private var cache: [UInt64: String] = [:]
    private var loaded: Bool
    /// Guards `cache` and the lazy load: labels are resolved while dissecting and values while
    /// printing, which may run on two threads (`PacketPipeline`).
    private let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()
    private static let cacheLimit = 65_536

    /// Where tshark 4.0 (Debian) keeps `manuf` and `wka`.
    public static let searchPaths = ["/usr/share/wireshark", "/usr/local/share/wireshark"]

    /// A resolver reading the system's `manuf`/`wka` on first use (or none with `false`).
    public init(loadSystemFiles: Bool = true) {
        loaded = !loadSystemFiles
    }

    /// A resolver with the given file contents (tests, embedders).
    public init(manuf: String, wka: String = "") {
        loaded = true
        load(manuf: manuf, wka: wka)
    }

    /// Adds `manuf` and `wka` lines (later lines win, as in tshark, which reads `manuf` first).
    public func load(manuf: String, wka: String = "") {
        var m = manuf
        m.withUTF8 { parse($0, isWKA: false) }
        var w = wka
        w.withUTF8 { parse($0, isWKA: true) }
        cache.removeAll()
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    private func loadSystemFilesIfNeeded() {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        loadSystemFilesLocked()
    }

    private func loadSystemFilesLocked() {
        guard !loaded else { return }
        loaded = true
        for dir in Self.searchPaths {
            guard let manuf = Self.readFile(dir + "/manuf") else { continue }
            manuf.withUnsafeBufferPointer { parse(UnsafeBufferPointer(rebasing: $0[...]), isWKA: false) }
            if let wka = Self.readFile(dir + "/wka") {
                wka.withUnsafeBufferPointer { parse(UnsafeBufferPointer(rebasing: $0[...]), isWKA: true) }
            }
            return
        }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    // MARK: parsing

    /// One pass over the file's bytes, one line at a time: "ADDRESS[/BITS] NAME [LONG NAME]",
    /// '#' starts a comment, fields are separated by blanks (the long name only by tabs).
    private func parse(_ text: UnsafeBufferPointer<UInt8>, isWKA: Bool) {
        var start = 0
        let n = text.count
        while start < n {
            var end = start
            while end < n && text[end] != 0x0a { end += 1 }
            parseLine(text, start, end)
            start = end + 1
        }
    }

    private func parseLine(_ t: UnsafeBufferPointer<UInt8>, _ lineStart: Int, _ lineEnd: Int) {
        var end = lineStart
        while end < lineEnd && t[end] != 0x23 /* # */ { end += 1 }
        while end > lineStart && (t[end - 1] == 0x0d || t[end - 1] == 0x20 || t[end - 1] == 0x09) { end -= 1 }
        func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        var i = lineStart
        while i < end && isBlank(t[i]) { i += 1 }
        let addrStart = i
        while i < end && !isBlank(t[i]) { i += 1 }
        guard let (address, byteCount, bits) = Self.parseAddress(t, addrStart, i) else { return }
        while i < end && isBlank(t[i]) { i += 1 }
        let nameStart = i
        while i < end && !isBlank(t[i]) { i += 1 }
        guard i > nameStart else { return }
        let name = String(decoding: UnsafeBufferPointer(rebasing: t[nameStart..<i]), as: UTF8.self)
        // The long name: after the separator that ended the short name, up to the next tab.
        var longName = name
        if i < end {
            let ls = i + 1
            var le = ls
            while le < end && t[le] != 0x09 { le += 1 }
            if le > ls { longName = String(decoding: UnsafeBufferPointer(rebasing: t[ls..<le]), as: UTF8.self) }
        }
        if let bits, bits < 48 {
            ranges[Self.masked(address, bits)] = name
        } else if byteCount == 3 && bits == nil {
            vendors[UInt32(truncatingIfNeeded: address >> 24)] = Vendor(shortName: name, longName: longName)
        } else if byteCount == 6 || bits == 48 {
            wholeAddresses[address] = name
        } else {
            // A 4- or 5-byte address with no mask covers exactly its bytes.
            ranges[Self.masked(address, byteCount * 8)] = name
        }
    }

    /// "00:1B:C5", "00-1B-C5-00-00-00/36", "0001.c500" (':', '-' or '.' between hex bytes).
    private static func parseAddress(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (UInt64, Int, Int?)? {
        var value: UInt64 = 0
        var bytes = 0
        var digits = 0
        var current: UInt64 = 0
        var i = s
        var bits: Int?
        func flush() -> Bool {
            guard digits > 0 && digits <= 2 && bytes < 6 else { return false }
            value = value << 8 | current
            bytes += 1
            digits = 0
            current = 0
            return true
        }
        while i < e {
            let c = t[i]
            switch c {
            case 0x30...0x39: current = current << 4 | UInt64(c - 0x30); digits += 1
            case 0x41...0x46: current = current << 4 | UInt64(c - 0x41 + 10); digits += 1
            case 0x61...0x66: current = current << 4 | UInt64(c - 0x61 + 10); digits += 1
            case 0x3a, 0x2d, 0x2e:
                guard flush() else { return nil }
            case 0x2f:
                guard flush() else { return nil }
                var b = 0
                var j = i + 1
                guard j < e else { return nil }
                while j < e {
                    let d = t[j]
                    guard d >= 0x30 && d <= 0x39 else { return nil }
                    b = b * 10 + Int(d - 0x30)
                    if b > 48 { return nil }
                    j += 1
                }
                bits = b
                i = e
                continue
            default:
                return nil
            }
            i += 1
        }
        if digits > 0 { guard flush() else { return nil } }
        guard bytes >= 1 else { return nil }
        value <<= UInt64((6 - bytes) * 8)
        return (value, bytes, bits)
    }

    @inline(__always)
    static func masked(_ address: UInt64, _ bits: Int) -> UInt64 {
        guard bits > 0 else { return 0 }
        let keep: UInt64 = bits >= 48 ? 0xffff_ffff_ffff : ~((UInt64(1) << UInt64(48 - bits)) - 1) & 0xffff_ffff_ffff
        return address & keep
    }

    // MARK: lookups

    /// "Cisco_12:34:56", a well-known name ("Broadcast"), or the plain address.
    public func etherName(_ mac: UInt64) -> String {
        guard resolveMAC else { return Self.etherString(mac) }
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if let c = cache[mac] { return c }
        loadSystemFilesLocked()
        let name = computeEtherName(mac)
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[mac] = name
        return name
    }

    private func computeEtherName(_ mac: UInt64) -> String {
        if let w = wholeAddresses[mac] { return w }
        if !ranges.isEmpty {
            for bits in stride(from: 47, through: 24, by: -1) {
                if let name = ranges[Self.masked(mac, bits)] { return Self.rangeName(name, mac, bits) }
            }
        }
        let oui = UInt32(truncatingIfNeeded: mac >> 24)
        if let v = vendors[oui] ?? (oui & 0x01_0000 != 0 ? vendors[oui & 0xfe_ffff] : nil) {
            return v.shortName + "_" + Self.hexBytes(mac, last: 3)
        }
        if !ranges.isEmpty {
            for bits in stride(from: 23, through: 1, by: -1) {
                if let name = ranges[Self.masked(mac, bits)] { return Self.rangeName(name, mac, bits) }
            }
        }
        return Self.etherString(mac)
    }

    /// "name_" + the bytes from byte `bits / 8` on, the first one masked to the bits below the prefix.
    static func rangeName(_ name: String, _ mac: UInt64, _ bits: Int) -> String {
        let first = bits / 8
        var out = name + "_"
        for i in first..<6 {
            var b = UInt8(truncatingIfNeeded: mac >> UInt64((5 - i) * 8))
            if i == first { b &= UInt8(truncatingIfNeeded: 0xff >> (bits % 8)) }
            if i > first { out += ":" }
            out += hex2(b)
        }
        return out
    }

    /// The vendor of an OUI, exactly as registered (tshark's `*.oui_resolved`: no group-bit fallback).
    public func vendor(oui: UInt32) -> Vendor? {
        loadSystemFilesIfNeeded()
        return vendors[oui & 0xff_ffff]
    }

    /// The short vendor name of a MAC address's OUI, if known.
    public func vendor(_ mac: UInt64) -> String? { vendor(oui: UInt32(truncatingIfNeeded: mac >> 24))?.shortName }

    /// The text tshark shows for a `BASE_OUI` field: "08:00:2b (Digital Equipment Cor" — the
    /// address and the vendor's long name, cut to 31 characters as tshark's label buffer does.
    public func ouiDisplay(_ oui: UInt32) -> String {
        let o = oui & 0xff_ffff
        let plain = hex2(UInt8(o >> 16)) + ":" + hex2(UInt8((o >> 8) & 0xff)) + ":" + hex2(UInt8(o & 0xff))
        guard let v = vendor(oui: o) else { return plain }
        let full = plain + " (" + v.longName + ")"
        var utf8 = Array(full.utf8)
        if utf8.count > 31 { utf8.removeSubrange(31...) }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// "Name (00:11:22:33:44:55)" when names are on, else the plain address (tshark's FT_ETHER text).
    public func etherDisplay(_ mac: UInt64) -> String {
        guard resolveMAC else { return Self.etherString(mac) }
        return etherName(mac) + " (" + Self.etherString(mac) + ")"
    }

    static func hexBytes(_ mac: UInt64, last n: Int) -> String {
        var out = ""
        out.reserveCapacity(n * 3)
        for i in stride(from: n - 1, through: 0, by: -1) {
            if i != n - 1 { out += ":" }
            out += hex2(UInt8((mac >> UInt64(i * 8)) & 0xff))
        }
        return out
    }

    /// "00:11:22:33:44:55".
    public static func etherString(_ mac: UInt64) -> String { hexBytes(mac, last: 6) }
}

@inline(__always)
func hex2(_ b: UInt8) -> String {
    let d: [UInt8] = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]
    return String(decoding: [d[Int(b >> 4)], d[Int(b & 15)]], as: UTF8.self)
}
