import DissectKit

/// Value names of the LLC fields (tshark 4.0.17, `tshark -G values`).
enum LLCNames {
    /// Service access points (`sap_vals`).
    static let saps: [UInt64: String] = [
        0x00: "NULL LSAP",
        0x01: "NULL LSAP",
        0x02: "LLC Sub-Layer Management",
        0x04: "SNA Path Control",
        0x06: "TCP/IP",
        0x08: "SNA",
        0x0c: "SNA",
        0x0e: "PROWAY (IEC955) Network Management and Initialization",
        0x10: "NetWare (unofficial?)",
        0x14: "ISO Network Layer (OSLAN 1)",
        0x18: "Texas Instruments",
        0x20: "ISO Network Layer (unofficial?)",
        0x34: "ISO Network Layer (unofficial?)",
        0x42: "Spanning Tree BPDU",
        0x4e: "EIA RS-511 Manufacturing Message Service",
        0x54: "ISO Network Layer (OSLAN 2)",
        0x7e: "ISO 8208 (X.25 over 802.2)",
        0x7f: "ISO 802.2",
        0x80: "XNS",
        0x82: "BACnet",
        0x86: "Nestar",
        0x8e: "PROWAY (IEC955) Active Station List Maintenance",
        0x98: "ARP",
        0xb4: "HP JetDirect Printer",
        0xaa: "SNAP",
        0xba: "Banyan Vines",
        0xbc: "Banyan Vines",
        0xe0: "NetWare",
        0xf0: "NetBIOS",
        0xf4: "IBM Net Management",
        0xf8: "HP Extended LLC",
        0xfa: "Ungermann-Bass",
        0xfc: "Remote Program Load",
        0xfe: "ISO Network Layer",
        0xff: "Global LSAP",
    ]
    static let uCommands: [UInt64: String] = [
        0x00: "Unnumbered Information",
        0x08: "Unnumbered Poll",
        0x10: "Disconnect",
        0x18: "Unnumbered Acknowledge",
        0x20: "Set Normal Response Mode",
        0x38: "Test",
        0x01: "Set Initialization Mode",
        0x21: "Frame reject",
        0x31: "Configure",
        0x03: "Set Asynchronous Response Mode",
        0x0b: "Set Asynchronous Balanced Mode",
        0x13: "Set Asynchronous Response Mode Extended",
        0x1b: "Set Asynchronous Balanced Mode Extended",
        0x23: "Reset",
        0x2b: "Exchange identification",
        0x33: "Set Normal Response Mode Extended",
        0x3b: "Beacon",
    ]
    static let uResponses: [UInt64: String] = [
        0x00: "Unnumbered Information",
        0x08: "Unnumbered Poll",
        0x10: "Request Disconnect",
        0x18: "Unnumbered Acknowledge",
        0x20: "Set Normal Response Mode",
        0x38: "Test",
        0x01: "Request Initialization Mode",
        0x21: "Frame reject",
        0x31: "Configure",
        0x03: "Disconnected mode",
        0x0b: "Set Asynchronous Balanced Mode",
        0x13: "Set Asynchronous Response Mode Extended",
        0x1b: "Set Asynchronous Balanced Mode Extended",
        0x23: "Reset",
        0x2b: "Exchange identification",
        0x33: "Set Normal Response Mode Extended",
        0x3b: "Beacon",
    ]
    static let sTypes: [UInt64: String] = [
        0x0: "Receiver ready",
        0x1: "Receiver not ready",
        0x2: "Reject",
        0x3: "Selective reject",
    ]
    static let ciscoPIDs: [UInt64: String] = [
        0x0102: "DRIP",
        0x0104: "PAgP",
        0x0105: "MLS Hello",
        0x0108: "RLQ BPDUs (request)",
        0x0109: "RLQ BPDUs (response)",
        0x010b: "PVSTP+",
        0x010c: "VLAN Bridge",
        0x0111: "UDLD",
        0x0139: "MCP",
        0x2000: "CDP",
        0x2001: "CGMP",
        0x2003: "VTP",
        0x2004: "DTP",
        0x200a: "STP Uplink Fast",
    ]
    static let ianaPIDs: [UInt64: String] = [
        0x0001: "MARS Data Messages (short form)",
        0x0002: "Reserved for future NHRP use",
        0x0003: "MARS/NHRP Control Messages",
        0x0004: "MARS Data Messages (long form)",
        0x0005: "SCSP",
        0x0006: "VRID",
        0x0007: "L2TP",
        0x0008: "VPN ID",
        0x0009: "MSDP-GRE-Protocol Type",
    ]
    static let nortelPIDs: [UInt64: String] = [
        0x01a1: "NDP flatnet hello",
        0x01a2: "NDP segment hello",
        0x01a3: "NDP bridge hello",
    ]
    static let extremePIDs: [UInt64: String] = [
        0x00bb: "EDP",
    ]
    static let foundryPIDs: [UInt64: String] = [
        0x2000: "FDP",
    ]
    static let force10PIDs: [UInt64: String] = [
        0x0111: "FEFD",
    ]
    static let wlccpPIDs: [UInt64: String] = [
        0x0000: "WLCCP",
    ]
    static let bluetoothPIDs: [UInt64: String] = [
        0x0001: "AMP_U L2CAP ACL data",
        0x0002: "AMP-C Activity Report",
        0x0003: "AMP-C Security frames",
        0x0004: "AMP-C Link supervision request",
        0x0005: "AMP-C Link supervision reply",
    ]
    static let appleAWDLPIDs: [UInt64: String] = [
        0x0800: "AWDL",
    ]
    static let appleAtalkPIDs: [UInt64: String] = [
        0x809b: "AppleTalk",
    ]
}
