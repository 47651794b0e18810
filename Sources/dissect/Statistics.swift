import DissectKit
#if canImport(Glibc)
import Glibc
#endif

/// The `-z` statistics and `--export-objects` requested on the command line, fed every packet
/// and printed after the last one (as tshark does).
final class StatisticsRequests {
    private var taps: [any StatisticTap] = []
    private var exports: [IMFExport] = []
    let columns: Columns

    /// What `-z help` lists (tshark's names for the statistics we have).
    static let available = [
        "conv,eth", "conv,ip", "conv,ipv6", "conv,tcp", "conv,udp", "credentials",
        "endpoints,eth", "endpoints,ip", "endpoints,ipv6", "endpoints,tcp", "endpoints,udp",
        "expert", "follow,tcp", "follow,udp", "io,phs", "io,stat",
    ]

    /// The `--export-objects` protocols.
    static let exportTypes = ["imf"]

    /// Parses the `-z` and `--export-objects` arguments; throws with tshark's message.
    init(_ args: [String], exportObjects: [String] = [], engine: Engine, columns: Columns) throws(StatisticsError) {
        self.columns = columns
        let registry = engine.registry
        let macros = FilterMacros.load(paths: FilterMacros.standardPaths(shippedDirectory: PacketFilters.shippedFiltersDirectory()))
        /// A statistic's own filter ("conv,tcp,FILTER"): only matching packets are counted.
        func filtered(_ tap: any StatisticTap, _ filter: String?) throws(StatisticsError) -> any StatisticTap {
            guard let filter, !filter.isEmpty else { return tap }
            do {
                return FilteredTap(tap, try DisplayFilter(compiling: filter, registry: registry, macros: macros))
            } catch {
                throw StatisticsError.message("Filter \"\(filter)\" is invalid - \(error.message)", 1)
            }
        }
        for a in args {
            if a == "help" { throw StatisticsError.help }
            let parts = a.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            let rest = parts.count > 2 ? parts[2] : nil
            if parts.count >= 2 && parts[0] == "io" && parts[1] == "phs" {
                taps.append(try filtered(ProtocolHierarchy(registry: registry, filter: rest ?? ""), rest))
            } else if parts.count >= 2 && parts[0] == "io" && parts[1] == "stat" {
                do {
                    taps.append(try IOStatistics(arguments: rest ?? "", registry: registry, macros: macros))
                } catch {
                    throw StatisticsError.message(error.message, error.status)
                }
            } else if parts.count >= 2 && parts[0] == "conv",
                      let c = Conversations(kind: parts[1], registry: registry, filter: rest) {
                taps.append(try filtered(c, rest))
            } else if parts.count >= 2 && parts[0] == "endpoints",
                      let e = Endpoints(kind: parts[1], registry: registry, filter: rest) {
                taps.append(try filtered(e, rest))
            } else if parts[0] == "expert" {
                taps.append(ExpertStats(registry: registry))
            } else if parts[0] == "credentials" {
                taps.append(Credentials(registry: registry))
            } else if parts.count >= 2 && parts[0] == "follow", ["tcp", "udp"].contains(parts[1]) {
                do {
                    taps.append(try FollowStream(arguments: String(a.dropFirst("follow,".count)), registry: registry))
                } catch {
                    throw StatisticsError.message(error.message, 1)
                }
            } else {
                throw StatisticsError.invalid(a)
            }
        }
        for e in exportObjects {
            if e == "help" { throw StatisticsError.exportHelp }
            guard let comma = e.firstIndex(of: ","), Self.exportTypes.contains(String(e[..<comma])) else {
                throw StatisticsError.exportSyntax
            }
            let x = IMFExport(directory: String(e[e.index(after: comma)...]), registry: registry)
            exports.append(x)
            taps.append(x)
        }
    }

    var isEmpty: Bool { taps.isEmpty }

    var wantedFields: [FieldID] { taps.flatMap(\.wantedFields) }

    func add(_ ctx: PacketContext) {
        for t in taps { t.add(ctx) }
    }

    /// tshark prints the statistics in the reverse order of the `-z` arguments.
    func render() -> String {
        let text = taps.reversed().map { $0.render(columns: columns) }.joined()
        for e in exports {
            for m in e.errors { printStderr(m) }
        }
        return text
    }
}

/// A statistic restricted to the packets its filter matches (tshark's tap filter).
final class FilteredTap: StatisticTap {
    let tap: any StatisticTap
    let filter: DisplayFilter

    init(_ tap: any StatisticTap, _ filter: DisplayFilter) {
        self.tap = tap
        self.filter = filter
    }

    var wantedFields: [FieldID] { tap.wantedFields + filter.fields }
    func add(_ ctx: PacketContext) { if filter.matches(ctx) { tap.add(ctx) } }
    func render(columns: Columns) -> String { tap.render(columns: columns) }
}

enum StatisticsError: Error {
    case help
    case invalid(String)
    /// A message (after the program name) and the exit status; a leading newline is kept.
    case message(String, Int32)
    case exportHelp
    case exportSyntax

    /// Prints tshark's text for the error; returns the exit status.
    func report() -> Int32 {
        let list = "     " + StatisticsRequests.available.joined(separator: "\n     ")
        let exportList = "     " + StatisticsRequests.exportTypes.joined(separator: "\n     ")
        switch self {
        case .help:
            printError("The available statistics for the \"-z\" option are:")
            printStderr(list)
            return 0
        case .invalid(let arg):
            printError("Invalid -z argument \"\(arg)\"; it must be one of:")
            printStderr(list)
            return 1
        case .message(let m, let status):
            // tshark writes these with their own leading/trailing newlines.
            var text = m.hasPrefix("\n") ? "\n" + "dissect: " + m.dropFirst() : "dissect: " + m + "\n"
            text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
            return status
        case .exportHelp:
            printError("The available export object types for the \"--export-objects\" option are:")
            printStderr(exportList)
            return 0
        case .exportSyntax:
            printError("\"--export-objects\" are specified as: <protocol>,<destdir>")
            printError("The available export object types for the \"--export-objects\" option are:")
            printStderr(exportList)
            return 1
        }
    }
}
