@testable import DissectKit
import Plugins
import TestSupport
import XCTest

/// The byte-level writers behind `-V`, `-T json` and `-T ek`: each must give exactly the text
/// the `String` formatters (and tshark) give.
final class TextBufferTests: XCTestCase {
    private func text(_ body: (TextBuffer) -> Void) -> String {
        let b = TextBuffer(capacity: 8)
        body(b)
        return b.string
    }

    func testNumbersAsTheStringFormattersWriteThem() {
        for v: UInt64 in [0, 7, 10, 99, 100, 65535, 1 << 32, UInt64.max] {
            XCTAssertEqual(text { $0.appendDecimal(v) }, String(v))
            XCTAssertEqual(text { $0.appendHex(v, digits: 4) }, FieldFormatter.hex(v, digits: 4))
        }
        XCTAssertEqual(text { $0.appendDecimal(Int64(-42)) }, "-42")
        XCTAssertEqual(text { $0.appendDecimal(UInt64(7), zeroPadded: 9) }, "000000007")
        XCTAssertEqual(text { $0.appendOctal(8) }, "10")
        XCTAssertEqual(text { $0.appendUpperHex(0xfffd) }, "FFFD")
    }

    func testAddressesAsTheStringFormattersWriteThem() {
        XCTAssertEqual(text { $0.appendIPv4(0x0a14_0019) }, "10.20.0.25")
        XCTAssertEqual(text { $0.appendEther(0x5254_00a1_b2c3) }, "52:54:00:a1:b2:c3")
        let v6: [IPv6Address] = [
            IPv6Address(hi: 0x2001_0db8_0020_0000, lo: 0x0000_0000_0000_0025), // 2001:db8:20::25
            IPv6Address(hi: 0, lo: 1), // ::1
            IPv6Address(hi: 0, lo: 0), // ::
            IPv6Address(hi: 0, lo: 0x0000_ffff_0a00_0001), // ::ffff:10.0.0.1
            IPv6Address(hi: 0xfe80_0000_0000_0000, lo: 0x0200_5eff_fe00_5301),
            IPv6Address(hi: 0x2001_0db8_0000_0001, lo: 0x0000_0000_0001_0000), // one zero group stays
        ]
        for a in v6 { XCTAssertEqual(text { $0.appendIPv6(a) }, FieldFormatter.ipv6String(a)) }
        XCTAssertEqual(text { $0.appendIPv6(v6[0]) }, "2001:db8:20::25")
    }

    func testHexBytesWithAndWithoutSeparator() {
        let bytes: [UInt8] = [0x00, 0xab, 0x10]
        bytes.withUnsafeBytes { p in
            XCTAssertEqual(text { $0.appendHexBytes(p) }, "00ab10")
            XCTAssertEqual(text { $0.appendHexBytes(p, separator: 0x3a) }, "00:ab:10")
        }
    }

    /// tshark's `format_text`: printable ASCII as is, C escapes, octal for other controls,
    /// U+FFFD for bytes that are not UTF-8 (or for any byte ≥ 0x80 read as ASCII).
    func testFormatTextEscapesAsTshark() {
        func fmt(_ bytes: [UInt8], ascii: Bool = false) -> String {
            bytes.withUnsafeBytes { p in text { $0.appendFormatText(p, asciiOnly: ascii) } }
        }
        XCTAssertEqual(fmt(Array("MAIL FROM:<a@b>\r\n".utf8)), "MAIL FROM:<a@b>\\r\\n")
        XCTAssertEqual(fmt([0x41, 0x01, 0x7f, 0x09]), "A\\001\\177\\t")
        XCTAssertEqual(fmt(Array("caf\u{e9}".utf8)), "caf\u{e9}")
        XCTAssertEqual(fmt(Array("caf\u{e9}".utf8), ascii: true), "caf\u{fffd}\u{fffd}")
        XCTAssertEqual(fmt([0x61, 0xc3]), "a\u{fffd}") // cut sequence
        XCTAssertEqual(fmt([0xe2, 0x80, 0x8b]), "\\u200B") // zero width space: not printable
        // A long plain run crosses the eight-byte fast path.
        let long = String(repeating: "abcdefgh", count: 5) + "\n"
        XCTAssertEqual(fmt(Array(long.utf8)), String(repeating: "abcdefgh", count: 5) + "\\n")
        XCTAssertEqual(Array("a\tb\rc".utf8).withUnsafeBytes { p in text { $0.appendFormatTextWSP(p) } }, "a b c")
    }

    /// ITEM_LABEL_LENGTH: a 240-byte text line becomes " [truncated]" + the text cut to 238 bytes.
    func testLongTextLabelIsTruncatedAsTshark() {
        let b = TextBuffer()
        b.append("x")
        let start = b.count
        b.append(String(repeating: "a", count: 239))
        b.limitTextLabel(from: start)
        XCTAssertEqual(b.count - start, 239) // under the limit: untouched
        b.append("é") // 241 bytes now
        b.limitTextLabel(from: start)
        let label = String(decoding: b.bytes(start, b.count), as: UTF8.self)
        XCTAssertEqual(label, " [truncated]" + String(repeating: "a", count: 226))
        XCTAssertEqual(label.utf8.count, 238)
    }

    func testFieldLabelLimitPutsTruncatedAfterTheName() {
        let b = TextBuffer()
        b.append("Name: ")
        b.append(String(repeating: "v", count: 250))
        b.limitFieldLabel(from: 0, nameLength: 4)
        XCTAssertEqual(b.string, "Name [truncated]: " + String(repeating: "v", count: 220))
    }

    /// json_dumper's escaping, through the eight-byte fast path and around it.
    func testJSONEscaping() {
        let sink = TextBuffer()
        let d = JSONDumper(pretty: false, sink: sink)
        d.beginObject()
        d.member("a.b")
        d.string("plain text that is longer than eight bytes")
        d.member("c")
        d.string("q\"b\\s</x>\n\u{1}\t é")
        d.endObject()
        XCTAssertEqual(sink.string,
                       #"{"a.b":"plain text that is longer than eight bytes","c":"q\"b\\s<\/x>\n\u0001\t é"}"#)
        let ek = TextBuffer()
        let e = JSONDumper(pretty: false, dotToUnderscore: true, sink: ek)
        e.beginObject()
        e.member("ip.src")
        e.raw("null")
        e.endObject()
        XCTAssertEqual(ek.string, #"{"ip_src":null}"#)
    }

    /// Labels live in one byte pool: appending to a label that is not the last one moves it to
    /// the end, and both labels stay intact.
    func testLabelsSetAndAppendedInThePool() {
        let engine = Fixture.engine()
        var ctx = engine.makeContext(interest: .everything(engine.registry))
        let data = ByteView.empty
        let a = ctx.addText(data, 0, 0, parent: .root) { $0.append("first") }
        let b = ctx.addText(data, 0, 0, parent: .root) { $0.append("second") }
        ctx.appendLabel(a) { $0.append(", more") }
        ctx.appendLabel(b, " and then")
        ctx.setLabel(b, "replaced")
        XCTAssertEqual(ctx.labelText(a), "first, more")
        XCTAssertEqual(ctx.labelText(b), "replaced")
        let f = FieldFormatter(registry: engine.registry, resolver: NameResolver(loadSystemFiles: false))
        XCTAssertEqual(f.label(ctx.tree.records[Int(a.index)], ctx), "first, more")
    }
}
