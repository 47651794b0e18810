import CPCRE2

/// A compiled PCRE2 pattern for `matches` / `~`. Wireshark 4.0 compiles with PCRE2_CASELESS
/// (so `(?-i)` turns case sensitivity back on) and matches the raw bytes of the value.
final class FilterRegex: @unchecked Sendable {
    private let code: OpaquePointer
    private let matchData: OpaquePointer

    init(pattern: [UInt8], location: FilterLocation) throws(FilterError) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let options = UInt32(PCRE2_CASELESS)
        let compiled = pattern.withUnsafeBufferPointer { p -> OpaquePointer? in
            pcre2_compile_8(p.baseAddress, p.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            var buf = [UInt8](repeating: 0, count: 256)
            let n = buf.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(errorCode, $0.baseAddress, 256) }
            let msg = String(decoding: buf.prefix(max(0, Int(n))), as: UTF8.self)
            // tshark 4.0 reports PCRE2's message without a location.
            throw FilterError("Regex compilation error: \(msg).")
        }
        code = compiled
        matchData = pcre2_match_data_create_from_pattern_8(compiled, nil)
        _ = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE))
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_code_free_8(code)
    }

    /// True when the pattern matches somewhere in `bytes`.
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var empty: UInt8 = 0
        let rc = withUnsafePointer(to: &empty) { e in
            pcre2_match_8(code, base ?? e, bytes.count, 0, 0, matchData, nil)
        }
        return rc >= 0
    }
}
