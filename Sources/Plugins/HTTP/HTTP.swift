import DissectKit

/// Hypertext Transfer Protocol 1.x (RFC 9110/9112, formerly RFC 2616) on tshark 4.0's TCP ports,
/// the `tcp` heuristic and TLS port 443, plus SSDP (HTTP over UDP port 1900): request and
/// response lines, every header, request/response matching, bodies framed by Content-Length or
/// chunked transfer coding (reassembled by TCP through `.needMore`), gzip/deflate content coding,
/// and the body handed on by media type (`media_type` table, then "media" or "data").
public enum HTTPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = HTTPDissector(r)
        let stream = r.handle(d.hf.proto, DissectorEntry(d, HTTPDissector.dissectStream))
        let ports = r.table("tcp.port", uiName: "TCP port")
        for port in HTTPDissector.tcpPorts { ports.add(UInt32(port), stream) }
        r.table("tcp", uiName: "TCP heuristic sub-dissectors")
            .addHeuristic("http_tcp", r.handle(d.hf.proto, DissectorEntry(d, HTTPDissector.dissectHeuristically)))
        // For TLS to hand decrypted data back (tshark's `ssl_dissector_add(443, http)`).
        r.registerDissector("http", stream)
        r.table("tls.port", uiName: "TLS port").add(443, stream)
        r.table("udp.port", uiName: "UDP port").add(1900, r.handle(d.hf.ssdp, DissectorEntry(d, HTTPDissector.dissectDatagram)))
        // tshark shows octet-stream bodies as plain data, not "Media Type".
        r.table("media_type", uiName: "Internet media type").add("application/octet-stream", r.dataHandle)
        r.onReset { d.reset() }
    }
}

final class HTTPDissector {
    /// tshark 4.0's `tcp.port` entries for HTTP: the `http.tcp.port` range
    /// (80,3128,3132,5985,8080,8088,11371,1900,2869,2710) plus IPP (631) and DAAP (3689),
    /// which register on HTTP's ports.
    static let tcpPorts: [UInt16] = [80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371]

    struct Fields {
        var proto = FieldID.textOnly
        var ssdp = FieldID.textOnly
        var notification = FieldID.textOnly
        var response = FieldID.textOnly
        var request = FieldID.textOnly
        var responseNumber = FieldID.textOnly
        var requestNumber = FieldID.textOnly
        var authBasic = FieldID.textOnly
        var authCitrix = FieldID.textOnly
        var authCitrixUser = FieldID.textOnly
        var authCitrixDomain = FieldID.textOnly
        var authCitrixPassword = FieldID.textOnly
        var authCitrixSession = FieldID.textOnly
        var responseLine = FieldID.textOnly
        var requestLine = FieldID.textOnly
        var requestMethod = FieldID.textOnly
        var requestURI = FieldID.textOnly
        var requestPath = FieldID.textOnly
        var requestQuery = FieldID.textOnly
        var requestQueryParameter = FieldID.textOnly
        var requestVersion = FieldID.textOnly
        var responseVersion = FieldID.textOnly
        var fullURI = FieldID.textOnly
        var responseCode = FieldID.textOnly
        var responseCodeDesc = FieldID.textOnly
        var responseForURI = FieldID.textOnly
        var responsePhrase = FieldID.textOnly
        var authorization = FieldID.textOnly
        var proxyAuthenticate = FieldID.textOnly
        var proxyAuthorization = FieldID.textOnly
        var proxyConnectHost = FieldID.textOnly
        var proxyConnectPort = FieldID.textOnly
        var wwwAuthenticate = FieldID.textOnly
        var contentType = FieldID.textOnly
        var contentLengthHeader = FieldID.textOnly
        var contentLength = FieldID.textOnly
        var contentEncoding = FieldID.textOnly
        var transferEncoding = FieldID.textOnly
        var upgrade = FieldID.textOnly
        var userAgent = FieldID.textOnly
        var host = FieldID.textOnly
        var connection = FieldID.textOnly
        var cookie = FieldID.textOnly
        var cookiePair = FieldID.textOnly
        var accept = FieldID.textOnly
        var referer = FieldID.textOnly
        var acceptLanguage = FieldID.textOnly
        var acceptEncoding = FieldID.textOnly
        var date = FieldID.textOnly
        var cacheControl = FieldID.textOnly
        var server = FieldID.textOnly
        var location = FieldID.textOnly
        var secWebSocketAccept = FieldID.textOnly
        var secWebSocketExtensions = FieldID.textOnly
        var secWebSocketKey = FieldID.textOnly
        var secWebSocketProtocol = FieldID.textOnly
        var secWebSocketVersion = FieldID.textOnly
        var setCookie = FieldID.textOnly
        var lastModified = FieldID.textOnly
        var xForwardedFor = FieldID.textOnly
        var http2Settings = FieldID.textOnly
        var requestIn = FieldID.textOnly
        var responseIn = FieldID.textOnly
        var nextRequestIn = FieldID.textOnly
        var nextResponseIn = FieldID.textOnly
        var prevRequestIn = FieldID.textOnly
        var prevResponseIn = FieldID.textOnly
        var time = FieldID.textOnly
        var chunkedTrailerPart = FieldID.textOnly
        var chunkBoundary = FieldID.textOnly
        var chunkSize = FieldID.textOnly
        var chunkData = FieldID.textOnly
        var fileData = FieldID.textOnly
        var unknownHeader = FieldID.textOnly
        var http2SettingsURI = FieldID.textOnly
        var pathSegment = FieldID.textOnly
        var pathSubSegment = FieldID.textOnly
        // Expert infos (tshark registers them as FT_NONE fields too).
        var eiChat = FieldID.textOnly
        var eiChunkedAndLength = FieldID.textOnly
        var eiTransferCodingUnknown = FieldID.textOnly
        var eiSubdissectorFailed = FieldID.textOnly
        var eiTLSPort = FieldID.textOnly
        var eiLeadingCRLF = FieldID.textOnly
        var eiBadHeaderName = FieldID.textOnly
        var eiDecompressionFailed = FieldID.textOnly
        var eiDecompressionDisabled = FieldID.textOnly
    }
    var hf = Fields()

    // Preferences (tshark's names and defaults).
    let desegmentHeaders: Preference
    let desegmentBody: Preference
    let dechunkBody: Preference
    let decompressBody: Preference
    /// TCP's "Allow subdissector to reassemble TCP streams" (read to know whether asking for more
    /// data can work, tshark's `pinfo->can_desegment`).
    let tcpDesegment: NamedPreference

    /// Conversation state, keyed by the transport 4-tuple.
    let sessions = ConversationTable<HTTPConversation>(limits: .init(maxFlows: 1 << 16))
    /// TCP conversations the heuristic claimed (tshark's `conversation_set_dissector`).
    let claimed = ConversationTable<Bool>(limits: .init(maxFlows: 1 << 16))

    /// TCP's port table, for the protocol inside a CONNECT tunnel.
    let tcpPortTable: DissectorTable
    /// Heuristic dissectors for bodies (tshark's "http" list: images by signature…).
    let heuristics: DissectorTable
    let mediaRef: NamedDissector
    lazy var media: MediaDissector? = mediaRef.handle?.dissector as? MediaDissector
    /// TLS, looked up by name when first needed ("https" full URIs for decrypted data).
    var tlsProto: FieldID?

    /// Where the previous call ended, so a second message of the same segment (TCP calls again
    /// for the rest) does not add "http" to the frame's protocols a second time: tshark loops
    /// inside one call there.
    var lastCall = HTTPCallMark()
    /// The previous body's media type as a table key.
    var mediaTypeCache = HTTPMediaTypeCache()

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Hypertext Transfer Protocol", shortName: "HTTP", abbrev: "http")
        hf.proto = p
        hf.ssdp = r.registerProtocol(name: "Simple Service Discovery Protocol", shortName: "SSDP", abbrev: "ssdp")
        func string(_ name: String, _ abbrev: String, _ blurb: String = "") -> FieldID {
            r.field(name, abbrev, .string, blurb: blurb, in: p)
        }
        func frame(_ name: String, _ abbrev: String, _ blurb: String) -> FieldID {
            r.field(name, abbrev, .framenum, blurb: blurb, in: p)
        }
        hf.notification = r.field("Notification", "http.notification", .boolean, blurb: "TRUE if HTTP notification", in: p)
        hf.response = r.field("Response", "http.response", .boolean, blurb: "TRUE if HTTP response", in: p)
        hf.request = r.field("Request", "http.request", .boolean, blurb: "TRUE if HTTP request", in: p)
        hf.responseNumber = r.field("Response number", "http.response_number", .uint32, .dec, in: p)
        hf.requestNumber = r.field("Request number", "http.request_number", .uint32, .dec, in: p)
        hf.authBasic = string("Credentials", "http.authbasic")
        hf.authCitrix = r.field("Citrix AG Auth", "http.authcitrix", .boolean, blurb: "TRUE if CitrixAGBasic Auth", in: p)
        hf.authCitrixUser = string("Citrix AG Username", "http.authcitrix.user")
        hf.authCitrixDomain = string("Citrix AG Domain", "http.authcitrix.domain")
        hf.authCitrixPassword = string("Citrix AG Password", "http.authcitrix.password")
        hf.authCitrixSession = string("Citrix AG Session ID", "http.authcitrix.session")
        hf.responseLine = string("Response line", "http.response.line")
        hf.requestLine = string("Request line", "http.request.line")
        hf.requestMethod = string("Request Method", "http.request.method", "HTTP Request Method")
        hf.requestURI = string("Request URI", "http.request.uri", "HTTP Request-URI")
        hf.requestPath = string("Request URI Path", "http.request.uri.path", "HTTP Request-URI Path")
        hf.requestQuery = string("Request URI Query", "http.request.uri.query", "HTTP Request-URI Query")
        hf.requestQueryParameter = string("Request URI Query Parameter", "http.request.uri.query.parameter",
                                          "HTTP Request-URI Query Parameter")
        hf.requestVersion = string("Request Version", "http.request.version", "HTTP Request HTTP-Version")
        hf.responseVersion = string("Response Version", "http.response.version", "HTTP Response HTTP-Version")
        hf.fullURI = string("Full request URI", "http.request.full_uri", "The full requested URI (including host name)")
        hf.responseCode = r.field("Status Code", "http.response.code", .uint16, .dec,
                                  blurb: "HTTP Response Status Code", in: p)
        hf.responseCodeDesc = string("Status Code Description", "http.response.code.desc",
                                     "HTTP Response Status Code Description")
        hf.responseForURI = string("Request URI", "http.response_for.uri", "HTTP Response For-URI")
        hf.responsePhrase = string("Response Phrase", "http.response.phrase", "HTTP Response Reason Phrase")
        hf.authorization = string("Authorization", "http.authorization", "HTTP Authorization header")
        hf.proxyAuthenticate = string("Proxy-Authenticate", "http.proxy_authenticate", "HTTP Proxy-Authenticate header")
        hf.proxyAuthorization = string("Proxy-Authorization", "http.proxy_authorization",
                                       "HTTP Proxy-Authorization header")
        hf.proxyConnectHost = string("Proxy-Connect-Hostname", "http.proxy_connect_host", "HTTP Proxy Connect Hostname")
        hf.proxyConnectPort = r.field("Proxy-Connect-Port", "http.proxy_connect_port", .uint16, .dec,
                                      blurb: "HTTP Proxy Connect Port", in: p)
        hf.wwwAuthenticate = string("WWW-Authenticate", "http.www_authenticate", "HTTP WWW-Authenticate header")
        hf.contentType = string("Content-Type", "http.content_type", "HTTP Content-Type header")
        hf.contentLengthHeader = string("Content-Length", "http.content_length_header", "HTTP Content-Length header")
        hf.contentLength = r.field("Content length", "http.content_length", .uint64, .dec, in: p)
        hf.contentEncoding = string("Content-Encoding", "http.content_encoding", "HTTP Content-Encoding header")
        hf.transferEncoding = string("Transfer-Encoding", "http.transfer_encoding", "HTTP Transfer-Encoding header")
        hf.upgrade = string("Upgrade", "http.upgrade", "HTTP Upgrade header")
        hf.userAgent = string("User-Agent", "http.user_agent", "HTTP User-Agent header")
        hf.host = string("Host", "http.host", "HTTP Host")
        hf.connection = string("Connection", "http.connection", "HTTP Connection")
        hf.cookie = string("Cookie", "http.cookie", "HTTP Cookie")
        hf.cookiePair = string("Cookie pair", "http.cookie_pair", "A name/value HTTP cookie pair")
        hf.accept = string("Accept", "http.accept", "HTTP Accept")
        hf.referer = string("Referer", "http.referer", "HTTP Referer")
        hf.acceptLanguage = string("Accept-Language", "http.accept_language", "HTTP Accept Language")
        hf.acceptEncoding = string("Accept Encoding", "http.accept_encoding", "HTTP Accept Encoding")
        hf.date = string("Date", "http.date", "HTTP Date")
        hf.cacheControl = string("Cache-Control", "http.cache_control", "HTTP Cache Control")
        hf.server = string("Server", "http.server", "HTTP Server")
        hf.location = string("Location", "http.location", "HTTP Location")
        hf.secWebSocketAccept = string("Sec-WebSocket-Accept", "http.sec_websocket_accept")
        hf.secWebSocketExtensions = string("Sec-WebSocket-Extensions", "http.sec_websocket_extensions")
        hf.secWebSocketKey = string("Sec-WebSocket-Key", "http.sec_websocket_key")
        hf.secWebSocketProtocol = string("Sec-WebSocket-Protocol", "http.sec_websocket_protocol")
        hf.secWebSocketVersion = string("Sec-WebSocket-Version", "http.sec_websocket_version")
        hf.setCookie = string("Set-Cookie", "http.set_cookie", "HTTP Set Cookie")
        hf.lastModified = string("Last-Modified", "http.last_modified", "HTTP Last Modified")
        hf.xForwardedFor = string("X-Forwarded-For", "http.x_forwarded_for", "HTTP X-Forwarded-For")
        hf.http2Settings = string("HTTP2-Settings", "http.http2_settings")
        hf.requestIn = frame("Request in frame", "http.request_in",
                             "This packet is a response to the packet with this number")
        hf.responseIn = frame("Response in frame", "http.response_in",
                              "This packet will be responded in the packet with this number")
        hf.nextRequestIn = frame("Next request in frame", "http.next_request_in",
                                 "The next HTTP request starts in packet number")
        hf.nextResponseIn = frame("Next response in frame", "http.next_response_in",
                                  "The next HTTP response starts in packet number")
        hf.prevRequestIn = frame("Prev request in frame", "http.prev_request_in",
                                 "The previous HTTP request starts in packet number")
        hf.prevResponseIn = frame("Prev response in frame", "http.prev_response_in",
                                  "The previous HTTP response starts in packet number")
        hf.time = r.field("Time since request", "http.time", .relativeTime, blurb: "Time since the request was sent",
                          in: p)
        hf.chunkedTrailerPart = string("trailer-part", "http.chunked_trailer_part", "Optional trailer in a chunked body")
        hf.chunkBoundary = r.field("Chunk boundary", "http.chunk_boundary", .bytes, in: p)
        hf.chunkSize = r.field("Chunk size", "http.chunk_size", .uint32, .dec, strings: .units("octet", "octets"),
                               in: p)
        hf.chunkData = r.field("Chunk data", "http.chunk_data", .bytes, in: p)
        hf.fileData = string("File Data", "http.file_data")
        hf.unknownHeader = string("Unknown header", "http.unknown_header")
        hf.http2SettingsURI = r.field("HTTP2 Settings URI", "http.http2_settings_uri", .bytes, in: p)
        hf.pathSegment = string("Path segment", "http.path_segment")
        hf.pathSubSegment = string("Path sub segment", "http.path_sub_segment")

        hf.eiChat = r.expert("http.chat", "Formatted text", .chat, .sequence, in: p)
        hf.eiChunkedAndLength = r.expert("http.te_and_length",
                                         "The Content-Length and Transfer-Encoding header must not be set together",
                                         .warning, .malformed, in: p)
        hf.eiTransferCodingUnknown = r.expert("http.te_unknown",
                                              "Unknown transfer coding name in Transfer-Encoding header",
                                              .warning, .undecoded, in: p)
        hf.eiSubdissectorFailed = r.expert("http.subdissector_failed",
                                           "HTTP body subdissector failed, trying heuristic subdissector",
                                           .note, .malformed, in: p)
        hf.eiTLSPort = r.expert("http.tls_port",
                                "Unencrypted HTTP protocol detected over encrypted port, could indicate a dangerous misconfiguration.",
                                .warning, .security, in: p)
        hf.eiLeadingCRLF = r.expert("http.leading_crlf", "Leading CRLF previous message in the stream may have extra CRLF",
                                    .error, .malformed, in: p)
        hf.eiBadHeaderName = r.expert("http.bad_header_name", "Illegal characters found in header name",
                                      .warning, .protocol, in: p)
        hf.eiDecompressionFailed = r.expert("http.decompression_failed", "Decompression failed", .warning, .undecoded,
                                            in: p)
        hf.eiDecompressionDisabled = r.expert("http.decompression_disabled", "Decompression disabled", .chat,
                                              .undecoded, in: p)

        desegmentHeaders = r.preference(
            "http", "desegment_headers",
            title: "Reassemble HTTP headers spanning multiple TCP segments", .bool, default: "TRUE")
        desegmentBody = r.preference(
            "http", "desegment_body",
            title: "Reassemble HTTP bodies spanning multiple TCP segments", .bool, default: "TRUE")
        dechunkBody = r.preference(
            "http", "dechunk_body",
            title: "Reassemble chunked transfer-coded bodies", .bool, default: "TRUE")
        decompressBody = r.preference(
            "http", "decompress_body",
            title: "Uncompress entity bodies", .bool, default: "TRUE")
        tcpDesegment = NamedPreference(engine: r.engine, name: "tcp.desegment_tcp_streams")
        mediaRef = r.dissector(named: "media")
        tcpPortTable = r.table("tcp.port", uiName: "TCP port")
        heuristics = r.table("http", uiName: "HTTP")
    }

    func reset() {
        sessions.removeAll()
        claimed.removeAll()
        lastCall = HTTPCallMark()
    }
}

/// A preference of another protocol, looked up when first read (registration order never matters).
final class NamedPreference {
    unowned let engine: Engine
    let name: String
    private var resolved: Preference?

    init(engine: Engine, name: String) {
        self.engine = engine
        self.name = name
    }

    /// The preference's value, or `defaultValue` when no plugin registered it.
    func boolValue(default defaultValue: Bool) -> Bool {
        if resolved == nil { resolved = engine.preferences[name] }
        return resolved?.boolValue ?? defaultValue
    }
}

/// Where one call of the HTTP dissector ended (frame, data source, end offset in it).
struct HTTPCallMark {
    var frame: UInt32 = 0
    var source: Int = -1
    var end: Int = -1
    /// That call (or an earlier one of the segment) added "http" to the frame's protocols.
    var layered = false
}

