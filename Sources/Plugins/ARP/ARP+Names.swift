import DissectKit

/// Value names tshark 4.0.17 shows for ARP hardware types and opcodes.
enum ARPNames {
    static let hardwareTypes: [UInt64: String] = [
        0: "NET/ROM pseudo", 1: "Ethernet", 2: "Experimental Ethernet", 3: "AX.25", 4: "ProNET",
        5: "Chaos", 6: "IEEE 802", 7: "ARCNET", 8: "Hyperchannel", 9: "Lanstar", 10: "Autonet Short Address",
        11: "LocalTalk", 12: "LocalNet", 13: "Ultra link", 14: "SMDS", 15: "Frame Relay DLCI", 16: "ATM",
        17: "HDLC", 18: "Fibre Channel", 19: "ATM (RFC 2225)", 20: "Serial Line", 21: "ATM",
        22: "MIL-STD-188-220", 23: "Metricom STRIP", 24: "IEEE 1394.1995", 25: "MAPOS", 26: "Twinaxial",
        27: "EUI-64", 28: "HIPARP", 29: "IP and ARP over ISO 7816-3", 30: "ARPSec", 31: "IPsec tunnel",
        32: "InfiniBand", 33: "TIA-102 Project 25 CAI", 34: "Wiegand Interface", 35: "Pure IP",
        36: "HW_EXP1", 37: "HFI", 256: "HW_EXP2", 0x0303: "AEthernet",
    ]

    static let opcodes: [UInt64: String] = [
        1: "request", 2: "reply", 3: "reverse request", 4: "reverse reply", 5: "drarp-request",
        6: "drarp-reply", 7: "drarp-error", 8: "inverse request", 9: "inverse reply", 10: "arp-nak",
        24: "mars-request", 25: "mars-multi", 26: "mars-mserv", 27: "mars-join", 28: "mars-leave",
        29: "mars-nak", 30: "mars-unserv", 31: "mars-sjoin", 32: "mars-sleave", 33: "mars-grouplist-request",
        34: "mars-grouplist-reply", 35: "mars-redirect-map", 36: "mapos-unarp", 37: "op_exp1", 38: "op_exp2",
    ]
}
