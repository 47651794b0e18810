import Foundation
import XCTest

/// Preferences files (dissect's and Wireshark's), `-C` profiles and `-o`, against tshark 4.0.17.
final class PreferencesFileTests: XCTestCase {
    let dir = "Output/Scripted/"
    let capture = "Mail/smtp_client_to_server.pcapng"

    func reference(_ name: String) throws -> String {
        try String(contentsOfFile: CLI.fixtures + "/" + dir + name, encoding: .utf8)
    }

    /// A fresh directory holding `files` (relative path → contents).
    func configDirectory(_ files: [String: String]) throws -> String {
        let root = NSTemporaryDirectory() + "dissect-prefs-" + UUID().uuidString
        for (path, text) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        return root
    }

    func testWiresharksPreferencesFileIsRead() throws {
        let ws = try configDirectory(["preferences": "# Wireshark's own\ntcp.relative_sequence_numbers: FALSE\n"])
        let r = try CLI.run(["-r", capture, "-c", "6"], environment: ["WIRESHARK_CONFIG_DIR": ws])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try reference("smtp6.absolute.summary.txt"))
    }

    func testDissectsFileWinsOverWiresharksAndDashOWinsOverBoth() throws {
        let ws = try configDirectory(["preferences": "tcp.relative_sequence_numbers: TRUE\n"])
        let ours = try configDirectory(["preferences": "tcp.relative_sequence_numbers: FALSE\n"])
        let env = ["WIRESHARK_CONFIG_DIR": ws, "DISSECT_CONFIG_DIR": ours]
        let r = try CLI.run(["-r", capture, "-c", "6"], environment: env)
        XCTAssertEqual(r.stdout, try reference("smtp6.absolute.summary.txt"))
        let o = try CLI.run(["-r", capture, "-c", "6", "-o", "tcp.relative_sequence_numbers:TRUE"], environment: env)
        XCTAssertEqual(o.stdout, try reference("smtp6.relative.summary.txt"))
    }

    func testXDGConfigHomeLocatesBothDirectories() throws {
        let xdg = try configDirectory(["dissect/preferences": "tcp.relative_sequence_numbers: FALSE\n"])
        let r = try CLI.run(["-r", capture, "-c", "6"], environment: ["XDG_CONFIG_HOME": xdg])
        XCTAssertEqual(r.stdout, try reference("smtp6.absolute.summary.txt"))
        let ws = try configDirectory(["wireshark/preferences": "tcp.relative_sequence_numbers: FALSE\n"])
        let w = try CLI.run(["-r", capture, "-c", "6"], environment: ["XDG_CONFIG_HOME": ws])
        XCTAssertEqual(w.stdout, try reference("smtp6.absolute.summary.txt"))
    }

    func testProfileReplacesTheDefaultPreferences() throws {
        let ours = try configDirectory([
            "preferences": "tcp.relative_sequence_numbers: FALSE\n",
            "profiles/mail/preferences": "tcp.relative_sequence_numbers: TRUE\n",
        ])
        let r = try CLI.run(["-r", capture, "-c", "6", "-C", "mail"], environment: ["DISSECT_CONFIG_DIR": ours])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try reference("smtp6.relative.summary.txt"))
        // A Wireshark profile of that name is used too.
        let ws = try configDirectory(["profiles/absolute/preferences": "tcp.relative_sequence_numbers: FALSE\n"])
        let w = try CLI.run(["-r", capture, "-c", "6", "-C", "absolute"], environment: ["WIRESHARK_CONFIG_DIR": ws])
        XCTAssertEqual(w.stdout, try reference("smtp6.absolute.summary.txt"))
    }

    func testCurrentPrefsShowTheFileButNotDashO() throws {
        // As tshark: -G reads the preferences files; -o is not applied to a -G report.
        let ours = try configDirectory(["preferences": "tcp.relative_sequence_numbers: FALSE\n"])
        let r = try CLI.run(["-G", "currentprefs"], environment: ["DISSECT_CONFIG_DIR": ours])
        XCTAssertTrue(r.stdout.contains("\ntcp.relative_sequence_numbers: FALSE\n"), r.stdout)
        let o = try CLI.run(["-G", "currentprefs", "-o", "tcp.relative_sequence_numbers:FALSE"])
        XCTAssertTrue(o.stdout.contains("\n#tcp.relative_sequence_numbers: TRUE\n"), o.stdout)
    }

    func testUnknownProfileStopsWithTsharksMessage() throws {
        let ours = try configDirectory([:])
        let r = try CLI.run(["-r", capture, "-C", "nosuch"], environment: ["DISSECT_CONFIG_DIR": ours])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "dissect: Configuration Profile \"nosuch\" does not exist\n")
        XCTAssertEqual(r.stdout, "")
    }

    /// tshark's warnings for prefs.bad.txt (its log prefix replaced by "WARNING: ", the path by
    /// "PATH"); a value that is not TRUE makes a boolean FALSE, as in tshark.
    func testBadLinesInOurFileGetTsharksWarnings() throws {
        let ours = try configDirectory(["preferences": try reference("prefs.bad.txt")])
        let r = try CLI.run(["-r", capture, "-c", "6"], environment: ["DISSECT_CONFIG_DIR": ours])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try reference("prefs.bad.summary.txt"))
        XCTAssertEqual(normalize(r.stderr, path: ours + "/preferences"), try reference("prefs.bad.warnings.txt"))
    }

    /// Wireshark's file names preferences of protocols we do not dissect: those are skipped
    /// silently; malformed lines are still reported.
    func testUnknownNamesInWiresharksFileAreSkippedSilently() throws {
        let ws = try configDirectory(["preferences": try reference("prefs.bad.txt")])
        let r = try CLI.run(["-r", capture, "-c", "6"], environment: ["WIRESHARK_CONFIG_DIR": ws])
        XCTAssertEqual(r.stdout, try reference("prefs.bad.summary.txt"))
        let expected = try reference("prefs.bad.warnings.txt").split(separator: "\n").suffix(2).joined(separator: "\n") + "\n"
        XCTAssertEqual(normalize(r.stderr, path: ws + "/preferences"), expected)
    }

    func normalize(_ stderr: String, path: String) -> String {
        // " ** (dissect:PID) HH:MM:SS.uuuuuu [Epan WARNING] -- message"
        let re = try! NSRegularExpression(pattern: #"^ \*\* \(dissect:\d+\) [0-9:.]+ \[Epan WARNING\] -- "#,
                                          options: .anchorsMatchLines)
        let s = re.stringByReplacingMatches(in: stderr, range: NSRange(stderr.startIndex..., in: stderr),
                                            withTemplate: "WARNING: ")
        return s.replacingOccurrences(of: path, with: "PATH")
    }

    /// Each line of prefs.o_errors.tsv: the -o argument, tshark's exit status and its messages.
    func testDashOErrorsAreTsharks() throws {
        var checked = 0
        for line in try reference("prefs.o_errors.tsv").split(separator: "\n") {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let r = try CLI.run(["-r", capture, "-c", "1", "-o", cols[0]])
            let messages = r.stderr.split(separator: "\n").filter { $0.hasPrefix("dissect: ") }
                .map { $0.dropFirst("dissect: ".count) }.joined(separator: "|")
            XCTAssertEqual(String(r.status), cols[1], "-o \(cols[0])")
            XCTAssertEqual(messages, cols[2], "-o \(cols[0])")
            checked += 1
        }
        XCTAssertEqual(checked, 17)
    }
}
