import DissectKit

/// Session Description Protocol (RFC 4566) behind `media_type` "application/sdp" (SIP, HTTP,
/// MIME bodies). Each line with tshark's sub-items; every RTP media description binds RTP to
/// its connection address and port (tshark's `rtp_add_address`), so the media stream that
/// follows on those ports decodes as RTP.
public enum SDPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = SDPDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerDissector("sdp", h)
        r.table("media_type", uiName: "Internet media type").add("application/sdp", h)
        d.rtp = r.dissector(named: "rtp")
    }
}

/// What the carrying protocol tells SDP (tshark passes the SIP Call-ID the same way).
struct SDPContext {
    var callID: String?
}

final class SDPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var version = FieldID.textOnly
        var owner = FieldID.textOnly
        var ownerUsername = FieldID.textOnly
        var ownerSessionID = FieldID.textOnly
        var ownerVersion = FieldID.textOnly
        var ownerNetworkType = FieldID.textOnly
        var ownerAddressType = FieldID.textOnly
        var ownerAddress = FieldID.textOnly
        var sessionName = FieldID.textOnly
        var sessionInfo = FieldID.textOnly
        var uri = FieldID.textOnly
        var email = FieldID.textOnly
        var phone = FieldID.textOnly
        var connection = FieldID.textOnly
        var connectionNetworkType = FieldID.textOnly
        var connectionAddressType = FieldID.textOnly
        var connectionAddress = FieldID.textOnly
        var connectionTTL = FieldID.textOnly
        var connectionNumAddr = FieldID.textOnly
        var bandwidth = FieldID.textOnly
        var bandwidthModifier = FieldID.textOnly
        var bandwidthValue = FieldID.textOnly
        var time = FieldID.textOnly
        var timeStart = FieldID.textOnly
        var timeStop = FieldID.textOnly
        var repeatTime = FieldID.textOnly
        var timezone = FieldID.textOnly
        var encryptionKey = FieldID.textOnly
        var sessionAttr = FieldID.textOnly
        var sessionAttrField = FieldID.textOnly
        var sessionAttrValue = FieldID.textOnly
        var mediaAttr = FieldID.textOnly
        var mediaAttrField = FieldID.textOnly
        var mediaAttrValue = FieldID.textOnly
        var media = FieldID.textOnly
        var mediaMedia = FieldID.textOnly
        var mediaPort = FieldID.textOnly
        var mediaPortCount = FieldID.textOnly
        var mediaProto = FieldID.textOnly
        var mediaFormat = FieldID.textOnly
        var mediaTitle = FieldID.textOnly
        var mimeType = FieldID.textOnly
        var sampleRate = FieldID.textOnly
        var fmtpParameter = FieldID.textOnly
        var unknown = FieldID.textOnly
        var invalid = FieldID.textOnly
        var callIDGenerated = FieldID.textOnly
        var eiExtraSpace = FieldID.textOnly
        var eiNoEqual = FieldID.textOnly
        var eiInvalidMediaPort = FieldID.textOnly
    }
    var hf = Fields()
    var rtp: NamedDissector!
    /// Set by the carrying protocol for the duration of one call.
    var context: SDPContext?

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Session Description Protocol", shortName: "SDP", abbrev: "sdp")
        hf.proto = p
        SDPFieldCatalog.registerAll(r, ["sdp": p])
        let reg = r.engine.registry
        func id(_ abbrev: String) -> FieldID { reg.lookup(abbrev) ?? .textOnly }
        hf.version = id("sdp.version")
        hf.owner = id("sdp.owner")
        hf.ownerUsername = id("sdp.owner.username")
        hf.ownerSessionID = id("sdp.owner.sessionid")
        hf.ownerVersion = id("sdp.owner.version")
        hf.ownerNetworkType = id("sdp.owner.network_type")
        hf.ownerAddressType = id("sdp.owner.address_type")
        hf.ownerAddress = id("sdp.owner.address")
        hf.sessionName = id("sdp.session_name")
        hf.sessionInfo = id("sdp.session_info")
        hf.uri = id("sdp.uri")
        hf.email = id("sdp.email")
        hf.phone = id("sdp.phone")
        hf.connection = id("sdp.connection_info")
        hf.connectionNetworkType = id("sdp.connection_info.network_type")
        hf.connectionAddressType = id("sdp.connection_info.address_type")
        hf.connectionAddress = id("sdp.connection_info.address")
        hf.connectionTTL = id("sdp.connection_info.ttl")
        hf.connectionNumAddr = id("sdp.connection_info.num_addr")
        hf.bandwidth = id("sdp.bandwidth")
        hf.bandwidthModifier = id("sdp.bandwidth.modifier")
        hf.bandwidthValue = id("sdp.bandwidth.value")
        hf.time = id("sdp.time")
        hf.timeStart = id("sdp.time.start")
        hf.timeStop = id("sdp.time.stop")
        hf.repeatTime = id("sdp.repeat_time")
        hf.timezone = id("sdp.timezone")
        hf.encryptionKey = id("sdp.encryption_key")
        hf.sessionAttr = id("sdp.session_attr")
        hf.sessionAttrField = id("sdp.session_attr.field")
        hf.sessionAttrValue = id("sdp.session_attr.value")
        hf.mediaAttr = id("sdp.media_attr")
        hf.mediaAttrField = id("sdp.media_attribute.field")
        hf.mediaAttrValue = id("sdp.media_attribute.value")
        hf.media = id("sdp.media")
        hf.mediaMedia = id("sdp.media.media")
        hf.mediaPort = id("sdp.media.port")
        hf.mediaPortCount = id("sdp.media.portcount")
        hf.mediaProto = id("sdp.media.proto")
        hf.mediaFormat = id("sdp.media.format")
        hf.mediaTitle = id("sdp.media_title")
        hf.mimeType = id("sdp.mime.type")
        hf.sampleRate = id("sdp.sample_rate")
        hf.fmtpParameter = id("sdp.fmtp.parameter")
        hf.unknown = id("sdp.unknown")
        hf.invalid = id("sdp.invalid")
        hf.callIDGenerated = id("sip.call_id_generated")
        hf.eiExtraSpace = r.expert("sdp.invalid_line.extra_space", "Invalid SDP whitespace (extra space character)",
                                   .error, .malformed, in: p)
        hf.eiNoEqual = r.expert("sdp.invalid_line.no_equal", "Invalid SDP line (no '=' delimiter)", .note,
                                .undecoded, in: p)
        hf.eiInvalidMediaPort = r.expert("sdp.invalid_media_port", "Invalid media port", .warning, .malformed, in: p)
    }
}
