import DissectKit
#if canImport(Glibc)
import Glibc
#endif

/// Where personal settings live and how they reach the engine: preferences files, `-C` profiles,
/// `-o` overrides and `-d` Decode-As, applied in tshark's order (files, then the command line).
///
/// Two directories are read, both optional:
/// - Wireshark's (`$WIRESHARK_CONFIG_DIR`, else `$XDG_CONFIG_HOME/wireshark` or
///   `~/.config/wireshark`, else the legacy `~/.wireshark`), so an existing Wireshark setup keeps
///   working: its preferences whose names we know are applied, the others skipped silently.
/// - dissect's own (`$DISSECT_CONFIG_DIR`, else `$XDG_CONFIG_HOME/dissect` or
///   `~/.config/dissect`), read second so it wins; unknown names there get tshark's warning.
/// With `-C NAME` the `profiles/NAME/` subdirectory of each replaces it (as Wireshark reads a
/// profile's files instead of the default ones); the profile must exist in one of them.
struct Configuration {
    let wiresharkDir: String?
    let dissectDir: String?
    let profile: String?

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func readFile(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buf[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The directories from the environment (`HOME`, `XDG_CONFIG_HOME`, `WIRESHARK_CONFIG_DIR`,
    /// `DISSECT_CONFIG_DIR`).
    init(profile: String?) {
        let home = Self.environment("HOME")
        let xdg = Self.environment("XDG_CONFIG_HOME") ?? home.map { $0 + "/.config" }
        if let w = Self.environment("WIRESHARK_CONFIG_DIR") {
            wiresharkDir = w
        } else if let x = xdg, Self.isDirectory(x + "/wireshark") {
            wiresharkDir = x + "/wireshark"
        } else if let h = home, Self.isDirectory(h + "/.wireshark") {
            wiresharkDir = h + "/.wireshark"
        } else {
            wiresharkDir = xdg.map { $0 + "/wireshark" }
        }
        dissectDir = Self.environment("DISSECT_CONFIG_DIR") ?? xdg.map { $0 + "/dissect" }
        self.profile = profile
    }

    /// The directories settings are read from, Wireshark's first, each with whether it is
    /// Wireshark's.
    var searchDirectories: [(path: String, isWireshark: Bool)] {
        [(wiresharkDir, true), (dissectDir, false)].compactMap { dir, ws in
            guard let dir else { return nil }
            if let p = profile { return (dir + "/profiles/" + p, ws) }
            return (dir, ws)
        }
    }

    /// True when `-C NAME` names an existing profile (or no profile was asked for).
    var profileExists: Bool {
        guard let p = profile else { return true }
        return [wiresharkDir, dissectDir].contains { $0.map { Self.isDirectory($0 + "/profiles/" + p) } ?? false }
    }

    /// The personal copy of a settings file (`colorfilters`, `dfilters`): dissect's own first,
    /// then Wireshark's.
    func personalFile(_ name: String) -> String? {
        for (dir, _) in searchDirectories.reversed() where access(dir + "/" + name, R_OK) == 0 { return dir + "/" + name }
        return nil
    }

    /// Applies the preferences files (what `-G currentprefs` shows, as in tshark); prints tshark's
    /// messages. Returns the exit status when the run must stop.
    func applyFiles(to engine: Engine) -> Int32? {
        if let p = profile, !profileExists {
            printError("Configuration Profile \"\(p)\" does not exist")
            return 1
        }
        for (dir, isWireshark) in searchDirectories {
            let path = dir + "/preferences"
            guard let text = Self.readFile(path) else { continue }
            // Wireshark's file is full of preferences of protocols we do not dissect.
            for w in engine.preferences.load(fileText: text, path: path, unknown: isWireshark ? .ignore : .warn) {
                Self.printWarning("read_prefs_file(): " + w)
            }
        }
        return nil
    }

    /// `-o` then `-d`; prints tshark's messages and returns the exit status when the run must stop.
    func applyCommandLine(to engine: Engine, options: DissectOptions) -> Int32? {
        for p in options.preferences {
            if let err = engine.preferences.apply(p) {
                printError(err)
                return 1
            }
        }
        for d in options.decodeAs {
            let outcome = engine.applyDecodeAs(d)
            for m in outcome.messages { printError(m) }
            for l in outcome.listing { printStderr(l) }
            if !outcome.applied { return 1 }
        }
        return nil
    }

    /// A warning in the layout of tshark's log messages
    /// (" ** (tshark:PID) HH:MM:SS.uuuuuu [Epan WARNING] -- message").
    static func printWarning(_ message: String) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var tmv = tm()
        localtime_r(&t, &tmv)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var micro = String(ts.tv_nsec / 1000)
        while micro.count < 6 { micro = "0" + micro }
        printStderr(" ** (dissect:\(getpid())) \(two(tmv.tm_hour)):\(two(tmv.tm_min)):\(two(tmv.tm_sec)).\(micro) [Epan WARNING] -- " + message)
    }
}
