import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

final class NTPTests: XCTestCase {
    static let tops = ["Network Time Protocol"] + ProtocolExcerpt.common
    static let captures = ["ntp-cases", "ntp-control", "ntp-more", "ntp"]

    func testSummaryMatchesTshark() throws {
        // "NTP Version N, mode" for versions 1–4 and every mode, ", Request/Response, CODE" for
        // mode 7, and a header cut short.
        for name in Self.captures {
            let got = try NoNamesFixture.render("NTP/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("NTP/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // Flags, stratum ranges, poll/precision/root delay texts, reference IDs (primary
        // sources, unknown ones, IPv4 addresses), NULL timestamps and both NTP eras, extension
        // fields against MACs (RFC 7822), control messages (status words by opcode, the
        // variables text split as tshark's grammar does, authenticators), mode 7 headers with
        // monitor and peer list items, and malformed packets.
        for name in Self.captures {
            try ProtocolExcerpt.assertMatches("NTP/\(name).pcap", Self.tops)
        }
    }

    func testFieldsMatchTshark() throws {
        // Raw values in -T fields: ntp.precision 236 (not -20), 16.16 root delay as an integer,
        // refid bytes, "NULL" timestamps and UTC dates.
        for name in Self.captures {
            try ProtocolExcerpt.assertFieldsMatch("NTP/\(name).pcap")
        }
    }

    func testTimestampEras() {
        // RFC 4330 §3: seconds with the top bit clear count from 2036 (era 1).
        XCTAssertEqual(NTPDissector.unixTime(0x8000_0000, 0).seconds, 2_147_483_648 - 2_208_988_800)
        XCTAssertEqual(NTPDissector.unixTime(0x10, 0).seconds, 16 + 2_085_978_496)
        XCTAssertEqual(NTPDissector.unixTime(0xffff_ffff, 0xffff_ffff).nanoseconds, 999_999_999)
        XCTAssertEqual(NTPDissector.unixTime(0xe000_0000, 0x8000_0000).nanoseconds, 500_000_000)
    }

    func testModeSevenBitFieldDrawing() {
        // proto_tree_add_bits_item: a space inside bytes, two between them.
        XCTAssertEqual(NTPDissector.bits(0x04, first: 0, count: 4, bytes: 1), "0000 ....")
        XCTAssertEqual(NTPDissector.bits(0x4002, first: 4, count: 12, bytes: 2), ".... 0000  0000 0010")
    }

    func testControlTextEscapes() {
        // format_text: C escapes for the usual controls, octal for the others.
        let bytes: [UInt8] = [0x61, 0x01, 0x0a, 0x5c, 0x7f]
        bytes.withUnsafeBytes { b in
            XCTAssertEqual(NTPControlText.format(ByteView(b), 0, 5), #"a\001\n\\177"#)
        }
    }
}
