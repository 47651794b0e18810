import DissectKit

/// The SMB MailSlot protocol (MS-MAIL): the setup words of an SMB Trans request addressed to
/// "\MAILSLOT\…". Made by the SMB dissector; the message goes to the browser for
/// "\MAILSLOT\BROWSE" and "\MAILSLOT\LANMAN", to `data` otherwise.
///
/// As in tshark, the mailslot is a tree item only: it is not a layer of `frame.protocols`
/// ("nbdgm:smb:browser") but shows in the protocol hierarchy.
final class MailslotDissector {
    struct Fields {
        var proto = FieldID.textOnly
        var opcode = FieldID.textOnly
        var priority = FieldID.textOnly
        var mailClass = FieldID.textOnly
        var size = FieldID.textOnly
        var name = FieldID.textOnly
    }
    var hf = Fields()
    private let browse: NamedDissector
    private let lanman: NamedDissector

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "SMB MailSlot Protocol", shortName: "SMB Mailslot", abbrev: "mailslot")
        hf.proto = p
        // tshark's own strings (`-G values`, in the catalog) win over any written here.
        func f(_ abbrev: String, _ strings: ValueStrings? = nil) -> FieldID {
            MailslotFieldCatalog.field(r, abbrev, strings: MailslotFieldCatalog.strings[abbrev] ?? strings, in: p)
        }
        hf.opcode = f("mailslot.opcode", .values([1: "Write Mail Slot"]))
        hf.priority = f("mailslot.priority")
        hf.mailClass = f("mailslot.class", .values([1: "Reliable", 2: "Unreliable & Broadcast"]))
        hf.size = f("mailslot.size")
        hf.name = f("mailslot.name")
        MailslotFieldCatalog.registerAll(r, ["mailslot": p])
        browse = r.dissector(named: "mailslot_browse")
        lanman = r.dissector(named: "mailslot_lanman")
    }

    /// `setup` runs from the setup words to the end of the transaction name; `name` is the part
    /// of the name after "\MAILSLOT\"; `cut` says the capture holds less of the message than the
    /// Trans request counts.
    func dissect(_ packet: inout PacketContext, setup: ByteView, name: ByteView, payload: ByteView, cut: Bool,
                 root: TreeNode) throws(Malformed) {
        packet.protocolColumn = "SMB Mailslot"
        packet.info.clear()
        let top = packet.add(hf.proto, setup, 0, setup.count, .none, parent: root)
        let opcode = try setup.u16le(0)
        if opcode == 1 {
            packet.info.append("Write Mail Slot")
        } else {
            packet.info.append("Unknown (")
            packet.info.append(UInt64(opcode))
            packet.info.append(")")
        }
        packet.add(hf.opcode, setup, 0, 2, .uint(UInt64(opcode)), parent: top)
        packet.add(hf.priority, setup, 2, 2, .uint(UInt64(try setup.u16le(2))), parent: top)
        packet.add(hf.mailClass, setup, 4, 2, .uint(UInt64(try setup.u16le(4))), parent: top)
        packet.add(hf.size, setup, 6, 2, .uint(UInt64(try setup.u16le(6))), parent: top)
        let nameLength = setup.count - 8
        try setup.check(8, nameLength)
        if packet.wants(hf.name) {
            let text = setup.suffix(from: 8).prefix(max(nameLength - 1, 0))
            packet.add(hf.name, setup, 8, nameLength, packet.text(String(decoding: text.buffer, as: UTF8.self)),
                       parent: top)
        }
        // Only "Write Mail Slot" carries a message.
        guard opcode == 1 else { return }
        let handle: DissectorHandle?
        if startsWith(name, "BROWSE") {
            handle = browse.handle
        } else if startsWith(name, "LANMAN") {
            handle = lanman.handle
        } else {
            handle = nil
        }
        if let h = handle {
            // A message cut short by the capture inside a datagram that claims more is tshark's
            // "length of contained item exceeds length of containing item".
            do {
                _ = try h.dissector.dissect(&packet, payload, root)
            } catch {
                packet.markMalformed(h.protocolID, payload, containedLength: cut || error.containedLength)
            }
        } else {
            packet.callData(payload, parent: root)
        }
    }

    private func startsWith(_ v: ByteView, _ s: StaticString) -> Bool {
        guard v.count >= s.utf8CodeUnitCount else { return false }
        for i in 0..<s.utf8CodeUnitCount where v[unchecked: i] != s.utf8Start[i] { return false }
        return true
    }
}
