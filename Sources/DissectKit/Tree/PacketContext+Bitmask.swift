extension PacketContext {
    /// tshark's `proto_tree_add_bitmask`: a record for `field` holding `value`, and under it one
    /// record per entry of `subfields`, each holding its registered bitmask's bits of `value`
    /// (shifted down). As tshark does, the parent's line gets ", Name: Text" for each subfield
    /// that has value strings and the name of each boolean that is set ("Flags: 0xc0, On-link
    /// flag(L), Autonomous address-configuration flag(A)").
    ///
    /// Keep `subfields` in a stored array (built once at registration): an array literal per call
    /// would allocate on every packet.
    @discardableResult
    public mutating func addBitmask(_ field: FieldID, _ data: ByteView, _ offset: Int, _ length: Int, value: UInt64,
                                    parent: TreeNode, subfields: [FieldID]) -> TreeNode {
        let node = add(field, data, offset, length, .uint(value), parent: parent)
        let reg = registry
        if !node.isNone && buildsFullTree {
            var summary = ""
            for id in subfields {
                let info = reg[id]
                let v = Self.bits(value, info.bitmask)
                if info.type == .boolean {
                    if v != 0 { summary += ", " + info.name }
                } else if let s = info.strings {
                    if case .units = s { continue }
                    summary += ", " + info.name + ": " + (s.name(for: v) ?? "Unknown")
                }
            }
            if !summary.isEmpty { appendLabel(node, summary) }
        }
        for id in subfields {
            add(id, data, offset, length, .uint(Self.bits(value, reg[id].bitmask)), parent: node)
        }
        return node
    }

    /// The bits of `mask` in `value`, shifted down to bit 0.
    static func bits(_ value: UInt64, _ mask: UInt64) -> UInt64 {
        mask == 0 ? value : (value & mask) >> UInt64(mask.trailingZeroBitCount)
    }
}
