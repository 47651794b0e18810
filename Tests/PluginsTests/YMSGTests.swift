import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

final class YMSGTests: XCTestCase {
    static let tops = ["Yahoo YMSG Messenger Protocol"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // "Keep Alive (status=Default)   " with tshark's three trailing spaces, two PDUs of one
        // segment appended in Info, unknown service/status, a PDU reassembled over two segments,
        // and a cut content line that is not marked without a tree.
        let got = try NoNamesFixture.render("YMSG/ymsg-cases.pcap", verbose: false)
        NoNamesFixture.assertSameLines(got, try Fixture.text("YMSG/ymsg-cases.summary.txt"))
    }

    func testVerboseTreeMatchesTshark() throws {
        // "Yahoo YMSG Messenger Protocol (Keep Alive)", the little-endian session id, content
        // lines "0:albertzaharovits" with octal escapes ("hi\001there"), the second PDU as a tree
        // item of its own, and the malformed mark of a line cut short.
        try ProtocolExcerpt.assertMatches("YMSG/ymsg-cases.pcap", Self.tops)
    }

    func testFieldsMatchTshark() throws {
        // One "ymsg" in frame.protocols for two PDUs; raw control characters in field values.
        try ProtocolExcerpt.assertFieldsMatch("YMSG/ymsg-cases.pcap")
    }
}
