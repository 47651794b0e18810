import DissectKit
import Foundation
import Plugins
import TestSupport
import XCTest

/// A length-prefixed toy protocol on TCP port 7777, written only against the public plugin API
/// as a third party would: a 2-byte big-endian length, then that many bytes. It asks TCP for
/// exactly the bytes it misses, or for one more segment while the length itself is cut.
enum ToyLenPlugin: ProtocolPlugin {
    static func register(_ r: Registrar) {
        let d = ToyLenDissector(r)
        r.table("tcp.port").add(7777, r.handle(d.proto, d))
    }
}

final class ToyLenDissector: Dissector {
    let proto: FieldID
    let length: FieldID
    let body: FieldID

    init(_ r: Registrar) {
        proto = r.registerProtocol(name: "Toy Length Protocol", shortName: "TOYLEN", abbrev: "toylen")
        length = r.field("Length", "toylen.length", .uint16, .dec, in: proto)
        body = r.field("Body", "toylen.body", .bytes, in: proto)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        guard data.count >= 2 else { return .oneMoreSegment }
        let n = Int(try data.u16(0))
        guard data.count >= 2 + n else { return .needMore(2 + n - data.count) }
        packet.protocolColumn = "TOYLEN"
        // (After the first PDU TCP fences the column: the next PDU's text follows it.)
        packet.info.set("[len=")
        packet.info.append(UInt64(n))
        packet.info.append("]")
        let top = packet.addProtocol(proto, data, 0, 2 + n, parent: parent)
        packet.add(length, data, 0, 2, .uint(UInt64(n)), parent: top)
        packet.add(body, data, 2, n, .bytes, parent: top)
        return .consumed(2 + n)
    }
}

/// TCP reassembly (issue 5): PDUs that span segments are gathered and dissected whole, as
/// tshark 4.0 does with its default `tcp.desegment_tcp_streams:TRUE`.
final class TCPReassemblyTests: XCTestCase {
    /// The crafted captures of this run, removed when the class is done.
    static let scratch = NSTemporaryDirectory() + "dissect-reassembly-\(ProcessInfo.processInfo.processIdentifier)"

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: scratch)
        super.tearDown()
    }

    // MARK: the seed capture: a 13,091-byte IMAP FETCH literal over ten segments

    /// Frames 32–44: every segment before the last is "[TCP segment of a reassembled PDU]";
    /// frame 44 carries IMAP/IMF for the whole literal (tshark 4.0.17's packet list).
    func testIMAPLiteralSummaryLines() throws {
        let ours = try Fixture.summary("Mail/imap_plain_session.pcapng", prefs: ["tcp.relative_sequence_numbers:TRUE"])
            .split(separator: "\n").map(String.init)
        let reference = try Fixture.text("Mail/imap_plain_session.summary.txt").split(separator: "\n").map(String.init)
        for frame in 32...44 {
            XCTAssertEqual(ours[frame - 1], reference[frame - 1], "frame \(frame)")
        }
    }

    /// The `-V` lines of the first and the completing segment, from "TCP payload" to the IMF
    /// part: segment data, "[10 Reassembled TCP Segments (13191 bytes): …]" right after TCP,
    /// then IMAP on the reassembled data.
    func testIMAPLiteralVerboseTree() throws {
        let verbose = try Fixture.verbose("Mail/imap_plain_session.pcapng")
        let reference = try Fixture.text("TCP/imap_plain_session.reassembly.txt").split(separator: "\n").map(String.init)
        XCTAssertEqual(Self.excerpt(verbose, frames: [32, 44]), reference)
    }

    /// `tcp.segment`, `tcp.segment.count`, `tcp.reassembled.length` as fields: only in the
    /// frame that completes the PDU.
    func testReassemblyFields() throws {
        let rows = try Fixture.fields("Mail/imap_plain_session.pcapng",
                                      ["frame.number", "tcp.segment", "tcp.segment.count", "tcp.reassembled.length"])
        let with = rows.filter { $0[1] != "" }
        XCTAssertEqual(with, [["44", "32,33,34,35,36,39,40,41,42,44", "10", "13191"]])
    }

    // MARK: the toy protocol

    /// Three PDUs over three segments: PDU 1 is cut after 4 of its 10 body bytes; segment 2
    /// completes it, holds PDU 2 whole and starts PDU 3; segment 3 completes PDU 3.
    func testPDUsAcrossSegments() throws {
        let file = try Self.capture([
            (0, [0x00, 0x0a, 0x61, 0x62, 0x63, 0x64]),
            (6, [0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x00, 0x03, 0x41, 0x42, 0x43, 0x00, 0x05, 0x31]),
            (20, [0x32, 0x33, 0x34, 0x35]),
        ])
        let lines = try Fixture.summary(file, plugins: [ToyLenPlugin.self]).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[0].hasSuffix(" TCP 46 40000 → 7777 [ACK] Seq=1 Ack=1 Win=1024 Len=6 [TCP segment of a reassembled PDU]"), lines[0])
        // Segment 2: PDU 1 (reassembled) and PDU 2, then the start of PDU 3 — not a bare segment.
        XCTAssertTrue(lines[1].hasSuffix(" TOYLEN 54 [len=10][len=3]"), lines[1])
        XCTAssertTrue(lines[2].hasSuffix(" TOYLEN 44 [len=5]"), lines[2])

        let tree = try Fixture.verbose(file, plugins: [ToyLenPlugin.self])
        let frames = Self.frames(tree)
        XCTAssertEqual(Self.linesAfterTCP(frames[2] ?? []), [
            "[2 Reassembled TCP Segments (12 bytes): #1(6), #2(6)]",
            "    [Frame: 1, payload: 0-5 (6 bytes)]",
            "    [Frame: 2, payload: 6-11 (6 bytes)]",
            "    [Segment count: 2]",
            "    [Reassembled TCP length: 12]",
            "    [Reassembled TCP Data: 000a6162636465666768696a]",
            "Toy Length Protocol",
            "    Length: 10",
            "    Body: 6162636465666768696a",
            "Toy Length Protocol",
            "    Length: 3",
            "    Body: 414243",
        ])
        XCTAssertTrue(frames[2]?.contains("    TCP segment data (6 bytes)") ?? false)
        XCTAssertTrue(frames[2]?.contains("    TCP segment data (3 bytes)") ?? false)
        XCTAssertEqual(Self.linesAfterTCP(frames[3] ?? []), [
            "[2 Reassembled TCP Segments (7 bytes): #2(3), #3(4)]",
            "    [Frame: 2, payload: 0-2 (3 bytes)]",
            "    [Frame: 3, payload: 3-6 (4 bytes)]",
            "    [Segment count: 2]",
            "    [Reassembled TCP length: 7]",
            "    [Reassembled TCP Data: 00053132333435]",
            "Toy Length Protocol",
            "    Length: 5",
            "    Body: 3132333435",
        ])
    }

    /// A lost segment inside a PDU: the PDU is given up with an expert info, and the segment
    /// after the hole is dissected on its own (here: a whole PDU of its own).
    func testGapDropsThePDU() throws {
        let file = try Self.capture([
            (0, [0x00, 0x10, 0x61, 0x62]),          // needs 14 more
            (10, [0x00, 0x02, 0x7a, 0x7a]),         // bytes 4–9 never captured
        ])
        let lines = try Fixture.summary(file, plugins: [ToyLenPlugin.self]).split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasSuffix("[TCP segment of a reassembled PDU]"), lines[0])
        XCTAssertTrue(lines[1].hasSuffix(" TOYLEN 44 [TCP Previous segment not captured] [len=2]"), lines[1])
        let frames = Self.frames(try Fixture.verbose(file, plugins: [ToyLenPlugin.self]))
        XCTAssertTrue(frames[2]?.contains {
            $0.contains("Reassembly of the PDU starting in frame 1 stopped: 6 bytes missing before this segment")
        } ?? false, frames[2]?.joined(separator: "\n") ?? "")
    }

    /// A PDU larger than `tcp.reassembly_max_pdu` is not gathered: an expert info says so and
    /// the bytes are left as they are.
    func testLimitRefusesLargePDU() throws {
        let file = try Self.capture([(0, [0x10, 0x00, 0x61, 0x62]), (4, [0x63, 0x64])])
        let prefs = ["tcp.reassembly_max_pdu:1000"]
        let frames = Self.frames(try Fixture.verbose(file, prefs: prefs, plugins: [ToyLenPlugin.self]))
        XCTAssertTrue(frames[1]?.contains { $0.contains("PDU of 4098 bytes not reassembled") } ?? false)
        let lines = try Fixture.summary(file, prefs: prefs, plugins: [ToyLenPlugin.self]).split(separator: "\n")
        XCTAssertFalse(lines[0].contains("reassembled PDU"))
    }

    /// Retransmitted bytes of a pending PDU are not gathered twice.
    func testRetransmissionInsidePDU() throws {
        let file = try Self.capture([
            (0, [0x00, 0x06, 0x61, 0x62]),
            (0, [0x00, 0x06, 0x61, 0x62]),          // the same segment again
            (4, [0x63, 0x64, 0x65, 0x66]),
        ])
        let frames = Self.frames(try Fixture.verbose(file, plugins: [ToyLenPlugin.self]))
        XCTAssertTrue(frames[3]?.contains("[2 Reassembled TCP Segments (8 bytes): #1(4), #3(4)]") ?? false,
                      frames[3]?.joined(separator: "\n") ?? "")
    }

    /// With `tcp.reassemble_out_of_order`, a segment after a hole waits; the segment filling the
    /// hole completes the PDU with it, and a repeated segment is listed as an overlap (as in the
    /// seed capture tcp_anomalies, frames 125/127).
    func testOutOfOrderSegmentsAreHeldUntilTheHoleFills() throws {
        let tail: [UInt8] = [0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c]
        let file = try Self.capture([
            (0, [0x00, 0x0c, 0x61, 0x62]),
            (8, tail),
            (8, tail),
            (4, [0x63, 0x64, 0x65, 0x66]),
        ])
        let prefs = ["tcp.reassemble_out_of_order:TRUE"]
        let frames = Self.frames(try Fixture.verbose(file, prefs: prefs, plugins: [ToyLenPlugin.self]))
        XCTAssertEqual(Self.linesAfterTCP(frames[4] ?? []), [
            "[4 Reassembled TCP Segments (14 bytes): #1(4), #4(4), #2(6), #3(6)]",
            "    [Frame: 1, payload: 0-3 (4 bytes)]",
            "    [Frame: 4, payload: 4-7 (4 bytes)]",
            "    [Frame: 2, payload: 8-13 (6 bytes)]",
            "    [Frame: 3, payload: 8-13 (6 bytes)]",
            "        [Segment overlap: True]",
            "    [Segment count: 4]",
            "    [Reassembled TCP length: 14]",
            "    [Reassembled TCP Data: 000c6162636465666768696a6b6c]",
            "Toy Length Protocol",
            "    Length: 12",
            "    Body: 6162636465666768696a6b6c",
        ])
        let lines = try Fixture.summary(file, prefs: prefs, plugins: [ToyLenPlugin.self]).split(separator: "\n").map(String.init)
        for i in 0..<3 { XCTAssertTrue(lines[i].hasSuffix("[TCP segment of a reassembled PDU]"), lines[i]) }
        XCTAssertTrue(lines[3].hasSuffix(" TOYLEN 44 [TCP Out-Of-Order] [len=12]"), lines[3])
        // Without the preference the held segments are not gathered: tshark 4.0's default.
        let plain = try Fixture.summary(file, plugins: [ToyLenPlugin.self]).split(separator: "\n").map(String.init)
        XCTAssertFalse(plain[3].contains("TOYLEN"), plain[3])
    }

    /// `-z io,phs` counts "tcp.segments" where TCP added it — after the PDU dissected from the
    /// reassembled data, before the next PDU of the segment — though `-V` shows it right after
    /// TCP (what tshark 4.0's phs tap does: `public-ref/wireshark/challenge01_ooo_stream` has
    /// tcp → tls → tcp.segments → tls, `zeek/smtp.pcap` tcp → tls → tcp.segments).
    func testProtocolHierarchyCountsReassemblyWhereItWasAdded() throws {
        let file = try Self.capture([
            (0, [0x00, 0x0a, 0x61, 0x62, 0x63, 0x64]),
            (6, [0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x00, 0x03, 0x41, 0x42, 0x43, 0x00, 0x05, 0x31]),
            (20, [0x32, 0x33, 0x34, 0x35]),
        ])
        let e = Fixture.engine(plugins: [ToyLenPlugin.self])
        let phs = ProtocolHierarchy(registry: e.registry)
        var interest = Interest.nothing(e.registry)
        for id in phs.wantedFields { interest.want(id) }
        try e.forEachPacket(path: file, interest: interest) { ctx in phs.add(ctx) }
        let lines = phs.render().split(separator: "\n").map(String.init).filter { $0.contains("frames:") }
        XCTAssertEqual(lines, [
            "raw                                      frames:3 bytes:144",
            "  ip                                     frames:3 bytes:144",
            "    tcp                                  frames:3 bytes:144",
            "      toylen                             frames:2 bytes:98",
            "        tcp.segments                     frames:2 bytes:98",
            "          toylen                         frames:1 bytes:54",
        ])
    }

    // MARK: helpers

    /// Writes a pcap (LINKTYPE_RAW) with one client → server segment per entry: (relative
    /// sequence offset, payload), ACK set, window 1024.
    static func capture(_ segments: [(UInt32, [UInt8])]) throws -> String {
        var file: [UInt8] = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 101, 0, 0, 0]
        func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)] }
        func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
        let isn: UInt32 = 1000, ackBase: UInt32 = 5000
        for (i, (offset, payload)) in segments.enumerated() {
            var tcp = be16(40000) + be16(7777) + be32(isn + 1 + offset) + be32(ackBase + 1)
            tcp += [0x50, 0x10] + be16(1024) + [0, 0, 0, 0]
            var ip: [UInt8] = [0x45, 0] + be16(20 + tcp.count + payload.count) + be16(i + 1) + [0x40, 0, 64, 6, 0, 0]
            ip += [10, 0, 0, 1, 10, 0, 0, 2]
            tcp += payload
            let packet = ip + tcp
            file += le32(1_700_000_000) + le32(UInt32(i) * 1000) + le32(UInt32(packet.count)) + le32(UInt32(packet.count))
            file += packet
        }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let path = scratch + "/\(UUID().uuidString).pcap"
        try Data(file).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The `-V` text split per frame.
    static func frames(_ verbose: String) -> [Int: [String]] {
        var out: [Int: [String]] = [:]
        var current = 0
        for line in verbose.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("Frame "), let n = Int(line.dropFirst(6).prefix { $0.isNumber }) { current = n }
            out[current, default: []].append(line)
        }
        return out
    }

    /// The top-level blocks after the TCP block of one frame.
    static func linesAfterTCP(_ lines: [String]) -> [String] {
        guard let tcp = lines.firstIndex(where: { $0.hasPrefix("Transmission Control Protocol") }) else { return [] }
        guard let next = lines[(tcp + 1)...].firstIndex(where: { !$0.hasPrefix(" ") }) else { return [] }
        return Array(lines[next...])
    }

    /// For each frame: "## frame N", then its lines from "    TCP payload" up to the IMF part.
    static func excerpt(_ verbose: String, frames wanted: [Int]) -> [String] {
        let all = frames(verbose)
        var out: [String] = []
        for n in wanted {
            guard let lines = all[n], let start = lines.firstIndex(where: { $0.hasPrefix("    TCP payload") }) else { continue }
            out.append("## frame \(n)")
            for l in lines[start...] {
                if l.hasPrefix("Internet Message Format") { break }
                out.append(l)
            }
        }
        return out
    }
}
