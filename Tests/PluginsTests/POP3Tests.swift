import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

/// POP3 (RFC 1939), checked against tshark 4.0.17 on the captures of Tests/Fixtures/POP3
/// (crafted by make_fixtures.py) and on segments fed straight to the dissector.
final class POP3Tests: XCTestCase {
    private func assertMatchesTshark(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let ours = try Fixture.verbose("POP3/\(name).pcap")
        XCTAssertEqual(try AppLayerExcerpt.differences(ours: ours, reference: "POP3/\(name).excerpt.txt"), [],
                       file: file, line: line)
        XCTAssertEqual(try Fixture.summary("POP3/\(name).pcap"), try Fixture.text("POP3/\(name).summary.txt"),
                       file: file, line: line)
    }

    /// Commands with and without parameters, "+OK"/"-ERR" with descriptions, multi-line CAPA
    /// and LIST, and tshark's RETR quirk: message bytes in the "+OK" segment are not counted,
    /// so the message announced as 120 octets never completes (frame 19 stays empty).
    func testSessionMatchesTshark() throws {
        try assertMatchesTshark("pop3_session")
    }

    /// RETR reassembled over two segments into "Reassembled DATA" and handed to IMF
    /// ("POP/IMF"), TOP and RETR bodies in one segment, "+OK message follows" with tshark's
    /// "Length must be a string containing an integer", STLS.
    func testRetrievalMatchesTshark() throws {
        try assertMatchesTshark("pop3_retr")
    }

    func testRequestAndResponseLines() {
        var h = StreamHarness()
        let c = h.send(Array("USER alice\r\n".utf8), serverPort: 110, frame: 1)
        XCTAssertEqual(c.info, "C: USER alice")
        XCTAssertEqual(c.protocolColumn, "POP")
        XCTAssertEqual(c.lines, [
            "Post Office Protocol",
            "    USER alice\\r\\n",
            "        Request command: USER",
            "        Request parameter: alice",
        ])
        let s = h.send(Array("-ERR no such message\r\n".utf8), fromClient: false, serverPort: 110, frame: 2)
        XCTAssertEqual(s.info, "S: -ERR no such message")
        XCTAssertEqual(Array(s.lines.suffix(2)), ["        Response indicator: -ERR",
                                                  "        Response description: no such message"])
    }

    /// A RETR message announced as N octets is reassembled until N bytes have arrived; each
    /// segment on the way is "S: DATA fragment"; the last one hands the message to IMF.
    func testRetrMessageIsReassembledByOctetCount() {
        var h = StreamHarness()
        let msg = "From: a@b\r\nSubject: s\r\n\r\nline\r\n"
        _ = h.send(Array("RETR 1\r\n".utf8), serverPort: 110, frame: 1)
        _ = h.send(Array("+OK \(msg.utf8.count) octets\r\n".utf8), fromClient: false, serverPort: 110, frame: 2)
        let bytes = Array(msg.utf8)
        let first = h.send(Array(bytes[..<10]), fromClient: false, serverPort: 110, frame: 3)
        XCTAssertEqual(first.info, "S: DATA fragment, 10 bytes")
        XCTAssertEqual(first.lines, ["Post Office Protocol"])
        let second = h.send(Array(bytes[10...]) + Array(".\r\n".utf8), fromClient: false, serverPort: 110, frame: 4)
        XCTAssertEqual(second.protocolColumn, "POP/IMF")
        XCTAssertTrue(second.lines.contains("    [2 DATA fragments (\(bytes.count + 3) bytes): #3(10), #4(\(bytes.count - 7))]"))
        XCTAssertTrue(second.lines.contains("Internet Message Format"))
        XCTAssertEqual(second.info, "from: a@b, subject: s, , line  , .  ")
    }

    func testUnparsableSizeIsFlagged() {
        var h = StreamHarness()
        _ = h.send(Array("TOP 1 5\r\n".utf8), serverPort: 110, frame: 1)
        let r = h.send(Array("+OK here it comes\r\n".utf8), fromClient: false, serverPort: 110, frame: 2)
        XCTAssertTrue(r.lines.contains("        [Expert Info (Error/Malformed): Length must be a string containing an integer]"))
    }

    /// Broken input never traps.
    func testMalformedInputDoesNotCrash() {
        var h = StreamHarness()
        var rng = SplitMix64(seed: 0x504f_5033)
        var sentSTLS = false
        let pieces = ["+OK ", "-ERR", "RETR 1\r\n", "TOP 1 0\r\n", "STLS\r\n", "\r\n", ".\r\n", "4294967296 octets\r\n",
                      "\r", "\n", " "]
        for i in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                if Bool.random(using: &rng) {
                    bytes += Array(pieces.randomElement(using: &rng)!.utf8)
                } else {
                    bytes += (0..<Int.random(in: 1...6, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                }
            }
            let fromClient = Bool.random(using: &rng)
            if fromClient && String(decoding: bytes, as: UTF8.self).contains("STLS\r\n") { sentSTLS = true }
            let r = h.send(bytes, fromClient: fromClient, serverPort: 110, frame: UInt32(i + 1))
            // POP3 consumes what it gets; after a random "STLS" + "+OK" the bytes belong to TLS,
            // which may refuse clear text or wait for the rest of a record, as tshark's does.
            switch r.result {
            case .consumed(let k): XCTAssertEqual(k, bytes.count)
            case .notMine, .needMore: XCTAssertTrue(sentSTLS, "only TLS (after STLS) may refuse or wait: \(bytes)")
            default: XCTFail("unexpected \(String(describing: r.result))")
            }
        }
    }
}
