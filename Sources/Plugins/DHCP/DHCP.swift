import DissectKit

/// DHCP (RFC 2131/2132) and plain BOOTP (RFC 951) on UDP ports 67 and 68: the fixed header,
/// the magic cookie and the common options; other options are shown generically.
public enum DHCPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = DHCPDissector(r)
        let h = r.handle(d.hf.proto, d)
        let ports = r.table("udp.port", uiName: "UDP port")
        ports.add(67, h)
        ports.add(68, h)
        r.registerDissector("dhcp", h)
    }
}

final class DHCPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var type = FieldID.textOnly
        var hwType = FieldID.textOnly
        var hwLen = FieldID.textOnly
        var hops = FieldID.textOnly
        var id = FieldID.textOnly
        var secs = FieldID.textOnly
        var flags = FieldID.textOnly
        var flagsBC = FieldID.textOnly
        var flagsReserved = FieldID.textOnly
        var ipClient = FieldID.textOnly
        var ipYour = FieldID.textOnly
        var ipServer = FieldID.textOnly
        var ipRelay = FieldID.textOnly
        var hwAddr = FieldID.textOnly
        var hwMac = FieldID.textOnly
        var hwPadding = FieldID.textOnly
        var server = FieldID.textOnly
        var file = FieldID.textOnly
        var cookie = FieldID.textOnly
        var optionType = FieldID.textOnly
        var optionLength = FieldID.textOnly
        var optionValue = FieldID.textOnly
        var optionPadding = FieldID.textOnly
        var optionEnd = FieldID.textOnly
        var messageType = FieldID.textOnly
        var subnetMask = FieldID.textOnly
        var router = FieldID.textOnly
        var dns = FieldID.textOnly
        var hostname = FieldID.textOnly
        var domainName = FieldID.textOnly
        var broadcast = FieldID.textOnly
        var requestedIP = FieldID.textOnly
        var leaseTime = FieldID.textOnly
        var serverID = FieldID.textOnly
        var requestItem = FieldID.textOnly
        var maxMessageSize = FieldID.textOnly
        var renewalTime = FieldID.textOnly
        var rebindingTime = FieldID.textOnly
        var vendorClass = FieldID.textOnly
        var clientIDType = FieldID.textOnly
        var clientIDUndef = FieldID.textOnly
        var eiBadLength = FieldID.textOnly
    }
    var hf = Fields()
    /// Options that are lists of IPv4 addresses (beyond those with a named field above), by code.
    var addressLists: [UInt8: FieldID] = [:]
    static let addressListAbbrevs: [UInt8: String] = [
        4: "time_server", 5: "name_server", 7: "log_server", 8: "quotes_server", 9: "lpr_server",
        10: "impress_server", 11: "resource_location_server", 41: "nis_server", 42: "ntp_server",
        44: "netbios_over_tcpip_name_server", 45: "netbios_over_tcpip_dd_name_server",
        48: "xwindows_system_font_server", 49: "xwindows_system_display_manager", 65: "nis_plus_server",
        68: "mobile_ip_home_agent", 69: "smtp_server", 70: "pop3_server", 71: "nntp_server",
        72: "default_www_server", 73: "default_finger_server", 74: "default_irc_server", 75: "streettalk_server",
        76: "streettalk_da_server",
    ]
    /// Options holding a single IPv4 address beyond those with a named field above.
    var singleAddresses: [UInt8: FieldID] = [:]

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Dynamic Host Configuration Protocol", shortName: "DHCP/BOOTP", abbrev: "dhcp")
        hf.proto = p
        DHCPFieldCatalog.registerAll(r, p, strings: [
            "dhcp.type": .values(DHCPNames.bootpOps), "dhcp.hw.type": .values(ARPNames.hardwareTypes),
            "dhcp.flags.bc": .trueFalse("Broadcast", "Unicast"), "dhcp.option.dhcp": .values(DHCPNames.messageTypes),
        ])
        hf.type = r.field("Message type", "dhcp.type", .uint8, .dec, strings: .values(DHCPNames.bootpOps), in: p)
        hf.hwType = r.field("Hardware type", "dhcp.hw.type", .uint8, .hex, strings: .values(ARPNames.hardwareTypes),
                            in: p)
        hf.hwLen = r.field("Hardware address length", "dhcp.hw.len", .uint8, .dec, in: p)
        hf.hops = r.field("Hops", "dhcp.hops", .uint8, .dec, in: p)
        hf.id = r.field("Transaction ID", "dhcp.id", .uint32, .hex, in: p)
        hf.secs = r.field("Seconds elapsed", "dhcp.secs", .uint16, .dec, in: p)
        hf.flags = r.field("Bootp flags", "dhcp.flags", .uint16, .hex, in: p)
        hf.flagsBC = r.field("Broadcast flag", "dhcp.flags.bc", .boolean, strings: .trueFalse("Broadcast", "Unicast"),
                             bitmask: 0x8000, bitWidth: 16, in: p)
        hf.flagsReserved = r.field("Reserved flags", "dhcp.flags.reserved", .uint16, .hex, bitmask: 0x7fff, in: p)
        hf.ipClient = r.field("Client IP address", "dhcp.ip.client", .ipv4, in: p)
        hf.ipYour = r.field("Your (client) IP address", "dhcp.ip.your", .ipv4, in: p)
        hf.ipServer = r.field("Next server IP address", "dhcp.ip.server", .ipv4, in: p)
        hf.ipRelay = r.field("Relay agent IP address", "dhcp.ip.relay", .ipv4, in: p)
        hf.hwAddr = r.field("Client hardware address", "dhcp.hw.addr", .bytes, in: p)
        hf.hwPadding = r.field("Client hardware address padding", "dhcp.hw.addr_padding", .bytes, in: p)
        hf.hwMac = r.field("Client MAC address", "dhcp.hw.mac_addr", .ether, in: p)
        hf.server = r.field("Server host name", "dhcp.server", .string, in: p)
        hf.file = r.field("Boot file name", "dhcp.file", .string, in: p)
        hf.cookie = r.field("Magic cookie", "dhcp.cookie", .ipv4, in: p)
        hf.optionType = r.field("Option", "dhcp.option.type", .uint8, .dec, in: p)
        hf.optionLength = r.field("Length", "dhcp.option.length", .uint8, .dec, in: p)
        hf.optionValue = r.field("Value", "dhcp.option.value", .bytes, in: p)
        hf.optionPadding = r.field("Padding", "dhcp.option.padding", .bytes, in: p)
        hf.optionEnd = r.field("Option End", "dhcp.option.end", .uint8, .dec, in: p)
        hf.messageType = r.field("DHCP", "dhcp.option.dhcp", .uint8, .dec, strings: .values(DHCPNames.messageTypes),
                                 in: p)
        hf.subnetMask = r.field("Subnet Mask", "dhcp.option.subnet_mask", .ipv4, in: p)
        hf.router = r.field("Router", "dhcp.option.router", .ipv4, in: p)
        hf.dns = r.field("Domain Name Server", "dhcp.option.domain_name_server", .ipv4, in: p)
        hf.hostname = r.field("Host Name", "dhcp.option.hostname", .stringz, in: p)
        hf.domainName = r.field("Domain Name", "dhcp.option.domain_name", .stringz, in: p)
        hf.broadcast = r.field("Broadcast Address", "dhcp.option.broadcast_address", .ipv4, in: p)
        hf.requestedIP = r.field("Requested IP Address", "dhcp.option.requested_ip_address", .ipv4, in: p)
        hf.leaseTime = r.field("IP Address Lease Time", "dhcp.option.ip_address_lease_time", .uint32, .dec, in: p)
        hf.serverID = r.field("DHCP Server Identifier", "dhcp.option.dhcp_server_id", .ipv4, in: p)
        hf.requestItem = r.field("Parameter Request List Item", "dhcp.option.request_list_item", .uint8, .dec, in: p)
        hf.maxMessageSize = r.field("Maximum DHCP Message Size", "dhcp.option.dhcp_max_message_size", .uint16, .dec,
                                    in: p)
        hf.renewalTime = r.field("Renewal Time Value", "dhcp.option.renewal_time_value", .uint32, .dec, in: p)
        hf.rebindingTime = r.field("Rebinding Time Value", "dhcp.option.rebinding_time_value", .uint32, .dec, in: p)
        hf.vendorClass = r.field("Vendor class identifier", "dhcp.option.vendor_class_id", .stringz, in: p)
        hf.clientIDType = r.field("Type", "dhcp.client_id.type", .uint8, .dec, in: p)
        hf.clientIDUndef = r.field("Client Identifier", "dhcp.client_id.undef", .string, in: p)
        hf.eiBadLength = r.expert("dhcp.bad_length", "length isn't 0", .error, .protocol, in: p)
        for (code, name) in Self.addressListAbbrevs {
            if let id = r.engine.registry.lookup("dhcp.option." + name) { addressLists[code] = id }
        }
        for (code, name) in [16: "swap_server", 32: "router_solicitation_address"] as [UInt8: String] {
            if let id = r.engine.registry.lookup("dhcp.option." + name) { singleAddresses[code] = id }
        }
    }
}
