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
        if options.listInterfaces { return LiveRun.listInterfaces() }

        let engine = Engine()
        BuiltinPlugins.register(in: engine)

        // Preferences files and the -C profile (Configuration.swift): -G currentprefs shows them.
        let configuration = Configuration(profile: options.profile)
        if let status = configuration.applyFiles(to: engine) { return status }

        // tshark reads -G only as the very first argument, before -o is applied.
        if let g = options.glossary {
            guard CommandLine.arguments.count > 1, CommandLine.arguments[1] == "-G" else {
                printError("-G only valid as first option")
                return 1
            }
            return Glossary(engine: engine).print(report: g)
        }

        // -o and -d (Configuration.swift).
        if let status = configuration.applyCommandLine(to: engine, options: options.withoutColumnFormat) { return status }

        for name in engine.preferences.ignored {
            printError("preference \"\(name)\" is not implemented yet; ignored")
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
        guard let format = OutputFormat(rawValue: mode) else {
            printError("Invalid -T parameter \"\(mode)\"; it must be one of:")
            printStderr(OutputFormat.choices)
            return 1
        }
        if format.isText && !options.fields.isEmpty {
            printError("Output fields were specified with \"-e\", but \"-Tek, -Tfields, -Tjson or -Tpdml\" was not specified.")
            return 1
        }
        // -w: the file type first (a bad -F stops before anything is read).
        var writeType = CaptureFileType.pcapng
        if options.writeFile != nil || options.outputFileType != nil {
            guard let t = CaptureOutput.fileType(options) else { return 1 }
            writeType = t
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

        let out = OutputStream()
        // A live capture on a terminal shows each packet as it comes, as tshark's line-buffered stdout.
        out.lineBuffered = options.lineBuffered || (options.readFile == nil && isatty(1) != 0)
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
            if fieldsPrinter!.needsTree { interest.all = true }
        }
        if options.verbose || options.onlyProtocols != nil { interest.all = true }
        // -T json/jsonraw/ek/pdml/psml (tabs is printed by TextLayout).
        let structured: StructuredOutput?
        do {
            structured = try StructuredOutput(format: format, options: options, engine: engine, out: out,
                                              formatter: formatter, columns: columns, captureFile: options.readFile)
        } catch {
            printStderr("dissect: Some fields aren't valid:")
            for f in error.invalid { printStderr("\t" + f) }
            return 1
        }
        if let so = structured {
            if so.needsTree { interest.all = true }
            for id in so.wantedFields { interest.want(id) }
        }

        let stats: StatisticsRequests
        do {
            stats = try StatisticsRequests(options.statistics, exportObjects: options.exportObjects, engine: engine,
                                           columns: columns)
        } catch {
            return error.report()
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
        var live: LiveRun? // -i (Live.swift): packets from an interface instead of a file
        if let path = options.readFile {
            do {
                reader = try openCapture(path: path)
            } catch {
                printError(error.message)
                return 2
            }
        } else {
            switch LiveRun.start(options, packetLimit: maxCount) {
            case .success(let l): live = l; reader = l.reader
            case .failure(let e): return e.code
            }
        }
        engine.interfacesFromPcapng = reader.format == .pcapng
        engine.interfaces = reader.interfaces
        // -2: a real first pass for forward references, unless -R renumbers the frames (then the
        // single-pass emulation in PacketFilters gives tshark's numbering) or the input is a pipe.
        if options.twoPass, options.readFilter == nil, let path = options.readFile, path != "-" {
            do {
                try engine.runFirstPass(path: path)
            } catch {
                // The second pass reports the same error where the file breaks.
            }
        }
        if options.twoPass, let selected = options.selectedFrame, let path = options.readFile {
            filters.bindReferences(path: path, selected: selected, prefs: options.preferences)
        }

        let summary = SummaryPrinter(out: out, columns: columns)
        let tree = TreePrinter(out: out, formatter: formatter)
        if let only = options.onlyProtocols { tree.onlyProtocols = Set(only.split(separator: ",").map(String.init)) }
        tree.hexDumpData = !options.hex
        let hexPrinter = HexPrinter(out: out)
        var text = TextLayout(options: options, summary: summary,
                              tabs: format == .tabs ? TabsPrinter(out: out, columns: columns) : nil,
                              tree: tree, hex: hexPrinter, out: out)
        // --color (Coloring.swift): the rule's fields are read, so they join the interest.
        var colorizer: PacketColorizer?
        if options.color {
            let rules = PacketColorizer.loadRules(configuration, registry: engine.registry)
            rules.addInterest(to: &interest)
            colorizer = PacketColorizer(rules: rules, out: out, columns: columns, tabs: format == .tabs)
            text.colorizer = colorizer
        }

        // -w FILE (or - for standard output, which then carries nothing else).
        var writer: CaptureWriter?
        if let w = options.writeFile {
            if w == "-" && !options.quiet && (structured != nil || fieldsPrinter != nil || !text.isSilent) {
                printError("You can't write both raw packet data and dissected packets to the standard output.")
                return 1
            }
            if let l = live {
                if let code = l.save(to: w, type: writeType) { return code }
            } else {
                do {
                    writer = try CaptureOutput.open(w, type: writeType, reader: reader)
                } catch {
                    printError(error.message)
                    return 2
                }
            }
        }
        fieldsPrinter?.printHeader()
        if !options.quiet { structured?.printPreamble() }

        // --threads: printing (the tree, JSON, EK, PDML, hex) moves to a second thread; dissection
        // stays here, in frame order (PacketPipeline). Live captures and --color print here.
        let heavy = interest.all || options.hex
        let threads = (heavy && live == nil && colorizer == nil && !options.lineBuffered && !options.quiet)
            ? (options.threads ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) : 1
        let pipeline = PacketPipeline(engine: engine, interest: interest, threads: threads) { ctx in
            if let so = structured {
                so.print(ctx)
            } else if let fp = fieldsPrinter {
                fp.print(ctx)
            } else {
                text.print(ctx)
            }
            out.endPacket()
        }
        var number: UInt32 = 0
        var status: Int32 = 0
        let quiet = options.quiet
        do {
            while number < maxCount, let p = try reader.next() {
                number += 1
                if reader.interfaces.count != engine.interfaces.count {
                    pipeline.drain() // the printer reads them
                    engine.interfaces = reader.interfaces
                }
                var meta = p.meta
                meta.number = number
                engine.setFrameComments(p.comments)
                let ctx = pipeline.context
                engine.dissect(&ctx.pointee, frame: meta, bytes: pipeline.frameBytes(p.bytes))
                // -2 -R drops the frame and numbers the next one in its place (see PacketFilters).
                if let rf = filters.read, !rf.matches(ctx.pointee) { number -= 1; continue }
                let shown = filters.display?.matches(ctx.pointee) ?? true
                if shown, let w = writer {
                    try w.write(p, interfaces: reader.interfaces, secrets: reader.decryptionSecrets)
                }
                if shown, let c = colorizer { c.annotate(&ctx.pointee) }
                if !stats.isEmpty { stats.add(ctx.pointee) }
                if shown { engine.frameDisplayed(ctx.pointee) }
                // Last: with a printer thread the context is no longer ours after this.
                if !quiet && shown { pipeline.submit() }
            }
        } catch let error as CaptureError {
            pipeline.finish()
            out.flush()
            printError(error.message)
            status = 2
        } catch let error as CaptureWriteError {
            pipeline.finish()
            out.flush()
            printError(error.message)
            status = 2
        } catch {
            status = 2
        }
        pipeline.finish()
        if !quiet { structured?.printFinale() }
        do {
            try writer?.close()
        } catch {
            printError(error.message)
            status = 2
        }
        if !stats.isEmpty { out.write(stats.render()) }
        colorizer?.finish()
        out.flush()
        if let l = live { status = max(status, l.finish()) }
        return status
    }
}
