import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

/// DNS, mDNS and LLMNR against tshark 4.0.17 (references made with `tshark -n`, see
/// Tests/Fixtures/DNS/README.md): crafted captures with every record layout tshark decodes,
/// request/response matching, and malformed messages.
final class DNSTests: XCTestCase {
    /// The DNS part of a `-V` output, cut as `Tests/Fixtures/DNS/excerpt.py` cuts tshark's: each
    /// "Frame N:" line, then the DNS/mDNS/LLMNR blocks and the Malformed mark after them.
    static func excerpt(_ text: String) -> String {
        let prefixes = ["Domain Name System", "Multicast Domain Name System", "Link-local Multicast Name Resolution",
                        "[Malformed Packet", "[Packet size limited"]
        var out: [Substring] = []
        var keep = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Frame ") {
                out.append(line.prefix { $0 != ":" } + ":")
                keep = false
                continue
            }
            if let first = line.first, first != " " { keep = prefixes.contains { line.hasPrefix($0) } }
            if keep && !line.isEmpty { out.append(line) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    func testSummaryLinesMatchTshark() throws {
        // Info texts of every opcode, reply code and record type, mDNS "QU"/"QM" and cache-flush
        // notes, LLMNR, retransmissions, the heuristic on other ports (frame 46) and one UDP
        // payload it leaves alone (frame 49), and the malformed messages (frames 33-45).
        for name in ["dns-cases", "mdns-llmnr"] {
            let got = try NoNamesFixture.render("DNS/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("DNS/\(name).summary.txt"))
        }
    }

    func testMessagesOverTCPAreDissectedOneByOne() throws {
        let got = try NoNamesFixture.render("DNS/dns-tcp.pcap", verbose: false)
            .split(separator: "\n").map(String.init)
        let want = try Fixture.text("DNS/dns-tcp.summary.txt").split(separator: "\n").map(String.init)
        XCTAssertEqual(got.count, want.count)
        XCTAssertEqual(Array(got.prefix(5)), Array(want.prefix(5)))
        // Two messages in one segment: tshark's Info shows the last one (DNS clears the column).
        XCTAssertTrue(got.last?.hasSuffix("Standard query 0x5002 AAAA two.example") ?? false, got.last ?? "")
        let rows = try Fixture.fields("DNS/dns-tcp.pcap", ["dns.length", "dns.id", "dns.qry.name", "dns.response_to"])
        XCTAssertEqual(rows[3], ["40", "0x5000", "tcp.example", ""])
        XCTAssertEqual(rows[4], ["158", "0x5000", "tcp.example", "4"])
        XCTAssertEqual(rows[5], ["29,29", "0x5001,0x5002", "one.example,two.example", ""])
    }

    func testVerboseTreesMatchTshark() throws {
        // Flags (DNS, mDNS, LLMNR variants, the AD bit of a query), question and record lines,
        // name compression, EDNS0 options, DNSSEC and service records, "[Request In: N]",
        // "[Time: …]", retransmission experts, "[Unsolicited: True]", extraneous data, 240-byte
        // label cuts, and where malformed messages stop.
        for name in ["dns-cases", "mdns-llmnr", "dns-tcp"] {
            let got = Self.excerpt(try NoNamesFixture.render("DNS/\(name).pcap", verbose: true))
            NoNamesFixture.assertSameLines(got, try Fixture.text("DNS/\(name).dns.txt"))
        }
    }

    func testFieldValues() throws {
        let names = ["frame.number", "dns.qry.name", "dns.a", "dns.aaaa", "dns.cname", "dns.response_to", "dns.time",
                     "dns.flags.rcode", "dns.count.labels", "dns.qry.name.len", "dns.resp.ttl", "dns.ns",
                     "dns.soa.mname", "dns.rr.udp_payload_size", "dns.srv.target", "dns.mx.mail_exchange"]
        let rows = try Fixture.fields("DNS/dns-cases.pcap", names)
        XCTAssertEqual(rows[1], ["2", "www.example.com", "93.184.216.34,93.184.216.35,192.0.2.53", "2001:db8::53",
                                 "web.example.com", "1", "0.010000000", "0", "3", "15",
                                 "3600,59,86401,172800,3600,3600", "ns1.example.com", "", "4096", "", ""])
        XCTAssertEqual(rows[3], ["4", "missing.example.org", "", "", "", "3", "0.010000000", "3", "3", "19", "900", "",
                                 "ns.icann.org", "", "", ""])
        XCTAssertEqual(rows[5][15], "mx1.example.net,mx2.example.net")
        XCTAssertEqual(rows[7][14], "sip.example.com")
        XCTAssertEqual(Array(rows[25][1...2]), ["<Root>", ""])       // root query
        XCTAssertEqual(Array(rows[25][8...9]), ["1", "6"])           // tshark counts "<Root>" itself
        XCTAssertEqual(rows[28][10], "2147483664")                    // TTL with the high bit
        // tshark's -T fields: an empty byte string is "<MISSING>", a string value is the decoded
        // text (not its escaped display) with tab, newline and CR escaped.
        let raw = try Fixture.fields("DNS/dns-cases.pcap", ["dns.opt.data", "dns.txt"])
        XCTAssertTrue(raw[1][0].hasPrefix("<MISSING>,0102030405060708090a0b0c0d0e0f10,"))
        XCTAssertEqual(raw[5][1], "v=spf1 -all,,second string,tab\\there \u{01}\u{7f}\u{FFFD}\u{FFFD} \"q\"")

        let mdns = try Fixture.fields("DNS/mdns-llmnr.pcap",
                                      ["dns.qry.qu", "dns.resp.cache_flush", "dns.srv.service", "dns.srv.proto",
                                       "dns.srv.name", "dns.txt", "dns.flags.conflict", "dns.flags.tentative"])
        XCTAssertEqual(mdns[0], ["1,0", "0", "", "", "", "", "", ""])
        XCTAssertEqual(mdns[1], ["", "1,1,1,1,0", "web", "_http", "_tcp.local", "path=/,café=1", "", ""])
        XCTAssertEqual(Array(mdns[4][6...7]), ["1", "1"])
    }

    func testRequestsAndResponsesAreMatchedInOnePass() throws {
        let rows = try Fixture.fields("DNS/dns-cases.pcap",
                                      ["dns.response_to", "dns.time", "dns.retransmit_request_in",
                                       "dns.retransmit_response_in", "dns.retransmission", "dns.unsolicited",
                                       "dns.response_in"])
        // A query is never shown with its response in a single pass.
        XCTAssertTrue(rows.allSatisfy { $0[6].isEmpty })
        XCTAssertEqual(rows[13], ["", "", "13", "", "1", "", ""])     // same ID within 5 s
        XCTAssertEqual(rows[14], ["13", "1.010000000", "", "", "", "", ""])
        XCTAssertEqual(rows[15], ["", "", "", "15", "1", "", ""])     // answered twice
        XCTAssertEqual(rows[16], ["", "", "", "", "", "1", ""])       // nobody asked
        XCTAssertEqual(Array(rows[30][0...1]), ["30", "0.010000000"]) // AXFR: several responses
        XCTAssertEqual(Array(rows[31][0...1]), ["30", "0.020000000"])
    }

    func testMalformedMessagesAreMarkedNotHung() throws {
        let start = Date()
        let lines = try NoNamesFixture.render("DNS/dns-cases.pcap", verbose: false).split(separator: "\n")
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        for n in [33, 34, 35] { XCTAssertTrue(lines[n - 1].hasSuffix("A <Name contains a pointer that loops>")) }
        XCTAssertTrue(lines[37].hasSuffix("A <Name too long>"))
        for n in [36, 37, 40, 41, 42, 43, 44, 45] {
            XCTAssertTrue(lines[n - 1].hasSuffix("[Malformed Packet]"), "frame \(n): \(lines[n - 1])")
        }
    }

    // MARK: - Names

    /// Reads a name placed after a 12-byte header (pointers count from the header's start).
    private func read(_ bytes: [UInt8]) throws -> (DNSName, String) {
        let message = [UInt8](repeating: 0, count: 12) + bytes
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: message.count, alignment: 8)
        defer { storage.deallocate() }
        storage.copyBytes(from: message)
        var buf: [UInt8] = []
        let n = try DNSNameReader.read(ByteView(UnsafeRawBufferPointer(storage)), at: 12, base: 0, into: &buf)
        return (n, n.text(buf))
    }

    func testNameDecompressionLimits() throws {
        XCTAssertEqual(try read([3, 0x77, 0x77, 0x77, 0]).1, "www")
        XCTAssertEqual(try read([0]).1, "<Root>")
        // A pointer to itself, a label followed by a pointer back to it, and a 300-pointer chain
        // all end as loops instead of hanging.
        XCTAssertEqual(try read([0xc0, 12]).1, "<Name contains a pointer that loops>")
        XCTAssertEqual(try read([1, 0x61, 0xc0, 12]).1, "<Name contains a pointer that loops>")
        var chain: [UInt8] = []
        for i in 0..<300 {
            let target = 12 + 2 * (i + 1)
            chain += [0xc0 | UInt8(target >> 8), UInt8(target & 0xff)]
        }
        chain += [1, 0x61, 0]
        let deep = try read(chain)
        XCTAssertEqual(deep.1, "<Name contains a pointer that loops>")
        XCTAssertEqual(deep.0.used, 2)
        // Label type 0x80, a label running off the end and a pointer past the end are malformed.
        XCTAssertThrowsError(try read([0x81, 0x61, 0]))
        XCTAssertThrowsError(try read([5, 0x61, 0x62]))
        XCTAssertThrowsError(try read([0xc0, 0xff]))
        // 253 characters fit; 254 or more give "<Name too long>".
        let label = [UInt8](repeating: 0x62, count: 50)
        func name(_ labels: [[UInt8]]) -> [UInt8] { labels.flatMap { [UInt8($0.count)] + $0 } + [0] }
        let fits = try read(name([label, label, label, label, Array(label.prefix(49))]))
        XCTAssertEqual(fits.1.utf8.count, 253)
        XCTAssertEqual(try read(name([label, label, label, label, label])).1, "<Name too long>")
        // Bit-string labels (RFC 2673) are consumed but, as in tshark, not counted in the name.
        XCTAssertEqual(try read([1, 0x61, 0x41, 8, 0xff, 0]).1, "a")
        // A name whose first character is NUL counts as the root when it is a bare pointer.
        XCTAssertEqual(try read([0xc0, 14, 1, 0, 0]).1, "<Root>")
        XCTAssertEqual(try read([1, 0, 0]).1, "\\000")
    }

    func testInfoAddressesMatchTheTreeFormat() {
        var rng = SystemRandomNumberGenerator()
        var samples: [IPv6Address] = [IPv6Address(hi: 0, lo: 0), IPv6Address(hi: 0, lo: 1),
                                      IPv6Address(hi: 0x2001_0db8_0000_0000, lo: 0x0000_0000_0000_0053),
                                      IPv6Address(hi: 0, lo: 0xffff_0a00_0001), IPv6Address(hi: 0x1_0000_0001, lo: 0)]
        for _ in 0..<500 {
            // Random groups, many of them zero, so compression cases come up.
            var hi: UInt64 = 0, lo: UInt64 = 0
            for _ in 0..<4 { hi = hi << 16 | (Bool.random(using: &rng) ? 0 : UInt64.random(in: 0...0xffff, using: &rng)) }
            for _ in 0..<4 { lo = lo << 16 | (Bool.random(using: &rng) ? 0 : UInt64.random(in: 0...0xffff, using: &rng)) }
            samples.append(IPv6Address(hi: hi, lo: lo))
        }
        for a in samples {
            let column = ColumnText()
            DNSInfo.appendIPv6(a, to: column)
            XCTAssertEqual(column.string, FieldFormatter.ipv6String(a))
        }
        let column = ColumnText()
        DNSInfo.appendIPv4(0xc000_0235, to: column)
        XCTAssertEqual(column.string, "192.0.2.53")
    }

    // MARK: - Matching and framing

    func testTransactionTableFollowsTsharksRules() {
        let table = DNSTransactionTable()
        let key = FlowLookup(src: .ipv4(1), srcPort: 1000, dst: .ipv4(2), dstPort: 53, proto: 17).key
        func t(_ s: Int64) -> Timestamp { Timestamp(seconds: s, nanoseconds: 0) }
        var m = table.track(key: key, id: 7, isResponse: false, frame: 1, time: t(0), retransmissionTimer: 5)
        XCTAssertEqual(m.transaction?.requestFrame, 1)
        m = table.track(key: key, id: 7, isResponse: false, frame: 2, time: t(4), retransmissionTimer: 5)
        XCTAssertTrue(m.retransmission)
        XCTAssertEqual(m.transaction?.requestFrame, 1)
        // After the timer the same ID opens a new transaction.
        m = table.track(key: key, id: 7, isResponse: false, frame: 3, time: t(6), retransmissionTimer: 5)
        XCTAssertFalse(m.retransmission)
        XCTAssertEqual(m.transaction?.requestFrame, 3)
        m = table.track(key: key, id: 7, isResponse: true, frame: 4, time: t(7), retransmissionTimer: 5)
        XCTAssertEqual(m.transaction?.requestFrame, 3)
        XCTAssertFalse(m.retransmission)
        m = table.track(key: key, id: 7, isResponse: true, frame: 5, time: t(7), retransmissionTimer: 5)
        XCTAssertTrue(m.retransmission)
        XCTAssertEqual(m.transaction?.responseFrame, 4)
        // Other IDs and other conversations do not match.
        XCTAssertNil(table.track(key: key, id: 8, isResponse: true, frame: 6, time: t(8), retransmissionTimer: 5)
            .transaction)
        let other = FlowLookup(src: .ipv4(3), srcPort: 1000, dst: .ipv4(2), dstPort: 53, proto: 17).key
        XCTAssertNil(table.track(key: other, id: 7, isResponse: true, frame: 7, time: t(8), retransmissionTimer: 5)
            .transaction)
        // A zone transfer may be answered many times.
        _ = table.track(key: key, id: 9, isResponse: false, frame: 8, time: t(9), retransmissionTimer: 5)
        table.setMultipleResponses(key: key, id: 9, true)
        _ = table.track(key: key, id: 9, isResponse: true, frame: 9, time: t(9), retransmissionTimer: 5)
        XCTAssertFalse(table.track(key: key, id: 9, isResponse: true, frame: 10, time: t(9), retransmissionTimer: 5)
            .retransmission)
    }

    func testStreamFramingAsksForTheRestOfAMessage() throws {
        let e = Fixture.engine()
        let handle = try XCTUnwrap(e.table("tcp.port").lookup(53))
        var ctx = e.makeContext(interest: .nothing(e.registry))
        let message: [UInt8] = [0, 29, 0x50, 0x01, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                                3, 0x6f, 0x6e, 0x65, 7, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0, 0, 1, 0, 1]
        func run(_ bytes: [UInt8]) -> DissectResult {
            ctx.reset()
            return bytes.withUnsafeBytes { ctx.call(handle, ByteView($0)) }
        }
        XCTAssertEqual(run([0]), .needMore(0))                      // one more segment
        XCTAssertEqual(run(Array(message.prefix(10))), .needMore(21))
        XCTAssertEqual(run(message), .consumed(31))
        XCTAssertEqual(ctx.info.string, "Standard query 0x5001 A one.example")
        XCTAssertEqual(run(message + message.prefix(5)), .consumed(31))
        // Without reassembly the cut message is dissected as it is, and found malformed.
        XCTAssertNil(e.preferences.apply("dns.desegment_dns_messages:FALSE"))
        XCTAssertEqual(run(Array(message.prefix(20))), .consumed(20))
        XCTAssertTrue(ctx.isMalformed)
    }
}
