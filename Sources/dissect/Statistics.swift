import DissectKit

/// The `-z` statistics requested on the command line, fed every displayed packet and printed
/// after the last one (as tshark does).
final class StatisticsRequests {
    private var taps: [any StatisticTap] = []
    let columns: Columns

    static let available = [
        "conv,eth", "conv,ip", "conv,ipv6", "conv,tcp", "conv,udp", "expert", "follow,tcp", "io,phs",
    ]

    /// Parses the `-z` arguments; throws for `help` and for an unknown one.
    init(_ args: [String], engine: Engine, columns: Columns) throws(StatisticsError) {
        self.columns = columns
        for a in args {
            let parts = a.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            if a == "help" { throw StatisticsError.help }
            if parts.count >= 2 && parts[0] == "io" && parts[1] == "phs" {
                taps.append(ProtocolHierarchy(registry: engine.registry, filter: parts.count > 2 ? parts[2] : ""))
            } else if parts.count >= 2 && parts[0] == "conv",
                      let c = Conversations(kind: parts[1], registry: engine.registry,
                                            filter: parts.count > 2 ? parts[2] : nil) {
                taps.append(c)
            } else if parts[0] == "expert" {
                taps.append(ExpertStats(registry: engine.registry))
            } else if parts.count >= 2 && parts[0] == "follow",
                      let f = FollowStream(arguments: String(a.dropFirst("follow,".count)), registry: engine.registry) {
                taps.append(f)
            } else {
                throw StatisticsError.invalid(a)
            }
        }
    }

    var isEmpty: Bool { taps.isEmpty }

    var wantedFields: [FieldID] { taps.flatMap(\.wantedFields) }

    func add(_ ctx: PacketContext) {
        for t in taps { t.add(ctx) }
    }

    /// tshark prints the statistics in the reverse order of the `-z` arguments.
    func render() -> String {
        taps.reversed().map { $0.render(columns: columns) }.joined()
    }
}

enum StatisticsError: Error {
    case help
    case invalid(String)
}
