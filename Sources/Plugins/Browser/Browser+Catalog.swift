import DissectKit

/// Every field tshark 4.0.17 registers for browser (from `tshark -G fields`), so filters and
/// `-G fields` know them even where this dissector does not fill them yet. Fields the dissector uses are
/// registered first with their value strings; the registry shares the id for these entries.
enum BrowserFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [CatalogField] = [
        ("browser.command", "Command", .uint8, .hex, 0x0, nil, "Browse command opcode", "browser"),
        ("browser.update_count", "Update Count", .uint8, .dec, 0x0, nil, "Browse Update Count", "browser"),
        ("browser.period", "Update Periodicity", .uint32, .dec, 0x0, nil, "Update Periodicity in ms", "browser"),
        ("browser.server", "Server Name", .string, .none, 0x0, nil, "BROWSE Server Name", "browser"),
        ("browser.mb_server", "Master Browser Server Name", .string, .none, 0x0, nil, "BROWSE Master Browser Server Name", "browser"),
        ("browser.reset_cmd", "ResetBrowserState Command", .uint8, .hex, 0x0, nil, "", "browser"),
        ("browser.reset_cmd.demote", "Demote LMB", .boolean, .none, 0x1, 8, "", "browser"),
        ("browser.reset_cmd.flush", "Flush Browse List", .boolean, .none, 0x2, 8, "", "browser"),
        ("browser.reset_cmd.stop_lmb", "Stop Being LMB", .boolean, .none, 0x4, 8, "", "browser"),
        ("browser.os_major", "OS Major Version", .uint8, .dec, 0x0, nil, "Operating System Major Version", "browser"),
        ("browser.os_minor", "OS Minor Version", .uint8, .dec, 0x0, nil, "Operating System Minor Version", "browser"),
        ("browser.server_type", "Server Type", .uint32, .hex, 0x0, nil, "Server Type Flags", "browser"),
        ("browser.server_type.workstation", "Workstation", .boolean, .none, 0x1, 32, "Is This A Workstation?", "browser"),
        ("browser.server_type.server", "Server", .boolean, .none, 0x2, 32, "Is This A Server?", "browser"),
        ("browser.server_type.sql", "SQL", .boolean, .none, 0x4, 32, "Is This A SQL Server?", "browser"),
        ("browser.server_type.domain_controller", "Domain Controller", .boolean, .none, 0x8, 32, "Is This A Domain Controller?", "browser"),
        ("browser.server_type.backup_controller", "Backup Controller", .boolean, .none, 0x10, 32, "Is This A Backup Domain Controller?", "browser"),
        ("browser.server_type.time", "Time Source", .boolean, .none, 0x20, 32, "Is This A Time Source?", "browser"),
        ("browser.server_type.apple", "Apple", .boolean, .none, 0x40, 32, "Is This An Apple Server ?", "browser"),
        ("browser.server_type.novell", "Novell", .boolean, .none, 0x80, 32, "Is This A Novell Server?", "browser"),
        ("browser.server_type.member", "Member", .boolean, .none, 0x100, 32, "Is This A Domain Member Server?", "browser"),
        ("browser.server_type.print", "Print", .boolean, .none, 0x200, 32, "Is This A Print Server?", "browser"),
        ("browser.server_type.dialin", "Dialin", .boolean, .none, 0x400, 32, "Is This A Dialin Server?", "browser"),
        ("browser.server_type.xenix", "Xenix", .boolean, .none, 0x800, 32, "Is This A Xenix Server?", "browser"),
        ("browser.server_type.ntw", "NT Workstation", .boolean, .none, 0x1000, 32, "Is This A NT Workstation?", "browser"),
        ("browser.server_type.wfw", "WfW", .boolean, .none, 0x2000, 32, "Is This A Windows For Workgroups Server?", "browser"),
        ("browser.server_type.nts", "NT Server", .boolean, .none, 0x8000, 32, "Is This A NT Server?", "browser"),
        ("browser.server_type.browser.potential", "Potential Browser", .boolean, .none, 0x10000, 32, "Is This A Potential Browser?", "browser"),
        ("browser.server_type.browser.backup", "Backup Browser", .boolean, .none, 0x20000, 32, "Is This A Backup Browser?", "browser"),
        ("browser.server_type.browser.master", "Master Browser", .boolean, .none, 0x40000, 32, "Is This A Master Browser?", "browser"),
        ("browser.server_type.browser.domain_master", "Domain Master Browser", .boolean, .none, 0x80000, 32, "Is This A Domain Master Browser?", "browser"),
        ("browser.server_type.osf", "OSF", .boolean, .none, 0x100000, 32, "Is This An OSF server ?", "browser"),
        ("browser.server_type.vms", "VMS", .boolean, .none, 0x200000, 32, "Is This A VMS Server?", "browser"),
        ("browser.server_type.w95", "Windows 95+", .boolean, .none, 0x400000, 32, "Is This A Windows 95 or above server?", "browser"),
        ("browser.server_type.dfs", "DFS", .boolean, .none, 0x800000, 32, "Is This A DFS server?", "browser"),
        ("browser.server_type.local", "Local", .boolean, .none, 0x40000000, 32, "Is This A Local List Only request?", "browser"),
        ("browser.server_type.domainenum", "Domain Enum", .boolean, .none, 0x80000000, 32, "Is This A Domain Enum request?", "browser"),
        ("browser.election.version", "Election Version", .uint8, .dec, 0x0, nil, "", "browser"),
        ("browser.proto_major", "Browser Protocol Major Version", .uint8, .dec, 0x0, nil, "", "browser"),
        ("browser.proto_minor", "Browser Protocol Minor Version", .uint8, .dec, 0x0, nil, "", "browser"),
        ("browser.sig", "Signature", .uint16, .hex, 0x0, nil, "Signature Constant", "browser"),
        ("browser.comment", "Host Comment", .stringz, .none, 0x0, nil, "Server Comment", "browser"),
        ("browser.unused", "Unused flags", .uint8, .hex, 0x0, nil, "Unused/unknown flags", "browser"),
        ("browser.response_computer_name", "Response Computer Name", .stringz, .none, 0x0, nil, "", "browser"),
        ("browser.election.criteria", "Election Criteria", .uint32, .hex, 0x0, nil, "", "browser"),
        ("browser.election.desire", "Election Desire", .uint8, .hex, 0x0, nil, "", "browser"),
        ("browser.election.desire.backup", "Backup", .boolean, .none, 0x1, 8, "Is this a backup server", "browser"),
        ("browser.election.desire.standby", "Standby", .boolean, .none, 0x2, 8, "Is this a standby server?", "browser"),
        ("browser.election.desire.master", "Master", .boolean, .none, 0x4, 8, "Is this a master server", "browser"),
        ("browser.election.desire.domain_master", "Domain Master", .boolean, .none, 0x8, 8, "Is this a domain master", "browser"),
        ("browser.election.desire.wins", "WINS", .boolean, .none, 0x20, 8, "Is this a WINS server", "browser"),
        ("browser.election.desire.nt", "NT", .boolean, .none, 0x80, 8, "Is this a NT server", "browser"),
        ("browser.election.os", "Election OS", .uint8, .hex, 0x0, nil, "", "browser"),
        ("browser.election.os.wfw", "WfW", .boolean, .none, 0x1, 8, "Is this a WfW host?", "browser"),
        ("browser.election.os.ntw", "NT Workstation", .boolean, .none, 0x10, 8, "Is this a NT Workstation?", "browser"),
        ("browser.election.os.nts", "NT Server", .boolean, .none, 0x20, 8, "Is this a NT Server?", "browser"),
        ("browser.uptime", "Uptime", .uint32, .dec, 0x0, nil, "Server uptime in ms", "browser"),
        ("browser.backup.count", "Backup List Requested Count", .uint8, .dec, 0x0, nil, "", "browser"),
        ("browser.backup.token", "Backup Request Token", .uint32, .dec, 0x0, nil, "Backup requested/response token", "browser"),
        ("browser.backup.server", "Backup Server", .string, .none, 0x0, nil, "Backup Server Name", "browser"),
        ("browser.browser_to_promote", "Browser to Promote", .stringz, .none, 0x0, nil, "", "browser"),
        ("browser.windows_version", "Windows version", .string, .none, 0x0, nil, "", "browser"),
        ("browser.mysterious_field", "Mysterious Field", .uint32, .hex, 0x0, nil, "", "browser"),
    ]

    /// Value strings, true/false texts and units of the fields (from `tshark -G values`).
    static let strings: [String: ValueStrings] = [
        "browser.command": .values([1: "Host Announcement", 2: "Request Announcement", 8: "Browser Election Request", 9: "Get Backup List Request", 10: "Get Backup List Response", 11: "Become Backup Browser", 12: "Domain/Workgroup Announcement", 13: "Master Announcement", 14: "Reset Browser State Announcement", 15: "Local Master Announcement"]),
        "browser.election.desire.backup": .trueFalse("Backup Browse Server", "NOT Backup Browse Server"),
        "browser.election.desire.domain_master": .trueFalse("Domain Master Browse Server", "NOT Domain Master Browse Server"),
        "browser.election.desire.master": .trueFalse("Master Browser", "NOT Master Browser"),
        "browser.election.desire.nt": .trueFalse("Windows NT Advanced Server", "NOT Windows NT Advanced Server"),
        "browser.election.desire.standby": .trueFalse("Standby Browse Server", "NOT Standby Browse Server"),
        "browser.election.desire.wins": .trueFalse("WINS Client", "NOT WINS Client"),
        "browser.election.os.nts": .trueFalse("Windows NT Server", "Not Windows NT Server"),
        "browser.election.os.ntw": .trueFalse("Windows NT Workstation", "Not Windows NT Workstation"),
        "browser.election.os.wfw": .trueFalse("Windows for Workgroups", "Not Windows for Workgroups"),
        "browser.reset_cmd": .values([1: "Stop being a master browser and become a backup browser", 2: "Discard browse lists, stop being a master browser, and try again", 4: "Stop being a master browser for ever"]),
        "browser.reset_cmd.demote": .trueFalse("Demote an LMB to a Backup Browser", "Do not demote an LMB to a Backup Browser"),
        "browser.reset_cmd.flush": .trueFalse("Flush the Browse List", "Do not Flush the Browse List"),
        "browser.reset_cmd.stop_lmb": .trueFalse("Stop Being a Local Master Browser", "Do not Stop Being a Local Master Browser"),
        "browser.server_type.apple": .trueFalse("This is an Apple host", "This is NOT an Apple host"),
        "browser.server_type.backup_controller": .trueFalse("This is a Backup Controller", "This is NOT a Backup Controller"),
        "browser.server_type.browser.backup": .trueFalse("This is a Backup Browser", "This is NOT a Backup Browser"),
        "browser.server_type.browser.domain_master": .trueFalse("This is a Domain Master Browser", "This is NOT a Domain Master Browser"),
        "browser.server_type.browser.master": .trueFalse("This is a Master Browser", "This is NOT a Master Browser"),
        "browser.server_type.browser.potential": .trueFalse("This is a Potential Browser", "This is NOT a Potential Browser"),
        "browser.server_type.dfs": .trueFalse("This is a DFS server", "THis is NOT a DFS server"),
        "browser.server_type.dialin": .trueFalse("This is a Dialin server", "This is NOT a Dialin server"),
        "browser.server_type.domain_controller": .trueFalse("This is a Domain Controller", "This is NOT a Domain Controller"),
        "browser.server_type.domainenum": .trueFalse("This is a Domain Enum request", "This is NOT a Domain Enum request"),
        "browser.server_type.local": .trueFalse("This is a local list only request", "This is NOT a local list only request"),
        "browser.server_type.member": .trueFalse("This is a Domain Member server", "This is NOT a Domain Member server"),
        "browser.server_type.novell": .trueFalse("This is a Novell server", "This is NOT a Novell server"),
        "browser.server_type.nts": .trueFalse("This is an NT Server", "This is NOT an NT Server"),
        "browser.server_type.ntw": .trueFalse("This is an NT Workstation", "This is NOT an NT Workstation"),
        "browser.server_type.osf": .trueFalse("This is an OSF host", "This is NOT an OSF host"),
        "browser.server_type.print": .trueFalse("This is a Print Queue server", "This is NOT a Print Queue server"),
        "browser.server_type.server": .trueFalse("This is a Server", "This is NOT a Server"),
        "browser.server_type.sql": .trueFalse("This is an SQL server", "This is NOT an SQL server"),
        "browser.server_type.time": .trueFalse("This is a Time Source", "This is NOT a Time Source"),
        "browser.server_type.vms": .trueFalse("This is a VMS host", "This is NOT a VMS host"),
        "browser.server_type.w95": .trueFalse("This is a Windows 95 or above host", "This is NOT a Windows 95 or above host"),
        "browser.server_type.wfw": .trueFalse("This is a WfW host", "This is NOT a WfW host"),
        "browser.server_type.workstation": .trueFalse("This is a Workstation", "This is NOT a Workstation"),
        "browser.server_type.xenix": .trueFalse("This is a Xenix server", "This is NOT a Xenix server"),
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
