/// Names tshark 4.0.17 shows for DHCP options and message types.
enum DHCPNames {
    static let messageTypes: [UInt64: String] = [
        1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK", 6: "NAK", 7: "Release", 8: "Inform",
        9: "Force Renew", 10: "Lease query", 11: "Lease Unassigned", 12: "Lease Unknown", 13: "Lease Active",
        14: "Bulk Lease Query", 15: "Lease Query Done", 16: "Active LeaseQuery", 17: "Lease Query Status",
        18: "TLS",
    ]

    static let bootpOps: [UInt64: String] = [1: "Boot Request", 2: "Boot Reply"]

    static let options: [UInt8: String] = [
        0: "Padding", 1: "Subnet Mask", 2: "Time Offset", 3: "Router", 4: "Time Server", 5: "Name Server",
        6: "Domain Name Server", 7: "Log Server", 8: "Quotes Server", 9: "LPR Server", 10: "Impress Server",
        11: "Resource Location Server", 12: "Host Name", 13: "Boot File Size", 14: "Merit Dump File",
        15: "Domain Name", 16: "Swap Server", 17: "Root Path", 18: "Extensions Path", 19: "IP Forwarding",
        20: "Non-Local Source Routing", 21: "Policy Filter", 22: "Maximum Datagram Reassembly Size",
        23: "Default IP Time-to-Live", 24: "Path MTU Aging Timeout", 25: "Path MTU Plateau Table",
        26: "Interface MTU", 27: "All Subnets are Local", 28: "Broadcast Address", 29: "Perform Mask Discovery",
        30: "Mask Supplier", 31: "Perform Router Discover", 32: "Router Solicitation Address", 33: "Static Route",
        34: "Trailer Encapsulation", 35: "ARP Cache Timeout", 36: "Ethernet Encapsulation", 37: "TCP Default TTL",
        38: "TCP Keepalive Interval", 39: "TCP Keepalive Garbage", 40: "Network Information Service Domain",
        41: "Network Information Service Servers", 42: "Network Time Protocol Servers",
        43: "Vendor-Specific Information", 44: "NetBIOS over TCP/IP Name Server",
        45: "NetBIOS over TCP/IP Datagram Distribution Name Server", 46: "NetBIOS over TCP/IP Node Type",
        47: "NetBIOS over TCP/IP Scope", 48: "X Window System Font Server", 49: "X Window System Display Manager",
        50: "Requested IP Address", 51: "IP Address Lease Time", 52: "Option Overload", 53: "DHCP Message Type",
        54: "DHCP Server Identifier", 55: "Parameter Request List", 56: "Message", 57: "Maximum DHCP Message Size",
        58: "Renewal Time Value", 59: "Rebinding Time Value", 60: "Vendor class identifier",
        61: "Client identifier", 62: "Novell/Netware IP domain", 63: "Novell Options",
        64: "Network Information Service+ Domain", 65: "Network Information Service+ Servers",
        66: "TFTP Server Name", 67: "Bootfile name", 68: "Mobile IP Home Agent", 69: "SMTP Server",
        70: "POP3 Server", 71: "NNTP Server", 72: "Default WWW Server", 73: "Default Finger Server",
        74: "Default IRC Server", 75: "StreetTalk Server", 76: "StreetTalk Directory Assistance Server",
        77: "User Class Information", 78: "Directory Agent Information", 79: "Service Location Agent Scope",
        80: "Rapid commit", 81: "Client Fully Qualified Domain Name", 82: "Agent Information Option",
        83: "iSNS", 84: "Removed/Unassigned", 85: "Novell Directory Services Servers",
        86: "Novell Directory Services Tree Name", 87: "Novell Directory Services Context",
        88: "BCMCS Controller Domain Name", 89: "BCMCS Controller IPv4 address", 90: "Authentication",
        91: "Client last transaction time", 92: "Associated IP", 93: "Client System Architecture",
        94: "Client Network Device Interface", 95: "LDAP", 96: "Removed/Unassigned",
        97: "UUID/GUID-based Client Identifier", 98: "Open Group's User Authentication",
        99: "Civic Addresses Configuration", 100: "PCode", 101: "TCode", 108: "IPv6-Only Preferred",
        112: "NetInfo Parent Server Address", 113: "NetInfo Parent Server Tag", 114: "DHCP Captive-Portal",
        116: "DHCP Auto-Configuration", 117: "Name Service Search", 118: "Subnet Selection Option",
        119: "Domain Search", 120: "SIP Servers", 121: "Classless Static Route",
        122: "CableLabs Client Configuration", 123: "Coordinate-based Location Configuration",
        124: "V-I Vendor Class", 125: "V-I Vendor-specific Information", 249: "Private/Classless Static Route (Microsoft)",
        252: "Private/Proxy autodiscovery", 255: "End",
    ]

    static func optionName(_ code: UInt8) -> String { options[code] ?? "Unassigned" }

    /// "1 day, 1 hour, 1 minute, 1 second": tshark's `signed_time_secs_to_str`.
    static func durationText(_ seconds: UInt32) -> String {
        if seconds == 0 { return "0 seconds" }
        var s = seconds
        let days = s / 86400; s %= 86400
        let hours = s / 3600; s %= 3600
        let mins = s / 60; s %= 60
        var parts: [String] = []
        func unit(_ n: UInt32, _ w: String) -> String { "\(n) \(w)\(n == 1 ? "" : "s")" }
        if days > 0 { parts.append(unit(days, "day")) }
        if hours > 0 { parts.append(unit(hours, "hour")) }
        if mins > 0 { parts.append(unit(mins, "minute")) }
        if s > 0 { parts.append(unit(s, "second")) }
        return parts.joined(separator: ", ")
    }
}
