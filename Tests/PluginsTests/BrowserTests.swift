import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

/// NBDGM → SMB Trans → Mailslot → BROWSER, as tshark 4.0.17 shows a mailslot datagram.
final class BrowserTests: XCTestCase {
    static let tops = ["NetBIOS Datagram Service", "SMB (Server Message Block Protocol)", "SMB MailSlot Protocol",
                      "Microsoft Windows Browser Protocol"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // Every browser command's Info ("Host Announcement HOST1, Workstation, Server, …" with
        // tshark's long server type names), the LANMAN layout, "SMB Mailslot"/"Write Mail Slot"
        // for other mailslots, NBDS Info for non-SMB datagrams, errors, queries and unknown
        // types, and a cut announcement ("length of contained item exceeds …").
        for name in ["browser-cases", "browser-public"] {
            let got = try NoNamesFixture.render("Browser/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("Browser/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // "Source name: CISCO29401<00> (Workstation/Redirector)", the SMB header and Trans
        // request lines ("Error Code: No Error", "Timeout: 1.500 seconds"), the mailslot setup
        // words, "Update Periodicity: 12 minutes", "Windows version: Windows XP", the server type
        // bits (with tshark's "THis is NOT a DFS server"), election criteria, backup lists.
        try ProtocolExcerpt.assertMatches("Browser/browser-cases.pcap", Self.tops)
        try ProtocolExcerpt.assertMatches("Browser/browser-public.pcap", Self.tops)
    }

    func testFieldsMatchTshark() throws {
        // frame.protocols "…:udp:nbdgm:smb:browser": the mailslot is a tree item, not a layer.
        try ProtocolExcerpt.assertFieldsMatch("Browser/browser-cases.pcap")
        try ProtocolExcerpt.assertFieldsMatch("Browser/browser-public.pcap")
    }

    func testMillisecondsText() {
        // tshark's signed_time_msecs_to_str.
        XCTAssertEqual(BrowserDissector.msecsText(60000), "1 minute")
        XCTAssertEqual(BrowserDissector.msecsText(720000), "12 minutes")
        XCTAssertEqual(BrowserDissector.msecsText(60500), "1 minute, 0.500 seconds")
        XCTAssertEqual(BrowserDissector.msecsText(0), "0 seconds")
    }
}
