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
    public var wantedFields: [FieldID] { registry.fields.filter(\.isProtocol).map(\.id) + registry.hierarchyItems }

    /// Counts one packet's protocol path: its top-level protocol items in order (tshark's phs
    /// tap walks the top level of the tree, so a protocol nested inside another's subtree, like
    /// IMF's "Line-based text data", is not a level of its own).
    ///
    /// Items moved up for display (TCP's "[Reassembled TCP Segments]", `PacketTree.moveTail`)
    /// count where they were added, after the protocols dissected from the reassembled data, as
    /// tshark's tap sees them.
    public func add(_ ctx: PacketContext) {
        var node = root
        var deferred: [(id: FieldID, after: Int32)] = []
        let tree = ctx.tree
        func count(_ id: FieldID) {
            node = node.child(id)
            node.frames += 1
            node.bytes += ctx.frame.originalLength
        }
        for (i, r) in tree.records.enumerated() where r.flags.contains(.topLevel) {
            while let d = deferred.first, d.after <= Int32(i) {
                count(d.id)
                deferred.removeFirst()
            }
            guard registry[r.field].isProtocol || registry.hierarchyItems.contains(r.field),
                  !skipped.contains(r.field) else { continue }
            if let b = tree.movedBlocks.first(where: { Int32(i) >= $0.start && Int32(i) < $0.end }) {
                deferred.append((r.field, b.originalAfter))
                continue
            }
            count(r.field)
        }
        for d in deferred { count(d.id) }
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
