import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

final class SCTPTests: XCTestCase {
    static let tops = ["Stream Control Transmission Protocol"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // "INIT " with tshark's trailing space, "DATA (TSN=0) DATA (TSN=1) " with TSNs relative
        // to the first one of each (ports, verification tag), "SACK (Ack=1+6, Arwnd=65000) ",
        // "RESERVED" for unknown chunks, an empty Info for a header without chunks, marks.
        for name in ["sctp-cases", "sctp-public"] {
            let got = try NoNamesFixture.render("SCTP/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("SCTP/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // Unverified CRC32c, the association index line (absent after a malformed chunk), chunk
        // type and parameter type bits, parameter titles, "The padding of this final parameter…",
        // DATA payloads at the top of the tree followed by a new protocol item for later chunks.
        try ProtocolExcerpt.assertMatches("SCTP/sctp-cases.pcap", Self.tops)
        try ProtocolExcerpt.assertMatches("SCTP/sctp-public.pcap", Self.tops)
    }

    func testFieldsMatchTshark() throws {
        // "sctp:data:data" for two DATA chunks; "sctp" even when the header is cut.
        try ProtocolExcerpt.assertFieldsMatch("SCTP/sctp-cases.pcap")
        try ProtocolExcerpt.assertFieldsMatch("SCTP/sctp-public.pcap")
    }
}
