import DissectKit

/// One request/response exchange of a conversation (tshark's `http_req_res_t`). A request
/// always starts a new exchange; a response joins the newest one unless that one already has
/// a response.
struct HTTPExchange {
    /// 1-based number in the conversation ("HTTP request 3/5").
    var number: UInt32 = 0
    var requestFrame: UInt32 = 0
    var responseFrame: UInt32 = 0
    var requestTime: Timestamp = .zero
    var responseCode: UInt16 = 0
    var method = HTTPMethodKind.other
}

/// How the request method affects the response body (RFC 9110 §6.4.1, §9.3.2, §9.3.6).
enum HTTPMethodKind: UInt8 {
    case other
    /// A response to HEAD never has a body.
    case head
    /// A 2xx response to CONNECT is followed by the tunnel, not a body.
    case connect
}

/// Per-conversation HTTP state. Small and copied in and out of the conversation table; the
/// URI strings exist only when a run wants the fields that show them.
struct HTTPConversation {
    /// Exchanges so far (tshark's `req_res_num`).
    var count: UInt32 = 0
    /// The newest exchange and the one before it (the "Prev request/response in frame" lines).
    var tail = HTTPExchange()
    var previous = HTTPExchange()
    /// The method of the newest request.
    var lastMethod = HTTPMethodKind.other
    /// The newest request's full URI (or its Request-URI when there was no Host): shown as
    /// "[Request URI: …]" in responses.
    var lastURI: String?
    /// The Request-URI of the newest CONNECT ("host:port"): after a 200 reply the conversation
    /// carries that tunnel (RFC 9110 §9.3.6).
    var connectTarget: String?
    /// The endpoint tshark takes for the server once the tunnel starts (the destination of the
    /// first tunnelled segment, whichever side sent it).
    var tunnelServer: (address: Address, port: UInt32)?

    var hasExchange: Bool { count > 0 }

    /// tshark's `push_req`.
    mutating func pushRequest(frame: UInt32, time: Timestamp) {
        previous = count > 0 ? tail : HTTPExchange()
        count &+= 1
        tail = HTTPExchange(number: count, requestFrame: frame, responseFrame: 0, requestTime: time, responseCode: 0)
    }

    /// The newest exchange is a CONNECT answered with 200: what follows is the tunnel.
    var inTunnel: Bool { count > 0 && tail.method == .connect && tail.responseCode == 200 && connectTarget != nil }

    /// tshark 4.0's `push_res`: a new exchange when there is none, or when the newest one already
    /// has a response (an interim 1xx one too: tshark then takes the request as not captured).
    mutating func pushResponse(frame: UInt32) {
        if count == 0 || tail.responseFrame > 0 {
            previous = count > 0 ? tail : HTTPExchange()
            count &+= 1
            tail = HTTPExchange(number: count)
        }
        tail.responseFrame = frame
    }
}
