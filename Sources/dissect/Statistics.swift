import DissectKit

/// The `-z` statistics requested on the command line, fed every displayed packet and printed
/// after the last one (as tshark does).
final class StatisticsRequests {
    private var phs: [ProtocolHierarchy] = []
    private var conversations: [Conversations] = []
    private var follows: [FollowStream] = []
    private var experts: [ExpertStats] = []
    private var order: [(kind: String, index: Int)] = []
    let columns: Columns

    static let available = [
        "conv,eth", "conv,ip", "conv,ipv6", "conv,tcp", "conv,udp", "expert", "follow,tcp", "io,phs",
    ]

    /// Parses the `-z` arguments; returns tshark's error text for an unknown one.
    init(_ args: [String], engine: Engine, columns: Columns) throws(StatisticsError) {
        self.columns = columns
        for a in args {
            let parts = a.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            if a == "help" { throw StatisticsError.help }
            if parts.count >= 2 && parts[0] == "io" && parts[1] == "phs" {
                let filter = parts.count > 2 ? parts[2] : ""
                order.append(("phs", phs.count))
                phs.append(ProtocolHierarchy(registry: engine.registry, filter: filter))
            } else if parts.count >= 2 && parts[0] == "conv",
                      let c = Conversations(kind: parts[1], registry: engine.registry,
                                            filter: parts.count > 2 ? parts[2] : nil) {
                order.append(("conv", conversations.count))
                conversations.append(c)
            } else if parts[0] == "expert" {
                order.append(("expert", experts.count))
                experts.append(ExpertStats(registry: engine.registry))
            } else if parts.count >= 2 && parts[0] == "follow",
                      let f = FollowStream(arguments: String(a.dropFirst("follow,".count)), registry: engine.registry) {
                order.append(("follow", follows.count))
                follows.append(f)
            } else {
                throw StatisticsError.invalid(a)
            }
        }
    }

    var isEmpty: Bool { order.isEmpty }

    var wantedFields: [FieldID] {
        conversations.flatMap(\.wantedFields) + follows.flatMap(\.wantedFields) + phs.flatMap(\.wantedFields)
            + experts.flatMap(\.wantedFields)
    }

    func add(_ ctx: PacketContext) {
        for p in phs { p.add(ctx) }
        for c in conversations { c.add(ctx) }
        for f in follows { f.add(ctx) }
        for e in experts { e.add(ctx) }
    }

    /// tshark prints the statistics in the reverse order of the `-z` arguments.
    func render() -> String {
        var s = ""
        for (kind, i) in order.reversed() {
            switch kind {
            case "phs": s += phs[i].render()
            case "expert": s += experts[i].render()
            case "follow": s += String(decoding: follows[i].render(columns: columns), as: UTF8.self)
            default: s += conversations[i].render(columns: columns)
            }
        }
        return s
    }
}

enum StatisticsError: Error {
    case help
    case invalid(String)
}
