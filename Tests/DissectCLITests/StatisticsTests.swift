import Foundation
import XCTest

/// `-z` statistics against tshark 4.0.17's output for the seed book's first capture.
final class StatisticsTests: XCTestCase {
    let mail = "Mail/smtp_client_to_server.pcapng"

    func reference(_ name: String) throws -> String {
        try String(contentsOfFile: CLI.fixtures + "/Mail/" + name, encoding: .utf8)
    }

    func testProtocolHierarchyCountsEveryLayerOfEveryFrame() throws {
        let r = try CLI.run(["-r", mail, "-q", "-z", "io,phs"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try reference("smtp_client_to_server.phs.txt"))
    }

    /// DIVERGENCES.md smtp-bdat: the message sent with BDAT is handed to IMF, so `imf` counts
    /// one frame more than tshark's (frame 52, the LAST chunk); every other line is tshark's.
    func testProtocolHierarchyCountsTheBDATMessageUnderIMF() throws {
        let r = try CLI.run(["-r", "Mail/smtp_pipelining_multi_rcpt.pcapng", "-q", "-z", "io,phs"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let tshark = try reference("smtp_pipelining_multi_rcpt.phs.txt")
            .replacingOccurrences(of: "imf                              frames:2 bytes:830",
                                  with: "imf                              frames:3 bytes:1136")
        XCTAssertNotEqual(tshark, try reference("smtp_pipelining_multi_rcpt.phs.txt"), "the reference changed")
        XCTAssertEqual(r.stdout, tshark)
    }

    func testTCPConversationTableMatchesTshark() throws {
        let r = try CLI.run(["-r", mail, "-q", "-z", "conv,tcp"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // Column padding may differ; tshark's and ours agree once runs of spaces are folded.
        func fold(_ s: String) -> [String] {
            s.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        }
        XCTAssertEqual(fold(r.stdout), fold(try reference("smtp_client_to_server.conv.txt")))
    }

    func testFollowStreamShowsTheWholeSMTPDialogue() throws {
        let r = try CLI.run(["-r", mail, "-q", "-z", "follow,tcp,ascii,0"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try reference("smtp_client_to_server.follow0.txt"))
    }

    func testUnknownStatisticIsRejected() throws {
        let r = try CLI.run(["-r", mail, "-q", "-z", "nosuch,thing"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("Invalid -z argument"), r.stderr)
    }
}
