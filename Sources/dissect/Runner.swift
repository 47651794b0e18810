import DissectKit
import Plugins
#if canImport(Glibc)
import Glibc
#endif

/// Wires the options to the engine: read, dissect, print. No protocol knowledge here.
struct Runner {
    let options: DissectOptions

    func run() -> Int32 {
        if options.version {
            print(Usage.versionLine)
            print("")
            print("Copyright the DissectKit authors. Licensed under the Apache License 2.0.")
            return 0
        }

        let engine = Engine()
        BuiltinPlugins.register(in: engine)

        for p in options.preferences {
            if let err = engine.preferences.apply(p) {
                printError(err)
                return 1
            }
        }

        for name in engine.preferences.ignored {
            printError("preference \"\(name)\" is not implemented yet; ignored")
        }

        if let g = options.glossary {
            return Glossary(engine: engine).print(report: g)
        }

        var timeColumn = TimeColumn()
        if let t = options.timeFormat {
            guard let (f, p) = TimeFormat.parse(t) else {
                printError("Invalid time stamp type \"\(t)\"; it must be one of:")
                printStderr("\t\"a\"    for absolute\n\t\"ad\"   for absolute with YYYY-MM-DD date\n\t\"adoy\" for absolute with YYYY/DOY date\n\t\"d\"    for delta\n\t\"dd\"   for delta displayed\n\t\"e\"    for epoch\n\t\"r\"    for relative\n\t\"u\"    for absolute UTC\n\t\"ud\"   for absolute UTC with YYYY-MM-DD date\n\t\"udoy\" for absolute UTC with YYYY/DOY date")
                return 1
            }
            timeColumn.format = f
            timeColumn.precision = p
        }

        var maxCount = Int.max
        if let c = options.count {
            guard let n = Int(c), n > 0 else {
                printError("The specified maximum packet count \"\(c)\" isn't a valid positive integer")
                return 1
            }
            maxCount = n
        }

        let mode = options.outputFormat ?? "text"
        guard ["text", "fields"].contains(mode) else {
            printError("Invalid -T parameter \"\(mode)\"; it must be one of:")
            printStderr("\t\"fields\"  The values of fields specified with the -e option, in a form\n\t          specified by the -E option.\n\t\"text\"    Text of a human-readable one-line summary of each of the packets, or a\n\t          multi-line view of the details of each of the packets, depending on\n\t          whether the -V option was specified.")
            return 1
        }
        if mode != "fields" && !options.fields.isEmpty {
            printError("\"-Tfields\" was not specified, but \"-e\" options were. Use \"-Tfields\" to output those fields.")
            return 1
        }
        if mode == "fields" && options.fields.isEmpty {
            printError("\"-Tfields\" was specified, but no fields were specified with \"-e\".")
            return 1
        }
        var fieldOpts = FieldsPrinter.Options()
        for e in options.fieldOptions {
            if let err = fieldOpts.apply(e) {
                printError(err)
                return 1
            }
        }

        let resolver = engine.nameResolver // one resolver for labels, columns and values
        if options.noResolve { resolver.resolveMAC = false }
        if let flags = options.resolveFlags { resolver.resolveMAC = flags.contains("m") }

        guard let path = options.readFile else {
            printError("live capture needs -i, which is not available yet; use -r FILE")
            return 1
        }

        let out = OutputStream()
        out.lineBuffered = options.lineBuffered
        let formatter = FieldFormatter(registry: engine.registry, resolver: resolver)
        var columns = Columns(resolver: resolver)
        columns.time = timeColumn

        // What the run needs decides what the dissectors build.
        var interest = Interest.nothing(engine.registry)
        var fieldsPrinter: FieldsPrinter?
        if mode == "fields" {
            do {
                fieldsPrinter = try FieldsPrinter(out: out, formatter: formatter, columns: columns,
                                                  fields: options.fields, options: fieldOpts)
            } catch {
                printStderr("dissect: Some fields aren't valid:")
                for f in error.invalid { printStderr("\t" + f) }
                return 1
            }
            for id in fieldsPrinter!.wantedFields { interest.want(id) }
        }
        if options.verbose { interest.all = true }

        let stats: StatisticsRequests
        do {
            stats = try StatisticsRequests(options.statistics, engine: engine, columns: columns)
        } catch {
            switch error {
            case .help:
                print("     " + StatisticsRequests.available.joined(separator: "\n     "))
                return 0
            case .invalid(let arg):
                printError("Invalid -z argument \"\(arg)\"; it must be one of:")
                printStderr("     " + StatisticsRequests.available.joined(separator: "\n     "))
                return 1
            }
        }
        for id in stats.wantedFields { interest.want(id) }

        // Display filter (-Y) and read filter (-2 -R): compiled before any packet is read.
        let filters: PacketFilters
        switch PacketFilters.make(options, registry: engine.registry) {
        case .success(let f): filters = f
        case .failure(let e): return e.code
        }
        filters.addInterest(to: &interest)

        let reader: any CaptureReader
        do {
            reader = try openCapture(path: path)
        } catch {
            printError(error.message)
            return 2
        }
        engine.interfacesFromPcapng = reader.format == .pcapng
        engine.interfaces = reader.interfaces
        if options.twoPass, let selected = options.selectedFrame {
            filters.bindReferences(path: path, selected: selected, prefs: options.preferences)
        }

        let summary = SummaryPrinter(out: out, columns: columns)
        let tree = TreePrinter(out: out, formatter: formatter)
        let hexPrinter = HexPrinter(out: out)
        fieldsPrinter?.printHeader()

        var ctx = engine.makeContext(interest: interest)
        var number: UInt32 = 0
        var status: Int32 = 0
        let quiet = options.quiet
        let separator = options.separator
        do {
            while number < maxCount, let p = try reader.next() {
                number += 1
                if reader.interfaces.count != engine.interfaces.count { engine.interfaces = reader.interfaces }
                var meta = p.meta
                meta.number = number
                engine.setFrameComments(p.comments)
                engine.dissect(&ctx, frame: meta, bytes: p.bytes)
                // -2 -R drops the frame and numbers the next one in its place (see PacketFilters).
                if let rf = filters.read, !rf.matches(ctx) { number -= 1; continue }
                let shown = filters.display?.matches(ctx) ?? true
                if !quiet && shown {
                    if let fp = fieldsPrinter {
                        fp.print(ctx)
                    } else {
                        // tshark's layout: -V: tree, blank, [hex, blank]; -x alone: [-P summary,
                        // blank,] hex, blank.
                        if options.verbose {
                            if options.printSummary { summary.print(ctx) }
                            tree.print(ctx)
                            if options.hex {
                                out.write("\n")
                                hexPrinter.print(ctx)
                            }
                            out.write("\n")
                        } else {
                            if let s = separator { out.write(s + "\n") }
                            if options.hex {
                                if options.printSummary {
                                    summary.print(ctx)
                                    out.write("\n")
                                }
                                hexPrinter.print(ctx)
                                out.write("\n")
                            } else {
                                summary.print(ctx)
                            }
                        }
                    }
                    out.endPacket()
                }
                if !stats.isEmpty { stats.add(ctx) }
                if shown { engine.frameDisplayed(ctx) }
            }
        } catch {
            out.flush()
            printError(error.message)
            status = 2
        }
        if !stats.isEmpty { out.write(stats.render()) }
        out.flush()
        return status
    }
}

/// `-G` reports.
struct Glossary {
    let engine: Engine

    func print(report: String) -> Int32 {
        let out = OutputStream()
        switch report {
        case "fields":
            for f in engine.registry.fields.dropFirst() {
                if f.isProtocol {
                    out.write("P\t\(f.name)\t\(f.abbrev)\n")
                } else {
                    let parent = engine.registry[f.protocolID].abbrev
                    // tshark: booleans show their container width as the "base"; times show none.
                    let base: String
                    switch f.type {
                    case .boolean: base = f.bitmask != 0 ? String(f.bitWidth) : "BASE_NONE"
                    case .absoluteTime, .relativeTime: base = ""
                    default: base = f.base.tsharkName
                    }
                    out.write("F\t\(f.name)\t\(f.abbrev)\t\(f.type.tsharkName)\t\(parent)\t\(base)\t0x\(String(f.bitmask, radix: 16))\t\(f.blurb)\n")
                }
            }
        case "protocols":
            for f in engine.registry.fields.dropFirst() where f.isProtocol {
                out.write("\(f.name)\t\(f.shortName)\t\(f.abbrev)\n")
            }
        case "defaultprefs", "currentprefs":
            for p in engine.preferences.order {
                out.write("# \(p.title)\n")
                if case .bool = p.kind { out.write("# TRUE or FALSE (case-insensitive)\n") }
                let value = report == "defaultprefs" ? p.defaultText : p.text
                out.write((report == "defaultprefs" || value == p.defaultText ? "#" : "") + "\(p.fullName): \(value)\n\n")
            }
        case "decodes":
            for (name, table) in engine.tables.sorted(by: { $0.key < $1.key }) {
                for (key, h) in table.allEntries {
                    out.write("\(name)\t\(key)\t\(engine.registry[h.protocolID].abbrev)\n")
                }
            }
        default:
            out.flush()
            printError("Invalid \"\(report)\" option for -G flag, enter -G ? for more help.")
            return 1
        }
        out.flush()
        return 0
    }
}
