import DissectKit

/// What kind of message a start line begins (tshark's `http_type_t`).
enum HTTPMessageType: UInt8 {
    case request, response, notification, others
}

/// The headers tshark 4.0 gives a field of their own, and the ones it treats specially.
enum HTTPHeader: UInt8 {
    case authorization, proxyAuthorization, proxyAuthenticate, wwwAuthenticate
    case contentType, contentLength, contentEncoding, transferEncoding, upgrade, userAgent, host
    case connection, cookie, accept, referer, acceptLanguage, acceptEncoding, date, cacheControl
    case server, location, secWebSocketAccept, secWebSocketExtensions, secWebSocketKey
    case secWebSocketProtocol, secWebSocketVersion, setCookie, lastModified, xForwardedFor, http2Settings
}

extension HTTPDissector {
    /// tshark 4.0's header table (`headers[]` in packet-http.c), lower-case for matching.
    static let headerNames: [(name: StaticString, header: HTTPHeader)] = [
        ("authorization", .authorization), ("proxy-authorization", .proxyAuthorization),
        ("proxy-authenticate", .proxyAuthenticate), ("www-authenticate", .wwwAuthenticate),
        ("content-type", .contentType), ("content-length", .contentLength),
        ("content-encoding", .contentEncoding), ("transfer-encoding", .transferEncoding),
        ("upgrade", .upgrade), ("user-agent", .userAgent), ("host", .host), ("connection", .connection),
        ("cookie", .cookie), ("accept", .accept), ("referer", .referer), ("accept-language", .acceptLanguage),
        ("accept-encoding", .acceptEncoding), ("date", .date), ("cache-control", .cacheControl),
        ("server", .server), ("location", .location), ("sec-websocket-accept", .secWebSocketAccept),
        ("sec-websocket-extensions", .secWebSocketExtensions), ("sec-websocket-key", .secWebSocketKey),
        ("sec-websocket-protocol", .secWebSocketProtocol), ("sec-websocket-version", .secWebSocketVersion),
        ("set-cookie", .setCookie), ("last-modified", .lastModified), ("x-forwarded-for", .xForwardedFor),
        ("http2-settings", .http2Settings),
    ]

    /// The header whose name is `[offset, offset+length)` (ASCII case-insensitive), if known.
    static func header(_ v: ByteView, _ offset: Int, _ length: Int) -> HTTPHeader? {
        for (name, header) in headerNames where name.utf8CodeUnitCount == length {
            if MailText.equalsIgnoringCase(v, at: offset, name) { return header }
        }
        return nil
    }

    func field(for header: HTTPHeader) -> FieldID {
        switch header {
        case .authorization: return hf.authorization
        case .proxyAuthorization: return hf.proxyAuthorization
        case .proxyAuthenticate: return hf.proxyAuthenticate
        case .wwwAuthenticate: return hf.wwwAuthenticate
        case .contentType: return hf.contentType
        case .contentLength: return hf.contentLengthHeader
        case .contentEncoding: return hf.contentEncoding
        case .transferEncoding: return hf.transferEncoding
        case .upgrade: return hf.upgrade
        case .userAgent: return hf.userAgent
        case .host: return hf.host
        case .connection: return hf.connection
        case .cookie: return hf.cookie
        case .accept: return hf.accept
        case .referer: return hf.referer
        case .acceptLanguage: return hf.acceptLanguage
        case .acceptEncoding: return hf.acceptEncoding
        case .date: return hf.date
        case .cacheControl: return hf.cacheControl
        case .server: return hf.server
        case .location: return hf.location
        case .secWebSocketAccept: return hf.secWebSocketAccept
        case .secWebSocketExtensions: return hf.secWebSocketExtensions
        case .secWebSocketKey: return hf.secWebSocketKey
        case .secWebSocketProtocol: return hf.secWebSocketProtocol
        case .secWebSocketVersion: return hf.secWebSocketVersion
        case .setCookie: return hf.setCookie
        case .lastModified: return hf.lastModified
        case .xForwardedFor: return hf.xForwardedFor
        case .http2Settings: return hf.http2Settings
        }
    }

    /// tshark's `is_http_request_or_reply`: the start line of a response ("HTTP/", "ICY"), a
    /// request with one of the methods tshark knows (RFC 2616/2518/3253/5789, MS-RPCH…), or a
    /// GENA notification (NOTIFY, SUBSCRIBE, UNSUBSCRIBE). An "M-" prefix (RFC 2774) is skipped.
    static func messageType(_ v: ByteView, _ offset: Int, _ length: Int) -> HTTPMessageType? {
        var start = offset
        var len = length
        if len >= 2, v.matches("M-", at: start) {
            start += 2
            len -= 2
        }
        if (len >= 5 && v.matches("HTTP/", at: start)) || (len >= 3 && v.matches("ICY", at: start)) {
            return .response
        }
        var n = 0
        while n < len, v[unchecked: start + n] != 0x20 { n += 1 }
        @inline(__always) func method(_ m: StaticString) -> Bool { m.utf8CodeUnitCount == n && v.matches(m, at: start) }
        switch n {
        case 3:
            if method("GET") || method("PUT") { return .request }
        case 4:
            if method("COPY") || method("HEAD") || method("LOCK") || method("MOVE") || method("POLL")
                || method("POST") { return .request }
        case 5:
            if method("BCOPY") || method("BMOVE") || method("MKCOL") || method("TRACE") || method("PATCH")
                || method("LABEL") || method("MERGE") { return .request }
        case 6:
            if method("DELETE") || method("SEARCH") || method("UNLOCK") || method("REPORT") || method("UPDATE") {
                return .request
            }
            if method("NOTIFY") { return .notification }
        case 7:
            if method("BDELETE") || method("CONNECT") || method("OPTIONS") || method("CHECKIN") { return .request }
        case 8:
            if method("PROPFIND") || method("CHECKOUT") || method("CCM_POST") { return .request }
        case 9:
            if method("SUBSCRIBE") { return .notification }
            if method("PROPPATCH") || method("BPROPFIND") { return .request }
        case 10:
            if method("BPROPPATCH") || method("UNCHECKOUT") || method("MKACTIVITY") { return .request }
        case 11:
            if method("MKWORKSPACE") || method("RPC_CONNECT") || method("RPC_IN_DATA") { return .request }
            if method("UNSUBSCRIBE") { return .notification }
        case 12:
            if method("RPC_OUT_DATA") { return .request }
        case 15:
            if method("VERSION-CONTROL") { return .request }
        case 16:
            if method("BASELINE-CONTROL") || method("SSTP_DUPLEX_POST") { return .request }
        default:
            break
        }
        return nil
    }

    /// Status code descriptions as tshark 4.0 names them (`vals_http_status_code`).
    static let statusCodes: [UInt16: StaticString] = [
        100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
        199: "Informational - Others",
        200: "OK", 201: "Created", 202: "Accepted", 203: "Non-authoritative Information", 204: "No Content",
        205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 208: "Already Reported", 226: "IM Used",
        299: "Success - Others",
        300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
        305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect", 399: "Redirection - Others",
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required",
        408: "Request Time-out", 409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
        413: "Request Entity Too Large", 414: "Request-URI Too Long", 415: "Unsupported Media Type",
        416: "Requested Range Not Satisfiable", 417: "Expectation Failed", 418: "I'm a teapot",
        421: "Misdirected Request", 422: "Unprocessable Entity", 423: "Locked", 424: "Failed Dependency",
        425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
        431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons", 499: "Client Error - Others",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
        504: "Gateway Time-out", 505: "HTTP Version not supported", 506: "Variant Also Negotiates",
        507: "Insufficient Storage", 508: "Loop Detected", 510: "Not Extended",
        511: "Network Authentication Required", 599: "Server Error - Others",
    ]
}
