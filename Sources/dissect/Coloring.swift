import DissectKit
#if canImport(Glibc)
import Glibc
#endif

/// `--color`: the coloring rules (`colorfilters`) applied to each displayed packet.
///
/// As tshark 4.0: the matching rule is named in the frame tree ("[Coloring Rule Name: …]",
/// "[Coloring Rule String: …]"), and when standard output is a terminal that announces 24-bit
/// color (`COLORTERM=truecolor` or `24bit`) each packet-list line is written as
/// `ESC[38;2;R;G;Bm ESC[48;2;R;G;Bm line ESC[K \n ESC[0m`, with one more `ESC[0m` at the end.
/// `DISSECT_FORCE_COLOR=1` writes the escapes whatever standard output is (for tests and pagers
/// such as `less -R`).
///
/// Rules come from the personal `colorfilters` (dissect's, then Wireshark's; see Configuration),
/// else from the `Filters/colorfilters` shipped with dissect.
final class PacketColorizer {
    let rules: ColorRules
    let escapes: Bool
    let out: OutputStream
    /// Where a summary line is formatted before it is wrapped in escapes.
    private let scratch = OutputStream(fd: -1, bufferSize: 1 << 22)
    private let summary: SummaryPrinter
    private let tabs: TabsPrinter?
    private var current: ColorRule?

    init(rules: ColorRules, out: OutputStream, columns: Columns, tabs: Bool) {
        self.rules = rules
        self.out = out
        summary = SummaryPrinter(out: scratch, columns: columns)
        self.tabs = tabs ? TabsPrinter(out: scratch, columns: columns) : nil
        let term = Configuration.environment("COLORTERM")
        escapes = Configuration.environment("DISSECT_FORCE_COLOR") == "1"
            || (isatty(1) == 1 && (term == "truecolor" || term == "24bit"))
    }

    /// The rules of the personal `colorfilters`, else the shipped ones; warnings are printed.
    static func loadRules(_ configuration: Configuration, registry: FieldRegistry) -> ColorRules {
        var text = ""
        if let personal = configuration.personalFile("colorfilters"), let t = Configuration.readFile(personal) {
            text = t
        } else if let dir = PacketFilters.shippedFiltersDirectory(), let t = Configuration.readFile(dir + "/colorfilters") {
            text = t
        }
        let macros = FilterMacros.load(paths: FilterMacros.standardPaths(shippedDirectory: PacketFilters.shippedFiltersDirectory()))
        let rules = ColorRules(text: text, registry: registry, macros: macros)
        for w in rules.warnings { printError(w) }
        return rules
    }

    /// Finds the packet's rule and names it in the frame tree.
    func annotate(_ ctx: inout PacketContext) {
        current = rules.match(ctx)
        if let r = current { rules.annotate(&ctx, with: r) }
    }

    /// Writes the packet-list line (`-T text` or `tabs`), colored when escapes are on.
    func printSummary(_ ctx: PacketContext) {
        if let t = tabs { t.print(ctx) } else { summary.print(ctx) }
        let sink = scratch.sink
        var line = UnsafeRawBufferPointer(rebasing: sink.bytes[...])
        if let last = line.last, last == 0x0a { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        if escapes, let r = current {
            out.write(r.ansiPrefix)
            out.write(bytes: line)
            out.write(ColorRule.ansiLineEnd)
        } else {
            out.write(bytes: line)
            out.write(byte: 0x0a)
        }
        sink.removeAll()
    }

    /// The final reset tshark writes when it closes a colored stream.
    func finish() {
        if escapes { out.write(ColorRule.ansiReset) }
    }
}
