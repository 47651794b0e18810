import Foundation
import XCTest

/// End-to-end: the `dissect` binary against stored tshark 4.0.17 references.
final class CLITests: XCTestCase {
    let mail = "Mail/smtp_client_to_server.pcapng"

    func testVersionFirstLineCarriesTsharkStyleVersion() throws {
        // pyshark reads the version from the first line of `tshark -v`.
        let r = try CLI.run(["-v"])
        XCTAssertEqual(r.status, 0)
        let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(first.hasPrefix("TShark (Wireshark) 4.0.17"), first)
    }

    func testUnknownOptionIsRejectedLikeGetopt() throws {
        let r = try CLI.run(["-k", "-r", mail])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("invalid option -- 'k'"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testBadPacketCountIsRejected() throws {
        let r = try CLI.run(["-r", mail, "-c", "abc"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("isn't a valid positive integer"), r.stderr)
    }

    func testFieldsWithoutFieldNamesIsAnError() throws {
        let r = try CLI.run(["-r", mail, "-T", "fields"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("no fields were specified"), r.stderr)
    }

    func testUnknownFieldIsReported() throws {
        let r = try CLI.run(["-r", mail, "-T", "fields", "-e", "ip.nosuchfield"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("ip.nosuchfield"), r.stderr)
    }

    func testMissingFileExitsWithStatusTwo() throws {
        let r = try CLI.run(["-r", "no/such/file.pcap"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("dissect: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("no/such/file.pcap"), r.stderr)
    }

    func testGetoptClustersAndAttachedValues() throws {
        // "-nr FILE -c2" is "-n -r FILE -c 2" as in tshark.
        let r = try CLI.run(["-nr", mail, "-c2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 2)
    }

    /// Columns of `-T fields` that the link/network layers produce, against tshark's reference.
    func testFieldsMatchTsharkForFrameEthernetAndIP() throws {
        let ref = try String(contentsOfFile: CLI.fixtures + "/Mail/smtp_client_to_server.fields.tsv", encoding: .utf8)
        let rows = ref.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        let header = rows[0].map(String.init)
        let wanted = ["frame.number", "frame.time_epoch", "eth.src", "eth.dst", "ip.src", "ip.dst"]
        var args = ["-r", mail, "-T", "fields", "-E", "header=y"]
        for w in wanted { args += ["-e", w] }
        let r = try CLI.run(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        let got = r.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        XCTAssertEqual(got.count, rows.count)
        XCTAssertEqual(got.first.map { $0.map(String.init) }, wanted)
        for (g, e) in zip(got.dropFirst(), rows.dropFirst()) {
            for (i, name) in wanted.enumerated() {
                let col = header.firstIndex(of: name)!
                XCTAssertEqual(String(g[i]), String(e[col]), "\(name) in frame \(e[0])")
            }
        }
    }

    func testFieldOptionsQuoteSeparatorAndOccurrence() throws {
        let r = try CLI.run(["-r", mail, "-c", "1", "-T", "fields", "-e", "frame.number", "-e", "ip.src",
                             "-E", "separator=,", "-E", "quote=d", "-E", "header=y"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "\"frame.number\",\"ip.src\"\n\"1\",\"127.16.16.225\"\n")
    }
}
