import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

final class IPv6Tests: XCTestCase {
    func testHeadersExtensionHeadersAndSpecialAddressesMatchTshark() throws {
        // v6-cases.pcap: 6to4/Teredo/ISATAP/NAT64 addresses, jumbo payload, destination options,
        // routing types 2 and 4, AH, ESP, no next header, payload length too long and zero,
        // bad version, truncated header, atomic fragment, unknown/Pad1/bad router-alert options,
        // IPv4-in-IPv6 and IPv6-in-IPv6.
        try IPFixture.assertTreesMatch("v6-cases.pcap", reference: "v6-cases.ip.txt")
        try IPFixture.assertSummaryMatches("v6-cases.pcap", reference: "v6-cases.summary.txt")
        let rows = try Fixture.fields("IP/v6-cases.pcap", ["ipv6.src_6to4_gw_ipv4", "ipv6.tc_port", "ipv6.fraghdr.ident",
                                                           "ipv6.routing.segleft", "ipv6.opt.type"])
        XCTAssertEqual(rows[0], ["192.0.2.1", "40000", "", "", ""])
        XCTAssertEqual(rows[2], ["", "", "", "", "0xc2"])
        XCTAssertEqual(rows[4], ["", "", "", "1", ""])
        XCTAssertEqual(rows[14], ["", "", "0x0000dead", "", ""])
    }

    func testHopByHopRouterAlertAndSLAAC() throws {
        // wireshark/ipv6.pcap: an MLD report with PadN and Router Alert options.
        try IPFixture.assertTreesMatch("ipv6.pcap", reference: "ipv6.ip.txt")
        try IPFixture.assertFieldsMatch("ipv6.pcap", reference: "ipv6.fields.tsv")
        let rows = try Fixture.fields("IP/ipv6.pcap", ["ipv6.src_slaac_mac", "ipv6.slaac_mac", "ipv6.opt.router_alert"])
        XCTAssertEqual(rows, [["00:00:86:05:80:fa", "00:00:86:05:80:fa", "0"]])
    }

    func testType0RoutingHeaderSetsTheFinalDestination() throws {
        // tcpdump/ipv6-routing-header.pcap: the Destination column and the UDP conversation use
        // the last address of the route, the tree shows the header's.
        try IPFixture.assertTreesMatch("ipv6-routing-header.pcap", reference: "ipv6-routing-header.ip.txt")
        try IPFixture.assertFieldsMatch("ipv6-routing-header.pcap", reference: "ipv6-routing-header.fields.tsv")
        let summary = try Fixture.summary("IP/ipv6-routing-header.pcap").split(separator: "\n")
        XCTAssertTrue(summary[2].contains("2200::244:212:3fff:feae:22f7 → 2200::210:2:0:0:4 UDP 86 5645 → 5642 Len=0"),
                      String(summary[2]))
    }

    func testFragmentsAreReassembledIntoUDP() throws {
        // zeek/ipv6-fragmented-dns.pcap: frame 4 is a lone last fragment; frames 6-8 rebuild a
        // 3238-byte UDP datagram in frame 8.
        try IPFixture.assertTreesMatch("ipv6-fragmented-dns.pcap", reference: "ipv6-fragmented-dns.ip.txt")
        try IPFixture.assertFieldsMatch("ipv6-fragmented-dns.pcap", reference: "ipv6-fragmented-dns.fields.tsv")
        try IPFixture.assertSummaryMatches("ipv6-fragmented-dns.pcap", reference: "ipv6-fragmented-dns.summary.txt")
        let rows = try Fixture.fields("IP/ipv6-fragmented-dns.pcap", ["ipv6.fragment", "ipv6.reassembled.length",
                                                                     "ipv6.fraghdr.offset"])
        XCTAssertEqual(rows[7], ["6,7,8", "3238", "358"])
        let off = try Fixture.fields("IP/ipv6-fragmented-dns.pcap", ["udp.srcport", "_ws.col.Info"],
                                     prefs: ["ipv6.defragment:FALSE"])
        XCTAssertEqual(off[7], ["", "IPv6 fragment (off=2864 more=n ident=0x00000002 nxt=17)"])
    }
}
