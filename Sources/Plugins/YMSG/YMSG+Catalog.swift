import DissectKit

/// Every field tshark 4.0.17 registers for ymsg (from `tshark -G fields`), so filters and
/// `-G fields` know them even where this dissector does not fill them yet. Fields the dissector uses are
/// registered first with their value strings; the registry shares the id for these entries.
enum YMSGFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [CatalogField] = [
        ("ymsg.version", "Version", .uint16, .dec, 0x0, nil, "Packet version identifier", "ymsg"),
        ("ymsg.vendor", "Vendor ID", .uint16, .dec, 0x0, nil, "Vendor identifier", "ymsg"),
        ("ymsg.len", "Packet Length", .uint16, .dec, 0x0, nil, "", "ymsg"),
        ("ymsg.service", "Service", .uint16, .dec, 0x0, nil, "Service Type", "ymsg"),
        ("ymsg.status", "Status", .uint32, .dec, 0x0, nil, "Message Type Flags", "ymsg"),
        ("ymsg.session_id", "Session ID", .uint32, .hex, 0x0, nil, "Connection ID", "ymsg"),
        ("ymsg.content", "Content", .bytes, .none, 0x0, nil, "Data portion of the packet", "ymsg"),
        ("ymsg.content-line", "Content-line", .string, .none, 0x0, nil, "Content line", "ymsg"),
        ("ymsg.content-line.key", "Key", .string, .none, 0x0, nil, "Content line key", "ymsg"),
        ("ymsg.content-line.value", "Value", .string, .none, 0x0, nil, "Content line value", "ymsg"),
    ]

    /// Value strings, true/false texts and units of the fields (from `tshark -G values`).
    static let strings: [String: ValueStrings] = [
        "ymsg.service": .values([1: "Pager Logon", 2: "Pager Logoff", 3: "Is Away", 4: "Is Back", 5: "Idle", 6: "Message", 7: "Activate Identity", 8: "Deactivate Identity", 9: "Mail Status", 10: "User Status", 11: "New Mail", 12: "Chat Invitation", 13: "Calendar Reminder", 14: "New Personals Mail", 15: "New Friend", 16: "Add Identity", 17: "Add Ignore", 18: "Ping", 19: "Got Group Rename", 20: "System Message", 21: "Skinname", 22: "Passthrough 2", 24: "Conference Invitation", 25: "Conference Logon", 26: "Conference Decline", 27: "Conference Logoff", 28: "Conference Additional Invitation", 29: "Conference Message", 30: "Chat Logon", 31: "Chat Logoff", 32: "Chat Message", 40: "Game Logon", 41: "Game Logoff", 42: "Game Message", 70: "File Transfer", 74: "Voice Chat", 75: "Notify", 76: "Verify", 77: "P2P File Transfer", 79: "Peer To Peer", 80: "WebCam", 84: "Authentication Response", 85: "List", 87: "Authentication", 109: "Authorize Buddy", 131: "Add Buddy", 132: "Remove Buddy", 133: "Ignore Contact", 134: "Reject Contact", 137: "Group Rename", 138: "Keep Alive", 150: "Chat Online", 151: "Chat Goto", 152: "Chat Join", 153: "Chat Leave", 155: "Chat Exit", 157: "Chat Invite", 160: "Chat Logout", 161: "Chat Ping", 168: "Comment", 183: "Game Invite", 185: "Stealth Permanent", 186: "Stealth Session", 188: "Avatar", 189: "Picture Checksum", 190: "Picture", 193: "Picture Update", 194: "Picture Upload", 196: "Yahoo Address Book Update", 197: "Y6 Visibility Toggle", 198: "Y6 Status Update", 199: "Picture Sharing Status", 200: "Verify ID Exists", 208: "Audible", 211: "Y7 Contact Details", 212: "Y7 Chat Session", 214: "Y7 Buddy Authorization", 220: "Y7 File Transfer", 221: "Y7 File Transfer Information", 222: "Y7 File Transfer Accept", 231: "Y7 Change Group", 240: "Status V15", 241: "List V15", 550: "WebLogin", 746: "SMS Message"]),
        "ymsg.status": .values([4294967295: "Disconnected", 0: "Default", 1: "Server Ack", 2: "Playing Game", 4: "Away", 5: "More Packets??", 22: "Notify", 1515563605: "Web Login", 1515563606: "Offline"]),
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
