import Foundation
import XCTest

/// `--color` against `tshark --color` (captured on a pseudo-terminal with COLORTERM=truecolor,
/// see Fixtures/Output/Scripted/tty_capture.py). `DISSECT_FORCE_COLOR=1` stands in for the
/// terminal here.
final class ColorTests: XCTestCase {
    let dir = "Output/Scripted/"

    func reference(_ name: String) throws -> String {
        try String(contentsOfFile: CLI.fixtures + "/" + dir + name, encoding: .utf8)
    }

    func testPacketListIsColoredByTheFirstMatchingRule() throws {
        let r = try CLI.run(["-r", "Mail/smtp_client_to_server.pcapng", "--color"], environment: ["DISSECT_FORCE_COLOR": "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try reference("smtp_client_to_server.color.txt"))
        let tabs = try CLI.run(["-r", "Mail/smtp_client_to_server.pcapng", "--color", "-T", "tabs", "-c", "4"],
                               environment: ["DISSECT_FORCE_COLOR": "1"])
        XCTAssertEqual(tabs.stdout, try reference("smtp_client_to_server.color_tabs.txt"))
    }

    /// A capture with ARP-free Ethernet broadcasts, DNS, NetBIOS, SMTP, TLS and ICMP: every line
    /// gets tshark's colors (the line texts of protocols we do not dissect yet may differ).
    func testColorsOfAMixedCapture() throws {
        let r = try CLI.run(["-r", dir + "zeek_smtp.pcap", "--color"], environment: ["DISSECT_FORCE_COLOR": "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        func colors(_ s: String) -> [String] {
            // The escapes that start each line (the previous line's reset included).
            s.split(separator: "\n").map { line in
                var rest = Substring(line), prefix = ""
                while rest.hasPrefix("\u{1b}["), let end = rest.firstIndex(of: "m") {
                    prefix += rest[...end]
                    rest = rest[rest.index(after: end)...]
                }
                return prefix
            }
        }
        let expected = colors(try reference("zeek_smtp.color.txt"))
        XCTAssertEqual(expected.count, 126)
        XCTAssertEqual(colors(r.stdout), expected)
    }

    func testNoEscapesWithoutATerminal() throws {
        let r = try CLI.run(["-r", "Mail/smtp_client_to_server.pcapng", "--color", "-c", "3"])
        XCTAssertFalse(r.stdout.contains("\u{1b}"), r.stdout)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 3)
    }

    func testVerboseNamesTheColoringRule() throws {
        let r = try CLI.run(["-r", "Mail/smtp_client_to_server.pcapng", "--color", "-V", "-c", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, try reference("smtp_client_to_server.color_verbose.txt"))
        XCTAssertTrue(r.stdout.contains("    [Coloring Rule Name: TCP SYN/FIN]\n"))
    }

    func testPersonalColorfiltersReplaceTheShippedOnes() throws {
        let root = NSTemporaryDirectory() + "dissect-color-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        try "@Mail@smtp@[0,0,65535][65535,65535,65535]\n@Other@frame@[0,0,0][65535,0,0]\n"
            .write(toFile: root + "/colorfilters", atomically: true, encoding: .utf8)
        let r = try CLI.run(["-r", "Mail/smtp_client_to_server.pcapng", "--color", "-c", "4", "-T", "fields",
                             "-e", "frame.coloring_rule.name"], environment: ["DISSECT_CONFIG_DIR": root])
        XCTAssertEqual(r.stdout, "Other\nOther\nOther\nMail\n")
    }
}
