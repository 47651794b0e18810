/// `-z expert`: expert infos grouped by severity, then by (group, protocol, message), with
/// their frequency, in tshark's layout. Rows keep the order of their first occurrence.
public final class ExpertStats {
    struct Row {
        var group: ExpertGroup
        var proto: String
        var summary: String
        var count: Int
    }

    let registry: FieldRegistry
    private var rows: [ExpertSeverity: [Row]] = [:]
    private var index: [String: Int] = [:]

    public init(registry: FieldRegistry) { self.registry = registry }

    /// Every expert field, so that each expert record (with its message) is built.
    public var wantedFields: [FieldID] { registry.fields.map(\.id).filter { registry.expert($0) != nil } }

    public func add(_ ctx: PacketContext) {
        for r in ctx.tree.records where r.flags.contains(.expert) {
            guard let e = registry.expert(r.field) else { continue }
            let msg = ctx.tree.labelString(r) ?? e.summary
            var protoID = registry[r.field].protocolID
            if registry[protoID].abbrev == "_ws.malformed" {
                // tshark names the protocol that was being dissected (pinfo->current_proto):
                // the layer before the malformed mark ("PNG", or "TCP" for a reassembly error).
                let layers = ctx.layers.all
                if let k = layers.lastIndex(of: protoID), k > 0 { protoID = layers[k - 1] }
            }
            let proto = registry[protoID].shortName
            let key = "\(e.severity.rawValue)\u{1}\(e.group.rawValue)\u{1}\(proto)\u{1}\(msg)"
            if let i = index[key] {
                rows[e.severity]![i].count += 1
            } else {
                index[key] = rows[e.severity, default: []].count
                rows[e.severity, default: []].append(Row(group: e.group, proto: proto, summary: msg, count: 1))
            }
        }
    }

    static func pad(_ s: String, _ w: Int) -> String {
        s.count >= w ? s : String(repeating: " ", count: w - s.count) + s
    }

    public func render() -> String {
        var s = ""
        let sections: [(ExpertSeverity, String)] = [(.error, "Errors"), (.warning, "Warns"), (.note, "Notes"),
                                                     (.chat, "Chats"), (.comment, "Comments")]
        for (sev, title) in sections {
            guard let list = rows[sev], !list.isEmpty else { continue }
            let total = list.reduce(0) { $0 + $1.count }
            s += "\n\(title) (\(total))\n=============\n   Frequency      Group           Protocol  Summary\n"
            for r in list {
                s += Self.pad(String(r.count), 12) + " " + Self.pad(r.group.name, 10) + " " + Self.pad(r.proto, 18)
                    + "  " + r.summary + "\n"
            }
        }
        return s
    }
}
