import DissectKit

/// SMB (CIFS) as far as a NetBIOS datagram needs it: the 32-byte header and the Trans request
/// that carries a mailslot message (MS-CIFS §2.2.4.33), found by the `netbios` heuristic on the
/// "\xffSMB" signature. The mailslot part goes to `MailslotDissector`.
public enum SMBPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = SMBDissector(r)
        r.table("netbios", uiName: "NetBIOS heuristic").addHeuristic("smb_netbios", r.handle(d.hf.proto, d))
    }
}

final class SMBDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var serverComponent = FieldID.textOnly
        var command = FieldID.textOnly
        var errorClass = FieldID.textOnly
        var reserved = FieldID.textOnly
        var errorCode = FieldID.textOnly
        var ntStatus = FieldID.textOnly
        var flags = FieldID.textOnly
        var flags2 = FieldID.textOnly
        var pidHigh = FieldID.textOnly
        var signature = FieldID.textOnly
        var tid = FieldID.textOnly
        var pid = FieldID.textOnly
        var uid = FieldID.textOnly
        var mid = FieldID.textOnly
        var wct = FieldID.textOnly
        var tpc = FieldID.textOnly
        var tdc = FieldID.textOnly
        var mpc = FieldID.textOnly
        var mdc = FieldID.textOnly
        var msc = FieldID.textOnly
        var transFlags = FieldID.textOnly
        var timeout = FieldID.textOnly
        var pc = FieldID.textOnly
        var po = FieldID.textOnly
        var dc = FieldID.textOnly
        var dataOffset = FieldID.textOnly
        var sc = FieldID.textOnly
        var bcc = FieldID.textOnly
        var transName = FieldID.textOnly
    }
    var hf = Fields()
    private var flagBits: [FieldID] = []
    private var flags2Bits: [FieldID] = []
    private var transFlagBits: [FieldID] = []
    let mailslot: MailslotDissector

    static let headerLength = 32
    static let commandTrans: UInt8 = 0x25
    /// tshark's `smb_cmd_vals`, the commands one meets around NetBIOS.
    static let commandNames: [UInt64: String] = [
        0x04: "Close", 0x25: "Trans", 0x2e: "Read AndX", 0x2f: "Write AndX", 0x32: "Trans2",
        0x71: "Tree Disconnect", 0x72: "Negotiate Protocol", 0x73: "Session Setup AndX", 0x74: "Logoff AndX",
        0x75: "Tree Connect AndX", 0xa0: "NT Trans", 0xa2: "NT Create AndX",
    ]

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "SMB (Server Message Block Protocol)", shortName: "SMB", abbrev: "smb")
        hf.proto = p
        // tshark's own strings (`-G values`, in the catalog) win over any written here.
        func f(_ abbrev: String, _ strings: ValueStrings? = nil) -> FieldID {
            SMBFieldCatalog.field(r, abbrev, strings: SMBFieldCatalog.strings[abbrev] ?? strings, in: p)
        }
        func tf(_ t: String, _ f: String) -> ValueStrings { .trueFalse(t, f) }
        hf.serverComponent = f("smb.server_component")
        hf.command = f("smb.cmd", .values(Self.commandNames))
        hf.errorClass = f("smb.error_class", .values([0x00: "Success", 0x01: "DOS Error", 0x02: "Server Error",
                                                      0x03: "Hardware Error", 0xff: "SMB Error"]))
        hf.reserved = f("smb.reserved")
        hf.errorCode = f("smb.error_code")
        hf.ntStatus = f("smb.nt_status", .values([0: "STATUS_SUCCESS"]))
        hf.flags = f("smb.flags")
        flagBits = [
            f("smb.flags.response", tf("Message is a response to the client/redirector",
                                       "Message is a request to the server")),
            f("smb.flags.notify", tf("Notify client on all modifications", "Notify client only on open")),
            f("smb.flags.oplock", tf("OpLock requested/granted", "OpLock not requested/granted")),
            f("smb.flags.canon", tf("Pathnames are canonicalized", "Pathnames are not canonicalized")),
            f("smb.flags.caseless", tf("Path names are caseless", "Path names are case sensitive")),
            f("smb.flags.receive_buffer", tf("Receive buffer has been posted", "Receive buffer has not been posted")),
            f("smb.flags.lock", tf("Lock&Read, Write&Unlock are supported",
                                   "Lock&Read, Write&Unlock are not supported")),
        ]
        hf.flags2 = f("smb.flags2")
        flags2Bits = [
            f("smb.flags2.string", tf("Strings are Unicode", "Strings are ASCII")),
            f("smb.flags2.nt_error", tf("Error codes are NT error codes", "Error codes are DOS error codes")),
            f("smb.flags2.roe", tf("Permit reads if execute-only", "Don't permit reads if execute-only")),
            f("smb.flags2.dfs", tf("Resolve pathnames with Dfs", "Don't resolve pathnames with Dfs")),
            f("smb.flags2.esn", tf("Extended security negotiation is supported",
                                   "Extended security negotiation is not supported")),
            f("smb.flags2.reparse_path", tf("The request uses a @GMT reparse path",
                                            "The request does not use a @GMT reparse path")),
            f("smb.flags2.long_names_used", tf("Path names in request are long file names",
                                               "Path names in request are not long file names")),
            f("smb.flags2.sec_sig_required", tf("Security signatures are required",
                                                "Security signatures are not required")),
            f("smb.flags2.compressed", tf("Compression is requested", "Compression is not requested")),
            f("smb.flags2.sec_sig", tf("Security signatures are supported", "Security signatures are not supported")),
            f("smb.flags2.ea", tf("Extended attributes are supported", "Extended attributes are not supported")),
            f("smb.flags2.long_names_allowed", tf("Long file names are allowed in the response",
                                                  "Long file names are not allowed in the response")),
        ]
        hf.pidHigh = f("smb.pid.high")
        hf.signature = f("smb.signature")
        hf.tid = f("smb.tid")
        hf.pid = f("smb.pid")
        hf.uid = f("smb.uid")
        hf.mid = f("smb.mid")
        hf.wct = f("smb.wct")
        hf.tpc = f("smb.tpc")
        hf.tdc = f("smb.tdc")
        hf.mpc = f("smb.mpc")
        hf.mdc = f("smb.mdc")
        hf.msc = f("smb.msc")
        hf.transFlags = f("smb.transaction.flags")
        transFlagBits = [f("smb.transaction.flags.owt", tf("One way transaction", "Two way transaction")),
                         f("smb.transaction.flags.dtid", tf("Disconnect TID", "Do NOT disconnect TID"))]
        hf.timeout = f("smb.timeout")
        hf.pc = f("smb.pc")
        hf.po = f("smb.po")
        hf.dc = f("smb.dc")
        hf.dataOffset = f("smb.data_offset")
        hf.sc = f("smb.sc")
        hf.bcc = f("smb.bcc")
        hf.transName = f("smb.trans_name")
        SMBFieldCatalog.registerAll(r, ["smb": p])
        mailslot = MailslotDissector(r)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        // tshark's heuristic: a whole header with the 0xff "SMB" signature.
        guard data.count >= Self.headerLength, isSMB(data) else {
            return .notMine
        }
        packet.protocolColumn = "SMB"
        packet.info.clear()
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        let full = packet.buildsFullTree
        let header = packet.addText("SMB Header", data, 0, Self.headerLength, parent: top)
        let h = full ? header : top
        let component = packet.add(hf.serverComponent, data, 0, 4, .uint(UInt64(try data.u32le(0))), parent: h)
        if full { packet.setLabel(component, "Server Component: SMB") }
        let command = try data.u8(4)
        packet.add(hf.command, data, 4, 1, .uint(UInt64(command)), parent: h)
        let flags2 = try data.u16le(10)
        if flags2 & 0x4000 != 0 {
            let status = try data.u32le(5)
            packet.add(hf.ntStatus, data, 5, 4, .uint(UInt64(status)), parent: h)
        } else {
            let errorClass = try data.u8(5)
            let code = try data.u16le(7)
            packet.add(hf.errorClass, data, 5, 1, .uint(UInt64(errorClass)), parent: h)
            packet.add(hf.reserved, data, 6, 1, .bytes, parent: h)
            let item = packet.add(hf.errorCode, data, 7, 2, .uint(UInt64(code)), parent: h)
            if full && errorClass == 0 && code == 0 { packet.setLabel(item, "Error Code: No Error") }
        }
        packet.addBitmask(hf.flags, data, 9, 1, value: UInt64(try data.u8(9)), parent: h, subfields: flagBits)
        packet.addBitmask(hf.flags2, data, 10, 2, value: UInt64(flags2), parent: h, subfields: flags2Bits)
        packet.add(hf.pidHigh, data, 12, 2, .uint(UInt64(try data.u16le(12))), parent: h)
        packet.add(hf.signature, data, 14, 8, .bytes, parent: h)
        packet.add(hf.reserved, data, 22, 2, .bytes, parent: h)
        packet.add(hf.tid, data, 24, 2, .uint(UInt64(try data.u16le(24))), parent: h)
        packet.add(hf.pid, data, 26, 2, .uint(UInt64(try data.u16le(26))), parent: h)
        packet.add(hf.uid, data, 28, 2, .uint(UInt64(try data.u16le(28))), parent: h)
        packet.add(hf.mid, data, 30, 2, .uint(UInt64(try data.u16le(30))), parent: h)
        let isRequest = try data.u8(9) & 0x80 == 0
        if command == Self.commandTrans && isRequest {
            try transRequest(&packet, data, top, parent)
        } else {
            packet.info.append(Self.commandNames[UInt64(command)] ?? "Unknown")
            packet.info.append(isRequest ? " Request" : " Response")
        }
        return .consumed(data.count)
    }

    private func isSMB(_ data: ByteView) -> Bool {
        (try? data.u32(0)) == 0xff53_4d42
    }

    /// SMB_COM_TRANSACTION request (MS-CIFS §2.2.4.33.1): counts and offsets, setup words, the
    /// transaction name; a "\MAILSLOT\…" name hands the setup, name and data to the mailslot.
    private func transRequest(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode,
                              _ root: TreeNode) throws(Malformed) {
        let full = packet.buildsFullTree
        var o = Self.headerLength
        let body = packet.addText("Trans Request (0x25)", data, o, data.count - o, parent: top)
        let b = full ? body : top
        let wct = try data.u8(o)
        packet.add(hf.wct, data, o, 1, .uint(UInt64(wct)), parent: b)
        o += 1
        packet.info.append("Trans Request")
        guard wct >= 14 else { return }
        for f in [hf.tpc, hf.tdc, hf.mpc, hf.mdc] {
            packet.add(f, data, o, 2, .uint(UInt64(try data.u16le(o))), parent: b)
            o += 2
        }
        packet.add(hf.msc, data, o, 1, .uint(UInt64(try data.u8(o))), parent: b)
        try data.check(o + 1, 1)
        packet.add(hf.reserved, data, o + 1, 1, .bytes, parent: b)
        o += 2
        packet.addBitmask(hf.transFlags, data, o, 2, value: UInt64(try data.u16le(o)), parent: b,
                          subfields: transFlagBits)
        o += 2
        let timeout = try data.u32le(o)
        let t = packet.add(hf.timeout, data, o, 4, .uint(UInt64(timeout)), parent: b)
        if full {
            switch timeout {
            case 0: packet.setLabel(t, "Timeout: Return immediately (0)")
            case 0xffff_ffff: packet.setLabel(t, "Timeout: Wait indefinitely (-1)")
            default: packet.setLabel(t, "Timeout: " + BrowserDissector.msecsText(timeout))
            }
        }
        o += 4
        try data.check(o, 2)
        packet.add(hf.reserved, data, o, 2, .bytes, parent: b)
        o += 2
        let pc = try data.u16le(o)
        packet.add(hf.pc, data, o, 2, .uint(UInt64(pc)), parent: b)
        let po = try data.u16le(o + 2)
        packet.add(hf.po, data, o + 2, 2, .uint(UInt64(po)), parent: b)
        let dc = Int(try data.u16le(o + 4))
        packet.add(hf.dc, data, o + 4, 2, .uint(UInt64(dc)), parent: b)
        let dOff = Int(try data.u16le(o + 6))
        packet.add(hf.dataOffset, data, o + 6, 2, .uint(UInt64(dOff)), parent: b)
        o += 8
        let sc = Int(try data.u8(o))
        packet.add(hf.sc, data, o, 1, .uint(UInt64(sc)), parent: b)
        try data.check(o + 1, 1)
        packet.add(hf.reserved, data, o + 1, 1, .bytes, parent: b)
        o += 2
        let setupStart = o
        o += sc * 2
        let bcc = try data.u16le(o)
        packet.add(hf.bcc, data, o, 2, .uint(UInt64(bcc)), parent: b)
        o += 2
        // The name is ASCII here (Unicode names would need the flags2 bit; mailslots use ASCII).
        guard let nul = data.firstIndex(of: 0, from: o) else { throw Malformed() }
        let nameView = data.suffix(from: o).prefix(nul - o)
        if packet.wants(hf.transName) {
            packet.add(hf.transName, data, o, nul + 1 - o,
                       packet.text(String(decoding: nameView.buffer, as: UTF8.self)), parent: b)
        }
        packet.info.append(", ")
        packet.info.append(nameView)
        let nameEnd = nul + 1
        if nameView.count >= 10 && matchesMailslot(nameView) {
            let setup = try data.slice(setupStart, nameEnd - setupStart)
            let payload = data.has(dOff, dc) ? try data.slice(dOff, dc) : data.suffix(from: min(dOff, data.count))
            try mailslot.dissect(&packet, setup: setup, name: nameView.suffix(from: 10), payload: payload,
                                 cut: !data.has(dOff, dc), root: root)
        }
    }

    /// "\MAILSLOT\" at the start of the transaction name, in any case.
    private func matchesMailslot(_ name: ByteView) -> Bool {
        let want: StaticString = "\\MAILSLOT\\"
        for i in 0..<10 {
            var c = name[unchecked: i]
            if c >= 0x61 && c <= 0x7a { c -= 0x20 }
            if c != want.utf8Start[i] { return false }
        }
        return true
    }
}
