import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

/// SMTP as the seed book's walk-through reads it ("tracking an email"), checked against
/// tshark 4.0.17's output for the seed scenario captures (Tests/Fixtures/Mail).
final class SMTPTests: XCTestCase {
    // MARK: step 1: the client talks to mail01

    /// Frame 8 of smtp_client_to_server: the EHLO reply lists what mail01 supports; tshark shows
    /// the multi-line reply as one "Response" with a parameter per line.
    func testEHLOCapabilityList() throws {
        let ours = try MailFixture.ours("smtp_client_to_server.pcapng")
        XCTAssertEqual(ours[8], [
            "Simple Mail Transfer Protocol",
            "    Response: 250-mail01.skynet.local\\r\\n",
            "        Response code: Requested mail action okay, completed (250)",
            "        Response parameter: mail01.skynet.local",
            "        Response parameter: PIPELINING",
            "        Response parameter: SIZE 10240000",
            "        Response parameter: VRFY",
            "        Response parameter: ETRN",
            "        Response parameter: STARTTLS",
            "        Response parameter: ENHANCEDSTATUSCODES",
            "        Response parameter: 8BITMIME",
            "        Response parameter: DSN",
            "        Response parameter: SMTPUTF8",
            "        Response parameter: CHUNKING",
        ])
        let s = try MailFixture.summaries("smtp_client_to_server.pcapng", reference: "smtp_client_to_server.summary.txt")
        XCTAssertEqual(s.ours[8], s.reference[8])
        XCTAssertTrue(s.ours[8]?.hasSuffix("S: 250-mail01.skynet.local | PIPELINING | SIZE 10240000 | VRFY | ETRN | "
            + "STARTTLS | ENHANCEDSTATUSCODES | 8BITMIME | DSN | SMTPUTF8 | CHUNKING") ?? false)
    }

    /// Frame 9: MAIL FROM with the envelope sender and the message size (RFC 1870 SIZE).
    func testMailFromWithSize() throws {
        let rows = try Fixture.fields("Mail/smtp_client_to_server.pcapng",
                                      ["frame.number", "smtp.req.command", "smtp.req.parameter", "smtp.response.code"])
        let frame9 = rows.first { $0.first == "9" }
        XCTAssertEqual(frame9, ["9", "MAIL", "FROM:<sanders@skynet.local> BODY=8BITMIME SIZE=612", ""])
        let frame10 = rows.first { $0.first == "10" }
        XCTAssertEqual(frame10, ["10", "", "", "250"])
    }

    /// Frame 15: the whole message and the final "." in one segment: "[1 DATA fragment]", then
    /// the message to IMF (Protocol "SMTP/IMF", Info from IMF).
    func testMessageAndEndOfDataInOneSegment() throws {
        let ours = try MailFixture.ours("smtp_client_to_server.pcapng")
        let reference = try MailFixture.reference("smtp_client_to_server.mail.txt")
        XCTAssertEqual(ours[15], reference[15])
        let s = try MailFixture.summaries("smtp_client_to_server.pcapng", reference: "smtp_client_to_server.summary.txt")
        XCTAssertEqual(s.ours[15], s.reference[15])
    }

    /// Every SMTP/IMF line of step 1 is tshark's, and so is the packet list.
    func testClientToServerMatchesTshark() throws {
        let d = MailFixture.differences(try MailFixture.ours("smtp_client_to_server.pcapng"),
                                        try MailFixture.reference("smtp_client_to_server.mail.txt"))
        XCTAssertEqual(d, [])
        let s = try MailFixture.summaries("smtp_client_to_server.pcapng", reference: "smtp_client_to_server.summary.txt")
        XCTAssertEqual(s.ours, s.reference)
        let fields = try Fixture.fields("Mail/smtp_client_to_server.pcapng", ["frame.number", "_ws.col.Protocol", "_ws.col.Info"])
        var reference: [[String]] = []
        for line in try Fixture.text("Mail/smtp_client_to_server.fields.tsv").split(separator: "\n").dropFirst() {
            let cells: [Substring] = line.split(separator: "\t", omittingEmptySubsequences: false)
            reference.append([String(cells[0]), String(cells[12]), String(cells[13])])
        }
        XCTAssertEqual(fields, reference)
    }

    // MARK: step 2: mail01 relays to mail02

    /// tcp.stream == 1 of smtp_relay_server_to_server: Postfix's own client pipelines MAIL, RCPT
    /// and DATA in one segment (frame 30), the server answers all three in one (frame 31), the
    /// message now starts with mail01's Received line, and QUIT rides with the final "." (frame
    /// 32) — tshark does not show that QUIT.
    func testRelayBetweenMailServers() throws {
        let rows = try Fixture.fields("Mail/smtp_relay_server_to_server.pcapng",
                                      ["frame.number", "tcp.stream", "_ws.col.Protocol", "_ws.col.Info"])
        let stream1 = rows.filter { $0[1] == "1" && $0[2] != "TCP" }.map { "\($0[0]) \($0[2]) \($0[3])" }
        XCTAssertEqual(stream1, [
            "25 SMTP S: 220 mail02.cyberdyne.local ESMTP Postfix (Debian/GNU)",
            "27 SMTP C: EHLO mail01.skynet.local",
            "29 SMTP S: 250-mail02.cyberdyne.local | PIPELINING | SIZE 10240000 | VRFY | ETRN | STARTTLS | "
                + "ENHANCEDSTATUSCODES | 8BITMIME | DSN | SMTPUTF8 | CHUNKING",
            "30 SMTP C: MAIL FROM:<sanders@skynet.local> SIZE=817 BODY=8BITMIME | RCPT TO:<sanders@cyberdyne.local> "
                + "ORCPT=rfc822;sanders@cyberdyne.local | DATA",
            "31 SMTP S: 250 2.1.0 Ok | 250 2.1.5 Ok | 354 End data with <CR><LF>.<CR><LF>",
            "32 SMTP/IMF from: Chris Sanders <sanders@skynet.local>, subject: Test Message,  (text/plain)",
            "33 SMTP S: 250 2.0.0 Ok: queued as C92C8FA7A7 | 221 2.0.0 Bye",
        ])
        let d = MailFixture.differences(try MailFixture.ours("smtp_relay_server_to_server.pcapng"),
                                        try MailFixture.reference("smtp_relay_server_to_server.mail.txt"))
        XCTAssertEqual(d, [])
        let s = try MailFixture.summaries("smtp_relay_server_to_server.pcapng",
                                          reference: "smtp_relay_server_to_server.summary.txt")
        XCTAssertEqual(s.ours, s.reference)
    }

    /// The relayed message's Received chain: mail01 recorded the client's claimed name, the
    /// reverse name and IP it saw, and its queue id (our fields; tshark has one string).
    func testRelayedMessageReceivedLine() throws {
        let rows = try Fixture.fields("Mail/smtp_relay_server_to_server.pcapng",
                                      ["frame.number", "imf.received.from", "imf.received.ip", "imf.received.by",
                                       "imf.received.with", "imf.received.id", "imf.received.for"])
        XCTAssertEqual(rows.first { $0.first == "32" },
                       ["32", "[127.16.16.225]", "127.16.16.225", "mail01.skynet.local", "ESMTP", "C86E1FA793",
                        "<sanders@cyberdyne.local>"])
    }

    // MARK: AUTH

    /// AUTH LOGIN and AUTH PLAIN in the clear: base64 shown as sent by default, with the
    /// "decode failed or not enabled" warning for PLAIN.
    func testAuthAsTsharkShowsIt() throws {
        let d = MailFixture.differences(try MailFixture.ours("smtp_auth_plaintext.pcapng"),
                                        try MailFixture.reference("smtp_auth_plaintext.mail.txt"))
        XCTAssertEqual(d, [])
        let s = try MailFixture.summaries("smtp_auth_plaintext.pcapng", reference: "smtp_auth_plaintext.summary.txt")
        XCTAssertEqual(s.ours, s.reference)
    }

    /// With `smtp.decryption:TRUE` the credentials are decoded into smtp.auth.username/password.
    func testAuthDecoded() throws {
        let prefs = ["smtp.decryption:TRUE"]
        let d = MailFixture.differences(try MailFixture.ours("smtp_auth_plaintext.pcapng", prefs: prefs),
                                        try MailFixture.reference("smtp_auth_plaintext.smtp_decryption.mail.txt"))
        XCTAssertEqual(d, [])
        let s = try MailFixture.summaries("smtp_auth_plaintext.pcapng",
                                          reference: "smtp_auth_plaintext.summary.smtp_decryption.txt", prefs: prefs)
        XCTAssertEqual(s.ours, s.reference)
        let rows = try Fixture.fields("Mail/smtp_auth_plaintext.pcapng",
                                      ["frame.number", "smtp.auth.username", "smtp.auth.password"], prefs: prefs)
        XCTAssertEqual(rows.filter { !$0[1].isEmpty || !$0[2].isEmpty }, [
            ["11", "testuser@skynet.local", ""],
            ["13", "", "testpass123"],
            ["36", "testuser@skynet.local", "testpass123"],
            ["59", "testuser@skynet.local", "wrong-password"],
        ])
    }

    /// Our fix (DIVERGENCES.md "smtp-auth-decryption"): the line answering "334 Username:" is the
    /// username even when it decodes to four letters; tshark 4.0 would call "user" a command.
    func testAuthDecodedShortUsername() throws {
        let e = Fixture.engine()
        let prefs = ["smtp.decryption:TRUE"]
        func client(_ s: String, _ frame: UInt32) -> (lines: [String], info: String) {
            let r = MailFixture.dissect(named: "smtp", Array(s.utf8), prefs: prefs, engine: e, frame: frame, tcpPort: 25)
            return (r.lines, r.info)
        }
        func server(_ s: String, _ frame: UInt32) -> String {
            MailFixture.dissect(named: "smtp", Array(s.utf8), srcPort: 25, dstPort: 40000, engine: e, frame: frame,
                                tcpPort: 25).info
        }
        XCTAssertEqual(client("AUTH LOGIN\r\n", 1).info, "C: AUTH LOGIN")
        XCTAssertEqual(server("334 VXNlcm5hbWU6\r\n", 2), "S: 334 Username:")
        let user = client("dXNlcg==\r\n", 3)
        XCTAssertEqual(user.info, "C: User: user")
        XCTAssertEqual(user.lines, ["Simple Mail Transfer Protocol", "    Username: user"])
        XCTAssertEqual(server("334 UGFzc3dvcmQ6\r\n", 4), "S: 334 Password:")
        XCTAssertEqual(client("cGFzcw==\r\n", 5).info, "C: Pass: pass")
        XCTAssertEqual(server("235 2.7.0 Authentication successful\r\n", 6), "S: 235 2.7.0 Authentication successful")
        XCTAssertEqual(client("MAIL FROM:<a@b>\r\n", 7).info, "C: MAIL FROM:<a@b>")
    }

    // MARK: pipelining, errors, CHUNKING

    /// Five RCPTs and DATA in one segment, seven replies (two of them two lines long) in one.
    func testPipelinedRecipientsAndReplies() throws {
        let ours = try MailFixture.ours("smtp_pipelining_multi_rcpt.pcapng")
        let reference = try MailFixture.reference("smtp_pipelining_multi_rcpt.mail.txt")
        for frame in [9, 10, 11, 15, 16, 17, 19, 20, 22, 26, 27, 28, 30, 32, 48, 49, 53] {
            XCTAssertEqual(ours[frame], reference[frame], "frame \(frame)")
        }
    }

    /// Our fix (DIVERGENCES.md "smtp-503-data"): after "503 need RCPT command" the client is
    /// still sending commands; tshark 4.0 shows them as DATA fragments.
    func testRejectedDataKeepsCommandMode() throws {
        let s = try MailFixture.summaries("smtp_pipelining_multi_rcpt.pcapng",
                                          reference: "smtp_pipelining_multi_rcpt.summary.txt")
        XCTAssertTrue(s.ours[28]?.hasSuffix("S: 503-5.5.1 Error: need RCPT command | 5.5.1 For assistance contact "
            + "postmaster@skynet.local (lab server mail01).") ?? false)
        XCTAssertTrue(s.ours[29]?.hasSuffix("SMTP 93 C: MAIL FROM:<broken address") ?? false)
        XCTAssertTrue(s.ours[31]?.hasSuffix("C: MAIL FROM:<sanders@skynet.local> SIZE=99999999") ?? false)
        XCTAssertTrue(s.ours[33]?.hasSuffix("C: RSET") ?? false)
        XCTAssertTrue(s.ours[35]?.hasSuffix("C: QUIT") ?? false)
        XCTAssertTrue(s.reference[29]?.hasSuffix("C: DATA fragment, 27 bytes") ?? false)
        let ours = try MailFixture.ours("smtp_pipelining_multi_rcpt.pcapng")
        XCTAssertEqual(ours[33], ["Simple Mail Transfer Protocol", "    Command Line: RSET\\r\\n", "        Command: RSET"])
        // Every other line of the capture is tshark's.
        let same = s.ours.filter { ![29, 31, 33, 35, 50, 52].contains($0.key) }
        XCTAssertEqual(same, s.reference.filter { ![29, 31, 33, 35, 50, 52].contains($0.key) })
    }

    /// Our BDAT handling (DIVERGENCES.md "smtp-bdat"): the BDAT command is a command, the chunk
    /// is message data, and the LAST chunk completes the message, which goes to IMF.
    func testBDATChunksAreReassembled() throws {
        let ours = try MailFixture.ours("smtp_pipelining_multi_rcpt.pcapng")
        XCTAssertEqual(Array(ours[50]?.prefix(5) ?? []), [
            "Simple Mail Transfer Protocol",
            "    Command Line: BDAT 224\\r\\n",
            "        Command: BDAT",
            "        Request parameter: 224",
            "    Line-based text data (7 lines)",
        ])
        let frame52 = ours[52] ?? []
        XCTAssertTrue(frame52.contains("    [2 DATA fragments (449 bytes): #50(224), #52(225)]"))
        XCTAssertTrue(frame52.contains("Internet Message Format"))
        XCTAssertTrue(frame52.contains("    Subject: Sent with BDAT (CHUNKING)"))
        let s = try MailFixture.summaries("smtp_pipelining_multi_rcpt.pcapng",
                                          reference: "smtp_pipelining_multi_rcpt.summary.txt")
        XCTAssertTrue(s.ours[50]?.hasSuffix("SMTP 300 C: BDAT 224 | DATA fragment, 224 bytes") ?? false)
        XCTAssertTrue(s.ours[52]?.hasSuffix("SMTP/IMF 306 from: Chris Sanders <sanders@skynet.local>, "
            + "subject: Sent with BDAT (CHUNKING), (text/plain)") ?? false)
    }

    // MARK: the forged message

    /// smtp_forged_received: HELO galangal.org with a forged envelope, and the same message
    /// relayed with mail01's truthful Received line on top (frame 32).
    func testForgedMessageMatchesTshark() throws {
        let d = MailFixture.differences(try MailFixture.ours("smtp_forged_received.pcapng"),
                                        try MailFixture.reference("smtp_forged_received.mail.txt"))
        XCTAssertEqual(d, [])
        let s = try MailFixture.summaries("smtp_forged_received.pcapng", reference: "smtp_forged_received.summary.txt")
        XCTAssertEqual(s.ours, s.reference)
        let rows = try Fixture.fields("Mail/smtp_forged_received.pcapng",
                                      ["frame.number", "imf.received.from", "imf.received.ip"])
        XCTAssertEqual(rows.first { $0.first == "32" },
                       ["32", "galangal.org,galangal.org,nowhere", "127.16.16.240,203.0.113.115"])
    }

    // MARK: stream contract

    /// A line without its end asks TCP for more (tshark's DESEGMENT_ONE_MORE_SEGMENT) and adds
    /// nothing; complete lines are consumed whole.
    func testIncompleteLineNeedsMore() throws {
        let partial = MailFixture.dissect(named: "smtp", Array("MAIL FROM:<a@b".utf8))
        XCTAssertEqual(partial.result, .oneMoreSegment)
        XCTAssertEqual(partial.lines, [])
        let whole = MailFixture.dissect(named: "smtp", Array("NOOP\r\nQUIT\r\n".utf8))
        XCTAssertEqual(whole.result, .consumed(12))
        XCTAssertEqual(whole.info, "C: NOOP | QUIT")
    }

    /// STARTTLS accepted with 220: later frames go to the "tls" dissector when there is one;
    /// without it they stay SMTP lines, as tshark shows them with TLS disabled.
    func testStartTLSWithoutTLSDissector() throws {
        let e = Fixture.engine()
        _ = MailFixture.dissect(named: "smtp", Array("STARTTLS\r\n".utf8), engine: e, frame: 1, tcpPort: 25)
        _ = MailFixture.dissect(named: "smtp", Array("220 2.0.0 Ready to start TLS\r\n".utf8), srcPort: 25,
                                dstPort: 40000, engine: e, frame: 2, tcpPort: 25)
        let next = MailFixture.dissect(named: "smtp", Array("EHLO x\r\n".utf8), engine: e, frame: 3, tcpPort: 25)
        if e.namedDissectors["tls"] == nil {
            XCTAssertEqual(next.info, "C: EHLO x")
        } else {
            XCTAssertNotEqual(next.protocolColumn, "SMTP")
        }
    }

    /// Non-command lines in command mode are message data for tshark 4.0 (and join the next
    /// reassembled message); lines after a 354 are data until "\r\n.\r\n".
    func testNonCommandLineIsDataFragment() throws {
        let r = MailFixture.dissect(named: "smtp", Array("ehlo x\r\nXYZZY foo\r\n".utf8))
        XCTAssertEqual(r.info, "C: DATA fragment, 19 bytes")
    }

    /// Reply lines shorter than a code, or without digits, only add a separator to Info.
    func testOddReplies() throws {
        let r = MailFixture.dissect(named: "smtp", Array("250\r\n25\r\n250 \r\n2x0 foo\r\n".utf8), srcPort: 25,
                                    dstPort: 40000)
        XCTAssertEqual(r.info, "S: 250 |  | 250  | ")
        let m = MailFixture.dissect(named: "smtp", Array("220-a\r\n220-b c\r\n221 d\r\n".utf8), srcPort: 25, dstPort: 40000)
        XCTAssertEqual(m.info, "S: 220-a | b c | d")
        XCTAssertTrue(m.lines.contains(
            "            [Expert Info (Warning/Protocol): Unexpected response code 221 in multiline response. Expected 220]"))
    }

    /// Random bytes in both directions never trap and always finish.
    func testHostileInputDoesNotTrap() throws {
        var rng = SystemRandomNumberGenerator()
        let e = Fixture.engine()
        let alphabet = Array("DATA\r\n.BDAT 3 LAST AUTH PLAIN LOGIN 334 354 250-".utf8) + [0, 0xff]
        for i in 0..<400 {
            let n = Int.random(in: 0..<200, using: &rng)
            let bytes = (0..<n).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            let toServer = Bool.random(using: &rng)
            _ = MailFixture.dissect(named: "smtp", bytes, srcPort: toServer ? 40000 : 25, dstPort: toServer ? 25 : 40000,
                                    prefs: i == 0 ? ["smtp.decryption:TRUE"] : [], engine: e, frame: UInt32(i + 1))
        }
    }
}
