import Foundation
import XCTest

/// Real clients: pyshark (from PyPI) pointed at the `tshark` link `make install-bin` puts next to
/// `dissect`, reading the seed captures as it does through tshark 4.0.17 (Fixtures/Clients,
/// recorded once with the real tshark; scripts/pyshark_compare.py), and capturing live.
///
/// Skipped, visibly, only when pyshark cannot be installed (PyPI unreachable).
final class ClientsTests: XCTestCase {
    /// One installation for all tests of the class: `make install-bin` of the binary under test.
    nonisolated(unsafe) private static var installed: String?

    private func prefix() throws -> String {
        if let p = Self.installed { return p }
        let p = NSTemporaryDirectory() + "dissect-clients-" + UUID().uuidString
        let r = try Python.run("/usr/bin/env", ["make", "-s", "-C", CLI.repository, "install-bin",
                                                "BIN=" + CLI.binary, "PREFIX=" + p])
        guard r.status == 0 else { throw ClientTestError("make install-bin failed: \(r.stderr)") }
        Self.installed = p
        return p
    }

    override class func tearDown() {
        if let p = installed { try? FileManager.default.removeItem(atPath: p) }
        installed = nil
        super.tearDown()
    }

    func testInstallPutsTsharkAndDumpcapLinksNextToDissect() throws {
        let bin = try prefix() + "/bin"
        let fm = FileManager.default
        XCTAssertTrue(fm.isExecutableFile(atPath: bin + "/dissect"))
        XCTAssertEqual(try fm.destinationOfSymbolicLink(atPath: bin + "/tshark"), "dissect")
        XCTAssertEqual(try fm.destinationOfSymbolicLink(atPath: bin + "/dumpcap"), "dissect")
        // pyshark's version parse: the last " X.Y.Z" of the first line of `tshark -v`, greedily.
        let v = try Python.run(bin + "/tshark", ["-v"])
        let first = String(v.stdout.split(separator: "\n").first ?? "")
        let re = try NSRegularExpression(pattern: #".*\s(\d+\.\d+\.\d+).*"#)
        let m = try XCTUnwrap(re.firstMatch(in: first, range: NSRange(first.startIndex..., in: first)), first)
        XCTAssertEqual((first as NSString).substring(with: m.range(at: 1)), "4.0.17", first)
    }

    func testTermsharkPacketListRunMatchesTshark() throws {
        // termshark's PSML run (its column list, without --color), against tshark 4.0.17's output.
        let columns = #"gui.column.format:"No.","%m","No.","%m","Time","%t","Source","%s","Dest","%d","Proto","%p","Length","%L","Info","%i""#
        let r = try CLI.run(["-T", "psml", "-o", columns, "-r", "Mail/smtp_client_to_server.pcapng"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try String(contentsOfFile: CLI.fixtures + "/Clients/termshark.psml", encoding: .utf8))
        // termshark asks with the long option.
        let v = try CLI.run(["--version"])
        XCTAssertTrue(v.stdout.hasPrefix("TShark (Wireshark) 4.0.17 "), v.stdout)
    }

    func testPysharkFileCaptureReadsTheSeedCapturesAsThroughTshark() throws {
        let python = try Python.interpreter(with: ["pyshark==0.6"])
        let r = try Python.run(python, [CLI.repository + "/scripts/pyshark_compare.py", "check",
                                        "--tshark", try prefix() + "/bin/tshark",
                                        "--fixtures", CLI.fixtures + "/Clients", "--captures", CLI.fixtures + "/Mail"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("and no other tshark"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix(" passed, 0 failed\n"), r.stdout)
        // Every mode ran: PDML, JSON (with raw bytes, with display filters) and EK.
        for mode in ["pdml", "pdml_filter", "json", "json_raw", "json_filter", "ek"] {
            XCTAssertTrue(r.stdout.contains("ok   smtp_client_to_server.\(mode):"), mode + "\n" + r.stdout)
        }
    }

    func testFallingBackToAnotherTsharkOnPathFails() throws {
        // A directory with `dissect` but no `tshark` next to it: pyshark then runs the first
        // `tshark` on $PATH, which the check has poisoned.
        let python = try Python.interpreter(with: ["pyshark==0.6"])
        let lonely = NSTemporaryDirectory() + "dissect-nolink-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: lonely, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: lonely) }
        try FileManager.default.createSymbolicLink(atPath: lonely + "/dissect", withDestinationPath: CLI.binary)
        let r = try Python.run(python, [CLI.repository + "/scripts/pyshark_compare.py", "check", "--only",
                                        "smtp_client_to_server.json.", "--tshark", lonely + "/dissect",
                                        "--fixtures", CLI.fixtures + "/Clients", "--captures", CLI.fixtures + "/Mail"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("FAIL pyshark ran a tshark from $PATH instead of ours"), r.stdout)
    }

    func testPysharkLiveCaptureOnLoopbackThroughOurDumpcapAndTshark() throws {
        let python = try Python.interpreter(with: ["pyshark==0.6"])
        let r = try Python.run(python, [CLI.repository + "/scripts/pyshark_live.py", "--tshark", try prefix() + "/bin/tshark"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.hasSuffix("2 passed, 0 failed\n"), r.stdout + r.stderr)
    }
}

private struct ClientTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
