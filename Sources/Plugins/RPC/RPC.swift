import DissectKit

/// ONC Remote Procedure Call (RFC 5531) over UDP and TCP (record marking, §11), found by
/// tshark's `rpc_udp`/`rpc_tcp` heuristics: a call of a program some dissector registered
/// (`RPCDissector.registerProgram`), or a reply to a call seen before (matched by XID and
/// conversation). The program's arguments and results go to that program's dissector, which
/// reads the call's version and procedure from `RPCDissector.current`.
public enum RPCPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = RPCDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerDissector("rpc", h)
        r.table("udp", uiName: "UDP heuristic").addHeuristic("rpc_udp", h)
        r.table("tcp", uiName: "TCP heuristic sub-dissectors").addHeuristic("rpc_tcp", r.handle(d.hf.proto, DissectorEntry(d, RPCDissector.dissectRecord)))
        r.onReset { d.calls.reset() }
    }
}

/// A program's dissector and names, as registered by it.
struct RPCProgram {
    var name: String
    var handle: DissectorHandle
    /// Per version: the field whose value strings name the procedures ("nfs.procedure_v3").
    var procedureFields: [UInt32: FieldID]
}

/// The message RPC hands to a program dissector.
struct RPCMessage {
    var program: UInt32
    var version: UInt32
    var procedure: UInt32
    var isReply: Bool
    /// For a reply: the frame of its call.
    var callFrame: UInt32
}

/// A call remembered for its reply.
struct RPCCall {
    var program: UInt32
    var version: UInt32
    var procedure: UInt32
    var frame: UInt32
    var time: Timestamp
}

/// Calls by XID and conversation (hashed); bounded, starts afresh past `capacity`.
final class RPCCallTable {
    struct Key: Hashable {
        var xid: UInt32
        var conversation: Int
    }
    private var calls: [Key: RPCCall] = [:]
    let capacity: Int
    init(capacity: Int = 1 << 16) { self.capacity = capacity }
    func reset() { calls.removeAll() }
    func note(_ k: Key, _ c: RPCCall) {
        if let old = calls[k], old.frame == c.frame { return }
        if calls.count >= capacity { calls.removeAll() }
        calls[k] = c
    }
    func find(_ k: Key) -> RPCCall? { calls[k] }
}

final class RPCDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var xid = FieldID.textOnly
        var msgType = FieldID.textOnly
        var version = FieldID.textOnly
        var program = FieldID.textOnly
        var programVersion = FieldID.textOnly
        var procedure = FieldID.textOnly
        var replyState = FieldID.textOnly
        var acceptState = FieldID.textOnly
        var rejectState = FieldID.textOnly
        var authFlavor = FieldID.textOnly
        var authLength = FieldID.textOnly
        var authStamp = FieldID.textOnly
        var authMachineName = FieldID.textOnly
        var authUID = FieldID.textOnly
        var authGID = FieldID.textOnly
        var opaqueLength = FieldID.textOnly
        var opaqueData = FieldID.textOnly
        var fillBytes = FieldID.textOnly
        var reqFrame = FieldID.textOnly
        var repFrame = FieldID.textOnly
        var time = FieldID.textOnly
        var lastFrag = FieldID.textOnly
        var fragLen = FieldID.textOnly
    }
    var hf = Fields()
    let calls = RPCCallTable()
    var programs: [UInt32: RPCProgram] = [:]
    /// The message being handed to a program dissector (set for the duration of the call).
    var current: RPCMessage?

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Remote Procedure Call", shortName: "RPC", abbrev: "rpc")
        hf.proto = p
        RPCFieldCatalog.registerAll(r, ["rpc": p])
        let reg = r.engine.registry
        func id(_ abbrev: String) -> FieldID { reg.lookup(abbrev) ?? .textOnly }
        hf.xid = id("rpc.xid")
        hf.msgType = id("rpc.msgtyp")
        hf.version = id("rpc.version")
        hf.program = id("rpc.program")
        hf.programVersion = id("rpc.programversion")
        hf.procedure = id("rpc.procedure")
        hf.replyState = id("rpc.replystat")
        hf.acceptState = id("rpc.state_accept")
        hf.rejectState = id("rpc.state_reject")
        hf.authFlavor = id("rpc.auth.flavor")
        hf.authLength = id("rpc.auth.length")
        hf.authStamp = id("rpc.auth.stamp")
        hf.authMachineName = id("rpc.auth.machinename")
        hf.authUID = id("rpc.auth.uid")
        hf.authGID = id("rpc.auth.gid")
        hf.opaqueLength = id("rpc.opaque_length")
        hf.opaqueData = id("rpc.opaque_data")
        hf.fillBytes = id("rpc.fill_bytes")
        hf.reqFrame = id("rpc.reqframe")
        hf.repFrame = id("rpc.repframe")
        hf.time = id("rpc.time")
        hf.lastFrag = id("rpc.lastfrag")
        hf.fragLen = id("rpc.fraglen")
    }

    /// Called by a program's plugin at registration (tshark's `rpc_init_prog`).
    func registerProgram(_ number: UInt32, _ program: RPCProgram) { programs[number] = program }

    func procedureName(_ program: RPCProgram, version: UInt32, procedure: UInt32, registry: FieldRegistry) -> String {
        if let f = program.procedureFields[version], let n = registry[f].strings?.name(for: UInt64(procedure)) { return n }
        return "proc-\(procedure)"
    }
}

