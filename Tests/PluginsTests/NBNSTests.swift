import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

final class NBNSTests: XCTestCase {
    static let tops = ["NetBIOS Name Service"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // "Name query NB WPAD<00>", "Name query response NB 10.0.0.7", the reply code after a
        // response (", Requested name does not exist", malformed when the record has no address
        // for Info), "Registration NB HOST1<20>", WACK and NBSTAT, scope ids, tshark's
        // "Illegal NetBIOS name (…)" texts, unknown opcodes and cut packets.
        let got = try NoNamesFixture.render("NBNS/nbns-cases.pcap", verbose: false)
        NoNamesFixture.assertSameLines(got, try Fixture.text("NBNS/nbns-cases.summary.txt"))
    }

    func testVerboseTreeMatchesTshark() throws {
        // Flags bitmask lines for requests/responses/WACK, "Queries"/"Answers"/"Additional
        // records" subtrees, "Name: HOST1<20> (Server service)", TTL as a duration, NB flags with
        // tshark's unshifted ONT strings ("ONT: Unknown (1)"), NBSTAT names and statistics, the
        // "incomplete entry" expert, and the record the column-less `-V` run shows in full.
        try ProtocolExcerpt.assertMatches("NBNS/nbns-cases.pcap", Self.tops)
    }

    func testFieldsMatchTshark() throws {
        // nbns.name carries " (Server service)" in answers (tshark's add_rr_to_tree), not in queries.
        try ProtocolExcerpt.assertFieldsMatch("NBNS/nbns-cases.pcap")
    }

    func testNetBIOSNameDecoding() throws {
        // RFC 1001 first-level encoding: "CKAAAA…" is "*" + 15 NULs; trailing spaces go.
        var encoded: [UInt8] = [32]
        for c in Array("HOST1          ".utf8) + [0x20] {
            encoded += [0x41 + (c >> 4), 0x41 + (c & 15)]
        }
        encoded.append(0)
        var raw: [UInt8] = [], out: [UInt8] = []
        let name = try encoded.withUnsafeBytes { p in
            try NetBIOSName.read(ByteView(p), at: 0, base: 0, raw: &raw, into: &out)
        }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "HOST1<20>")
        XCTAssertEqual(name.used, 34)
        XCTAssertEqual(name.type, 0x20)
    }
}
