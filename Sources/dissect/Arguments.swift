import ArgumentParser

/// `dissect`'s command line: tshark's flags, declared once, with tshark's short names.
struct DissectOptions: ParsableArguments {
    @Option(name: .customShort("r"), help: ArgumentHelp("Read packets from infile (\"-\" for standard input).", valueName: "infile"))
    var readFile: String?

    @Option(name: .customShort("Y"), parsing: .unconditional, help: ArgumentHelp("Packet displaY filter in Wireshark display filter syntax.", valueName: "display filter"))
    var displayFilter: String?

    @Option(name: .customShort("R"), parsing: .unconditional, help: ArgumentHelp("Packet Read filter (with -2).", valueName: "read filter"))
    var readFilter: String?

    @Flag(name: .customShort("2"), help: "Perform a two-pass analysis.")
    var twoPass = false

    @Option(name: .customShort("c"), help: ArgumentHelp("Stop after n packets.", valueName: "packet count"))
    var count: String?

    @Flag(name: .customShort("V"), help: "Add output of packet tree (Packet Details).")
    var verbose = false

    @Option(name: .customShort("O"), help: ArgumentHelp("Only show packet details of these protocols, comma separated.", valueName: "protocols"))
    var onlyProtocols: String?

    @Flag(name: .customShort("P"), help: "Print packet summary even when writing to a file.")
    var printSummary = false

    @Flag(name: .customShort("x"), help: "Add output of hex and ASCII dump (Packet Bytes).")
    var hex = false

    @Option(name: .customShort("T"), help: ArgumentHelp("Format of text output: fields|json|ek|pdml|psml|text|tabs|jsonraw.", valueName: "format"))
    var outputFormat: String?

    @Option(name: .customShort("e"), help: ArgumentHelp("Field to print if -T fields selected (repeatable).", valueName: "field"))
    var fields: [String] = []

    @Option(name: .customShort("E"), help: ArgumentHelp("Set options for output when -T fields selected: header=y|n, separator=/t|/s|<char>, occurrence=f|l|a, aggregator=,|/s|<char>, quote=d|s|n.", valueName: "fieldsoption"))
    var fieldOptions: [String] = []

    @Option(name: .customShort("t"), help: ArgumentHelp("Format of time stamps: a|ad|adoy|d|dd|e|r|u|ud|udoy[.prec].", valueName: "format"))
    var timeFormat: String?

    @Flag(name: .customShort("n"), help: "Disable all name resolutions.")
    var noResolve = false

    @Option(name: .customShort("N"), help: ArgumentHelp("Enable specific name resolution(s): \"mnNtdv\".", valueName: "name resolve flags"))
    var resolveFlags: String?

    @Option(name: .customShort("o"), help: ArgumentHelp("Override preference setting (name:value).", valueName: "name:value"))
    var preferences: [String] = []

    @Flag(name: .customShort("q"), help: "Be more quiet on stdout (e.g. when using statistics).")
    var quiet = false

    @Flag(name: .customShort("Q"), help: "Only log true errors to stderr (quieter than -q).")
    var reallyQuiet = false

    @Option(name: .customShort("z"), help: ArgumentHelp("Various statistics, see \"-z help\".", valueName: "statistics"))
    var statistics: [String] = []

    @Flag(name: .customShort("l"), help: "Flush standard output after each packet.")
    var lineBuffered = false

    @Option(name: .customShort("S", allowingJoined: true), parsing: .unconditional, help: ArgumentHelp("The line separator to print between packets.", valueName: "separator"))
    var separator: String?

    @Option(name: .customShort("d"), help: ArgumentHelp("\"Decode As\", e.g. tcp.port==8888,http.", valueName: "layer_type==selector,decode_as_protocol"))
    var decodeAs: [String] = []

    @Option(name: .customShort("w"), help: ArgumentHelp("Write packets to a pcapng-format file named \"outfile\".", valueName: "outfile"))
    var writeFile: String?

    @Option(name: .customShort("G"), help: ArgumentHelp("Dump a glossary: fields, protocols, values, decodes, defaultprefs, currentprefs, plugins.", valueName: "report type"))
    var glossary: String?

    @Flag(name: [.customShort("v"), .customLong("version")], help: "Display version info and exit.")
    var version = false

    @Option(name: .customLong("threads"), help: ArgumentHelp("Worker threads for dissection (default: all cores).", valueName: "n"))
    var threads: Int?

    @Option(name: .customLong("selected-frame"), help: ArgumentHelp("Frame number used for ${field} references in filters.", valueName: "n"))
    var selectedFrame: Int?

    @Flag(name: .customLong("no-duplicate-keys"), help: "With -T json, jsonraw or ek: merge duplicate keys into arrays.")
    var noDuplicateKeys = false

    @Option(name: .customShort("j"), help: ArgumentHelp("Protocols layers filter if -T ek|pdml|json selected (child nodes only when also named).", valueName: "protocolfilter"))
    var protocolFilter: String?

    @Option(name: .customShort("J"), help: ArgumentHelp("Top level protocol filter if -T ek|pdml|json selected (expands all child nodes).", valueName: "protocolfilter"))
    var protocolFilterWithChildren: String?

    @Option(name: .customShort("F"), help: ArgumentHelp("Set the output file type for -w: pcap, pcapng or nsecpcap (default pcapng); -F alone lists them.", valueName: "output file type"))
    var outputFileType: String?

    // Live capture (Live.swift).
    @Option(name: [.customShort("i"), .customLong("interface")], help: ArgumentHelp("Name or index (from -D) of the interface to capture on.", valueName: "interface"))
    var interfaces: [String] = []

    @Option(name: .customShort("f"), parsing: .unconditional, help: ArgumentHelp("Packet filter in libpcap filter syntax.", valueName: "capture filter"))
    var captureFilter: String?

    @Option(name: [.customShort("s"), .customLong("snapshot-length")], help: ArgumentHelp("Packet snapshot length (def: appropriate maximum).", valueName: "snaplen"))
    var snapLength: String?

    @Flag(name: [.customShort("p"), .customLong("no-promiscuous-mode")], help: "Don't capture in promiscuous mode.")
    var noPromiscuous = false

    @Flag(name: [.customShort("I"), .customLong("monitor-mode")], help: "Capture in monitor mode, if available.")
    var monitorMode = false

    @Option(name: [.customShort("B"), .customLong("buffer-size")], help: ArgumentHelp("Size of kernel buffer in MiB.", valueName: "buffer size"))
    var bufferSize: String?

    @Option(name: [.customShort("y"), .customLong("linktype")], help: ArgumentHelp("Link layer type (def: first appropriate).", valueName: "link type"))
    var linkType: String?

    @Option(name: [.customShort("a"), .customLong("autostop")], help: ArgumentHelp("Autostop: duration:NUM, filesize:NUM (kB), files:NUM, packets:NUM.", valueName: "autostop cond."))
    var autostop: [String] = []

    @Option(name: [.customShort("b"), .customLong("ring-buffer")], help: ArgumentHelp("Ring buffer: duration:NUM, interval:NUM, filesize:NUM (kB), files:NUM, packets:NUM, printname:FILE.", valueName: "ringbuffer opt."))
    var ringBuffer: [String] = []

    @Flag(name: [.customShort("D"), .customLong("list-interfaces")], help: "Print list of interfaces and exit.")
    var listInterfaces = false

    @Flag(name: [.customShort("L"), .customLong("list-data-link-types")], help: "Print list of link-layer types of iface and exit.")
    var listLinkTypes = false

    @Option(name: .customShort("C"), help: ArgumentHelp("Start with the specified configuration profile.", valueName: "config profile"))
    var profile: String?

    @Flag(name: .customLong("color"), help: "Color the packet list with the coloring rules (24-bit ANSI escapes on a terminal with COLORTERM=truecolor).")
    var color = false

    @Option(name: .customLong("export-objects"), help: ArgumentHelp("Save exported objects for a protocol to a directory.", valueName: "protocol,destdir"))
    var exportObjects: [String] = []
}

/// The short options that take a value, for getopt-style splitting ("-c5", "-nr file").
let shortOptionsWithValue: Set<Character> = ["r", "Y", "R", "c", "O", "T", "e", "E", "t", "N", "o", "z", "S", "d", "w",
                                              "G", "i", "f", "s", "a", "b", "F", "j", "J", "C", "H", "K", "X", "y", "M",
                                              "B", "W", "u", "A"]
let shortFlags: Set<Character> = ["2", "V", "P", "x", "n", "q", "Q", "l", "v", "h", "D", "L", "p", "I", "g", "U"]

/// Splits getopt-style clusters into separate arguments, so "-nr f" and "-c5" work as in tshark.
/// Returns an error text for an unknown short option (tshark: "invalid option -- 'k'").
func normalizeArguments(_ args: [String]) -> ([String], String?) {
    var out: [String] = []
    var i = 0
    while i < args.count {
        let a = args[i]
        if a == "--" { out.append(contentsOf: args[i...]); break }
        if a.hasPrefix("--") {
            if let eq = a.firstIndex(of: "=") {
                out.append(String(a[..<eq]))
                out.append(String(a[a.index(after: eq)...]))
            } else {
                out.append(a)
            }
            i += 1
            continue
        }
        if a.hasPrefix("-") && a.count >= 2 {
            var chars = Array(a.dropFirst())
            while !chars.isEmpty {
                let c = chars.removeFirst()
                if c == "S", chars.isEmpty, i + 1 < args.count, args[i + 1].hasPrefix("---") {
                    // ArgumentParser refuses a separate "---…" token even as a value; pass it joined.
                    i += 1
                    out.append("-S" + args[i])
                } else if shortOptionsWithValue.contains(c) {
                    out.append("-" + String(c))
                    if !chars.isEmpty {
                        out.append(String(chars))
                        chars = []
                    } else if i + 1 < args.count {
                        i += 1
                        out.append(args[i])
                    } else if c == "G" {
                        // tshark: a bare -G dumps the fields glossary.
                        out.append("fields")
                    } else if c == "F" {
                        // A bare -F lists the file types (Runner prints tshark's listing).
                        out.append("")
                    } else {
                        return (out, "option requires an argument -- '\(c)'")
                    }
                } else if shortFlags.contains(c) {
                    out.append("-" + String(c))
                } else {
                    return (out, "invalid option -- '\(c)'")
                }
            }
            i += 1
            continue
        }
        out.append(a)
        i += 1
    }
    return (out, nil)
}
