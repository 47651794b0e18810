import Foundation
import XCTest

/// `-d layer==selector,protocol` against tshark 4.0.17 (references in Fixtures/Output/Scripted).
final class DecodeAsTests: XCTestCase {
    let dir = "Output/Scripted/"

    func reference(_ name: String) throws -> String {
        try String(contentsOfFile: CLI.fixtures + "/" + dir + name, encoding: .utf8)
    }

    func testSMTPOnAnOddPortIsOnlyTCPWithoutDecodeAs() throws {
        let r = try CLI.run(["-r", dir + "smtp_port2525.pcap"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try reference("smtp_port2525.summary.txt"))
    }

    func testDecodeAsMakesPort2525SMTPWithTheRequestDirectionFromThatPort() throws {
        let r = try CLI.run(["-r", dir + "smtp_port2525.pcap", "-d", "tcp.port==2525,smtp"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // "C:" / "S:" come from the matched port, as tshark's pinfo->match_uint.
        XCTAssertEqual(r.stdout, try reference("smtp_port2525.decode_as.summary.txt"))
    }

    func testDecodeAsRangeCoversEveryPortOfIt() throws {
        let args = ["-r", dir + "smtp_port2525.pcap", "-d", "tcp.port==2500-2600,smtp", "-T", "fields",
                    "-e", "frame.number", "-e", "smtp.req", "-e", "smtp.response", "-e", "smtp.req.command",
                    "-e", "smtp.response.code", "-e", "imf.subject"]
        let r = try CLI.run(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try reference("smtp_port2525.decode_as_range.fields.tsv"))
        // The count form "2525:1" names the same single port.
        let single = try CLI.run(["-r", dir + "smtp_port2525.pcap", "-d", "tcp.port==2525:1,smtp"])
        XCTAssertEqual(single.stdout, try reference("smtp_port2525.decode_as.summary.txt"))
    }

    func testDecodeAsReplacesAnExistingEntry() throws {
        // Port 25 decoded as IMAP: replies from the server port become "Response:" lines.
        let r = try CLI.run(["-r", "Mail/smtp_client_to_server.pcapng", "-d", "tcp.port==25,imap"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try reference("smtp_client_to_server.decode_as_imap.summary.txt"))
    }

    func testDecodeAsOnUDPPort() throws {
        let plain = try CLI.run(["-r", dir + "dns_port5300.pcap"])
        XCTAssertEqual(plain.stdout, try reference("dns_port5300.summary.txt"))
        let r = try CLI.run(["-r", dir + "dns_port5300.pcap", "-d", "udp.port==5300,dns", "-T", "fields",
                             "-e", "frame.number", "-e", "_ws.col.Protocol", "-e", "dns.qry.name",
                             "-e", "dns.flags.response", "-e", "_ws.col.Info"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try reference("dns_port5300.decode_as.fields.tsv"))
    }

    /// Each line of decode_as.errors.tsv: the -d argument, tshark's exit status and its
    /// messages (joined by "|"; the listings after them name tshark's own tables and protocols).
    func testBadSpecificationsGetTsharksMessagesAndStatus() throws {
        let lines = try reference("decode_as.errors.tsv").split(separator: "\n", omittingEmptySubsequences: false)
        var checked = 0
        for line in lines where !line.isEmpty {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(cols.count, 3, String(line))
            let r = try CLI.run(["-r", "Mail/smtp_client_to_server.pcapng", "-c", "1", "-d", cols[0]])
            let messages = r.stderr.split(separator: "\n").filter { $0.hasPrefix("dissect: ") }
                .map { $0.dropFirst("dissect: ".count) }.joined(separator: "|")
            XCTAssertEqual(String(r.status), cols[1], "-d \(cols[0])")
            XCTAssertEqual(messages, cols[2], "-d \(cols[0])")
            checked += 1
        }
        XCTAssertEqual(checked, 21)
    }

    func testListingsNameOurTablesAndProtocols() throws {
        let r = try CLI.run(["-r", "Mail/smtp_client_to_server.pcapng", "-d", "tcp.port==25"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\n\tsmtp (Simple Mail Transfer Protocol)\n"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\n\timap (Internet Message Access Protocol)\n"), r.stderr)
        let t = try CLI.run(["-r", "Mail/smtp_client_to_server.pcapng", "-d", "nosuch==1,smtp"])
        XCTAssertTrue(t.stderr.contains("\n\ttcp.port (TCP port)\n"), t.stderr)
        XCTAssertTrue(t.stderr.contains("\n\tudp.port (UDP port)\n"), t.stderr)
        // Heuristic-only lists are not layer types.
        XCTAssertFalse(t.stderr.contains("\n\ttcp ("), t.stderr)
    }
}
