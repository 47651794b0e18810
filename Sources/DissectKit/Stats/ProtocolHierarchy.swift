/// `-z io,phs`: frames and bytes per protocol path, printed as tshark's indented tree.
public final class ProtocolHierarchy {
    final class Node {
        let proto: FieldID
        var frames = 0
        var bytes = 0
        var children: [Node] = []
        init(_ proto: FieldID) { self.proto = proto }
        func child(_ p: FieldID) -> Node {
            if let c = children.first(where: { $0.proto == p }) { return c }
            let n = Node(p)
            children.append(n)
            return n
        }
    }

    let registry: FieldRegistry
    let root = Node(.textOnly)
    public let filter: String
    /// Protocols listed in `frame.protocols` but not in the hierarchy (tshark's pseudo-layers).
    private var skipped: Set<FieldID> = []

    public init(registry: FieldRegistry, filter: String = "") {
        self.registry = registry
        self.filter = filter
        for name in ["frame", "ethertype"] { if let id = registry.lookup(name) { skipped.insert(id) } }
    }

    /// Every protocol id: the hierarchy is read from the protocols' top-level tree items.
    public var wantedFields: [FieldID] { registry.fields.filter(\.isProtocol).map(\.id) }

    /// Counts one packet's protocol path: its top-level protocol items in order (tshark's phs
    /// tap walks the top level of the tree, so a protocol nested inside another's subtree, like
    /// IMF's "Line-based text data", is not a level of its own).
    public func add(_ ctx: PacketContext) {
        var node = root
        for r in ctx.tree.records where r.flags.contains(.topLevel) {
            let info = registry[r.field]
            guard info.isProtocol, !skipped.contains(r.field) else { continue }
            node = node.child(r.field)
            node.frames += 1
            node.bytes += ctx.frame.originalLength
        }
    }

    public func render() -> String {
        var s = "\n===================================================================\n"
        s += "Protocol Hierarchy Statistics\n"
        s += "Filter: \(filter)\n\n"
        func walk(_ n: Node, _ depth: Int) {
            for c in n.children {
                var name = String(repeating: " ", count: depth * 2) + registry[c.proto].abbrev
                if name.count < 40 { name += String(repeating: " ", count: 40 - name.count) }
                s += "\(name) frames:\(c.frames) bytes:\(c.bytes)\n"
                walk(c, depth + 1)
            }
        }
        walk(root, 0)
        s += "===================================================================\n"
        return s
    }
}
