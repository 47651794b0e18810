import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

/// Comparisons against tshark 4.0.17 output stored in `Tests/Fixtures/IP/` (see its README):
/// `NAME.ip.txt` holds only the IPv4/IPv6/UDP/GRE/… blocks of `tshark -V`, frame by frame, so
/// the tests do not depend on the protocols above or below (TCP, DNS, Ethernet…).
enum IPFixture {
    /// Top-level tree lines that start one of this area's blocks.
    static let tops = ["Internet Protocol Version 4", "Internet Protocol Version 6", "Internet Protocol, bogus",
                       "User Datagram Protocol", "Generic Routing Encapsulation", "Encapsulating Security Payload",
                       "Authentication Header", "IPv6 Hop-by-Hop Option", "Routing Header for IPv6",
                       "Fragment Header for IPv6", "Destination Options for IPv6"]
    static let shortNames = ["IPv4", "IPv6", "UDP", "GRE", "AH", "ESP", "IPv6 Hop-by-Hop", "IPv6 Routing",
                             "IPv6 Fragment", "IPv6 Destination"]
    /// Protocol-column values this area produces (summary rows to compare).
    static let columns: Set<String> = ["IPv4", "IPv6", "UDP", "GRE", "ESP", "AH", "IP"]

    static func isOurs(_ line: String) -> Bool {
        if tops.contains(where: { line.hasPrefix($0) }) { return true }
        return shortNames.contains { line == "[Malformed Packet: \($0)]" || line == "[Packet size limited during capture: \($0) truncated]" }
    }

    /// The same excerpt the stored references hold: "Frame N" markers and our blocks, without
    /// nested "Data (…)" subtrees (those belong to the payload's protocol).
    static func excerpt(_ verbose: String) -> [String] {
        var out: [String] = []
        var keep = false
        var skipDeeperThan: Int?
        for line in verbose.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("Frame "), let colon = line.firstIndex(of: ":") {
                out.append(String(line[..<colon]))
                keep = false
                continue
            }
            let indent = line.prefix { $0 == " " }.count
            if indent == 0 {
                keep = isOurs(line)
                skipDeeperThan = nil
                if keep { out.append(normalize(line)) }
                continue
            }
            guard keep else { continue }
            if let d = skipDeeperThan {
                if indent > d { continue }
                skipDeeperThan = nil
            }
            if line.dropFirst(indent).hasPrefix("Data (") {
                skipDeeperThan = indent
                continue
            }
            out.append(normalize(line))
        }
        return out
    }

    /// MAC names come from Wireshark's `manuf` when it is installed; compare the address only.
    static func normalize(_ line: String) -> String {
        guard let r = line.range(of: "SLAAC MAC: ") else { return line }
        let rest = line[r.upperBound...]
        if let open = rest.lastIndex(of: "("), let close = rest.lastIndex(of: ")"), open < close {
            return String(line[..<r.upperBound]) + rest[rest.index(after: open)..<close] + "]"
        }
        return line
    }

    /// Asserts that our `-V` blocks equal tshark's for every frame of `capture`.
    static func assertTreesMatch(_ capture: String, reference: String, prefs: [String] = [],
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let ours = excerpt(try Fixture.verbose("IP/\(capture)", prefs: prefs))
        let ref = try Fixture.text("IP/\(reference)").split(separator: "\n").map { normalize(String($0)) }
        compare(ref, ours, what: "\(capture) -V", file: file, line: line)
    }

    /// Asserts that summary rows whose Protocol column is ours equal tshark's.
    static func assertSummaryMatches(_ capture: String, reference: String, prefs: [String] = [],
                                     file: StaticString = #filePath, line: UInt = #line) throws {
        let squeeze = { (s: Substring) in s.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        let ours = try Fixture.summary("IP/\(capture)", prefs: prefs).split(separator: "\n").map(squeeze)
        let ref = try Fixture.text("IP/\(reference)").split(separator: "\n").map(squeeze)
        var compared = 0
        for (i, row) in ref.enumerated() {
            // "No. Time Source → Destination Protocol Length Info" (Info may hold another arrow).
            guard let arrow = row.range(of: " → "),
                  let proto = row[arrow.upperBound...].split(separator: " ").dropFirst().first,
                  columns.contains(String(proto)) else { continue }
            compared += 1
            XCTAssertEqual(i < ours.count ? ours[i] : "<missing>", row, "\(capture) summary row \(i + 1)",
                           file: file, line: line)
        }
        XCTAssertGreaterThan(compared, 0, "no summary rows compared for \(capture)", file: file, line: line)
    }

    /// Asserts `-T fields` output equals a stored `tshark -T fields -E header=y` table.
    static func assertFieldsMatch(_ capture: String, reference: String, file: StaticString = #filePath,
                                  line: UInt = #line) throws {
        let table = try Fixture.text("IP/\(reference)").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let names = table[0]
        let rows = table.dropFirst().filter { !($0.count == 1 && $0[0].isEmpty) }
        let ours = try Fixture.fields("IP/\(capture)", names)
        XCTAssertEqual(ours.count, rows.count, "\(capture) row count", file: file, line: line)
        for (i, (a, b)) in zip(ours, rows).enumerated() {
            XCTAssertEqual(a, Array(b), "\(capture) fields row \(i + 1) \(names)", file: file, line: line)
        }
    }

    static func compare(_ ref: [String], _ ours: [String], what: String, file: StaticString, line: UInt) {
        XCTAssertFalse(ref.isEmpty, "empty reference for \(what)", file: file, line: line)
        var frame = ""
        for i in 0..<max(ref.count, ours.count) {
            let r = i < ref.count ? ref[i] : "<end>"
            let o = i < ours.count ? ours[i] : "<end>"
            if r.hasPrefix("Frame ") { frame = r }
            if r != o {
                XCTFail("\(what), \(frame), line \(i + 1):\n  tshark: \(r)\n  ours:   \(o)", file: file, line: line)
                return
            }
        }
    }
}

final class IPv4Tests: XCTestCase {
    func testHeaderFlagsFragmentsAndBogusLengthsMatchTshark() throws {
        // v4-cases.pcap: DF/MF/RB flags, DSCP/ECN, a 3-fragment datagram, bogus header length,
        // bogus and oversized total length, TSO zero length, version 5, TTL experts, truncation.
        try IPFixture.assertTreesMatch("v4-cases.pcap", reference: "v4-cases.ip.txt")
        try IPFixture.assertSummaryMatches("v4-cases.pcap", reference: "v4-cases.summary.txt")
    }

    func testOptionsMatchTshark() throws {
        // Source routes (the Destination column shows the route's end), record route pointers,
        // timestamps, router alert, RFC 791 and RFC 1108 security, malformed option lengths.
        try IPFixture.assertTreesMatch("v4-options.pcap", reference: "v4-options.ip.txt")
        try IPFixture.assertSummaryMatches("v4-options.pcap", reference: "v4-options.summary.txt")
    }

    func testChecksumPreferenceVerifiesHeader() throws {
        let prefs = ["ip.check_checksum:TRUE", "udp.check_checksum:TRUE"]
        try IPFixture.assertTreesMatch("v4-cases.pcap", reference: "v4-cases.checksum.ip.txt", prefs: prefs)
        let rows = try Fixture.fields("IP/v4-cases.pcap", ["ip.checksum.status", "ip.checksum_calculated"],
                                      prefs: ["ip.check_checksum:TRUE"])
        XCTAssertEqual(rows[0], ["1", "0x1496"])   // frame 1: Good
        XCTAssertEqual(rows[20], ["0", "0x5496"])  // frame 21: Bad, should be 0x5496
        let off = try Fixture.fields("IP/v4-cases.pcap", ["ip.checksum.status"])
        XCTAssertEqual(off[0], ["2"])              // Unverified by default
    }

    func testFragmentsAreReassembledInTheLastFrame() throws {
        let rows = try Fixture.fields("IP/v4-cases.pcap", ["ip.flags", "ip.frag_offset", "ip.fragment",
                                                           "ip.reassembled.length", "ip.src_host", "ip.opt.type"])
        XCTAssertEqual(rows[1], ["0x03", "0", "", "", "10.0.0.1", ""])
        XCTAssertEqual(rows[4], ["0x01", "2", "", "", "10.0.0.1", ""])
        XCTAssertEqual(rows[5], ["0x00", "4", "4,5,6", "48", "10.0.0.1", ""])
        XCTAssertEqual(rows[6][5], "1,1,7,0")

        // The datagram becomes a new data source, as tshark's "Reassembled IPv4 (48 bytes)" tab.
        let e = Fixture.engine()
        var sources: [String] = []
        try e.forEachPacket(path: Fixture.path("IP/v4-cases.pcap"), interest: .everything(e.registry), limit: 6) { ctx in
            if ctx.frame.number == 6 { sources = ctx.sources.extra.map { "\($0.name) \($0.bytes.count)" } }
        }
        XCTAssertEqual(sources, ["Reassembled IPv4 48"])
    }

    func testDefragmentationCanBeTurnedOff() throws {
        // Without reassembly the first fragment goes to UDP (no bogus-length complaint) and the
        // others stay "Fragmented IP protocol".
        try IPFixture.assertSummaryMatches("v4-cases.pcap", reference: "v4-cases.nodefrag.summary.txt",
                                           prefs: ["ip.defragment:FALSE"])
    }

    func testIPInIPShowsInnermostAddresses() throws {
        // wireshark/ipoipoip.pcap: five nested IPv4 headers, then TCP; a second frame with UDP.
        try IPFixture.assertTreesMatch("ipoipoip.pcap", reference: "ipoipoip.ip.txt")
        try IPFixture.assertFieldsMatch("ipoipoip.pcap", reference: "ipoipoip.fields.tsv")
        try IPFixture.assertSummaryMatches("ipoipoip.pcap", reference: "ipoipoip.summary.txt")
    }

    func testHeadersAfterIPv4AndBogusInnerVersion() throws {
        // Raw IPv4 carrying IPIP with a zero version, IPv6 extension headers, GRE, AH, ESP.
        try IPFixture.assertTreesMatch("ext-after-ipv4.pcap", reference: "ext-after-ipv4.ip.txt")
        try IPFixture.assertSummaryMatches("ext-after-ipv4.pcap", reference: "ext-after-ipv4.summary.txt")
    }

    func testFragmentTableIsBounded() {
        let table = IPFragmentTable(maxDatagrams: 2, maxLength: 100, maxStoredBytes: 64)
        let bytes = [UInt8](repeating: 7, count: 24)
        func key(_ id: UInt32) -> IPFragmentTable.Key {
            IPFragmentTable.Key(src: IPv6Address(hi: 0, lo: 1), dst: IPv6Address(hi: 0, lo: 2), id: id, proto: 17)
        }
        bytes.withUnsafeBytes { raw in
            let part = ByteView(raw)
            // Three datagrams start; only two may wait, so the first is forgotten.
            for id: UInt32 in 1...3 { XCTAssertNil(table.add(key(id), frame: id, offset: 0, data: part, more: true)) }
            XCTAssertNil(table.add(key(1), frame: 4, offset: 24, data: part, more: false))
            let whole = table.add(key(3), frame: 5, offset: 24, data: part, more: false)
            XCTAssertEqual(whole?.bytes.count, 48)
            XCTAssertEqual(whole?.parts.map(\.frame), [3, 5])
            // Past the datagram size limit nothing is kept.
            XCTAssertNil(table.add(key(9), frame: 6, offset: 96, data: part, more: false))
            XCTAssertNil(table.add(key(9), frame: 7, offset: 0, data: part, more: true))
        }
    }

    func testEmptyAndTruncatedInputNeverCrashes() throws {
        let e = Fixture.engine()
        var ctx = e.makeContext(interest: .everything(e.registry))
        // Every prefix of a header with options and a UDP payload, as raw IPv4 (link type 228).
        let packet: [UInt8] = [0x46, 0, 0, 37, 0x12, 0x34, 0, 0, 1, 17, 0, 0, 10, 0, 0, 1, 224, 0, 0, 5,
                               0x83, 3, 4, 0, 0x9c, 0x40, 0x9c, 0x41, 0, 13, 0, 0, 0x68, 0x65, 0x6c, 0x6c, 0x6f]
        for n in 0...packet.count {
            var meta = FrameMetadata()
            meta.number = UInt32(n + 1)
            meta.linkType = 228
            meta.capturedLength = n
            meta.originalLength = packet.count
            packet.withUnsafeBytes { buf in
                e.dissect(&ctx, frame: meta, bytes: UnsafeRawBufferPointer(rebasing: buf[0..<n]))
            }
            // A header cut short (IPv4 + options are 24 bytes, UDP 8 more) is marked, a whole one is not.
            XCTAssertEqual(ctx.isMalformed, n < 32, "prefix of \(n) bytes")
        }
        XCTAssertEqual(ctx.protocolColumn, "UDP")
        XCTAssertEqual(ctx.info.string, "40000 → 40001 Len=5")
    }
}
