@testable import DissectKit
import TestSupport
import XCTest

/// pcapng fixtures made by `make_fixtures.py`: `features.pcapng` (8 interfaces with names,
/// descriptions, if_tsresol 10^-6/10^-4/2^-20/10^-12, if_tsoffset, a snapshot length, BSD loopback;
/// EPB comments, flags, queue, drop count and packet id; PB, SPB, NRB, ISB, DSB, Custom Block) and
/// `sections.pcapng` (two sections, the second big-endian), checked against tshark 4.0.17.
final class CapturePcapngTests: XCTestCase {
    func testInterfacesAndTheirResolutions() throws {
        let reader = try openCapture(path: CaptureFixture.path("features.pcapng"))
        XCTAssertEqual(reader.format, .pcapng)
        let ifs = reader.interfaces
        XCTAssertEqual(ifs.count, 8)
        XCTAssertEqual(ifs[0].name, "eth0")
        XCTAssertEqual(ifs[0].description, "First NIC")
        XCTAssertEqual(ifs[1].description, "only a description")
        XCTAssertEqual(ifs[2].hardware, "only hardware")
        XCTAssertEqual(ifs[6].snapLength, 64)
        XCTAssertEqual(ifs[7].linkType, 0)
        // 10^-6, 10^-4 (ms precision), 2^-20 (µs), 10^-12 (ns)
        XCTAssertEqual(ifs.map(\.timeDigits), [6, 6, 6, 3, 6, 9, 6, 6])
    }

    func testTimestampsFollowEachInterface() throws {
        let r = try CaptureFixture.records("features.pcapng")
        XCTAssertEqual(r[3].meta.timestamp, Timestamp(seconds: 1_700_000_000, nanoseconds: 423_400_000))
        XCTAssertEqual(r[4].meta.timestamp, Timestamp(seconds: 1_700_000_000, nanoseconds: 11_773_109))
        // 10^-12 ticks: wiretap's 64-bit arithmetic overflows, and if_tsoffset adds 100 s.
        XCTAssertEqual(r[5].meta.timestamp, Timestamp(seconds: 12_345_778, nanoseconds: 15_790_852))
    }

    func testPacketOptionsAndComments() throws {
        let r = try CaptureFixture.records("features.pcapng")
        XCTAssertEqual(r.count, 11)
        XCTAssertEqual(r[0].comments, ["c1", "second comment"])
        XCTAssertEqual(r[0].meta.epbFlags, 1)
        XCTAssertEqual(r[1].meta.interfaceQueue, 3)
        XCTAssertEqual(r[1].meta.dropCount, 7)
        XCTAssertEqual(r[1].meta.packetID, 99)
        XCTAssertEqual(r[6].meta.originalLength, 200)
        // FCS length from the EPB flags (bits 5-8); none known elsewhere
        XCTAssertEqual(r[2].meta.fcsLength, 4)
        XCTAssertNil(r[0].meta.fcsLength)
        // obsolete Packet Block: drops count, comment
        XCTAssertEqual(r[8].meta.dropCount, 5)
        XCTAssertEqual(r[8].comments, ["pb comment"])
        // Simple Packet Block: first interface of the section, no time stamp
        XCTAssertFalse(r[9].meta.hasTimestamp)
        XCTAssertEqual(r[9].meta.interfaceID, 0)
        // Custom Block: a record of its own, as tshark 4.0 lists it
        XCTAssertEqual(r[10].meta.kind, .customBlock(pen: 32473, copyAllowed: true))
        XCTAssertEqual(r[10].bytes, Array("xyz\0".utf8))
    }

    func testSectionNameResolutionAndSecretsBlocks() throws {
        let reader = try XCTUnwrap(try openCapture(path: CaptureFixture.path("features.pcapng")) as? PcapngReader)
        while try reader.next() != nil {}
        XCTAssertEqual(reader.sections.first?.comments, ["section comment"])
        XCTAssertEqual(reader.sections.first?.application, "make_fixtures.py")
        XCTAssertEqual(reader.resolvedNames.first?.address, [10, 0, 0, 1])
        XCTAssertEqual(reader.resolvedNames.first?.name, "host-one")
        XCTAssertEqual(reader.decryptionSecrets.count, 1)
        XCTAssertEqual(reader.decryptionSecrets.first?.type, 0x544c_534b)
        XCTAssertEqual(reader.decryptionSecrets.first?.data, Array("CLIENT_RANDOM 00112233 44556677\n".utf8))
    }

    func testSecondSectionInTheOtherByteOrder() throws {
        let reader = try XCTUnwrap(try openCapture(path: CaptureFixture.path("sections.pcapng")) as? PcapngReader)
        let a = try XCTUnwrap(reader.next()), b = try XCTUnwrap(reader.next())
        XCTAssertNil(try reader.next())
        XCTAssertEqual(reader.sections.map(\.bigEndian), [false, true])
        XCTAssertEqual(a.meta.section, 0)
        XCTAssertEqual(b.meta.section, 1)
        XCTAssertEqual(b.meta.interfaceID, 2, "global index of the second section's interface")
        XCTAssertEqual(b.meta.sectionInterfaceID, 0)
        XCTAssertEqual(b.comments, ["big-endian comment"])
        XCTAssertEqual(b.meta.timestamp, Timestamp(seconds: 1_700_000_001, nanoseconds: 0))
        XCTAssertEqual(b.meta.timeDigits, 9)
    }

    func testGzipCompressedPcapngReadsLikeThePlainFile() throws {
        let plain = try CaptureFixture.records("features.pcapng")
        let gz = try CaptureFixture.records("features.pcapng.gz")
        XCTAssertEqual(plain.map(\.bytes), gz.map(\.bytes))
        XCTAssertEqual(plain.map(\.comments), gz.map(\.comments))
        XCTAssertEqual(try CaptureFixture.fields("features.pcapng.gz"),
                       try Fixture.text("Capture/features.pcapng.fields.tsv"))
    }

    func testFrameFieldsMatchTshark() throws {
        for f in ["features.pcapng", "sections.pcapng"] {
            XCTAssertEqual(try CaptureFixture.fields(f), try Fixture.text("Capture/\(f).fields.tsv"), f)
        }
    }
}
