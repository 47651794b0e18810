import Foundation
import XCTest

/// `-T ek` output loaded by a real analytics engine (DuckDB from PyPI) and queried for SMTP
/// fields (issue 8). The expected values were checked by hand against `tshark -T fields` on the
/// same capture (commands EHLO MAIL RCPT DATA QUIT; replies 220, 250 ×4, 354, 221).
final class EKConsumerTests: XCTestCase {
    func testEKDocumentsLoadIntoDuckDBAndAnswerSMTPQueries() throws {
        let python = try Python.interpreter(with: ["duckdb"])
        let script = CLI.repository + "/scripts/ek_duckdb.py"
        let capture = CLI.fixtures + "/Mail/smtp_client_to_server.pcapng"
        let r = try Python.run(python, [script, "--dissect", CLI.binary, "--capture", capture])
        XCTAssertEqual(r.status, 0, r.stderr)
        let got = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        XCTAssertEqual(got["documents"] as? Int, 21)
        XCTAssertEqual(got["smtp_commands"] as? [String], ["EHLO", "MAIL", "RCPT", "DATA", "QUIT"])
        XCTAssertEqual(got["mail_from"] as? [String], ["FROM:<sanders@skynet.local> BODY=8BITMIME SIZE=612"])
        XCTAssertEqual(got["response_codes"] as? [[Int]], [[220, 1], [221, 1], [250, 4], [354, 1]])
        XCTAssertEqual(got["subjects"] as? [String], ["Test Message"])
        XCTAssertEqual(got["bytes_by_stream"] as? [[Int]], [[0, 2481]])
    }
}

/// A Python with PyPI packages, from `scripts/pyvenv.sh` (skips visibly when PyPI is unreachable).
enum Python {
    static func interpreter(with packages: [String]) throws -> String {
        let r = try run("/bin/sh", [CLI.repository + "/scripts/pyvenv.sh"] + packages)
        if r.status == 3 {
            throw XCTSkip("SKIPPED: could not install \(packages.joined(separator: " ")) from PyPI (no network?): \(r.stderr)")
        }
        guard r.status == 0 else {
            XCTFail("pyvenv.sh failed: \(r.stderr)")
            throw XCTSkip("pyvenv.sh failed")
        }
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func run(_ executable: String, _ args: [String]) throws -> CLI.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLI.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                          stderr: String(decoding: e, as: UTF8.self))
    }
}

extension CLI {
    /// The repository root (scripts live there).
    static var repository: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }
}
