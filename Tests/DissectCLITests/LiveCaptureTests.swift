import Foundation
import XCTest

/// Live capture on the loopback interface (`-i lo`), with traffic the tests make themselves: a
/// tiny SMTP server and client on 127.0.0.1 (`Fixtures/Live/smtp_exchange.py`) and UDP datagrams.
///
/// These tests run, never skip: capturing needs root or CAP_NET_RAW, and without it they fail
/// with a message saying so.
final class LiveCaptureTests: XCTestCase {
    // MARK: the SMTP exchange

    func testSMTPCommandsAndRepliesAppearInFieldsOfALiveCaptureStoppedByCtrlC() throws {
        let smtp = try SMTPExchange()
        defer { smtp.stop() }
        let d = try LiveDissect(["-i", "lo", "-f", "tcp port \(smtp.port)", "-l", "-a", "duration:30",
                                 "-Y", "smtp", "-T", "fields", "-e", "smtp.req.command", "-e", "smtp.response.code"]
                                + smtp.decodeAs)
        defer { d.kill() }
        try d.waitUntilCapturing()
        try smtp.run()
        Thread.sleep(forTimeInterval: 0.3) // the last packets reach the capture
        d.interrupt() // Ctrl-C
        let r = try d.wait()
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        let commands = rows.compactMap { $0.first.map(String.init) }.filter { !$0.isEmpty }
        let replies = rows.compactMap { $0.count > 1 ? String($0[1]) : nil }.filter { !$0.isEmpty }
        XCTAssertEqual(commands, ["EHLO", "MAIL", "RCPT", "DATA", "QUIT"], r.stdout)
        XCTAssertEqual(replies.first, "220", r.stdout)
        for code in ["250", "354", "221"] { XCTAssertTrue(replies.contains { $0.contains(code) }, "\(code) in \(replies); \(r.stderr)") }
        // tshark's closing lines on stderr: first what it captures on, last the count.
        let lines = r.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "Capturing on 'Loopback: lo'", r.stderr)
        XCTAssertTrue(lines.last?.hasSuffix(" packets captured") ?? false, r.stderr)
        let count = Int(lines.last?.split(separator: " ").first ?? "") ?? 0
        XCTAssertGreaterThanOrEqual(count, 10, r.stderr) // handshake, 5 commands, 6 replies, teardown
    }

    func testWriteWhileCapturingThenReadBack() throws {
        let smtp = try SMTPExchange()
        defer { smtp.stop() }
        let dir = try temporaryDirectory()
        let file = dir + "/live.pcapng"
        let d = try LiveDissect(["-i", "lo", "-f", "tcp port \(smtp.port)", "-a", "duration:30", "-w", file])
        defer { d.kill() }
        try d.waitUntilCapturing()
        try smtp.run()
        Thread.sleep(forTimeInterval: 0.3)
        d.terminate() // SIGTERM finishes as cleanly as Ctrl-C
        let r = try d.wait()
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "", "-w without -P prints no packets")

        let back = try CLI.run(["-r", file, "-Y", "smtp.req"] + smtp.decodeAs
                               + ["-T", "fields", "-e", "frame.interface_name", "-e", "smtp.req.command"])
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(back.stdout, "lo\tEHLO\nlo\tMAIL\nlo\tRCPT\nlo\tDATA\nlo\tQUIT\n")
        // A pcapng file, as tshark writes by default, with nanosecond time stamps.
        let head = try Data(contentsOf: URL(fileURLWithPath: file)).prefix(4)
        XCTAssertEqual(Array(head), [0x0a, 0x0d, 0x0d, 0x0a])
        let verbose = try CLI.run(["-r", file, "-c", "1", "-V", "-O", "frame"])
        XCTAssertTrue(verbose.stdout.contains("on interface lo, id 0"), verbose.stdout)
        XCTAssertTrue(verbose.stdout.contains("    Interface id: 0 (lo)\n        Interface name: lo\n"), verbose.stdout)
    }

    func testVerboseTreeOnLivePacketsAndPacketCount() throws {
        let smtp = try SMTPExchange()
        defer { smtp.stop() }
        // -c 4: the three-way handshake and the greeting, then dissect stops by itself.
        let d = try LiveDissect(["-i", "lo", "-f", "tcp port \(smtp.port)", "-c", "4", "-V", "-a", "duration:30"]
                                + smtp.decodeAs)
        defer { d.kill() }
        try d.waitUntilCapturing()
        try smtp.run()
        let r = try d.wait()
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix("4 packets captured\n"), r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: "\nFrame ").count, 4, r.stdout)
        XCTAssertTrue(r.stdout.hasPrefix("Frame 1: "), r.stdout)
        XCTAssertTrue(r.stdout.contains("    Interface id: 0 (lo)\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Simple Mail Transfer Protocol\n    Response: 220 mail.example.test ESMTP ready\\r\\n\n"),
                      r.stdout)
    }

    // MARK: autostop, ring buffer, listing

    func testAutostopDurationEndsAnIdleCapture() throws {
        let start = Date()
        let d = try LiveDissect(["-i", "lo", "-f", "udp port 9 and host 127.0.0.254", "-a", "duration:1"])
        defer { d.kill() }
        let r = try d.wait()
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "Capturing on 'Loopback: lo'\n0 packets captured\n")
        XCTAssertGreaterThanOrEqual(elapsed, 0.9)
        XCTAssertLessThan(elapsed, 10)
    }

    func testRingBufferKeepsTheNewestFilesNamedAsDumpcapDoes() throws {
        let dir = try temporaryDirectory()
        let port = 40_000 + Int.random(in: 0..<20_000)
        let d = try LiveDissect(["-i", "lo", "-f", "udp port \(port)", "-c", "10", "-a", "duration:30",
                                 "-b", "packets:4", "-b", "files:2", "-w", dir + "/ring.pcapng"])
        defer { d.kill() }
        try d.waitUntilCapturing()
        try sendDatagrams(10, to: port)
        let r = try d.wait()
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix("10 packets captured\n"), r.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        XCTAssertEqual(files.count, 2, "\(files)")
        // ring_00002_YYYYMMDDHHMMSS.pcapng and ring_00003_…: the first file was dropped.
        let pattern = try NSRegularExpression(pattern: "^ring_0000[23]_[0-9]{14}\\.pcapng$")
        for f in files {
            XCTAssertNotNil(pattern.firstMatch(in: f, range: NSRange(f.startIndex..., in: f)), f)
        }
        let counts = try files.map { f in
            try CLI.run(["-r", dir + "/" + f, "-T", "fields", "-e", "frame.number"]).stdout.split(separator: "\n").count
        }
        XCTAssertEqual(counts, [4, 2])
    }

    func testSnapLengthAndPcapFormatWhileCapturing() throws {
        let dir = try temporaryDirectory()
        let port = 40_000 + Int.random(in: 0..<20_000)
        let file = dir + "/snap.pcap"
        let d = try LiveDissect(["-i", "lo", "-f", "udp port \(port)", "-c", "3", "-a", "duration:30",
                                 "-s", "60", "-F", "pcap", "-w", file])
        defer { d.kill() }
        try d.waitUntilCapturing()
        try sendDatagrams(3, to: port, size: 300)
        let r = try d.wait()
        XCTAssertEqual(r.status, 0, r.stderr)
        // A microsecond pcap (as dumpcap -F pcap writes), its snapshot length the -s given.
        let head = try Array(Data(contentsOf: URL(fileURLWithPath: file)).prefix(24))
        XCTAssertEqual(Array(head[0..<4]), [0xd4, 0xc3, 0xb2, 0xa1])
        XCTAssertEqual(Array(head[16..<20]), [60, 0, 0, 0])
        let back = try CLI.run(["-r", file, "-T", "fields", "-e", "frame.len", "-e", "frame.cap_len", "-e", "udp.dstport"])
        let rows = back.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        XCTAssertEqual(rows.count, 3, back.stdout)
        for row in rows {
            XCTAssertEqual(row.first, "342") // 14 + 20 + 8 + 300 bytes on the wire
            XCTAssertLessThanOrEqual(Int(row[1]) ?? 999, 60, back.stdout)
            XCTAssertEqual(row.last, String(port))
        }
    }

    func testInterfaceListHasLoopbackWithItsFriendlyName() throws {
        let r = try CLI.run(["-D"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasSuffix(". lo (Loopback)") }, r.stdout)
        for (i, line) in lines.enumerated() { XCTAssertTrue(line.hasPrefix("\(i + 1). "), line) }
        // -i takes the number -D shows.
        let n = lines.first { $0.hasSuffix(". lo (Loopback)") }!.split(separator: ".")[0]
        let d = try LiveDissect(["-i", String(n), "-a", "duration:0.3", "-f", "udp port 9 and host 127.0.0.254"])
        let r2 = try d.wait()
        XCTAssertEqual(r2.stderr, "Capturing on 'Loopback: lo'\n0 packets captured\n")
    }

    func testCaptureErrorsUseTsharksWording() throws {
        let noDevice = try CLI.run(["-i", "nosuchdev0", "-a", "duration:1"])
        XCTAssertEqual(noDevice.status, 1)
        XCTAssertEqual(noDevice.stderr, """
            Capturing on 'nosuchdev0'
            dissect: There is no device named "nosuchdev0".
            (No such device exists)
            0 packets captured

            """)
        let badFilter = try CLI.run(["-i", "lo", "-f", "tcp port", "-a", "duration:1"])
        XCTAssertEqual(badFilter.status, 1)
        XCTAssertTrue(badFilter.stderr.contains("dissect: Invalid capture filter \"tcp port\" for interface 'Loopback'."),
                      badFilter.stderr)
        let filterAndWrite = try CLI.run(["-i", "lo", "-Y", "smtp", "-w", "/tmp/never-written.pcapng"])
        XCTAssertEqual(filterAndWrite.status, 1)
        XCTAssertEqual(filterAndWrite.stderr,
                       "dissect: Display filters aren't supported when capturing and saving the captured packets.\n")
        let ringWithoutSwitch = try CLI.run(["-i", "lo", "-b", "files:3", "-w", "/tmp/never-written.pcapng"])
        XCTAssertEqual(ringWithoutSwitch.status, 1)
        XCTAssertTrue(ringWithoutSwitch.stderr.contains("no maximum capture file size, duration, interval or packets"),
                      ringWithoutSwitch.stderr)
    }

    // MARK: helpers

    private func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "dissect-live-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    private func sendDatagrams(_ n: Int, to port: Int, size: Int = 0) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        for i in 0..<n {
            var payload = Array("datagram \(i)".utf8)
            if payload.count < size { payload += [UInt8](repeating: 0x2e, count: size - payload.count) }
            let sent = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            XCTAssertEqual(sent, payload.count)
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}

/// `dissect` running in the background, its output going to files (read when it ends).
private final class LiveDissect {
    let process = Process()
    let outPath: String
    let errPath: String

    init(_ args: [String]) throws {
        let base = NSTemporaryDirectory() + "dissect-live-" + UUID().uuidString
        outPath = base + ".out"
        errPath = base + ".err"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        env["HOME"] = NSTemporaryDirectory()
        process.environment = env
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// Waits for "Capturing on" (printed once the device is open); fails with a clear message when
    /// capturing is not permitted here.
    func waitUntilCapturing(timeout: TimeInterval = 15) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let e = stderr
            if e.contains("permission") {
                throw LiveTestError("live capture is not permitted here (run the tests as root or give dissect CAP_NET_RAW): \(e)")
            }
            if e.contains("0 packets captured") || !process.isRunning {
                throw LiveTestError("dissect could not start capturing: \(e)")
            }
            if e.contains("Capturing on ") { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw LiveTestError("dissect did not start capturing within \(timeout) s: \(stderr)")
    }

    func interrupt() { process.interrupt() }
    func terminate() { process.terminate() }
    func kill() { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }

    /// Waits for the exit (bounded: the runs carry -a duration as a safety net).
    func wait(timeout: TimeInterval = 40) throws -> CLI.Result {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill()
            throw LiveTestError("dissect did not finish within \(timeout) s: \(stderr)")
        }
        process.waitUntilExit()
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = stderr
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
        return CLI.Result(status: process.terminationStatus, stdout: out, stderr: err)
    }
}

/// The python SMTP server + client: `port` is known at once, `run()` makes the exchange.
private final class SMTPExchange {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    let port: Int

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLI.fixtures + "/Live/smtp_exchange.py"]
        process.standardInput = input
        process.standardOutput = output
        do { try process.run() } catch { throw LiveTestError("python3 is needed for the live-capture tests: \(error)") }
        var line = Data()
        while !line.contains(0x0a) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let p = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LiveTestError("the SMTP helper printed no port: \(String(decoding: line, as: UTF8.self))")
        }
        port = p
    }

    /// Ports our SMTP dissector does not know by number need a Decode-As.
    var decodeAs: [String] { port == 25 || port == 587 ? [] : ["-d", "tcp.port==\(port),smtp"] }

    func run() throws {
        input.fileHandleForWriting.write(Data("go\n".utf8))
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, String(decoding: rest, as: UTF8.self).contains("done") else {
            throw LiveTestError("the SMTP exchange failed (status \(process.terminationStatus))")
        }
    }

    func stop() { if process.isRunning { process.terminate() } }
}

private struct LiveTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
