import DissectKit
import Plugins

/// The `-T` format and what it implies, as tshark 4.0 decides it (tshark.c option parsing).
enum OutputFormat: String {
    case text, tabs, fields, json, jsonraw, ek, pdml, psml

    /// tshark's message after `Invalid -T parameter "X"; it must be one of:`.
    static let choices = """
    \t"fields"  The values of fields specified with the -e option, in a form
    \t          specified by the -E option.
    \t"pdml"    Packet Details Markup Language, an XML-based format for the
    \t          details of a decoded packet. This information is equivalent to
    \t          the packet details printed with the -V flag.
    \t"ps"      PostScript for a human-readable one-line summary of each of
    \t          the packets, or a multi-line view of the details of each of
    \t          the packets, depending on whether the -V flag was specified.
    \t"psml"    Packet Summary Markup Language, an XML-based format for the
    \t          summary information of a decoded packet. This information is
    \t          equivalent to the information shown in the one-line summary
    \t          printed by default.
    \t"json"    Packet Summary, an JSON-based format for the details
    \t          summary information of a decoded packet. This information is 
    \t          equivalent to the packet details printed with the -V flag.
    \t"jsonraw" Packet Details, a JSON-based format for machine parsing
    \t          including only raw hex decoded fields (same as -T json -x but
    \t          without text decoding, only raw fields included). 
    \t"ek"      Packet Details, an EK JSON-based format for the bulk insert 
    \t          into elastic search cluster. This information is 
    \t          equivalent to the packet details printed with the -V flag.
    \t"text"    Text of a human-readable one-line summary of each of the
    \t          packets, or a multi-line view of the details of each of the
    \t          packets, depending on whether the -V flag was specified.
    \t          This is the default.
    \t"tabs"    Similar to the text report except that each column of the
    \t          human-readable one-line summary is delimited with an ASCII
    \t          horizontal tab character.
    """

    /// The text formats (one-line list and `-V` tree); `-e` is refused with them.
    var isText: Bool { self == .text || self == .tabs }
}

/// `-j` / `-J`: the protocol filter of the structured formats (space-separated names; the last
/// option given wins, as in tshark).
func protocolFilter(_ options: DissectOptions) -> (names: Set<String>, withChildren: Bool)? {
    let args = CommandLine.arguments
    let lastJ = args.lastIndex { $0.hasPrefix("-J") }
    let lastj = args.lastIndex { $0.hasPrefix("-j") }
    let useJ: Bool
    switch (options.protocolFilter, options.protocolFilterWithChildren) {
    case (nil, nil): return nil
    case (_?, nil): useJ = false
    case (nil, _?): useJ = true
    case (_?, _?): useJ = (lastJ ?? -1) > (lastj ?? -1)
    }
    let text = (useJ ? options.protocolFilterWithChildren : options.protocolFilter) ?? ""
    return (Set(text.split(separator: " ").map(String.init)), useJ)
}

/// `-T json/jsonraw/ek/pdml/psml/tabs`: the preamble, one record per displayed packet, the finale.
final class StructuredOutput {
    private let printPacket: (PacketContext) -> Void
    private let preamble: () -> Void
    private let finale: () -> Void
    /// Fields `-e` asks for.
    let wantedFields: [FieldID]
    /// True when the whole tree must be built.
    let needsTree: Bool

    /// nil for `text` and `fields` (Runner prints those itself).
    init?(format: OutputFormat, options: DissectOptions, engine: Engine, out: OutputStream,
          formatter: FieldFormatter, columns: Columns, captureFile: String?) throws(FieldsError) {
        let filter = protocolFilter(options)
        switch format {
        case .json, .jsonraw:
            var o = JSONPrinter.Options()
            o.raw = format == .jsonraw
            o.hex = options.hex
            o.protocolFilter = filter?.names
            o.filterIncludesChildren = filter?.withChildren ?? false
            o.noDuplicateKeys = options.noDuplicateKeys
            o.fields = options.fields
            let p = try JSONPrinter(out: out, engine: engine, formatter: formatter, columns: columns, options: o)
            printPacket = p.print
            preamble = p.printPreamble
            finale = p.printFinale
            wantedFields = p.wantedFields
            needsTree = options.fields.isEmpty
        case .ek:
            var o = EKPrinter.Options()
            o.hex = options.hex
            o.summary = options.printSummary
            o.details = options.verbose || !options.printSummary
            o.protocolFilter = filter?.names
            o.filterIncludesChildren = filter?.withChildren ?? false
            o.noDuplicateKeys = options.noDuplicateKeys
            o.fields = options.fields
            let p = try EKPrinter(out: out, engine: engine, formatter: formatter, columns: columns, options: o)
            printPacket = p.print
            preamble = {}
            finale = {}
            wantedFields = p.wantedFields
            needsTree = options.fields.isEmpty && o.details
        case .pdml:
            let p = try PDMLPrinter(out: out, engine: engine, formatter: formatter, columns: columns,
                                    protocolFilter: filter?.names, filterIncludesChildren: filter?.withChildren ?? false,
                                    fields: options.fields)
            printPacket = p.print
            preamble = { p.printPreamble(captureFile: captureFile) }
            finale = p.printFinale
            wantedFields = p.wantedFields
            needsTree = options.fields.isEmpty
        case .psml:
            let p = PSMLPrinter(out: out, columns: columns)
            if let layout = ColumnFormat(options.preferences)?.layout { p.layout = layout }
            printPacket = p.print
            preamble = p.printPreamble
            finale = p.printFinale
            wantedFields = []
            needsTree = false
        case .text, .fields, .tabs:
            return nil
        }
    }

    func printPreamble() { preamble() }
    func print(_ ctx: PacketContext) { printPacket(ctx) }
    func printFinale() { finale() }
}

/// The text output of one packet (`-T text`/`tabs`): summary line, `-V` tree, `-x` dump and the
/// `-S` separator, in tshark's order (tshark.c `print_packet`).
struct TextLayout {
    let summary: SummaryPrinter
    let tabs: TabsPrinter?
    let tree: TreePrinter
    let hex: HexPrinter
    let out: OutputStream
    /// The packet-list line: `-P`, or by default unless `-V`, `-x` or `-w`.
    let printSummary: Bool
    /// `-V` or `-O`.
    let printDetails: Bool
    let printHex: Bool
    /// `-S` (default: an empty line).
    let separator: String
    /// `--color`: writes the packet-list line (Coloring.swift).
    var colorizer: PacketColorizer?

    init(options: DissectOptions, summary: SummaryPrinter, tabs: TabsPrinter?, tree: TreePrinter, hex: HexPrinter,
         out: OutputStream) {
        self.summary = summary
        self.tabs = tabs
        self.tree = tree
        self.hex = hex
        self.out = out
        printDetails = options.verbose || options.onlyProtocols != nil
        printHex = options.hex
        printSummary = options.printSummary || (!printDetails && !printHex && options.writeFile == nil)
        separator = options.separator ?? ""
    }

    /// True when nothing at all is printed per packet (`-w` without `-P`/`-V`/`-x`).
    var isSilent: Bool { !printSummary && !printDetails && !printHex }

    func print(_ ctx: PacketContext) {
        if printSummary {
            if let c = colorizer { c.printSummary(ctx) } else if let t = tabs { t.print(ctx) } else { summary.print(ctx) }
        }
        if printDetails {
            tree.print(ctx)
            if !printHex {
                out.write(separator)
                out.write("\n")
            }
        }
        if printHex {
            if printSummary || printDetails { out.write("\n") }
            hex.print(ctx)
            out.write(separator)
            out.write("\n")
        }
    }
}

/// `-w FILE` / `-F TYPE`.
enum CaptureOutput {
    /// tshark's listing of the `-F` types, to standard error.
    static func printTypes() {
        printStderr("dissect: The available capture file types for the \"-F\" flag are:")
        for t in CaptureFileType.allCases { printStderr(t.listingLine) }
    }

    /// The file type `-F` names (default pcapng); prints tshark's error and listing otherwise.
    static func fileType(_ options: DissectOptions) -> CaptureFileType? {
        guard let name = options.outputFileType else { return .pcapng }
        if name.isEmpty {
            printError("option requires an argument: F")
            printTypes()
            return nil
        }
        guard let t = CaptureFileType(rawValue: name) else {
            printError("\"\(name)\" isn't a valid capture file type")
            printTypes()
            return nil
        }
        return t
    }

    /// Opens the `-w` file for `reader`'s packets.
    static func open(_ path: String, type: CaptureFileType, reader: any CaptureReader) throws(CaptureWriteError) -> CaptureWriter {
        let sections = (reader as? PcapngReader)?.sections ?? []
        return try CaptureWriter(path: path, type: type, sourceFormat: reader.format, sections: sections,
                                 interfaces: reader.interfaces, secrets: reader.decryptionSecrets,
                                 application: "TShark (Wireshark) 4.0.17 (dissect 0.1.0)")
    }
}
