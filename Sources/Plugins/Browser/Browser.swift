import DissectKit

/// The Microsoft Windows Browser Protocol (MS-BRWS): host, domain and local master
/// announcements, announcement requests, elections and backup lists, carried in
/// "\MAILSLOT\BROWSE" (and the older "\MAILSLOT\LANMAN" layout) mailslot messages.
public enum BrowserPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = BrowserDissector(r)
        r.registerDissector("mailslot_browse", r.handle(d.hf.proto, d))
        r.registerDissector("mailslot_lanman", r.handle(d.hf.proto, LanmanBrowserDissector(d)))
    }
}

final class BrowserDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var command = FieldID.textOnly
        var updateCount = FieldID.textOnly
        var period = FieldID.textOnly
        var server = FieldID.textOnly
        var mbServer = FieldID.textOnly
        var resetCommand = FieldID.textOnly
        var osMajor = FieldID.textOnly
        var osMinor = FieldID.textOnly
        var serverType = FieldID.textOnly
        var electionVersion = FieldID.textOnly
        var protoMajor = FieldID.textOnly
        var protoMinor = FieldID.textOnly
        var signature = FieldID.textOnly
        var comment = FieldID.textOnly
        var unused = FieldID.textOnly
        var responseName = FieldID.textOnly
        var criteria = FieldID.textOnly
        var desire = FieldID.textOnly
        var os = FieldID.textOnly
        var uptime = FieldID.textOnly
        var backupCount = FieldID.textOnly
        var backupToken = FieldID.textOnly
        var backupServer = FieldID.textOnly
        var promote = FieldID.textOnly
        var windowsVersion = FieldID.textOnly
        var mysterious = FieldID.textOnly
    }
    var hf = Fields()
    var serverTypeBits: [FieldID] = []
    private var desireBits: [FieldID] = []
    private var osBits: [FieldID] = []
    private var resetBits: [FieldID] = []

    static let commandNames: [UInt64: String] = [
        1: "Host Announcement", 2: "Request Announcement", 8: "Browser Election Request",
        9: "Get Backup List Request", 10: "Get Backup List Response", 11: "Become Backup Browser",
        12: "Domain/Workgroup Announcement", 13: "Master Announcement", 14: "Reset Browser State Announcement",
        15: "Local Master Announcement",
    ]
    /// tshark's `server_types`: the Info texts of the server type bits.
    static let serverTypeInfo: [Int: StaticString] = [
        0: "Workstation", 1: "Server", 2: "SQL Server", 3: "Domain Controller", 4: "Backup Controller",
        5: "Time Source", 6: "Apple Server", 7: "Novell Server", 8: "Domain Member Server",
        9: "Print Queue Server", 10: "Dialin Server", 11: "Xenix Server", 12: "NT Workstation",
        13: "Windows for Workgroups", 15: "NT Server", 16: "Potential Browser", 17: "Backup Browser",
        18: "Master Browser", 19: "Domain Master Browser", 20: "OSF", 21: "VMS", 22: "Windows 95 or above",
        23: "DFS server", 30: "Local List Only", 31: "Domain Enum",
    ]
    static let hostNameLength = 16

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Microsoft Windows Browser Protocol", shortName: "BROWSER", abbrev: "browser")
        hf.proto = p
        // tshark's own strings (`-G values`, in the catalog) win over any written here.
        func f(_ abbrev: String, _ strings: ValueStrings? = nil) -> FieldID {
            BrowserFieldCatalog.field(r, abbrev, strings: BrowserFieldCatalog.strings[abbrev] ?? strings, in: p)
        }
        func this(_ abbrev: String, _ what: String, an: Bool = false, notText: String? = nil) -> FieldID {
            let article = an ? "an" : "a"
            return f("browser.server_type." + abbrev,
                     .trueFalse("This is \(article) \(what)", notText ?? "This is NOT \(article) \(what)"))
        }
        hf.command = f("browser.command", .values(Self.commandNames))
        hf.updateCount = f("browser.update_count")
        hf.period = f("browser.period")
        hf.server = f("browser.server")
        hf.mbServer = f("browser.mb_server")
        hf.resetCommand = f("browser.reset_cmd", .values([
            1: "Stop being a master browser and become a backup browser",
            2: "Discard browse lists, stop being a master browser, and try again",
            4: "Stop being a master browser for ever"]))
        resetBits = [
            f("browser.reset_cmd.demote", .trueFalse("Demote an LMB to a Backup Browser",
                                                      "Do not demote an LMB to a Backup Browser")),
            f("browser.reset_cmd.flush", .trueFalse("Flush the Browse List", "Do not Flush the Browse List")),
            f("browser.reset_cmd.stop_lmb", .trueFalse("Stop Being a Local Master Browser",
                                                        "Do not Stop Being a Local Master Browser")),
        ]
        hf.osMajor = f("browser.os_major")
        hf.osMinor = f("browser.os_minor")
        hf.serverType = f("browser.server_type")
        serverTypeBits = [
            this("workstation", "Workstation"), this("server", "Server"), this("sql", "SQL server", an: true),
            this("domain_controller", "Domain Controller"), this("backup_controller", "Backup Controller"),
            this("time", "Time Source"), this("apple", "Apple host", an: true), this("novell", "Novell server"),
            this("member", "Domain Member server"), this("print", "Print Queue server"),
            this("dialin", "Dialin server"), this("xenix", "Xenix server"), this("ntw", "NT Workstation", an: true),
            this("wfw", "WfW host"), this("nts", "NT Server", an: true),
            this("browser.potential", "Potential Browser"), this("browser.backup", "Backup Browser"),
            this("browser.master", "Master Browser"), this("browser.domain_master", "Domain Master Browser"),
            this("osf", "OSF host", an: true), this("vms", "VMS host"),
            this("w95", "Windows 95 or above host"),
            // tshark's text has this typo.
            this("dfs", "DFS server", notText: "THis is NOT a DFS server"),
            this("local", "local list only request"), this("domainenum", "Domain Enum request"),
        ]
        hf.electionVersion = f("browser.election.version")
        hf.protoMajor = f("browser.proto_major")
        hf.protoMinor = f("browser.proto_minor")
        hf.signature = f("browser.sig")
        hf.comment = f("browser.comment")
        hf.unused = f("browser.unused")
        hf.responseName = f("browser.response_computer_name")
        hf.criteria = f("browser.election.criteria")
        hf.desire = f("browser.election.desire")
        desireBits = [
            f("browser.election.desire.backup", .trueFalse("Backup Browse Server", "NOT Backup Browse Server")),
            f("browser.election.desire.standby", .trueFalse("Standby Browse Server", "NOT Standby Browse Server")),
            f("browser.election.desire.master", .trueFalse("Master Browser", "NOT Master Browser")),
            f("browser.election.desire.domain_master", .trueFalse("Domain Master Browse Server",
                                                                   "NOT Domain Master Browse Server")),
            f("browser.election.desire.wins", .trueFalse("WINS Client", "NOT WINS Client")),
            f("browser.election.desire.nt", .trueFalse("Windows NT Advanced Server",
                                                        "NOT Windows NT Advanced Server")),
        ]
        hf.os = f("browser.election.os")
        osBits = [
            f("browser.election.os.wfw", .trueFalse("Windows for Workgroups", "Not Windows for Workgroups")),
            f("browser.election.os.ntw", .trueFalse("Windows NT Workstation", "Not Windows NT Workstation")),
            f("browser.election.os.nts", .trueFalse("Windows NT Server", "Not Windows NT Server")),
        ]
        hf.uptime = f("browser.uptime")
        hf.backupCount = f("browser.backup.count")
        hf.backupToken = f("browser.backup.token")
        hf.backupServer = f("browser.backup.server")
        hf.promote = f("browser.browser_to_promote")
        hf.windowsVersion = f("browser.windows_version")
        hf.mysterious = f("browser.mysterious_field")
        BrowserFieldCatalog.registerAll(r, ["browser": p])
    }

    /// The first part of every browser message: Protocol and Info columns, the protocol item
    /// and the command byte.
    func start(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed)
        -> (TreeNode, UInt8)
    {
        packet.protocolColumn = "BROWSER"
        packet.info.clear()
        let command = try data.u8(0)
        if let name = Self.commandNames[UInt64(command)] {
            packet.info.append(name)
        } else {
            packet.info.append("Unknown command:0x")
            packet.info.appendHex(UInt64(command), width: 2)
        }
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        packet.add(hf.command, data, 0, 1, .uint(UInt64(command)), parent: top)
        return (top, command)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let (top, command) = try start(&packet, data, parent)
        var o = 1
        switch command {
        case 12, 15, 1:
            packet.add(hf.updateCount, data, o, 1, .uint(UInt64(try data.u8(o))), parent: top)
            o += 1
            let period = try data.u32le(o)
            let p = packet.add(hf.period, data, o, 4, .uint(UInt64(period)), parent: top)
            if packet.buildsFullTree { packet.setLabel(p, "Update Periodicity: " + Self.msecsText(period)) }
            o += 4
            // The name is a 16-byte field padded with NULs (tshark: stringzpad, CP437).
            let field = try data.slice(o, Self.hostNameLength)
            let name = field.prefix(field.firstIndex(of: 0) ?? field.count)
            packet.info.append(" ")
            packet.info.append(name)
            if packet.wants(hf.server) {
                let text = String(decoding: name.buffer, as: UTF8.self)
                let item = packet.add(hf.server, data, o, Self.hostNameLength, packet.text(text), parent: top)
                if packet.buildsFullTree {
                    packet.setLabel(item, (command == 12 ? "Domain/Workgroup: " : "Host Name: ") + text)
                }
            }
            o += Self.hostNameLength
            try osVersion(&packet, data, o, top)
            o += 2
            o = try serverType(&packet, data, o, top)
            if command == 12, try data.u16le(o + 2) != 0xaa55 {
                packet.add(hf.mysterious, data, o, 4, .uint(UInt64(try data.u32le(o))), parent: top)
                o += 4
            } else {
                packet.add(hf.protoMajor, data, o, 1, .uint(UInt64(try data.u8(o))), parent: top)
                packet.add(hf.protoMinor, data, o + 1, 1, .uint(UInt64(try data.u8(o + 1))), parent: top)
                packet.add(hf.signature, data, o + 2, 2, .uint(UInt64(try data.u16le(o + 2))), parent: top)
                o += 4
            }
            try stringz(&packet, data, o, command == 12 ? hf.mbServer : hf.comment, top)
        case 2:
            packet.add(hf.unused, data, o, 1, .uint(UInt64(try data.u8(o))), parent: top)
            o += 1
            let (text, len) = try cString(data, o)
            packet.info.append(" ")
            packet.info.append(data.suffix(from: o).prefix(max(len - 1, 0)))
            if packet.wants(hf.responseName) {
                packet.add(hf.responseName, data, o, len, packet.text(text()), parent: top)
            }
        case 8:
            packet.add(hf.electionVersion, data, o, 1, .uint(UInt64(try data.u8(o))), parent: top)
            o += 1
            let criteria = packet.add(hf.criteria, data, o, 4, .uint(UInt64(try data.u32le(o))), parent: top)
            packet.addBitmask(hf.desire, data, o, 1, value: UInt64(try data.u8(o)), parent: criteria,
                              subfields: desireBits)
            packet.add(hf.protoMajor, data, o + 1, 1, .uint(UInt64(try data.u8(o + 1))), parent: criteria)
            packet.add(hf.protoMinor, data, o + 2, 1, .uint(UInt64(try data.u8(o + 2))), parent: criteria)
            packet.addBitmask(hf.os, data, o + 3, 1, value: UInt64(try data.u8(o + 3)), parent: criteria,
                              subfields: osBits)
            o += 4
            let uptime = try data.u32le(o)
            let u = packet.add(hf.uptime, data, o, 4, .uint(UInt64(uptime)), parent: top)
            if packet.buildsFullTree { packet.setLabel(u, "Uptime: " + Self.msecsText(uptime)) }
            o += 8
            try stringz(&packet, data, o, hf.server, top)
        case 9:
            packet.add(hf.backupCount, data, o, 1, .uint(UInt64(try data.u8(o))), parent: top)
            packet.add(hf.backupToken, data, o + 1, 4, .uint(UInt64(try data.u32le(o + 1))), parent: top)
        case 10:
            let count = Int(try data.u8(o))
            packet.add(hf.backupCount, data, o, 1, .uint(UInt64(count)), parent: top)
            packet.add(hf.backupToken, data, o + 1, 4, .uint(UInt64(try data.u32le(o + 1))), parent: top)
            o += 5
            for _ in 0..<count { o += try stringz(&packet, data, o, hf.backupServer, top) }
        case 13:
            try stringz(&packet, data, o, hf.mbServer, top)
        case 14:
            packet.addBitmask(hf.resetCommand, data, o, 1, value: UInt64(try data.u8(o)), parent: top,
                              subfields: resetBits)
        case 11:
            try stringz(&packet, data, o, hf.promote, top)
        default:
            break
        }
        return .consumed(data.count)
    }

    /// "Windows version" (from the OS major/minor bytes) and the two bytes themselves.
    func osVersion(_ packet: inout PacketContext, _ data: ByteView, _ o: Int, _ top: TreeNode) throws(Malformed) {
        let major = try data.u8(o), minor = try data.u8(o + 1)
        if packet.wants(hf.windowsVersion) {
            let v: String
            switch (major, minor) {
            case (6, 1): v = "Windows 7 or Windows Server 2008 R2"
            case (6, 0): v = "Windows Vista or Windows Server 2008"
            case (5, 2): v = "Windows Server 2003 R2 or Windows Server 2003"
            case (5, 1): v = "Windows XP"
            case (5, 0): v = "Windows 2000"
            default: v = ""
            }
            packet.add(hf.windowsVersion, data, o, 2, packet.text(v), parent: top)
        }
        packet.add(hf.osMajor, data, o, 1, .uint(UInt64(major)), parent: top)
        packet.add(hf.osMinor, data, o + 1, 1, .uint(UInt64(minor)), parent: top)
    }

    /// The server type bits: tree item, and ", Workstation, Server, …" in Info.
    func serverType(_ packet: inout PacketContext, _ data: ByteView, _ o: Int, _ top: TreeNode) throws(Malformed) -> Int {
        let flags = try data.u32le(o)
        for i in 0..<32 where flags & (1 << UInt32(i)) != 0 {
            packet.info.append(", ")
            if let s = Self.serverTypeInfo[i] {
                packet.info.append(s)
            } else {
                packet.info.append("Unknown server type:")
                packet.info.append(i)
            }
        }
        packet.addBitmask(hf.serverType, data, o, 4, value: UInt64(flags), parent: top, subfields: serverTypeBits)
        return o + 4
    }

    /// A NUL-terminated string field; returns its length with the NUL (tshark's `tvb_strsize`).
    @discardableResult
    func stringz(_ packet: inout PacketContext, _ data: ByteView, _ o: Int, _ field: FieldID,
                 _ top: TreeNode) throws(Malformed) -> Int {
        let (text, len) = try cString(data, o)
        if packet.wants(field) { packet.add(field, data, o, len, packet.text(text()), parent: top) }
        return len
    }

    /// The string at `o` up to its NUL and the length with the NUL; a string without its NUL
    /// is cut short (tshark's `tvb_strsize` throws).
    func cString(_ data: ByteView, _ o: Int) throws(Malformed) -> (() -> String, Int) {
        guard o < data.count, let nul = data.firstIndex(of: 0, from: o) else { throw Malformed() }
        let view = data.suffix(from: o).prefix(nul - o)
        return ({ String(decoding: view.buffer, as: UTF8.self) }, nul + 1 - o)
    }

    /// tshark's `signed_time_msecs_to_str`: "1 minute", "12 minutes", "1 hour, 5.250 seconds".
    static func msecsText(_ value: UInt32) -> String {
        let negative = Int32(bitPattern: value) < 0
        var v = UInt32(Int32(bitPattern: value).magnitude)
        if v == 0 { return "0 seconds" }
        let ms = v % 1000
        v /= 1000
        let d = v / 86400, h = v % 86400 / 3600, m = v % 3600 / 60, s = v % 60
        var parts: [String] = []
        func unit(_ n: UInt32, _ w: String) -> String { "\(n) \(w)\(n == 1 ? "" : "s")" }
        if d > 0 { parts.append(unit(d, "day")) }
        if h > 0 { parts.append(unit(h, "hour")) }
        if m > 0 { parts.append(unit(m, "minute")) }
        if ms != 0 {
            let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
            parts.append("\(s).\(msText) seconds")
        } else if s > 0 {
            parts.append(unit(s, "second"))
        }
        return (negative ? "-" : "") + parts.joined(separator: ", ")
    }
}

/// Browser announcements sent to "\MAILSLOT\LANMAN": the older layout (server type before the
/// OS version, periodicity in seconds, NUL-terminated names).
final class LanmanBrowserDissector: Dissector {
    let browser: BrowserDissector
    init(_ browser: BrowserDissector) { self.browser = browser }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let b = browser
        let (top, command) = try b.start(&packet, data, parent)
        guard command == 1 || command == 12 || command == 15 else { return .consumed(data.count) }
        var o = 1
        packet.add(b.hf.updateCount, data, o, 1, .uint(UInt64(try data.u8(o))), parent: top)
        o += 1
        o = try b.serverType(&packet, data, o, top)
        try b.osVersion(&packet, data, o, top)
        o += 2
        let period = UInt32(try data.u16le(o)) * 1000
        let p = packet.add(b.hf.period, data, o, 2, .uint(UInt64(period)), parent: top)
        if packet.buildsFullTree { packet.setLabel(p, "Update Periodicity: " + BrowserDissector.msecsText(period)) }
        o += 2
        let (_, len) = try b.cString(data, o)
        packet.info.append(" ")
        packet.info.append(data.suffix(from: o).prefix(len - 1))
        o += try b.stringz(&packet, data, o, b.hf.server, top)
        try b.stringz(&packet, data, o, command == 12 ? b.hf.mbServer : b.hf.comment, top)
        return .consumed(data.count)
    }
}
