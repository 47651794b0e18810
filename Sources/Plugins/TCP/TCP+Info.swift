import DissectKit

/// Info column and label texts: flag names, the `[TCP Flags: ···A····]` letters, and tshark's
/// fenced prefixes (`col_prepend_fence_fstr`).
enum TCPInfo {
    /// Flag names in tshark's order (`tcp_flags_to_str`), bit 0 first.
    private static let flagNameTable: [StaticString] = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"]

    /// Appends "SYN, ACK" (or "<None>") to the Info column without building a String.
    static func appendFlagNames(_ info: ColumnText, _ flags: UInt16, useACE: Bool) {
        writeFlagNames(into: info, flags, useACE: useACE)
    }

    /// The flag list into any byte sink: the Info column or a tree label ("Flags: 0x018 (PSH, ACK)").
    private static func writeFlagNames<Sink: FlagNameSink>(into b: Sink, _ flags: UInt16, useACE: Bool) {
        var first = true
        let n = useACE ? 6 : 9
        for i in 0..<n where flags & (1 << UInt16(i)) != 0 {
            if !first { b.append(", ") }
            b.append(flagNameTable[i])
            first = false
        }
        if useACE {
            b.append(", ACE=")
            b.appendNumber(UInt64(ace(flags)))
            first = false
        }
        if flags & TCPFlag.reserved != 0 {
            if !first { b.append(", ") }
            b.append("Reserved")
            first = false
        }
        if first { b.append("<None>") }
    }

    /// The same names as a String, for the "Flags: 0x012 (SYN, ACK)" line.
    static func flagNames(_ flags: UInt16, useACE: Bool) -> String {
        let c = ColumnText()
        appendFlagNames(c, flags, useACE: useACE)
        return c.string
    }

    /// The AccECN counter carried in AE, CWR and ECE.
    static func ace(_ flags: UInt16) -> UInt8 {
        (flags & TCPFlag.ae != 0 ? 4 : 0) | (flags & TCPFlag.cwr != 0 ? 2 : 0) | (flags & TCPFlag.ece != 0 ? 1 : 0)
    }

    /// "··········S·": one letter per set bit of the 12, a middle dot for each clear one; with
    /// AccECN the three ECN positions show "-", the ACE digit, "-".
    static func flagLetters(_ flags: UInt16, useACE: Bool) -> String {
        // 12 positions of at most 2 bytes each ("·" is C2 B7): built as bytes, one String.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { p in
            String(decoding: UnsafeBufferPointer(rebasing: p[0..<writeFlagLetters(p, flags, useACE: useACE)]),
                   as: UTF8.self)
        }
    }

    /// `flagLetters` written into `b`.
    static func writeFlagLetters(_ b: TextBuffer, _ flags: UInt16, useACE: Bool) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { p in
            b.append(UnsafeBufferPointer(rebasing: p[0..<writeFlagLetters(p, flags, useACE: useACE)]))
        }
    }

    private static func writeFlagLetters(_ p: UnsafeMutableBufferPointer<UInt8>, _ flags: UInt16, useACE: Bool) -> Int {
        let letters: StaticString = "RRRACEUAPRSF"
        var n = 0
        for i in 0..<12 {
            if useACE && i >= 3 && i <= 5 {
                p[n] = i == 4 ? 0x30 &+ ace(flags) : 0x2d
                n += 1
            } else if (flags >> UInt16(11 - i)) & 1 != 0 {
                p[n] = letters.utf8Start[i]
                n += 1
            } else {
                p[n] = 0xc2
                p[n + 1] = 0xb7
                n += 2
            }
        }
        return n
    }

    /// `appendFlagNames` into a text buffer (the "Flags: 0x018 (PSH, ACK)" line).
    static func writeFlagNames(_ b: TextBuffer, _ flags: UInt16, useACE: Bool) {
        writeFlagNames(into: b, flags, useACE: useACE)
    }

    /// "1010 ...." for the data offset nibble, into `b`.
    static func writeNibbleBits(_ nibble: UInt8, to b: TextBuffer) {
        for s in stride(from: 3, through: 0, by: -1) { b.append((nibble >> UInt8(s)) & 1 != 0 ? 0x31 : 0x30) }
        b.append(" ....")
    }

    /// "1010 ...." for the data offset nibble.
    static func nibbleBits(_ nibble: UInt8) -> String {
        var s = ""
        for b in stride(from: 3, through: 0, by: -1) { s += (nibble >> UInt8(b)) & 1 != 0 ? "1" : "0" }
        return s + " ...."
    }

    static func hex2(_ v: UInt8) -> String { pad(String(v, radix: 16), 2) }
    /// "%X": upper case, no padding (the ExID in Info).
    static func hexUpper(_ v: UInt16) -> String { String(v, radix: 16, uppercase: true) }
    /// "0001" for the low nibble.
    static func bits4(_ v: UInt8) -> String {
        var s = ""
        for b in stride(from: 3, through: 0, by: -1) { s += (v >> UInt8(b)) & 1 != 0 ? "1" : "0" }
        return s
    }

    static func hex3(_ v: UInt16) -> String { pad(String(v, radix: 16), 3) }
    static func hex4(_ v: UInt16) -> String { pad(String(v, radix: 16), 4) }

    private static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : String(repeating: "0", count: n - s.count) + s
    }

    /// Puts the text `build` appends in front of the column and moves the fence behind it, so a
    /// higher layer that replaces the Info text keeps it (tshark's `col_prepend_fence_fstr`: the
    /// fence grows by the prefix, or is created right after it).
    static func prependFenced(_ info: ColumnText, _ build: (ColumnText) -> Void) {
        let start = info.bytes.count
        build(info)
        let added = info.bytes.count - start
        guard added > 0 else { return }
        // Rotate the appended tail to the front in place: reverse both parts, then the whole.
        info.bytes.withUnsafeMutableBufferPointer { b in
            reverse(b, 0, start)
            reverse(b, start, b.count)
            reverse(b, 0, b.count)
        }
        info.fence = info.fence > 0 ? info.fence + added : added
    }

    private static func reverse(_ b: UnsafeMutableBufferPointer<UInt8>, _ lo: Int, _ hi: Int) {
        var i = lo, j = hi - 1
        while i < j {
            b.swapAt(i, j)
            i += 1
            j -= 1
        }
    }
}

/// Where `TCPInfo.writeFlagNames` writes: the Info column or a label buffer (specialised per
/// type, no dynamic dispatch).
protocol FlagNameSink {
    func append(_ s: StaticString)
    func appendNumber(_ v: UInt64)
}

extension ColumnText: FlagNameSink {
    func appendNumber(_ v: UInt64) { append(v) }
}

extension TextBuffer: FlagNameSink {
    func appendNumber(_ v: UInt64) { appendDecimal(v) }
}
