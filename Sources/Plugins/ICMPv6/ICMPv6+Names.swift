/// Message codes tshark 4.0.17 names per ICMPv6 type (RFC 4443, RFC 2894, RFC 4620, RFC 6550,
/// RFC 8335), for the Code line and the Info column.
enum ICMPv6Names {
    enum MessageType {
        static let unreachable: UInt8 = 1
        static let packetTooBig: UInt8 = 2
        static let timeExceeded: UInt8 = 3
        static let parameterProblem: UInt8 = 4
        static let echoRequest: UInt8 = 128
        static let echoReply: UInt8 = 129
        static let mldQuery: UInt8 = 130
        static let mldReport: UInt8 = 131
        static let mldDone: UInt8 = 132
        static let routerSolicitation: UInt8 = 133
        static let routerAdvertisement: UInt8 = 134
        static let neighborSolicitation: UInt8 = 135
        static let neighborAdvertisement: UInt8 = 136
        static let redirect: UInt8 = 137
        static let routerRenumbering: UInt8 = 138
        static let nodeInfoQuery: UInt8 = 139
        static let nodeInfoReply: UInt8 = 140
        static let inverseSolicitation: UInt8 = 141
        static let inverseAdvertisement: UInt8 = 142
        static let mldv2Report: UInt8 = 143
        static let homeAgentRequest: UInt8 = 144
        static let homeAgentReply: UInt8 = 145
        static let mobilePrefixSolicitation: UInt8 = 146
        static let mobilePrefixAdvertisement: UInt8 = 147
        static let fmipv6: UInt8 = 154
        static let rpl: UInt8 = 155
        static let multicastRouterAdvertisement: UInt8 = 151
        static let multicastRouterSolicitation: UInt8 = 152
        static let multicastRouterTermination: UInt8 = 153
        static let extendedEchoRequest: UInt8 = 160
        static let extendedEchoReply: UInt8 = 161
    }

    static let unreachable: [UInt8: String] = [
        0: "no route to destination", 1: "Administratively prohibited", 2: "Beyond scope of source address",
        3: "Address unreachable", 4: "Port unreachable", 5: "Source address failed ingress/egress policy",
        6: "Reject route to destination", 7: "Error in Source Routing Header",
    ]
    static let timeExceeded: [UInt8: String] = [
        0: "hop limit exceeded in transit", 1: "fragment reassembly time exceeded",
    ]
    static let parameterProblem: [UInt8: String] = [
        0: "erroneous header field encountered", 1: "unrecognized Next Header type encountered",
        2: "unrecognized IPv6 option encountered", 3: "IPv6 First Fragment has incomplete IPv6 Header Chain",
    ]
    static let routerRenumbering: [UInt8: String] = [0: "Command", 1: "Result", 255: "Sequence number reset"]
    static let nodeInfoQuery: [UInt8: String] = [
        0: "Query subject = IPv6 addresses", 1: "Query subject = DNS name or empty",
        2: "Query subject = IPv4 addresses",
    ]
    static let nodeInfoReply: [UInt8: String] = [0: "Successful", 1: "Refused", 2: "Unknown query type"]
    static let rpl: [UInt8: String] = [
        0: "DODAG Information Solicitation", 1: "DODAG Information Object", 2: "Destination Advertisement Object",
        3: "Destination Advertisement Object Acknowledgment", 5: "P2P Discovery Reply Object Acknowledgement",
        0x80: "Secure DODAG Information Solicitation", 0x81: "Secure DODAG Information Object",
        0x82: "Secure Destination Advertisement Object",
        0x83: "Secure Destination Advertisement Object Acknowledgment", 0x8a: "Consistency Check",
    ]
    static let extendedEchoRequest: [UInt8: String] = [0: "No error"]
    static let extendedEchoReply: [UInt8: String] = [
        0: "No error", 1: "Malformed Query", 2: "No Such Interface", 3: "No Such Table Entry",
        4: "Multiple Interfaces Satisfy Query",
    ]

    /// The code's name for types whose codes have names (a stored string for known codes), or
    /// nil. tshark writes unknown destination-unreachable codes as "Unknown", others with the number.
    static func codeName(type: UInt8, code: UInt8) -> String? {
        let table: [UInt8: String]
        switch type {
        case MessageType.unreachable: return unreachable[code] ?? "Unknown"
        case MessageType.timeExceeded: table = timeExceeded
        case MessageType.parameterProblem: table = parameterProblem
        case MessageType.routerRenumbering: table = routerRenumbering
        case MessageType.nodeInfoQuery: table = nodeInfoQuery
        case MessageType.nodeInfoReply: table = nodeInfoReply
        case MessageType.rpl: table = rpl
        case MessageType.extendedEchoRequest: table = extendedEchoRequest
        case MessageType.extendedEchoReply: table = extendedEchoReply
        default: return nil
        }
        return table[code] ?? "Unknown (\(code))"
    }

    /// Types whose message quotes the invoking packet (RFC 4443 §3).
    static func isError(_ type: UInt8) -> Bool { type >= 1 && type <= 4 }
}
