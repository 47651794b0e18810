import Foundation
import XCTest

/// `-Y`, `-2 -R` and `--selected-frame` end to end, against tshark 4.0.17's behaviour on the
/// same captures (outputs and messages checked by hand with /usr/bin/tshark).
final class FilterCLITests: XCTestCase {
    let dhcp = "Filter/captures/dhcp.pcap"

    func lines(_ s: String) -> [String] { s.split(separator: "\n").map(String.init) }

    func testBadFilterExitsWithStatusTwoAndACaret() throws {
        let r = try CLI.run(["-n", "-r", dhcp, "-Y", "tcp.prt == 1"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, """
            dissect: Left side of "==" expression must be a field or function, not tcp.prt.
                tcp.prt == 1
                ^~~~~~~

            """)
    }

    func testFilterMayStartWithADash() throws {
        let r = try CLI.run(["-n", "-r", dhcp, "-Y", "-2 == udp.dstport"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("dissect: Constant arithmetic expression on the LHS is invalid."), r.stderr)
    }

    func testDisplayFilterSelectsPackets() throws {
        let r = try CLI.run(["-n", "-r", dhcp, "-Y", "ip.src == 192.168.0.1 && udp.srcport == 67"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(lines(r.stdout).map { $0.trimmingCharacters(in: .whitespaces).prefix(1) }, ["2", "4"])
    }

    func testReadFilterNeedsTwoPass() throws {
        let r = try CLI.run(["-n", "-r", dhcp, "-R", "udp"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "dissect: -R without -2 is deprecated. For single-pass filtering use -Y.\n")
    }

    /// tshark's first pass numbers a frame after the frames kept so far, so `frame.number >= 3`
    /// keeps nothing (each frame is "frame 1" when it is tested), and kept frames are renumbered.
    func testTwoPassReadFilterNumbersKeptFrames() throws {
        XCTAssertEqual(try CLI.run(["-n", "-r", dhcp, "-2", "-R", "frame.number >= 3"]).stdout, "")
        XCTAssertEqual(lines(try CLI.run(["-n", "-r", dhcp, "-2", "-R", "frame.number >= 1"]).stdout).count, 4)
        let r = try CLI.run(["-n", "-r", dhcp, "-2", "-R", "udp.srcport == 67", "-Y", "frame.number == 2"])
        XCTAssertEqual(lines(r.stdout).count, 1)
        XCTAssertTrue(r.stdout.hasPrefix("    2 "), r.stdout)
    }

    func testSelectedFrameBindsReferences() throws {
        let with = try CLI.run(["-n", "-r", dhcp, "-2", "--selected-frame=3", "-Y", "frame.number < ${frame.number}"])
        XCTAssertEqual(lines(with.stdout).count, 2)
        // Without -2 there is no selected frame: the reference has no value (tshark too).
        let without = try CLI.run(["-n", "-r", dhcp, "--selected-frame=3", "-Y", "frame.number < ${frame.number}"])
        XCTAssertEqual(without.status, 0)
        XCTAssertEqual(without.stdout, "")
    }

    func testShippedMacros() throws {
        let r = try CLI.run(["-n", "-r", dhcp, "-Y", "${private_ipv4:ip.dst}"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(lines(r.stdout).count, 2)
        let bad = try CLI.run(["-n", "-r", dhcp, "-Y", "${nope}"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr, "dissect: macro 'nope' does not exist\n")
    }
}
