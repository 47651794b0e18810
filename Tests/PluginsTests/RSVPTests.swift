import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

final class RSVPTests: XCTestCase {
    static let tops = ["Resource ReserVation Protocol"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // "RESV Message. SESSION: IPv4, Destination …, Port 16388. FILTERSPEC: IPv4, Sender …",
        // PATH with "SENDER TEMPLATE: …", PATH ERROR/TEAR, "Unknown (99). ", a cut message.
        for name in ["rsvp-cases", "rsvp-public"] {
            let got = try NoNamesFixture.render("RSVP/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("RSVP/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // Header with "[correct]" / "[incorrect, should be 0x3ea1]" checksums (none when cut),
        // SESSION/HOP/TIME VALUES/ERROR/STYLE/FLOWSPEC/FILTER SPEC/SENDER TEMPLATE/CONFIRM objects,
        // ERROR flags "0x04 Path-State-Removed  ", the "bogus, must be >= 4" length expert.
        try ProtocolExcerpt.assertMatches("RSVP/rsvp-cases.pcap", Self.tops)
        try ProtocolExcerpt.assertMatches("RSVP/rsvp-public.pcap", Self.tops)
    }

    func testFieldsMatchTshark() throws {
        try ProtocolExcerpt.assertFieldsMatch("RSVP/rsvp-cases.pcap")
        try ProtocolExcerpt.assertFieldsMatch("RSVP/rsvp-public.pcap")
    }
}
