import Foundation
import XCTest

/// `--threads N`: printing on a second thread must not change a byte of the output, nor its order.
final class ThreadsTests: XCTestCase {
    let captures = ["Mail/smtp_client_to_server.pcapng", "Mail/imap_plain_session.pcapng", "Mail/mime_nested.pcap",
                    "Mail/smtp_auth_plaintext.pcapng"]

    func testTreeJSONAndEKAreTheSameWithOneAndTwoThreads() throws {
        for capture in captures {
            for mode in [["-V"], ["-T", "json"], ["-T", "ek"], ["-T", "pdml"], ["-V", "-x"], ["-P", "-V", "-Y", "tcp"]] {
                let one = try CLI.run(["-r", capture, "--threads", "1"] + mode)
                let two = try CLI.run(["-r", capture, "--threads", "2"] + mode)
                XCTAssertEqual(one.status, 0, one.stderr)
                XCTAssertEqual(two.status, one.status)
                XCTAssertFalse(one.stdout.isEmpty)
                let pdml = { (s: String) in s.split(separator: "\n").filter { !$0.hasPrefix("<pdml ") }.joined(separator: "\n") }
                XCTAssertEqual(pdml(two.stdout), pdml(one.stdout), "\(capture) \(mode)")
            }
        }
    }

    /// A tree printed on the second thread still matches tshark's (stored reference).
    func testThreadedTreeMatchesTsharkReference() throws {
        let ref = try String(contentsOfFile: CLI.fixtures + "/Mail/smtp_client_to_server.verbose.txt", encoding: .utf8)
        let r = try CLI.run(["-r", "Mail/smtp_client_to_server.pcapng", "-V", "-c", "3", "--threads", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The first three frames are TCP's handshake (Ethernet/IP/TCP lines only).
        let frames = ref.components(separatedBy: "\n\n").prefix(3).joined(separator: "\n\n")
        XCTAssertTrue(r.stdout.hasPrefix(frames), "first three frames differ from tshark's")
    }
}
