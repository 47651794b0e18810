@testable import DissectKit
import TestSupport
import Foundation
import Plugins
import XCTest

/// Whatever the text, compiling a filter returns a filter or an error: it never traps, hangs or
/// reads out of bounds. Bounded and seeded, so it is fast and repeatable.
final class FilterFuzzTests: XCTestCase {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    let registry = Fixture.engine().registry

    func tryCompile(_ text: String) {
        _ = try? DisplayFilter(compiling: text, registry: registry, macros: FilterMacros(["m": "$1 == 1"]))
    }

    func testRandomBytesNeverCrashTheCompiler() {
        var rng = SplitMix64(state: 0xD15EC7)
        for _ in 0..<3000 {
            let n = Int.random(in: 0...40, using: &rng)
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            tryCompile(String(decoding: bytes, as: UTF8.self))
        }
    }

    func testRandomTokenSoupsNeverCrashTheCompiler() {
        let vocabulary = ["tcp", "ip.addr", "frame", "eth.src", "tcp.port", "ip.src#2", "frame[0:4]", "frame[-1]",
                          "==", "!=", "===", "!==", ">", "<=", "contains", "matches", "~", "in", "not", "!", "and",
                          "&&", "or", "||", "any", "all", "(", ")", "{", "}", "..", ",", "[", "]", "#", "$", "${",
                          "${m:", "}", "&", "+", "-", "*", "/", "%", "1", "-1", "0x10", "1.5", "10.0.0.0/8",
                          "::1", "aa:bb", ":fc", "\"x\"", "r\"a\\\"", "'a'", "'\\x41'", "len(", "count(",
                          "string(", "upper(", "lower(", "abs(", "max(", "min(", "\"Dec 31, 2002 13:55:31\"",
                          "\"\\u00e9\"", "\"(\"", "1e400", "18446744073709551616", "#[1-2]", "[", "'"]
        var rng = SplitMix64(state: 42)
        for _ in 0..<4000 {
            let n = Int.random(in: 1...12, using: &rng)
            let parts = (0..<n).map { _ in vocabulary.randomElement(using: &rng)! }
            tryCompile(parts.joined(separator: Bool.random(using: &rng) ? " " : ""))
        }
    }

    func testCompiledRandomFiltersEvaluateSafely() throws {
        // Filters that do compile must also evaluate on real packets without trapping.
        let engine = Fixture.engine()
        let vocabulary = ["ip.addr", "tcp.port", "frame[0:4]", "frame[-2:]", "len(frame)", "ip.ttl - 70",
                          "-ip.ttl", "ip.ttl & 0x0f", "eth.src[1:2]", "frame.len / 0", "ip.src#[-1]"]
        let ops = ["==", "!=", "===", "!==", ">", "<="]
        let values = ["1", "0", "10.0.0.5", "00:e0", "-3", "65535", "ff:ff"]
        var rng = SplitMix64(state: 7)
        var filters: [DisplayFilter] = []
        for _ in 0..<300 {
            let text = "\(vocabulary.randomElement(using: &rng)!) \(ops.randomElement(using: &rng)!) \(values.randomElement(using: &rng)!)"
            if let f = try? DisplayFilter(compiling: text, registry: engine.registry) { filters.append(f) }
        }
        XCTAssertGreaterThan(filters.count, 50)
        var interest = Interest.nothing(engine.registry)
        for f in filters { f.addInterest(to: &interest) }
        for capture in ["http.pcap", "ipoipoip.pcap", "dhcp.pcap"] {
            try engine.forEachPacket(path: Fixture.path("Filter/captures/" + capture), interest: interest) { ctx in
                for f in filters { _ = f.matches(ctx) }
            }
        }
    }
}
