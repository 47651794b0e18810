import DissectKit

/// Every field tshark 4.0.17 registers for mailslot (from `tshark -G fields`), so filters and
/// `-G fields` know them even where this dissector does not fill them yet. Fields the dissector uses are
/// registered first with their value strings; the registry shares the id for these entries.
enum MailslotFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [CatalogField] = [
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
        FieldCatalog.registerAll(r, fields, strings, protocols)
    }

    /// Registers the catalog entry `abbrev` now (before `registerAll`), with its strings unless
    /// `strings` overrides them.
    static func field(_ r: Registrar, _ abbrev: String, strings override: ValueStrings? = nil,
                      in proto: FieldID) -> FieldID {
        FieldCatalog.field(r, fields, strings, abbrev, override: override, in: proto)
    }
}
