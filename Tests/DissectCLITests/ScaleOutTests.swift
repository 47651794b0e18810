import Foundation
import XCTest

/// The scale-out pipeline (`scale/`, issue 6): split by conversation, `dissect -T ek` per split,
/// summarise — its answers must equal `dissect -T fields` on the whole captures. CI runs the
/// local process-pool engine; `make check-spark` runs the same check on Spark.
final class ScaleOutTests: XCTestCase {
    func testSplitPipelineMatchesWholeCaptures() throws {
        let r = try Python.run("/usr/bin/env", ["python3", CLI.repository + "/scale/test_smtp_job.py",
                                                "--dissect", CLI.binary, "--engine", "local"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("local: PASS: 327 packets in 10 splits"), r.stdout)
    }

    /// `--no-duplicate-keys` with `-T ek` (our extension): IMF's address under two parents is one
    /// array instead of a repeated key (tshark 4.0's EK writes the key twice).
    func testEKWithoutDuplicateKeys() throws {
        let args = ["-r", "Mail/smtp_client_to_server.pcapng", "-T", "ek", "-Y", "imf"]
        let plain = try CLI.run(args).stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertEqual(plain.components(separatedBy: "\"imf_imf_address\":").count - 1, 2)
        let merged = try CLI.run(args + ["--no-duplicate-keys"]).stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertEqual(merged.components(separatedBy: "\"imf_imf_address\":").count - 1, 1)
        XCTAssertTrue(merged.contains("\"imf_imf_address\":[\"sanders@cyberdyne.local\\r\\n\",\"sanders@skynet.local\"]"), merged)
    }
}
