import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

/// In-process runs of the structured printers on `Tests/Fixtures/Output/` captures, and helpers
/// to cut the tshark references into the parts our dissectors already produce identically.
enum OutputFixture {
    static let capture = "Output/smtp_client_to_server.pcapng"

    /// The one `manuf` line these captures need ("00:00:00_00:00:00"), so no system file is read.
    static let manuf = "00:00:00\t00:00:00\tOfficially Xerox, but 0:0:0:0:0:0 is more common\n"

    static func engine() -> Engine {
        setenv("TZ", "UTC", 1)
        tzset()
        let e = Fixture.engine()
        e.nameResolver = NameResolver(manuf: manuf)
        return e
    }

    /// Runs `make`'s printer over the first `limit` packets of `relative`.
    static func run(_ relative: String = capture, limit: Int = 3, full: Bool = true,
                    _ make: (Engine, DissectKit.OutputStream, FieldFormatter, Columns) throws -> (print: (PacketContext) -> Void,
                                                                                     wanted: [FieldID],
                                                                                     before: () -> Void,
                                                                                     after: () -> Void)) throws -> String {
        let e = engine()
        let out = DissectKit.OutputStream.memory()
        let fmt = FieldFormatter(registry: e.registry, resolver: e.nameResolver)
        let cols = Columns(resolver: e.nameResolver)
        let p = try make(e, out, fmt, cols)
        var interest = full ? Interest.everything(e.registry) : Interest.nothing(e.registry)
        for id in p.wanted { interest.want(id) }
        p.before()
        try e.forEachPacket(path: Fixture.path(relative), interest: interest, limit: limit) { ctx in p.print(ctx) }
        p.after()
        return out.text
    }

    static func json(_ options: JSONPrinter.Options, limit: Int = 3) throws -> String {
        try run(limit: limit, full: options.fields.isEmpty) { e, out, fmt, cols in
            let p = try JSONPrinter(out: out, engine: e, formatter: fmt, columns: cols, options: options)
            return (p.print, p.wantedFields, p.printPreamble, p.printFinale)
        }
    }

    /// Every block `"key": {` … `}` (or `[` … `]`) at exactly `indent` spaces, closing comma removed.
    static func blocks(_ text: String, key: String, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        var i = 0
        while i < lines.count {
            let l = lines[i]
            if l == pad + "\"\(key)\": {" || l == pad + "\"\(key)\": [" {
                let close = l.hasSuffix("{") ? "}" : "]"
                var j = i + 1
                while j < lines.count && lines[j] != pad + close && lines[j] != pad + close + "," { j += 1 }
                out.append((lines[i..<min(j, lines.count - 1)] + [pad + close]).joined(separator: "\n"))
                i = j
            }
            i += 1
        }
        return out
    }

    /// The balanced `{…}` that follows `"key":` in compact JSON, every occurrence.
    static func compactObjects(_ text: String, key: String) -> [String] {
        var out: [String] = []
        let needle = Array("\"\(key)\":{".utf8)
        let b = Array(text.utf8)
        var i = 0
        while i + needle.count <= b.count {
            if Array(b[i..<(i + needle.count)]) == needle {
                var depth = 0
                var j = i + needle.count - 1
                var inString = false
                repeat {
                    let c = b[j]
                    if inString {
                        if c == UInt8(ascii: "\\") { j += 1 } else if c == UInt8(ascii: "\"") { inString = false }
                    } else if c == UInt8(ascii: "\"") {
                        inString = true
                    } else if c == UInt8(ascii: "{") {
                        depth += 1
                    } else if c == UInt8(ascii: "}") {
                        depth -= 1
                    }
                    j += 1
                } while depth > 0 && j < b.count
                out.append(String(decoding: b[i..<j], as: UTF8.self))
                i = j
            } else {
                i += 1
            }
        }
        return out
    }
}

/// `-T json`, `-T jsonraw`, `-x`, `-j`/`-J`, `--no-duplicate-keys` and `-e` against tshark 4.0.17's
/// output for frames 1–3 of smtp_client_to_server.pcapng (Tests/Fixtures/Output/README.md).
final class OutputJSONTests: XCTestCase {
    func reference(_ name: String) throws -> String { try Fixture.text("Output/" + name) }

    func assertBlocks(_ ours: String, _ theirs: String, key: String, indent: Int, count: Int,
                      file: StaticString = #filePath, line: UInt = #line) {
        let a = OutputFixture.blocks(ours, key: key, indent: indent)
        let b = OutputFixture.blocks(theirs, key: key, indent: indent)
        XCTAssertEqual(b.count, count, "reference blocks of \(key)", file: file, line: line)
        XCTAssertEqual(a.count, b.count, "blocks of \(key)", file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, file: file, line: line) }
    }

    func testDocumentEnvelopeMatchesTshark() throws {
        let ours = try OutputFixture.json(JSONPrinter.Options())
        let theirs = try reference("smtp3.json")
        // The array, the Elasticsearch-style envelope and the layers object, line for line.
        let head = { (s: String) in s.split(separator: "\n").prefix(7).joined(separator: "\n") }
        XCTAssertEqual(head(ours), head(theirs))
        XCTAssertTrue(ours.hasSuffix("      }\n    }\n  }\n]\n"))
        XCTAssertEqual(ours.components(separatedBy: "\"_index\": \"packets-2026-11-22\"").count, 4)
    }

    func testFrameEthernetAndExpertSubtreesMatchTshark() throws {
        let ours = try OutputFixture.json(JSONPrinter.Options())
        let theirs = try reference("smtp3.json")
        assertBlocks(ours, theirs, key: "frame", indent: 8, count: 3)
        assertBlocks(ours, theirs, key: "eth", indent: 8, count: 3)
        // TCP flags carry the SYN expert info as a `_ws.expert` object (decimal severity/group).
        assertBlocks(ours, theirs, key: "tcp.flags_tree", indent: 10, count: 3)
        XCTAssertTrue(ours.contains("""
                      "_ws.expert": {
                        "tcp.connection.syn": "",
                        "_ws.expert.message": "Connection establish request (SYN): server port 25",
                        "_ws.expert.severity": "2097152",
                        "_ws.expert.group": "33554432"
                      }
        """))
    }

    func testHexRawMembersMatchTshark() throws {
        var o = JSONPrinter.Options()
        o.hex = true
        let ours = try OutputFixture.json(o)
        let theirs = try reference("smtp3.x.json")
        assertBlocks(ours, theirs, key: "frame_raw", indent: 8, count: 3)
        assertBlocks(ours, theirs, key: "frame", indent: 8, count: 3)
        assertBlocks(ours, theirs, key: "eth.dst_raw", indent: 10, count: 3)
        assertBlocks(ours, theirs, key: "tcp.flags_tree", indent: 10, count: 3)
    }

    func testJSONRawPrintsOnlyRawMembers() throws {
        var o = JSONPrinter.Options()
        o.raw = true
        let ours = try OutputFixture.json(o)
        let theirs = try reference("smtp3.jsonraw.json")
        assertBlocks(ours, theirs, key: "frame", indent: 8, count: 3)
        assertBlocks(ours, theirs, key: "tcp.flags_tree", indent: 10, count: 3)
        XCTAssertFalse(ours.contains("\"frame.number\":"))
    }

    func testNoDuplicateKeysMergesRepeatedFieldsIntoArrays() throws {
        var o = JSONPrinter.Options()
        o.noDuplicateKeys = true
        let ours = try OutputFixture.json(o)
        let theirs = try reference("smtp3.nodup.json")
        assertBlocks(ours, theirs, key: "eth", indent: 8, count: 3)
        assertBlocks(ours, theirs, key: "tcp.port", indent: 10, count: 3)
        XCTAssertTrue(ours.contains("          \"ip.addr\": [\n            \"127.16.16.225\",\n            \"127.16.16.221\"\n          ],"))
    }

    func testProtocolFilterKeepsNamedSubtrees() throws {
        var o = JSONPrinter.Options()
        o.protocolFilter = ["frame", "tcp"]
        let j = try OutputFixture.json(o)
        let jRef = try reference("smtp3.j.json")
        assertBlocks(j, jRef, key: "frame", indent: 8, count: 3)
        assertBlocks(j, jRef, key: "eth", indent: 8, count: 3)
        assertBlocks(j, jRef, key: "tcp.flags_tree", indent: 10, count: 3)
        o.protocolFilter = ["frame", "eth"]
        o.filterIncludesChildren = true
        let bigJ = try OutputFixture.json(o)
        let bigJRef = try reference("smtp3.J.json")
        assertBlocks(bigJ, bigJRef, key: "eth", indent: 8, count: 3)
        assertBlocks(bigJ, bigJRef, key: "tcp", indent: 8, count: 3)
    }

    func testSelectedFieldsAreArrays() throws {
        var o = JSONPrinter.Options()
        o.fields = ["frame.number", "ip.src", "_ws.col.Info"]
        XCTAssertEqual(try OutputFixture.json(o), try reference("smtp3.e.json"))
    }

    func testUnknownSelectedFieldIsRejected() {
        let e = OutputFixture.engine()
        var o = JSONPrinter.Options()
        o.fields = ["frame.number", "no.such.field"]
        XCTAssertThrowsError(try JSONPrinter(out: DissectKit.OutputStream.memory(), engine: e,
                                             formatter: FieldFormatter(registry: e.registry, resolver: e.nameResolver),
                                             columns: Columns(resolver: e.nameResolver), options: o))
    }

    func testNoPacketsGiveAnEmptyArray() throws {
        let e = OutputFixture.engine()
        let out = DissectKit.OutputStream.memory()
        let p = try JSONPrinter(out: out, engine: e, formatter: FieldFormatter(registry: e.registry, resolver: e.nameResolver),
                                columns: Columns(resolver: e.nameResolver), options: JSONPrinter.Options())
        p.printPreamble()
        p.printFinale()
        XCTAssertEqual(out.text, "[]\n") // tshark -Y 'udp' -T json on a TCP-only capture
    }
}

/// `-T ek`, `-T pdml`, `-T psml`, `-T tabs` against tshark 4.0.17 (frames 1–3).
final class OutputFormatsTests: XCTestCase {
    func reference(_ name: String) throws -> String { try Fixture.text("Output/" + name) }

    func ek(_ options: EKPrinter.Options) throws -> String {
        try OutputFixture.run(full: options.details) { e, out, fmt, cols in
            let p = try EKPrinter(out: out, engine: e, formatter: fmt, columns: cols, options: options)
            return (p.print, p.wantedFields, {}, {})
        }
    }

    func testEKIndexLinesAndFlattenedLayersMatchTshark() throws {
        let ours = try ek(EKPrinter.Options())
        let theirs = try reference("smtp3.ek.ndjson")
        let a = ours.split(separator: "\n"), b = theirs.split(separator: "\n")
        XCTAssertEqual(a.count, 6)
        XCTAssertEqual(a.count, b.count)
        for i in stride(from: 0, to: min(a.count, b.count), by: 2) {
            XCTAssertEqual(a[i], b[i]) // {"index":{"_index":"packets-2026-11-22","_type":"doc"}}
            XCTAssertEqual(a[i + 1].prefix(32), b[i + 1].prefix(32)) // {"timestamp":"…","layers":…
        }
        for key in ["frame", "eth", "_ws_expert"] {
            XCTAssertEqual(OutputFixture.compactObjects(ours, key: key), OutputFixture.compactObjects(theirs, key: key), key)
        }
        XCTAssertTrue(ours.contains("\"ip_ip_addr\":[\"127.16.16.225\",\"127.16.16.221\"]"))
        XCTAssertTrue(ours.contains("\"text\":\"Timestamps\""))
    }

    func testEKSummaryColumnsWithoutLayers() throws {
        var o = EKPrinter.Options()
        o.summary = true
        o.details = false
        XCTAssertEqual(try ek(o), try reference("smtp3.ekP.ndjson"))
    }

    func testPDMLGeneralInfoFrameAndExpertMatchTshark() throws {
        let ours = try OutputFixture.run { e, out, fmt, cols in
            let p = try PDMLPrinter(out: out, engine: e, formatter: fmt, columns: cols)
            return (p.print, [], { p.printPreamble(captureFile: "smtp_client_to_server.pcapng") }, p.printFinale)
        }
        let theirs = try reference("smtp3.pdml")
        // The preamble (minus the line with the current time), geninfo and the frame protocol.
        func section(_ s: String, from start: String, to end: String) -> [String] {
            var out: [String] = []
            var current: [String]? = nil
            for l in s.split(separator: "\n", omittingEmptySubsequences: false) {
                if l.hasPrefix(start) { current = [] }
                if current != nil { current!.append(String(l)) }
                if l.hasPrefix(end) || (l.hasPrefix(start) && l.hasSuffix("/>")), let c = current {
                    out.append(c.joined(separator: "\n"))
                    current = nil
                }
            }
            return out
        }
        let oursLines = ours.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("<pdml version") }
        XCTAssertEqual(Array(oursLines.prefix(3)), Array(theirs.split(separator: "\n", omittingEmptySubsequences: false).prefix(3)))
        for (start, end) in [("  <proto name=\"geninfo\"", "  </proto>"), ("  <proto name=\"frame\"", "  </proto>"),
                             ("      <field name=\"tcp.flags.syn\"", "      </field>")] {
            let a = section(ours, from: start, to: end), b = section(theirs, from: start, to: end)
            XCTAssertEqual(b.count, 3, start)
            XCTAssertEqual(a, b, start)
        }
        XCTAssertTrue(ours.hasSuffix("</packet>\n\n\n</pdml>\n"))
    }

    func testPSMLMatchesTshark() throws {
        let ours = try OutputFixture.run(full: false) { _, out, _, cols in
            let p = PSMLPrinter(out: out, columns: cols)
            return (p.print, [], p.printPreamble, p.printFinale)
        }
        XCTAssertEqual(ours, try reference("smtp3.psml"))
    }

    func testTabsMatchTshark() throws {
        let ours = try OutputFixture.run(full: false) { _, out, _, cols in
            let p = TabsPrinter(out: out, columns: cols)
            return (p.print, [], {}, {})
        }
        XCTAssertEqual(ours, try reference("smtp3.tabs.txt"))
    }
}

/// The structured printers are generic: a protocol they have never seen comes out with tshark's
/// rules (values, `_tree` objects, byte-valued "in name only" protocols, text lines, hidden and
/// generated items, expert infos, string escaping). Expected texts written by hand from tshark
/// 4.0's print.c rules and checked against tshark's output for the TCP options above.
final class OutputGenericTreeTests: XCTestCase {
    /// A made-up protocol on link type 147 (LINKTYPE_USER0).
    final class DemoDissector: Dissector {
        var proto = FieldID.textOnly, kind = FieldID.textOnly, flag = FieldID.textOnly, name = FieldID.textOnly
        var option = FieldID.textOnly, optionLength = FieldID.textOnly, hidden = FieldID.textOnly
        var expert = FieldID.textOnly, total = FieldID.textOnly

        func register(_ r: Registrar) {
            proto = r.registerProtocol(name: "Demo Protocol", shortName: "DEMO", abbrev: "demo")
            kind = r.field("Kind", "demo.kind", .uint8, .hex, in: proto)
            flag = r.field("Flag", "demo.flag", .boolean, bitmask: 0x80, bitWidth: 8, in: proto)
            name = r.field("Name", "demo.name", .string, in: proto)
            option = r.registerProtocol(name: "Demo Option", shortName: "Option", abbrev: "demo.opt")
            optionLength = r.field("Length", "demo.opt.len", .uint8, .dec, in: proto)
            hidden = r.field("Hidden", "demo.hidden", .uint16, .dec, in: proto)
            total = r.field("Total", "demo.total", .uint32, .dec, in: proto)
            expert = r.expert("demo.odd", "Odd kind", .warning, .protocol, in: proto)
            r.registerLinkType(147, r.handle(proto, self))
        }

        func dissect(_ p: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
            let top = p.addProtocol(proto, data, 0, data.count, parent: parent, text: "Demo Protocol")
            let k = p.add(kind, data, 0, 1, .uint(UInt64(try data.u8(0))), parent: top)
            p.add(flag, data, 0, 1, .uint(UInt64(try data.u8(0) >> 7)), parent: k)
            p.addExpert(expert, parent: k, message: "Odd kind 0x81")
            p.add(name, data, 1, 5, .string, parent: top)
            for off in [7, 9] {
                // A protocol item holding its bytes, as TCP adds its options.
                let o = p.add(option, data, off, 2, .bytes, parent: top)
                p.setLabel(o, "Demo Option")
                p.add(optionLength, data, off + 1, 1, .uint(UInt64(try data.u8(off + 1))), parent: o)
            }
            p.add(hidden, data, 7, 2, .uint(7), parent: top, flags: .hidden)
            let t = p.addText("Summary", data, 0, 0, parent: top)
            p.addGenerated(total, .uint(11), parent: t)
            return .consumed(data.count)
        }
    }

    func demo(_ body: (Engine, PacketContext) -> Void) {
        setenv("TZ", "UTC", 1)
        tzset()
        let e = Engine()
        let d = DemoDissector()
        d.register(e.registrar())
        e.interfaces = [InterfaceInfo(linkType: 147)]
        var ctx = e.makeContext(interest: .everything(e.registry))
        // kind 0x81; name `a"b\r\n`, a pad byte; two options.
        let bytes: [UInt8] = [0x81, 0x61, 0x22, 0x62, 0x0d, 0x0a, 0x00, 0x01, 0x02, 0x01, 0x02]
        var meta = FrameMetadata()
        meta.number = 1
        meta.capturedLength = bytes.count
        meta.originalLength = bytes.count
        meta.linkType = 147
        meta.timestamp = Timestamp(seconds: 1_795_373_728, nanoseconds: 819_452_581)
        bytes.withUnsafeBytes { b in
            e.dissect(&ctx, frame: meta, bytes: b)
            body(e, ctx)
        }
    }

    func json(_ options: JSONPrinter.Options) -> String {
        var text = ""
        demo { e, ctx in
            let out = DissectKit.OutputStream.memory()
            let p = try! JSONPrinter(out: out, engine: e, formatter: FieldFormatter(registry: e.registry, resolver: NameResolver(loadSystemFiles: false)),
                                     columns: Columns(resolver: NameResolver(loadSystemFiles: false)), options: options)
            p.print(ctx)
            text = out.text
        }
        return text
    }

    func testJSONFollowsTsharkRulesForAnyProtocol() {
        let ours = json(JSONPrinter.Options())
        XCTAssertEqual(OutputFixture.blocks(ours, key: "demo", indent: 6), ["""
              "demo": {
                "demo.kind": "0x81",
                "demo.kind_tree": {
                  "demo.flag": "1",
                  "_ws.expert": {
                    "demo.odd": "",
                    "_ws.expert.message": "Odd kind 0x81",
                    "_ws.expert.severity": "6291456",
                    "_ws.expert.group": "150994944"
                  }
                },
                "demo.name": "a\\"b\\r\\n",
                "demo.opt": "01:02",
                "demo.opt_tree": {
                  "demo.opt.len": "2"
                },
                "demo.opt": "01:02",
                "demo.opt_tree": {
                  "demo.opt.len": "2"
                },
                "demo.hidden": "7",
                "Summary": {
                  "demo.total": "11"
                }
              }
        """])
    }

    func testNoDuplicateKeysAndRawValues() {
        var o = JSONPrinter.Options()
        o.noDuplicateKeys = true
        o.hex = true
        let ours = json(o)
        XCTAssertTrue(ours.contains("""
                "demo.opt_raw": [
                  [
                    "0102",
                    7,
                    2,
                    0,
                    30
                  ],
                  [
                    "0102",
                    9,
                    2,
                    0,
                    30
                  ]
                ],
                "demo.opt": [
                  "01:02",
                  "01:02"
                ],
                "demo.opt_tree": [
                  {
                    "demo.opt.len_raw": [
        """), ours)
        // A bitmask field's raw value is its masked value in upper-case hex.
        XCTAssertTrue(ours.contains("\"demo.flag_raw\": [\n            \"1\",\n            0,\n            1,\n            128,\n            2\n"), ours)
        // A text line has no raw member.
        XCTAssertFalse(ours.contains("Summary_raw"))
    }

    func testEKFlattensFieldsBelowProtocols() {
        var text = ""
        demo { e, ctx in
            let out = DissectKit.OutputStream.memory()
            let r = NameResolver(loadSystemFiles: false)
            let p = try! EKPrinter(out: out, engine: e, formatter: FieldFormatter(registry: e.registry, resolver: r),
                                   columns: Columns(resolver: r), options: EKPrinter.Options())
            p.print(ctx)
            text = out.text
        }
        XCTAssertEqual(OutputFixture.compactObjects(text, key: "demo"), [
            "\"demo\":{\"demo_demo_kind\":\"0x81\",\"demo_demo_flag\":true,\"_ws_expert\":{\"demo_demo_odd\":null,"
            + "\"_ws_expert__ws_expert_message\":\"Odd kind 0x81\",\"_ws_expert__ws_expert_severity\":\"6291456\","
            + "\"_ws_expert__ws_expert_group\":\"150994944\"},\"demo_demo_name\":\"a\\\"b\\r\\n\","
            + "\"demo_opt\":[\"01:02\",\"01:02\"],\"demo_demo_opt_len\":[\"2\",\"2\"],\"demo_demo_hidden\":\"7\","
            + "\"text\":\"Summary\",\"demo_demo_total\":\"11\"}",
        ])
        XCTAssertTrue(text.hasPrefix("{\"index\":{\"_index\":\"packets-2026-11-22\",\"_type\":\"doc\"}}\n{\"timestamp\":\"1795373728819\","))
    }

    func testPDMLMarksHiddenFieldsAndEscapesValues() {
        var text = ""
        demo { e, ctx in
            let out = DissectKit.OutputStream.memory()
            let r = NameResolver(loadSystemFiles: false)
            let p = try! PDMLPrinter(out: out, engine: e, formatter: FieldFormatter(registry: e.registry, resolver: r),
                                     columns: Columns(resolver: r))
            p.print(ctx)
            text = out.text
        }
        XCTAssertTrue(text.contains("""
            <field name="demo.name" showname="Name: a&quot;b\\r\\n" size="5" pos="1" show="a&quot;b\r\n" value="6122620d0a"/>
        """), text)
        XCTAssertTrue(text.contains("""
              <field name="demo.flag" showname="1... .... = Flag: Set" size="1" pos="0" show="1" value="1" unmaskedvalue="81"/>
        """), text)
        XCTAssertTrue(text.contains("<field name=\"demo.hidden\" showname=\"Hidden: 7\" hide=\"yes\" size=\"2\" pos=\"7\" show=\"7\" value=\"0102\"/>"), text)
        XCTAssertTrue(text.contains("<field name=\"demo.opt\" showname=\"Demo Option\" size=\"2\" pos=\"7\" show=\"01:02\" value=\"0102\">"), text)
        XCTAssertTrue(text.contains("<field name=\"\" show=\"Summary\" size=\"0\" pos=\"0\">"), text)
    }
}
