/// `-z endpoints,TYPE` (eth, ip, ipv6, tcp, udp): per address (and port), frames and bytes sent
/// and received, in tshark 4.0's table layout (ui/cli/tap-endpoints.c).
///
/// Each packet counts once for its source (Tx) and once for its destination (Rx), so a frame
/// whose two ends are the same address counts twice for it, as in tshark. Rows are printed by
/// total frames, most first; rows with equal totals keep the order they were first seen in.
/// Byte counts are plain numbers here (the conversation table uses SI units; this one does not).
public final class Endpoints {
    struct Key: Hashable {
        var address: Address
        var port: UInt32
    }

    struct Row {
        var key: Key
        var txFrames = 0, txBytes = 0, rxFrames = 0, rxBytes = 0
    }

    public let kind: Conversations.Kind
    public let filter: String?
    private let extractor: EndpointExtractor
    private var index: [Key: Int] = [:]
    private var rows: [Row] = []

    public init?(kind: String, registry: FieldRegistry, filter: String? = nil) {
        guard let k = Conversations.Kind(rawValue: kind) else { return nil }
        self.kind = k
        self.filter = filter
        extractor = EndpointExtractor(kind: k, registry: registry)
    }

    public var wantedFields: [FieldID] { extractor.wantedFields }

    public func add(_ ctx: PacketContext) {
        extractor.forEach(ctx) { add($0, ctx) }
    }

    private func add(_ e: EndpointExtractor.Ends, _ ctx: PacketContext) {
        let len = ctx.frame.originalLength
        let ports = extractor.hasPorts
        let src = Key(address: e.src, port: ports ? e.srcPort : 0)
        let dst = Key(address: e.dst, port: ports ? e.dstPort : 0)
        rows[row(src)].txFrames += 1
        rows[row(src)].txBytes += len
        rows[row(dst)].rxFrames += 1
        rows[row(dst)].rxBytes += len
    }

    private func row(_ k: Key) -> Int {
        if let i = index[k] { return i }
        index[k] = rows.count
        rows.append(Row(key: k))
        return rows.count - 1
    }

    static func right(_ v: Int, _ w: Int) -> String {
        let s = String(v)
        return s.count >= w ? s : String(repeating: " ", count: w - s.count) + s
    }

    public func render(columns: Columns) -> String {
        let line = String(repeating: "=", count: 80)
        let ports = extractor.hasPorts
        var s = line + "\n\(kind.title) Endpoints\nFilter:\(filter ?? "<No Filter>")\n"
        s += "                       |  " + (ports ? "Port  ||  " : "")
            + "Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n"
        let sorted = rows.enumerated().sorted {
            let ta = $0.element.txFrames + $0.element.rxFrames, tb = $1.element.txFrames + $1.element.rxFrames
            return ta != tb ? ta > tb : $0.offset < $1.offset
        }
        for (_, r) in sorted {
            s += Conversations.pad(columns.address(r.key.address), 20) + "      "
            if ports { s += Self.right(Int(r.key.port), 5) + "     " }
            s += Self.right(r.txFrames + r.rxFrames, 6) + "     " + Self.right(r.txBytes + r.rxBytes, 9)
            s += "     " + Self.right(r.txFrames, 6) + "       " + Self.right(r.txBytes, 9)
            s += "      " + Self.right(r.rxFrames, 6) + "       " + Self.right(r.rxBytes, 9) + "   \n"
        }
        s += line + "\n"
        return s
    }
}

extension Endpoints: StatisticTap {}
