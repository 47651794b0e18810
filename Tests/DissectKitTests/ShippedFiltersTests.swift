import DissectKit
import Foundation
import Plugins
import TestSupport
import XCTest

/// The files in `Filters/` compile with our filter engine, entry by entry, and the parsers of
/// their formats read what Wireshark writes.
final class ShippedFiltersTests: XCTestCase {
    lazy var engine: Engine = {
        let e = Engine()
        BuiltinPlugins.register(in: e)
        return e
    }()

    func shipped(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("Filters/" + name), encoding: .utf8)
    }

    func macros() throws -> FilterMacros { FilterMacros(fileText: try shipped("dfilter_macros")) }

    /// `"name" filter` per line, as Wireshark's dfilters.
    func testEveryNamedFilterCompiles() throws {
        var count = 0
        for line in try shipped("dfilters").split(separator: "\n") where !line.hasPrefix("#") {
            guard line.hasPrefix("\""), let close = line.dropFirst().firstIndex(of: "\"") else {
                XCTFail("not a dfilters line: \(line)")
                continue
            }
            let name = line[line.index(after: line.startIndex)..<close]
            let filter = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
            XCTAssertFalse(name.isEmpty)
            let m = try macros()
            do {
                _ = try DisplayFilter(compiling: filter, registry: engine.registry, macros: m)
            } catch {
                XCTFail("dfilters \"\(name)\": \(error.message)")
            }
            count += 1
        }
        XCTAssertGreaterThanOrEqual(count, 20)
    }

    func testEveryColoringRuleCompiles() throws {
        let text = try shipped("colorfilters")
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("@") || $0.hasPrefix("!@") }
        let rules = ColorRules(text: text, registry: engine.registry, macros: try macros())
        XCTAssertEqual(rules.warnings, [])
        XCTAssertEqual(rules.rules.count, lines.count)
        // Wireshark's order: the specific rules before the catch-all TCP and UDP ones.
        XCTAssertEqual(rules.rules.map(\.name).prefix(2), ["Bad TCP", "ICMP errors"])
        XCTAssertLessThan(rules.rules.firstIndex { $0.name == "TCP SYN/FIN" }!, rules.rules.firstIndex { $0.name == "TCP" }!)
    }

    func testColorfiltersLineFormat() throws {
        let r = try XCTUnwrap(ColorRule.parse(line: "@TCP SYN/FIN@tcp.flags & 0x02 || tcp.flags.fin == 1@[41026,41026,41026][4718,10030,11796]"))
        XCTAssertEqual(r.name, "TCP SYN/FIN")
        XCTAssertEqual(r.filterText, "tcp.flags & 0x02 || tcp.flags.fin == 1")
        XCTAssertTrue(r.enabled)
        // Background first in the file; the escape writes the foreground first, 16 bits >> 8.
        XCTAssertEqual(r.ansiPrefix, "\u{1b}[38;2;18;39;46m\u{1b}[48;2;160;160;160m")
        let off = try XCTUnwrap(ColorRule.parse(line: "!@Off@udp@[0,0,0][65535,65535,65535]"))
        XCTAssertFalse(off.enabled)
        XCTAssertNil(ColorRule.parse(line: "@broken@tcp@[1,2][3,4]"))
        // A rule that does not compile is left out with Wireshark's warning; disabled ones are skipped.
        let rules = ColorRules(text: "@A@nosuch.field@[0,0,0][0,0,0]\n!@B@udp@[0,0,0][0,0,0]\n@C@tcp@[0,0,0][0,0,0]\n",
                               registry: engine.registry)
        XCTAssertEqual(rules.rules.map(\.name), ["C"])
        XCTAssertEqual(rules.warnings.count, 1)
        XCTAssertTrue(rules.warnings[0].hasPrefix("Could not compile color filter name: \"A\""), rules.warnings[0])
    }

    func testPreferencesFileFormat() throws {
        let e = Engine()
        BuiltinPlugins.register(in: e)
        let w = e.preferences.load(fileText: "tcp.relative_sequence_numbers:\n  FALSE\n# c\ntcp.nosuch: 1\nno colon\n",
                                   path: "/p", unknown: .warn)
        // A value continued on the next line; the last occurrence of a name wins.
        XCTAssertEqual(e.preferences["tcp.relative_sequence_numbers"]?.boolValue, false)
        XCTAssertEqual(w, [
            "No such preference \"tcp.nosuch\" at line 4 of\n/p (save preferences to remove this warning)",
            "Incomplete preference at line 5: of\n/p (save preferences to remove this warning)",
        ])
        let quiet = e.preferences.load(fileText: "tcp.nosuch: 1\ntcp.relative_sequence_numbers: TRUE\n", path: "/p",
                                       unknown: .ignore)
        XCTAssertEqual(quiet, [])
        XCTAssertEqual(e.preferences["tcp.relative_sequence_numbers"]?.boolValue, true)
        // A number that is not one is a syntax error and keeps the old value.
        let bad = e.preferences.load(fileText: "arp.detect_storm_number_of_packets: 1 2\n", path: "/p", unknown: .warn)
        XCTAssertEqual(bad, ["Syntax error in preference arp.detect_storm_number_of_packets at line 1 of\n/p (save preferences to remove this warning)"])
        XCTAssertEqual(e.preferences["arp.detect_storm_number_of_packets"]?.uintValue, 30)
    }
}
