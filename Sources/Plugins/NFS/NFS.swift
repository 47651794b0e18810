import DissectKit

/// Network File System (RFC 1094 v2, RFC 1813 v3) as ONC RPC program 100003: every field tshark
/// registers (for filters); decoded so far: v3 GETATTR (the file handle with tshark's CRC-32
/// "hash", the file attributes) with tshark's Info texts; other procedures show their names.
public enum NFSPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = NFSDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerDissector("nfs", h)
        guard let rpc = r.dissector(named: "rpc").handle?.dissector as? RPCDissector else { return }
        d.rpc = rpc
        rpc.registerProgram(100003, RPCProgram(name: "NFS", handle: h,
                                               procedureFields: [2: d.hf.procedureV2, 3: d.hf.procedureV3,
                                                                 4: d.hf.procedureV4]))
    }
}

final class NFSDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var procedureV2 = FieldID.textOnly
        var procedureV3 = FieldID.textOnly
        var procedureV4 = FieldID.textOnly
        var programVersion = FieldID.textOnly
        var fhLength = FieldID.textOnly
        var fhHash = FieldID.textOnly
        var fhandle = FieldID.textOnly
        var status = FieldID.textOnly
        var status2 = FieldID.textOnly
        var status3 = FieldID.textOnly
        var ftype3 = FieldID.textOnly
        var mode3 = FieldID.textOnly
        var mode3Bits: [FieldID] = []
        var nlink3 = FieldID.textOnly
        var uid3 = FieldID.textOnly
        var gid3 = FieldID.textOnly
        var size3 = FieldID.textOnly
        var used3 = FieldID.textOnly
        var specdata1 = FieldID.textOnly
        var specdata2 = FieldID.textOnly
        var fsid3 = FieldID.textOnly
        var fileid3 = FieldID.textOnly
        var times: [(time: FieldID, sec: FieldID, nsec: FieldID, usec: FieldID)] = []
    }
    var hf = Fields()
    weak var rpc: RPCDissector?

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Network File System", shortName: "NFS", abbrev: "nfs")
        hf.proto = p
        NFSFieldCatalog.registerAll(r, ["nfs": p])
        let reg = r.engine.registry
        func id(_ abbrev: String) -> FieldID { reg.lookup(abbrev) ?? .textOnly }
        hf.procedureV2 = id("nfs.procedure_v2")
        hf.procedureV3 = id("nfs.procedure_v3")
        hf.procedureV4 = id("nfs.procedure_v4")
        hf.programVersion = id("rpc.programversion")
        hf.fhLength = id("nfs.fh.length")
        hf.fhHash = id("nfs.fh.hash")
        hf.fhandle = id("nfs.fhandle")
        hf.status = id("nfs.status")
        hf.status2 = id("nfs.status2")
        hf.status3 = id("nfs.status3")
        hf.ftype3 = id("nfs.fattr3.type")
        hf.mode3 = id("nfs.mode3")
        hf.mode3Bits = ["suid", "sgid", "sticky", "rusr", "wusr", "xusr", "rgrp", "wgrp", "xgrp", "roth", "woth", "xoth"]
            .map { id("nfs.mode3." + $0) }
        hf.nlink3 = id("nfs.fattr3.nlink")
        hf.uid3 = id("nfs.fattr3.uid")
        hf.gid3 = id("nfs.fattr3.gid")
        hf.size3 = id("nfs.fattr3.size")
        hf.used3 = id("nfs.fattr3.used")
        hf.specdata1 = id("nfs.specdata1")
        hf.specdata2 = id("nfs.specdata2")
        hf.fsid3 = id("nfs.fattr3.fsid")
        hf.fileid3 = id("nfs.fattr3.fileid")
        hf.times = ["atime", "mtime", "ctime"].map { (id("nfs." + $0), id("nfs.\($0).sec"), id("nfs.\($0).nsec"), id("nfs.\($0).usec")) }
    }
}
