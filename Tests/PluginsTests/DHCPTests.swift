import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

final class DHCPTests: XCTestCase {
    func testSummaryMatchesTshark() throws {
        // "DHCP %-8s - Transaction ID 0x…", BOOTP without options, unknown message types and
        // truncated packets.
        for name in ["dhcp-cases", "dhcp"] {
            let got = try NoNamesFixture.render("DHCP/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("DHCP/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // Header, flags, "not given" names, magic cookie, option lines with appended values,
        // durations, parameter request items, pad runs, End + padding, bad-length experts.
        for name in ["dhcp-cases", "dhcp"] {
            let got = try NoNamesFixture.render("DHCP/\(name).pcap", verbose: true)
            NoNamesFixture.assertSameLines(got, try Fixture.text("DHCP/\(name).verbose.txt"))
        }
    }

    func testFieldValues() throws {
        let rows = try Fixture.fields("DHCP/dhcp-cases.pcap",
                                      ["dhcp.option.dhcp", "dhcp.id", "dhcp.option.domain_name_server",
                                       "dhcp.option.hostname", "dhcp.option.ip_address_lease_time",
                                       "dhcp.option.ntp_server"])
        XCTAssertEqual(rows[0], ["3", "0x12345678", "8.8.8.8,8.8.4.4", "myhost", "4294967295", ""])
        XCTAssertEqual(rows[1][0], "5")
        XCTAssertEqual(rows[2][0], "")                 // BOOTP, no options
        XCTAssertEqual(rows[10][3], "abc")            // stops at the NUL
        XCTAssertEqual(rows[10][5], "1.1.1.1")
    }

    func testDurationText() {
        XCTAssertEqual(DHCPNames.durationText(3150), "52 minutes, 30 seconds")
        XCTAssertEqual(DHCPNames.durationText(90061), "1 day, 1 hour, 1 minute, 1 second")
        XCTAssertEqual(DHCPNames.durationText(0), "0 seconds")
    }
}
