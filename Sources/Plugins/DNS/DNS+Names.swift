import DissectKit

/// Names tshark 4.0.17 shows for DNS codes (opcodes, reply codes, record types and classes,
/// EDNS0 options, DNSSEC algorithms…), checked against its output.
enum DNSNames {
    static let opcodes: [UInt64: String] = [
        0: "Standard query", 1: "Inverse query", 2: "Server status request", 4: "Zone change notification",
        5: "Dynamic update", 6: "DNS Stateful operations (DSO)",
    ]

    static let rcodes: [UInt64: String] = [
        0: "No error", 1: "Format error", 2: "Server failure", 3: "No such name", 4: "Not implemented",
        5: "Refused", 6: "Name exists", 7: "RRset exists", 8: "RRset does not exist", 9: "Not authoritative",
        10: "Name out of zone", 11: "DSO-Type not implemented", 16: "Bad OPT Version or TSIG Signature Failure",
        17: "Key not recognized", 18: "Signature out of time window", 19: "Bad TKEY Mode", 20: "Duplicate key name",
        21: "Algorithm not supported", 22: "Bad Truncation", 23: "Bad/missing Server Cookie",
    ]

    /// Short type names (Info column, record summary lines). tshark 4.0 swaps MAILA and MAILB.
    static let types: [UInt16: String] = [
        0: "Unused", 1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR",
        10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT", 17: "RP", 18: "AFSDB",
        19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP-PTR", 24: "SIG", 25: "KEY", 26: "PX", 27: "GPOS",
        28: "AAAA", 29: "LOC", 30: "NXT", 31: "EID", 32: "NIMLOC", 33: "SRV", 34: "ATMA", 35: "NAPTR", 36: "KX",
        37: "CERT", 38: "A6", 39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL", 43: "DS", 44: "SSHFP",
        45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID", 50: "NSEC3", 51: "NSEC3PARAM",
        52: "TLSA", 55: "HIP", 57: "RKEY", 58: "TALINK", 59: "CDS", 60: "CDNSKEY", 61: "OPENPGPKEY", 62: "CSYNC",
        63: "ZONEMD", 64: "SVCB", 65: "HTTPS", 99: "SPF", 100: "UINFO", 101: "UID", 102: "GID", 103: "UNSPEC",
        104: "NID", 105: "L32", 106: "L64", 107: "LP", 108: "EUI48", 109: "EUI64", 249: "TKEY", 250: "TSIG",
        251: "IXFR", 252: "AXFR", 253: "MAILA", 254: "MAILB", 255: "ANY", 256: "URI", 257: "CAA", 32768: "TA",
        32769: "DLV", 65281: "WINS", 65282: "WINS-R", 65422: "XPF",
    ]

    /// Type names of the `dns.qry.type`/`dns.resp.type` lines ("A (Host Address)").
    static let typeDescriptions: [UInt64: String] = [
        0: "Unused", 1: "A (Host Address)", 2: "NS (authoritative Name Server)", 3: "MD (Mail Destination)",
        4: "MF (Mail Forwarder)", 5: "CNAME (Canonical NAME for an alias)", 6: "SOA (Start Of a zone of Authority)",
        7: "MB (MailBox domain name)", 8: "MG (Mail Group member)", 9: "MR (Mail Rename domain)", 10: "NULL RR",
        11: "WKS (Well Known Service)", 12: "PTR (domain name PoinTeR)", 13: "HINFO (host information)",
        14: "MINFO (Mailbox or mail list information)", 15: "MX (Mail eXchange)", 16: "TXT (Text strings)",
        17: "RP (Responsible Person)", 18: "AFSDB (AFS Data Base location)", 19: "X25 (XX.25 PSDN address)",
        20: "ISDN (ISDN address)", 21: "RT (Route Through)", 22: "NSAP (NSAP address)",
        23: "NSAP-PTR (NSAP domain name pointer)", 24: "SIG (security signature)", 25: "KEY (security key)",
        26: "PX (X.400 mail mapping information)", 27: "GPOS (Geographical Position)", 28: "AAAA (IPv6 Address)",
        29: "LOC (Location Information)", 30: "NXT (Next Domain)", 31: "EID (Endpoint Identifier)",
        32: "NIMLOC (Nimrod Locator)", 33: "SRV (Server Selection)", 34: "ATMA (ATM Address)",
        35: "NAPTR (Naming Authority Pointer)", 36: "KX (Key Exchanger)", 37: "CERT", 38: "A6 (OBSOLETE - use AAAA)",
        39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL", 43: "DS (Delegation Signer)", 44: "SSHFP (SSH Key Fingerprint)",
        45: "IPSECKEY", 46: "RRSIG (Resource Record Signature)", 47: "NSEC (Next Secure)",
        48: "DNSKEY (DNS Public Key)", 49: "DHCID", 50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA",
        55: "HIP (Host Identity Protocol)", 57: "RKEY", 58: "TALINK (Trust Anchor LINK)", 59: "CDS (Child DS)",
        60: "CDNSKEY (DNSKEY(s) the Child wants reflected in DS)", 61: "OPENPGPKEY (OpenPGP Key)",
        62: "CSYNC (Child-to-Parent Synchronization)", 63: "ZONEMD",
        64: "SVCB (General Purpose Service Endpoints)", 65: "HTTPS (HTTPS Specific Service Endpoints)", 99: "SPF",
        100: "UINFO", 101: "UID", 102: "GID", 103: "UNSPEC", 104: "NID (NodeID)", 105: "L32 (Locator32)",
        106: "L64 (Locator64)", 107: "LP (Locator FQDN)", 108: "EUI48", 109: "EUI64", 249: "TKEY (Transaction Key)",
        250: "TSIG (Transaction Signature)", 251: "IXFR (incremental transfer)",
        252: "AXFR (transfer of an entire zone)", 253: "MAILB (mailbox-related RRs)",
        254: "MAILA (mail agent RRs)", 255: "* (A request for all records the server/cache has available)",
        256: "URI", 257: "CAA (Certification Authority Restriction)", 32768: "TA (DNSSEC Trust Authorities)",
        32769: "DLV (DNSSEC Lookaside Validation)", 65281: "WINS", 65282: "WINS-R", 65422: "XPF",
    ]

    static let classes: [UInt64: String] = [1: "IN", 2: "CS", 3: "CH", 4: "HS", 254: "NONE", 255: "ANY"]

    static let ednsOptions: [UInt64: String] = [
        0: "Reserved", 1: "LLQ - Long-lived query", 2: "UL - Update lease", 3: "NSID - Name Server Identifier",
        4: "Owner (reserved)", 5: "DAU - DNSSEC Algorithm Understood (RFC6975)",
        6: "DHU - DS Hash Understood (RFC6975)", 7: "N3U - NSEC3 Hash Understood (RFC6975)",
        0x50fa: "Experimental - CSUBNET - Client subnet", 8: "CSUBNET - Client subnet", 9: "EDNS EXPIRE (RFC7314)",
        10: "COOKIE", 11: "EDNS TCP Keepalive", 12: "PADDING", 13: "CHAIN", 15: "Extended DNS Error",
    ]

    static let dnssecAlgorithms: [UInt64: String] = [
        1: "RSA/MD5", 2: "Diffie-Hellman", 3: "DSA", 4: "Elliptic curve crypto", 5: "RSA/SHA1",
        6: "DSA + NSEC3/SHA1", 7: "RSA/SHA1 + NSEC3/SHA1", 8: "RSA/SHA-256", 10: "RSA/SHA-512",
        12: "GOST R 34.10-2001", 13: "ECDSA Curve P-256 with SHA-256", 14: "ECDSA Curve P-386 with SHA-386",
        15: "Ed25519", 16: "Ed448", 157: "HMAC/MD5", 252: "Indirect key", 253: "Private, domain name",
        254: "Private, OID",
    ]

    static let dsDigests: [UInt64: String] = [
        0: "Reserved digest", 1: "SHA-1", 2: "SHA-256", 3: "GOST R 34.11-94", 4: "SHA-384",
    ]

    static let nsec3Hashes: [UInt64: String] = [0: "Reserved", 1: "SHA-1"]

    static let tkeyModes: [UInt64: String] = [
        1: "Server assigned", 2: "Diffie Hellman", 3: "GSSAPI", 4: "Resolver assigned", 5: "Delete",
    ]

    static let sshfpAlgorithms: [UInt64: String] = [
        0: "Reserved", 1: "RSA", 2: "DSA", 3: "ECDSA", 4: "Ed25519", 5: "XMSS",
    ]
    static let sshfpFingerprintTypes: [UInt64: String] = [0: "Reserved", 1: "SHA1", 2: "SHA256"]
    static let hipAlgorithms: [UInt64: String] = [0: "Reserved", 1: "DSA", 2: "RSA"]
    static let addressFamilies: [UInt64: String] = [1: "IPv4", 2: "IPv6"]
    static let ipsecGatewayAlgorithms: [UInt64: String] = [1: "DSA", 2: "RSA"]
    static let ipsecGatewayTypes: [UInt64: String] = [
        0: "No Gateway", 1: "IPv4 Gateway", 2: "IPv6 Gateway", 3: "DNS Gateway",
    ]
    static let ipVersions: [UInt64: String] = [4: "IPv4", 6: "IPv6"]

    static let certTypes: [UInt64: String] = [
        1: "PKIX", 2: "SPKI", 3: "PGP", 4: "IPKIX", 5: "ISPKI", 6: "IPGP", 7: "ACPKIX", 8: "IACPKIX",
        253: "Private, URI", 254: "Private, OID",
    ]

    static let tlsaUsages: [UInt64: String] = [
        0: "CA constraint (PKIX-TA)", 1: "Service certificate constraint (PKIX-EE)",
        2: "Trust anchor assertion (DANE-TA)", 3: "Domain-issued certificate (DANE-EE)",
    ]
    static let tlsaSelectors: [UInt64: String] = [0: "Full certificate (Cert)", 1: "SubjectPublicKeyInfo (SPKI)"]
    static let tlsaMatchingTypes: [UInt64: String] = [
        0: "No Hash Used (Full)", 1: "256 bit hash by SHA2 (SHA2-256)", 2: "512 bit hash by SHA2 (SHA2-512)",
    ]

    static let svcbKeys: [UInt64: String] = [
        0: "mandatory", 1: "alpn", 2: "no-default-alpn", 3: "port", 4: "ipv4hint", 5: "echconfig", 6: "ipv6hint",
        32769: "odohconfig", 65535: "key65535",
    ]

    static let dsoTypes: [(lo: UInt64, hi: UInt64, name: String)] = [
        (0, 0, "Reserved"), (1, 1, "Keep Alive"), (2, 2, "Retry Delay"), (3, 3, "Encryption Padding"),
        (4, 0x3f, "Unassigned, reserved for DSO session-management TLVs"), (0x40, 0x40, "Subscribe"),
        (0x41, 0x41, "Push"), (0x42, 0x42, "Unsubscribe"), (0x43, 0x43, "Reconfirm"), (0x44, 0xf7ff, "Unassigned"),
        (0xf800, 0xfbff, "Reserved for Experimental/Local Use"), (0xfc00, 0xffff, "Reserved for future expansion"),
    ]

    static let zonemdSchemes: [(lo: UInt64, hi: UInt64, name: String)] = [
        (0, 0, "Reserved"), (1, 1, "SIMPLE"), (2, 239, "Unassigned"), (240, 254, "Private Use"), (255, 255, "Reserved"),
    ]
    static let zonemdHashes: [(lo: UInt64, hi: UInt64, name: String)] = [
        (0, 0, "Reserved"), (1, 1, "SHA-384"), (2, 2, "SHA-512"), (3, 239, "Unassigned"), (240, 254, "Private Use"),
        (255, 255, "Reserved"),
    ]

    static let extendedErrors: [(lo: UInt64, hi: UInt64, name: String)] = [
        (0, 0, "Other Error"), (1, 1, "Unsupported DNSKEY Algorithm"), (2, 2, "Unsupported DS Digest Type"),
        (3, 3, "Stale Answer"), (4, 4, "Forged Answer"), (5, 5, "DNSSEC Indeterminate"), (6, 6, "DNSSEC Bogus"),
        (7, 7, "Signature Expired"), (8, 8, "Signature Not Yet Valid"), (9, 9, "DNSKEY Missing"),
        (10, 10, "RRSIGs Missing"), (11, 11, "No Zone Key Bit Set"), (12, 12, "NSEC Missing"),
        (13, 13, "Cached Error"), (14, 14, "Not Ready"), (15, 15, "Blocked"), (16, 16, "Censored"),
        (17, 17, "Filtered"), (18, 18, "Prohibited"), (19, 19, "Stale NXDomain Answer"),
        (20, 20, "Not Authoritative"), (21, 21, "Not Supported"), (22, 22, "No Reachable Authority"),
        (23, 23, "Network Error"), (24, 24, "Invalid Data"), (25, 49151, "Unassigned"),
        (49152, 65535, "Reserved for Private Use"),
    ]

    /// Value strings of the catalog fields, by abbreviation.
    static var fieldStrings: [String: ValueStrings] {
        let trueFalse = ValueStrings.trueFalse("True", "False")
        let yesNo = ValueStrings.trueFalse("Yes", "No")
        let notAllowedAllowed = ValueStrings.trueFalse("Not Allowed", "Allowed")
        let validInvalid = ValueStrings.trueFalse("Valid", "Invalid")
        let types = ValueStrings.values(typeDescriptions)
        let algorithms = ValueStrings.values(dnssecAlgorithms)
        return [
            "dns.flags.response": .trueFalse("Message is a response", "Message is a query"),
            "dns.flags.opcode": .values(opcodes),
            "dns.flags.authoritative": .trueFalse("Server is an authority for domain",
                                                  "Server is not an authority for domain"),
            "dns.flags.conflict": .trueFalse("The sender received multiple responses", "None"),
            "dns.flags.truncated": .trueFalse("Message is truncated", "Message is not truncated"),
            "dns.flags.recdesired": .trueFalse("Do query recursively", "Don't do query recursively"),
            "dns.flags.tentative": .trueFalse("Tentative", "Not tentative"),
            "dns.flags.recavail": .trueFalse("Server can do recursive queries", "Server can't do recursive queries"),
            "dns.flags.z": .trueFalse("reserved - incorrect!", "reserved (0)"),
            "dns.flags.authenticated": .trueFalse("Answer/authority portion was authenticated by the server",
                                                  "Answer/authority portion was not authenticated by the server"),
            "dns.flags.checkdisable": .trueFalse("Acceptable", "Unacceptable"),
            "dns.flags.rcode": .values(rcodes),
            "dns.qry.type": types, "dns.resp.type": types, "dns.rrsig.type_covered": types,
            "dns.qry.class": .values(classes), "dns.resp.class": .values(classes),
            "dns.qry.qu": trueFalse, "dns.resp.cache_flush": trueFalse,
            "dns.resp.z.do": .trueFalse("Accepts DNSSEC security RRs", "Cannot handle DNSSEC security RRs"),
            "dns.wks.protocol": .values(IPProtocolNames.names),
            "dns.rrsig.algorithm": algorithms, "dns.dnskey.algorithm": algorithms, "dns.key.algorithm": algorithms,
            "dns.cert.algorithm": algorithms, "dns.ds.algorithm": algorithms, "dns.opt.dau": algorithms,
            "dns.dnskey.flags.zone_key": .trueFalse("This is the zone key for specified zone", "This it not a zone key"),
            "dns.dnskey.flags.key_revoked": yesNo, "dns.dnskey.flags.secure_entry_point": yesNo,
            "dns.key.flags.authentication": notAllowedAllowed, "dns.key.flags.confidentiality": notAllowedAllowed,
            "dns.key.flags.required": .trueFalse("Experimental or optional", "Required"),
            "dns.key.flags.associated_user": yesNo, "dns.key.flags.associated_named_entity": yesNo,
            "dns.key.flags.ipsec": validInvalid, "dns.key.flags.mime": validInvalid,
            "dns.tkey.mode": .values(tkeyModes), "dns.tkey.error": .values(rcodes), "dns.tsig.error": .values(rcodes),
            "dns.ipseckey.gateway_algorithm": .values(ipsecGatewayAlgorithms),
            "dns.ipseckey.gateway_type": .values(ipsecGatewayTypes),
            "dns.xpf.ip_version": .values(ipVersions), "dns.xpf.protocol": .values(IPProtocolNames.names),
            "dns.cert.type": .values(certTypes),
            "dns.opt.code": .values(ednsOptions), "dns.opt.dhu": .values(dsDigests), "dns.opt.n3u": .values(nsec3Hashes),
            "dns.opt.client.family": .values(addressFamilies), "dns.opt.ext_error.info_code": .ranges(extendedErrors),
            "dns.nsec3.algo": .values(nsec3Hashes),
            "dns.nsec3.flags.opt_out": .trueFalse("Additional insecure delegations allowed",
                                                  "Additional insecure delegations forbidden"),
            "dns.tlsa.certificate_usage": .values(tlsaUsages), "dns.tlsa.selector": .values(tlsaSelectors),
            "dns.tlsa.matching_type": .values(tlsaMatchingTypes),
            "dns.retransmission": trueFalse, "dns.unsolicited": trueFalse,
            "dns.sshfp.algorithm": .values(sshfpAlgorithms), "dns.sshfp.fingerprint.type": .values(sshfpFingerprintTypes),
            "dns.hip.hit.pk.algo": .values(hipAlgorithms),
            "dns.ds.digest_type": .values(dsDigests),
            "dns.apl.address_family": .values(addressFamilies),
            "dns.apl.negation": .trueFalse("Yes (!)", "No (0)"),
            "dns.caa.flags.issuer_critical": .trueFalse("Critical", "Not critical"),
            "dns.wins.local_flag": trueFalse, "dns.winsr.local_flag": trueFalse,
            "dns.dso.tlv.type": .ranges(dsoTypes),
            "dns.svcb.svcparam.key": .values(svcbKeys), "dns.svcb.svcparam.mandatory.key": .values(svcbKeys),
            "dns.zonemd.scheme": .ranges(zonemdSchemes), "dns.zonemd.hash_algo": .ranges(zonemdHashes),
            "dns.csync.flags.immediate": trueFalse, "dns.csync.flags.soaminimum": trueFalse,
        ]
    }

    static func typeName(_ t: UInt16) -> String { types[t] ?? "Unknown (\(t))" }
    static func className(_ c: UInt16) -> String { classes[UInt64(c)] ?? "Unknown" }
    static func svcbKeyName(_ k: UInt16) -> String { svcbKeys[UInt64(k)] ?? "key\(k)" }
}
