/// Message type and code names tshark 4.0.17 shows for ICMP (RFC 792 and later).
enum ICMPNames {
    static let unknownType = "Unknown ICMP (obsolete or malformed?)"

    static let types: [UInt8: String] = [
        0: "Echo (ping) reply", 1: "Reserved", 2: "Reserved", 3: "Destination unreachable",
        4: "Source quench (flow control)", 5: "Redirect", 6: "Alternate host address", 8: "Echo (ping) request",
        9: "Router advertisement", 10: "Router solicitation", 11: "Time-to-live exceeded", 12: "Parameter problem",
        13: "Timestamp request", 14: "Timestamp reply", 15: "Information request", 16: "Information reply",
        17: "Address mask request", 18: "Address mask reply", 19: "Reserved (for security)", 30: "Traceroute",
        31: "Datagram Conversion Error", 32: "Mobile Host Redirect", 33: "IPv6 Where-Are-You",
        34: "IPv6 I-Am-Here", 35: "Mobile Registration Request", 36: "Mobile Registration Reply",
        37: "Domain Name Request", 38: "Domain Name Reply", 39: "SKIP", 40: "Photuris",
        41: "Experimental mobility protocols", 42: "Extended Echo request", 43: "Extended Echo reply",
    ]

    static let unreachable: [UInt8: String] = [
        0: "Network unreachable", 1: "Host unreachable", 2: "Protocol unreachable", 3: "Port unreachable",
        4: "Fragmentation needed", 5: "Source route failed", 6: "Destination network unknown",
        7: "Destination host unknown", 8: "Source host isolated", 9: "Network administratively prohibited",
        10: "Host administratively prohibited", 11: "Network unreachable for TOS", 12: "Host unreachable for TOS",
        13: "Communication administratively filtered", 14: "Host precedence violation",
        15: "Precedence cutoff in effect",
    ]
    static let redirect: [UInt8: String] = [
        0: "Redirect for network", 1: "Redirect for host", 2: "Redirect for TOS and network",
        3: "Redirect for TOS and host",
    ]
    static let timeExceeded: [UInt8: String] = [
        0: "Time to live exceeded in transit", 1: "Fragment reassembly time exceeded",
    ]
    static let parameterProblem: [UInt8: String] = [
        0: "Pointer indicates the error", 1: "Required option missing", 2: "Bad length",
    ]

    /// The code's name (a stored string: no allocation for known codes), or nil for types whose
    /// codes have no names.
    static func codeName(type: UInt8, code: UInt8) -> String? {
        let table: [UInt8: String]
        switch type {
        case 3: table = unreachable
        case 5: table = redirect
        case 11: table = timeExceeded
        case 12: table = parameterProblem
        default: return nil
        }
        return table[code] ?? "Unknown code: \(code)"
    }

    /// "1 second", "1 hour, 2 minutes, 3.004 seconds": tshark's `time_msecs_to_str`.
    static func millisecondsText(_ ms: UInt32) -> String {
        var parts: [String] = []
        let msec = ms % 1000
        var secs = ms / 1000
        let days = secs / 86400; secs %= 86400
        let hours = secs / 3600; secs %= 3600
        let mins = secs / 60; secs %= 60
        func unit(_ n: UInt32, _ s: String) -> String { "\(n) \(s)\(n == 1 ? "" : "s")" }
        if days > 0 { parts.append(unit(days, "day")) }
        if hours > 0 { parts.append(unit(hours, "hour")) }
        if mins > 0 { parts.append(unit(mins, "minute")) }
        if msec != 0 {
            let frac = String(msec)
            parts.append("\(secs).\(String(repeating: "0", count: 3 - frac.count))\(frac) seconds")
        } else if secs > 0 || parts.isEmpty {
            parts.append(unit(secs, "second"))
        }
        return parts.joined(separator: ", ")
    }
}
