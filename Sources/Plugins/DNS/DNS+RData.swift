import DissectKit

extension DNSDissector {
    /// The data of one record, by type, with the Info column text and summary-line suffix tshark
    /// 4.0.17 gives each (RFC 1035 §3.3 and the RFCs named per type). Types tshark does not decode
    /// get its "not implemented" note and a Data line.
    func dissectRData(_ packet: inout PacketContext, _ data: ByteView, _ r: DNSRecord, _ ctx: DNSMessageContext) throws(Malformed) {
        let rr = r.node
        var cur = r.start
        let len = r.length
        switch r.type {
        case 1: // A
            let a = try data.u32(cur)
            packet.info.append(" ")
            DNSInfo.appendIPv4(a, to: packet.info)
            appendToRecord(&packet, rr, ", addr " + FieldFormatter.ipv4String(a))
            packet.add(hf.a, data, cur, 4, .ipv4(a), parent: rr)

        case 2, 5, 12, 39: // NS, CNAME, PTR, DNAME
            let (f, prefix): (FieldID, String) = switch r.type {
            case 2: (hf.ns, ", ns ")
            case 5: (hf.cname, ", cname ")
            case 12: (hf.ptrDomainName, ", ")
            default: (hf.dname, ", dname ")
            }
            let n = try name(&packet, f, data, cur, ctx, into: &target, parent: rr)
            infoAppend(&packet, n, target)
            if packet.buildsFullTree { appendToRecord(&packet, rr, prefix + n.text(target)) }

        case 3, 4, 7, 8, 9, 23: // MD, MF, MB, MG, MR, NSAP-PTR: the owner name goes to Info
            infoAppendRawOwner(&packet, r.owner)
            let f: FieldID = switch r.type {
            case 3: hf.md
            case 4: hf.mf
            case 7: hf.mb
            case 8: hf.mg
            case 9: hf.mr
            default: hf.nsapPtrOwner
            }
            try name(&packet, f, data, cur, ctx, into: &target, parent: rr)

        case 6: // SOA
            let m = try name(&packet, hf.soaMname, data, cur, ctx, into: &target, parent: rr)
            infoAppend(&packet, m, target)
            if packet.buildsFullTree { appendToRecord(&packet, rr, ", mname " + m.text(target)) }
            cur += m.used
            let rn = try name(&packet, hf.soaRname, data, cur, ctx, into: &target, parent: rr)
            cur += rn.used
            try uint(&packet, hf.soaSerialNumber, data, cur, 4, parent: rr)
            try duration(&packet, hf.soaRefreshInterval, data, cur + 4, parent: rr)
            try duration(&packet, hf.soaRetryInterval, data, cur + 8, parent: rr)
            try duration(&packet, hf.soaExpireLimit, data, cur + 12, parent: rr)
            try duration(&packet, hf.soaMinimumTtl, data, cur + 16, parent: rr)

        case 10: // NULL
            infoAppendRawOwner(&packet, r.owner)
            try bytes(&packet, hf.null, data, cur, len, parent: rr)

        case 11: // WKS
            let a = try data.u32(cur)
            let text = FieldFormatter.ipv4String(a)
            packet.info.append(" ")
            packet.info.append(text)
            appendToRecord(&packet, rr, ", addr " + text)
            packet.add(hf.wksAddress, data, cur, 4, .ipv4(a), parent: rr)
            let proto = try data.u8(cur + 4)
            packet.add(hf.wksProtocol, data, cur + 4, 1, .uint(UInt64(proto)), parent: rr)
            cur += 5
            var left = len - 5
            var port = 0
            while left != 0 {
                let bits = try data.u8(cur)
                if bits != 0 {
                    let n = packet.add(hf.wksBits, data, cur, 1, .uint(UInt64(bits)), parent: rr)
                    if packet.buildsFullTree && !n.isNone {
                        var ports: [String] = []
                        for i in 0..<8 where bits & (0x80 >> UInt8(i)) != 0 { ports.append(String(port + i)) }
                        packet.appendLabel(n, " (" + ports.joined(separator: ", ") + ")")
                    }
                }
                port += 8
                cur += 1
                left -= 1
            }

        case 13: // HINFO
            let cpuLength = Int(try data.u8(cur))
            try data.check(cur + 1, cpuLength)
            let osOffset = cur + 1 + cpuLength
            let osLength = Int(try data.u8(osOffset))
            try data.check(osOffset + 1, osLength)
            // tshark prints "%.*s" of the ASCII-decoded strings: the decoded text cut to the
            // byte count, up to a NUL.
            let cpu = Self.cString(data, cur + 1, cpuLength)
            let os = Self.cString(data, osOffset + 1, osLength)
            packet.info.append(" ")
            packet.info.bytes.append(contentsOf: cpu)
            packet.info.append(" ")
            packet.info.bytes.append(contentsOf: os)
            if packet.buildsFullTree {
                appendToRecord(&packet, rr, ", CPU " + String(decoding: cpu, as: UTF8.self) + ", OS "
                                   + String(decoding: os, as: UTF8.self))
            }
            packet.add(hf.hinfoCpuLength, data, cur, 1, .uint(UInt64(cpuLength)), parent: rr)
            try string(&packet, hf.hinfoCpu, data, cur + 1, cpuLength, parent: rr)
            packet.add(hf.hinfoOsLength, data, osOffset, 1, .uint(UInt64(osLength)), parent: rr)
            try string(&packet, hf.hinfoOs, data, osOffset + 1, osLength, parent: rr)

        case 14, 17: // MINFO, RP: two names, the owner name goes to Info
            infoAppendRawOwner(&packet, r.owner)
            let n = try name(&packet, r.type == 14 ? hf.minfoR : hf.rpMailbox, data, cur, ctx, into: &target, parent: rr)
            try name(&packet, r.type == 14 ? hf.minfoE : hf.rpTxtRr, data, cur + n.used, ctx, into: &target, parent: rr)

        case 15, 36: // MX, KX
            let preference = try data.u16(cur)
            let n = try DNSNameReader.read(data, at: cur + 2, base: ctx.base, into: &target)
            packet.info.append(" ")
            packet.info.append(UInt64(preference))
            infoAppend(&packet, n, target)
            if packet.buildsFullTree {
                let kind = r.type == 15 ? ", mx " : ", kx "
                appendToRecord(&packet, rr, ", preference \(preference)" + kind + n.text(target))
            }
            packet.add(r.type == 15 ? hf.mxPreference : hf.kxPreference, data, cur, 2, .uint(UInt64(preference)), parent: rr)
            let f = r.type == 15 ? hf.mxMailExchange : hf.kxKeyExchange
            if packet.wants(f) { packet.addMailText(f, data, cur + 2, n.used, n.text(target), parent: rr) }

        case 16, 99: // TXT, SPF: character strings until the data length is used up
            let isTXT = r.type == 16
            var left = len
            while left != 0 {
                let n = Int(try data.u8(cur))
                packet.add(isTXT ? hf.txtLength : hf.spfLength, data, cur, 1, .uint(UInt64(n)), parent: rr)
                cur += 1
                left -= 1
                try string(&packet, isTXT ? hf.txt : hf.spf, data, cur, n, utf8: isTXT && ctx.variant == .mdns,
                           parent: rr)
                cur += n
                left -= n
            }

        case 18, 21: // AFSDB, RT
            infoAppendRawOwner(&packet, r.owner)
            let n = try DNSNameReader.read(data, at: cur + 2, base: ctx.base, into: &target)
            try uint(&packet, r.type == 18 ? hf.afsdbSubtype : hf.rtSubtype, data, cur, 2, parent: rr)
            let f = r.type == 18 ? hf.afsdbHostname : hf.rtIntermediateHost
            if packet.wants(f) { packet.addMailText(f, data, cur + 2, n.used, n.text(target), parent: rr) }

        case 19: // X25
            infoAppendRawOwner(&packet, r.owner)
            let n = Int(try data.u8(cur))
            packet.add(hf.x25Length, data, cur, 1, .uint(UInt64(n)), parent: rr)
            try string(&packet, hf.x25PsdnAddress, data, cur + 1, n, parent: rr)

        case 20: // ISDN
            infoAppendRawOwner(&packet, r.owner)
            let n = Int(try data.u8(cur))
            packet.add(hf.idsnLength, data, cur, 1, .uint(UInt64(n)), parent: rr)
            try string(&packet, hf.idsnAddress, data, cur + 1, n, parent: rr)
            cur += 1 + n
            if len - 1 - n > 1 {
                let sa = Int(try data.u8(cur))
                packet.add(hf.idsnSaLength, data, cur, 1, .uint(UInt64(sa)), parent: rr)
                try string(&packet, hf.idsnSaAddress, data, cur + 1, sa, parent: rr)
            }

        case 22: // NSAP
            infoAppendRawOwner(&packet, r.owner)
            try bytes(&packet, hf.nsapRdata, data, cur, len, parent: rr)

        case 25: // KEY (RFC 2535 §3.1)
            let flags = try data.u16(cur)
            let f = packet.add(hf.keyFlags, data, cur, 2, .uint(UInt64(flags)), parent: rr)
            func flag(_ id: FieldID, _ mask: UInt16) {
                packet.add(id, data, cur, 2, .uint(flags & mask != 0 ? 1 : 0), parent: f)
            }
            flag(hf.keyFlagsAuthentication, 0x8000)
            flag(hf.keyFlagsConfidentiality, 0x4000)
            if flags & 0xc000 != 0xc000 {
                flag(hf.keyFlagsRequired, 0x2000)
                flag(hf.keyFlagsAssociatedUser, 0x0400)
                flag(hf.keyFlagsAssociatedNamedEntity, 0x0200)
                flag(hf.keyFlagsIpsec, 0x0080)
                flag(hf.keyFlagsMime, 0x0040)
                packet.add(hf.keyFlagsSignatory, data, cur, 2, .uint(UInt64(flags & 0xf)), parent: f)
            }
            try uint(&packet, hf.keyProtocol, data, cur + 2, 1, parent: rr)
            let algorithm = try data.u8(cur + 3)
            packet.add(hf.keyAlgorithm, data, cur + 3, 1, .uint(UInt64(algorithm)), parent: rr)
            try keyID(&packet, hf.keyKeyId, data, r.start, len, algorithm, parent: rr)
            if len - 4 != 0 { try bytes(&packet, hf.keyPublicKey, data, cur + 4, len - 4, parent: rr) }

        case 26: // PX
            infoAppendRawOwner(&packet, r.owner)
            try uint(&packet, hf.pxPreference, data, cur, 2, parent: rr)
            let n = try name(&packet, hf.pxMap822, data, cur + 2, ctx, into: &target, parent: rr)
            try name(&packet, hf.pxMap400, data, cur + 2 + n.used, ctx, into: &target, parent: rr)

        case 27: // GPOS
            infoAppendRawOwner(&packet, r.owner)
            for (lf, sf) in [(hf.gposLongitudeLength, hf.gposLongitude), (hf.gposLatitudeLength, hf.gposLatitude),
                             (hf.gposAltitudeLength, hf.gposAltitude)] {
                let n = Int(try data.u8(cur))
                packet.add(lf, data, cur, 1, .uint(UInt64(n)), parent: rr)
                try string(&packet, sf, data, cur + 1, n, parent: rr)
                cur += 1 + n
            }

        case 28: // AAAA
            let a = try IPv6Address(data, at: cur)
            packet.info.append(" ")
            DNSInfo.appendIPv6(a, to: packet.info)
            appendToRecord(&packet, rr, ", addr " + FieldFormatter.ipv6String(a))
            packet.add(hf.aaaa, data, cur, 16, .ipv6(a), parent: rr)

        case 29: // LOC (RFC 1876)
            let version = try data.u8(cur)
            packet.add(hf.locVersion, data, cur, 1, .uint(UInt64(version)), parent: rr)
            guard version == 0 else {
                try bytes(&packet, hf.locUnknownData, data, cur, len, parent: rr)
                break
            }
            // The values are read for their texts whether or not a tree is built.
            for (i, f) in [hf.locSize, hf.locHorizontalPrecision, hf.locVerticalPrecision].enumerated() {
                let v = try data.u8(cur + 1 + i)
                guard packet.wants(f) else { continue }
                let n = packet.add(f, data, cur + 1 + i, 1, .uint(UInt64(v)), parent: rr)
                packet.appendLabel(n, " (" + Self.locSize(v) + " m)")
            }
            for (i, f) in [hf.locLatitude, hf.locLongitude].enumerated() {
                let v = try data.u32(cur + 4 + 4 * i)
                guard packet.wants(f) else { continue }
                let n = packet.add(f, data, cur + 4 + 4 * i, 4, .uint(UInt64(v)), parent: rr)
                packet.appendLabel(n, " (" + Self.locAngle(v, longitude: i == 1) + ")")
            }
            let altitude = try data.u32(cur + 12)
            if packet.wants(hf.locAltitude) {
                let n = packet.add(hf.locAltitude, data, cur + 12, 4, .uint(UInt64(altitude)), parent: rr)
                let metres = (Double(Int32(bitPattern: altitude)) - 10_000_000) / 100
                packet.appendLabel(n, " (" + FieldFormatter.cFormat("%g", metres) + " m)")
            }

        case 30: // NXT (RFC 2535 §5.2)
            let n = try name(&packet, hf.nxtNextDomainName, data, cur, ctx, into: &target, parent: rr)
            infoAppend(&packet, n, target)
            if packet.buildsFullTree { appendToRecord(&packet, rr, ", next domain name " + n.text(target)) }
            var left = len - n.used
            cur += n.used
            var type = 0
            while left != 0 {
                let bits = try data.u8(cur)
                for i in 0..<8 {
                    if bits & (0x80 >> UInt8(i)) != 0 { typeInBitmap(&packet, data, cur, type, parent: rr) }
                    type += 1
                }
                cur += 1
                left -= 1
            }

        case 33: // SRV (RFC 2782)
            let priority = try data.u16(cur)
            packet.add(hf.srvPriority, data, cur, 2, .uint(UInt64(priority)), parent: rr)
            let weight = try data.u16(cur + 2)
            packet.add(hf.srvWeight, data, cur + 2, 2, .uint(UInt64(weight)), parent: rr)
            let port = try data.u16(cur + 4)
            packet.add(hf.srvPort, data, cur + 4, 2, .uint(UInt64(port)), parent: rr)
            let n = try name(&packet, hf.srvTarget, data, cur + 6, ctx, into: &target, parent: rr)
            packet.info.append(" ")
            packet.info.append(priority)
            packet.info.append(" ")
            packet.info.append(weight)
            packet.info.append(" ")
            packet.info.append(port)
            infoAppend(&packet, n, target)
            if packet.buildsFullTree {
                appendToRecord(&packet, rr, ", priority \(priority), weight \(weight), port \(port), target " + n.text(target))
            }

        case 35: // NAPTR (RFC 3403)
            let order = try data.u16(cur)
            packet.add(hf.naptrOrder, data, cur, 2, .uint(UInt64(order)), parent: rr)
            let preference = try data.u16(cur + 2)
            packet.add(hf.naptrPreference, data, cur + 2, 2, .uint(UInt64(preference)), parent: rr)
            cur += 4
            let flagsLength = Int(try data.u8(cur))
            packet.add(hf.naptrFlagsLength, data, cur, 1, .uint(UInt64(flagsLength)), parent: rr)
            try data.check(cur + 1, flagsLength)
            let flags = MailLabel.formatText(data, cur + 1, flagsLength, asciiOnly: true)
            try string(&packet, hf.naptrFlags, data, cur + 1, flagsLength, parent: rr)
            cur += 1 + flagsLength
            for (lf, sf) in [(hf.naptrServiceLength, hf.naptrService), (hf.naptrRegexLength, hf.naptrRegex)] {
                let n = Int(try data.u8(cur))
                packet.add(lf, data, cur, 1, .uint(UInt64(n)), parent: rr)
                try string(&packet, sf, data, cur + 1, n, parent: rr)
                cur += 1 + n
            }
            let n = try DNSNameReader.read(data, at: cur, base: ctx.base, into: &target)
            packet.addGenerated(hf.naptrReplacementLength, .uint(UInt64(n.length(target))), parent: rr,
                                at: data, cur, 0)
            if packet.wants(hf.naptrReplacement) {
                packet.addMailText(hf.naptrReplacement, data, cur, n.used, n.text(target), parent: rr)
            }
            packet.info.append(" \(order) \(preference) " + flags)
            appendToRecord(&packet, rr, ", order \(order), preference \(preference), flags " + flags)

        case 37: // CERT (RFC 4398)
            try uint(&packet, hf.certType, data, cur, 2, parent: rr)
            try uint(&packet, hf.certKeyTag, data, cur + 2, 2, parent: rr)
            try uint(&packet, hf.certAlgorithm, data, cur + 4, 1, parent: rr)
            if len - 5 != 0 { try bytes(&packet, hf.certCertificate, data, cur + 5, len - 5, parent: rr) }

        case 38: // A6 (RFC 2874)
            let prefixLength = Int(try data.u8(cur))
            // tshark counts the suffix in 16-bit arithmetic: a prefix over 128 bits wraps, and
            // then all 16 bytes are read.
            let suffixBits = Int(UInt16(truncatingIfNeeded: 128 - prefixLength))
            let suffixBytes = suffixBits != 0 ? (suffixBits - 1) / 8 + 1 : 0
            let firstByte = max(0, 16 - suffixBytes)
            var suffix = [UInt8](repeating: 0, count: 16)
            for i in firstByte..<16 { suffix[i] = try data.u8(cur + 1 + i - firstByte) }
            let address = Self.ipv6(suffix)
            let nameOffset = cur + 1 + 16 - firstByte
            var prefixName = DNSName(used: 0, kind: .labels)
            target.removeAll(keepingCapacity: true)
            if prefixLength > 0 {
                prefixName = try DNSNameReader.read(data, at: nameOffset, base: ctx.base, into: &target)
            }
            let text = "\(prefixLength) " + FieldFormatter.ipv6String(address) + " " + prefixName.text(target)
            packet.info.append(" " + text)
            packet.add(hf.a6PrefixLen, data, cur, 1, .uint(UInt64(prefixLength)), parent: rr)
            if suffixBits != 0 {
                packet.add(hf.a6AddressSuffix, data, cur + 1, suffixBytes, .ipv6(address), parent: rr)
            }
            if prefixLength > 0 && packet.wants(hf.a6PrefixName) {
                packet.addMailText(hf.a6PrefixName, data, cur + 1 + suffixBytes, prefixName.used,
                                   prefixName.text(target), parent: rr)
            }
            appendToRecord(&packet, rr, ", addr " + text)

        case 41: // OPT (RFC 6891 §6.1.2)
            try dissectOptions(&packet, data, cur, len, parent: rr)

        case 42: // APL (RFC 3123)
            infoAppendRawOwner(&packet, r.owner)
            var left = len
            while left > 1 {
                let family = try data.u16(cur)
                packet.add(hf.aplAddressFamily, data, cur, 2, .uint(UInt64(family)), parent: rr)
                try uint(&packet, hf.aplCodedPrefix, data, cur + 2, 1, parent: rr)
                let b = try data.u8(cur + 3)
                let afd = Int(b & 0x7f)
                packet.add(hf.aplNegation, data, cur + 3, 1, .uint(UInt64(b >> 7)), parent: rr)
                packet.add(hf.aplAfdlength, data, cur + 3, 1, .uint(UInt64(afd)), parent: rr)
                cur += 4
                left -= 4
                if family == 1 && afd <= 4 {
                    var v: UInt32 = 0
                    for i in 0..<4 { v = v << 8 | (i < afd ? UInt32(try data.u8(cur + i)) : 0) }
                    packet.add(hf.aplAfdpartIpv4, data, cur, afd, .ipv4(v), parent: rr)
                } else if family == 2 && afd <= 16 {
                    var bytes16 = [UInt8](repeating: 0, count: 16)
                    for i in 0..<afd { bytes16[i] = try data.u8(cur + i) }
                    packet.add(hf.aplAfdpartIpv6, data, cur, afd, .ipv6(Self.ipv6(bytes16)), parent: rr)
                } else {
                    try bytes(&packet, hf.aplAfdpartData, data, cur, afd, parent: rr)
                }
                cur += afd
                left -= afd
            }

        case 43, 59, 32769: // DS, CDS, DLV (RFC 4034 §5)
            try uint(&packet, hf.dsKeyId, data, cur, 2, parent: rr)
            try uint(&packet, hf.dsAlgorithm, data, cur + 2, 1, parent: rr)
            try uint(&packet, hf.dsDigestType, data, cur + 3, 1, parent: rr)
            try bytes(&packet, hf.dsDigest, data, cur + 4, len - 4, parent: rr)

        case 44: // SSHFP (RFC 4255)
            try uint(&packet, hf.sshfpAlgorithm, data, cur, 1, parent: rr)
            try uint(&packet, hf.sshfpFingerprintType, data, cur + 1, 1, parent: rr)
            if len - 2 != 0 { try bytes(&packet, hf.sshfpFingerprint, data, cur + 2, len - 2, parent: rr) }

        case 45: // IPSECKEY (RFC 4025)
            try uint(&packet, hf.ipseckeyGatewayPrecedence, data, cur, 1, parent: rr)
            let gatewayType = try data.u8(cur + 1)
            packet.add(hf.ipseckeyGatewayType, data, cur + 1, 1, .uint(UInt64(gatewayType)), parent: rr)
            try uint(&packet, hf.ipseckeyGatewayAlgorithm, data, cur + 2, 1, parent: rr)
            cur += 3
            var left = len - 3
            switch gatewayType {
            case 1:
                packet.add(hf.ipseckeyGatewayIpv4, data, cur, 4, .ipv4(try data.u32(cur)), parent: rr)
                cur += 4
                left -= 4
            case 2:
                packet.add(hf.ipseckeyGatewayIpv6, data, cur, 16, .ipv6(try IPv6Address(data, at: cur)), parent: rr)
                cur += 16
                left -= 16
            case 3:
                let n = try name(&packet, hf.ipseckeyGatewayDns, data, cur, ctx, into: &target, parent: rr)
                cur += n.used
                left -= n.used
            default:
                break
            }
            if left != 0 { try bytes(&packet, hf.ipseckeyPublicKey, data, cur, left, parent: rr) }

        case 46, 24: // RRSIG, SIG (RFC 4034 §3)
            try uint(&packet, hf.rrsigTypeCovered, data, cur, 2, parent: rr)
            try uint(&packet, hf.rrsigAlgorithm, data, cur + 2, 1, parent: rr)
            try uint(&packet, hf.rrsigLabels, data, cur + 3, 1, parent: rr)
            try duration(&packet, hf.rrsigOriginalTtl, data, cur + 4, parent: rr)
            try time(&packet, hf.rrsigSignatureExpiration, data, cur + 8, parent: rr)
            try time(&packet, hf.rrsigSignatureInception, data, cur + 12, parent: rr)
            try uint(&packet, hf.rrsigKeyTag, data, cur + 16, 2, parent: rr)
            let n = try name(&packet, hf.rrsigSignersName, data, cur + 18, ctx, into: &target, parent: rr)
            let left = len - 18 - n.used
            if left != 0 { try bytes(&packet, hf.rrsigSignature, data, cur + 18 + n.used, left, parent: rr) }

        case 47: // NSEC (RFC 4034 §4)
            let n = try name(&packet, hf.nsecNextDomainName, data, cur, ctx, into: &target, parent: rr)
            infoAppend(&packet, n, target)
            if packet.buildsFullTree { appendToRecord(&packet, rr, ", next domain name " + n.text(target)) }
            try typeBitmap(&packet, data, cur + n.used, len - n.used, parent: rr)

        case 48, 60: // DNSKEY, CDNSKEY (RFC 4034 §2)
            let flags = try data.u16(cur)
            let f = packet.add(hf.dnskeyFlags, data, cur, 2, .uint(UInt64(flags)), parent: rr)
            packet.add(hf.dnskeyFlagsZoneKey, data, cur, 2, .uint(flags & 0x0100 != 0 ? 1 : 0), parent: f)
            packet.add(hf.dnskeyFlagsKeyRevoked, data, cur, 2, .uint(flags & 0x0080 != 0 ? 1 : 0), parent: f)
            packet.add(hf.dnskeyFlagsSecureEntryPoint, data, cur, 2, .uint(UInt64(flags & 0x0001)), parent: f)
            packet.add(hf.dnskeyFlagsReserved, data, cur, 2, .uint(UInt64(flags & 0xfe7e) >> 1), parent: f)
            try uint(&packet, hf.dnskeyProtocol, data, cur + 2, 1, parent: rr)
            let algorithm = try data.u8(cur + 3)
            packet.add(hf.dnskeyAlgorithm, data, cur + 3, 1, .uint(UInt64(algorithm)), parent: rr)
            try keyID(&packet, hf.dnskeyKeyId, data, r.start, len, algorithm, parent: rr)
            try bytes(&packet, hf.dnskeyPublicKey, data, cur + 4, len - 4, parent: rr)

        case 49: // DHCID
            infoAppendRawOwner(&packet, r.owner)
            try bytes(&packet, hf.dhcidRdata, data, cur, len, parent: rr)

        case 50: // NSEC3 (RFC 5155 §3)
            try uint(&packet, hf.nsec3Algo, data, cur, 1, parent: rr)
            let flags = try data.u8(cur + 1)
            let f = packet.add(hf.nsec3Flags, data, cur + 1, 1, .uint(UInt64(flags)), parent: rr)
            packet.add(hf.nsec3FlagsOptOut, data, cur + 1, 1, .uint(UInt64(flags & 1)), parent: f)
            try uint(&packet, hf.nsec3Iterations, data, cur + 2, 2, parent: rr)
            let saltLength = Int(try data.u8(cur + 4))
            packet.add(hf.nsec3SaltLength, data, cur + 4, 1, .uint(UInt64(saltLength)), parent: rr)
            try bytes(&packet, hf.nsec3SaltValue, data, cur + 5, saltLength, parent: rr)
            cur += 5 + saltLength
            let hashLength = Int(try data.u8(cur))
            packet.add(hf.nsec3HashLength, data, cur, 1, .uint(UInt64(hashLength)), parent: rr)
            cur += 1
            if hashLength > 0 {
                let hash = try Self.base32hex(data, cur, hashLength)
                if packet.wants(hf.nsec3HashValue) {
                    packet.add(hf.nsec3HashValue, data, cur, hashLength, packet.text(hash),
                               parent: rr, flags: .generated)
                }
                cur += hashLength
            }
            try typeBitmap(&packet, data, cur, len - (cur - r.start), parent: rr)

        case 51: // NSEC3PARAM
            infoAppendRawOwner(&packet, r.owner)
            try uint(&packet, hf.nsec3Algo, data, cur, 1, parent: rr)
            try uint(&packet, hf.nsec3Flags, data, cur + 1, 1, parent: rr)
            try uint(&packet, hf.nsec3Iterations, data, cur + 2, 2, parent: rr)
            let saltLength = Int(try data.u8(cur + 4))
            packet.add(hf.nsec3SaltLength, data, cur + 4, 1, .uint(UInt64(saltLength)), parent: rr)
            try bytes(&packet, hf.nsec3SaltValue, data, cur + 5, saltLength, parent: rr)

        case 52: // TLSA (RFC 6698)
            infoAppendRawOwner(&packet, r.owner)
            try uint(&packet, hf.tlsaCertificateUsage, data, cur, 1, parent: rr)
            try uint(&packet, hf.tlsaSelector, data, cur + 1, 1, parent: rr)
            try uint(&packet, hf.tlsaMatchingType, data, cur + 2, 1, parent: rr)
            try bytes(&packet, hf.tlsaCertificateAssociationData, data, cur + 3, len - 3, parent: rr)

        case 55: // HIP (RFC 5205)
            infoAppendRawOwner(&packet, r.owner)
            let hitLength = Int(try data.u8(cur))
            packet.add(hf.hipHitLength, data, cur, 1, .uint(UInt64(hitLength)), parent: rr)
            try uint(&packet, hf.hipHitPkAlgo, data, cur + 1, 1, parent: rr)
            let pkLength = Int(try data.u16(cur + 2))
            packet.add(hf.hipPkLength, data, cur + 2, 2, .uint(UInt64(pkLength)), parent: rr)
            cur += 4
            try bytes(&packet, hf.hipHit, data, cur, hitLength, parent: rr)
            cur += hitLength
            try bytes(&packet, hf.hipPk, data, cur, pkLength, parent: rr)
            cur += pkLength
            var left = len - 4 - hitLength - pkLength
            while left > 1 {
                let n = try name(&packet, hf.hipRendezvousServer, data, cur, ctx, into: &target, parent: rr)
                cur += n.used
                left -= n.used
            }

        case 61: // OPENPGPKEY
            try string(&packet, hf.openpgpkey, data, cur, len, parent: rr)

        case 62: // CSYNC (RFC 7477)
            try uint(&packet, hf.csyncSoa, data, cur, 4, parent: rr)
            let flags = try data.u16(cur + 4)
            let f = packet.add(hf.csyncFlags, data, cur + 4, 2, .uint(UInt64(flags)), parent: rr)
            packet.add(hf.csyncFlagsImmediate, data, cur + 4, 2, .uint(UInt64(flags & 1)), parent: f)
            packet.add(hf.csyncFlagsSoaminimum, data, cur + 4, 2, .uint(UInt64(flags >> 1 & 1)), parent: f)
            try bytes(&packet, hf.csyncTypeBitmap, data, cur + 6, len - 6, parent: rr)
            try typeBitmap(&packet, data, cur + 6, len - 6, parent: rr)

        case 63: // ZONEMD (RFC 8976)
            try uint(&packet, hf.zonemdSerial, data, cur, 4, parent: rr)
            try uint(&packet, hf.zonemdScheme, data, cur + 4, 1, parent: rr)
            try uint(&packet, hf.zonemdHashAlgo, data, cur + 5, 1, parent: rr)
            try bytes(&packet, hf.zonemdDigest, data, cur + 6, len - 6, parent: rr)

        case 64, 65: // SVCB, HTTPS (draft-ietf-dnsop-svcb-https)
            try dissectSVCB(&packet, data, r, ctx)

        case 104, 106: // NID, L64 (RFC 6742)
            try uint(&packet, r.type == 104 ? hf.ilnpNidPreference : hf.ilnpL64Preference, data, cur, 2, parent: rr)
            try bytes(&packet, r.type == 104 ? hf.ilnpNid : hf.ilnpL64, data, cur + 2, 8, parent: rr)

        case 105: // L32
            try uint(&packet, hf.ilnpL32Preference, data, cur, 2, parent: rr)
            packet.add(hf.ilnpL32, data, cur + 2, 4, .ipv4(try data.u32(cur + 2)), parent: rr)

        case 107: // LP
            try uint(&packet, hf.ilnpLpPreference, data, cur, 2, parent: rr)
            try name(&packet, hf.ilnpLp, data, cur + 2, ctx, into: &target, parent: rr)

        case 108: // EUI48 (RFC 7043)
            packet.add(hf.eui48, data, cur, 6, .ether(try data.u48(cur)), parent: rr)

        case 109: // EUI64
            let v = try data.u64(cur)
            if packet.wants(hf.eui64) {
                var parts: [String] = []
                for i in stride(from: 56, through: 0, by: -8) {
                    parts.append(FieldFormatter.hex(v >> UInt64(i) & 0xff, digits: 2))
                }
                let text = parts.joined(separator: ":")
                let n = packet.add(hf.eui64, data, cur, 8, packet.text(text), parent: rr)
                if packet.buildsFullTree { packet.setLabel(n, "EUI64 Address: " + text + " (" + text + ")") }
            }

        case 249: // TKEY (RFC 2930)
            let n = try name(&packet, hf.tkeyAlgoName, data, cur, ctx, into: &target, parent: rr)
            cur += n.used
            try time(&packet, hf.tkeySignatureInception, data, cur, parent: rr)
            try time(&packet, hf.tkeySignatureExpiration, data, cur + 4, parent: rr)
            let mode = try data.u16(cur + 8)
            packet.add(hf.tkeyMode, data, cur + 8, 2, .uint(UInt64(mode)), parent: rr)
            try uint(&packet, hf.tkeyError, data, cur + 10, 2, parent: rr)
            let keyLength = Int(try data.u16(cur + 12))
            packet.add(hf.tkeyKeySize, data, cur + 12, 2, .uint(UInt64(keyLength)), parent: rr)
            cur += 14
            if keyLength != 0 {
                try bytes(&packet, hf.tkeyKeyData, data, cur, keyLength, parent: rr)
                cur += keyLength
            }
            let otherLength = Int(try data.u16(cur))
            packet.add(hf.tkeyOtherSize, data, cur, 2, .uint(UInt64(otherLength)), parent: rr)
            if otherLength != 0 { try bytes(&packet, hf.tkeyOtherData, data, cur + 2, otherLength, parent: rr) }

        case 250: // TSIG (RFC 8945)
            let n = try name(&packet, hf.tsigAlgorithmName, data, cur, ctx, into: &target, parent: rr)
            cur += n.used
            let high = try data.u16(cur)
            let v = try data.u48(cur)
            if packet.wants(hf.tsigTimeSigned) {
                let t = packet.add(hf.tsigTimeSigned, data, cur, 6,
                                   .absoluteTime(Timestamp(seconds: Int64(v), nanoseconds: 0)), parent: rr)
                if high != 0 { packet.appendLabel(t, " (high bits set)") }
            }
            try uint(&packet, hf.tsigFudge, data, cur + 6, 2, parent: rr)
            let macSize = Int(try data.u16(cur + 8))
            packet.add(hf.tsigMacSize, data, cur + 8, 2, .uint(UInt64(macSize)), parent: rr)
            cur += 10
            if macSize != 0 {
                let mac = packet.add(hf.tsigMac, data, cur, macSize, .none, parent: rr)
                // No MAC dissector is registered for any algorithm.
                // The message carries the raw name (up to a NUL), not its printed form.
                let raw = n.literal.map { Array($0.description.utf8) } ?? Array(target.prefix { $0 != 0 })
                packet.addExpert(hf.eiTSIGAlgorithm, parent: mac, data, cur, macSize,
                                 message: "No dissector for algorithm:" + String(decoding: raw, as: UTF8.self))
                cur += macSize
            }
            try uint(&packet, hf.tsigOriginalId, data, cur, 2, parent: rr)
            try uint(&packet, hf.tsigError, data, cur + 2, 2, parent: rr)
            let otherLength = Int(try data.u16(cur + 4))
            packet.add(hf.tsigOtherLen, data, cur + 4, 2, .uint(UInt64(otherLength)), parent: rr)
            if otherLength != 0 { try bytes(&packet, hf.tsigOtherData, data, cur + 6, otherLength, parent: rr) }

        case 257: // CAA (RFC 8659)
            let flags = try data.u8(cur)
            let f = packet.add(hf.caaFlags, data, cur, 1, .uint(UInt64(flags)), parent: rr)
            packet.add(hf.caaFlagsIssuerCritical, data, cur, 1, .uint(UInt64(flags >> 7)), parent: f)
            cur += 1
            let tagLength = Int(try data.u8(cur))
            try data.check(cur + 1, tagLength)
            // tshark computes the value length as a 16-bit number.
            let valueLength = (len - (tagLength + 2)) & 0xffff
            try data.check(cur + 1 + tagLength, valueLength)
            var tagBytes = Self.asciiDecoded(data, cur + 1, tagLength)
            if let z = tagBytes.firstIndex(of: 0) { tagBytes.removeSubrange(z...) }
            let tag = MailLabel.formatText(tagBytes, asciiOnly: false)
            // tshark formats the first value-length bytes of the decoded value, in which each
            // byte over 0x7f has become a 3-byte U+FFFD.
            var decoded = Self.asciiDecoded(data, cur + 1 + tagLength, valueLength)
            if decoded.count > valueLength { decoded.removeSubrange(valueLength...) }
            let value = MailLabel.formatText(decoded, asciiOnly: false)
            let tagRaw = data.buffer[(cur + 1)..<(cur + 1 + tagLength)]
            let field: FieldID
            if Self.isPrefix(tagRaw, of: "issue") {
                field = hf.caaIssue
            } else if Self.isPrefix(tagRaw, of: "issuewild") {
                field = hf.caaIssuewild
            } else if Self.isPrefix(tagRaw, of: "iodef") {
                field = hf.caaIodef
            } else {
                field = hf.caaUnknown
            }
            let item = packet.addMailText(field, data, cur, 1 + tagLength + valueLength, value, parent: rr)
            packet.add(hf.caaTagLength, data, cur, 1, .uint(UInt64(tagLength)), parent: item)
            packet.addMailText(hf.caaTag, data, cur + 1, tagLength, tag, parent: item)
            packet.addMailText(hf.caaValue, data, cur + 1 + tagLength, valueLength, value, parent: item)

        case 65281: // WINS (Microsoft)
            try uint(&packet, hf.winsLocalFlag, data, cur, 4, parent: rr)
            try uint(&packet, hf.winsLookupTimeout, data, cur + 4, 4, parent: rr)
            try uint(&packet, hf.winsCacheTimeout, data, cur + 8, 4, parent: rr)
            var servers = try data.u32(cur + 12)
            packet.add(hf.winsNbWinsServers, data, cur + 12, 4, .uint(UInt64(servers)), parent: rr)
            cur += 16
            var left = len - 16
            while left != 0 && servers != 0 {
                packet.add(hf.winsWinsServer, data, cur, 4, .ipv4(try data.u32(cur)), parent: rr)
                cur += 4
                left -= 4
                servers -= 1
            }

        case 65282: // WINS-R
            try uint(&packet, hf.winsrLocalFlag, data, cur, 4, parent: rr)
            try uint(&packet, hf.winsrLookupTimeout, data, cur + 4, 4, parent: rr)
            try uint(&packet, hf.winsrCacheTimeout, data, cur + 8, 4, parent: rr)
            let n = try name(&packet, hf.winsrNameResultDomain, data, cur + 12, ctx, into: &target, parent: rr)
            infoAppend(&packet, n, target)
            if packet.buildsFullTree { appendToRecord(&packet, rr, ", name result domain " + n.text(target)) }

        case 65422: // XPF (draft-bellis-dnsop-xpf)
            let version = try data.u8(cur)
            packet.add(hf.xpfIpVersion, data, cur, 1, .uint(UInt64(version)), parent: rr)
            cur += 1
            let addressSize: Int
            switch version {
            case 4: addressSize = 4
            case 6: addressSize = 16
            default: return
            }
            try uint(&packet, hf.xpfProtocol, data, cur, 1, parent: rr)
            cur += 1
            for f in addressSize == 4 ? [hf.xpfSourceIpv4, hf.xpfDestinationIpv4]
                : [hf.xpfSourceIpv6, hf.xpfDestinationIpv6] {
                let v: FieldValue = addressSize == 4 ? .ipv4(try data.u32(cur)) : .ipv6(try IPv6Address(data, at: cur))
                packet.add(f, data, cur, addressSize, v, parent: rr)
                cur += addressSize
            }
            try uint(&packet, hf.xpfSport, data, cur, 2, parent: rr)
            try uint(&packet, hf.xpfDport, data, cur + 2, 2, parent: rr)

        default:
            packet.addExpert(hf.eiUndecoded, parent: rr, message: "Dissector for DNS Type (\(r.type)) code not "
                             + "implemented, Contact Wireshark developers if you want this supported")
            try bytes(&packet, hf.data, data, cur, len, parent: rr)
        }
    }
}
