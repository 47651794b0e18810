import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

final class ICMPTests: XCTestCase {
    func testSummaryMatchesTshark() throws {
        // Info: "%-20s" type names, code names, id/seq (BE/LE)/ttl, "(request in N)" only for
        // the first matching reply, and the quoted datagram leaving the columns alone.
        for name in ["icmp-cases", "icmp-snap"] {
            let got = try NoNamesFixture.render("ICMP/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("ICMP/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // Checksum good/bad/unverified texts, second-word layouts per type, the quoted IP + UDP/TCP
        // (8 bytes of TCP: ports and sequence number only), RFC 4884 length, timestamps, and the
        // hex dump tshark prints after each "Data (…)" line.
        for name in ["icmp-cases", "icmp-snap"] {
            let got = try NoNamesFixture.render("ICMP/\(name).pcap", verbose: true)
            NoNamesFixture.assertSameLines(got, try Fixture.text("ICMP/\(name).verbose.txt"))
        }
    }

    func testEchoMatchingFields() throws {
        let rows = try Fixture.fields("ICMP/icmp-cases.pcap",
                                      ["icmp.type", "icmp.resp_to", "icmp.resptime", "icmp.checksum.status",
                                       "icmp.seq_le", "icmp.mtu", "icmp.length.original_datagram"])
        XCTAssertEqual(rows[0], ["8", "", "", "1", "256", "", ""])
        XCTAssertEqual(rows[1], ["0", "1", "1000", "1", "256", "", ""])
        XCTAssertEqual(rows[2], ["8", "", "", "0", "512", "", ""])   // bad checksum
        XCTAssertEqual(rows[3][1], "")                               // its reply carries other data
        XCTAssertEqual(rows[5][1], "5")
        XCTAssertEqual(rows[6][1], "")                               // second reply to frame 5
        XCTAssertEqual(rows[11], ["3", "", "", "1", "", "1400", ""])
        XCTAssertEqual(rows[38][6], "32")
    }

    func testReplyChecksumMapsBackToRequest() {
        // 8 → 0 in the type byte raises the checksum by 0x0800 (one's complement).
        XCTAssertEqual(ICMPEchoTable.requestChecksum(fromReply: 0x6c4b), 0x644b)
        XCTAssertEqual(ICMPEchoTable.requestChecksum(fromReply: 0x0400), 0xfbff)
    }
}
