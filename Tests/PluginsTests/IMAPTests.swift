import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

/// IMAP (step 3 of the walk-through: the recipient fetches the message), checked against
/// tshark 4.0.17 on imap_plain_session.pcapng (Python imaplib, no TLS).
final class IMAPTests: XCTestCase {
    /// Every IMAP/IMF line and packet-list line is tshark's, including frames 32–44 where TCP
    /// reassembles the 13,091-byte FETCH literal (frame 48's RFC 2047 words aside: our addition,
    /// DIVERGENCES.md).
    func testPlainSessionMatchesTshark() throws {
        let d = MailFixture.differences(try MailFixture.ours("imap_plain_session.pcapng"),
                                        try MailFixture.reference("imap_plain_session.mail.txt"),
                                        skipping: [48])
        XCTAssertEqual(d, [])
        let s = try MailFixture.summaries("imap_plain_session.pcapng", reference: "imap_plain_session.summary.txt")
        XCTAssertEqual(s.ours.count, s.reference.count)
        for frame in s.reference.keys.sorted() where frame != 48 {
            XCTAssertEqual(s.ours[frame], s.reference[frame], "frame \(frame)")
        }
    }

    /// LOGIN in the clear: the credentials are fields (frames 12 and 15); the wrong password
    /// gets "NO [AUTHENTICATIONFAILED]" matched back to its request.
    func testLoginCredentialsAndMatching() throws {
        let rows = try Fixture.fields("Mail/imap_plain_session.pcapng",
                                      ["frame.number", "imap.request.username", "imap.request.password",
                                       "imap.response.status", "imap.response_to"])
        XCTAssertEqual(rows.first { $0.first == "12" }, ["12", "dyson", "wrong-password", "", ""])
        XCTAssertEqual(rows.first { $0.first == "14" }, ["14", "", "", "NO", "12"])
        XCTAssertEqual(rows.first { $0.first == "15" }, ["15", "dyson", "MilesDyson1984", "", ""])
        XCTAssertEqual(rows.first { $0.first == "17" }, ["17", "", "", "OK", "15"])
        let ours = try MailFixture.ours("imap_plain_session.pcapng")
        XCTAssertEqual(ours[17]?.suffix(2), ["        [Request In: 15]", "        [Response Time: 4.015432295 seconds]"])
        XCTAssertTrue(ours[17]?[1].hasPrefix("    Line [truncated]: * CAPABILITY IMAP4rev1 SASL-IR") ?? false)
    }

    /// Our fix (DIVERGENCES.md "imap-login-password"): tshark 4.0 drops the first and last
    /// character of an unquoted password ("MilesDyson1984" → "ilesDyson198").
    func testUnquotedPasswordIsKept() throws {
        let r = MailFixture.dissect(named: "imap", Array("a1 LOGIN dyson MilesDyson1984\r\n".utf8), dstPort: 143)
        XCTAssertEqual(r.lines, [
            "Internet Message Access Protocol",
            "    Line: a1 LOGIN dyson MilesDyson1984\\r\\n",
            "        Request: a1 LOGIN dyson MilesDyson1984",
            "        Request Tag: a1",
            "        Request Command: LOGIN",
            "        Request Username: dyson",
            "        Request Password: MilesDyson1984",
        ])
        let q = MailFixture.dissect(named: "imap", Array("a2 LOGIN dyson \"pass with \\\"quote\\\"\"\r\n".utf8), dstPort: 143)
        XCTAssertEqual(q.lines.last, "        Request Password: pass with \"quote\"")
    }

    /// The FETCH literal (frames 32–44 reassembled): the untagged line, then IMF for the
    /// literal, then ")" and the tagged OK; Info and Protocol come from IMF.
    func testFetchLiteralGoesToIMF() throws {
        let message = try MailFixture.crlf("Mail/full_mail_journey.fetched.eml")
        let pdu = Array("* 1 FETCH (FLAGS (\\Seen) BODY[] {\(message.count)}\r\n".utf8) + message
            + Array(")\r\nA6 OK Fetch completed.\r\n".utf8)
        let r = MailFixture.dissect(named: "imap", pdu, srcPort: 143, dstPort: 40000)
        XCTAssertEqual(r.result, .consumed(pdu.count))
        XCTAssertEqual(r.protocolColumn, "IMAP/IMF")
        XCTAssertEqual(r.info, "from: Chris Sanders <sanders@skynet.local>, subject: Test Message,  (text/plain)")
        XCTAssertEqual(Array(r.lines.prefix(9)), [
            "Internet Message Access Protocol",
            "    Line: * 1 FETCH (FLAGS (\\Seen) BODY[] {1141}\\r\\n",
            "    Line: )\\r\\n",
            "        Response: )",
            "        Response Tag: )",
            "    Line: A6 OK Fetch completed.\\r\\n",
            "        Response: A6 OK Fetch completed.",
            "        Response Tag: A6",
            "        Response Status: OK",
        ])
        XCTAssertTrue(r.lines.contains("Internet Message Format"))
    }

    /// Frames 32–44 put together as TCP reassembly will hand them over: the IMAP and IMF lines of
    /// tshark's frame 44 (13,191 bytes, a multipart/mixed message with a text and a CSV part).
    func testFetchLiteralFromCaptureMatchesTshark() throws {
        let e = Fixture.engine()
        guard let payloadField = e.registry.lookup("tcp.payload") else { return XCTFail("no tcp.payload") }
        var interest = Interest.nothing(e.registry)
        interest.want(payloadField)
        let fmt = FieldFormatter(registry: e.registry, resolver: NameResolver(loadSystemFiles: false))
        var payloads: [UInt32: [UInt8]] = [:]
        try e.forEachPacket(path: Fixture.path("Mail/imap_plain_session.pcapng"), interest: interest) { ctx in
            if let r = ctx.tree.first(payloadField) { payloads[ctx.frame.number] = Array(fmt.bytes(r, ctx)) }
        }
        let pdu = [32, 33, 34, 35, 36, 39, 40, 41, 42, 44].flatMap { payloads[UInt32($0)] ?? [] }
        XCTAssertEqual(pdu.count, 13191)

        let imap = Fixture.engine()
        _ = MailFixture.dissect(named: "imap", payloads[30] ?? [], dstPort: 143, engine: imap, frame: 30, tcpPort: 143)
        let r = MailFixture.dissect(named: "imap", pdu, srcPort: 143, dstPort: 40000, engine: imap, frame: 44, tcpPort: 143)
        XCTAssertEqual(r.result, .consumed(13191))
        XCTAssertEqual(r.info, "from: Chris Sanders <sanders@skynet.local>, subject: Weekly lab status report,  "
            + "(text/plain) (text/csv)")
        let reference = try MailFixture.reference("imap_plain_session.mail.txt")[44] ?? []
        let timing = { (l: String) in l.contains("[Response Time: ") }
        XCTAssertEqual(MailFixture.withoutAdditions(r.lines).filter { !timing($0) }, reference.filter { !timing($0) })
    }

    /// Until the literal and a ')' after it have arrived, the FETCH response asks for one more
    /// segment at a time (as tshark does, so every segment of the literal shows tshark's empty
    /// IMAP item).
    func testIncompleteLiteralNeedsMore() throws {
        let head = Array("* 1 FETCH (BODY[] {100}\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 40)
        let r = MailFixture.dissect(named: "imap", head, srcPort: 143, dstPort: 40000)
        XCTAssertEqual(r.result, .oneMoreSegment)
        XCTAssertEqual(r.lines, ["Internet Message Access Protocol"])
        let line = MailFixture.dissect(named: "imap", Array("A1 NOOP".utf8), dstPort: 143)
        XCTAssertEqual(line.result, .oneMoreSegment)
        XCTAssertEqual(line.lines, [])
        // Complete lines before an incomplete FETCH are dissected; the rest is left for later.
        let mixed = Array("* 2 EXISTS\r\n".utf8) + head
        let m = MailFixture.dissect(named: "imap", mixed, srcPort: 143, dstPort: 40000)
        XCTAssertEqual(m.result, .consumed(12))
    }

    /// STARTTLS and its tagged OK hand the rest of the conversation to TLS (when registered).
    func testStartTLS() throws {
        let e = Fixture.engine()
        _ = MailFixture.dissect(named: "imap", Array("A002 STARTTLS\r\n".utf8), dstPort: 143, engine: e, frame: 1,
                                tcpPort: 143)
        let ok = MailFixture.dissect(named: "imap", Array("A002 OK Begin TLS negotiation now.\r\n".utf8), srcPort: 143,
                                     dstPort: 40000, engine: e, frame: 2, tcpPort: 143)
        XCTAssertEqual(ok.info, "Response: A002 OK Begin TLS negotiation now.")
        let hello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 0x0d, 0x0a]
        let next = MailFixture.dissect(named: "imap", hello, dstPort: 143, engine: e, frame: 3, tcpPort: 143)
        if e.namedDissectors["tls"] == nil {
            XCTAssertEqual(next.protocolColumn, "IMAP")
        } else {
            XCTAssertNotEqual(next.protocolColumn, "IMAP")
        }
    }

    /// Random lines and literals never trap and always finish.
    func testHostileInputDoesNotTrap() throws {
        var rng = SystemRandomNumberGenerator()
        let e = Fixture.engine()
        let alphabet = Array("* FETCH ({}) 12 a1 LOGIN \"x\\ STARTTLS OK\r\n".utf8) + [0, 0xff]
        for i in 0..<400 {
            let n = Int.random(in: 0..<200, using: &rng)
            let bytes = (0..<n).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            let toServer = Bool.random(using: &rng)
            _ = MailFixture.dissect(named: "imap", bytes, srcPort: toServer ? 40000 : 143,
                                    dstPort: toServer ? 143 : 40000, engine: e, frame: UInt32(i + 1), tcpPort: 143)
        }
    }
}
