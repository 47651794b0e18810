import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

/// Runs the engine like `dissect -n` (no name resolution at all), to compare with references
/// made by `tshark -n` (`-V` output includes tshark's hex dump after "Data (…)" lines);
/// shared by the ARP, ICMP and DHCP tests.
enum NoNamesFixture {
    static func render(_ relative: String, verbose: Bool, prefs: [String] = []) throws -> String {
        let e = Fixture.engine()
        for p in prefs { if let err = e.preferences.apply(p) { XCTFail(err) } }
        let out = OutputStream.memory()
        let resolver = NameResolver(loadSystemFiles: false)
        resolver.resolveMAC = false
        e.nameResolver = resolver
        let fmt = FieldFormatter(registry: e.registry, resolver: resolver)
        let summary = SummaryPrinter(out: out, columns: Columns(resolver: resolver))
        let tree = TreePrinter(out: out, formatter: fmt)
        tree.hexDumpData = true
        try e.forEachPacket(path: Fixture.path(relative),
                            interest: verbose ? .everything(e.registry) : .nothing(e.registry)) { ctx in
            if verbose {
                tree.print(ctx)
                out.write("\n")
            } else {
                summary.print(ctx)
            }
        }
        return out.text
    }

    /// Compares line by line so a failure names the first differing line.
    static func assertSameLines(_ got: String, _ want: String, file: StaticString = #filePath, line: UInt = #line) {
        let g = got.split(separator: "\n", omittingEmptySubsequences: false)
        let w = want.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<min(g.count, w.count) where g[i] != w[i] {
            XCTFail("line \(i + 1): got \"\(g[i])\", want \"\(w[i])\"", file: file, line: line)
            return
        }
        XCTAssertEqual(g.count, w.count, "line count", file: file, line: line)
    }
}

final class ARPTests: XCTestCase {
    private func assertSameLines(_ got: String, _ want: String, file: StaticString = #filePath, line: UInt = #line) {
        NoNamesFixture.assertSameLines(got, want, file: file, line: line)
    }

    func testSummaryMatchesTshark() throws {
        // Request/reply, gratuitous, probe, announcement, RARP, Inverse ARP, unknown opcode,
        // duplicate-address Info suffix and truncated packets.
        let got = try NoNamesFixture.render("ARP/arp-cases.pcap", verbose: false)
        assertSameLines(got, try Fixture.text("ARP/arp-cases.summary.txt"))
    }

    func testVerboseTreeMatchesTshark() throws {
        // The -V tree, including "[Is gratuitous: True]", the "(ARP Announcement)" title, the
        // padding after a 28-byte ARP in a 60-byte frame, the duplicate-address subtree with its
        // expert info, and the Malformed mark after the fields a short packet still has.
        let got = try NoNamesFixture.render("ARP/arp-cases.pcap", verbose: true)
        assertSameLines(got, try Fixture.text("ARP/arp-cases.verbose.txt"))
    }

    func testFieldValues() throws {
        let rows = try Fixture.fields("ARP/arp-cases.pcap",
                                      ["arp.opcode", "arp.src.hw_mac", "arp.dst.proto_ipv4", "arp.isgratuitous",
                                       "arp.duplicate-address-frame", "arp.src.hw"])
        XCTAssertEqual(rows[0], ["1", "02:11:22:33:44:55", "10.0.0.6", "", "", ""])
        XCTAssertEqual(rows[2], ["1", "02:11:22:33:44:55", "10.0.0.5", "1", "", ""])
        XCTAssertEqual(rows[10], ["1", "", "10.0.0.6", "", "", "010203"])
        XCTAssertEqual(rows[13][4], "6")   // 10.0.0.5 last seen at 02:11:22:33:44:55 in frame 6
        XCTAssertEqual(rows[15][4], "15")  // 10.1.1.2 learnt from frame 15's reply target
        XCTAssertEqual(rows[16][4], "")    // the original owner is not a duplicate
    }
}
