import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

/// The link layers (Ethernet with its padding, trailer and FCS; 802.1Q/802.1ad; Linux cooked
/// captures; BSD loopback; raw IP; LLC/SNAP; FDDI; Token Ring; PPP, LCP and PPPoE) checked
/// line by line against tshark 4.0.17's `-V` output, and the MAC name rules against what tshark
/// prints. Fixtures and how their references were made: Tests/Fixtures/Link/README.md.
///
/// The network layers are stand-ins (`NetworkLayerStubs`) that claim exactly the bytes their
/// headers announce, as tshark's do: what the link layers do with the rest is what is tested.
final class LinkLayerTests: XCTestCase {

    // MARK: Ethernet FCS (the seed scenario's "ETHERNET FRAME CHECK SEQUENCE INCORRECT" case)

    /// The one well-known range the eth_fcs captures' locally administered MACs fall in.
    static let nlbNames = NameResolver(manuf: "", wka: "02-16-00-00-00-00/16\tMS-NLB-PhysServer-22\n")

    func testFCSFromPcapLinkTypeBitsShownUnverifiedByDefault() throws {
        try LinkRun.assertBlocks("eth_fcs.pcap", reference: "eth_fcs.link.txt", names: Self.nlbNames)
    }

    func testCheckFCSMarksTheFourDamagedFrames() throws {
        try LinkRun.assertBlocks("eth_fcs.pcap", reference: "eth_fcs.check_fcs.link.txt",
                                 prefs: ["eth.check_fcs:TRUE"], names: Self.nlbNames)
        // eth_fcs.frames.txt: frames 4, 9, 15 and 18 were damaged on purpose.
        let infos = try LinkRun.infos("eth_fcs.pcap", prefs: ["eth.check_fcs:TRUE"])
        let flagged = infos.enumerated().filter { $0.element.hasSuffix(" [ETHERNET FRAME CHECK SEQUENCE INCORRECT]") }
            .map { $0.offset + 1 }
        XCTAssertEqual(flagged, [4, 9, 15, 18])
        let unchecked = try LinkRun.infos("eth_fcs.pcap")
        XCTAssertFalse(unchecked.contains { $0.contains("FRAME CHECK SEQUENCE") })
    }

    func testPcapngIfFCSLenIsHonouredAndOverridesFCSNever() throws {
        try LinkRun.assertBlocks("eth_fcs_iffcslen.pcapng", reference: "eth_fcs_iffcslen.check_fcs.link.txt",
                                 prefs: ["eth.check_fcs:TRUE"], names: Self.nlbNames)
        // if_fcslen = 4 wins over the preference: still an (unverified) FCS, never a trailer.
        try LinkRun.assertBlocks("eth_fcs_iffcslen.pcapng", reference: "eth_fcs.link.txt",
                                 prefs: ["eth.fcs:Never"], names: Self.nlbNames)
    }

    func testFCSHeuristicAndTheNeverPreference() throws {
        try LinkRun.assertBlocks("eth_fcs_nosignal.pcap", reference: "eth_fcs_nosignal.link.txt", names: Self.nlbNames)
        try LinkRun.assertBlocks("eth_fcs_nosignal.pcap", reference: "eth_fcs_nosignal.fcs_never.link.txt",
                                 prefs: ["eth.fcs:Never"], names: Self.nlbNames)
    }

    func testFCSBytesAreFoundByTheWholeFrameCRC() throws {
        // CRC-32 of "123456789" is 0xCBF43926 (the standard check value).
        let bytes = Array("123456789".utf8)
        let crc = bytes.withUnsafeBytes { CRC32.ieee802(ByteView($0)) }
        XCTAssertEqual(crc, 0xCBF4_3926)
    }

    // MARK: Ethernet padding and trailers

    func testPaddingTrailerAndFCSSplitAsTshark() throws {
        try LinkRun.assertBlocks("crafted-pad.pcap", reference: "crafted-pad.link.txt")
    }

    func testPaddingAndFCSPreferences() throws {
        let variants = [("eth.check_fcs:TRUE", "check_fcs"), ("eth.fcs:Always", "fcs_always"),
                        ("eth.fcs:Never", "fcs_never"), ("eth.padding:Never", "padding_never"),
                        ("eth.padding:Any", "padding_any")]
        for (pref, name) in variants {
            try LinkRun.assertBlocks("crafted-pad.pcap", reference: "crafted-pad.\(name).link.txt", prefs: [pref])
        }
    }

    func testTruncatedInvalidAndIEEE8023Frames() throws {
        // A 13-byte frame, a snapshot-cut frame, type 0x05ff, an 802.3 length past the end, a group source.
        try LinkRun.assertBlocks("crafted-edge.pcap", reference: "crafted-edge.link.txt")
        try LinkRun.assertSummaries("crafted-edge.pcap", frames: [4, 6])
        try LinkRun.assertBlocks("crafted-inv.pcap", reference: "crafted-inv.link.txt")
        try LinkRun.assertSummaries("crafted-inv.pcap", frames: [1])
    }

    func testFrameProtocolsListTheEthertypeLayer() throws {
        let protocols = try LinkRun.fieldValues("802.1ad_QinQ.pcap", "frame.protocols")
        XCTAssertEqual(protocols.first, "eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:stub_arp")
    }

    // MARK: VLAN

    func testQinQAndVLANTags() throws {
        try LinkRun.assertBlocks("802.1ad_QinQ.pcap", reference: "802.1ad_QinQ.link.txt")
        try LinkRun.assertBlocks("vlan-pcp-dei.pcapng", reference: "vlan-pcp-dei.link.txt")
        try LinkRun.assertBlocks("crafted-vlan.pcap", reference: "crafted-vlan.link.txt")
        try LinkRun.assertSummaries("crafted-vlan.pcap", frames: [1, 5, 6])
    }

    func testTruncatedTags() throws {
        try LinkRun.assertBlocks("crafted-vlan2.pcap", reference: "crafted-vlan2.link.txt")
        try LinkRun.assertSummaries("crafted-vlan2.pcap", frames: [1])
        // A protocol is a layer of frame.protocols as soon as it is called, even when its first
        // read fails; the malformed mark is not a layer.
        XCTAssertEqual(try LinkRun.fieldValues("crafted-vlan.pcap", "frame.protocols")[5], "eth:ethertype:vlan")
        XCTAssertEqual(try LinkRun.fieldValues("crafted-vlan2.pcap", "frame.protocols")[0], "eth:ethertype:ieee8021ad")
        XCTAssertEqual(try LinkRun.fieldValues("crafted-loop.pcap", "frame.protocols")[4], "null")
    }

    // MARK: Linux cooked captures

    func testSLLAndSLL2() throws {
        try LinkRun.assertBlocks("tcp-handshake-nano.pcap", reference: "tcp-handshake-nano.link.txt")
        try LinkRun.assertBlocks("linux_dlt_sll2.pcap", reference: "linux_dlt_sll2.link.txt")
        try LinkRun.assertBlocks("crafted-sll.pcap", reference: "crafted-sll.link.txt")
        try LinkRun.assertBlocks("crafted-sll2.pcap", reference: "crafted-sll2.link.txt")
        try LinkRun.assertSummaries("crafted-sll.pcap", frames: [1, 5])
        // SLL2's Info reads the packet type as 16 bits, address length included ("Unknown (1030)").
        try LinkRun.assertSummaries("crafted-sll2.pcap", frames: [1, 3])
    }

    func testSLLSourceAddressIsTheSourceColumn() throws {
        let sources = try LinkRun.fieldValues("linux_dlt_sll2.pcap", "_ws.col.Source")
        XCTAssertEqual(sources[4], "8e:36:06:44:ac:af")
    }

    // MARK: Null/loopback and raw IP

    func testNullAndOpenBSDLoopback() throws {
        try LinkRun.assertBlocks("crafted-null.pcap", reference: "crafted-null.link.txt")
        try LinkRun.assertBlocks("crafted-loop.pcap", reference: "crafted-loop.link.txt")
        // Frames nobody above claims keep tshark's "N/A" columns.
        try LinkRun.assertSummaries("crafted-null.pcap", frames: [6, 9])
        try LinkRun.assertSummaries("crafted-loop.pcap", frames: [3, 4, 5])
    }

    func testRawIP() throws {
        try LinkRun.assertBlocks("crafted-raw3.pcap", reference: "crafted-raw3.link.txt")
        try LinkRun.assertSummaries("crafted-raw3.pcap", frames: [1, 3, 5, 6])
    }

    // MARK: LLC, FDDI, Token Ring

    func testLLCControlFieldsSAPsAndSNAP() throws {
        try LinkRun.assertBlocks("crafted-llc3.pcap", reference: "crafted-llc3.link.txt")
        try LinkRun.assertSummaries("crafted-llc3.pcap", frames: [1, 2, 3, 4, 5, 9, 10, 12, 13, 14])
        try LinkRun.assertBlocks("crafted-snap.pcap", reference: "crafted-snap.link.txt")
        try LinkRun.assertSummaries("crafted-snap.pcap", frames: [1, 2, 3])
    }

    func testFDDIWithBitSwappedAddresses() throws {
        try LinkRun.assertBlocks("nfs.pcap", reference: "nfs.link.txt")
    }

    func testTokenRing() throws {
        try LinkRun.assertBlocks("tftp.pcap", reference: "tftp.link.txt")
    }

    // MARK: PPP, LCP, PPPoE

    func testPPPAndLCPFromPPTP() throws {
        try LinkRun.assertBlocks("pptp-lcp.pcap", reference: "pptp-lcp.link.txt")
        try LinkRun.assertSummaries("pptp-lcp.pcap", frames: [1])
    }

    func testLCPOptionsAndCodes() throws {
        try LinkRun.assertBlocks("crafted-lcp2.pcap", reference: "crafted-lcp2.link.txt", skipping: [12])
        try LinkRun.assertSummaries("crafted-lcp2.pcap", frames: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15])
    }

    func testPPPoESessionAndDiscovery() throws {
        try LinkRun.assertBlocks("pppoe-over-qinq-excerpt.pcap", reference: "pppoe-over-qinq-excerpt.link.txt")
        try LinkRun.assertBlocks("crafted-pppoe.pcap", reference: "crafted-pppoe.link.txt")
        try LinkRun.assertSummaries("crafted-pppoe.pcap", frames: [6, 7, 8, 9])
    }

    // MARK: MAC names

    /// Hand-made lines in the format of Wireshark's `manuf` and `wka`.
    static let manuf = """
        # comment line
        00:00:0C\tCisco\tCisco Systems, Inc
        08:00:2B\tDigitalE\tDigital Equipment Corporation
        00:1B:C5\tIEEERegi\tIEEE Registration Authority
        00:1B:C5:00:00:00/36\tConvergi\tConverging Systems Inc.
        00:1B:C5:00:10:00/36\tOpenRBco\tOpenRB.com, Direct SIA
        00:55:DA:10:00:00/28\tKoolPOS\tKoolPOS Inc.
        00:00:5E\tICANN\tICANN, IANA Department

        """
    static let wka = """
        FF-FF-FF-FF-FF-FF\tBroadcast
        00-00-0C-07-AC/40\tAll-HSRP-routers
        01-00-0C-00-00/40\tISL-Frame
        01-00-0C-CC-CC-CC\tCDP/VTP/DTP/PAgP/UDLD
        01-00-5E/25\tIPv4mcast
        33-33-00-00-00-00/16\tIPv6mcast
        02-16-00-00-00-00/16\tMS-NLB-PhysServer-22
        01-80-C2-00-00-30/45\tOAM-Multicast-DA-Class-1
        03-00-00-00-00-10\tRing-Error-Monitor-# [TR?]
        03-00-00-00-00-10\t(OS/2-1.3-EE+Communications-Manager)

        """

    /// Each expectation was printed by tshark 4.0.17 for the same address with the system files.
    func testMACNamesFollowTsharksLookupOrder() {
        let r = NameResolver(manuf: Self.manuf, wka: Self.wka)
        let cases: [(UInt64, String)] = [
            (0xffff_ffff_ffff, "Broadcast"),
            (0x0000_0c07_ac05, "All-HSRP-routers_05"),
            (0x0000_0c12_3456, "Cisco_12:34:56"),
            (0x001b_c500_0005, "Convergi_05"),
            (0x001b_c500_1345, "OpenRBco_03:45"),
            // tshark's range table is keyed by masked address only: a /36 entry answers a /24 lookup.
            (0x001b_c5ff_ffff, "Convergi_ff:ff:ff"),
            (0x0055_da12_3456, "KoolPOS_02:34:56"),
            // The group bit is ignored for vendors, but a wka range sharing the OUI comes first.
            (0x011b_c500_0005, "IEEERegi_00:00:05"),
            (0x0100_0c12_3456, "ISL-Frame_12:34:56"),
            (0x0100_0ccc_cccc, "CDP/VTP/DTP/PAgP/UDLD"),
            (0x0100_5e7f_0001, "IPv4mcast_7f:00:01"),
            (0x0100_5eff_ffff, "IPv4mcast_ff:ff:ff"),
            (0x3333_0000_0001, "IPv6mcast_01"),
            (0x0216_1600_0221, "MS-NLB-PhysServer-22_16:00:02:21"),
            (0x0216_8000_0000, "MS-NLB-PhysServer-22_80:00:00:00"),
            (0x0180_c200_0031, "OAM-Multicast-DA-Class-1_01"),
            // The last of two lines wins; '#' starts a comment.
            (0x0300_0000_0010, "(OS/2-1.3-EE+Communications-Manager)"),
            (0x1234_5678_9abc, "12:34:56:78:9a:bc"),
            (0x0200_0c12_3456, "02:00:0c:12:34:56"),
        ]
        for (mac, name) in cases {
            XCTAssertEqual(r.etherName(mac), name, NameResolver.etherString(mac))
        }
    }

    func testNoNameResolutionPrintsPlainAddresses() {
        let r = NameResolver(manuf: Self.manuf, wka: Self.wka)
        r.resolveMAC = false
        XCTAssertEqual(r.etherName(0x0000_0c12_3456), "00:00:0c:12:34:56")
        XCTAssertEqual(r.etherDisplay(0x0000_0c12_3456), "00:00:0c:12:34:56")
        r.resolveMAC = true
        XCTAssertEqual(r.etherDisplay(0x0000_0c12_3456), "Cisco_12:34:56 (00:00:0c:12:34:56)")
    }

    func testOUIDisplayIsCutAt31CharactersAsInTshark() {
        let r = NameResolver(manuf: Self.manuf, wka: Self.wka)
        XCTAssertEqual(r.ouiDisplay(0x08002b), "08:00:2b (Digital Equipment Cor")
        XCTAssertEqual(r.ouiDisplay(0x00000c), "00:00:0c (Cisco Systems, Inc)")
        XCTAssertEqual(r.ouiDisplay(0x123456), "12:34:56")
        XCTAssertEqual(r.vendor(oui: 0x00005e)?.longName, "ICANN, IANA Department")
        XCTAssertNil(r.vendor(oui: 0x01000c), "oui_resolved has no group-bit fallback")
    }

    func testEthernetLineUsesResolvedNames() throws {
        let names = NameResolver(manuf: Self.manuf, wka: Self.wka)
        let text = try LinkRun.verbose("crafted-snap.pcap", names: names)
        XCTAssertTrue(text.contains("    Organization Code: 00:00:0c (Cisco Systems, Inc)\n"))
        let sources = try LinkRun.fieldValues("crafted-snap.pcap", "_ws.col.Info", names: names)
        XCTAssertEqual(sources[1], "U, func=UI; SNAP, OUI 0x00000C (Cisco Systems, Inc), PID 0x1234")
    }
}

/// Stand-ins for IPv4, IPv6 and ARP: a protocol item, the addresses for the columns, and the
/// length the header announces (IPv4 total length, IPv6 40 + payload length, ARP 8 + addresses).
enum NetworkLayerStubs: ProtocolPlugin {
    static func register(_ r: Registrar) {
        let ip = Stub(r, name: "IPv4 stand-in", abbrev: "stub_ip") { packet, data in
            guard data.count >= 20, let a = try? data.u32(12), let b = try? data.u32(16), let len = try? data.u16(2) else {
                return data.count
            }
            packet.netSrc = .ipv4(a)
            packet.netDst = .ipv4(b)
            return Int(len)
        }
        let ipv6 = Stub(r, name: "IPv6 stand-in", abbrev: "stub_ipv6") { _, data in
            guard let len = try? data.u16(4) else { return data.count }
            return 40 + Int(len)
        }
        let arp = Stub(r, name: "ARP stand-in", abbrev: "stub_arp") { _, data in
            guard let hl = try? data.u8(4), let pl = try? data.u8(5) else { return data.count }
            return 8 + 2 * Int(hl) + 2 * Int(pl)
        }
        let ipHandle = r.handle(ip.proto, ip), ipv6Handle = r.handle(ipv6.proto, ipv6)
        r.table("ethertype").add(0x0800, ipHandle)
        r.table("ethertype").add(0x86dd, ipv6Handle)
        r.table("ethertype").add(0x0806, r.handle(arp.proto, arp))
        r.registerDissector("ip", ipHandle)
        r.registerDissector("ipv6", ipv6Handle)
    }

    final class Stub: Dissector {
        let proto: FieldID
        let length: (inout PacketContext, ByteView) -> Int
        init(_ r: Registrar, name: String, abbrev: String, length: @escaping (inout PacketContext, ByteView) -> Int) {
            proto = r.registerProtocol(name: name, shortName: "STUB", abbrev: abbrev)
            self.length = length
        }
        func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
            packet.protocolColumn = "STUB"
            packet.info.set("stub")
            packet.addProtocol(proto, data, 0, data.count, parent: parent)
            return .consumed(min(max(length(&packet, data), 0), data.count))
        }
    }
}

/// In-process runs of the link-layer plugins over `Tests/Fixtures/Link` captures.
enum LinkRun {
    static let plugins: [any ProtocolPlugin.Type] = [
        EthernetPlugin.self, VLANPlugin.self, SLLPlugin.self, NullPlugin.self, RawPlugin.self, LLCPlugin.self,
        FDDIPlugin.self, TokenRingPlugin.self, PPPPlugin.self, PPPoEPlugin.self, NetworkLayerStubs.self,
    ]

    /// No MAC names (the references were made with `tshark -n`), but the OUI long names LLC
    /// and LCP print whatever `-n` says.
    static func plainNames() -> NameResolver {
        let r = NameResolver(manuf: """
            00:00:00\t00:00:00\tOfficially Xerox, but 0:0:0:0:0:0 is more common
            00:00:0C\tCisco\tCisco Systems, Inc

            """)
        r.resolveMAC = false
        return r
    }

    static func engine(prefs: [String], names: NameResolver) -> Engine {
        let e = Engine()
        e.nameResolver = names
        for p in plugins { e.register(p) }
        for p in prefs { if let err = e.preferences.apply(p) { XCTFail(err) } }
        return e
    }

    static func verbose(_ file: String, prefs: [String] = [], names: NameResolver? = nil) throws -> String {
        let resolver = names ?? plainNames()
        let e = engine(prefs: prefs, names: resolver)
        let out = OutputStream.memory()
        let tree = TreePrinter(out: out, formatter: FieldFormatter(registry: e.registry, resolver: resolver))
        try e.forEachPacket(path: Fixture.path("Link/" + file), interest: .everything(e.registry)) { ctx in
            tree.print(ctx)
        }
        return out.text
    }

    static func fieldValues(_ file: String, _ field: String, prefs: [String] = [],
                            names: NameResolver? = nil) throws -> [String] {
        let resolver = names ?? plainNames()
        let e = engine(prefs: prefs, names: resolver)
        let out = OutputStream.memory()
        let fp = try FieldsPrinter(out: out, formatter: FieldFormatter(registry: e.registry, resolver: resolver),
                                   columns: Columns(resolver: resolver), fields: [field], options: FieldsPrinter.Options())
        var interest = Interest.nothing(e.registry)
        for id in fp.wantedFields { interest.want(id) }
        try e.forEachPacket(path: Fixture.path("Link/" + file), interest: interest) { ctx in fp.print(ctx) }
        return out.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    static func infos(_ file: String, prefs: [String] = []) throws -> [String] {
        try fieldValues(file, "_ws.col.Info", prefs: prefs)
    }

    /// The packet-list lines of `frames`, compared with tshark's (runs of spaces collapsed).
    static func assertSummaries(_ file: String, frames: [Int], prefs: [String] = [],
                                file callerFile: StaticString = #filePath, line: UInt = #line) throws {
        let resolver = plainNames()
        let e = engine(prefs: prefs, names: resolver)
        let out = OutputStream.memory()
        let printer = SummaryPrinter(out: out, columns: Columns(resolver: resolver))
        try e.forEachPacket(path: Fixture.path("Link/" + file), interest: .nothing(e.registry)) { ctx in printer.print(ctx) }
        let mine = out.text.split(separator: "\n").map(collapse)
        let reference = try Fixture.text("Link/" + file.replacingOccurrences(of: ".pcapng", with: "")
            .replacingOccurrences(of: ".pcap", with: "") + ".summary.txt").split(separator: "\n").map(collapse)
        for n in frames {
            guard n - 1 < mine.count, n - 1 < reference.count else {
                XCTFail("\(file): no frame \(n)", file: callerFile, line: line)
                continue
            }
            XCTAssertEqual(mine[n - 1], reference[n - 1], "\(file) frame \(n)", file: callerFile, line: line)
        }
    }

    static func collapse(_ s: Substring) -> String {
        s.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// Compares the link-layer blocks of every frame with a reference made by tshark.
    static func assertBlocks(_ file: String, reference: String, prefs: [String] = [], names: NameResolver? = nil,
                             skipping: Set<Int> = [], file callerFile: StaticString = #filePath,
                             line: UInt = #line) throws {
        let mine = blocks(try verbose(file, prefs: prefs, names: names))
        let expected = blocks(try Fixture.text("Link/" + reference))
        XCTAssertEqual(mine.count, expected.count, "\(file): frame count", file: callerFile, line: line)
        for (i, (m, x)) in zip(mine, expected).enumerated() where !skipping.contains(i + 1) {
            if m != x {
                let diff = zip(m, x).first { $0 != $1 }.map { "first difference:\n  mine:   \($0)\n  tshark: \($1)" }
                    ?? "mine has \(m.count) lines, tshark \(x.count)"
                XCTFail("\(file) frame \(i + 1) (\(reference)): \(diff)", file: callerFile, line: line)
            }
        }
    }

    static let ownBlocks = [
        "Ethernet II", "IEEE 802.3 Ethernet", "Ethernet Unknown", "802.1Q Virtual LAN", "IEEE 802.1ad",
        "Linux cooked capture", "Null/Loopback", "Raw packet data", "Logical-Link Control", "Fiber Distributed",
        "Token-Ring", "PPP-over-Ethernet", "Point-to-Point Protocol", "PPP Link Control",
    ]
    static let ownMalformed = Set(["Ethernet", "VLAN", "IEEE 802.1AD", "SLL", "Null", "Raw", "LLC", "FDDI",
                                   "Token-Ring", "PPP", "PPP LCP", "PPPoED", "PPPoES"].map { "[Malformed Packet: \($0)]" })

    /// Per frame, the lines of the top-level items the link layers own (the same cut the
    /// reference files were made with).
    static func blocks(_ text: String) -> [[String]] {
        var frames: [[String]] = []
        var keep = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            if line.hasPrefix("#Frame ") || (line.hasPrefix("Frame ") && line.contains("bytes on wire")) {
                frames.append([])
                keep = false
                continue
            }
            if !line.hasPrefix(" ") {
                keep = ownBlocks.contains { line.hasPrefix($0) } || ownMalformed.contains(line)
            }
            if keep && !frames.isEmpty { frames[frames.count - 1].append(line) }
        }
        return frames
    }
}
