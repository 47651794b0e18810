import DissectKit
import XCTest

/// The names `--export-objects imf` gives messages: tshark's `eo_massage_str`, made safe.
final class ExportObjectsTests: XCTestCase {
    func name(_ subject: String, _ dup: Int = 0) -> String {
        String(decoding: IMFExport.fileName(subject: Array(subject.utf8), duplicate: dup), as: UTF8.self)
    }

    func testReservedCharactersBecomePercentEscapes() {
        XCTAssertEqual(name("URGENT: confirm"), "URGENT%3a confirm.eml")
        XCTAssertEqual(name("=?UTF-8?B?5Lit5Y2I5pCT6aWtPw==?="), "=%3fUTF-8%3fB%3f5Lit5Y2I5pCT6aWtPw==%3f=.eml")
        XCTAssertEqual(name("../../etc/passwd"), "..%2f..%2fetc%2fpasswd.eml")
        XCTAssertEqual(name("a\\b<c>d|e\"f*g"), "a%5cb%3cc%3ed%7ce%22f%2ag.eml")
        XCTAssertEqual(name("folded\r\n subject\t"), "folded%0d%0a subject%09.eml")
        XCTAssertEqual(name(""), ".eml")
    }

    func testHighBytesAreReadAsASCIIWouldRead() {
        // tshark reads the subject with ENC_ASCII: each byte above 0x7f is U+FFFD.
        XCTAssertEqual(IMFExport.fileName(subject: [0x41, 0xe4, 0x42]), Array("A\u{FFFD}B.eml".utf8))
    }

    func testDuplicatesAreNumberedBeforeTheExtension() {
        XCTAssertEqual(name("Test Message", 1), "Test Message(1).eml")
        XCTAssertEqual(name("v1.2 notes", 12), "v1.2 notes(12).eml")
    }

    func testLongNamesAreCutKeepingTheExtensionAndWholeCharacters() {
        let long = String(repeating: "x", count: 300)
        XCTAssertEqual(name(long).utf8.count, 255)
        XCTAssertTrue(name(long).hasSuffix("xx.eml"))
        XCTAssertEqual(name(long, 3).utf8.count, 255)
        XCTAssertTrue(name(long, 3).hasSuffix("x(3).eml"))
        // A cut never leaves half of a UTF-8 sequence.
        let wide = String(repeating: "é", count: 200)
        let n = IMFExport.fileName(subject: Array(wide.utf8))
        XCTAssertLessThanOrEqual(n.count, 255)
        XCTAssertNotNil(String(validating: n, as: UTF8.self))
    }
}
