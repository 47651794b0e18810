import DissectKit

/// Every field tshark 4.0.17 registers for mailslot (from `tshark -G fields`), so filters and
/// `-G fields` know them even where this dissector does not fill them yet. Fields the dissector uses are
/// registered first with their value strings; the registry shares the id for these entries.
enum MailslotFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [(String, String, FieldType, FieldBase, UInt64, Int?, String, String)] = [
        ("mailslot.opcode", "Opcode", .uint16, .dec, 0x0, nil, "MAILSLOT OpCode", "mailslot"),
        ("mailslot.priority", "Priority", .uint16, .dec, 0x0, nil, "MAILSLOT Priority of transaction", "mailslot"),
        ("mailslot.class", "Class", .uint16, .dec, 0x0, nil, "MAILSLOT Class of transaction", "mailslot"),
        ("mailslot.size", "Size", .uint16, .dec, 0x0, nil, "MAILSLOT Total size of mail data", "mailslot"),
        ("mailslot.name", "Mailslot Name", .string, .none, 0x0, nil, "MAILSLOT Name of mailslot", "mailslot"),
    ]

    /// Value strings, true/false texts and units of the fields (from `tshark -G values`).
    static let strings: [String: ValueStrings] = [
        "mailslot.class": .values([1: "Reliable", 2: "Unreliable & Broadcast"]),
        "mailslot.opcode": .values([1: "Write Mail Slot"]),
    ]

    /// Registers every catalog field not registered yet; `protocols` maps protocol abbrevs to ids.
    static func registerAll(_ r: Registrar, _ protocols: [String: FieldID]) {
        for f in fields {
            guard let p = protocols[f.7] else { continue }
            _ = r.field(f.1, f.0, f.2, f.3, strings: strings[f.0], bitmask: f.4, bitWidth: f.5, blurb: f.6, in: p)
        }
    }

    /// Registers the catalog entry `abbrev` now (before `registerAll`), with its strings unless
    /// `strings` overrides them.
    static func field(_ r: Registrar, _ abbrev: String, strings override: ValueStrings? = nil,
                      in proto: FieldID) -> FieldID {
        guard let f = fields.first(where: { $0.0 == abbrev }) else { preconditionFailure(abbrev) }
        return r.field(f.1, f.0, f.2, f.3, strings: override ?? strings[f.0], bitmask: f.4, bitWidth: f.5,
                       blurb: f.6, in: proto)
    }
}
