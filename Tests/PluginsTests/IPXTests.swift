import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

final class IPXTests: XCTestCase {
    static let tops = ["Internetwork Packet eXchange", "IPX Routing Information Protocol"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // IPX over Ethernet II, raw 802.3, LLC SAP 0xE0 and SNAP; "network.node" addresses in the
        // Source/Destination columns; RIP request/response/unknown; an unknown socket; a cut IPX
        // header (Ethernet addresses, "[Malformed Packet]"); and cut RIP vectors, which a plain
        // packet list never reads (tshark reads them only with a tree), so no mark there.
        for name in ["ipx-cases", "ipx_rip"] {
            let got = try NoNamesFixture.render("IPX/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("IPX/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // "Transport Control: 3 hops", "Length: 40 bytes", IPX networks shown as tshark 4.0 names
        // them ("ab (0xAB0000CD)": the first byte, then the number), RIP ticks in ms, the
        // malformed marks of a cut header and of cut route vectors.
        for name in ["ipx-cases", "ipx_rip"] {
            try ProtocolExcerpt.assertMatches("IPX/\(name).pcap", Self.tops)
        }
    }

    func testFieldsMatchTshark() throws {
        // Hidden ipx.src/dst/addr strings, ipx.net/node/socket for both ends, 0x%08x networks,
        // frame.protocols without "ipxrip" (tshark calls socket dissectors without adding a layer).
        for name in ["ipx-cases", "ipx_rip"] {
            try ProtocolExcerpt.assertFieldsMatch("IPX/\(name).pcap")
        }
    }
}
