import DissectKit

/// Real-Time Transport Protocol (RFC 3550). tshark decodes RTP only where something set the
/// stream up (no port of its own, its heuristic is off by default): SDP binds RTP to each media
/// description's connection address and port (`RTPDissector.expect`), and UDP then hands that
/// conversation's datagrams here.
public enum RTPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = RTPDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerDissector("rtp", h)
        r.onReset { d.streams.reset() }
    }
}

/// What the SDP that set a stream up said about it.
struct RTPStreamSetup {
    var frame: UInt32
    var callID: String?
    /// rtpmap encoding names by payload type.
    var encodings: [UInt8: String]
}

/// One stream (conversation binding): its setup and the sequence tracking behind the extended
/// sequence number.
struct RTPStream {
    var setup: RTPStreamSetup?
    var lastSeq: UInt16 = 0
    var cycles: UInt32 = 0
    var started = false
}

/// Streams by conversation-binding id; bounded (starts afresh past `capacity`).
final class RTPStreamTable {
    private var streams: [UInt32: RTPStream] = [:]
    let capacity: Int
    init(capacity: Int = 1 << 14) { self.capacity = capacity }
    func reset() { streams.removeAll() }
    func set(_ id: UInt32, _ setup: RTPStreamSetup) {
        if streams.count >= capacity { streams.removeAll() }
        streams[id] = RTPStream(setup: setup)
    }
    func with<R>(_ id: UInt32, _ body: (inout RTPStream) -> R) -> R {
        if streams[id] == nil {
            if streams.count >= capacity { streams.removeAll() }
            streams[id] = RTPStream()
        }
        return body(&streams[id]!)
    }
}

final class RTPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var version = FieldID.textOnly
        var padding = FieldID.textOnly
        var ext = FieldID.textOnly
        var cc = FieldID.textOnly
        var marker = FieldID.textOnly
        var payloadType = FieldID.textOnly
        var seq = FieldID.textOnly
        var extSeq = FieldID.textOnly
        var timestamp = FieldID.textOnly
        var ssrc = FieldID.textOnly
        var csrcItems = FieldID.textOnly
        var csrcItem = FieldID.textOnly
        var extProfile = FieldID.textOnly
        var extLength = FieldID.textOnly
        var hdrExts = FieldID.textOnly
        var hdrExt = FieldID.textOnly
        var payload = FieldID.textOnly
        var paddingData = FieldID.textOnly
        var paddingCount = FieldID.textOnly
        var setup = FieldID.textOnly
        var setupFrame = FieldID.textOnly
        var setupMethod = FieldID.textOnly
        var callIDGenerated = FieldID.textOnly
    }
    var hf = Fields()
    let streams = RTPStreamTable()

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Real-Time Transport Protocol", shortName: "RTP", abbrev: "rtp")
        hf.proto = p
        let ev = r.registerProtocol(name: "RFC 2833 RTP Event", shortName: "RTPEvent", abbrev: "rtpevent")
        RTPFieldCatalog.registerAll(r, ["rtp": p, "rtpevent": ev])
        let reg = r.engine.registry
        func id(_ abbrev: String) -> FieldID { reg.lookup(abbrev) ?? .textOnly }
        hf.version = id("rtp.version")
        hf.padding = id("rtp.padding")
        hf.ext = id("rtp.ext")
        hf.cc = id("rtp.cc")
        hf.marker = id("rtp.marker")
        hf.payloadType = id("rtp.p_type")
        hf.seq = id("rtp.seq")
        hf.extSeq = id("rtp.extseq")
        hf.timestamp = id("rtp.timestamp")
        hf.ssrc = id("rtp.ssrc")
        hf.csrcItems = id("rtp.csrc.items")
        hf.csrcItem = id("rtp.csrc.item")
        hf.extProfile = id("rtp.ext.profile")
        hf.extLength = id("rtp.ext.len")
        hf.hdrExts = id("rtp.hdr_exts")
        hf.hdrExt = id("rtp.hdr_ext")
        hf.payload = id("rtp.payload")
        hf.paddingData = id("rtp.padding.data")
        hf.paddingCount = id("rtp.padding.count")
        hf.setup = id("rtp.setup")
        hf.setupFrame = id("rtp.setup-frame")
        hf.setupMethod = id("rtp.setup-method")
        hf.callIDGenerated = id("sip.call_id_generated")
    }

    /// Binds RTP to `address:port` from any peer (tshark's `rtp_add_address`, NO_ADDR_B|NO_PORT_B).
    func expect(_ packet: inout PacketContext, handle: DissectorHandle, address: Address, port: UInt16,
                setup: RTPStreamSetup) {
        let id = packet.conversations.bind(handle, transport: 17, address, port, .none, nil)
        streams.set(id, setup)
    }
}

/// RTP payload type names (RFC 3551 §6 and tshark's `rtp_payload_type_vals`).
enum RTPPayloadTypes {
    static let names: [UInt8: String] = [
        0: "ITU-T G.711 PCMU", 1: "USA Federal Standard FS-1016", 2: "ITU-T G.721", 3: "GSM 06.10",
        4: "ITU-T G.723", 5: "DVI4 8000 samples/s", 6: "DVI4 16000 samples/s",
        7: "Experimental linear predictive encoding from Xerox PARC", 8: "ITU-T G.711 PCMA", 9: "ITU-T G.722",
        10: "16-bit uncompressed audio, stereo", 11: "16-bit uncompressed audio, monaural",
        12: "Qualcomm Code Excited Linear Predictive coding", 13: "Comfort noise", 14: "MPEG-I/II Audio",
        15: "ITU-T G.728", 16: "DVI4 11025 samples/s", 17: "DVI4 22050 samples/s", 18: "ITU-T G.729",
        19: "Comfort noise (old)", 25: "Sun CellB video encoding", 26: "JPEG-compressed video", 28: "'nv' program",
        31: "ITU-T H.261", 32: "MPEG-I/II Video", 33: "MPEG-II transport streams", 34: "ITU-T H.263",
    ]

    /// Dynamic types are "DynamicRTP-Type-N"; 72–76 are reserved for RTCP conflict avoidance.
    static func name(_ pt: UInt8) -> String {
        if let n = names[pt] { return n }
        if pt >= 96 { return dynamicNames[Int(pt) - 96] }
        if pt >= 72 && pt <= 76 { return "Reserved for RTCP conflict avoidance" }
        return "Unassigned"
    }

    static let dynamicNames: [String] = (96...127).map { "DynamicRTP-Type-\($0)" }
}
