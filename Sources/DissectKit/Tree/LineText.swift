/// Line texts that are not stored as label bytes: a text line showing its own bytes through
/// tshark's `format_text` (`RecordFlags.formatText`) is formatted when printed, straight into
/// the output, instead of into the label pool while dissecting. Every reader of a record's
/// replacement text goes through `writeReplacementLabel`.
extension PacketContext {
    /// Adds a text-only line showing `length` bytes of `data` at `offset` as tshark's
    /// `proto_tree_add_format_text` does (`format_text`, or `format_text_wsp` with
    /// `whitespaceAsSpace`; cut to 238 bytes with a " [truncated]" prefix from 240 bytes on).
    /// Nothing is formatted until the line is printed.
    @discardableResult
    public mutating func addFormatTextLine(_ data: ByteView, _ offset: Int, _ length: Int, parent: TreeNode,
                                           whitespaceAsSpace: Bool = false) -> TreeNode {
        guard tree.full, !parent.isNone || parent == .root else { return .none }
        var flags: RecordFlags = [.labelReplaces, .formatText]
        if whitespaceAsSpace { flags.insert(.formatTextWSP) }
        // The text is the record's own range of its data source (callers keep it inside `data`).
        return add(.textOnly, data, offset, length, .none, parent: parent, flags: flags)
    }

    /// Writes the text that replaces `r`'s generated line (a label set with `setLabel`, or the
    /// formatted bytes of a `formatText` line) into `b`; false when `r` has none.
    @discardableResult
    public func writeReplacementLabel(_ r: FieldRecord, to b: TextBuffer) -> Bool {
        if r.flags.contains(.formatText) {
            let src = sources.bytes(Int(r.source))
            let lo = max(0, min(Int(r.offset), src.count))
            let hi = max(lo, min(lo + Int(r.length), src.count))
            let bytes = UnsafeRawBufferPointer(rebasing: src[lo..<hi])
            let start = b.count
            if r.flags.contains(.formatTextWSP) { b.appendFormatTextWSP(bytes) } else {
                b.appendFormatText(bytes, asciiOnly: false)
            }
            b.limitTextLabel(from: start)
            return true
        }
        guard let l = tree.label(r) else { return false }
        b.append(l)
        return true
    }

    /// True when `r`'s line text is replaced (`writeReplacementLabel` writes something).
    @inlinable
    public func hasReplacementLabel(_ r: FieldRecord) -> Bool {
        r.flags.contains(.labelReplaces) && (r.flags.contains(.formatText) || tree.label(r) != nil)
    }

    /// The replacement text of `r` as a String, or nil.
    public func replacementLabel(_ r: FieldRecord) -> String? {
        guard r.flags.contains(.formatText) || tree.label(r) != nil else { return nil }
        let b = TextBuffer(capacity: 256)
        writeReplacementLabel(r, to: b)
        return b.string
    }

    /// Turns a `formatText` line into an ordinary label (before its text is changed).
    @usableFromInline
    mutating func materializeFormatText(_ i: Int) {
        let r = tree.records[i]
        guard r.flags.contains(.formatText) else { return }
        let span = tree.beginLabel()
        writeReplacementLabel(r, to: tree.labelBytes)
        tree.endLabel(span)
        tree.records[i].label = span
        tree.records[i].flags.remove([.formatText, .formatTextWSP])
    }
}
