import DissectKit

/// The "DATA fragments" fields SMTP and POP3 register for a message reassembled from many
/// segments (tshark's `smtp_data_frag_items` / `pop_data_frag_items`, which differ only in the
/// abbreviation prefix).
struct MailFragmentFields {
    var fragments = FieldID.textOnly
    var fragment = FieldID.textOnly
    var overlap = FieldID.textOnly
    var overlapConflicts = FieldID.textOnly
    var multipleTails = FieldID.textOnly
    var tooLong = FieldID.textOnly
    var error = FieldID.textOnly
    var count = FieldID.textOnly
    var reassembledIn = FieldID.textOnly
    var reassembledLength = FieldID.textOnly

    /// Registers the fields as "`prefix`.data.fragment…" under `p`.
    static func register(_ r: Registrar, prefix: String, in p: FieldID) -> MailFragmentFields {
        var f = MailFragmentFields()
        let d = prefix + ".data."
        f.fragments = r.field("DATA fragments", d + "fragments", .none, blurb: "Message fragments", in: p)
        f.fragment = r.field("DATA fragment", d + "fragment", .framenum, blurb: "Message fragment", in: p)
        f.overlap = r.field("DATA fragment overlap", d + "fragment.overlap", .boolean,
                            blurb: "Message fragment overlap", in: p)
        f.overlapConflicts = r.field("DATA fragment overlapping with conflicting data", d + "fragment.overlap.conflicts",
                                     .boolean, blurb: "Message fragment overlapping with conflicting data", in: p)
        f.multipleTails = r.field("DATA has multiple tail fragments", d + "fragment.multiple_tails", .boolean,
                                  blurb: "Message has multiple tail fragments", in: p)
        f.tooLong = r.field("DATA fragment too long", d + "fragment.too_long_fragment", .boolean,
                            blurb: "Message fragment too long", in: p)
        f.error = r.field("DATA defragmentation error", d + "fragment.error", .framenum,
                          blurb: "Message defragmentation error", in: p)
        f.count = r.field("DATA fragment count", d + "fragment.count", .uint32, .dec, in: p)
        f.reassembledIn = r.field("Reassembled DATA in frame", d + "reassembled.in", .framenum,
                                  blurb: "This DATA fragment is reassembled in this frame", in: p)
        f.reassembledLength = r.field("Reassembled DATA length", d + "reassembled.length", .uint32, .dec,
                                      blurb: "The total length of the reassembled payload", in: p)
        return f
    }
}

/// A message being reassembled from the conversation's segments (tshark's
/// `fragment_add_seq_next` list): SMTP DATA fragments and BDAT chunks, POP3 RETR/TOP responses.
final class MailMessage {
    var bytes: [UInt8] = []
    var fragments: [(frame: UInt32, length: Int)] = []
    /// Bytes beyond the per-message or global limit were not kept.
    var truncated = false
    let budget: MailReassemblyBudget

    init(budget: MailReassemblyBudget) { self.budget = budget }
    deinit { budget.used -= bytes.count }

    var totalLength: Int { fragments.reduce(0) { $0 + $1.length } }

    func append(_ v: ByteView, frame: UInt32) {
        fragments.append((frame, v.count))
        guard !truncated else { return }
        if bytes.count + v.count > MailReassemblyBudget.maxMessage || budget.used + v.count > budget.limit {
            truncated = true
            return
        }
        bytes.append(contentsOf: v.buffer)
        budget.used += v.count
    }

    /// Hands the bytes over (no copy) and releases them from the budget.
    func take() -> [UInt8] {
        let b = bytes
        budget.used -= bytes.count
        bytes = []
        return b
    }
}

/// Bounds the memory all of one protocol's message reassemblies may hold at once.
final class MailReassemblyBudget {
    static let maxMessage = 64 << 20
    var limit = 256 << 20
    var used = 0
}

extension PacketContext {
    /// "[N DATA fragments (L bytes): #f(n), …]" over the reassembled `view`, with a line per
    /// fragment, the count and the length, as tshark's `show_fragment_seq_tree` for mail.
    mutating func addMailFragmentTree(_ f: MailFragmentFields, _ view: ByteView,
                                      _ fragments: [(frame: UInt32, length: Int)], total: Int, parent: TreeNode) {
        let tree = addGenerated(f.fragments, .none, parent: parent, at: view, 0, view.count)
        if buildsFullTree, !tree.isNone {
            var text = "\(fragments.count) DATA fragment" + (fragments.count == 1 ? "" : "s")
                + " (\(total) byte" + (total == 1 ? "" : "s") + "): "
            for (i, fr) in fragments.enumerated() {
                if i > 0 { text += ", " }
                text += "#\(fr.frame)(\(fr.length))"
                if text.utf8.count >= MailLabel.itemLabelLength { break }
            }
            setLabel(tree, MailLabel.cut(text, to: MailLabel.itemLabelLength - 1))
        }
        var offset = 0
        for fr in fragments {
            let node = addGenerated(f.fragment, .uint(UInt64(fr.frame)), parent: tree, at: view,
                                    min(offset, view.count), max(0, min(fr.length, view.count - offset)))
            if buildsFullTree, !node.isNone {
                setLabel(node, "Frame: \(fr.frame), payload: \(offset)-\(offset + fr.length - 1) (\(fr.length) byte"
                    + (fr.length == 1 ? "" : "s") + ")")
            }
            offset += fr.length
        }
        addGenerated(f.count, .uint(UInt64(fragments.count)), parent: tree)
        addGenerated(f.reassembledLength, .uint(UInt64(total)), parent: tree)
    }
}
