import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

/// Runs captures from `Tests/Fixtures/TCP` through an engine with the link, IP and TCP plugins
/// only, so payloads go to `data` exactly as in the references, which tshark 4.0.17 made with the
/// application protocols out of the way (`--disable-protocol smtp --disable-protocol imap`).
enum TCPFixture {
    static func engine(_ prefs: [String] = []) -> Engine {
        let e = Engine()
        for p in [EthernetPlugin.self, IPv4Plugin.self, IPv6Plugin.self, TCPPlugin.self] as [any ProtocolPlugin.Type] {
            e.register(p)
        }
        for p in prefs { if let err = e.preferences.apply(p) { XCTFail(err) } }
        e.nameResolver = NameResolver(loadSystemFiles: false)
        return e
    }

    static func path(_ name: String) -> String { Fixture.path("TCP/" + name) }

    static func reference(_ name: String) throws -> String { try Fixture.text("TCP/" + name) }

    /// The packet list, one line per frame.
    static func summary(_ name: String, prefs: [String] = [], engine: Engine? = nil) throws -> [String] {
        let e = engine ?? self.engine(prefs)
        let out = OutputStream.memory()
        let printer = SummaryPrinter(out: out, columns: Columns(resolver: e.nameResolver))
        try e.forEachPacket(path: path(name), interest: .nothing(e.registry)) { ctx in printer.print(ctx) }
        return lines(out.text)
    }

    /// "=== Frame N" and the TCP part of each frame's `-V` tree (what the `.tcp.txt` references hold).
    static func tcpTrees(_ name: String, frames: Set<Int>? = nil, prefs: [String] = []) throws -> [String] {
        let e = engine(prefs)
        let out = OutputStream.memory()
        let tree = TreePrinter(out: out, formatter: FieldFormatter(registry: e.registry, resolver: e.nameResolver))
        try e.forEachPacket(path: path(name), interest: .everything(e.registry)) { ctx in
            out.write("Frame \(ctx.frame.number):\n")
            tree.print(ctx)
            out.write("\n")
        }
        var result: [String] = []
        var inTCP = false
        var current = 0
        for line in out.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("Frame "), line.hasSuffix(":"), let n = Int(line.dropFirst(6).dropLast()) {
                current = n
                inTCP = false
                if frames?.contains(n) ?? true { result.append("=== Frame \(n)") }
                continue
            }
            if line.hasPrefix("Transmission Control Protocol") {
                inTCP = true
            } else if !line.isEmpty && !line.hasPrefix(" ") {
                inTCP = false
            }
            if inTCP && (frames?.contains(current) ?? true) { result.append(line) }
        }
        while result.last == "" { result.removeLast() }
        return result
    }

    /// `-T fields` rows without the header.
    static func fields(_ name: String, _ names: [String], prefs: [String] = []) throws -> [[String]] {
        let e = engine(prefs)
        let fmt = FieldFormatter(registry: e.registry, resolver: e.nameResolver)
        let out = OutputStream.memory()
        let fp = try FieldsPrinter(out: out, formatter: fmt, columns: Columns(resolver: e.nameResolver), fields: names,
                                   options: FieldsPrinter.Options())
        var interest = Interest.nothing(e.registry)
        for id in fp.wantedFields { interest.want(id) }
        try e.forEachPacket(path: path(name), interest: interest) { ctx in fp.print(ctx) }
        return lines(out.text).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    static func lines(_ text: String) -> [String] {
        var l = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while l.last == "" { l.removeLast() }
        return l
    }

    /// Compares whole lines, reporting the first few differences with their line numbers.
    static func assertLines(_ got: [String], _ want: [String], _ what: String, file: StaticString = #filePath,
                            line: UInt = #line)
    {
        var shown = 0
        for i in 0..<max(got.count, want.count) {
            let g = i < got.count ? got[i] : "<missing>"
            let w = i < want.count ? want[i] : "<missing>"
            if g != w {
                XCTFail("\(what) line \(i + 1):\n  want: \(w)\n  got:  \(g)", file: file, line: line)
                shown += 1
                if shown == 5 { return }
            }
        }
    }

    /// Summary lines compared column-wise (tshark pads columns with spaces).
    static func assertSummary(_ name: String, reference: String, prefs: [String] = [], file: StaticString = #filePath,
                              line: UInt = #line) throws
    {
        let norm = { (s: String) in s.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        let got = try summary(name, prefs: prefs).map(norm)
        let want = lines(try self.reference(reference)).map(norm)
        assertLines(got, want, "summary of \(name)", file: file, line: line)
    }

    static func assertTrees(_ name: String, reference: String, frames: Set<Int>? = nil, prefs: [String] = [],
                            file: StaticString = #filePath, line: UInt = #line) throws
    {
        let got = try tcpTrees(name, frames: frames, prefs: prefs)
        let want = lines(try self.reference(reference))
        assertLines(got, want, "TCP tree of \(name)", file: file, line: line)
    }
}

final class TCPTests: XCTestCase {
    static let anomalies = "tcp_anomalies_snap160.pcapng"
    static let anomaliesPrefs = ["tcp.relative_sequence_numbers:TRUE"]

    // MARK: tcp_anomalies (lab capture, payload cut to 160 bytes per frame)

    func testAnomaliesPacketListMatchesTshark() throws {
        try TCPFixture.assertSummary(Self.anomalies, reference: "tcp_anomalies_snap160.summary.txt",
                                     prefs: Self.anomaliesPrefs)
    }

    func testAnomaliesAnalysisFieldsMatchTshark() throws {
        let want = TCPFixture.lines(try TCPFixture.reference("tcp_anomalies_snap160.fields.tsv"))
        let names = want[0].split(separator: "\t").map(String.init)
        let got = try TCPFixture.fields(Self.anomalies, names, prefs: Self.anomaliesPrefs).map { $0.joined(separator: "\t") }
        TCPFixture.assertLines(got, Array(want.dropFirst()), "fields")
    }

    func testAnomaliesTreesMatchTshark() throws {
        let frames: Set<Int> = [1, 2, 3, 4, 16, 17, 21, 37, 39, 46, 54, 61, 70, 128, 157, 160, 161, 162, 183, 184, 185, 186, 216]
        try TCPFixture.assertTrees(Self.anomalies, reference: "tcp_anomalies_snap160.tcp.txt", frames: frames,
                                   prefs: Self.anomaliesPrefs)
    }

    private func anomaliesInfo() throws -> [Int: String] {
        var info: [Int: String] = [:]
        for row in try TCPFixture.fields(Self.anomalies, ["frame.number", "_ws.col.Info"], prefs: Self.anomaliesPrefs) {
            info[Int(row[0])!] = row[1]
        }
        return info
    }

    func testASegmentRepeatingBytesAlreadySeenIsARetransmission() throws {
        // Frame 128 resends Seq=91334; tshark 4.0 measures the RTO from the eldest segment still
        // unacknowledged, frame 102.
        let info = try anomaliesInfo()
        XCTAssertTrue(info[128]!.hasPrefix("[TCP Retransmission] 55633 → 25 [PSH, ACK] Seq=91334"))
        let rows = try TCPFixture.fields(Self.anomalies, ["tcp.analysis.rto_frame", "tcp.analysis.retransmission"],
                                         prefs: Self.anomaliesPrefs)
        XCTAssertEqual(rows[127][0], "102")
    }

    func testASegmentBeyondTheHighestSequenceNumberMeansOneWasNotCaptured() throws {
        let info = try anomaliesInfo()
        XCTAssertTrue(info[16]!.hasPrefix("[TCP Previous segment not captured] 55633 → 25 [PSH, ACK] Seq=4454"))
    }

    func testAnEarlierSegmentArrivingRightAfterALaterOneIsOutOfOrder() throws {
        let info = try anomaliesInfo()
        XCTAssertTrue(info[17]!.hasPrefix("[TCP Out-Of-Order] 55633 → 25 [PSH, ACK] Seq=1558"))
        XCTAssertTrue(info[18]!.hasPrefix("[TCP Out-Of-Order] "))
    }

    func testAnAckRepeatingWindowSeqAndAckIsADuplicateAck() throws {
        let info = try anomaliesInfo()
        XCTAssertTrue(info[37]!.hasPrefix("[TCP Dup ACK 15#1] 55633 → 25 [ACK]"))
        XCTAssertTrue(info[52]!.hasPrefix("[TCP Dup ACK 36#6] 25 → 55633 [ACK]"))
        let rows = try TCPFixture.fields(Self.anomalies, ["tcp.analysis.duplicate_ack_num", "tcp.analysis.duplicate_ack_frame"],
                                         prefs: Self.anomaliesPrefs)
        XCTAssertEqual(rows[51], ["6", "36"])
    }

    func testTheSegmentDuplicateAcksAskForIsAFastRetransmission() throws {
        let info = try anomaliesInfo()
        XCTAssertTrue(info[46]!.hasPrefix("[TCP Fast Retransmission] 55633 → 25"))
    }

    func testDataTheReceiverAlreadyAcknowledgedIsASpuriousRetransmission() throws {
        let info = try anomaliesInfo()
        XCTAssertTrue(info[61]!.hasPrefix("[TCP Spurious Retransmission] 55633 → 25 [ACK] Seq=29070"))
    }

    func testZeroWindowWindowFullAndLinuxProbesAsKeepAlives() throws {
        let info = try anomaliesInfo()
        XCTAssertTrue(info[182]!.hasPrefix("[TCP Window Full] 143 → 52955"))
        XCTAssertTrue(info[183]!.hasPrefix("[TCP Window Full] [TCP Retransmission] 143 → 52955"))
        XCTAssertTrue(info[184]!.hasPrefix("[TCP ZeroWindow] 52955 → 143 [ACK] Seq=70 Ack=2683 Win=0"))
        // Linux probes a zero window with the byte before the next one: tshark calls it a keep-alive.
        XCTAssertTrue(info[185]!.hasPrefix("[TCP Keep-Alive] 143 → 52955 [ACK] Seq=2682"))
        XCTAssertTrue(info[54]!.hasPrefix("[TCP Window Update] 25 → 55633"))
    }

    func testHandshakeInfoAndSynExpert() throws {
        let info = try anomaliesInfo()
        XCTAssertEqual(info[1], "55633 → 25 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=3717325959 TSecr=0 WS=1024")
        let trees = try TCPFixture.tcpTrees(Self.anomalies, frames: [1], prefs: Self.anomaliesPrefs)
        XCTAssertTrue(trees.contains("            [Expert Info (Chat/Sequence): Connection establish request (SYN): server port 25]"))
    }

    func testStreamsAreNumberedInOrderOfFirstAppearance() throws {
        let rows = try TCPFixture.fields(Self.anomalies, ["tcp.stream"], prefs: Self.anomaliesPrefs)
        XCTAssertEqual(rows[0], ["0"])
        XCTAssertEqual(rows[162], ["0"]) // frame 163: the last of the SMTP connection
        XCTAssertEqual(rows[163], ["1"]) // frame 164: the IMAP connection's SYN
        XCTAssertEqual(rows[215], ["1"])
    }

    // MARK: crafted captures (Tests/Fixtures/TCP/craft), references from tshark 4.0.17

    func testHeaderFieldsOptionsAndMalformedOptionsMatchTshark() throws {
        // edge.pcap: bad checksum, URG, urgent pointer without URG, AE flag, unknown option,
        // 4 NOPs, MSS on a non-SYN, window shift 15, bad option lengths, non-zero padding after
        // EOL, TFO/Echo/User Timeout, a header length of 16 and a RST carrying text.
        try TCPFixture.assertSummary("edge.pcap", reference: "edge.summary.txt")
        try TCPFixture.assertTrees("edge.pcap", reference: "edge.tcp.txt")
    }

    func testChecksumPreferenceVerifiesTheSegment() throws {
        try TCPFixture.assertTrees("edge.pcap", reference: "edge.checksum.tcp.txt", frames: [5],
                                   prefs: ["tcp.check_checksum:TRUE"])
        let info = try TCPFixture.fields("edge.pcap", ["_ws.col.Info"], prefs: ["tcp.check_checksum:TRUE"])
        XCTAssertTrue(info[4][0].contains("Win=8340480 [TCP CHECKSUM INCORRECT] Len=0"))
    }

    func testOtherOptionKindsMatchTshark() throws {
        // opts.pcap: CC, CC.NEW, CC.ECHO, MD5, TCP-AO, Quick-Start, RFC 6994 experiments,
        // SCPS record boundary, AccECN (which switches the flags to ACE), broken SACK blocks.
        try TCPFixture.assertSummary("opts.pcap", reference: "opts.summary.txt")
        try TCPFixture.assertTrees("opts.pcap", reference: "opts.tcp.txt")
    }

    func testRiverbedOptionsMarkTheInfoColumn() throws {
        // rvbd.pcap: probe query ("S+, "), probe response ("SA+, "), transparency ("TRPY, "),
        // a 3-byte probe tshark reads past (malformed) and a version 2 probe.
        try TCPFixture.assertSummary("rvbd.pcap", reference: "rvbd.summary.txt")
        try TCPFixture.assertTrees("rvbd.pcap", reference: "rvbd.tcp.txt")
    }

    func testTruncatedAndMalformedHeadersAreMarkedNotFatal() throws {
        // bad.pcap: header cut by the snapshot length, IP length leaving 12 bytes of TCP, a data
        // offset of 60 with 32 bytes present (short segment), options and payload cut by snaplen.
        try TCPFixture.assertSummary("bad.pcap", reference: "bad.summary.txt")
        try TCPFixture.assertTrees("bad.pcap", reference: "bad.tcp.txt")
    }

    func testWindowProbesKeepAlivesAndRetransmissions() throws {
        // window.pcap: a 4000-byte window filled, zero window, probe and its ACK, window
        // update, keep-alive and its ACKs, a retransmission and a spurious one; no window scaling.
        try TCPFixture.assertSummary("window.pcap", reference: "window.summary.txt")
        try TCPFixture.assertTrees("window.pcap", reference: "window.tcp.txt")
    }

    func testASynWithANewISNOnAUsedFourTupleStartsANewStream() throws {
        // reuse.pcap: frames 1–8 a closed connection; frame 9 reuses the ports with another ISN
        // (new stream, "Port numbers reused"); frame 12 repeats that SYN (a retransmission in the
        // same stream); frames 14–16 a connection seen from the middle.
        try TCPFixture.assertSummary("reuse.pcap", reference: "reuse.summary.txt")
        let want = TCPFixture.lines(try TCPFixture.reference("reuse.fields.tsv"))
        let names = want[0].split(separator: "\t").map(String.init)
        let got = try TCPFixture.fields("reuse.pcap", names).map { $0.joined(separator: "\t") }
        TCPFixture.assertLines(got, Array(want.dropFirst()), "fields")
    }

    func testRandomisedConversationsMatchTshark() throws {
        // Generated by craft/fuzz.py (loss, reordering, duplicates, keep-alives, zero windows)
        // and craft/fuzz2.py (IPv6, multi-block SACK and D-SACK, reused ports, SYN-ACK with
        // another ISN); 1700 such captures matched tshark when the analysis was written.
        try TCPFixture.assertSummary("fuzz_loss.pcap", reference: "fuzz_loss.summary.txt")
        try TCPFixture.assertSummary("fuzz_ipv6_sack.pcap", reference: "fuzz_ipv6_sack.summary.txt")
        let frames: Set<Int> = [1, 2, 4, 5, 6, 7, 8, 11, 13, 14, 16, 17, 18, 21, 22, 25, 26, 28, 29, 34, 35, 42, 43, 44,
                                45, 46, 47, 52, 53, 54]
        try TCPFixture.assertTrees("fuzz_ipv6_sack.pcap", reference: "fuzz_ipv6_sack.tcp.txt", frames: frames)
    }

    // MARK: preferences

    func testRelativeSequenceNumbersCanBeTurnedOff() throws {
        let rows = try TCPFixture.fields("reuse.pcap", ["tcp.seq", "tcp.ack", "tcp.seq_raw"],
                                         prefs: ["tcp.relative_sequence_numbers:FALSE"])
        XCTAssertEqual(rows[0], ["1000", "0", "1000"])
        XCTAssertEqual(rows[1], ["5000", "1001", "5000"])
        let trees = try TCPFixture.tcpTrees("reuse.pcap", frames: [2], prefs: ["tcp.relative_sequence_numbers:FALSE"])
        XCTAssertTrue(trees.contains("    Sequence Number: 5000"))
        XCTAssertTrue(trees.contains("    Acknowledgment Number: 1001"))
    }

    func testDefaultWindowScalingPreferenceAppliesWhenTheHandshakeIsMissing() throws {
        // Frames 14–16 of reuse.pcap have no handshake: the factor is unknown (−1) unless set.
        let plain = try TCPFixture.fields("reuse.pcap", ["tcp.window_size", "tcp.window_size_scalefactor"])
        XCTAssertEqual(plain[13], ["64240", "-1"])
        let scaled = try TCPFixture.fields("reuse.pcap", ["tcp.window_size", "tcp.window_size_scalefactor"],
                                           prefs: ["tcp.default_window_scaling:3"])
        XCTAssertEqual(scaled[13], ["513920", "8"])
    }

    func testWithoutSequenceAnalysisNothingIsFlagged() throws {
        let info = try TCPFixture.fields("window.pcap", ["_ws.col.Info"], prefs: ["tcp.analyze_sequence_numbers:FALSE"])
        XCTAssertFalse(info.contains { $0[0].contains("[TCP") })
        XCTAssertTrue(info[3][0].hasPrefix("40000 → 44444 [ACK] Seq=1001 Ack=5001"))
    }

    // MARK: payload hand-off

    /// A stand-in application protocol that records its calls and writes the Info column.
    final class Probe: Dissector {
        let proto: FieldID
        var frames: [UInt32] = []
        let claims: Bool
        init(_ proto: FieldID, claims: Bool = true) {
            self.proto = proto
            self.claims = claims
        }

        func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
            frames.append(packet.frame.number)
            guard claims else { return .notMine }
            packet.protocolColumn = "PROBE"
            packet.info.set("probe text")
            return .consumed(data.count)
        }
    }

    func testTheAnalysisPrefixSurvivesTheApplicationInfo() throws {
        let e = TCPFixture.engine(Self.anomaliesPrefs)
        let r = e.registrar()
        let p = r.registerProtocol(name: "Probe", shortName: "PROBE", abbrev: "probe")
        let probe = Probe(p)
        r.table("tcp.port").add(25, r.handle(p, probe))
        let lines = try TCPFixture.summary(Self.anomalies, engine: e)
        XCTAssertTrue(lines[15].hasSuffix("PROBE 1514 [TCP Previous segment not captured] probe text"), lines[15])
        // Retransmitted and out-of-order data is not handed on (tcp.no_subdissector_on_error).
        XCTAssertFalse(probe.frames.contains(17))
        XCTAssertFalse(probe.frames.contains(128))
        XCTAssertTrue(probe.frames.contains(16))
        // A fast retransmission is.
        XCTAssertTrue(probe.frames.contains(46))
    }

    func testThePortTableIsAskedForTheServerPortThenTheLowerPort() throws {
        // fuzz_loss.pcap talks 33333/33334 → 44444 with a handshake: 44444 is the server port.
        let e = TCPFixture.engine()
        let r = e.registrar()
        let p = r.registerProtocol(name: "Probe", shortName: "PROBE", abbrev: "probe")
        let server = Probe(p, claims: false), client = Probe(p)
        r.table("tcp.port").add(44444, r.handle(p, server))
        r.table("tcp.port").add(33333, r.handle(p, client))
        _ = try TCPFixture.summary("fuzz_loss.pcap", engine: e)
        XCTAssertFalse(server.frames.isEmpty)
        // Every payload the client port saw was first offered to the server port.
        XCTAssertTrue(Set(client.frames).isSubset(of: Set(server.frames)))
    }

    func testHeuristicsComeAfterThePortsUnlessPreferred() throws {
        for first in [false, true] {
            let e = TCPFixture.engine(first ? ["tcp.try_heuristic_first:TRUE"] : [])
            let r = e.registrar()
            let p = r.registerProtocol(name: "Probe", shortName: "PROBE", abbrev: "probe")
            let heur = Probe(p), port = Probe(p)
            r.table("tcp").addHeuristic("probe_tcp", r.handle(p, heur))
            r.table("tcp.port").add(44444, r.handle(p, port))
            _ = try TCPFixture.summary("window.pcap", engine: e)
            XCTAssertEqual(heur.frames.isEmpty, !first)
            XCTAssertEqual(port.frames.isEmpty, first)
        }
    }

    func testKeepAlivePayloadIsShownAsData() throws {
        // fuzz_loss.pcap has keep-alives carrying one byte: the port's dissector never sees them.
        let e = TCPFixture.engine()
        let r = e.registrar()
        let p = r.registerProtocol(name: "Probe", shortName: "PROBE", abbrev: "probe")
        let probe = Probe(p)
        r.table("tcp.port").add(44444, r.handle(p, probe))
        var keepAlives: [UInt32] = []
        let f = e.registry.lookup("tcp.analysis.keep_alive")!
        var interest = Interest.nothing(e.registry)
        interest.want(f)
        try e.forEachPacket(path: TCPFixture.path("fuzz_loss.pcap"), interest: interest) { ctx in
            if ctx.tree.records.contains(where: { $0.field == f }) { keepAlives.append(ctx.frame.number) }
        }
        XCTAssertFalse(keepAlives.isEmpty)
        XCTAssertTrue(Set(keepAlives).isDisjoint(with: Set(probe.frames)))
    }

    // MARK: flow table

    func testBothDirectionsOfAFlowShareOneKey() {
        let a = Address.ipv4(0x0a00_0001), b = Address.ipv4(0x0a00_0002)
        let x = FlowLookup(src: a, srcPort: 40000, dst: b, dstPort: 80, proto: 6)
        let y = FlowLookup(src: b, srcPort: 80, dst: a, dstPort: 40000, proto: 6)
        XCTAssertEqual(x.key, y.key)
        XCTAssertNotEqual(x.side, y.side)
        // A socket talking to itself: both packets are the same side, as in tshark.
        let s = FlowLookup(src: a, srcPort: 5, dst: a, dstPort: 5, proto: 6)
        XCTAssertEqual(s.side, 1)
    }

    func testEndedFlowsAreReleasedAfterTheirLingerTime() {
        let table = ConversationTable<Int>(limits: .init(maxFlows: 100, closedLinger: 10))
        let k1 = FlowLookup(src: .ipv4(1), srcPort: 1, dst: .ipv4(2), dstPort: 2, proto: 6).key
        let k2 = FlowLookup(src: .ipv4(1), srcPort: 3, dst: .ipv4(2), dstPort: 2, proto: 6).key
        let s1 = table.insert(k1, 11, now: 0)
        _ = table.insert(k2, 22, now: 0)
        table.markClosed(s1, now: 5)
        table.expire(now: 10)
        XCTAssertNotNil(table.lookup(k1)) // a late ACK still finds it
        table.touch(s1, now: 12)
        table.expire(now: 20)
        XCTAssertNotNil(table.lookup(k1)) // seen again at 12: kept until 22
        table.expire(now: 23)
        XCTAssertNil(table.lookup(k1))
        XCTAssertEqual(table[table.lookup(k2)!], 22) // the open flow stays
        XCTAssertEqual(table.count, 1)
    }

    func testTheTableEvictsTheLeastRecentlySeenWhenFull() {
        let table = ConversationTable<Int>(limits: .init(maxFlows: 4, closedLinger: 1_000))
        var keys: [FlowKey] = []
        for i in 0..<4 {
            let k = FlowLookup(src: .ipv4(UInt32(i)), srcPort: 1, dst: .ipv4(99), dstPort: 2, proto: 6).key
            keys.append(k)
            _ = table.insert(k, i, now: Int64(i))
        }
        table.touch(table.lookup(keys[0])!, now: 10)
        let k5 = FlowLookup(src: .ipv4(50), srcPort: 1, dst: .ipv4(99), dstPort: 2, proto: 6).key
        let s5 = table.insert(k5, 5, now: 11)
        XCTAssertEqual(table[s5], 5)
        XCTAssertEqual(table.count, 4)
        XCTAssertNil(table.lookup(keys[1])) // seen last at 1: the oldest
        XCTAssertNotNil(table.lookup(keys[0]))
    }
}
