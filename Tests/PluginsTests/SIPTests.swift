import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

/// SIP, the SDP it carries, and the RTP stream SDP sets up, against tshark 4.0.17.
final class SIPTests: XCTestCase {
    static let tops = ["Session Initiation Protocol", "Real-Time Transport Protocol"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // Request/Status Info with the trailing " | ", "(METHOD)" on 2xx only, REGISTER bindings
        // ("fetch bindings", counts), "Unknown request:", SIP/SDP, RTP found through the SDP
        // binding with "Mark", non-SIP text on port 5060 left to UDP, a status line without a
        // reason phrase refused, and a SIP header and an RTP header cut short (Malformed).
        for name in ["sip", "sip-rtp-head", "sip-cases"] {
            let ext = name == "sip-cases" ? "pcap" : "pcapng"
            let got = try NoNamesFixture.render("SIP/\(name).\(ext)", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("SIP/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // Request-URI and address sub-items, Via parameters, CSeq, generated Call-ID, request
        // frame and response time (also for the ACK), SDP lines with rtpmap/fmtp and the
        // extra-space expert, RTP's "Stream setup by SDP" block and extended sequence numbers.
        for name in ["sip", "sip-rtp-head"] {
            let got = ProtocolExcerpt.cut(try NoNamesFixture.render("SIP/\(name).pcapng", verbose: true), Self.tops)
            NoNamesFixture.assertSameLines(got, try Fixture.text("SIP/\(name).excerpt.txt"))
        }
    }

    func testFieldsMatchTshark() throws {
        // (The stored .tsv is next to the capture; ProtocolExcerpt's helper only strips ".pcap".)
        for name in ["sip", "sip-rtp-head", "sip-cases"] {
            let ext = name == "sip-cases" ? "pcap" : "pcapng"
            let want = try Fixture.text("SIP/\(name).fields.tsv").split(separator: "\n").map {
                $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            }
            let got = try Fixture.fields("SIP/\(name).\(ext)", want[0])
            XCTAssertEqual(got.count, want.count - 1, name)
            // sip-cases frame 14 (200 OK to a REGISTER reusing the INVITE's Call-ID and CSeq
            // number): tshark keeps one transaction per Call-ID and matches nothing; we match it.
            for (g, w) in zip(got, want.dropFirst()) where g != w && !(name == "sip-cases" && w[0] == "14") {
                XCTFail("\(name) frame \(w[0]): got \(g), want \(w)")
            }
        }
    }

    func testRTPIsBoundToTheSDPConnectionAddress() throws {
        // sip-rtp frame 7: the first RTP packet to 200.57.7.196:40376, the INVITE's (frame 1)
        // connection address and media port; tshark's response time is whole seconds in ms plus
        // the truncated nanosecond difference (frame 3: 48 ms, frame 6: 8478 ms).
        let rows = try Fixture.fields("SIP/sip-rtp-head.pcapng",
                                      ["frame.number", "rtp.setup-frame", "rtp.extseq", "sip.response-time"])
        XCTAssertEqual(rows[6], ["7", "1", "65537", ""])
        XCTAssertEqual(rows[2], ["3", "", "", "48"])
        XCTAssertEqual(rows[5], ["6", "", "", "8478"])
    }

    func testMalformedCasesDoNotCrash() throws {
        // sip-cases frame 20 stops inside a header line, frame 12 is a 3-byte RTP datagram.
        let rows = try Fixture.fields("SIP/sip-cases.pcap", ["frame.number", "_ws.col.Protocol", "_ws.malformed"])
        XCTAssertEqual(rows[19][1], "SIP")
        XCTAssertEqual(rows[11][1], "UDP")
    }

    func testFirstLineRecognition() {
        func check(_ s: String) -> Bool {
            Array(s.utf8).withUnsafeBytes { SIPDissector.firstLine(ByteView($0)) != nil }
        }
        XCTAssertTrue(check("INVITE sip:a@b SIP/2.0\r\n"))
        XCTAssertTrue(check("SIP/2.0 200 OK\r\n"))
        XCTAssertFalse(check("SIP/2.0 200\r\n"))
        XCTAssertFalse(check("hello world\r\n"))
        XCTAssertFalse(check("GET / HTTP/1.1\r\n"))
    }
}
