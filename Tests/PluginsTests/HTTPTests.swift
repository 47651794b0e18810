import TestSupport
import DissectKit
import Foundation
import Plugins
import XCTest

/// The application-layer part of `-V` output, as `Tests/Fixtures/HTTP/excerpt.py` cuts tshark's:
/// per frame its "Frame N" line and the top-level items after TCP/UDP. Hex dumps of data are
/// left out on both sides (the in-process tree printer does not write them).
enum AppLayerExcerpt {
    static func cut(_ verbose: String) -> [String] {
        var out: [String] = []
        var keep = false
        for line in verbose.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Frame ") {
                out.append(String(line.prefix { $0 != ":" }))
                keep = false
                continue
            }
            if isHexDump(line) { continue }
            if let first = line.first, first != " " {
                keep = !skipped(line)
            }
            if keep && !line.isEmpty { out.append(String(line)) }
        }
        return out
    }

    /// The reference file, hex dump lines removed.
    static func reference(_ relative: String) throws -> [String] {
        try Fixture.text(relative).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.isEmpty && !isHexDump($0) }.map(String.init)
    }

    /// Lines of `lines` grouped by frame number ("Frame N" lines start a group).
    static func byFrame(_ lines: [String]) -> [Int: [String]] {
        var out: [Int: [String]] = [:]
        var frame = 0
        for l in lines {
            if l.hasPrefix("Frame "), let n = Int(l.dropFirst(6)) {
                frame = n
                out[frame] = []
            } else {
                out[frame, default: []].append(l)
            }
        }
        return out
    }

    /// Frames whose lines differ, with both versions (empty when all agree).
    static func differences(ours: String, reference: String, skipping: Set<Int> = []) throws -> [String] {
        let a = byFrame(cut(ours)), b = byFrame(try self.reference(reference))
        var diffs: [String] = []
        for frame in Set(a.keys).union(b.keys).sorted() where !skipping.contains(frame) && a[frame] != b[frame] {
            diffs.append("frame \(frame):\nours:\n" + (a[frame] ?? []).joined(separator: "\n")
                         + "\ntshark:\n" + (b[frame] ?? []).joined(separator: "\n"))
        }
        return diffs
    }

    private static func skipped(_ line: Substring) -> Bool {
        for p in ["Ethernet II", "Internet Protocol Version", "Transmission Control Protocol", "User Datagram Protocol"]
            where line.hasPrefix(p) { return true }
        // "[2 Reassembled TCP Segments (…)]" belongs to TCP.
        if line.hasPrefix("["), let r = line.range(of: " Reassembled TCP Segments"),
           Int(line[line.index(after: line.startIndex)..<r.lowerBound]) != nil {
            return true
        }
        return false
    }

    private static func isHexDump(_ line: Substring) -> Bool {
        let b = Array(line.utf8.prefix(6))
        return b.count == 6 && b[0..<4].allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
            && b[4] == 0x20 && b[5] == 0x20
    }
}

/// Calls a dissector of `tcp.port`/`udp.port` (or a named one) on bytes, as TCP would hand a
/// segment's payload over, and prints what it added.
struct StreamHarness {
    let engine: Engine
    var context: PacketContext

    init(prefs: [String] = []) {
        engine = Fixture.engine()
        for p in prefs { if let err = engine.preferences.apply(p) { XCTFail(err) } }
        context = engine.makeContext(interest: .everything(engine.registry))
    }

    struct Output {
        var result: DissectResult?
        var lines: [String]
        var info: String
        var protocolColumn: String
    }

    /// One segment from the client (higher port) or the server. `captured` below the length
    /// makes the frame look cut by the snapshot length.
    mutating func send(_ bytes: [UInt8], fromClient: Bool = true, serverPort: UInt32 = 80, clientPort: UInt32 = 40000,
                       frame: UInt32, captured: Int? = nil, endOfStream: Bool = false, table: String = "tcp.port")
        -> Output
    {
        guard let handle = engine.table(table).lookup(serverPort) else {
            XCTFail("no \(table) entry for \(serverPort)")
            return Output(result: nil, lines: [], info: "", protocolColumn: "")
        }
        let engine = self.engine
        let visible = Array(bytes.prefix(captured ?? bytes.count))
        return visible.withUnsafeBytes { buf in
            context.reset()
            context.sources.frame = buf
            var meta = FrameMetadata()
            meta.number = frame
            meta.capturedLength = 54 + buf.count
            meta.originalLength = 54 + bytes.count
            meta.timestamp = Timestamp(seconds: 1_700_000_000, nanoseconds: Int32(frame) * 1_000_000)
            context.frame = meta
            context.netSrc = .ipv4(fromClient ? 0x0a00_0001 : 0x0a00_0002)
            context.netDst = .ipv4(fromClient ? 0x0a00_0002 : 0x0a00_0001)
            context.srcPort = fromClient ? clientPort : serverPort
            context.dstPort = fromClient ? serverPort : clientPort
            context.endOfStream = endOfStream
            let result = context.call(handle, ByteView(buf))
            let out = OutputStream.memory()
            TreePrinter(out: out, formatter: FieldFormatter(registry: engine.registry,
                                                          resolver: NameResolver(loadSystemFiles: false))).print(context)
            return Output(result: result, lines: out.text.split(separator: "\n").map(String.init),
                          info: context.info.string, protocolColumn: context.protocolColumn)
        }
    }
}

/// HTTP/1.x and SSDP, checked against tshark 4.0.17 on the captures of Tests/Fixtures/HTTP
/// (crafted by make_fixtures.py, plus Wireshark's http.pcap) and on segments fed straight to
/// the dissector.
final class HTTPTests: XCTestCase {
    private func assertMatchesTshark(_ name: String, skipping: Set<Int> = [], file: StaticString = #filePath,
                                     line: UInt = #line) throws {
        let ours = try Fixture.verbose("HTTP/\(name).pcap")
        let d = try AppLayerExcerpt.differences(ours: ours, reference: "HTTP/\(name).excerpt.txt", skipping: skipping)
        XCTAssertEqual(d, [], file: file, line: line)
        let summary = try Fixture.summary("HTTP/\(name).pcap").split(separator: "\n").map(String.init)
        let reference = try Fixture.text("HTTP/\(name).summary.txt").split(separator: "\n").map(String.init)
        XCTAssertEqual(summary.count, reference.count, file: file, line: line)
        for (i, (a, b)) in zip(summary, reference).enumerated() where !skipping.contains(i + 1) {
            XCTAssertEqual(a, b, file: file, line: line)
        }
    }

    /// Wireshark's http.pcap (the display-filter suite's capture): a HEAD request.
    func testWiresharkHeadRequest() throws {
        try assertMatchesTshark("http")
    }

    /// Request line with query parameters, cookies, an unknown header, a text/html body,
    /// chunked and gzip bodies, pipelined requests and responses (numbering and "Prev …" links
    /// as tshark's `push_req`/`push_res` make them), an octet-stream body as data.
    func testBasicExchangesMatchTshark() throws {
        try assertMatchesTshark("http_basic")
    }

    /// Bodies by media type: "Media Type" for unknown types, data without a type, text lines,
    /// IMF for message/rfc822, MIME multipart, upper-case types.
    func testMediaTypesMatchTshark() throws {
        try assertMatchesTshark("http_media")
    }

    /// Start-line and header corner cases: Basic credentials, empty query, obs-fold, absolute
    /// URI, "*", LF-only lines, a bad header name, "M-" prefix, HEAD responses, unknown status
    /// codes, invalid Content-Length, unknown transfer coding, Content-Length with chunked,
    /// failed gzip, zlib and raw deflate, chunked+gzip, trailers, excess data, a leading CRLF,
    /// a chunk size that is not a number.
    func testEdgeCasesMatchTshark() throws {
        try assertMatchesTshark("http_edge")
    }

    /// Frames cut by the snapshot length: a request cut in its first line (no columns, "HTTP
    /// truncated"), responses cut in the headers, in the body and after the message.
    func testTruncatedFramesMatchTshark() throws {
        try assertMatchesTshark("http_truncated")
    }

    /// SSDP NOTIFY and M-SEARCH over UDP 1900: notifications, "Unknown header" lines.
    func testSSDPMatchesTshark() throws {
        try assertMatchesTshark("ssdp")
    }

    /// Data before any HTTP (nothing), continuation text and binary data, headers and bodies
    /// over several segments (TCP reassembles on `.needMore`), chunks over two segments, a
    /// CONNECT tunnel carrying SMTP, and a response without length that ends with the FIN
    /// (frames 24–26: TCP sets `PacketContext.endOfStream`).
    func testStreamMatchesTshark() throws {
        try assertMatchesTshark("http_stream", skipping: [])
    }

    // MARK: the `.needMore` contract

    func testIncompleteHeadersAskForOneMoreSegment() {
        var h = StreamHarness()
        let r = h.send(Array("GET / HTTP/1.1\r\nHost: example.com\r\n".utf8), frame: 1)
        XCTAssertEqual(r.result, .oneMoreSegment)
        // tshark writes the first line to Info before asking (TCP then adds its marker).
        XCTAssertEqual(r.info, "GET / HTTP/1.1 ")
        XCTAssertEqual(r.lines, [], "nothing is added while waiting")
        let noLine = h.send(Array("GET / HTTP/1.1".utf8), frame: 2)
        XCTAssertEqual(noLine.result, .oneMoreSegment)
        XCTAssertEqual(noLine.info, "")
    }

    func testContentLengthBodyAsksForTheMissingBytes() {
        var h = StreamHarness()
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: text/plain\r\n\r\n"
        let r = h.send(Array((head + String(repeating: "x", count: 40)).utf8), fromClient: false, frame: 1)
        XCTAssertEqual(r.result, .needMore(60))
        let whole = h.send(Array((head + String(repeating: "x", count: 100)).utf8), fromClient: false, frame: 2)
        XCTAssertEqual(whole.result, .consumed(head.utf8.count + 100))
        XCTAssertEqual(whole.info, "HTTP/1.1 200 OK  (text/plain)")
    }

    func testChunkedBodyWaitsForTheLastChunk() {
        var h = StreamHarness()
        let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        XCTAssertEqual(h.send(Array((head + "5\r\nab").utf8), fromClient: false, frame: 1).result, .oneMoreSegment)
        XCTAssertEqual(h.send(Array((head + "5\r\nabcde\r\n0\r\n").utf8), fromClient: false, frame: 2).result,
                       .oneMoreSegment, "the line after the last chunk is still missing")
        let full = head + "5\r\nabcde\r\n0\r\n\r\n"
        let r = h.send(Array(full.utf8), fromClient: false, frame: 3)
        XCTAssertEqual(r.result, .consumed(full.utf8.count))
        XCTAssertTrue(r.lines.contains("    File Data: 5 bytes"))
    }

    /// RFC 9112 §6.3: a response without length runs until the connection closes; TCP says
    /// when that is (`endOfStream`). No body is awaited after HEAD, for 204/304 or 1xx.
    func testResponseWithoutLengthRunsUntilFIN() {
        var h = StreamHarness()
        let msg = Array("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nsome text\n".utf8)
        XCTAssertEqual(h.send(msg, fromClient: false, frame: 1).result, .untilFIN)
        let last = h.send(msg, fromClient: false, frame: 2, endOfStream: true)
        XCTAssertEqual(last.result, .consumed(msg.count))
        XCTAssertEqual(last.info, "HTTP/1.0 200 OK  (text/plain)")
        for status in ["204 No Content", "304 Not Modified", "100 Continue"] {
            let r = h.send(Array("HTTP/1.1 \(status)\r\n\r\n".utf8), fromClient: false, frame: 3)
            XCTAssertEqual(r.result, .consumed("HTTP/1.1 \(status)\r\n\r\n".utf8.count), status)
        }
        _ = h.send(Array("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n".utf8), frame: 4)
        let head = Array("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n".utf8)
        XCTAssertEqual(h.send(head, fromClient: false, frame: 5).result, .consumed(head.count))
    }

    /// Pipelined messages: one `.consumed` per message, TCP calls again for the rest.
    func testPipelinedRequestsAreConsumedOneByOne() {
        var h = StreamHarness()
        let a = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n", b = "GET /b HTTP/1.1\r\nHost: h\r\n\r\n"
        let r = h.send(Array((a + b).utf8), frame: 1)
        XCTAssertEqual(r.result, .consumed(a.utf8.count))
        XCTAssertEqual(r.lines.filter { $0 == "Hypertext Transfer Protocol" }.count, 1)
    }

    func testNoReassemblyWhenItIsSwitchedOff() {
        var h = StreamHarness(prefs: ["http.desegment_headers:FALSE"])
        let r = h.send(Array("GET / HTTP/1.1\r\nHost: exa".utf8), frame: 1)
        XCTAssertEqual(r.result, .consumed(25))
        XCTAssertEqual(r.protocolColumn, "HTTP")
        var b = StreamHarness(prefs: ["http.desegment_body:FALSE"])
        let body = b.send(Array("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc".utf8), frame: 1)
        XCTAssertEqual(body.result, .consumed(42))
        XCTAssertTrue(body.lines.contains("    File Data: 3 bytes"))
    }

    /// A frame cut by the snapshot length cannot be reassembled: what was captured is shown,
    /// then tshark's "[Packet size limited during capture: HTTP truncated]".
    func testCutFrameIsShownAsItIs() {
        var h = StreamHarness()
        let msg = Array("HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n".utf8) + Array(repeating: 0x78, count: 100)
        let r = h.send(msg, fromClient: false, frame: 1, captured: 50)
        XCTAssertEqual(r.lines.last, "[Packet size limited during capture: HTTP truncated]")
        XCTAssertTrue(r.lines.contains("    File Data: 9 bytes"))
        XCTAssertEqual(r.info, "HTTP/1.1 200 OK [Packet size limited during capture]")
    }

    /// Broken input never traps: random bytes, bogus chunk sizes, huge lengths, truncated gzip.
    func testMalformedInputDoesNotCrash() {
        var h = StreamHarness(prefs: ["http.desegment_headers:FALSE"])
        var rng = SplitMix64(seed: 0x4854_5450)
        let pieces = ["GET / HTTP/1.1\r\n", "HTTP/1.1 200 OK\r\n", "Content-Length: ", "99999999999999999999",
                      "Transfer-Encoding: chunked\r\n", "\r\n", "ffffffff\r\n", "-5\r\n", "0\r\n", "Content-Encoding: gzip\r\n",
                      "\u{1f}\u{8b}\u{8}", "Host: h\r\n", ":", " ", "\n", "\r", "Cookie: ;;a\r\n"]
        for i in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                if Bool.random(using: &rng) {
                    bytes += Array(pieces.randomElement(using: &rng)!.utf8)
                } else {
                    bytes += (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                }
            }
            let r = h.send(bytes, fromClient: Bool.random(using: &rng), frame: UInt32(i + 1),
                           captured: Bool.random(using: &rng) ? nil : Int.random(in: 1...bytes.count, using: &rng))
            XCTAssertNotNil(r.result)
        }
        // A chunk whose CRLF is missing is malformed.
        let bad = h.send(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde".utf8), fromClient: false,
                         frame: 1000)
        XCTAssertTrue(bad.lines.contains("[Malformed Packet: HTTP]"))
    }

    /// `-T fields` values (checked against tshark 4.0.17 on http_basic.pcap).
    func testFieldValues() throws {
        let rows = try Fixture.fields("HTTP/http_basic.pcap",
                                      ["frame.number", "http.request.method", "http.request.uri", "http.host",
                                       "http.cookie_pair", "http.request.full_uri", "http.response.code",
                                       "http.content_length", "http.request_in", "http.time", "http.file_data",
                                       "http.prev_request_in", "http.chunk_size", "http.request.line"])
        XCTAssertEqual(rows.first { $0.first == "4" },
                       ["4", "GET", "/index.html?a=1&b=two", "example.com", "sid=abc,theme=dark",
                        "http://example.com/index.html?a=1&b=two", "", "", "", "", "", "",
                        "", "Host: example.com\\r\\n,User-Agent: curl/8.0\\r\\n,Accept: */*\\r\\n,"
                            + "Accept-Encoding: gzip, deflate\\r\\n,Cookie: sid=abc; theme=dark\\r\\n,X-Custom: hello\\r\\n"])
        XCTAssertEqual(rows.first { $0.first == "5" },
                       ["5", "", "", "", "", "", "200", "31", "4", "0.001000000", "<html>\\n<body>Hi</body>\\n</html>\\n",
                        "", "", ""])
        XCTAssertEqual(rows.first { $0.first == "8" },
                       ["8", "", "", "", "", "", "200", "", "7", "0.001000000", "Hello, world", "4", "5,7,0", ""])
        XCTAssertEqual(rows.first { $0.first == "11" }?[10], "compressed text line 1\\ncompressed line 2\\n")
        XCTAssertEqual(rows.first { $0.first == "13" }?[1], "GET,GET")
    }
}

/// A seeded generator, so the fuzz-style tests are the same on every run.
struct SplitMix64: RandomNumberGenerator {
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
