/// Wiretap encapsulations (`frame.encap_type`): tshark shows wiretap's own WTAP_ENCAP_* numbers
/// and names, not the pcap LINKTYPE_* of the file. The table was taken from tshark 4.0.17 by
/// running it on a pcapng with one interface per link type 0…299.
public enum WTAP {
    /// The encapsulation tshark reports for a link type it does not know.
    public static let unknown = 0

    /// Maps a pcap LINKTYPE_* to wiretap's WTAP_ENCAP_* number (0 = unknown, as tshark 4.0).
    public static func encap(forLinkType lt: Int) -> Int {
        switch lt {
        case 0: return 15
        case 1: return 1
        case 2: return 184
        case 3: return 148
        case 6: return 2
        case 7: return 8
        case 8: return 3
        case 9, 50: return 4
        case 10: return 6
        case 11, 100: return 10
        case 12, 14, 101: return 7
        case 13, 109: return 38
        case 16, 18, 19, 106: return 11
        case 32: return 69
        case 51: return 139
        case 99: return 61
        case 104, 112: return 28
        case 105: return 20
        case 107: return 26
        case 108: return 174
        case 113: return 25
        case 114: return 30
        case 117: return 39
        case 118: return 29
        case 119: return 21
        case 121: return 32
        case 122: return 18
        case 123: return 13
        case 127: return 23
        case 128: return 37
        case 129: return 9
        case 130: return 81
        case 131: return 82
        case 133: return 87
        case 135: return 68
        case 136: return 151
        case 137: return 67
        case 138: return 62
        case 139: return 75
        case 140: return 42
        case 141: return 43
        case 142: return 101
        case 143: return 33
        case 144: return 44
        case 147: return 45
        case 148: return 46
        case 149: return 47
        case 150: return 48
        case 151: return 49
        case 152: return 50
        case 153: return 51
        case 154: return 52
        case 155: return 53
        case 156: return 54
        case 157: return 55
        case 158: return 56
        case 159: return 57
        case 160: return 58
        case 161: return 59
        case 162: return 60
        case 163: return 24
        case 165: return 63
        case 167: return 76
        case 169: return 66
        case 170: return 178
        case 171: return 179
        case 172: return 77
        case 173: return 78
        case 177: return 88
        case 178: return 83
        case 179: return 84
        case 180: return 85
        case 181: return 86
        case 183: return 91
        case 184: return 181
        case 186: return 92
        case 187: return 41
        case 188: return 93
        case 189: return 95
        case 190: return 109
        case 192: return 97
        case 195: return 104
        case 196: return 100
        case 197: return 98
        case 199: return 103
        case 200: return 197
        case 201: return 99
        case 202: return 147
        case 203: return 131
        case 204: return 19
        case 209: return 112
        case 210: return 106
        case 211: return 108
        case 212: return 107
        case 213: return 111
        case 214: return 105
        case 215: return 113
        case 220: return 115
        case 224: return 121
        case 225: return 122
        case 226: return 124
        case 227: return 125
        case 228: return 129
        case 229: return 130
        case 230: return 127
        case 231: return 146
        case 235: return 132
        case 236: return 133
        case 237: return 157
        case 239: return 141
        case 240: return 135
        case 241: return 136
        case 242: return 180
        case 243: return 138
        case 245: return 140
        case 248: return 149
        case 249: return 152
        case 250: return 153
        case 251: return 154
        case 252: return 155
        case 253: return 158
        case 254: return 159
        case 255: return 160
        case 256: return 161
        case 258: return 171
        case 259: return 172
        case 260: return 173
        case 264: return 177
        case 266: return 182
        case 268: return 36
        case 270: return 183
        case 271: return 185
        case 272: return 186
        case 273: return 199
        case 274: return 198
        case 275: return 200
        case 276: return 210
        case 279: return 204
        case 280: return 205
        case 283: return 206
        case 287: return 211
        case 288: return 208
        case 290: return 212
        case 292: return 214
        case 293: return 215
        case 294: return 216
        case 295: return 217
        default: return 0
        }
    }

    /// Wiretap encapsulation names by number (`frame.encap_type` value strings).
    public static let names: [UInt64: String] = [
        0: "Unknown",
        1: "Ethernet",
        2: "Token Ring",
        3: "SLIP",
        4: "PPP",
        6: "FDDI with bit-swapped MAC addresses",
        7: "Raw IP",
        8: "ARCNET",
        9: "Linux ARCNET",
        10: "RFC 1483 ATM",
        11: "Linux ATM CLIP",
        13: "ATM PDUs",
        15: "NULL/Loopback",
        18: "RFC 2625 IP-over-Fibre Channel",
        19: "PPP with Directional Info",
        20: "IEEE 802.11 Wireless LAN",
        21: "IEEE 802.11 plus Prism II monitor mode radio header",
        23: "IEEE 802.11 plus radiotap radio header",
        24: "IEEE 802.11 plus AVS radio header",
        25: "Linux cooked-mode capture v1",
        26: "Frame Relay",
        28: "Cisco HDLC",
        29: "Cisco IOS internal",
        30: "Localtalk",
        32: "HiPath HDLC",
        33: "Data Over Cable Service Interface Specification",
        36: "SDLC",
        37: "Tazmen sniffer protocol",
        38: "OpenBSD enc(4) encapsulating interface",
        39: "OpenBSD PF Firewall logs",
        41: "Bluetooth H4",
        42: "SS7 MTP2",
        43: "SS7 MTP3",
        44: "IrDA",
        45: "USER 0",
        46: "USER 1",
        47: "USER 2",
        48: "USER 3",
        49: "USER 4",
        50: "USER 5",
        51: "USER 6",
        52: "USER 7",
        53: "USER 8",
        54: "USER 9",
        55: "USER 10",
        56: "USER 11",
        57: "USER 12",
        58: "USER 13",
        59: "USER 14",
        60: "USER 15",
        61: "Symantec Enterprise Firewall",
        62: "Apple IP-over-IEEE 1394",
        63: "BACnet MS/TP",
        66: "GPRS LLC",
        67: "Juniper ATM1",
        68: "Juniper ATM2",
        69: "Redback SmartEdge",
        75: "MTP2 with pseudoheader",
        76: "Juniper PPPoE",
        77: "GCOM TIE1",
        78: "GCOM Serial",
        81: "Juniper MLPPP",
        82: "Juniper MLFR",
        83: "Juniper Ethernet",
        84: "Juniper PPP",
        85: "Juniper Frame-Relay",
        86: "Juniper C-HDLC",
        87: "Juniper GGSN",
        88: "LAPD with Linux pseudo-header",
        91: "Juniper Voice PIC",
        92: "USB packets with FreeBSD header",
        93: "IEEE 802.16 MAC Common Part Sublayer",
        95: "USB packets with Linux header",
        97: "Per-Packet Information header",
        98: "Extensible Record Format",
        99: "Bluetooth H4 with linux header",
        100: "SITA WAN packets",
        101: "SS7 SCCP",
        103: "Intelligent Platform Management Bus with Kontron pseudo-header",
        104: "IEEE 802.15.4 Wireless PAN",
        105: "X2E Xoraya",
        106: "FlexRay",
        107: "Local Interconnect Network",
        108: "Media Oriented Systems Transport",
        109: "Controller Area Network 2.0B",
        111: "X2E serial line capture",
        112: "I2C with Linux-specific pseudo-header",
        113: "IEEE 802.15.4 Wireless PAN non-ASK PHY",
        115: "USB packets with Linux header and padding",
        121: "Fibre Channel FC-2",
        122: "Fibre Channel FC-2 With Frame Delimiter",
        124: "Solaris IPNET",
        125: "SocketCAN",
        127: "IEEE 802.15.4 Wireless PAN with FCS not present",
        129: "Raw IPv4",
        130: "Raw IPv6",
        131: "LAPD",
        132: "DVB-CI (Common Interface)",
        133: "MUX27010",
        135: "Hilscher netANALYZER",
        136: "Hilscher netANALYZER-Transparent",
        138: "ISO/IEC 13818-1 MPEG2-TS",
        139: "PPP-over-Ethernet session",
        140: "NFC LLCP",
        141: "NFLOG",
        146: "D-Bus",
        147: "AX.25 with KISS header",
        148: "Amateur Radio AX.25",
        149: "SCTP",
        151: "Juniper Services",
        152: "USB packets with USBPcap header",
        153: "RTAC serial-line",
        154: "Bluetooth Low Energy Link Layer",
        155: "Wireshark Upper PDU export",
        157: "STANAG 5066 Data Transfer Sublayer PDUs(D_PDU)",
        158: "Linux Netlink",
        159: "Bluetooth Linux Monitor",
        160: "Bluetooth BR/EDR Baseband RF",
        161: "Bluetooth Low Energy Link Layer RF",
        171: "Apple PKTAP",
        172: "Ethernet Passive Optical Network",
        173: "IPMI Trace Data Collection",
        174: "OpenBSD loopback",
        177: "ISO 14443 contactless smartcard standards",
        178: "ITU-T G.7041/Y.1303 Generic Framing Procedure Transparent mode",
        179: "ITU-T G.7041/Y.1303 Generic Framing Procedure Frame-mapped mode",
        180: "IP over IB",
        181: "Juniper VN",
        182: "USB packets with Darwin (macOS, etc.) headers",
        183: "LoRaTap",
        184: "Xerox 3MB Ethernet",
        185: "Linux vsock",
        186: "nRF Sniffer for Bluetooth LE",
        197: "Juniper Secure Tunnel Information",
        198: "IEEE 802.3br mPackets",
        199: "DOCSIS with Excentis XRA pseudo-header",
        200: "DisplayPort AUX channel with Unigraf pseudo-header",
        204: "Elektrobit High Speed Capture and Replay",
        205: "Vector Packet Processing graph dispatch trace",
        206: "IEEE 802.15.4 Wireless with TAP pseudo-header",
        208: "USB 2.0/1.1/1.0 packets",
        210: "Linux cooked-mode capture v2",
        211: "Z-Wave Serial API packets",
        212: "Event Tracing for Windows messages",
        214: "ZBOSS NCP",
        215: "Low-Speed USB 2.0/1.1/1.0 packets",
        216: "Full-Speed USB 2.0/1.1/1.0 packets",
        217: "High-Speed USB 2.0 packets",
    ]

    /// Link types wiretap reads as the same encapsulation as `linkType` (itself included), so a
    /// dissector registered for one of them serves all.
    public static func aliases(ofLinkType linkType: Int) -> [Int] {
        switch linkType {
        case 9, 50: return [9, 50]
        case 11, 100: return [11, 100]
        case 12, 14, 101: return [101, 12, 14]
        case 13, 109: return [13, 109]
        case 16, 18, 19, 106: return [106, 16, 18, 19]
        case 104, 112: return [104, 112]
        default: return [linkType]
        }
    }

    /// wiretap's largest packet for an encapsulation (`wtap_max_snaplen_for_encap`): a record
    /// claiming more is treated as damaged.
    public static func maxSnapLength(encap: Int) -> Int {
        switch encap {
        case 146: return 128 * 1024 * 1024   // D-Bus
        default: return 262_144
        }
    }
}
