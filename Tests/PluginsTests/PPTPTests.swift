import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

final class PPTPTests: XCTestCase {
    static let tops = ["Point-to-Point Tunnelling Protocol"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // Every control message type's Info text, "Unknown control type (99)", a message cut
        // inside its body (no mark in a plain list: tshark reads bodies only with a tree) and one
        // cut inside the header ("[Malformed Packet]").
        for name in ["pptp-cases", "pptp"] {
            let got = try NoNamesFixture.render("PPTP/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("PPTP/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // RFC 2637 message bodies, "Protocol version: 1.0", NUL-padded names, the magic cookie's
        // "(correct)"/"(incorrect)" with its expert info, unknown types as Data under PPTP.
        for name in ["pptp-cases", "pptp"] {
            try ProtocolExcerpt.assertMatches("PPTP/\(name).pcap", Self.tops)
        }
    }

    func testFieldsMatchTshark() throws {
        // Values per frame, both "Reserved" items of a Start-Control-Connection-Request, and
        // "pptp" in frame.protocols even when the header is cut short.
        for name in ["pptp-cases", "pptp"] {
            try ProtocolExcerpt.assertFieldsMatch("PPTP/\(name).pcap")
        }
    }
}
