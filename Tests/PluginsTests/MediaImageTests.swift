import DissectKit
import Foundation
@testable import Plugins
import TestSupport
import XCTest

/// The image parts of tshark's `-V` output and the captures they come from (Fixtures/Media).
enum MediaFixture {
    /// The protocols cut out of `-V` output (the format of `Media/*.media.txt`, made by
    /// `Media/excerpt.py` from tshark 4.0.17's output).
    static let tops = ["Portable Network Graphics", "Compuserve GIF", "JPEG File Interchange Format", "Media Type",
                       "[Malformed Packet", "Internet Message Format"]

    /// For every frame: its "[Protocols in frame: …]" line and the top-level blocks of `tops`.
    static func excerpt(_ verbose: String) -> [Int: [String]] {
        var out: [Int: [String]] = [:]
        var frame = 0
        var on = false
        for line in verbose.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Frame "), let n = Int(line.dropFirst(6).prefix { $0.isNumber }) {
                frame = n
                on = false
                out[frame] = []
                continue
            }
            if line.hasPrefix("    [Protocols in frame: ") {
                out[frame, default: []].append(String(line))
                continue
            }
            if !line.isEmpty && !line.hasPrefix(" ") {
                on = tops.contains { line.hasPrefix($0) }
            }
            if on && !line.isEmpty { out[frame, default: []].append(String(line)) }
        }
        return out
    }

    /// A stored excerpt ("#N" then the frame's lines).
    static func reference(_ name: String) throws -> [Int: [String]] {
        var out: [Int: [String]] = [:]
        var frame = 0
        for line in try Fixture.text("Media/" + name).split(separator: "\n") {
            if line.hasPrefix("#"), let n = Int(line.dropFirst()) {
                frame = n
                out[frame] = []
                continue
            }
            out[frame, default: []].append(String(line))
        }
        return out
    }

    /// Our `-V` excerpt of `NAME.pcap` against `NAME.media.txt`: the frames that differ.
    static func verboseDifferences(_ name: String, prefs: [String] = [], variant: String = "",
                                   filter: ([String]) -> [String] = { $0 }) throws -> [String] {
        let ours = excerpt(try Fixture.verbose("Media/\(name).pcap", prefs: prefs))
        return MailFixture.differences(ours, try reference("\(name)\(variant).media.txt"), filter: filter)
    }

    /// Our packet list of `NAME.pcap` and tshark's `NAME.summary.txt`, white space runs folded.
    static func summaries(_ name: String, prefs: [String] = [], variant: String = "") throws
        -> (ours: [String], reference: [String]) {
        func lines(_ text: String) -> [String] {
            text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        }
        return (lines(try Fixture.summary("Media/\(name).pcap", prefs: prefs)),
                lines(try Fixture.text("Media/\(name).summary\(variant).txt")))
    }

    /// `-T fields` with the columns of `NAME.fields.tsv` (tshark's, with a header line).
    static func fields(_ name: String) throws -> (ours: [[String]], reference: [[String]]) {
        let reference = try Fixture.text("Media/\(name).fields.tsv").split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let ours = try Fixture.fields("Media/\(name).pcap", reference[0])
        return (ours, Array(reference.dropFirst()))
    }

    /// The HTTP bodies of a fixture capture (each frame holds one whole response).
    static func bodies(_ name: String) throws -> [[UInt8]] {
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixture.path("Media/\(name).pcap"))))
        var out: [[UInt8]] = []
        var offset = 24
        while offset + 16 <= file.count {
            let length = Int(file[offset + 8]) | Int(file[offset + 9]) << 8 | Int(file[offset + 10]) << 16
                | Int(file[offset + 11]) << 24
            let frame = Array(file[(offset + 16)..<(offset + 16 + length)])
            offset += 16 + length
            let crlf2: [UInt8] = [13, 10, 13, 10]
            guard let end = (0..<(frame.count - 3)).first(where: { Array(frame[$0..<($0 + 4)]) == crlf2 }) else { continue }
            out.append(Array(frame[(end + 4)...]))
        }
        return out
    }

    /// Runs the dissector registered as `name` over `bytes` with the given interest; returns
    /// the `-V` lines (empty without a tree), Info and whether the packet came out malformed.
    static func run(_ name: String, _ bytes: [UInt8], engine e: Engine, everything: Bool, print: Bool = true)
        -> (lines: [String], info: String, malformed: Bool, result: DissectResult?) {
        guard let handle = e.namedDissectors[name] else { return ([], "", false, nil) }
        var ctx = e.makeContext(interest: everything ? .everything(e.registry) : .nothing(e.registry))
        return bytes.withUnsafeBytes { buf in
            ctx.reset()
            ctx.sources.frame = buf
            var meta = FrameMetadata()
            meta.number = 1
            meta.capturedLength = buf.count
            meta.originalLength = buf.count
            ctx.frame = meta
            let result = ctx.call(handle, ByteView(buf))
            var lines: [String] = []
            if everything && print {
                let out = OutputStream.memory()
                TreePrinter(out: out, formatter: FieldFormatter(registry: e.registry,
                                                                resolver: NameResolver(loadSystemFiles: false))).print(ctx)
                lines = out.text.split(separator: "\n").map(String.init)
            }
            return (lines, ctx.info.string, ctx.isMalformed, result)
        }
    }
}

/// PNG, GIF and JFIF bodies handed on by media type (HTTP, IMF) or recognised by signature
/// (the `http` heuristics), checked against tshark 4.0.17 on crafted captures
/// (Fixtures/Media/make_fixtures.py) and one real PNG.
final class MediaImageTests: XCTestCase {
    // MARK: PNG

    /// png-http.pcap: IHDR, gAMA, cHRM (floats shown with FLT_DIG digits), sRGB, pHYs, tIME,
    /// the three bKGD layouts, tEXt in Latin-1, chunks tshark only shows as "Data" (zTXt,
    /// iTXt, iCCP, private ones), a truncated image, a short IHDR and tIME, bytes after IEND,
    /// bodies too small or with a wrong signature (left to "Media Type"), and "Image/PNG".
    func testPNGChunksAsTsharkShowsThem() throws {
        XCTAssertEqual(try MediaFixture.verboseDifferences("png-http"), [])
        let s = try MediaFixture.summaries("png-http")
        XCTAssertEqual(s.ours, s.reference)
        XCTAssertTrue(s.ours[4].hasSuffix("HTTP/1.1 200 OK (PNG)[Malformed Packet]"), s.ours[4])
    }

    /// png-lengths.pcap: chunk lengths near 2^31 and 2^32. tshark sizes the chunk item as
    /// 12 + length in a C int, so some lengths wrap to a small item and get the "chunk size too
    /// large" warning while others throw before the chunk line.
    func testPNGChunkLengthsThatWrap() throws {
        XCTAssertEqual(try MediaFixture.verboseDifferences("png-lengths"), [])
        let s = try MediaFixture.summaries("png-lengths")
        XCTAssertEqual(s.ours, s.reference)
        let lines = try MediaFixture.reference("png-lengths.media.txt")[5] ?? []
        XCTAssertTrue(lines.contains("        Len: 4294967284"))
    }

    /// A real image: the Zeek logo (pHYs, PLTE, tRNS, IDAT) from Zeek's rfc3030 test capture.
    func testRealPNG() throws {
        XCTAssertEqual(try MediaFixture.verboseDifferences("png-zeek-logo"), [])
        let s = try MediaFixture.summaries("png-zeek-logo")
        XCTAssertEqual(s.ours, s.reference)
    }

    // MARK: GIF

    /// gif-http.pcap: GIF87a; GIF89a with a pixel aspect ratio, every extension label (and an
    /// unknown one), a local colour table and 255-byte data blocks; stray bytes ("Unknown GIF
    /// data block type"); a data block and a colour table cut short; a body under 20 bytes.
    func testGIFBlocksAsTsharkShowsThem() throws {
        XCTAssertEqual(try MediaFixture.verboseDifferences("gif-http"), [])
        let s = try MediaFixture.summaries("gif-http")
        XCTAssertEqual(s.ours, s.reference)
        let lines = try MediaFixture.reference("gif-http.media.txt")[2] ?? []
        // tshark's own arithmetic: 0x70 in the flags reads "7 bits per color" for a field of 7.
        XCTAssertTrue(lines.contains("    Global settings: (Global color table present) (7 bits per color) (2 bits per pixel)"))
    }

    /// gif-mail.pcap: a whole mail whose body is a base64 GIF89a: IMF decodes it and hands it to
    /// `media_type`, Info ends in " (GIF89a)".
    func testGIFMailBody() throws {
        XCTAssertEqual(try MediaFixture.verboseDifferences("gif-mail"), [])
        let s = try MediaFixture.summaries("gif-mail")
        XCTAssertEqual(s.ours, s.reference)
        XCTAssertTrue(s.ours[12].hasSuffix("from: A <a@client.example>, subject: one gif, (GIF89a)"), s.ours[12])
    }

    // MARK: JFIF

    /// jfif-http.pcap: SOI, APP0 JFIF (with a thumbnail), JFXX and other identifiers, COM,
    /// DQT, SOF0/SOF2 with sampling factors, DHT, DRI, SOS, entropy-coded data with stuffed
    /// bytes and restart markers, fill bytes, TEM and a reserved marker, Exif APP1 with IFDs
    /// and rational values, APP2 FPXR, a truncated image, and "image/jpg" / "image/jfif".
    func testJFIFMarkersAsTsharkShowsThem() throws {
        XCTAssertEqual(try MediaFixture.verboseDifferences("jfif-http"), [])
        let s = try MediaFixture.summaries("jfif-http")
        XCTAssertEqual(s.ours, s.reference)
    }

    /// jfif-edge.pcap: broken segments. tshark's segment parsers (except APP1's) return at once
    /// when it builds no tree, so a summary-only run marks fewer packets malformed than `-V`
    /// or `-T fields`; a read inside a segment's length but past the data is tshark's
    /// ContainedBoundsError, with its own words in the tree and in Info. Also every IFD0, Exif,
    /// GPS and Interoperability tag name, all value types, bogus offsets, a chained IFD1.
    func testJFIFEdgeCasesFollowTsharkWithAndWithoutTree() throws {
        XCTAssertEqual(try MediaFixture.verboseDifferences("jfif-edge"), [])
        let s = try MediaFixture.summaries("jfif-edge")
        XCTAssertEqual(s.ours, s.reference)
        // Without a tree the first frame (thumbnail larger than its segment) is fine …
        XCTAssertFalse(s.ours[0].contains("Malformed"), s.ours[0])
        // … with one it is not.
        let verbose = try MediaFixture.reference("jfif-edge.media.txt")
        XCTAssertTrue(verbose[1]?.contains("[Malformed Packet: JFIF (JPEG) image]") ?? false)
        XCTAssertTrue(verbose[10]?.contains(
            "[Malformed Packet: JFIF (JPEG) image: length of contained item exceeds length of containing item]") ?? false)
        let f = try MediaFixture.fields("jfif-edge")
        XCTAssertEqual(f.ours, f.reference)
        XCTAssertEqual(f.ours[11].last,
                       "HTTP/1.1 200 OK  (JPEG JFIF image)[Malformed Packet: length of contained item exceeds length of containing item]")
    }

    // MARK: hand-offs

    /// http-heuristics.pcap: an image under another media type, under none, under a type
    /// whose dissector declines it (PNG's "subdissector failed", then GIF by signature), text
    /// and octet-stream bodies that stay text and data, and bodies no image dissector takes.
    func testHTTPHeuristicsFindImagesBySignature() throws {
        XCTAssertEqual(try MediaFixture.verboseDifferences("http-heuristics"), [])
        let s = try MediaFixture.summaries("http-heuristics")
        XCTAssertEqual(s.ours, s.reference)
    }

    /// images-mail.pcap: a multipart mail with base64 image parts. tshark's multipart does not
    /// decode base64 (mime_multipart.remove_base64_encoding is off), so the image dissectors
    /// see base64 text, decline it, and each part falls back to "Media Type".
    func testBase64MultipartPartsFallBackToMedia() throws {
        XCTAssertEqual(try MediaFixture.verboseDifferences("images-mail", filter: MailFixture.withoutAdditions), [])
        let s = try MediaFixture.summaries("images-mail")
        XCTAssertEqual(s.ours, s.reference)
        XCTAssertTrue(s.ours[12].hasSuffix("(image/png) (image/gif) (image/jpeg) (image/png)"), s.ours[12])
    }

    /// The same mail with `-o mime_multipart.remove_base64_encoding:TRUE`: each part is decoded
    /// into a data source named after its file and handed on, so the PNG, GIF and JFIF
    /// dissectors show it; the cut PNG's exception ends the multipart, as in tshark (no last
    /// boundary).
    func testDecodedMultipartPartsReachTheImageDissectors() throws {
        let prefs = ["mime_multipart.remove_base64_encoding:TRUE"]
        XCTAssertEqual(try MediaFixture.verboseDifferences("images-mail", prefs: prefs, variant: ".remove_base64",
                                                           filter: MailFixture.withoutAdditions), [])
        let s = try MediaFixture.summaries("images-mail", prefs: prefs, variant: ".remove_base64")
        XCTAssertEqual(s.ours, s.reference)
        XCTAssertTrue(s.ours[12].hasSuffix("(PNG) (GIF87a) (JPEG JFIF image) (PNG)[Malformed Packet]"), s.ours[12])
        let lines = MediaFixture.excerpt(try Fixture.verbose("Media/images-mail.pcap", prefs: prefs))[13] ?? []
        XCTAssertFalse(lines.contains { $0.contains("Last boundary") })
    }

    /// Field values under `-T fields` (a tree is built, as in tshark): floats, Latin-1 text,
    /// "<none>" for an empty GIF data block, local bits per pixel under `image-gif.global.bpp`,
    /// TIFF values in either byte order.
    func testFieldValues() throws {
        for name in ["png-http", "png-lengths", "gif-http", "jfif-http", "jfif-edge"] {
            let f = try MediaFixture.fields(name)
            XCTAssertEqual(f.ours, f.reference, name)
        }
    }

    /// Every field and expert of the three protocols as `tshark -G fields` lists them.
    func testGlossaryMatchesTshark() throws {
        let e = Fixture.engine()
        let lines = try Fixture.text("Media/glossary.txt").split(separator: "\n")
        XCTAssertEqual(lines.count, 42 + 26 + 66)
        for line in lines {
            let c = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let id = e.registry.lookup(c[2]) else {
                XCTFail("missing \(c[2])")
                continue
            }
            let f = e.registry[id]
            XCTAssertEqual(f.name, c[1], c[2])
            XCTAssertEqual(f.type.tsharkName, c[3], c[2])
            XCTAssertEqual(e.registry[f.protocolID].abbrev, c[4], c[2])
            XCTAssertEqual("0x" + String(f.bitmask, radix: 16), c[6], c[2])
            XCTAssertEqual(f.blurb, c[7], c[2])
            if f.type.isInteger { XCTAssertEqual(f.base.tsharkName, c[5], c[2]) }
        }
    }

    // MARK: robustness

    /// Every prefix of every fixture image, and images with bytes changed, through each
    /// dissector with and without a tree: they finish, take or decline the bytes, and never
    /// trap. (A cut image is the normal case for a capture that lost its tail.)
    func testTruncatedAndDamagedImagesNeverCrash() throws {
        let e = Fixture.engine()
        var images: [[UInt8]] = []
        for name in ["png-http", "png-zeek-logo", "gif-http", "jfif-http", "jfif-edge"] {
            images += try MediaFixture.bodies(name)
        }
        XCTAssertGreaterThan(images.count, 30)
        var rng = SplitMix(seed: 0x5eed)
        var runs = 0
        for image in images {
            var variants: [[UInt8]] = stride(from: 0, through: image.count, by: max(1, image.count / 250)).map {
                Array(image[..<$0])
            }
            for _ in 0..<40 where !image.isEmpty {
                var damaged = image
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    damaged[Int(rng.next() % UInt64(damaged.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
                variants.append(damaged)
            }
            for v in variants {
                for name in ["png", "image-gif", "image-jfif"] {
                    for everything in [true, false] {
                        let r = MediaFixture.run(name, v, engine: e, everything: everything, print: false)
                        XCTAssertNotNil(r.result)
                        runs += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(runs, 5_000)
    }

    /// A PNG is taken only with its signature and 20 bytes; GIF and JFIF likewise need 20 bytes
    /// and their magic (tshark's checks), so other media types' bodies are left alone.
    func testSignaturesDecideWhatIsTaken() {
        let e = Fixture.engine()
        // Signature and an empty IEND chunk: exactly 20 bytes.
        let png: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] + [0, 0, 0, 0] + Array("IEND".utf8)
            + [0xae, 0x42, 0x60, 0x82]
        XCTAssertEqual(MediaFixture.run("png", Array(png.dropLast()), engine: e, everything: true).result, .notMine)
        let r = MediaFixture.run("png", png, engine: e, everything: true)
        XCTAssertEqual(r.info, " (PNG)")
        XCTAssertEqual(r.lines.last, "        CRC: 0xae426082")
        XCTAssertEqual(MediaFixture.run("png", png + [0], engine: e, everything: false).info, " (PNG)[Malformed Packet]")
        XCTAssertEqual(r.lines.prefix(2), ["Portable Network Graphics", "    PNG Signature: 89504e470d0a1a0a"])
        let gif87 = Array("GIF87a".utf8) + [UInt8](repeating: 0, count: 13) + [0x3b]
        XCTAssertEqual(MediaFixture.run("image-gif", gif87, engine: e, everything: false).info, " (GIF87a)")
        XCTAssertEqual(MediaFixture.run("image-gif", Array("GIF88a".utf8) + gif87.dropFirst(6), engine: e,
                                        everything: false).result, .notMine)
        let jfif: [UInt8] = [0xff, 0xd8, 0xff, 0xe0, 0, 16] + Array("JFIF\0".utf8) + [UInt8](repeating: 0, count: 11)
            + [0xff, 0xd9]
        XCTAssertEqual(MediaFixture.run("image-jfif", jfif, engine: e, everything: false).info, "(JPEG JFIF image)")
        var notJFIF = jfif
        notJFIF[9] = UInt8(ascii: "X")
        XCTAssertEqual(MediaFixture.run("image-jfif", notJFIF, engine: e, everything: false).result, .notMine)
    }
}

/// A small deterministic generator for the damaged-image test.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
