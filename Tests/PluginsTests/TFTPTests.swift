import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

/// The part of a `-V` tree one protocol's tests compare: the "Frame N" lines and the top-level
/// blocks that start with one of `prefixes`. `Tests/Fixtures/ICMPv6/make_references.py` cuts
/// tshark's output the same way for the stored `NAME.excerpt.txt` references.
enum ProtocolExcerpt {
    /// What else belongs to these protocols' output at the top level: payload handed to `data`,
    /// and the marks of a packet cut short.
    static let common = ["Data (", "[Malformed Packet", "[Packet size limited"]

    static func cut(_ verbose: String, _ prefixes: [String]) -> String {
        var out: [Substring] = []
        var keep = false
        for line in verbose.split(separator: "\n", omittingEmptySubsequences: false) {
            let top = !line.isEmpty && !line.hasPrefix(" ") && !isHexDump(line)
            if top {
                if line.hasPrefix("Frame ") {
                    out.append(line)
                    keep = false
                    continue
                }
                keep = prefixes.contains { line.hasPrefix($0) }
            }
            if keep { out.append(line) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// "0000  00 01 …": the hex dump tshark prints after a "Data (…)" line.
    static func isHexDump(_ line: Substring) -> Bool {
        let u = Array(line.utf8.prefix(6))
        guard u.count == 6, u[4] == 0x20, u[5] == 0x20 else { return false }
        return u[0..<4].allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// Our excerpt of `capture` against the stored one.
    static func assertMatches(_ capture: String, _ prefixes: [String], file: StaticString = #filePath,
                              line: UInt = #line) throws {
        let got = cut(try NoNamesFixture.render(capture, verbose: true), prefixes)
        let name = capture.replacingOccurrences(of: ".pcap.gz", with: "").replacingOccurrences(of: ".pcap", with: "")
        NoNamesFixture.assertSameLines(got, try Fixture.text(name + ".excerpt.txt"), file: file, line: line)
    }

    /// Our `-T fields` rows for the columns of the stored `NAME.fields.tsv`, against it; `rows`
    /// keeps only the rows it accepts (by the reference row).
    static func assertFieldsMatch(_ capture: String, rows: ([String]) -> Bool = { _ in true },
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        let name = capture.replacingOccurrences(of: ".pcap.gz", with: "").replacingOccurrences(of: ".pcap", with: "")
        let want = try Fixture.text(name + ".fields.tsv").split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let header = want[0]
        let got = try Fixture.fields(capture, header)
        XCTAssertEqual(got.count, want.count - 1, "rows", file: file, line: line)
        for (g, w) in zip(got, want.dropFirst()) where rows(w) {
            for (i, column) in header.enumerated() where g[i] != w[i] {
                XCTFail("frame \(w[0]) \(column): got \"\(g[i])\", want \"\(w[i])\"", file: file, line: line)
            }
        }
    }
}

final class TFTPTests: XCTestCase {
    static let tops = ["Trivial File Transfer Protocol"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // Requests with options and their Info, OACK, DATA with "(last)" against the negotiated
        // block size, ACK, ERROR, unknown opcodes, the transfer on the ephemeral ports (and a
        // second server port) found through the conversation binding, and an unrelated packet.
        for name in ["tftp-cases", "tftp-options", "tftp"] {
            let got = try NoNamesFixture.render("TFTP/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("TFTP/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // "[Destination File: …]" / "[Read Request in frame N]" from the request, option
        // subtrees, the ERROR expert, payload as top-level Data, and requests without NUL,
        // a 3-byte ACK and an error message without NUL marked malformed.
        for name in ["tftp-cases", "tftp-options", "tftp"] {
            try ProtocolExcerpt.assertMatches("TFTP/\(name).pcap", Self.tops)
        }
    }

    func testFieldsMatchTshark() throws {
        // tftp.* values per frame, data.data of the blocks, and the UDP stream index and
        // times: the transfer shares one stream however many server ports answer.
        for name in ["tftp-cases", "tftp-options", "tftp"] {
            try ProtocolExcerpt.assertFieldsMatch("TFTP/\(name).pcap")
        }
    }

    func testTransferFromASecondServerPortStaysInTheTransfer() throws {
        // Frames 22–24 of tftp-cases: a read request, then DATA from server port 50010 and from
        // 50011; tshark's request conversation leaves the server port open, so both are TFTP
        // and share UDP stream 14 (frame 22 itself, to port 69, is stream 13).
        let rows = try Fixture.fields("TFTP/tftp-cases.pcap", ["frame.number", "udp.stream", "tftp.request_frame"])
        XCTAssertEqual(rows[21], ["22", "13", ""])
        XCTAssertEqual(rows[22], ["23", "14", "22"])
        XCTAssertEqual(rows[23], ["24", "14", "22"])
        // Frame 21 runs between ports nobody bound: plain data.
        XCTAssertEqual(try Fixture.fields("TFTP/tftp-cases.pcap", ["tftp.opcode"])[20], [""])
    }

    func testHeuristicRequestCheck() {
        // tshark 4.0's rule: printable ASCII and NULs after the opcode, an even number of NULs,
        // and a netascii/octet/mail mode in any case.
        func check(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBytes { TFTPDissector.looksLikeRequest(ByteView($0)) }
        }
        XCTAssertTrue(check([0, 1] + Array("a\0octet\0".utf8)))
        XCTAssertTrue(check([0x12, 0x34] + Array("a\0NETASCII\0".utf8)))
        XCTAssertTrue(check([0, 2] + Array("\0mail\0".utf8)))
        XCTAssertFalse(check([0, 1] + Array("a\0netscii\0".utf8)))
        XCTAssertFalse(check([0, 1] + Array("a\0octet\0b\0".utf8)))   // odd number of NULs
        XCTAssertFalse(check([0, 1] + Array("a\0octet\0".utf8) + [1]))
        XCTAssertFalse(check([0, 1, 0, 0]))
        XCTAssertFalse(check([0, 1]))
    }

    func testFullBlockNumberFollowsWrapAround() {
        // A 16-bit block number read against the block expected next (RFC 7440 transfers
        // beyond 65535 blocks).
        var t = TFTPTransfer()
        t.nextBlock = 65537
        XCTAssertEqual(TFTPDissector.fullBlockNumber(1, t), 65537)
        XCTAssertEqual(TFTPDissector.fullBlockNumber(0xffff, t), 65535)
        t.nextBlock = 3
        XCTAssertEqual(TFTPDissector.fullBlockNumber(0xffff, t), 0xffff) // never wraps below 0
    }
}
