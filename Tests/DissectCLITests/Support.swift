import Foundation
import XCTest

/// Runs the built `dissect` binary (end-to-end tests).
enum CLI {
    static var fixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").path
    }

    /// The `dissect` executable: `$DISSECT_BIN`, else the one built next to the tests.
    static var binary: String {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["DISSECT_BIN"], fm.isExecutableFile(atPath: env) { return env }
        let bundle = Bundle(for: Marker.self).bundleURL
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [bundle.appendingPathComponent("dissect"),
                          bundle.deletingLastPathComponent().appendingPathComponent("dissect"),
                          root.appendingPathComponent(".build/debug/dissect"),
                          root.appendingPathComponent(".build/release/dissect")]
        for c in candidates where fm.isExecutableFile(atPath: c.path) { return c.path }
        return candidates[2].path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `dissect` with `args` in the fixtures directory, with TZ=UTC and an empty HOME;
    /// `environment` adds or replaces variables (an empty value removes one).
    static func run(_ args: [String], cwd: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd ?? fixtures)
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        env["LC_ALL"] = "C.UTF-8"
        env["HOME"] = NSTemporaryDirectory()
        // Personal settings (preferences, colorfilters) must not leak in from the machine.
        for k in ["XDG_CONFIG_HOME", "WIRESHARK_CONFIG_DIR", "DISSECT_CONFIG_DIR", "COLORTERM", "DISSECT_FORCE_COLOR"] {
            env[k] = nil
        }
        for (k, v) in environment { env[k] = v.isEmpty ? nil : v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }
}

final class Marker {}
