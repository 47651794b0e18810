import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

final class ICMPv6Tests: XCTestCase {
    static let tops = ["Internet Control Message Protocol v6"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // Type and code names, echo id/seq/hop limit and "(request in N)", "for"/"from"/"is at"
        // from Neighbor Discovery, NA flags, errors with their quoted packet leaving the
        // columns alone, node information, FMIPv6 subtypes, malformed and cut packets.
        for name in ["icmpv6-cases", "icmpv6-snap"] {
            let got = try NoNamesFixture.render("ICMPv6/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("ICMPv6/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // Checksums (good, bad, unverified in errors and cut captures), the invoking packet's
        // IPv6 + UDP under the error (cut quotes without malformed marks, a non-IPv6 quote as
        // data), Neighbor Discovery options (link-layer addresses of 6, 8 and other lengths,
        // prefix information, MTU, RDNSS, DNSSL, route information, PREF64, captive portal,
        // redirected header, unknown options, zero length), MLDv1/v2 queries and reports,
        // node information and multicast router discovery.
        for name in ["icmpv6-cases", "icmpv6-snap"] {
            try ProtocolExcerpt.assertMatches("ICMPv6/\(name).pcap", Self.tops)
        }
    }

    func testFieldsMatchTshark() throws {
        // ipv6.src holds both the outer and the quoted source in an error; icmpv6.opt.linkaddr
        // is shown as a MAC address for 6 bytes and as hex otherwise.
        for name in ["icmpv6-cases", "icmpv6-snap"] {
            try ProtocolExcerpt.assertFieldsMatch("ICMPv6/\(name).pcap")
        }
    }

    func testCommunityIDCaptureICMPv6() throws {
        // Wireshark's communityid.pcap.gz: destination unreachable and time exceeded quoting a
        // traceroute's UDP, neighbor and router discovery, echo pairs. Only the ICMPv6 parts are
        // compared (the capture also holds SCTP, RSVP…).
        let capture = "ICMPv6/communityid.pcap.gz"
        let got = ProtocolExcerpt.cut(try NoNamesFixture.render(capture, verbose: true),
                                      ["Internet Control Message Protocol v6"])
        NoNamesFixture.assertSameLines(got, try Fixture.text("ICMPv6/communityid.excerpt.txt"))
        let want = try Fixture.text("ICMPv6/communityid.summary.txt").split(separator: "\n")
        let ours = try NoNamesFixture.render(capture, verbose: false).split(separator: "\n")
        XCTAssertEqual(ours.count, want.count)
        for (o, w) in zip(ours, want) where w.contains(" ICMPv6 ") { XCTAssertEqual(o, w) }
        try ProtocolExcerpt.assertFieldsMatch(capture, rows: { $0.last == "ICMPv6" })
    }

    func testReplyChecksumMapsBackToRequest() {
        // 128 → 129 in the type byte lowers the checksum by 0x0100 (one's complement).
        XCTAssertEqual(ICMPv6EchoTable.requestChecksum(fromReply: 0x1ff2), 0x20f2)
        XCTAssertEqual(ICMPv6EchoTable.requestChecksum(fromReply: 0xff40), 0x0041)
    }

    func testTruncatedMessagesNeverCrash() throws {
        // Every prefix of every message in the fixture, dissected with the whole tree: bounds
        // are checked everywhere (malformed marks, no traps).
        let frames = try PcapFrames.read(Fixture.path("ICMPv6/icmpv6-cases.pcap"))
        var cut: [[UInt8]] = []
        for f in frames where f.count > 62 {
            for n in stride(from: 62, to: f.count, by: 1) { cut.append(Array(f[..<n])) }
        }
        let path = NSTemporaryDirectory() + "icmpv6-truncated-\(ProcessInfo.processInfo.processIdentifier).pcap"
        try PcapFrames.write(cut, to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let e = Fixture.engine()
        var count = 0
        try e.forEachPacket(path: path, interest: .everything(e.registry)) { _ in count += 1 }
        XCTAssertEqual(count, cut.count)
    }
}

/// Reads and writes the frames of a classic little-endian pcap (for building variants of a
/// fixture in a test).
enum PcapFrames {
    static func read(_ path: String) throws -> [[UInt8]] {
        let d = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func u32(_ o: Int) -> Int { Int(d[o]) | Int(d[o + 1]) << 8 | Int(d[o + 2]) << 16 | Int(d[o + 3]) << 24 }
        var frames: [[UInt8]] = []
        var o = 24
        while o + 16 <= d.count {
            let n = u32(o + 8)
            frames.append(Array(d[(o + 16)..<(o + 16 + n)]))
            o += 16 + n
        }
        return frames
    }

    static func write(_ frames: [[UInt8]], to path: String) throws {
        var out: [UInt8] = []
        func u32(_ v: Int) { for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        func u16(_ v: Int) { for i in 0..<2 { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        u32(0xa1b2_c3d4); u16(2); u16(4); u32(0); u32(0); u32(65535); u32(1)
        for (i, f) in frames.enumerated() {
            u32(1000 + i); u32(0); u32(f.count); u32(f.count)
            out += f
        }
        try Data(out).write(to: URL(fileURLWithPath: path))
    }
}
