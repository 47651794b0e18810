import Foundation
import XCTest

/// `-z endpoints`, `-z conv` layouts, `-z io,stat` and `-z help` against tshark 4.0.17, byte for byte.
final class EndpointsIOStatTests: XCTestCase {
    let dir = "Output/Scripted/"
    let zeek = "Output/Scripted/zeek_smtp.pcap"

    func reference(_ name: String) throws -> String {
        try String(contentsOfFile: CLI.fixtures + "/" + dir + name, encoding: .utf8)
    }

    func stat(_ capture: String, _ args: String...) throws -> CLI.Result {
        var a = ["-r", capture, "-q"]
        for s in args { a += ["-z", s] }
        return try CLI.run(a)
    }

    func testEndpointsOfEveryKind() throws {
        for kind in ["eth", "ip", "ipv6", "tcp", "udp"] {
            let r = try stat(zeek, "endpoints," + kind)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout, try reference("zeek_smtp.endpoints_\(kind).txt"), kind)
        }
    }

    func testEndpointOfAFrameSentToItselfCountsTwice() throws {
        // The seed capture runs on loopback: every Ethernet address is 00:00:00:00:00:00.
        let r = try stat("Mail/smtp_client_to_server.pcapng", "endpoints,eth")
        XCTAssertTrue(r.stdout.contains("00:00:00_00:00:00             42          4962         21            2481          21            2481   \n"), r.stdout)
    }

    func testConversationTablesAreTsharksToTheSpace() throws {
        for kind in ["eth", "ip", "udp"] {
            let r = try stat(zeek, "conv," + kind)
            XCTAssertEqual(r.stdout, try reference("zeek_smtp.conv_\(kind).txt"), kind)
        }
    }

    func testStatisticFiltersSelectPackets() throws {
        // Printed in the reverse order of the -z arguments, as tshark does.
        let r = try stat(zeek, "endpoints,tcp,tcp.port==25", "conv,ip,ip.len > 100")
        XCTAssertEqual(r.stdout, try reference("zeek_smtp.filtered.txt"))
        let bad = try stat(zeek, "conv,ip,nosuch.field")
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("nosuch.field is neither a field nor a protocol name"), bad.stderr)
    }

    func testIOStatIntervals() throws {
        let capture = "Mail/imap_plain_session.pcapng"
        XCTAssertEqual(try stat(capture, "io,stat,1").stdout, try reference("imap_plain_session.io_stat_1.txt"))
        XCTAssertEqual(try stat(capture, "io,stat,0").stdout, try reference("imap_plain_session.io_stat_0.txt"))
        XCTAssertEqual(try stat(capture, "io,stat,0.5,tcp,udp,imap").stdout,
                       try reference("imap_plain_session.io_stat_cols.txt"))
    }

    func testIOStatCalculations() throws {
        let calc = "io,stat,0.5,COUNT(tcp.len)tcp.len,SUM(tcp.len)tcp.len,MIN(tcp.len)tcp.len,MAX(tcp.len)tcp.len,AVG(tcp.len)tcp.len"
        XCTAssertEqual(try stat("Mail/imap_plain_session.pcapng", calc).stdout,
                       try reference("imap_plain_session.io_stat_calc.txt"))
        // Relative-time fields (µs columns), LOAD, FRAMES and BYTES() columns.
        let times = "io,stat,0.001,MAX(frame.time_delta)frame.time_delta,AVG(frame.time_delta)frame.time_delta,LOAD(frame.time_delta)frame.time_delta,FRAMES,BYTES()tcp"
        XCTAssertEqual(try stat("Mail/smtp_client_to_server.pcapng", times).stdout,
                       try reference("smtp_client_to_server.io_stat_time.txt"))
        // A filter wider than the table wraps at its last space.
        let wrap = "io,stat,0.001,tcp.port == 25 and ip.src == 127.16.16.225 and tcp.len > 0 and frame.len > 10 and not udp and tcp.flags.push == 1,udp"
        XCTAssertEqual(try stat("Mail/smtp_client_to_server.pcapng", wrap).stdout,
                       try reference("smtp_client_to_server.io_stat_wrap.txt"))
    }

    /// DIVERGENCES.md "io-stat-unprimed-field": tshark shows 0 for SUM(tcp.len) unless some
    /// filter of the run names tcp.len; we sum the values — the numbers tshark shows once the
    /// filter names it (`SUM(tcp.len)tcp.len`).
    func testIOStatUsesFieldValuesWithoutAFilterNamingThem() throws {
        let r = try stat("Mail/smtp_client_to_server.pcapng", "io,stat,0.001,SUM(tcp.len)")
        func rows(_ s: String) -> [String] {
            s.split(separator: "\n").filter { $0.contains(" <> ") }.map { String($0.prefix(24)) }
        }
        let primed = rows(try reference("smtp_client_to_server.io_stat_primed.tshark.txt"))
        XCTAssertEqual(primed, ["| 0.000 <> 0.001 | 244 |", "| 0.001 <> 0.002 | 120 |",
                                "| 0.002 <> 0.003 | 658 |", "| 0.003 <> 0.003 |  57 |"])
        XCTAssertEqual(rows(r.stdout), primed)
        XCTAssertTrue(try reference("smtp_client_to_server.io_stat_unprimed.tshark.txt").contains("| 0.002 <> 0.003 |   0 |"))
    }

    /// Each line of io_stat.errors.tsv: the -z argument, tshark's exit status and its message.
    func testIOStatErrors() throws {
        var checked = 0
        for line in try reference("io_stat.errors.tsv").split(separator: "\n") {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let r = try stat("Mail/smtp_client_to_server.pcapng", cols[0])
            XCTAssertEqual(String(r.status), cols[1], cols[0])
            // tshark writes these after an empty line.
            XCTAssertEqual(r.stderr, "\ndissect: " + cols[2] + "\n", cols[0])
            XCTAssertEqual(r.stdout, "")
            checked += 1
        }
        XCTAssertEqual(checked, 10)
    }

    func testHelpListsTheStatisticsOnStandardError() throws {
        let r = try CLI.run(["-z", "help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "dissect: The available statistics for the \"-z\" option are:")
        for name in ["conv,tcp", "credentials", "endpoints,udp", "expert", "follow,tcp", "follow,udp", "io,phs", "io,stat"] {
            XCTAssertTrue(lines.contains("     " + name), name)
        }
        XCTAssertEqual(Array(lines.dropFirst()), Array(lines.dropFirst()).sorted())
    }
}
