import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

/// TLS without keys, checked against tshark 4.0.17 on the captures of Tests/Fixtures/TLS.
final class TLSTests: XCTestCase {
    private func assertSummary(_ name: String, reference: String? = nil, file: StaticString = #filePath,
                               line: UInt = #line) throws {
        XCTAssertEqual(try Fixture.summary("TLS/\(name)"), try Fixture.text("TLS/\(reference ?? name + ".summary.txt")"),
                       file: file, line: line)
    }

    /// The "Transport Layer Security" blocks of a `-V` text, in order.
    private func tlsBlocks(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: [String]? = nil
        for l in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if l == "Transport Layer Security" { current = [l]; continue }
            if current != nil {
                if l.isEmpty || !l.hasPrefix(" ") { blocks.append(current!.joined(separator: "\n")); current = nil }
                else { current!.append(l) }
            }
        }
        if let c = current { blocks.append(c.joined(separator: "\n")) }
        return blocks
    }

    /// ClientHello fields and extensions (SNI, groups, point formats, signature algorithms,
    /// renegotiation_info, SCT, JA3) and the ClientKeyExchange/ChangeCipherSpec/encrypted
    /// Finished record lines, line for line as tshark -V (illustrated-tls12 frames 5 and 9).
    func testClientHelloAndKeyExchangeMatchTsharkVerbose() throws {
        let ours = tlsBlocks(try Fixture.verbose("TLS/illustrated-tls12.pcap"))
        let ref = tlsBlocks(try Fixture.text("TLS/illustrated-tls12.tls.excerpt.txt"))
        XCTAssertEqual(ref.count, 2)
        XCTAssertTrue(ours.count >= 4)
        XCTAssertEqual(ours.first, ref.first)        // frame 5: Client Hello
        XCTAssertEqual(ours.dropFirst(2).first, ref.last) // frame 9: CKE, CCS, Encrypted Handshake Message
    }

    /// The TLS conversation on port 8443 is found by the TCP heuristic; Info of every record.
    func testHeuristicConversationMatchesTshark() throws { try assertSummary("illustrated-tls12.pcap") }

    /// ClientHello fields are filterable: cipher suites, SNI and JA3 as tshark prints them.
    func testClientHelloFields() throws {
        let rows = try Fixture.fields("TLS/illustrated-tls12.pcap",
                                      ["frame.number", "tls.handshake.ciphersuite", "tls.handshake.extensions_server_name",
                                       "tls.handshake.ja3"])
        let hello = rows.first { $0.first == "5" }
        XCTAssertEqual(hello, ["5", "0xcca8,0xcca9,0xc02f,0xc030,0xc02b,0xc02c,0xc013,0xc009,0xc014,0xc00a,0x009c,0x009d,0x002f,0x0035,0xc012,0x000a",
                               "example.ulfheim.net", "36d715579d31b7f031149c4560b5914f"])
    }

    /// TLS 1.3 is detected from supported_versions of the HelloRetryRequest: "TLSv1.3" from
    /// the HRR frame on, "Hello Retry Request" in Info, and "[TCP Previous segment not
    /// captured] , Continuation Data" with tshark's separator quirk.
    func testHelloRetryRequestIsTLS13() throws {
        try assertSummary("hrr.pcap")
        let rows = try Fixture.fields("TLS/hrr.pcap", ["frame.number", "tls.handshake.type",
                                                       "tls.handshake.extensions.supported_version"])
        XCTAssertEqual(rows.first { $0.first == "6" }, ["6", "2", "0x0304"])
    }

    /// A record whose first byte is alone in a segment is reassembled with the next one.
    func testRecordSpanningSegments() throws { try assertSummary("retrans-tls.pcap") }

    /// Handshake messages fragmented over many records and TCP segments ("[Client Hello
    /// Fragment]", several hellos per frame, records after a reassembled one).
    func testFragmentedHandshakes() throws { try assertSummary("tls-fragmented-handshakes.pcap.gz") }

    /// SSL 2.0 ClientHello, ServerHello, ClientMasterKey and encrypted records.
    func testSSLv2() throws { try assertSummary("ssl-v2.pcap") }

    /// After STARTTLS the mail protocols hand the conversation to TLS (SMTP and IMAP).
    func testStartTLSHandOff() throws {
        try assertSummary("smtp-starttls.pcap")
        try assertSummary("imap-starttls.pcap")
        try assertSummary("full_mail_journey.pcapng", reference: "full_mail_journey.summary.nokeys.txt")
        try assertSummary("imap_starttls_fetch.pcapng", reference: "imap_starttls_fetch.summary.nokeys.txt")
    }

    /// Lengths that run past their container: no crash, no Malformed mark where tshark has
    /// none; a record that is not one of the known content types is ignored as in TLS 1.2.
    func testMalformedAndTruncatedRecords() throws { try assertSummary("malformed.pcap") }

    func testMD5ForJA3() {
        XCTAssertEqual(MD5Check.hex(Array("".utf8)), "d41d8cd98f00b204e9800998ecf8427e")
        XCTAssertEqual(MD5Check.hex(Array("The quick brown fox jumps over the lazy dog".utf8)),
                       "9e107d9d372bb6826bd81d3542a419d6")
    }
}

/// The MD5 used for JA3, reached through a ClientHello's fingerprint.
private enum MD5Check {
    static func hex(_ bytes: [UInt8]) -> String { TLSFingerprint.md5Hex(bytes) }
}
