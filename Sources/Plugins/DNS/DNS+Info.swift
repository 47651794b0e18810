import DissectKit

/// Info column text written straight into the column's bytes, so the common records (A, AAAA)
/// cost no `String` per packet.
enum DNSInfo {
    /// tshark keeps at most 4095 bytes of Info (`COL_MAX_INFO_LEN`); big responses are cut.
    static let limit = 4095

    static func cap(_ column: ColumnText) {
        guard column.bytes.count > limit else { return }
        var end = limit
        while end > 0 && column.bytes[end] & 0xc0 == 0x80 { end -= 1 }
        column.bytes.removeSubrange(end...)
    }

    /// Four lower-case hex digits ("%04x").
    static func appendHex4(_ v: UInt16, to column: ColumnText) {
        let digits: StaticString = "0123456789abcdef"
        for shift in stride(from: 12, through: 0, by: -4) {
            column.append(byte: digits.utf8Start[Int(v >> UInt16(shift) & 0xf)])
        }
    }

    /// Dotted-quad form.
    static func appendIPv4(_ a: UInt32, to column: ColumnText) {
        column.append(UInt64(a >> 24))
        column.append(byte: 0x2e)
        column.append(UInt64(a >> 16 & 0xff))
        column.append(byte: 0x2e)
        column.append(UInt64(a >> 8 & 0xff))
        column.append(byte: 0x2e)
        column.append(UInt64(a & 0xff))
    }

    /// RFC 5952 text, as `FieldFormatter.ipv6String` writes it (inet_ntop's forms).
    static func appendIPv6(_ a: IPv6Address, to column: ColumnText) {
        if a.hi == 0 && a.lo >> 32 == 0xffff {
            column.append("::ffff:")
            appendIPv4(UInt32(truncatingIfNeeded: a.lo), to: column)
            return
        }
        @inline(__always) func group(_ i: Int) -> UInt16 {
            UInt16(truncatingIfNeeded: (i < 4 ? a.hi : a.lo) >> UInt64((3 - i % 4) * 16))
        }
        // The longest run of two or more zero groups (the first of equal runs) becomes "::".
        var bestStart = -1, bestLength = 0, i = 0
        while i < 8 {
            if group(i) == 0 {
                var j = i
                while j < 8 && group(j) == 0 { j += 1 }
                if j - i > bestLength && j - i >= 2 { bestStart = i; bestLength = j - i }
                i = j
            } else {
                i += 1
            }
        }
        let digits: StaticString = "0123456789abcdef"
        var wrote = false
        var lastWasColon = false
        i = 0
        while i < 8 {
            if i == bestStart {
                column.append("::")
                lastWasColon = true
                wrote = true
                i += bestLength
                continue
            }
            if wrote && !lastWasColon { column.append(byte: 0x3a) }
            let g = group(i)
            var started = false
            for shift in stride(from: 12, through: 0, by: -4) {
                let d = Int(g >> UInt16(shift) & 0xf)
                if d != 0 || started || shift == 0 {
                    column.append(byte: digits.utf8Start[d])
                    started = true
                }
            }
            wrote = true
            lastWasColon = false
            i += 1
        }
    }
}
