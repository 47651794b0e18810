import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

final class UDPTests: XCTestCase {
    func testLengthAndChecksumCasesMatchTshark() throws {
        // udp-cases.pcap: good/bad checksums, length < 8, length past the IP payload, length
        // shorter than the payload, IPv6 zero checksum, traceroute ports, empty payload,
        // a snapshot-cut frame, a truncated header and an IPv6 jumbogram length of 0.
        try IPFixture.assertTreesMatch("udp-cases.pcap", reference: "udp-cases.ip.txt")
        try IPFixture.assertSummaryMatches("udp-cases.pcap", reference: "udp-cases.summary.txt")
    }

    func testChecksumPreferenceVerifiesWithPseudoHeader() throws {
        let prefs = ["ip.check_checksum:TRUE", "udp.check_checksum:TRUE"]
        try IPFixture.assertTreesMatch("udp-cases.pcap", reference: "udp-cases.checksum.ip.txt", prefs: prefs)
        try IPFixture.assertSummaryMatches("udp-cases.pcap", reference: "udp-cases.checksum.summary.txt", prefs: prefs)
        let rows = try Fixture.fields("IP/udp-cases.pcap", ["udp.checksum.status", "udp.checksum_calculated"],
                                      prefs: ["udp.check_checksum:TRUE"])
        XCTAssertEqual(rows[0], ["1", "0xee8a"])  // IPv4, good
        XCTAssertEqual(rows[1], ["0", "0xee8a"])  // IPv4, bad: what it should have been
        XCTAssertEqual(rows[6], ["1", "0xa714"])  // IPv6 pseudo-header
    }

    func testStreamsTimesAndPayload() throws {
        // Both directions share a stream; the empty datagram (frame 9) neither shows nor moves
        // the stream's "previous frame" time, as in tshark (frame 11: 9 s after frame 2).
        let rows = try Fixture.fields("IP/udp-cases.pcap", ["udp.stream", "udp.time_delta", "udp.length", "udp.payload"])
        XCTAssertEqual(rows[0], ["0", "0.000000000", "12", "61626364"])
        XCTAssertEqual(rows[1], ["0", "1.000000000", "12", "61626364"])
        XCTAssertEqual(rows[3], ["1", "0.000000000", "20", "61626364"])
        XCTAssertEqual(rows[8], ["0", "", "8", ""])
        XCTAssertEqual(rows[10][0...1], ["0", "9.000000000"])
    }

    func testPortTableTriesTheLowerPortFirst() throws {
        final class Probe: Dissector {
            let proto: FieldID
            var calls: [UInt32] = []
            let claims: Bool
            init(_ proto: FieldID, claims: Bool) { self.proto = proto; self.claims = claims }
            func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
                calls.append(packet.dstPort)
                packet.protocolColumn = "PROBE"
                return claims ? .consumed(data.count) : .notMine
            }
        }
        let e = Fixture.engine()
        let r = e.registrar()
        let p = r.registerProtocol(name: "Probe", shortName: "PROBE", abbrev: "probe")
        let low = Probe(p, claims: false), high = Probe(p, claims: true)
        r.table("udp.port").add(40000, r.handle(p, low))
        r.table("udp.port").add(40001, r.handle(p, high))
        var columns: [String] = []
        try e.forEachPacket(path: Fixture.path("IP/udp-cases.pcap"), interest: .nothing(e.registry), limit: 1) { ctx in
            columns.append(ctx.protocolColumn)
        }
        // 40000 is asked first and declines; 40001 takes the payload.
        XCTAssertEqual(low.calls.count, 1)
        XCTAssertEqual(high.calls.count, 1)
        XCTAssertEqual(columns, ["PROBE"])
    }
}
