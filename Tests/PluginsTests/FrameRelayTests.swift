import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

/// Frame Relay (pcap link type 107) against tshark 4.0.17 references: Wireshark's arp.pcap
/// (Inverse ARP over RFC 2427 SNAP) and crafted frames (fr-cases.pcap, see
/// Fixtures/FrameRelay/make_fixtures.py for what each frame is).
final class FrameRelayTests: XCTestCase {
    private func assertSameLines(_ got: String, _ want: String, file: StaticString = #filePath, line: UInt = #line) {
        NoNamesFixture.assertSameLines(got, want, file: file, line: line)
    }

    /// Like `tshark -n`: no MAC names, but the OUI names SNAP prints whatever `-n` says (the
    /// two `manuf` lines these captures need, so the test does not depend on a system file).
    private func render(_ file: String, verbose: Bool, prefs: [String] = []) throws -> String {
        let e = Fixture.engine()
        for p in prefs { if let err = e.preferences.apply(p) { XCTFail(err) } }
        let resolver = NameResolver(manuf: """
            00:00:00\t00:00:00\tOfficially Xerox, but 0:0:0:0:0:0 is more common
            00:80:C2\tIeee8021\tIEEE\t# 802.1 Committee

            """)
        resolver.resolveMAC = false
        e.nameResolver = resolver
        let out = OutputStream.memory()
        let summary = SummaryPrinter(out: out, columns: Columns(resolver: resolver))
        let tree = TreePrinter(out: out, formatter: FieldFormatter(registry: e.registry, resolver: resolver))
        tree.hexDumpData = true
        try e.forEachPacket(path: Fixture.path("FrameRelay/" + file),
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

    func testInverseARPOverFrameRelaySummary() throws {
        // "Inverse ARP 30 Who is 0064? Tell 0000": DLCI hardware addresses as hex bytes.
        let got = try render("arp.pcap", verbose: false)
        assertSameLines(got, try Fixture.text("FrameRelay/arp.summary.txt"))
    }

    func testInverseARPOverFrameRelayTree() throws {
        // Q.922 address octets with their bit lines, "DLCI: 100", the UI control field,
        // "Padding", "NLPID: SNAP (0x80)", the truncated Organization Code text, the EtherType,
        // then "Address Resolution Protocol (inverse request)".
        let got = try render("arp.pcap", verbose: true)
        assertSameLines(got, try Fixture.text("FrameRelay/arp.verbose.txt"))
    }

    func testProtocolHierarchyMatchesTshark() throws {
        // `-z io,phs` on arp.pcap: fr, then arp under it (Wireshark test suite reference).
        let e = Fixture.engine()
        let phs = ProtocolHierarchy(registry: e.registry)
        var interest = Interest.nothing(e.registry)
        for id in phs.wantedFields { interest.want(id) }
        try e.forEachPacket(path: Fixture.path("FrameRelay/arp.pcap"), interest: interest) { ctx in phs.add(ctx) }
        let want = try Fixture.text("FrameRelay/arp.pcap.phs.txt")
        XCTAssertEqual(phs.render().trimmingCharacters(in: .whitespacesAndNewlines),
                       want.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func testCraftedFramesSummary() throws {
        // NLPID IP/IPv6/PPP, Cisco encapsulation, truncations at every header step, 3- and
        // 4-octet addresses, SNAP with unknown/bridged/IPv4/ARP payloads, LAPF and XID.
        let got = try render("fr-cases.pcap", verbose: false)
        assertSameLines(got, try Fixture.text("FrameRelay/fr-cases.summary.txt"))
    }

    func testCraftedFramesTree() throws {
        let got = try render("fr-cases.pcap", verbose: true)
        assertSameLines(got, try Fixture.text("FrameRelay/fr-cases.verbose.txt"))
    }

    func testFrameRelayInsideGRE() throws {
        // GRE protocol type 0x6559 (ETHERTYPE_RAW_FR) hands its payload to Frame Relay.
        let got = try render("fr-in-gre.pcap", verbose: true)
        assertSameLines(got, try Fixture.text("FrameRelay/fr-in-gre.verbose.txt"))
    }

    func testFieldValues() throws {
        // Values from `tshark -n -r fr-cases.pcap -T fields -e …`.
        let rows = try Fixture.fields("FrameRelay/fr-cases.pcap",
                                      ["fr.dlci", "fr.nlpid", "fr.chdlctype", "fr.snaptype", "fr.fecn", "fr.cr",
                                       "fr.lower_dlci", "fr.dlcore_control", "fr.snap.oui", "fr.snap.pid"])
        XCTAssertEqual(rows[0], ["100", "0xcc", "", "", "0", "0", "", "", "", ""])
        XCTAssertEqual(rows[2], ["100", "", "0x0800", "", "0", "0", "", "", "", ""])
        XCTAssertEqual(rows[4], ["", "", "", "", "", "0", "", "", "", ""])       // cut after one octet
        XCTAssertEqual(rows[8], ["100", "0x00,0x80", "", "", "0", "0", "", "", "", ""]) // padding is an NLPID item
        XCTAssertEqual(rows[9], ["100", "0xcc", "", "", "1", "1", "", "", "", ""])
        XCTAssertEqual(rows[10], ["0", "0xcc", "", "", "", "", "", "", "", ""])   // bogus 1-octet address
        XCTAssertEqual(rows[11], ["6416", "0xcc", "", "", "0", "0", "0x10", "", "", ""])
        XCTAssertEqual(rows[12], ["100", "0xcc", "", "", "0", "0", "", "0x10", "", ""])
        XCTAssertEqual(rows[13], ["821264", "0xcc", "", "", "0", "0", "0x10", "", "", ""])
        XCTAssertEqual(rows[14], ["100", "0x80", "", "0x1234", "0", "0", "", "", "0", ""])
        XCTAssertEqual(rows[15], ["100", "0x80", "", "", "0", "0", "", "", "32962", "0x0007"])
        XCTAssertEqual(rows[21], ["100", "0x00,0x80", "", "0x0800", "0", "0", "", "", "0", ""])
    }

    func testFrameRelayDLCIHardwareAddressesInARP() throws {
        // tshark: arp.dst.hw 0064, arp.src.hw 0000, opcode 8, hardware type 15, DLCI 100.
        let rows = try Fixture.fields("FrameRelay/arp.pcap", ["arp.dst.hw", "arp.src.hw", "arp.opcode",
                                                              "arp.hw.type", "fr.dlci", "_ws.col.Protocol"])
        XCTAssertEqual(rows, [["0064", "0000", "8", "15", "100", "Inverse ARP"]])
    }

    func testStandardColumnsMatchCorpusFields() throws {
        // The corpus's `-T fields` reference for arp.pcap, every column and cell.
        let lines = try Fixture.text("FrameRelay/arp.pcap.fields.tsv").split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let want = lines.dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(try Fixture.fields("FrameRelay/arp.pcap", header), want)
    }

    func testRawEthernetEncapsulationPreference() throws {
        // `-o fr.encap:ethernet`: everything after the address of a DLCI other than 0 is
        // Ethernet with FCS (frame 11, DLCI 0, stays LAPF). Frames 1-14 of tshark's list;
        // later ones are Ethernet frames shorter than a header, where Ethernet itself differs.
        let got = try render("fr-cases.pcap", verbose: false, prefs: ["fr.encap:ethernet"])
        let want = try Fixture.text("FrameRelay/fr-cases.encap-ethernet.summary.txt")
        let g = got.split(separator: "\n").prefix(14), w = want.split(separator: "\n").prefix(14)
        XCTAssertEqual(w.count, 14)
        for (a, b) in zip(g, w) { XCTAssertEqual(a, b) }
    }
}
