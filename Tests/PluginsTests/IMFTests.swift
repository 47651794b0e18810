import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

/// Helpers shared by the mail tests (SMTP, IMAP, IMF, MIME).
enum MailFixture {
    /// The mail part of a `-V` text: for every frame, the top-level SMTP, IMAP and IMF blocks
    /// (the format of the `Mail/*.mail.txt` references, cut from tshark 4.0.17's `-V` output).
    static func excerpt(_ verbose: String) -> [Int: [String]] {
        let tops = ["Simple Mail Transfer Protocol", "Internet Message Access Protocol", "Internet Message Format"]
        var out: [Int: [String]] = [:]
        var frame = 0
        var on = false
        for line in verbose.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Frame "), let n = Int(line.dropFirst(6).prefix { $0.isNumber }) {
                frame = n
                on = false
                continue
            }
            if !line.isEmpty && !line.hasPrefix(" ") {
                on = tops.contains { line.hasPrefix($0) }
            }
            if on && !line.isEmpty { out[frame, default: []].append(String(line)) }
        }
        return out
    }

    /// A stored reference excerpt ("#N" then the frame's lines).
    static func reference(_ name: String) throws -> [Int: [String]] {
        var out: [Int: [String]] = [:]
        var frame = 0
        for line in try Fixture.text("Mail/" + name).split(separator: "\n") {
            if line.hasPrefix("#"), let n = Int(line.dropFirst()) {
                frame = n
                continue
            }
            out[frame, default: []].append(String(line))
        }
        return out
    }

    /// Our `-V` output of a fixture capture, as an excerpt.
    static func ours(_ capture: String, prefs: [String] = []) throws -> [Int: [String]] {
        excerpt(try Fixture.verbose("Mail/" + capture, prefs: prefs))
    }

    /// Our lines without what we add on purpose (Tests/Fixtures/DIVERGENCES.md): the clauses
    /// under a Received header, "[Encoded text: …]", "[Decoded text …]" with its lines,
    /// "[File name: …]" and "[Decoded length: …]".
    static func withoutAdditions(_ lines: [String]) -> [String] {
        var out: [String] = []
        var skipDeeperThan: Int?
        for line in lines {
            let indent = line.prefix { $0 == " " }.count
            if let d = skipDeeperThan {
                if indent > d { continue }
                skipDeeperThan = nil
            }
            let text = line.dropFirst(indent)
            if text.hasPrefix("[Encoded text: ") || text.hasPrefix("[File name: ") || text.hasPrefix("[Decoded length: ") {
                continue
            }
            if text.hasPrefix("[Decoded text (") {
                skipDeeperThan = indent
                continue
            }
            out.append(line)
            if text.hasPrefix("Received: ") { skipDeeperThan = indent }
        }
        return out
    }

    /// Frames whose lines differ, with a unified-style report.
    static func differences(_ ours: [Int: [String]], _ reference: [Int: [String]], skipping: Set<Int> = [],
                            filter: ([String]) -> [String] = withoutAdditions) -> [String] {
        var report: [String] = []
        for frame in Set(ours.keys).union(reference.keys).sorted() where !skipping.contains(frame) {
            let a = filter(ours[frame] ?? [])
            let b = reference[frame] ?? []
            guard a != b else { continue }
            report.append("frame \(frame):")
            let n = max(a.count, b.count)
            for i in 0..<n where (i < a.count ? a[i] : nil) != (i < b.count ? b[i] : nil) {
                report.append("  ref:  " + (i < b.count ? b[i] : "<none>"))
                report.append("  ours: " + (i < a.count ? a[i] : "<none>"))
                break
            }
        }
        return report
    }

    /// The summary lines of a fixture, ours and the reference, by frame number.
    static func summaries(_ capture: String, reference: String, prefs: [String] = []) throws
        -> (ours: [Int: String], reference: [Int: String]) {
        func byFrame(_ text: String) -> [Int: String] {
            var out: [Int: String] = [:]
            for line in text.split(separator: "\n") {
                let t = line.drop { $0 == " " }
                if let n = Int(t.prefix { $0.isNumber }) {
                    out[n] = line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                }
            }
            return out
        }
        return (byFrame(try Fixture.summary("Mail/" + capture, prefs: prefs)),
                byFrame(try Fixture.text("Mail/" + reference)))
    }

    /// Runs the dissector registered as `name` over `bytes` in-process, as if they came from a
    /// TCP segment `src:srcPort → dst:dstPort`. Returns the `-V` lines, Info, Protocol and result.
    /// `tcpPort`: use the `tcp.port` entry of that port instead of the named dissector (the
    /// path TCP takes, where STARTTLS hands over to TLS).
    static func dissect(named name: String, _ bytes: [UInt8], srcPort: UInt32 = 40000, dstPort: UInt32 = 25,
                        prefs: [String] = [], engine: Engine? = nil, frame: UInt32 = 1, tcpPort: UInt32? = nil)
        -> (lines: [String], info: String, protocolColumn: String, result: DissectResult?) {
        let e = engine ?? Fixture.engine()
        for p in prefs { if let err = e.preferences.apply(p) { XCTFail(err) } }
        let found = tcpPort.map { e.table("tcp.port").lookup($0) } ?? e.namedDissectors[name]
        guard let handle = found else {
            XCTFail("no dissector named \(name)")
            return ([], "", "", nil)
        }
        var ctx = e.makeContext(interest: .everything(e.registry))
        return bytes.withUnsafeBytes { buf in
            ctx.reset()
            ctx.sources.frame = buf
            var meta = FrameMetadata()
            meta.number = frame
            meta.capturedLength = buf.count
            meta.originalLength = buf.count
            meta.timestamp = Timestamp(seconds: 1_795_373_728, nanoseconds: Int32(frame) * 1000)
            ctx.frame = meta
            // The client is 10.0.0.1 (the higher port), the server 10.0.0.2.
            let fromClient = srcPort > dstPort
            ctx.netSrc = .ipv4(fromClient ? 0x0a00_0001 : 0x0a00_0002)
            ctx.netDst = .ipv4(fromClient ? 0x0a00_0002 : 0x0a00_0001)
            ctx.srcPort = srcPort
            ctx.dstPort = dstPort
            let result = ctx.call(handle, ByteView(buf))
            let out = OutputStream.memory()
            let resolver = NameResolver(loadSystemFiles: false)
            TreePrinter(out: out, formatter: FieldFormatter(registry: e.registry, resolver: resolver)).print(ctx)
            let lines = out.text.split(separator: "\n").map(String.init)
            return (lines, ctx.info.string, ctx.protocolColumn, result)
        }
    }

    /// A message file as it travels in SMTP: lines ending in CRLF.
    static func crlf(_ relative: String) throws -> [UInt8] {
        let raw = try Data(contentsOf: URL(fileURLWithPath: Fixture.path(relative)))
        var out: [UInt8] = []
        var previous: UInt8 = 0
        for b in raw {
            if b == 0x0a && previous != 0x0d { out.append(0x0d) }
            out.append(b)
            previous = b
        }
        return out
    }
}

/// The message itself (RFC 5322), fed straight to the "imf" dissector and checked against the
/// IMF part of tshark 4.0.17's `-V` output.
final class IMFTests: XCTestCase {
    /// The message as the recipient fetched it (step 3 of the seed book's walk-through): tshark
    /// showed it inside the decrypted IMAP FETCH of full_mail_journey.pcapng, frame 69.
    func testFetchedMessageHeadersAsTsharkShowsThem() throws {
        let bytes = try MailFixture.crlf("Mail/full_mail_journey.fetched.eml")
        let r = MailFixture.dissect(named: "imf", bytes)
        let reference = try Fixture.text("Mail/full_mail_journey.fetched.imf.txt").split(separator: "\n").map(String.init)
        XCTAssertEqual(MailFixture.withoutAdditions(r.lines), reference)
        XCTAssertEqual(r.info, "from: Chris Sanders <sanders@skynet.local>, subject: Test Message,  (text/plain)")
    }

    /// The Received chain reads bottom-up: mail02 added the top line, mail01 the one below it.
    /// Each hop's clauses are fields of their own (our addition to tshark's single string).
    func testReceivedChainIsSplitIntoClauses() throws {
        let bytes = try MailFixture.crlf("Mail/full_mail_journey.fetched.eml")
        let lines = MailFixture.dissect(named: "imf", bytes).lines
        guard let first = lines.firstIndex(where: { $0.hasPrefix("    Received: from mail01.skynet.local") }) else {
            return XCTFail("no Received line from mail01")
        }
        XCTAssertEqual(Array(lines[(first + 1)...(first + 9)]), [
            "        From: mail01.skynet.local",
            "        From (TCP info): mail01.skynet.local [127.16.16.221]",
            "        Sender IP: 127.16.16.221",
            "        By: mail02.cyberdyne.local",
            "        By (comment): Postfix",
            "        With: ESMTP",
            "        ID: C92C8FA7A7",
            "        For: <sanders@cyberdyne.local>",
            "        Date: Sun, 22 Nov 2026 18:55:28 +0000 (UTC)",
        ])
    }

    /// The forged message of the walk-through: three Received lines the sender wrote itself sit
    /// below the truthful ones. The truthful mail01 line records the real IP behind the HELO
    /// name "galangal.org"; the last forged line has no "by" clause at all.
    func testForgedReceivedLines() throws {
        // The reference comes from the message sent through SMTP: the blank line that ends the
        // file is part of "\r\n.\r\n" there, so it is not part of what IMF sees.
        let bytes = Array(try MailFixture.crlf("Mail/smtp_forged_received.delivered.eml").dropLast(2))
        let r = MailFixture.dissect(named: "imf", bytes)
        let reference = try Fixture.text("Mail/smtp_forged_received.delivered.imf.txt").split(separator: "\n").map(String.init)
        XCTAssertEqual(MailFixture.withoutAdditions(r.lines), reference)

        let e = Fixture.engine()
        let values = try fieldValues(bytes, engine: e, ["imf.received.from", "imf.received.ip", "imf.received.by"])
        XCTAssertEqual(values["imf.received.from"], ["mail01.skynet.local", "galangal.org", "galangal.org", "nowhere"])
        XCTAssertEqual(values["imf.received.ip"], ["127.16.16.221", "127.16.16.240", "203.0.113.115"])
        XCTAssertEqual(values["imf.received.by"], ["mail02.cyberdyne.local", "mail01.skynet.local",
                                                    "mail.bieberdorf.example", "fictitious-site"])
        let noBy = r.lines.firstIndex { $0 == "    Received: No Information Here, Go Away!" }
        XCTAssertNotNil(noBy)
        if let i = noBy {
            XCTAssertEqual(r.lines[i + 1],
                           "        [Expert Info (Note/Protocol): Received line without a \"by\" clause (RFC 5321 §4.4)]")
        }
    }

    /// RFC 2047 encoded words are shown decoded, the form on the wire stays available
    /// (tshark 4.0 shows "=?UTF-8?B?5Lit5Y2I5pCT6aWtPw==?=").
    func testEncodedWordsAreDecoded() throws {
        let msg = Array(("From: =?UTF-8?B?5byg5Lyf?= <zhang.wei@skynet.local>\r\n"
            + "Subject: =?UTF-8?B?5Lit5Y2I5pCT6aWtPw==?=\r\n\r\nhi\r\n").utf8)
        let r = MailFixture.dissect(named: "imf", msg)
        XCTAssertEqual(r.lines, [
            "Internet Message Format",
            "    From: 张伟 <zhang.wei@skynet.local>, 1 item",
            "        [Encoded text: =?UTF-8?B?5byg5Lyf?= <zhang.wei@skynet.local>]",
            "        Item: =?UTF-8?B?5byg5Lyf?= <zhang.wei@skynet.local>\\r\\n",
            "            Display-Name: 张伟",
            "            Address: zhang.wei@skynet.local",
            "    Subject: 中午搓饭?",
            "        [Encoded text: =?UTF-8?B?5Lit5Y2I5pCT6aWtPw==?=]",
            "    Message-Text",
            "        hi  ",
        ])
        XCTAssertEqual(r.info, "from: 张伟 <zhang.wei@skynet.local>, subject: 中午搓饭?, , hi  ")
        XCTAssertEqual(r.protocolColumn, "/IMF")
    }

    /// Q-encoding, ISO-8859-1 and adjacent encoded words (RFC 2047 §4.2, §6.2).
    func testQuotedPrintableEncodedWords() throws {
        let msg = Array("Subject: =?iso-8859-1?Q?Caf=E9_cr=E8me?= =?utf-8?q?_ok?= done\r\n\r\n".utf8)
        let r = MailFixture.dissect(named: "imf", msg)
        XCTAssertTrue(r.lines.contains("    Subject: Café crème ok done"), r.lines.joined(separator: "\n"))
    }

    /// Address lists as tshark splits them: at every comma (even inside quotes), items keep
    /// their leading space, the last one its CRLF; a group name loses its last character.
    func testAddressListsAsTsharkSplitsThem() throws {
        let msg = Array(("To: Kyle Reese <kyle@cyberdyne.local>, jdoe@skynet.local\r\n"
            + "Cc: undisclosed-recipients:;\r\n\r\n").utf8)
        let r = MailFixture.dissect(named: "imf", msg)
        XCTAssertEqual(Array(r.lines[1...10]), [
            "    To: Kyle Reese <kyle@cyberdyne.local>, jdoe@skynet.local, 2 items",
            "        Item: Kyle Reese <kyle@cyberdyne.local>",
            "            Display-Name: Kyle Reese",
            "            Address: kyle@cyberdyne.local",
            "        Item:  jdoe@skynet.local\\r\\n",
            "            Address:  jdoe@skynet.local\\r\\n",
            "    Cc: undisclosed-recipients:;, 1 item",
            "        Item: undisclosed-recipients:;\\r\\n",
            "            Display-Name: undisclosed-recipient",
            "    Message-Text",
        ])
    }

    /// Headers without a blank line before the body: tshark's header loop runs out of colons
    /// and the whole message becomes Message-Text (zeek smtp-one-side-only.pcap, frame 9).
    func testMessageWithoutBlankLineIsAllMessageText() throws {
        let msg = Array("From: robin@icir.org\r\nSubject: Hello1!\r\nXXXX\r\n".utf8)
        let r = MailFixture.dissect(named: "imf", msg)
        XCTAssertEqual(r.info, "from: robin@icir.org, subject: Hello1!, , From: robin@icir.org  , Subject: Hello1!  , XXXX  ")
    }

    /// Unknown headers are "Unknown-Extension" items; Content-Type without ';' gives no body
    /// dissector (tshark only takes the type when parameters follow).
    func testUnknownExtensionAndBareContentType() throws {
        let msg = Array("X-Foo-Bar: baz qux\r\nContent-Type: text/plain\r\n\r\nline\r\n".utf8)
        let r = MailFixture.dissect(named: "imf", msg)
        XCTAssertEqual(r.lines, [
            "Internet Message Format",
            "    Unknown-Extension: X-Foo-Bar: baz qux (Contact Wireshark developers if you want this supported.)",
            "        Type: X-Foo-Bar",
            "        Value: baz qux",
            "    Content-Type: text/plain",
            "    Message-Text",
            "        line  ",
        ])
    }

    /// A header longer than tshark's 240-byte label limit is cut with "[truncated]".
    func testLongHeaderLabelIsTruncated() throws {
        let msg = Array(("Subject: " + String(repeating: "S", count: 300) + "\r\n\r\n").utf8)
        let line = MailFixture.dissect(named: "imf", msg).lines[1]
        XCTAssertEqual(line, "    Subject [truncated]: " + String(repeating: "S", count: 238 - 21))
    }

    /// A base64 body at the top level is decoded by IMF (as tshark does) before text/plain.
    func testBase64BodyIsDecoded() throws {
        let msg = Array(("Subject: s\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8gd29ybGQNCmxpbmUgMg0K\r\n").utf8)
        let r = MailFixture.dissect(named: "imf", msg)
        XCTAssertEqual(Array(r.lines.suffix(3)), [
            "    Line-based text data: text/plain (2 lines)",
            "        hello world\\r\\n",
            "        line 2\\r\\n",
        ])
    }

    /// Garbage never traps: random and truncated messages go through the dissector.
    func testHostileInputDoesNotTrap() throws {
        var rng = SystemRandomNumberGenerator()
        let seeds: [String] = ["From: <", "Content-Type: multipart/mixed; boundary=\"", "Received: (((", ":\r\n\r", "=?x?B?",
                               "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n--B--", "To: a:b:c;,,,<<>>\r\n"]
        for s in seeds {
            for cut in 0...s.utf8.count {
                _ = MailFixture.dissect(named: "imf", Array(s.utf8.prefix(cut)))
            }
        }
        for _ in 0..<200 {
            let n = Int.random(in: 0..<300, using: &rng)
            let alphabet = Array("ab:;,<>\"()=?\r\n \t-B".utf8)
            let bytes = (0..<n).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            _ = MailFixture.dissect(named: "imf", Array("Content-Type: multipart/x; boundary=B\r\n".utf8) + bytes)
        }
    }

    /// `-T fields` values of `names` for one message fed to IMF.
    private func fieldValues(_ bytes: [UInt8], engine e: Engine, _ names: [String]) throws -> [String: [String]] {
        let resolver = NameResolver(loadSystemFiles: false)
        let fmt = FieldFormatter(registry: e.registry, resolver: resolver)
        var interest = Interest.nothing(e.registry)
        var ids: [String: FieldID] = [:]
        for n in names {
            guard let id = e.registry.lookup(n) else { XCTFail("unknown field \(n)"); continue }
            ids[n] = id
            interest.want(id)
        }
        var ctx = e.makeContext(interest: interest)
        guard let handle = e.namedDissectors["imf"] else { return [:] }
        return bytes.withUnsafeBytes { buf in
            ctx.sources.frame = buf
            ctx.call(handle, ByteView(buf))
            var out: [String: [String]] = [:]
            for (n, id) in ids {
                out[n] = ctx.tree.records.filter { $0.field == id }.map { fmt.fieldValue($0, ctx) }
            }
            return out
        }
    }
}
