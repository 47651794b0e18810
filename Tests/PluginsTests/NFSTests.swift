import TestSupport
import DissectKit
import Foundation
@testable import Plugins
import XCTest

/// ONC RPC and NFS v3 GETATTR against tshark 4.0.17 (Wireshark's nfs.pcap, FDDI).
final class NFSTests: XCTestCase {
    static let tops = ["Remote Procedure Call", "Network File System"] + ProtocolExcerpt.common

    func testSummaryMatchesTshark() throws {
        // "V3 GETATTR Call, FH: 0x9583478d" (CRC-32 of the handle), the reply matched to its
        // call by XID ("(Call In 1)") with the attribute summary; the cut reply is malformed.
        for name in ["nfs", "nfs-truncated"] {
            let got = try NoNamesFixture.render("NFS/\(name).pcap", verbose: false)
            NoNamesFixture.assertSameLines(got, try Fixture.text("NFS/\(name).summary.txt"))
        }
    }

    func testVerboseTreeMatchesTshark() throws {
        // AUTH_UNIX credentials with the machine name's opaque sub-items and auxiliary GIDs,
        // the reply's generated program/procedure, request frame and time, fattr3 with the mode
        // bits and the three times.
        for name in ["nfs", "nfs-truncated"] {
            try ProtocolExcerpt.assertMatches("NFS/\(name).pcap", Self.tops)
        }
    }

    func testFieldsMatchTshark() throws {
        for name in ["nfs", "nfs-truncated"] {
            try ProtocolExcerpt.assertFieldsMatch("NFS/\(name).pcap")
        }
    }

    func testFilterOnFileSize() throws {
        // Wireshark's dfilter suite: nfs.fattr3.size == 264032 matches the reply only.
        let rows = try Fixture.fields("NFS/nfs.pcap", ["nfs.fattr3.size"])
        XCTAssertEqual(rows.map { $0[0] }, ["", "264032"])
    }
}
