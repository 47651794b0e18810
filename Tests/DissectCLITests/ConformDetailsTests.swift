import Foundation
import XCTest

/// Details where the output must be tshark 4.0.17's exactly, against the stored references in
/// `Tests/Fixtures/Conform/` (see its README.md): TCP reassembly errors on overlapping data,
/// relative times of interfaces with different time stamp resolutions, `-z expert`'s protocol.
final class ConformDetailsTests: XCTestCase {
    /// Lines with runs of spaces collapsed and the ends trimmed (conform.py's summary rule).
    func normalized(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }
    }

    func assertOutput(_ args: [String], equals reference: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CLI.run(args)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        let want = try String(contentsOfFile: CLI.fixtures + "/Conform/" + reference, encoding: .utf8)
        let ours = normalized(r.stdout), theirs = normalized(want)
        XCTAssertEqual(ours.count, theirs.count, "\(args) line count", file: file, line: line)
        for (k, (o, t)) in zip(ours, theirs).enumerated() where o != t {
            XCTFail("\(args) line \(k + 1):\n  ours:   \(o)\n  tshark: \(t)", file: file, line: line)
        }
    }

    /// http-ooo.pcap: an out-of-order segment completes a PDU left behind by a hole (shown, not
    /// dissected), and its copy in the next frame is tshark's "[Reassembly error, protocol
    /// TCP: New fragment overlaps old data (retransmission?)]" (a `_ws.malformed` layer in phs).
    func testOverlapAfterOutOfOrderCompletionIsAReassemblyError() throws {
        try assertOutput(["-r", "Conform/http-ooo.pcap"], equals: "http-ooo.pcap.summary.txt")
        try assertOutput(["-r", "Conform/http-ooo.pcap", "-q", "-z", "io,phs"], equals: "http-ooo.pcap.phs.txt")
        let v = try CLI.run(["-r", "Conform/http-ooo.pcap", "-V", "-Y", "frame.number == 4 || frame.number == 5"]).stdout
        XCTAssertTrue(v.contains("""
            [3 Reassembled TCP Segments (42 bytes): #1(38), #2(2), #4(2)]
                [Frame: 1, payload: 0-37 (38 bytes)]
                [Frame: 2, payload: 38-39 (2 bytes)]
                [Frame: 4, payload: 40-41 (2 bytes)]
            """), v)
        XCTAssertTrue(v.contains("""
            [Reassembly error, protocol TCP: New fragment overlaps old data (retransmission?)]
                [Expert Info (Error/Malformed): New fragment overlaps old data (retransmission?)]
            """), v)
        let filtered = try CLI.run(["-r", "Conform/http-ooo.pcap", "-Y", "_ws.malformed.reassembly", "-T", "fields",
                                    "-e", "frame.number"]).stdout
        XCTAssertEqual(filtered, "5\n")
    }

    /// tcp-badsegments.pcap: segments overlapping a PDU are listed whole with "[Segment
    /// overlap: True]"; differing bytes make the piece `tcp.segment.error` and the Info
    /// "[Illegal Segments]".
    func testOverlappingSegmentsAreListedWithConflicts() throws {
        try assertOutput(["-r", "Conform/tcp-badsegments.pcap"], equals: "tcp-badsegments.pcap.summary.txt")
        try assertOutput(["-r", "Conform/tcp-badsegments.pcap", "-q", "-z", "io,phs"], equals: "tcp-badsegments.pcap.phs.txt")
        let v = try CLI.run(["-r", "Conform/tcp-badsegments.pcap", "-V", "-Y", "frame.number == 11"]).stdout
        XCTAssertTrue(v.contains("""
            [2 Reassembled TCP Segments (32 bytes): #9(16), #11(32)]
                [Frame: 9, payload: 0-15 (16 bytes)]
                [Frame: 11, payload: 0-31 (32 bytes)]
                    [Segment overlap: True]
                    [Conflicting data in segment overlap: True]
            """), v)
        let f = try CLI.run(["-r", "Conform/tcp-badsegments.pcap", "-Y", "tcp.segment.error", "-T", "fields",
                             "-e", "frame.number", "-e", "tcp.segment.overlap.conflict"]).stdout
        XCTAssertEqual(f, "11\t1\n")
    }

    /// pppoe-over-qinq.pcap: a PDU completed in order is kept; a late out-of-order copy of its
    /// first segment is "Retransmitted TCP segment data" (frame 57), one of a later segment a
    /// reassembly error (frame 58).
    func testLateCopiesOfACompletedPDU() throws {
        try assertOutput(["-r", "Conform/pppoe-over-qinq.pcap"], equals: "pppoe-over-qinq.pcap.summary.txt")
        try assertOutput(["-r", "Conform/pppoe-over-qinq.pcap", "-q", "-z", "io,phs"], equals: "pppoe-over-qinq.pcap.phs.txt")
        let v = try CLI.run(["-r", "Conform/pppoe-over-qinq.pcap", "-V", "-Y", "frame.number == 57"]).stdout
        XCTAssertTrue(v.contains("    Retransmitted TCP segment data (1440 bytes)\n"), v)
    }

    /// pcapng-multi-interface.pcapng: a ns interface then a µs one; the µs frames' relative
    /// times (347.611566507 s) are cut to 6 digits, not rounded.
    func testRelativeTimesAreCutToTheInterfacesResolution() throws {
        try assertOutput(["-r", "Conform/pcapng-multi-interface.pcapng"], equals: "pcapng-multi-interface.pcapng.summary.txt")
    }

    /// `-T fields` values as tshark's get_node_field_value: a protocol prints its line when the
    /// dissector set or appended to it ("Transmission Control Protocol, Src Port: …"), else its
    /// abbreviation ("smtp", "imf", a hidden "_ws.malformed"); FT_NONE fields print "1"
    /// (`tcp.analysis`, `tcp.segments`); `_ws.expert` prints "Expert Info (S/G): message".
    func testFieldValuesOfProtocolsAndTextlessFields() throws {
        try assertOutput(["-r", "Mail/smtp_client_to_server.pcapng", "-T", "fields", "-e", "frame.number", "-e", "tcp",
                          "-e", "tcp.analysis", "-e", "smtp", "-e", "imf", "-e", "eth"],
                         equals: "smtp_client_to_server.protocols.fields.tsv")
        try assertOutput(["-r", "Mail/smtp_client_to_server.pcapng", "-T", "fields", "-e", "frame.number",
                          "-e", "_ws.expert", "-e", "tcp.analysis.flags"],
                         equals: "smtp_client_to_server.expert.fields.tsv")
        try assertOutput(["-r", "Conform/http-ooo.pcap", "-T", "fields", "-e", "frame.number", "-e", "_ws.malformed",
                          "-e", "tcp.segments", "-e", "tcp.segment"], equals: "http-ooo.fields.tsv")
    }

    /// `-z expert` names the protocol being dissected for a malformed packet ("DNS"), not
    /// "Malformed".
    func testExpertStatisticsNameTheProtocolOfAMalformedPacket() throws {
        try assertOutput(["-r", "DNS/dns-cases.pcap", "-q", "-z", "expert"], equals: "dns-cases.expert.txt")
    }
}
