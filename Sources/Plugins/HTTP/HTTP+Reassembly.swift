import DissectKit

/// Numbers as HTTP writes them, parsed the way tshark 4.0 reads them.
enum HTTPNumber {
    /// A Content-Length value as `strtoll(value, &end, 10)` with tshark's checks: optional
    /// leading white space and sign, at least one digit, then nothing but white space. Negative
    /// or overflowing values are invalid (nil).
    static func contentLength(_ v: ByteView, from: Int, to: Int) -> UInt64? {
        var i = from
        let e = min(to, v.count)
        while i < e, MailText.isSpace(v[unchecked: i]) { i += 1 }
        var negative = false
        if i < e, v[unchecked: i] == 0x2b || v[unchecked: i] == 0x2d {
            negative = v[unchecked: i] == 0x2d
            i += 1
        }
        let digits = i
        var n: UInt64 = 0
        while i < e, MailText.isDigit(v[unchecked: i]) {
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(v[unchecked: i] - 0x30))
            if o1 || o2 || a > UInt64(Int64.max) { return nil }
            n = a
            i += 1
        }
        guard i > digits, !negative || n == 0 else { return nil }
        if i < e, !MailText.isSpace(v[unchecked: i]) { return nil }
        return n
    }

    /// A chunk-size line up to its first ';' (chunk extensions are ignored) read as
    /// `strtol(…, 16)`: white space, an optional sign and "0x", hex digits. Returns the value
    /// and whether any digit was read; a negative value is returned as its two's complement
    /// (tshark stores it in a `guint32`).
    static func chunkSize(_ v: ByteView, from: Int, to: Int) -> (value: UInt64, valid: Bool, negative: Bool) {
        var e = min(to, v.count)
        if let semi = MailText.find(v, 0x3b, from: from, to: e) { e = semi }
        var i = from
        while i < e, MailText.isSpace(v[unchecked: i]) { i += 1 }
        var negative = false
        if i < e, v[unchecked: i] == 0x2b || v[unchecked: i] == 0x2d {
            negative = v[unchecked: i] == 0x2d
            i += 1
        }
        // "0x" counts as a prefix only when a hex digit follows ("0xg" reads as 0).
        if i + 2 < e, v[unchecked: i] == 0x30, v[unchecked: i + 1] | 0x20 == 0x78,
           hexValue(v[unchecked: i + 2]) != nil {
            i += 2
        }
        var n: UInt64 = 0
        var any = false
        while i < e, let d = hexValue(v[unchecked: i]) {
            n = n > (UInt64.max >> 4) ? UInt64.max : n << 4 | UInt64(d)
            any = true
            i += 1
        }
        return (n, any, negative && n != 0)
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}

extension HTTPDissector {
    /// tshark's `req_resp_hdrs_do_reassembly`: nil when the message starting at `offset` is
    /// complete enough to dissect, otherwise what to ask TCP for — one more segment while the
    /// headers (or a chunk) are incomplete, the missing bytes of a Content-Length body, or
    /// everything until FIN for a response without length.
    ///
    /// Like tshark it asks only when headers may be desegmented and TCP can reassemble; the
    /// body framing is read from the Content-Length and Transfer-Encoding lines only.
    func pendingLength(_ v: ByteView, from offset: Int, body: Bool, untilFIN: Bool, canDesegment: Bool)
        -> DissectResult?
    {
        guard desegmentHeaders.boolValue, canDesegment else { return nil }
        var next = offset
        var contentLength: UInt64?
        var rpcContentType = false
        var chunked = false
        while true {
            guard next < v.count, let (length, lineNext) = MailText.lineEnd(v, from: next, to: v.count, desegment: true)
            else { return .oneMoreSegment }
            let line = next
            next = lineNext
            if length == 0 { break }
            guard body else { continue }
            let c = v[unchecked: line] | 0x20
            if c == 0x63 { // 'c'
                if length >= 15, MailText.equalsIgnoringCase(v, at: line, "content-length:") {
                    contentLength = HTTPNumber.contentLength(v, from: line + 15, to: line + length)
                } else if length >= 13, MailText.equalsIgnoringCase(v, at: line, "content-type:") {
                    var i = line + 13
                    while i < line + length, v[unchecked: i] == 0x20 { i += 1 }
                    rpcContentType = v.matches("application/rpc", at: i)
                }
            } else if c == 0x74, length >= 18, MailText.equalsIgnoringCase(v, at: line, "transfer-encoding:") {
                var i = line + 18
                while i < line + length, v[unchecked: i] == 0x20 || v[unchecked: i] == 0x09 { i += 1 }
                if MailText.equalsIgnoringCase(v, at: i, "chunked") { chunked = true }
            }
        }
        guard body else { return nil }
        if chunked { return pendingChunks(v, from: next) }
        if let length = contentLength {
            // MS-RPCH (RPC over HTTP) announces huge lengths it never sends.
            if length >= 128 * 1024 && (rpcContentType || v.matches("RPC_IN_DATA", at: 0) || v.matches("RPC_OUT_DATA", at: 0)) {
                return nil
            }
            let have = UInt64(v.count - next)
            if length > have {
                let missing = length - have
                return .needMore(missing > UInt64(Int32.max) ? Int(Int32.max) : Int(missing))
            }
            return nil
        }
        if untilFIN { return .untilFIN }
        return nil
    }

    /// The chunked part of the check: every chunk and the line after the last one must be there.
    private func pendingChunks(_ v: ByteView, from offset: Int) -> DissectResult? {
        var next = offset
        while true {
            guard next < v.count, let (length, dataStart) = MailText.lineEnd(v, from: next, to: v.count, desegment: true)
            else { return .oneMoreSegment }
            let size = HTTPNumber.chunkSize(v, from: next, to: next + length)
            // A size that is not a number, negative or absurd: give up waiting.
            guard size.valid, !size.negative, size.value <= 1 << 31 else { return nil }
            if size.value == 0 {
                guard MailText.lineEnd(v, from: dataStart, to: v.count, desegment: true) != nil else {
                    return .oneMoreSegment
                }
                return nil
            }
            // tshark compares with what follows the size line's start, not its end.
            guard v.count - next > Int(size.value) else { return .oneMoreSegment }
            next = dataStart + Int(size.value) + 2
        }
    }
}
