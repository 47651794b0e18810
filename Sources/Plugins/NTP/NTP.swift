import DissectKit

/// Network Time Protocol (RFC 5905, versions 1–4): client/server/symmetric/broadcast packets with
/// extension fields and MACs, control messages (mode 6, RFC 1305 appendix B) and ntpd's private
/// mode 7 headers, on UDP (and TCP) port 123.
public enum NTPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = NTPDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.table("udp.port", uiName: "UDP port").add(123, h)
        r.table("tcp.port", uiName: "TCP port").add(123, h)
        r.registerDissector("ntp", h)
    }
}

final class NTPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var flags = FieldID.textOnly
        var li = FieldID.textOnly
        var vn = FieldID.textOnly
        var mode = FieldID.textOnly
        var stratum = FieldID.textOnly
        var ppoll = FieldID.textOnly
        var precision = FieldID.textOnly
        var rootDelay = FieldID.textOnly
        var rootDispersion = FieldID.textOnly
        var refid = FieldID.textOnly
        var timestamps: [FieldID] = [] // reftime, org, rec, xmt
        var keyID = FieldID.textOnly
        var mac = FieldID.textOnly
        var padding = FieldID.textOnly
        var keyType = FieldID.textOnly
        var keyIndex = FieldID.textOnly
        var keySignature = FieldID.textOnly
        var ext = FieldID.textOnly
        var extType = FieldID.textOnly
        var extLength = FieldID.textOnly
        var extValue = FieldID.textOnly
        // control (mode 6)
        var flags2 = FieldID.textOnly
        var flags2R = FieldID.textOnly
        var flags2Error = FieldID.textOnly
        var flags2More = FieldID.textOnly
        var flags2Opcode = FieldID.textOnly
        var sequence = FieldID.textOnly
        var status = FieldID.textOnly
        var errStatus = FieldID.textOnly
        var sysLI = FieldID.textOnly
        var sysClockSource = FieldID.textOnly
        var sysCount = FieldID.textOnly
        var sysCode = FieldID.textOnly
        var peerStatus: [FieldID] = []
        var clockStatus = FieldID.textOnly
        var clockCode = FieldID.textOnly
        var data = FieldID.textOnly
        var item = FieldID.textOnly
        var associd = FieldID.textOnly
        var offset = FieldID.textOnly
        var count = FieldID.textOnly
        var trapMessage = FieldID.textOnly
        var configuration = FieldID.textOnly
        var mru = FieldID.textOnly
        var orderedList = FieldID.textOnly
        var nonce = FieldID.textOnly
        // private (mode 7)
        var privR = FieldID.textOnly
        var privMore = FieldID.textOnly
        var authSeq = FieldID.textOnly
        var auth = FieldID.textOnly
        var seq = FieldID.textOnly
        var impl = FieldID.textOnly
        var reqcode = FieldID.textOnly
        var err = FieldID.textOnly
        var numItems = FieldID.textOnly
        var reserved = FieldID.textOnly
        var itemSize = FieldID.textOnly
        var mode7Item = FieldID.textOnly
        var monlist: [FieldID] = [] // avgint … version, ipv6 flag, unused, addr6, daddr6
        var mode7 = Mode7Fields()
        var eiExtInvalidLength = FieldID.textOnly
    }
    /// Fields of mode 7 data items.
    struct Mode7Fields {
        var address = FieldID.textOnly
        var port = FieldID.textOnly
        var hmode = FieldID.textOnly
        var peerFlags = FieldID.textOnly
        var ipv6Flag = FieldID.textOnly
        var unused = FieldID.textOnly
        var address6 = FieldID.textOnly
    }
    var hf = Fields()

    /// Subfields of the flag bytes, for `addBitmask` (built once).
    var standardFlags: [FieldID] = []
    var privateFlags: [FieldID] = []
    var controlFlags2: [FieldID] = []
    var authSeqFlags: [FieldID] = []
    var systemStatus: [FieldID] = []
    var clockStatusFlags: [FieldID] = []
    var errorStatus: [FieldID] = []
    var peerListFlags: [FieldID] = []

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Network Time Protocol", shortName: "NTP", abbrev: "ntp")
        hf.proto = p
        NTPFieldCatalog.registerAll(r, ["ntp": p])
        let reg = r.engine.registry
        func id(_ abbrev: String) -> FieldID { reg.lookup(abbrev) ?? .textOnly }
        hf.flags = id("ntp.flags")
        hf.li = id("ntp.flags.li")
        hf.vn = id("ntp.flags.vn")
        hf.mode = id("ntp.flags.mode")
        hf.stratum = id("ntp.stratum")
        hf.ppoll = id("ntp.ppoll")
        hf.precision = id("ntp.precision")
        hf.rootDelay = id("ntp.rootdelay")
        hf.rootDispersion = id("ntp.rootdispersion")
        hf.refid = id("ntp.refid")
        hf.timestamps = ["ntp.reftime", "ntp.org", "ntp.rec", "ntp.xmt"].map(id)
        hf.keyID = id("ntp.keyid")
        hf.mac = id("ntp.mac")
        hf.padding = id("ntp.padding")
        hf.keyType = id("ntp.key_type")
        hf.keyIndex = id("ntp.key_index")
        hf.keySignature = id("ntp.key_signature")
        hf.ext = id("ntp.ext")
        hf.extType = id("ntp.ext.type")
        hf.extLength = id("ntp.ext.length")
        hf.extValue = id("ntp.ext.value")
        hf.flags2 = id("ntp.ctrl.flags2")
        hf.flags2R = id("ntp.ctrl.flags2.r")
        hf.flags2Error = id("ntp.ctrl.flags2.error")
        hf.flags2More = id("ntp.ctrl.flags2.more")
        hf.flags2Opcode = id("ntp.ctrl.flags2.opcode")
        hf.sequence = id("ntp.ctrl.sequence")
        hf.status = id("ntp.ctrl.status")
        hf.errStatus = id("ntp.ctrl.err_status")
        hf.sysLI = id("ntp.ctrl.sys_status.li")
        hf.sysClockSource = id("ntp.ctrl.sys_status.clksrc")
        hf.sysCount = id("ntp.ctrl.sys_status.count")
        hf.sysCode = id("ntp.ctrl.sys_status.code")
        hf.peerStatus = ["config", "authenable", "authentic", "reach", "bcast", "selection", "count", "code"]
            .map { id("ntp.ctrl.peer_status." + $0) }
        hf.clockStatus = id("ntp.ctrl.clock_status.status")
        hf.clockCode = id("ntp.ctrl.clock_status.code")
        hf.data = id("ntp.ctrl.data")
        hf.item = id("ntp.ctrl.item")
        hf.associd = id("ntp.ctrl.associd")
        hf.offset = id("ntp.ctrl.offset")
        hf.count = id("ntp.ctrl.count")
        hf.trapMessage = id("ntp.ctrl.trapmsg")
        hf.configuration = id("ntp.ctrl.configuration")
        hf.mru = id("ntp.ctrl.mru")
        hf.orderedList = id("ntp.ctrl.ordlist")
        hf.nonce = id("ntp.ctrl.nonce")
        hf.privR = id("ntp.priv.flags.r")
        hf.privMore = id("ntp.priv.flags.more")
        hf.authSeq = id("ntp.priv.auth_seq")
        hf.auth = id("ntp.priv.auth")
        hf.seq = id("ntp.priv.seq")
        hf.impl = id("ntp.priv.impl")
        hf.reqcode = id("ntp.priv.reqcode")
        hf.err = id("ntp.priv.err")
        hf.numItems = id("ntp.priv.numitems")
        hf.reserved = id("ntp.priv.reserved")
        hf.itemSize = id("ntp.priv.itemsize")
        hf.mode7Item = id("ntp.priv.mode7.item")
        hf.monlist = ["avgint", "lsint", "restr", "count", "remote_address", "local_address", "flags", "port", "mode",
                      "version", "ipv6", "unused", "addr6", "daddr6"].map { id("ntp.priv.monlist." + $0) }
        hf.mode7.address = id("ntp.priv.mode7.address")
        hf.mode7.port = id("ntp.priv.mode7.port")
        hf.mode7.hmode = id("ntp.priv.mode7.hmode")
        hf.mode7.peerFlags = id("ntp.priv.mode7.peer.flags")
        hf.mode7.ipv6Flag = id("ntp.priv.mode7.ipv6_flag")
        hf.mode7.unused = id("ntp.priv.mode7.unused")
        hf.mode7.address6 = id("ntp.priv.mode7.address6")
        peerListFlags = ["config", "syspeer", "burst", "refclock", "prefer", "authenable", "sel_candidate", "shortlist"]
            .map { id("ntp.priv.mode7.peer.flags." + $0) }
        hf.eiExtInvalidLength = r.expert("ntp.ext.invalid_length", "Extension invalid length", .warning, .protocol,
                                         in: p)

        standardFlags = [hf.li, hf.vn, hf.mode]
        privateFlags = [hf.privR, hf.privMore, hf.vn, hf.mode]
        controlFlags2 = [hf.flags2R, hf.flags2Error, hf.flags2More, hf.flags2Opcode]
        authSeqFlags = [hf.auth, hf.seq]
        systemStatus = [hf.sysLI, hf.sysClockSource, hf.sysCount, hf.sysCode]
        clockStatusFlags = [hf.clockStatus, hf.clockCode]
        errorStatus = [hf.errStatus]
    }
}
