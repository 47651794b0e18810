import Foundation
import XCTest

/// End-to-end: `-T` formats, `-S`/`-P`/`-x` layout, `-w`/`-F`/`-r -`, and `-G` reports of the
/// `dissect` binary against tshark 4.0.17's output (Tests/Fixtures/Output/README.md).
final class OutputCLITests: XCTestCase {
    let capture = "Output/smtp_client_to_server.pcapng"

    func reference(_ name: String) throws -> String {
        try String(contentsOfFile: CLI.fixtures + "/Output/" + name, encoding: .utf8)
    }

    func referenceBytes(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: CLI.fixtures + "/Output/" + name))
    }

    /// Runs the binary with `stdin` as standard input; returns status and raw standard output.
    func run(_ args: [String], stdin: String? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.fixtures)
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        env["HOME"] = NSTemporaryDirectory()
        p.environment = env
        if let stdin { p.standardInput = FileHandle(forReadingAtPath: CLI.fixtures + "/" + stdin) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, o, String(decoding: e, as: UTF8.self))
    }

    func temporary(_ suffix: String) -> String { NSTemporaryDirectory() + "dissect-cli-\(UUID().uuidString)" + suffix }

    // MARK: text layout

    func testSeparatorFollowsEachTreeLikeTshark() throws {
        let r = try CLI.run(["-r", capture, "-c", "3", "-V", "-S", "----"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, try reference("smtp3.verbose_sep.txt"))
    }

    func testSummaryHexAndSeparator() throws {
        let r = try CLI.run(["-r", capture, "-c", "3", "-P", "-x", "-S", "=="])
        XCTAssertEqual(r.stdout, try reference("smtp3.px_sep.txt"))
    }

    func testSeparatorIsNotPrintedAfterSummaryLines() throws {
        let plain = try CLI.run(["-r", capture, "-c", "3"])
        let withSeparator = try CLI.run(["-r", capture, "-c", "3", "-S", "xx"])
        XCTAssertEqual(plain.stdout, withSeparator.stdout)
    }

    func testStructuredFormatsFromTheCommandLine() throws {
        XCTAssertEqual(try CLI.run(["-r", capture, "-c", "3", "-T", "psml"]).stdout, try reference("smtp3.psml"))
        XCTAssertEqual(try CLI.run(["-r", capture, "-c", "3", "-T", "tabs"]).stdout, try reference("smtp3.tabs.txt"))
        XCTAssertEqual(try CLI.run(["-r", capture, "-c", "3", "-T", "json", "-e", "frame.number", "-e", "ip.src",
                                    "-e", "_ws.col.Info"]).stdout, try reference("smtp3.e.json"))
        XCTAssertEqual(try CLI.run(["-r", capture, "-c", "3", "-T", "ek", "-P"]).stdout, try reference("smtp3.ekP.ndjson"))
        let json = try CLI.run(["-r", capture, "-c", "3", "-T", "json", "-j", "frame tcp"]).stdout
        XCTAssertTrue(json.contains("        \"eth\": {\n          \"filtered\": \"eth\"\n        },"), json)
    }

    func testFieldsNeedAStructuredFormat() throws {
        let r = try CLI.run(["-r", capture, "-e", "frame.number"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("Output fields were specified with \"-e\", but \"-Tek, -Tfields, -Tjson or -Tpdml\" was not specified."), r.stderr)
        let bad = try CLI.run(["-r", capture, "-T", "xml"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("Invalid -T parameter \"xml\"; it must be one of:\n\t\"fields\""), bad.stderr)
    }

    // MARK: -w, -F, -r -

    func testWriteFileWithDisplayFilterMatchesTshark() throws {
        let dest = temporary(".pcapng")
        defer { try? FileManager.default.removeItem(atPath: dest) }
        let r = try CLI.run(["-r", capture, "-Y", "tcp.len > 0", "-w", dest])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "") // -w without -P prints no packet list
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dest)), try referenceBytes("smtp.payload.tshark.pcapng"))
        let p = try CLI.run(["-r", capture, "-Y", "tcp.len > 0", "-w", dest, "-P"])
        XCTAssertEqual(p.stdout.split(separator: "\n").count, 13) // as tshark -P
    }

    func testWriteToStandardOutputAndReadFromStandardInput() throws {
        let w = try run(["-r", capture, "-F", "pcap", "-w", "-"])
        XCTAssertEqual(w.status, 0)
        XCTAssertEqual(w.stdout, try referenceBytes("smtp.tshark.pcap"))
        // pcap, pcapng and gzip from standard input give the file's packet list.
        let expected = try CLI.run(["-r", capture]).stdout
        for input in [capture, "Output/smtp.tshark.pcap"] {
            let r = try run(["-r", "-"], stdin: input)
            XCTAssertEqual(r.status, 0, input)
            let list = String(decoding: r.stdout, as: UTF8.self)
            // The pcap copy has microsecond times.
            XCTAssertEqual(list.split(separator: "\n").count, expected.split(separator: "\n").count, input)
            if input == capture { XCTAssertEqual(list, expected) }
        }
        let gz = try run(["-r", "-"], stdin: "Capture/le-usec.pcap.gz")
        XCTAssertEqual(String(decoding: gz.stdout, as: UTF8.self), try CLI.run(["-r", "Capture/le-usec.pcap"]).stdout)
    }

    func testStandardOutputCannotCarryBothPacketsAndText() throws {
        let r = try run(["-r", capture, "-w", "-", "-P"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("You can't write both raw packet data and dissected packets to the standard output."))
    }

    func testFileTypesAreListedLikeTshark() throws {
        let listing = try reference("filetypes.tshark.txt").split(separator: "\n").dropFirst().map {
            $0.replacingOccurrences(of: "tshark:", with: "dissect:")
        }
        let bare = try CLI.run(["-r", capture, "-F"])
        XCTAssertEqual(bare.status, 1)
        XCTAssertTrue(bare.stderr.contains(listing.joined(separator: "\n")), bare.stderr)
        let bad = try CLI.run(["-r", capture, "-F", "bogus", "-w", temporary("")])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("dissect: \"bogus\" isn't a valid capture file type\n"), bad.stderr)
    }

    // MARK: -G

    func lines(_ text: String) -> Set<Substring> { Set(text.split(separator: "\n", omittingEmptySubsequences: false)) }

    func testGlossaryFieldsProtocolsAndValuesUseTsharkLineFormats() throws {
        for (report, file) in [("fields", "glossary.fields.txt"), ("protocols", "glossary.protocols.txt"),
                               ("values", "glossary.values.txt")] {
            let r = try CLI.run(["-G", report])
            XCTAssertEqual(r.status, 0, report)
            let ours = lines(r.stdout)
            for l in try reference(file).split(separator: "\n") {
                XCTAssertTrue(ours.contains(l), "\(report): \(l)")
            }
            // Same output every run (no dictionary order leaks out).
            XCTAssertEqual(try CLI.run(["-G", report]).stdout, r.stdout, report)
        }
    }

    func testGlossaryPreferencesFile() throws {
        let r = try CLI.run(["-G", "defaultprefs"])
        let ref = try reference("glossary.prefs.txt")
        let header = ref.split(separator: "\n", omittingEmptySubsequences: false).prefix(7).joined(separator: "\n")
        XCTAssertTrue(r.stdout.hasPrefix(header + "\n####### Protocols ########\n\n"), r.stdout)
        let block = ref.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(7).joined(separator: "\n")
        XCTAssertTrue(r.stdout.contains(block), block)
        XCTAssertEqual(try CLI.run(["-G", "currentprefs"]).stdout, r.stdout)
    }

    func testGlossaryHelpAndErrors() throws {
        let help = try CLI.run(["-G", "?"])
        XCTAssertEqual(help.status, 0)
        XCTAssertEqual(help.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(),
                       try reference("glossary.help.txt").split(separator: "\n", omittingEmptySubsequences: false).dropFirst())
        let bad = try CLI.run(["-G", "bogus"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, "dissect: Invalid \"bogus\" option for -G flag, enter -G help for more help.\n")
        let notFirst = try CLI.run(["-n", "-G", "fields"])
        XCTAssertEqual(notFirst.status, 1)
        XCTAssertEqual(notFirst.stderr, "dissect: -G only valid as first option\n")
        // A bare -G is the fields glossary.
        XCTAssertEqual(try CLI.run(["-G"]).stdout, try CLI.run(["-G", "fields"]).stdout)
    }

    func testElasticMappingIsValidJSONWithEKNames() throws {
        let r = try CLI.run(["-G", "elastic-mapping"])
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let layers = ((obj?["mappings"] as? [String: Any])?["properties"] as? [String: Any])?["layers"] as? [String: Any]
        let ip = ((layers?["properties"] as? [String: Any])?["ip"] as? [String: Any])?["properties"] as? [String: Any]
        XCTAssertEqual((ip?["ip_ip_src"] as? [String: Any])?["type"] as? String, "ip")
        XCTAssertEqual((ip?["ip_ip_flags_df"] as? [String: Any])?["type"] as? String, "boolean")
        XCTAssertEqual((ip?["ip_ip_ttl"] as? [String: Any])?["type"] as? String, "short")
        XCTAssertTrue(r.stdout.hasPrefix("{\n  \"settings\": {\n    \"index.mapping.total_fields.limit\": 1000000\n  },\n"))
    }
}
