import TestSupport
import DissectKit
import Foundation
import XCTest

/// `-w`: the capture writer against files tshark 4.0.17 wrote from the same sources, and
/// read → write → read round trips.
final class WriterTests: XCTestCase {
    struct Record: Equatable {
        var bytes: [UInt8]
        var time: Timestamp
        var hasTime: Bool
        var originalLength: Int
        var comments: [String]
        var flags: UInt32?
        var linkType: Int
    }

    /// Every record of `path` (a file, or the bytes given).
    func records(_ path: String) throws -> (records: [Record], reader: any CaptureReader) {
        let r = try openCapture(path: path)
        var out: [Record] = []
        while let p = try r.next() {
            out.append(Record(bytes: Array(p.bytes), time: p.meta.timestamp, hasTime: p.meta.hasTimestamp,
                              originalLength: p.meta.originalLength, comments: p.comments, flags: p.meta.epbFlags,
                              linkType: p.meta.linkType))
        }
        return (out, r)
    }

    /// Writes every record of `source` with a CaptureWriter; returns the written bytes.
    func write(_ source: String, type: CaptureFileType = .pcapng,
               keep: (Int) -> Bool = { _ in true }) throws -> [UInt8] {
        let dest = NSTemporaryDirectory() + "dissect-writer-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dest) }
        let reader = try openCapture(path: source)
        let writer = try CaptureWriter(path: dest, type: type, sourceFormat: reader.format,
                                       sections: (reader as? PcapngReader)?.sections ?? [],
                                       interfaces: reader.interfaces, secrets: reader.decryptionSecrets,
                                       application: "TShark (Wireshark) 4.0.17 (dissect 0.1.0)")
        var n = 0
        while let p = try reader.next() {
            n += 1
            if keep(n) { try writer.write(p, interfaces: reader.interfaces, secrets: reader.decryptionSecrets) }
        }
        try writer.close()
        return Array(try Data(contentsOf: URL(fileURLWithPath: dest)))
    }

    func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.path(relative))))
    }

    /// Length of the leading Section Header Block (tshark names itself in `shb_userappl` where
    /// the source has no application).
    func shbLength(_ b: [UInt8]) -> Int { Int(b[4]) | Int(b[5]) << 8 | Int(b[6]) << 16 | Int(b[7]) << 24 }

    func testPcapngWithEveryFeatureIsWrittenAsTsharkWritesIt() throws {
        // SHB options, 8 IDBs (names, tsresol 10^-6/10^-4/2^-20/10^-12, tsoffset dropped as wiretap
        // does), EPB comments/flags/queue/drops/packet id in file order, obsolete PB, DSB, SPB,
        // Custom Block.
        XCTAssertEqual(try write(Fixture.path("Capture/features.pcapng")), try bytes("Output/features.tshark.pcapng"))
    }

    func testGzipSourceWritesTheSameFile() throws {
        XCTAssertEqual(try write(Fixture.path("Capture/features.pcapng.gz")), try bytes("Output/features.tshark.pcapng"))
    }

    func testSecondSectionInterfacesAreAddedWhenTheyAppear() throws {
        let ours = try write(Fixture.path("Capture/sections.pcapng"))
        let theirs = try bytes("Output/sections.tshark.pcapng")
        XCTAssertEqual(Array(ours[shbLength(ours)...]), Array(theirs[shbLength(theirs)...]))
        XCTAssertEqual(Array(ours.prefix(4)), [0x0a, 0x0d, 0x0d, 0x0a])
    }

    func testPcapSourcesBecomeOneInterface() throws {
        for (source, reference) in [("Capture/le-usec.pcap", "Output/le-usec.tshark.pcapng"),
                                    ("Capture/be-nsec.pcap", "Output/be-nsec.tshark.pcapng")] {
            let ours = try write(Fixture.path(source))
            let theirs = try bytes(reference)
            XCTAssertEqual(Array(ours[shbLength(ours)...]), Array(theirs[shbLength(theirs)...]), source)
            // Our SHB carries only shb_userappl, as tshark's does.
            let app = Array("TShark (Wireshark) 4.0.17 (dissect 0.1.0)".utf8)
            XCTAssertEqual(Array(ours[28..<(28 + app.count)]), app, source)
        }
    }

    func testPcapAndNanosecondPcapFromPcapng() throws {
        let src = Fixture.path("Output/smtp_client_to_server.pcapng")
        XCTAssertEqual(try write(src, type: .pcap), try bytes("Output/smtp.tshark.pcap"))
        XCTAssertEqual(try write(src, type: .nsecpcap), try bytes("Output/smtp.tshark.nsec.pcap"))
    }

    func testDisplayedPacketsOnly() throws {
        // tshark -Y 'tcp.len > 0' -w: frames 4, 6, 8, … of this capture.
        let src = Fixture.path("Output/smtp_client_to_server.pcapng")
        let (all, _) = try records(src)
        let kept = Set(try records(Fixture.path("Output/smtp.payload.tshark.pcapng")).records.map(\.bytes))
        let ours = try write(src) { kept.contains(all[$0 - 1].bytes) }
        XCTAssertEqual(ours, try bytes("Output/smtp.payload.tshark.pcapng"))
    }

    func testRoundTripKeepsPacketsTimesCommentsAndInterfaces() throws {
        for source in ["Capture/features.pcapng", "Capture/le-nsec.pcap", "Capture/be-usec.pcap",
                       "Output/smtp_client_to_server.pcapng"] {
            let path = Fixture.path(source)
            let (before, r1) = try records(path)
            let dest = NSTemporaryDirectory() + "dissect-roundtrip-\(UUID().uuidString).pcapng"
            defer { try? FileManager.default.removeItem(atPath: dest) }
            let written = try write(path)
            try Data(written).write(to: URL(fileURLWithPath: dest))
            let (after, r2) = try records(dest)
            // Writing what we wrote gives the same file (a 2^-20 s resolution loses a tick to the
            // nanoseconds in between, as in tshark).
            if source != "Capture/features.pcapng" { XCTAssertTrue(try write(dest) == written, source) }
            XCTAssertEqual(after.count, before.count, source)
            for (a, b) in zip(after, before) {
                XCTAssertEqual(a.bytes, b.bytes, source)
                XCTAssertEqual(a.originalLength, b.originalLength, source)
                XCTAssertEqual(a.comments, b.comments, source)
                XCTAssertEqual(a.flags, b.flags, source)
                XCTAssertEqual(a.linkType, b.linkType, source)
                // A record without time stamp (SPB) comes back with time 0. A time is written in its
                // interface's units: exact for 10^-n resolutions, within a tick for 2^-20 s.
                if b.hasTime {
                    let d = a.time < b.time ? b.time - a.time : a.time - b.time
                    XCTAssertTrue(d.seconds == 0 && d.nanoseconds < 1000, "\(source): \(a.time) vs \(b.time)")
                    if source != "Capture/features.pcapng" { XCTAssertEqual(a.time, b.time, source) }
                }
            }
            XCTAssertEqual(r2.interfaces.map(\.name), r1.interfaces.map(\.name), source)
            XCTAssertEqual(r2.interfaces.map(\.linkType), r1.interfaces.map(\.linkType), source)
            XCTAssertEqual(r2.interfaces.map(\.snapLength), r1.interfaces.map(\.snapLength), source)
            XCTAssertEqual(r2.decryptionSecrets.map(\.data), r1.decryptionSecrets.map(\.data), source)
        }
    }

    func testPcapCannotHoldSecrets() throws {
        XCTAssertThrowsError(try write(Fixture.path("Capture/features.pcapng"), type: .pcap)) { e in
            XCTAssertEqual((e as? CaptureWriteError)?.message,
                           "The capture file being read can't be written as a \"pcap\" file.")
        }
    }

    func testUnwritablePathIsReported() {
        XCTAssertThrowsError(try CaptureWriter(path: "/nonexistent-dir/x.pcapng", type: .pcapng, sourceFormat: .pcap,
                                               sections: [], interfaces: [InterfaceInfo(linkType: 1)],
                                               application: "x")) { e in
            XCTAssertEqual((e as? CaptureWriteError)?.message,
                           "The path to the file \"/nonexistent-dir/x.pcapng\" doesn't exist.")
        }
    }
}
