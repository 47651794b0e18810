import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

final class GRETests: XCTestCase {
    func testGREVersionsFlagsChecksumAndRoutingMatchTshark() throws {
        // gre-cases.pcap: plain GRE over IPv4 and IPv6 payloads, checksum+key+sequence (bad
        // checksum), unknown type, PPTP enhanced GRE with sequence and acknowledgment, an
        // acknowledgment-only packet, routing entries, a truncated header, an unknown version.
        try IPFixture.assertTreesMatch("gre-cases.pcap", reference: "gre-cases.ip.txt")
        try IPFixture.assertSummaryMatches("gre-cases.pcap", reference: "gre-cases.summary.txt")
    }

    func testPPTPEnhancedGRE() throws {
        // tcpdump/pptp.pcap (big-endian pcap): the GRE v1 frame 16 carries PPP with call ID 0.
        try IPFixture.assertTreesMatch("pptp.pcap", reference: "pptp.ip.txt")
        try IPFixture.assertFieldsMatch("pptp.pcap", reference: "pptp.fields.tsv")
        let rows = try Fixture.fields("IP/pptp.pcap", ["gre.key.call_id", "gre.sequence_number", "gre.proto",
                                                       "gre.key.payload_length"])
        XCTAssertEqual(rows[15], ["0", "0", "0x880b", "48"])
    }
}
