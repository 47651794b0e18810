@testable import DissectKit
import TestSupport
import Foundation
import XCTest

/// The `frame` pseudo-protocol (`-V`, `-T fields`) and the `-x` dump, against tshark 4.0.17's
/// output for the fixtures of `Tests/Fixtures/Capture`.
final class FrameTests: XCTestCase {
    func testPcapngFrameTreesMatchTshark() throws {
        // Comments tree, interface names (name, else description, else hardware, else
        // "unknown"), packet flags with direction, queue, packet id, drop count, point-to-point
        // direction, records without time stamps, the Custom Block record, and tshark 4.0's
        // section-relative interface lookup in the second section.
        for f in ["features.pcapng", "sections.pcapng"] {
            XCTAssertEqual(CaptureFixture.frameTrees(try Fixture.verbose("Capture/" + f)),
                           try Fixture.text("Capture/\(f).frames.txt"), f)
        }
    }

    func testFrameLineWordsSingularByte() {
        XCTAssertEqual(FrameDissector.bytesAndBits(1, "on wire"), "1 byte on wire (8 bits)")
        XCTAssertEqual(FrameDissector.bytesAndBits(0, ""), "0 bytes (0 bits)")
        XCTAssertEqual(FrameDissector.bytesAndBits(74, "captured"), "74 bytes captured (592 bits)")
    }

    func testLongCommentLabelIsTruncatedLikeTshark() {
        let long = String(repeating: "abcdefghij", count: 30)
        let label = FrameDissector.label(long)
        XCTAssertTrue(label.hasPrefix(" [truncated]abcdefghij"))
        XCTAssertEqual(label.utf8.count, 238)
        XCTAssertEqual(FrameDissector.label("short"), "short")
        // never cut inside a UTF-8 character
        let wide = String(repeating: "é", count: 200)
        XCTAssertEqual(FrameDissector.label(wide), " [truncated]" + String(repeating: "é", count: 113))
    }

    func testEncapsulationNumbersAreWiretaps() {
        XCTAssertEqual(WTAP.encap(forLinkType: 1), 1)
        XCTAssertEqual(WTAP.encap(forLinkType: 0), 15)      // NULL/Loopback
        XCTAssertEqual(WTAP.encap(forLinkType: 101), 7)     // Raw IP
        XCTAssertEqual(WTAP.encap(forLinkType: 113), 25)    // Linux cooked v1
        XCTAssertEqual(WTAP.encap(forLinkType: 276), 210)   // Linux cooked v2
        XCTAssertEqual(WTAP.encap(forLinkType: 228), 129)   // Raw IPv4
        XCTAssertEqual(WTAP.encap(forLinkType: 229), 130)   // Raw IPv6
        XCTAssertEqual(WTAP.encap(forLinkType: 108), 174)   // OpenBSD loopback
        XCTAssertEqual(WTAP.encap(forLinkType: 4), 0)       // unknown
        XCTAssertEqual(WTAP.names[15], "NULL/Loopback")
        XCTAssertEqual(WTAP.names[210], "Linux cooked-mode capture v2")
    }

    func testHexDumpMatchesTshark() throws {
        for f in ["le-usec.pcap", "be-nsec.pcap", "fcs.pcap", "features.pcapng", "sections.pcapng"] {
            XCTAssertEqual(try CaptureFixture.hex(f), try Fixture.text("Capture/\(f).hex.txt"), f)
        }
    }

    func testHexDumpOfSeveralDataSourcesNamesEachOne() throws {
        // tshark: "Frame (N bytes):" before the frame's dump, then each source's name and size.
        let e = Engine()
        var ctx = e.makeContext(interest: .nothing(e.registry))
        let frame: [UInt8] = Array(0..<20)
        let out = OutputStream.memory()
        frame.withUnsafeBytes { raw in
            var meta = FrameMetadata()
            meta.capturedLength = 20
            meta.originalLength = 20
            e.dissect(&ctx, frame: meta, bytes: raw)
            ctx.sources.extra.append(DataSources.Source(name: "Reassembled TCP", bytes: Array("ehlo\r\n".utf8)))
            HexPrinter(out: out).print(ctx)
        }
        XCTAssertEqual(out.text, """
            Frame (20 bytes):
            0000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f   ................
            0010  10 11 12 13                                       ....
            Reassembled TCP (6 bytes):
            0000  65 68 6c 6f 0d 0a                                 ehlo..

            """)
    }

    func testHexOffsetsWidenForLargeData() {
        let out = OutputStream.memory()
        let data = [UInt8](repeating: 0x41, count: 0x10001)
        data.withUnsafeBytes { HexPrinter(out: out).dump($0) }
        let lines = out.text.split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("00000  41 41"))
        XCTAssertEqual(lines.last.map(String.init), "10000  41" + String(repeating: " ", count: 48) + "A")
    }
}
/// Helpers shared by the capture and frame tests: reading every record of a fixture, the
/// frame-only part of `-V`, the frame fields of `-T fields`, the `-x` dump.
enum CaptureFixture {
    static func path(_ name: String) -> String { Fixture.path("Capture/" + name) }

    /// The frame fields the references were made with (`fields.list`).
    static func fieldNames() throws -> [String] {
        try Fixture.text("Capture/fields.list").split(separator: "\n").map(String.init)
    }

    /// Every record's metadata, bytes and comments, as the reader delivers them.
    static func records(_ name: String) throws -> [(meta: FrameMetadata, bytes: [UInt8], comments: [String])] {
        let reader = try openCapture(path: path(name))
        var out: [(FrameMetadata, [UInt8], [String])] = []
        while let p = try reader.next() { out.append((p.meta, Array(p.bytes), p.comments)) }
        return out
    }

    /// The "Packet comments", "Frame …" and "PCAPNG Custom Block …" trees of `-V`, without the
    /// `[Protocols in frame: …]` lines (they depend on the other protocols' dissectors).
    static func frameTrees(_ verbose: String) -> String {
        var keep = false
        var out: [Substring] = []
        for line in verbose.split(separator: "\n", omittingEmptySubsequences: false) {
            if let c = line.first, c != " " {
                keep = line.hasPrefix("Frame ") || line.hasPrefix("Packet comments") || line.hasPrefix("PCAPNG Custom")
            } else if line.isEmpty {
                keep = false
            }
            if keep && !line.contains("[Protocols in frame:") { out.append(line) }
        }
        return out.joined(separator: "\n") + (out.isEmpty ? "" : "\n")
    }

    /// `-x` without `-V`: each packet's dump followed by a blank line.
    static func hex(_ name: String) throws -> String {
        let e = Fixture.engine()
        let out = OutputStream.memory()
        let printer = HexPrinter(out: out)
        try e.forEachPacket(path: path(name), interest: .nothing(e.registry)) { ctx in
            printer.print(ctx)
            out.write("\n")
        }
        return out.text
    }

    /// `-T fields` rows joined back into tshark's text.
    static func fields(_ name: String) throws -> String {
        try Fixture.fields("Capture/" + name, fieldNames()).map { $0.joined(separator: "\t") + "\n" }.joined()
    }

    /// A fixture with some bytes replaced and/or cut, written to a temporary file.
    static func variant(_ name: String, cut: Int? = nil, patches: [(Int, String)] = []) throws -> String {
        var d = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
        for (offset, hex) in patches {
            var bytes: [UInt8] = []
            var i = hex.startIndex
            while i < hex.endIndex {
                let j = hex.index(i, offsetBy: 2)
                bytes.append(UInt8(hex[i..<j], radix: 16)!)
                i = j
            }
            d.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        }
        if let cut { d = Array(d.prefix(cut)) }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("dissect-capture-\(UUID().uuidString)-" + name)
        try Data(d).write(to: url)
        return url.path
    }
}
