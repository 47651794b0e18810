import DissectKit
import Plugins
#if canImport(Glibc)
import Glibc
#endif

/// `-Y`, `-R` with `-2`, and `--selected-frame` for `${field}` references.
///
/// `-2` without `-R` is a real two-pass run (`Engine.runFirstPass`, forward references such as
/// "[Reassembled PDU in frame: N]"). `-2 -R` runs in one pass: tshark's first pass numbers each
/// frame after the frames kept so far and drops the frames the read filter rejects; the second
/// pass shows the kept frames with those numbers. We do the same while reading (a frame is
/// numbered `kept + 1`, filtered, and dropped or shown), which gives tshark's frames and numbers
/// but not the forward references (they would be keyed by the renumbered frames).
struct PacketFilters {
    var display: DisplayFilter?
    var read: DisplayFilter?

    /// Compiles the filters of the command line; on error prints tshark's message and returns the
    /// exit status.
    static func make(_ options: DissectOptions, registry: FieldRegistry) -> Result<PacketFilters, ExitStatus> {
        if options.readFilter != nil && !options.twoPass {
            printError("-R without -2 is deprecated. For single-pass filtering use -Y.")
            return .failure(ExitStatus(code: 1))
        }
        let macros = FilterMacros.load(paths: FilterMacros.standardPaths(shippedDirectory: shippedFiltersDirectory()))
        var f = PacketFilters()
        for (text, isRead) in [(options.readFilter, true), (options.displayFilter, false)] {
            guard let text else { continue }
            do {
                let compiled = try DisplayFilter(compiling: text, registry: registry, macros: macros)
                if isRead { f.read = compiled } else { f.display = compiled }
            } catch {
                printError(error.rendered)
                return .failure(ExitStatus(code: 2))
            }
        }
        return .success(f)
    }

    struct ExitStatus: Error { var code: Int32 }

    func addInterest(to interest: inout Interest) {
        read?.addInterest(to: &interest)
        display?.addInterest(to: &interest)
    }

    var hasReferences: Bool { (read?.hasReferences ?? false) || (display?.hasReferences ?? false) }

    /// Binds `${field}` references to the values of frame `selected`, read in a pre-pass with an
    /// engine of its own (so the main pass starts with fresh session state). tshark needs `-2`
    /// for this; without it references have no value, as in tshark.
    func bindReferences(path: String, selected: Int, prefs: [String]) {
        guard hasReferences, selected > 0 else { return }
        let engine = Engine()
        BuiltinPlugins.register(in: engine)
        for p in prefs { _ = engine.preferences.apply(p) }
        var interest = Interest.nothing(engine.registry)
        addInterest(to: &interest)
        try? engine.forEachPacket(path: path, interest: interest, limit: selected) { ctx in
            guard Int(ctx.frame.number) == selected else { return }
            read?.bindReferences(from: ctx)
            display?.bindReferences(from: ctx)
        }
    }

    /// Dissect's own `Filters/` directory (macros shipped with the tool): next to the executable's
    /// install prefix (`share/dissect/Filters`) or in the source tree above `.build*/debug`.
    static func shippedFiltersDirectory() -> String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, 4095)
        guard n > 0 else { return nil }
        var dir = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        for _ in 0..<4 {
            guard let slash = dir.lastIndex(of: "/") else { return nil }
            dir = String(dir[..<slash])
            for candidate in [dir + "/share/dissect/Filters", dir + "/Filters"] {
                if access(candidate + "/dfilter_macros", R_OK) == 0 { return candidate }
            }
        }
        return nil
    }
}
