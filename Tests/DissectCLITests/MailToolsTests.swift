import Foundation
import XCTest

/// Following streams, exporting messages and listing logins, as the seed book's reader uses
/// them on the mail captures (references by tshark 4.0.17 in Fixtures/Mail).
final class MailToolsTests: XCTestCase {
    func reference(_ name: String) throws -> String {
        try String(contentsOfFile: CLI.fixtures + "/Mail/" + name, encoding: .utf8)
    }

    func run(_ capture: String, _ args: [String]) throws -> CLI.Result {
        try CLI.run(["-r", "Mail/" + capture, "-q"] + args)
    }

    // MARK: follow

    func testFollowTheSMTPDialogueInEveryFormat() throws {
        for mode in ["hex", "yaml", "raw", "ebcdic"] {
            let r = try run("smtp_client_to_server.pcapng", ["-z", "follow,tcp,\(mode),0"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout, try reference("smtp_client_to_server.follow0.\(mode).txt"), mode)
        }
    }

    func testHexDumpKeepsTsharksTrailingSpaceRule() throws {
        // IMAP literals: lines ending in a space, and a last line of exactly eight bytes.
        let r = try run("imap_plain_session.pcapng", ["-z", "follow,tcp,hex,0"])
        XCTAssertEqual(r.stdout, try reference("imap_plain_session.follow0.hex.txt"))
    }

    func testFollowByAddressesNamesTheClientFirst() throws {
        // Given server first; node 0 is still the side that sent the first packet.
        let r = try run("smtp_client_to_server.pcapng", ["-z", "follow,tcp,ascii,127.16.16.221:25,127.16.16.225:60743"])
        XCTAssertEqual(r.stdout, try reference("smtp_client_to_server.follow_ends.txt"))
    }

    func testFollowingAMissingStream() throws {
        let r = try run("smtp_client_to_server.pcapng", ["-z", "follow,tcp,ascii,99", "-z", "follow,tcp,yaml,99"])
        XCTAssertEqual(r.stdout, try reference("smtp_client_to_server.follow99.txt"))
    }

    func testFollowUDP() throws {
        let r = try CLI.run(["-r", "Output/Scripted/zeek_smtp.pcap", "-q", "-z", "follow,udp,ascii,0", "-z", "follow,udp,hex,0",
                             "-z", "follow,udp,yaml,0", "-z", "follow,udp,raw,10.10.1.20:138,10.10.1.255:138"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let expected = try String(contentsOfFile: CLI.fixtures + "/Output/Scripted/zeek_smtp.follow_udp.txt", encoding: .utf8)
        XCTAssertEqual(r.stdout, expected)
    }

    func testFollowErrors() throws {
        for line in try reference("follow.errors.tsv").split(separator: "\n") {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let r = try run("smtp_client_to_server.pcapng", ["-z", cols[0]])
            XCTAssertEqual(String(r.status), cols[1], cols[0])
            XCTAssertEqual(r.stderr, "dissect: " + cols[2] + "\n", cols[0])
        }
    }

    /// Beyond tshark: `all` follows every stream of the capture, one report each by stream index
    /// (README "Following every stream"); each report is the one `,N` gives.
    func testFollowAllStreamsInOneRun() throws {
        let all = try run("smtp_relay_server_to_server.pcapng", ["-z", "follow,tcp,ascii,all"])
        XCTAssertEqual(all.status, 0, all.stderr)
        let s0 = try run("smtp_relay_server_to_server.pcapng", ["-z", "follow,tcp,ascii,0"]).stdout
        let s1 = try run("smtp_relay_server_to_server.pcapng", ["-z", "follow,tcp,ascii,1"]).stdout
        XCTAssertTrue(s1.contains("Filter: tcp.stream eq 1\nNode 0: 127.16.16.221:"), s1)
        XCTAssertEqual(all.stdout, s0 + s1)
        // YAML: one document per stream.
        let yaml = try run("smtp_relay_server_to_server.pcapng", ["-z", "follow,tcp,yaml,all"]).stdout
        XCTAssertTrue(yaml.hasPrefix("--- # tcp.stream eq 0\npeers:\n"), yaml)
        XCTAssertTrue(yaml.contains("\n--- # tcp.stream eq 1\npeers:\n"), yaml)
    }

    // MARK: credentials

    func testCredentialsOfAUTHLOGIN() throws {
        let r = try run("smtp_auth_plaintext.pcapng", ["-z", "credentials", "-o", "smtp.decryption:TRUE"])
        XCTAssertEqual(r.stdout, try reference("smtp_auth_plaintext.credentials.smtp_decryption.txt"))
        let imap = try run("imap_plain_session.pcapng", ["-z", "credentials"])
        XCTAssertEqual(imap.stdout, try reference("imap_plain_session.credentials.txt"))
    }

    /// DIVERGENCES.md "credentials-auth-plain": without smtp.decryption tshark 4.0 lists only the
    /// AUTH LOGIN (frame 13); we also list the two AUTH PLAIN logins (frames 36 and 59), with the
    /// user name decoded from the PLAIN credentials.
    func testCredentialsListEveryDecodedLogin() throws {
        let r = try run("smtp_auth_plaintext.pcapng", ["-z", "credentials"])
        var expected = try reference("smtp_auth_plaintext.credentials.txt").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        XCTAssertEqual(expected[3], "13         SMTP             dGVzdHVzZXJAc2t5bmV0LmxvY2Fs Username in packet 11")
        expected.insert(contentsOf: ["36         SMTP             testuser@skynet.local                 ",
                                     "59         SMTP             testuser@skynet.local                 "], at: 4)
        XCTAssertEqual(r.stdout, expected.joined(separator: "\n"))
    }

    // MARK: export objects

    func exportDirectory() throws -> String {
        let root = NSTemporaryDirectory() + "dissect-eo-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        return root + "/out/mail"
    }

    func files(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        return out
    }

    func testExportedMessagesAreTsharks() throws {
        for capture in ["smtp_forged_received", "imap_plain_session", "smtp_auth_plaintext"] {
            let dir = try exportDirectory()
            let r = try run(capture + ".pcapng", ["--export-objects", "imf," + dir])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout, "")
            let expected = try files(CLI.fixtures + "/Mail/eo/" + capture)
            XCTAssertEqual(try files(dir), expected, capture)
            XCTAssertEqual(expected.count, 2)
        }
    }

    func testExportNeverOverwritesAndKeepsNamesInsideTheDirectory() throws {
        let dir = try exportDirectory()
        _ = try run("smtp_forged_received.pcapng", ["--export-objects", "imf," + dir])
        // A second run into the same directory numbers on; nothing is overwritten.
        _ = try run("smtp_forged_received.pcapng", ["--export-objects", "imf," + dir])
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        XCTAssertEqual(names, ["URGENT%3a confirm your salary account details(1).eml",
                               "URGENT%3a confirm your salary account details(2).eml",
                               "URGENT%3a confirm your salary account details(3).eml",
                               "URGENT%3a confirm your salary account details.eml"])
        // The subject's ':' became %3a: no name can leave the directory.
        XCTAssertTrue(names.allSatisfy { !$0.contains("/") && !$0.contains(":") })
    }

    func testExportObjectsArguments() throws {
        let bad = try run("smtp_client_to_server.pcapng", ["--export-objects", "imf"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, """
            dissect: "--export-objects" are specified as: <protocol>,<destdir>
            dissect: The available export object types for the "--export-objects" option are:
                 imf

            """)
        let help = try run("smtp_client_to_server.pcapng", ["--export-objects", "help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertEqual(help.stderr, "dissect: The available export object types for the \"--export-objects\" option are:\n     imf\n")
        let empty = try run("smtp_client_to_server.pcapng", ["--export-objects", "imf,"])
        XCTAssertEqual(empty.status, 0)
        XCTAssertEqual(empty.stderr, "Failed to create export objects output directory \"\": Invalid argument\n")
    }
}
