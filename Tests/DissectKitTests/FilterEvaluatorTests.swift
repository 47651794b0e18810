@testable import DissectKit
import TestSupport
import Foundation
import Plugins
import XCTest

/// Evaluation semantics on real packets. Every expected count was checked with tshark 4.0.17
/// (`tshark -n -r CAPTURE -Y FILTER | wc -l`) on the captures in Fixtures/Filter/captures.
final class FilterEvaluatorTests: XCTestCase {
    override func setUp() {
        setenv("TZ", "UTC", 1)
        tzset()
    }

    func count(_ filter: String, in capture: String) throws -> Int {
        let engine = Fixture.engine()
        let f = try DisplayFilter(compiling: filter, registry: engine.registry)
        var interest = Interest.nothing(engine.registry)
        f.addInterest(to: &interest)
        var n = 0
        try engine.forEachPacket(path: Fixture.path("Filter/captures/" + capture), interest: interest) { ctx in
            if f.matches(ctx) { n += 1 }
        }
        return n
    }

    func check(_ capture: String, _ cases: [(String, Int)], file: StaticString = #filePath, line: UInt = #line) throws {
        for (filter, want) in cases {
            XCTAssertEqual(try count(filter, in: capture), want, filter, file: file, line: line)
        }
    }

    /// ipoipoip.pcap: IP in IP in IP…; frame 1 has five IPv4 layers (9.9.9.9 innermost).
    func testMultipleOccurrencesAnyAllAndLayers() throws {
        try check("ipoipoip.pcap", [
            ("ip.addr != 9.9.9.9", 1), ("ip.addr !== 9.9.9.9", 2), ("ip.addr === 9.9.9.9", 0),
            ("any ip.addr > 1.1.1.1", 2), ("all ip.addr > 1.1.1.1", 1), ("all ip.addr != 9.9.9.9", 1),
            ("ip.src == ip.dst", 1), ("ip.src === ip.dst", 0), ("ip.src !== ip.dst", 2),
            ("ip.addr#2 == 4.4.4.4", 1), ("ip.addr#5", 1), ("ip.addr#6", 0), ("ip.dst#[2-4] == 8.8.8.8", 1),
            ("ip.dst#[-1] == 9.9.9.9", 1), ("ip.dst#[-5] == 2.2.2.2", 1), ("ip#[1,3]", 2), ("ip.dst#0 == 9.9.9.9", 0),
            ("count(ip.src) == 5", 1), ("count(ip) == 5", 1), ("len(ip) == 20", 2),
        ])
    }

    func testArithmeticFollowsTshark() throws {
        try check("ipoipoip.pcap", [
            ("ip.ttl - 65 < 0", 2), ("ip.ttl - 200 == -136", 2), ("ip.ttl + -65 > 0", 2), ("ip.ttl + -65 < 0", 0),
            ("-ip.ttl < 0", 2), ("-ip.ttl < -64", 0), ("ip.ttl * -1 < 0", 0),
            ("ip.ttl * 2 == 128", 2), ("ip.ttl & 0x40", 2), ("ip.ttl & 0x01", 0), ("ip.len / 0 == 1", 0),
            ("abs(-ip.ttl) == 64", 2), ("max(ip.ttl, ip.ttl) == 64", 2),
        ])
    }

    /// http.pcap: one HTTP HEAD request from 10.0.0.5:3267 to 207.46.134.94:80.
    func testComparisonsSlicesAndFunctions() throws {
        try check("http.pcap", [
            ("ip.addr == 10.0.0.5 and ip.addr == 207.46.134.94", 1), ("ip.addr != 10.0.0.5", 0),
            ("tcp.port in {80, 443}", 1), ("tcp.port not in {80, 443}", 0), ("tcp.flags & 0x18 == 0x18", 1),
            ("frame[0:3] == 00:e0:81", 1), ("frame[12:2] == 0800", 1), ("eth.type == 2048", 1),
            ("ip.proto == TCP", 1), (#"ip.proto == "UDP""#, 0), ("ip.src == 10.0.0.0/8", 1),
            ("ip.src != 10.0.0.0/8", 0), ("ip.src[0] == 10", 0), ("ip.src[0] == 0a", 1), ("len(eth) == 14", 1), ("len(frame) == 207", 1),
            (#"frame contains "GET""#, 0), (#"frame contains "HEAD""#, 1), (#"frame matches "head""#, 1),
            (#"frame matches "(?-i)head""#, 0), (#"string(ip.src) matches r"^10\.0""#, 1),
            (#"frame.protocols contains "tcp""#, 1), (#"upper(frame.protocols) contains "TCP""#, 1),
            ("tcp.srcport < tcp.dstport", 0), ("min(tcp.srcport, tcp.dstport) == 80", 1),
            ("max(tcp.srcport, tcp.dstport) == 3267", 1),
            (#"frame.time >= "2002-12-31T13:55:31.3Z""#, 1), (#"frame.time >= "2002-12-31T13:55:31.31Z""#, 0),
            ("frame[100-199]", 1), ("frame[0] == 256", 0), ("frame[1] == 0xe0", 1), ("frame.len % 2 == 1", 1),
            (#"tcp.payload[0:4] == "HEAD""#, 1), ("tcp.payload[0:4] == 48:45:41:44", 1),
        ])
    }

    func testEmptyFilterPassesEverything() throws {
        XCTAssertEqual(try count("", in: "dhcp.pcap"), 4)
        XCTAssertEqual(try count("   ", in: "dhcp.pcap"), 4)
    }

    func testReferencesTakeTheSelectedFrame() throws {
        let engine = Fixture.engine()
        let f = try DisplayFilter(compiling: "frame.number < ${frame.number}", registry: engine.registry)
        XCTAssertTrue(f.hasReferences)
        var interest = Interest.nothing(engine.registry)
        f.addInterest(to: &interest)
        let path = Fixture.path("Filter/captures/dhcp.pcap")
        try Fixture.engine().forEachPacket(path: path, interest: interest) { ctx in
            if ctx.frame.number == 3 { f.bindReferences(from: ctx) }
        }
        var n = 0
        try engine.forEachPacket(path: path, interest: interest) { ctx in if f.matches(ctx) { n += 1 } }
        XCTAssertEqual(n, 2)
    }

    func testValueOrdering() {
        XCTAssertEqual(Value.compare(.uint(3), .sint(-1)), 1)
        XCTAssertEqual(Value.compare(.sint(-64), .sint(-63)), -1)
        XCTAssertEqual(Value.compare(.ipv4(0x0a00_0005, ~0), .ipv4(0x0a00_0000, 0xff00_0000)), 0)
        XCTAssertEqual(Value.compare(.ipv6(IPv6Address(hi: 0xff05 << 48, lo: 0x9999), 128),
                                     .ipv6(IPv6Address(hi: 0xff05 << 48, lo: 0), 64)), 0)
        let a: [UInt8] = [1, 2], b: [UInt8] = [1, 2, 0]
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in XCTAssertEqual(Value.compare(.bytes(x), .bytes(y)), -1) } }
    }
}
