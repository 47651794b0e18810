import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

final class IGMPTests: XCTestCase {
    static let tops = ["Internet Group Management Protocol"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // v0 requests/replies, v1 and v2 queries/reports/leave, v3 queries (general, group and
        // source specific, floating-point max response code) and reports with every record type
        // and source count ("Join group 224.0.0.251 for any sources"), an unknown type, a bad
        // checksum and two cut messages.
        let got = try NoNamesFixture.render("IGMP/igmp-cases.pcap", verbose: false)
        NoNamesFixture.assertSameLines(got, try Fixture.text("IGMP/igmp-cases.summary.txt"))
    }

    func testVerboseTreeMatchesTshark() throws {
        // "[IGMP Version: 3]", "Max Resp Time: 10.0 sec (0x64)" with exponent/mantissa, checksum
        // verdicts with the "Bad checksum" expert, S/QRV bits, "Group Record : …" subtrees,
        // malformed marks.
        try ProtocolExcerpt.assertMatches("IGMP/igmp-cases.pcap", Self.tops)
    }

    func testFieldsMatchTshark() throws {
        // Field values, and "ip:igmp:igmp" in frame.protocols for the types tshark hands to its
        // igmp.type table ("ip:igmp" for unknown types).
        try ProtocolExcerpt.assertFieldsMatch("IGMP/igmp-cases.pcap")
    }
}
