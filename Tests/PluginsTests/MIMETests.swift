import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

/// MIME bodies (RFC 2045–2047): multipart parts, their headers and boundaries, line-based text
/// and media, checked against tshark 4.0.17.
final class MIMETests: XCTestCase {
    /// smtp_utf8_subject.pcapng: stream 1 of smtp_large_attachment (frames 278–300), the
    /// Foxmail message "中午搓饭?" — multipart/alternative with a base64 UTF-8 text part and a
    /// quoted-printable HTML part. All of tshark's lines are there; we add the decoded text.
    func testAlternativeTextAndHTML() throws {
        let ours = try MailFixture.ours("smtp_utf8_subject.pcapng")
        let reference = try MailFixture.reference("smtp_utf8_subject.mail.txt")
        // Frame 17 differs on purpose: decoded header words (IMFTests covers them).
        XCTAssertEqual(MailFixture.differences(ours, reference, skipping: [17]), [])
        let frame17 = MailFixture.withoutAdditions(ours[17] ?? [])
        let ref17 = reference[17] ?? []
        let headerLines: Set<String> = [
            "    From: =?UTF-8?B?5byg5Lyf?= <zhang.wei@skynet.local>, 1 item",
            "            Display-Name: =?UTF-8?B?5byg5Lyf?=",
            "    Subject: =?UTF-8?B?5Lit5Y2I5pCT6aWtPw==?=",
        ]
        XCTAssertEqual(frame17.filter { !$0.contains("张伟") && !$0.contains("中午搓饭") },
                       ref17.filter { !headerLines.contains($0) })
        XCTAssertTrue(frame17.contains("    Subject: 中午搓饭?"))
    }

    /// Our addition: the base64 UTF-8 part and the quoted-printable HTML part decoded.
    func testEncodedTextPartsAreDecoded() throws {
        let lines = try MailFixture.ours("smtp_utf8_subject.pcapng")[17] ?? []
        guard let b64 = lines.firstIndex(of: "            [Decoded text (base64, UTF-8): 5 lines]") else {
            return XCTFail(lines.joined(separator: "\n"))
        }
        XCTAssertEqual(Array(lines[(b64 + 1)...(b64 + 5)]), [
            "                Miles，Sarah：\\r\\n",
            "                \\r\\n",
            "                中午一起去食堂搓一顿吧？十二点楼下见。\\r\\n",
            "                \\r\\n",
            "                张伟\\r\\n",
        ])
        // The HTML ends in "=\r\r\n" on the wire: a soft line break, then a stray CR kept as a line end.
        guard let qp = lines.firstIndex(of: "            [Decoded text (quoted-printable, UTF-8): 2 lines]") else {
            return XCTFail(lines.joined(separator: "\n"))
        }
        XCTAssertEqual(Array(lines[(qp + 1)...(qp + 2)]), [
            "                <html><body><p>Miles，Sarah：</p><p>中午一起去食堂<b>搓一顿</b>吧？十二点楼下见。</p>"
                + "<p>张伟</p></body></html>\\r",
            "                \\r\\n",
        ])
        let s = try MailFixture.summaries("smtp_utf8_subject.pcapng", reference: "smtp_utf8_subject.summary.txt")
        XCTAssertEqual(s.ours[17]?.hasSuffix("SMTP/IMF 1204 from: 张伟 <zhang.wei@skynet.local>, subject: 中午搓饭?, "
            + "(text/plain) (text/html)"), true)
        XCTAssertEqual(s.ours.filter { $0.key != 17 }, s.reference.filter { $0.key != 17 })
    }

    /// A crafted message (mime_nested.pcap, reference by tshark 4.0.17): preamble, a
    /// quoted-printable part, message/rfc822 (IMF inside IMF), an attachment with a file
    /// name, a nested multipart/alternative, an image shown as media, and a trailer.
    func testNestedMultipart() throws {
        let ours = try MailFixture.ours("mime_nested.pcap")
        XCTAssertEqual(MailFixture.differences(ours, try MailFixture.reference("mime_nested.mail.txt")), [])
        let s = try MailFixture.summaries("mime_nested.pcap", reference: "mime_nested.summary.txt")
        XCTAssertEqual(s.ours, s.reference)
        XCTAssertTrue(ours[7]?.contains("            [File name: x.bin]") ?? false)
        XCTAssertTrue(ours[7]?.contains("            [Decoded length: 3 bytes]") ?? false)
        let rows = try Fixture.fields("Mail/mime_nested.pcap",
                                      ["frame.number", "mime_multipart.type", "mime_multipart.header.content-type",
                                       "mime_multipart.filename"])
        XCTAssertEqual(rows.first { $0.first == "7" }, [
            "7", "multipart/mixed,multipart/alternative",
            "text/plain;charset=utf-8,message/rfc822,application/x-foo;name=\"x.bin\",multipart/alternative;boundary=CC,"
                + "text/html,image/gif",
            "x.bin",
        ])
    }

    /// Content-Type parameters as tshark reads them: unfolded, white space around separators
    /// dropped, quoted strings kept and unquoted on lookup.
    func testParameterParsing() {
        let compact = MIMEParametersProbe.compact("Content-Type: multipart/mixed;\r\n\tboundary = \"a b\\\"c\" ; x=y\r\n")
        XCTAssertEqual(compact, "Content-Type:multipart/mixed;boundary=\"a b\\\"c\";x=y")
        XCTAssertEqual(MIMEParametersProbe.find("boundary=\"a b\\\"c\";x=y", "BOUNDARY"), "a b\"c")
        XCTAssertEqual(MIMEParametersProbe.find("charset=utf-8", "name"), nil)
    }

    /// A multipart body without its boundary parameter: tshark's expert info and raw data.
    func testMissingBoundary() throws {
        let msg = Array("Content-Type: multipart/mixed; charset=x\r\n\r\n--B\r\nbody\r\n".utf8)
        let r = MailFixture.dissect(named: "imf", msg)
        let expert = "    [Expert Info (Error/Protocol): The multipart dissector could not find a required parameter.]"
        XCTAssertTrue(r.lines.contains(expert),
                      r.lines.joined(separator: "\n"))
    }
}

/// Test access to the parameter helpers (internal to the Plugins module).
enum MIMEParametersProbe {
    static func compact(_ s: String) -> String {
        String(decoding: MIMEParameters.compact(Array(s.utf8)).bytes, as: UTF8.self)
    }

    static func find(_ parameters: String, _ key: String) -> String? {
        MIMEParameters.find(Array(parameters.utf8), key).map { String(decoding: $0, as: UTF8.self) }
    }
}
