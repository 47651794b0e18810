@testable import DissectKit
import TestSupport
import Foundation
import XCTest

/// Damaged, cut and odd files: every packet that can be read comes out, then one error in
/// tshark 4.0.17's words (`CaptureError.message`; the CLI prints it after "dissect: " and exits
/// with 2). Each variant is a fixture cut and/or patched; the expectations were taken by running
/// `tshark -r` on the same bytes.
final class CaptureErrorTests: XCTestCase {
    struct Variant {
        let file: String
        let cut: Int?
        let patches: [(Int, String)]
        /// Packets read before the error.
        let packets: Int
        /// The message, with FILE for the path; nil when the file reads without error.
        let message: String?
    }

    static let cutOpen = "The file \"FILE\" appears to have been cut short in the middle of a packet or other data."
    static let cutRead = "The file \"FILE\" appears to have been cut short in the middle of a packet."
    static func damaged(_ d: String) -> String { "The file \"FILE\" appears to be damaged or corrupt.\n(\(d))" }
    static func unsupported(_ d: String) -> String {
        "The file \"FILE\" contains record data that TShark doesn't support.\n(\(d))"
    }

    let variants: [Variant] = [
        // pcap
        Variant(file: "le-usec.pcap", cut: 10, patches: [], packets: 0, message: cutOpen),
        Variant(file: "le-usec.pcap", cut: 24, patches: [], packets: 0, message: nil),
        Variant(file: "be-usec.pcap", cut: 166, patches: [], packets: 2, message: cutRead),
        Variant(file: "le-usec.pcap", cut: nil, patches: [(4, "0100")], packets: 0,
                message: unsupported("pcap: major version 1 unsupported")),
        Variant(file: "le-usec.pcap", cut: nil, patches: [(20, "04000000")], packets: 0,
                message: unsupported("pcap: network type 4 unknown or unsupported")),
        Variant(file: "le-usec.pcap", cut: nil, patches: [(32, "e0930400")], packets: 0,
                message: damaged("pcap: File has 300000-byte packet, bigger than maximum of 262144")),
        // gzip: a cut stream is a cut file, even at a record boundary; a bad trailer is a
        // decompression error after all the data.
        Variant(file: "le-usec.pcap.gz", cut: 135, patches: [], packets: 3, message: cutRead),
        Variant(file: "le-usec.pcap.gz", cut: 12, patches: [], packets: 0, message: cutOpen),
        Variant(file: "le-usec.pcap.gz", cut: nil, patches: [(133, "ff")], packets: 3,
                message: "The file \"FILE\" cannot be decompressed; it may be damaged or corrupt.\n(bad CRC)"),
        Variant(file: "le-usec.pcap.gz", cut: nil, patches: [(137, "ff")], packets: 3,
                message: "The file \"FILE\" cannot be decompressed; it may be damaged or corrupt.\n(length field wrong)"),
        // pcapng
        Variant(file: "features.pcapng", cut: 460, patches: [], packets: 0, message: cutRead),
        Variant(file: "features.pcapng", cut: 484, patches: [], packets: 0, message: cutRead),
        Variant(file: "features.pcapng", cut: 712, patches: [], packets: 2, message: cutRead),
        Variant(file: "features.pcapng", cut: 300, patches: [], packets: 0, message: cutOpen),
        Variant(file: "features.pcapng", cut: nil, patches: [(8, "00000000")], packets: 0,
                message: "The file \"FILE\" isn't a capture file in a format TShark understands."),
        Variant(file: "features.pcapng", cut: nil, patches: [(12, "0200")], packets: 0,
                message: unsupported("pcapng: unknown SHB version 2.0")),
        Variant(file: "features.pcapng", cut: nil, patches: [(580, "00010000")], packets: 0,
                message: damaged("pcapng: total block lengths (first 120 and second 256) don't match")),
        Variant(file: "features.pcapng", cut: nil, patches: [(468, "08000000")], packets: 0,
                message: damaged("pcapng: total block length 8 of an EPB is less than the minimum EPB size 32")),
        Variant(file: "features.pcapng", cut: nil, patches: [(468, "f0ffff7f")], packets: 0,
                message: damaged("pcapng: total block length 2147483632 is too large (> 134348832)")),
        Variant(file: "features.pcapng", cut: nil, patches: [(592, "09000000")], packets: 1,
                message: damaged("pcapng: interface index 9 is not less than section interface count 8")),
        Variant(file: "features.pcapng", cut: nil, patches: [(484, "00020000")], packets: 0,
                message: damaged("pcapng: total block length 120 of an EPB is too small for 512 bytes of packet data")),
        Variant(file: "features.pcapng", cut: nil, patches: [(540, "0100ff00")], packets: 0,
                message: damaged("pcapng: Not enough data to handle option of length 255")),
        Variant(file: "sections.pcapng", cut: 140, patches: [], packets: 0, message: cutRead),
    ]

    func testDamagedAndCutFilesReadWhatTheyCanThenReportLikeTshark() throws {
        for v in variants {
            let path = try CaptureFixture.variant(v.file, cut: v.cut, patches: v.patches)
            defer { try? FileManager.default.removeItem(atPath: path) }
            var n = 0
            var message: String?
            do {
                let reader = try openCapture(path: path)
                while try reader.next() != nil { n += 1 }
            } catch {
                message = error.message.replacingOccurrences(of: path, with: "FILE")
            }
            let what = "\(v.file) cut \(v.cut.map(String.init) ?? "-") patches \(v.patches.map(\.0))"
            XCTAssertEqual(n, v.packets, what)
            XCTAssertEqual(message, v.message, what)
        }
    }

    func testOpenFailuresUseTsharksWords() throws {
        let dir = FileManager.default.temporaryDirectory.path
        XCTAssertThrowsError(try openCapture(path: dir)) { e in
            XCTAssertEqual((e as? CaptureError)?.message, "\"\(dir)\" is a directory (folder), not a file.")
        }
        XCTAssertThrowsError(try openCapture(path: "/nonexistent/x.pcap")) { e in
            XCTAssertEqual((e as? CaptureError)?.message, "The file \"/nonexistent/x.pcap\" doesn't exist.")
        }
        XCTAssertThrowsError(try openCapture(path: "/dev/null")) { e in
            XCTAssertEqual((e as? CaptureError)?.message,
                           "The file \"/dev/null\" is a \"special file\" or socket or other non-regular file.")
        }
        XCTAssertEqual(CaptureError.shortRead(path: "-", atOpen: false).message,
                       "The standard input appears to have been cut short in the middle of a packet.")
    }

    func testEmptyFileHasNoPacketsAndNoError() throws {
        let path = try CaptureFixture.variant("le-usec.pcap", cut: 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try openCapture(path: path)
        XCTAssertNil(try reader.next())
    }

    func testTextFileIsNotACapture() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dissect-capture-text.txt")
        try Data("this is not a capture file at all\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try openCapture(path: url.path)) { e in
            XCTAssertEqual((e as? CaptureError)?.message,
                           "The file \"\(url.path)\" isn't a capture file in a format TShark understands.")
        }
    }
}
