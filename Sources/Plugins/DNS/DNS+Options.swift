import DissectKit

extension DNSDissector {
    /// EDNS0 options of an OPT record (RFC 6891 §6.1.2, codes from the IANA registry).
    func dissectOptions(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ length: Int,
                        parent rr: TreeNode) throws(Malformed) {
        var cur = start
        var left = length
        while left > 0 {
            let code = try data.u16(cur)
            let optionLength = Int(try data.u16(cur + 2))
            left -= 4
            let option = packet.add(hf.opt, data, cur, 4 + optionLength, .none, parent: rr)
            if packet.buildsFullTree && !option.isNone {
                packet.appendLabel(option, ": " + (DNSNames.ednsOptions[UInt64(code)] ?? "Unknown (\(code))"))
            }
            let codeNode = packet.add(hf.optCode, data, cur, 2, .uint(UInt64(code)), parent: option)
            let lengthNode = packet.add(hf.optLen, data, cur + 2, 2, .uint(UInt64(optionLength)), parent: option)
            cur += 4
            try bytes(&packet, hf.optData, data, cur, optionLength, parent: option)
            switch code {
            case 5, 6, 7: // DAU, DHU, N3U (RFC 6975): one algorithm number per byte
                let f = code == 5 ? hf.optDau : code == 6 ? hf.optDhu : hf.optN3u
                for _ in 0..<optionLength {
                    try uint(&packet, f, data, cur, 1, parent: option)
                    cur += 1
                    left -= 1
                }
            case 8, 0x50fa: // Client subnet (RFC 7871), and its pre-assignment code
                if code == 0x50fa {
                    packet.addExpert(hf.eiDeprecatedOpcode, parent: codeNode,
                                     message: "Deprecated opcode. Client subnet OPT assigned as 8.")
                }
                var addressLength = (optionLength - 4) & 0xffff
                let family = try data.u16(cur)
                packet.add(hf.optClientFamily, data, cur, 2, .uint(UInt64(family)), parent: option)
                try uint(&packet, hf.optClientNetmask, data, cur + 2, 1, parent: option)
                try uint(&packet, hf.optClientScope, data, cur + 3, 1, parent: option)
                cur += 4
                if addressLength > 16 {
                    packet.addExpert(hf.eiOptBadLength, parent: lengthNode)
                    addressLength = 16
                }
                var address = [UInt8](repeating: 0, count: 16)
                for i in 0..<addressLength { address[i] = try data.u8(cur + i) }
                switch family {
                case 1:
                    let v = UInt32(address[0]) << 24 | UInt32(address[1]) << 16 | UInt32(address[2]) << 8
                        | UInt32(address[3])
                    packet.add(hf.optClientAddr4, data, cur, addressLength, .ipv4(v), parent: option)
                case 2:
                    packet.add(hf.optClientAddr6, data, cur, addressLength, .ipv6(Self.ipv6(address)), parent: option)
                default:
                    try bytes(&packet, hf.optClientAddr, data, cur, optionLength - 4, parent: option)
                }
                cur += optionLength - 4
                left -= optionLength
            case 10: // COOKIE (RFC 7873): 8-byte client cookie, then the server's
                try bytes(&packet, hf.optCookieClient, data, cur, 8, parent: option)
                cur += 8
                left -= 8
                let rest = (optionLength - 8) & 0xffff
                try bytes(&packet, hf.optCookieServer, data, cur, rest, parent: option)
                cur += rest
                left -= rest
            case 11: // edns-tcp-keepalive (RFC 7828)
                if optionLength == 2 { try uint(&packet, hf.optEdnsTcpKeepaliveTimeout, data, cur, 2, parent: option) }
                cur += optionLength
                left -= optionLength
            case 12: // PADDING (RFC 7830)
                try bytes(&packet, hf.optPadding, data, cur, optionLength, parent: option)
                cur += optionLength
                left -= optionLength
            case 13: // CHAIN (RFC 7901)
                if optionLength > 0 { try string(&packet, hf.optChainFqdn, data, cur, optionLength, parent: option) }
                cur += optionLength
                left -= optionLength
            case 15: // Extended DNS Error (RFC 8914)
                if optionLength >= 2 {
                    try uint(&packet, hf.optExtErrorInfoCode, data, cur, 2, parent: option)
                    cur += 2
                    left -= 2
                    if optionLength > 2 {
                        try string(&packet, hf.optExtErrorExtraText, data, cur, optionLength - 2, utf8: true,
                                   parent: option)
                        cur += optionLength - 2
                        left -= optionLength - 2
                    }
                }
            default:
                cur += optionLength
                left -= optionLength
            }
        }
    }

    /// SVCB/HTTPS records: priority, target and the SvcParams with their presentation forms
    /// ("alpn=h2,h3", "port=8443"…).
    func dissectSVCB(_ packet: inout PacketContext, _ data: ByteView, _ r: DNSRecord, _ ctx: DNSMessageContext) throws(Malformed) {
        let rr = r.node
        var cur = r.start
        let priority = try data.u16(cur)
        packet.add(hf.svcbSvcpriority, data, cur, 2, .uint(UInt64(priority)), parent: rr)
        cur += 2
        let target = try name(&packet, hf.svcbTargetname, data, cur, ctx, into: &self.target, parent: rr)
        cur += target.used
        let full = packet.buildsFullTree
        while r.length > cur - r.start {
            // The SvcParam item first runs to the end of the data, which must not be empty.
            if cur >= data.count { throw Malformed() }
            let param = packet.add(hf.svcbSvcparam, data, cur, data.count - cur, .none, parent: rr)
            let key = try data.u16(cur)
            packet.add(hf.svcbSvcparamKey, data, cur, 2, .uint(UInt64(key)), parent: param)
            let length = Int(try data.u16(cur + 2))
            packet.add(hf.svcbSvcparamValueLength, data, cur + 2, 2, .uint(UInt64(length)), parent: param)
            setLength(&packet, param, length + 4)
            cur += 4
            // Each value is appended as it is read, so a cut parameter keeps what came before;
            // the line is cut at 239 bytes as tshark's `proto_item_append_text` cuts it.
            var label = "SvcParam"
            func appendParam(_ text: String) {
                guard full && !param.isNone else { return }
                label = MailLabel.appended(label, text)
                packet.setLabel(param, label)
            }
            appendParam(": " + DNSNames.svcbKeyName(key))
            func sep(_ first: Bool) -> String { first ? "=" : "," }
            switch key {
            case 0: // mandatory
                var i = 0
                while i < length {
                    let k = try data.u16(cur)
                    packet.add(hf.svcbSvcparamMandatoryKey, data, cur, 2, .uint(UInt64(k)), parent: param)
                    if full { appendParam(sep(i == 0) + DNSNames.svcbKeyName(k)) }
                    cur += 2
                    i += 2
                }
            case 1: // alpn
                var i = 0
                while i < length {
                    let n = Int(try data.u8(cur))
                    packet.add(hf.svcbSvcparamAlpnLength, data, cur, 1, .uint(UInt64(n)), parent: param)
                    cur += 1
                    try data.check(cur, n)
                    try string(&packet, hf.svcbSvcparamAlpn, data, cur, n, parent: param)
                    // The returned string is appended as is, up to a NUL.
                    if full {
                        var alpn = Self.asciiDecoded(data, cur, n)
                        if let z = alpn.firstIndex(of: 0) { alpn.removeSubrange(z...) }
                        appendParam(sep(i == 0) + String(decoding: alpn, as: UTF8.self))
                    }
                    cur += n
                    i += 1 + n
                }
            case 2: // no-default-alpn
                break
            case 3: // port
                let port = try data.u16(cur)
                packet.add(hf.svcbSvcparamPort, data, cur, 2, .uint(UInt64(port)), parent: param)
                if full { appendParam("=\(port)") }
                cur += 2
            case 4, 6: // ipv4hint, ipv6hint
                let size = key == 4 ? 4 : 16
                var i = 0
                while i < length {
                    let text1: String
                    if key == 4 {
                        let a = try data.u32(cur)
                        packet.add(hf.svcbSvcparamIpv4hintIp, data, cur, 4, .ipv4(a), parent: param)
                        text1 = full ? FieldFormatter.ipv4String(a) : ""
                    } else {
                        let a = try IPv6Address(data, at: cur)
                        packet.add(hf.svcbSvcparamIpv6hintIp, data, cur, 16, .ipv6(a), parent: param)
                        text1 = full ? FieldFormatter.ipv6String(a) : ""
                    }
                    if full { appendParam(sep(i == 0) + text1) }
                    cur += size
                    i += size
                }
            case 5, 32769: // echconfig, odohconfig: shown in base64
                try data.check(cur, length)
                let b64 = Self.base64(data, cur, length)
                let f = key == 5 ? hf.svcbSvcparamEchconfig : hf.svcbSvcparamOdohconfig
                let n = packet.add(f, data, cur, length, .bytes, parent: param)
                if full && !n.isNone { packet.setLabel(n, packet.registry[f].name + ": " + b64) }
                if full { appendParam("=" + b64) }
                cur += length
            default:
                if length > 0 {
                    try bytes(&packet, hf.svcbSvcparamValue, data, cur, length, parent: param)
                    try data.check(cur, length)
                    if full { appendParam("=" + MailLabel.formatText(data, cur, length, asciiOnly: false)) }
                    cur += length
                }
            }
        }
    }
}
