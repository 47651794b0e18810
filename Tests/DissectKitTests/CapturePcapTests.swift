@testable import DissectKit
import TestSupport
import XCTest

/// Classic pcap files (`Tests/Fixtures/Capture/*.pcap`, made by `make_fixtures.py`), checked
/// against tshark 4.0.17's output stored beside them.
final class CapturePcapTests: XCTestCase {
    let flavours = ["le-usec.pcap", "be-usec.pcap", "le-nsec.pcap", "be-nsec.pcap"]

    func testBothByteOrdersReadTheSameRecords() throws {
        for (a, b) in [("le-usec.pcap", "be-usec.pcap"), ("le-nsec.pcap", "be-nsec.pcap")] {
            let x = try CaptureFixture.records(a), y = try CaptureFixture.records(b)
            XCTAssertEqual(x.count, 3)
            XCTAssertEqual(x.map(\.bytes), y.map(\.bytes), "\(a) vs \(b)")
            XCTAssertEqual(x.map(\.meta.timestamp), y.map(\.meta.timestamp))
            XCTAssertEqual(x.map(\.meta.originalLength), y.map(\.meta.originalLength))
        }
    }

    func testMicroAndNanosecondTimestamps() throws {
        let us = try CaptureFixture.records("le-usec.pcap")
        XCTAssertEqual(us[0].meta.timestamp, Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_000))
        XCTAssertEqual(us[0].meta.timeDigits, 6)
        let ns = try CaptureFixture.records("be-nsec.pcap")
        XCTAssertEqual(ns[0].meta.timestamp, Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789))
        XCTAssertEqual(ns[2].meta.timestamp, Timestamp(seconds: 1_700_000_002, nanoseconds: 999_999_999))
        XCTAssertEqual(ns[0].meta.timeDigits, 9)
    }

    func testSnapshotLengthCutKeepsTheOriginalLength() throws {
        let r = try CaptureFixture.records("le-usec.pcap")[1]
        XCTAssertEqual(r.meta.capturedLength, 60)
        XCTAssertEqual(r.meta.originalLength, 137)
        XCTAssertEqual(r.bytes.count, 60)
        XCTAssertFalse(r.meta.hasInterfaceID, "classic pcap records name no interface")
    }

    func testFCSBitsOfTheLinkTypeField() throws {
        // 0x24000001: Ethernet, "FCS length present", 2 sixteen-bit words.
        let reader = try openCapture(path: CaptureFixture.path("fcs.pcap"))
        XCTAssertEqual(reader.interfaces.first?.linkType, 1)
        XCTAssertEqual(reader.interfaces.first?.fcsLength, 4)
        let p = try XCTUnwrap(reader.next())
        XCTAssertEqual(p.meta.linkType, 1)
        XCTAssertEqual(p.meta.fcsLength, 4)
    }

    func testGzipCompressedPcapReadsLikeThePlainFile() throws {
        let plain = try CaptureFixture.records("le-usec.pcap")
        let gz = try CaptureFixture.records("le-usec.pcap.gz")
        XCTAssertEqual(plain.map(\.bytes), gz.map(\.bytes))
        XCTAssertEqual(plain.map(\.meta.timestamp), gz.map(\.meta.timestamp))
    }

    func testFrameFieldsMatchTshark() throws {
        for f in flavours + ["fcs.pcap"] {
            XCTAssertEqual(try CaptureFixture.fields(f), try Fixture.text("Capture/\(f).fields.tsv"), f)
        }
    }

    func testFrameTreeMatchesTshark() throws {
        for f in flavours + ["fcs.pcap"] {
            XCTAssertEqual(CaptureFixture.frameTrees(try Fixture.verbose("Capture/" + f)),
                           try Fixture.text("Capture/\(f).frames.txt"), f)
        }
    }
}
