import DissectKit

/// Fields and shared helpers of the IPv6 extension headers (RFC 8200 §4) and IPsec headers.
final class IPv6ExtensionHeaders {
    struct Fields {
        var hopProto = FieldID.textOnly
        var dstProto = FieldID.textOnly
        var routingProto = FieldID.textOnly
        var fragProto = FieldID.textOnly
        var ahProto = FieldID.textOnly
        var espProto = FieldID.textOnly
        // (next header, length, length in octets) for hop-by-hop, destination options, routing
        var hopNxt = FieldID.textOnly, hopLen = FieldID.textOnly, hopLenOct = FieldID.textOnly
        var dstNxt = FieldID.textOnly, dstLen = FieldID.textOnly, dstLenOct = FieldID.textOnly
        var rtNxt = FieldID.textOnly, rtLen = FieldID.textOnly, rtLenOct = FieldID.textOnly
        var rtType = FieldID.textOnly
        var rtSegLeft = FieldID.textOnly
        var rtUnknown = FieldID.textOnly
        var rtSrcReserved = FieldID.textOnly
        var rtSrcAddr = FieldID.textOnly
        var rtMipReserved = FieldID.textOnly
        var rtMipHome = FieldID.textOnly
        var rtSrhLastEntry = FieldID.textOnly
        var rtSrhFlags = FieldID.textOnly
        var rtSrhTag = FieldID.textOnly
        var rtSrhAddr = FieldID.textOnly
        var fragNxt = FieldID.textOnly
        var fragReserved = FieldID.textOnly
        var fragOffset = FieldID.textOnly
        var fragReservedBits = FieldID.textOnly
        var fragMore = FieldID.textOnly
        var fragIdent = FieldID.textOnly
        // options
        var opt = FieldID.textOnly
        var optType = FieldID.textOnly
        var optAction = FieldID.textOnly
        var optChange = FieldID.textOnly
        var optRest = FieldID.textOnly
        var optLength = FieldID.textOnly
        var optPad1 = FieldID.textOnly
        var optPadN = FieldID.textOnly
        var optRouterAlert = FieldID.textOnly
        var optTEL = FieldID.textOnly
        var optJumbo = FieldID.textOnly
        var optHomeAddress = FieldID.textOnly
        var optExperimental = FieldID.textOnly
        var optUnknown = FieldID.textOnly
        var optUnknownData = FieldID.textOnly
        // AH / ESP
        var ahNext = FieldID.textOnly
        var ahLength = FieldID.textOnly
        var ahReserved = FieldID.textOnly
        var ahSPI = FieldID.textOnly
        var ahSequence = FieldID.textOnly
        var ahICV = FieldID.textOnly
        var espSPI = FieldID.textOnly
        var espSequence = FieldID.textOnly
        // expert infos
        var eiRoutingDeprecated = FieldID.textOnly
        var eiRoutingUndecoded = FieldID.textOnly
        var eiOptInvalidLen = FieldID.textOnly
        var eiOptUnknownData = FieldID.textOnly
        var eiHopNotFirst = FieldID.textOnly
    }
    var hf = Fields()
    unowned let ipv6: IPv6Dissector

    static let optionNames: [UInt64: String] = [
        0x00: "Pad1", 0x01: "PadN", 0x04: "Tunnel Encapsulation Limit", 0x05: "Router Alert", 0x07: "CALIPSO",
        0x08: "SMF_DPD", 0x0f: "Performance and Diagnostic Metrics", 0x26: "Quick-Start", 0x30: "Path MTU Option",
        0x31: "IOAM Option", 0x41: "Tunnel Payload Forwarding (TPF) Information", 0x63: "RPL Option",
        0x6d: "MPL Option", 0x8a: "Endpoint Identification", 0x8b: "ILNP Nonce", 0x8c: "Line-Identification Option",
        0xc2: "Jumbo Payload", 0xc9: "Home Address", 0xee: "IP_DFF",
        0x1e: "Experimental (0x1E)", 0x3e: "Experimental (0x3E)", 0x5e: "Experimental (0x5E)",
        0x7e: "Experimental (0x7E)", 0x9e: "Experimental (0x9E)", 0xbe: "Experimental (0xBE)",
        0xde: "Experimental (0xDE)", 0xfe: "Experimental (0xFE)",
    ]

    static let routingTypeNames: [UInt64: String] = [
        0: "Source Route", 1: "Nimrod", 2: "Type 2 Routing", 3: "RPL Source Route", 4: "Segment Routing",
        5: "Compact Routing Header 16", 6: "Compact Routing Header 32", 253: "Experiment 1", 254: "Experiment 2",
    ]

    init(_ r: Registrar, ipv6: IPv6Dissector) {
        self.ipv6 = ipv6
        let hop = r.registerProtocol(name: "IPv6 Hop-by-Hop Option", shortName: "IPv6 Hop-by-Hop", abbrev: "ipv6.hopopts")
        let dst = r.registerProtocol(name: "Destination Options for IPv6", shortName: "IPv6 Destination",
                                     abbrev: "ipv6.dstopts")
        let rt = r.registerProtocol(name: "Routing Header for IPv6", shortName: "IPv6 Routing", abbrev: "ipv6.routing")
        let fr = r.registerProtocol(name: "Fragment Header for IPv6", shortName: "IPv6 Fragment", abbrev: "ipv6.fraghdr")
        let ah = r.registerProtocol(name: "Authentication Header", shortName: "AH", abbrev: "ah")
        let esp = r.registerProtocol(name: "Encapsulating Security Payload", shortName: "ESP", abbrev: "esp")
        hf.hopProto = hop; hf.dstProto = dst; hf.routingProto = rt; hf.fragProto = fr; hf.ahProto = ah; hf.espProto = esp
        let names = ValueStrings.values(IPProtocolNames.names)
        let lenBlurb = "Extension header length in 8-octet words (minus 1)"
        hf.hopNxt = r.field("Next Header", "ipv6.hopopts.nxt", .uint8, .dec, strings: names, in: hop)
        hf.hopLen = r.field("Length", "ipv6.hopopts.len", .uint8, .dec, blurb: lenBlurb, in: hop)
        hf.hopLenOct = r.field("Length", "ipv6.hopopts.len_oct", .uint16, .dec, in: hop)
        hf.dstNxt = r.field("Next Header", "ipv6.dstopts.nxt", .uint8, .dec, strings: names, in: dst)
        hf.dstLen = r.field("Length", "ipv6.dstopts.len", .uint8, .dec, blurb: lenBlurb, in: dst)
        hf.dstLenOct = r.field("Length", "ipv6.dstopts.len_oct", .uint16, .dec, in: dst)
        hf.rtNxt = r.field("Next Header", "ipv6.routing.nxt", .uint8, .dec, strings: names, in: rt)
        hf.rtLen = r.field("Length", "ipv6.routing.len", .uint8, .dec, blurb: lenBlurb, in: rt)
        hf.rtLenOct = r.field("Length", "ipv6.routing.len_oct", .uint16, .dec, in: rt)
        hf.rtType = r.field("Type", "ipv6.routing.type", .uint8, .dec, strings: .values(Self.routingTypeNames),
                            blurb: "Routing Header Type", in: rt)
        hf.rtSegLeft = r.field("Segments Left", "ipv6.routing.segleft", .uint8, .dec, in: rt)
        hf.rtUnknown = r.field("Type-Specific Data", "ipv6.routing.unknown_data", .bytes, in: rt)
        hf.rtSrcReserved = r.field("Reserved", "ipv6.routing.src.reserved", .bytes, in: rt)
        hf.rtSrcAddr = r.field("Address", "ipv6.routing.src.addr", .ipv6, in: rt)
        hf.rtMipReserved = r.field("Reserved", "ipv6.routing.mipv6.reserved", .bytes, in: rt)
        hf.rtMipHome = r.field("Home Address", "ipv6.routing.mipv6.home_address", .ipv6, in: rt)
        hf.rtSrhLastEntry = r.field("Last Entry", "ipv6.routing.srh.last_entry", .uint8, .dec, in: rt)
        hf.rtSrhFlags = r.field("Flags", "ipv6.routing.srh.flags", .uint8, .hex, in: rt)
        hf.rtSrhTag = r.field("Tag", "ipv6.routing.srh.tag", .bytes, in: rt)
        hf.rtSrhAddr = r.field("Address", "ipv6.routing.srh.addr", .ipv6, in: rt)
        hf.fragNxt = r.field("Next header", "ipv6.fraghdr.nxt", .uint8, .dec, strings: names, in: fr)
        hf.fragReserved = r.field("Reserved octet", "ipv6.fraghdr.reserved_octet", .uint8, .hex, in: fr)
        hf.fragOffset = r.field("Offset", "ipv6.fraghdr.offset", .uint16, .dec, bitmask: 0xfff8, in: fr)
        hf.fragReservedBits = r.field("Reserved bits", "ipv6.fraghdr.reserved_bits", .uint16, .dec, bitmask: 0x6, in: fr)
        hf.fragMore = r.field("More Fragments", "ipv6.fraghdr.more", .boolean, strings: .trueFalse("Yes", "No"),
                              bitmask: 0x1, bitWidth: 16, in: fr)
        hf.fragIdent = r.field("Identification", "ipv6.fraghdr.ident", .uint32, .hex, in: fr)

        let p = ipv6.hf.proto
        hf.opt = r.field("IPv6 Option", "ipv6.opt", .none, in: p)
        hf.optType = r.field("Type", "ipv6.opt.type", .uint8, .hex, strings: .values(Self.optionNames), in: p)
        hf.optAction = r.field("Action", "ipv6.opt.type.action", .uint8, .dec,
                               strings: .values([0: "Skip and continue", 1: "Discard", 2: "Discard and send ICMP Parameter Problem",
                                                 3: "Discard and send ICMP if not multicast"]),
                               bitmask: 0xc0, in: p)
        hf.optChange = r.field("May Change", "ipv6.opt.type.change", .boolean, strings: .trueFalse("Yes", "No"),
                               bitmask: 0x20, bitWidth: 8, in: p)
        hf.optRest = r.field("Low-Order Bits", "ipv6.opt.type.rest", .uint8, .hex, bitmask: 0x1f, in: p)
        hf.optLength = r.field("Length", "ipv6.opt.length", .uint8, .dec, in: p)
        hf.optPad1 = r.field("Pad1", "ipv6.opt.pad1", .none, in: p)
        hf.optPadN = r.field("PadN", "ipv6.opt.padn", .bytes, in: p)
        hf.optRouterAlert = r.field("Router Alert", "ipv6.opt.router_alert", .uint16, .dec,
                                    strings: .values([0: "MLD", 1: "RSVP", 2: "Active Network"]), in: p)
        hf.optTEL = r.field("Tunnel Encapsulation Limit", "ipv6.opt.tel", .uint8, .dec, in: p)
        hf.optJumbo = r.field("Payload Length", "ipv6.opt.jumbo", .uint32, .dec, in: p)
        hf.optHomeAddress = r.field("MIPv6 Home Address", "ipv6.opt.mipv6.home_address", .ipv6, in: p)
        hf.optExperimental = r.field("Experimental Option", "ipv6.opt.experimental", .bytes, in: p)
        hf.optUnknown = r.field("Unknown Option Payload", "ipv6.opt.unknown", .bytes, in: p)
        hf.optUnknownData = r.field("Unknown Data", "ipv6.opt_unknown_data", .bytes, in: p)

        hf.ahNext = r.field("Next header", "ah.next_header", .uint8, .dec, strings: names, in: ah)
        hf.ahLength = r.field("Length", "ah.length", .uint8, .dec, in: ah)
        hf.ahReserved = r.field("Reserved", "ah.reserved", .bytes, in: ah)
        hf.ahSPI = r.field("AH SPI", "ah.spi", .uint32, .hex, in: ah)
        hf.ahSequence = r.field("AH Sequence", "ah.sequence", .uint32, .dec, in: ah)
        hf.ahICV = r.field("AH ICV", "ah.icv", .bytes, in: ah)
        hf.espSPI = r.field("ESP SPI", "esp.spi", .uint32, .hexDec, in: esp)
        hf.espSequence = r.field("ESP Sequence", "esp.sequence", .uint32, .dec, in: esp)

        hf.eiRoutingDeprecated = r.expert("ipv6.routing.deprecated", "Routing header type is deprecated", .note,
                                          .deprecated, in: rt)
        hf.eiRoutingUndecoded = r.expert("ipv6.routing.undecoded", "Undecoded IPv6 routing header field", .note,
                                         .undecoded, in: rt)
        hf.eiHopNotFirst = r.expert("ipv6.hopopts.not_first",
                                    "IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header",
                                    .error, .protocol, in: hop)
        hf.eiOptInvalidLen = r.expert("ipv6.opt.invalid_len", "Invalid IPv6 option length", .error, .malformed, in: p)
        hf.eiOptUnknownData = r.expert("ipv6.opt.unknown_data.expert", "Unknown Data (not interpreted)", .note,
                                       .undecoded, in: p)
    }

    /// "Next Header", "Length" and "[Length: N bytes]", common to hop-by-hop, destination
    /// options and routing headers.
    func addCommon(_ packet: inout PacketContext, _ data: ByteView, nxt: FieldID, len: FieldID, lenOct: FieldID,
                   parent: TreeNode) throws(Malformed) -> (next: UInt8, length: Int) {
        let n = try data.u8(0)
        let l = try data.u8(1)
        let octets = (Int(l) + 1) * 8
        packet.add(nxt, data, 0, 1, .uint(UInt64(n)), parent: parent)
        packet.add(len, data, 1, 1, .uint(UInt64(l)), parent: parent)
        let o = packet.addGenerated(lenOct, .uint(UInt64(octets)), parent: parent, at: data, 1, 1)
        if packet.buildsFullTree { packet.setLabel(o, "Length: \(octets) bytes") }
        return (n, octets)
    }
}

/// Hop-by-hop (next header 0) and destination options (60) headers: TLV-encoded options.
final class IPv6OptionsHeader: Dissector {
    let ext: IPv6ExtensionHeaders
    let hopByHop: Bool

    init(_ ext: IPv6ExtensionHeaders, hopByHop: Bool) {
        self.ext = ext
        self.hopByHop = hopByHop
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let hf = ext.hf
        let under = ext.ipv6.extensionParent(packet, parent)
        let length = (Int(try data.u8(1)) + 1) * 8
        let top = packet.addProtocol(hopByHop ? hf.hopProto : hf.dstProto, data, 0, min(length, data.count), parent: under)
        IPv6Dissector.appendInfo(&packet, hopByHop ? "IPv6 hop-by-hop options" : "IPv6 destination options")
        if hopByHop && !ext.ipv6.followsHeader(packet, data) {
            packet.addExpert(hf.eiHopNotFirst, parent: top, data, 0, min(length, data.count))
        }
        let (nxt, _) = try ext.addCommon(&packet, data, nxt: hopByHop ? hf.hopNxt : hf.dstNxt,
                                         len: hopByHop ? hf.hopLen : hf.dstLen,
                                         lenOct: hopByHop ? hf.hopLenOct : hf.dstLenOct, parent: top)
        let header = try data.slice(0, length)
        var off = 2
        while off < length {
            let type = try header.u8(off)
            // tshark reads the length byte before it looks at the type, so a Pad1 in the last
            // byte of the data is an exception; keep that.
            _ = try data.u8(off + 1)
            let name = IPv6ExtensionHeaders.optionNames[UInt64(type)] ?? "Unknown IPv6 Option (\(type))"
            if type == 0 {
                let item = packet.add(hf.opt, header, off, 1, .none, parent: top)
                if packet.buildsFullTree { packet.setLabel(item, "Pad1") }
                packet.add(hf.optType, header, off, 1, .uint(0), parent: item)
                packet.add(hf.optPad1, header, off, 1, .none, parent: item)
                off += 1
                continue
            }
            let olen = Int(try header.u8(off + 1))
            let body = try header.slice(off + 2, olen)
            let item = packet.add(hf.opt, header, off, olen + 2, .none, parent: top)
            if packet.buildsFullTree { packet.setLabel(item, name) }
            let t = packet.add(hf.optType, header, off, 1, .uint(UInt64(type)), parent: item)
            packet.add(hf.optAction, header, off, 1, .uint(UInt64(type >> 6)), parent: t)
            packet.add(hf.optChange, header, off, 1, .bool(type & 0x20 != 0), parent: t)
            packet.add(hf.optRest, header, off, 1, .uint(UInt64(type & 0x1f)), parent: t)
            let lNode = packet.add(hf.optLength, header, off + 1, 1, .uint(UInt64(olen)), parent: item)
            try dissectOption(&packet, type, body, lengthNode: lNode, parent: item)
            off += 2 + olen
        }
        let payload = data.suffix(from: length)
        ext.ipv6.dispatch(&packet, nxt, payload)
        return .consumed(data.count)
    }

    func dissectOption(_ packet: inout PacketContext, _ type: UInt8, _ body: ByteView, lengthNode: TreeNode,
                       parent: TreeNode) throws(Malformed) {
        let hf = ext.hf
        switch type {
        case 0x01:
            let n = packet.add(hf.optPadN, body, 0, body.count, .bytes, parent: parent)
            if body.count == 0 && packet.buildsFullTree { packet.setLabel(n, "PadN: <none>") }
        case 0x05:
            if body.count != 2 {
                packet.addExpert(hf.eiOptInvalidLen, parent: lengthNode, message: "Router alert: Invalid Length (\(body.count) bytes)")
            }
            packet.add(hf.optRouterAlert, body, 0, 2, .uint(UInt64(try body.u16(0))), parent: parent)
            if body.count > 2 { addUnknownData(&packet, body, 2, parent: parent) }
        case 0x04:
            packet.add(hf.optTEL, body, 0, 1, .uint(UInt64(try body.u8(0))), parent: parent)
        case 0xc2:
            packet.add(hf.optJumbo, body, 0, 4, .uint(UInt64(try body.u32(0))), parent: parent)
        case 0xc9:
            packet.add(hf.optHomeAddress, body, 0, 16, .ipv6(try IPv6Address(body, at: 0)), parent: parent)
        case 0x1e, 0x3e, 0x5e, 0x7e, 0x9e, 0xbe, 0xde, 0xfe:
            packet.add(hf.optExperimental, body, 0, body.count, .bytes, parent: parent)
        default:
            let n = packet.add(hf.optUnknown, body, 0, body.count, .bytes, parent: parent)
            packet.addExpert(hf.eiOptUnknownData, parent: n, body, 0, body.count)
        }
    }

    func addUnknownData(_ packet: inout PacketContext, _ body: ByteView, _ off: Int, parent: TreeNode) {
        let n = packet.add(ext.hf.optUnknownData, body, off, body.count - off, .bytes, parent: parent)
        packet.addExpert(ext.hf.eiOptUnknownData, parent: n, body, off, body.count - off)
    }
}

/// Routing header (43): type 0 source route (deprecated, RFC 5095), type 2 (Mobile IPv6),
/// type 4 segment routing (RFC 8754). The Destination column shows the final destination.
final class IPv6RoutingHeader: Dissector {
    let ext: IPv6ExtensionHeaders
    init(_ ext: IPv6ExtensionHeaders) { self.ext = ext }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let hf = ext.hf
        let under = ext.ipv6.extensionParent(packet, parent)
        let length = (Int(try data.u8(1)) + 1) * 8
        let type = try data.u8(2)
        let typeName = IPv6ExtensionHeaders.routingTypeNames[UInt64(type)] ?? "Unknown type \(type)"
        let top = packet.addProtocol(hf.routingProto, data, 0, min(length, data.count), parent: under,
                                     text: "Routing Header for IPv6 (\(typeName))")
        IPv6Dissector.appendInfo(&packet, "IPv6 routing")
        let (nxt, _) = try ext.addCommon(&packet, data, nxt: hf.rtNxt, len: hf.rtLen, lenOct: hf.rtLenOct, parent: top)
        let tNode = packet.add(hf.rtType, data, 2, 1, .uint(UInt64(type)), parent: top)
        let segLeft = try data.u8(3)
        let header = try data.slice(0, length)
        switch type {
        case 0:
            packet.addExpert(hf.eiRoutingDeprecated, parent: tNode, data, 2, 1)
            packet.add(hf.rtSegLeft, data, 3, 1, .uint(UInt64(segLeft)), parent: top)
            packet.add(hf.rtSrcReserved, header, 4, 4, .bytes, parent: top)
            var off = 8, i = 1
            var last: IPv6Address?
            while off + 16 <= length {
                let a = try IPv6Address(header, at: off)
                let n = packet.add(hf.rtSrcAddr, header, off, 16, .ipv6(a), parent: top)
                if packet.buildsFullTree { packet.setLabel(n, "Address[\(i)]: " + FieldFormatter.ipv6String(a)) }
                last = a
                off += 16; i += 1
            }
            if segLeft > 0, let last { packet.netDst = .ipv6(last) }
        case 2:
            packet.add(hf.rtSegLeft, data, 3, 1, .uint(UInt64(segLeft)), parent: top)
            packet.add(hf.rtMipReserved, header, 4, 4, .bytes, parent: top)
            let a = try IPv6Address(header, at: 8)
            let n = packet.add(hf.rtMipHome, header, 8, 16, .ipv6(a), parent: top)
            if packet.buildsFullTree { packet.setLabel(n, "Address[1]: " + FieldFormatter.ipv6String(a)) }
            if segLeft > 0 { packet.netDst = .ipv6(a) }
        case 4:
            packet.add(hf.rtSegLeft, data, 3, 1, .uint(UInt64(segLeft)), parent: top)
            let lastEntry = Int(try header.u8(4))
            packet.add(hf.rtSrhLastEntry, header, 4, 1, .uint(UInt64(lastEntry)), parent: top)
            packet.add(hf.rtSrhFlags, header, 5, 1, .uint(UInt64(try header.u8(5))), parent: top)
            packet.add(hf.rtSrhTag, header, 6, 2, .bytes, parent: top)
            var off = 8
            for i in 0...lastEntry where off + 16 <= length {
                let a = try IPv6Address(header, at: off)
                let n = packet.add(hf.rtSrhAddr, header, off, 16, .ipv6(a), parent: top)
                if packet.buildsFullTree { packet.setLabel(n, "Address[\(i)]: " + FieldFormatter.ipv6String(a)) }
                if i == 0 && segLeft > 0 { packet.netDst = .ipv6(a) }
                off += 16
            }
        default:
            packet.add(hf.rtSegLeft, data, 3, 1, .uint(UInt64(segLeft)), parent: top)
            let n = packet.add(hf.rtUnknown, header, 4, length - 4, .bytes, parent: top)
            packet.addExpert(hf.eiRoutingUndecoded, parent: n, header, 4, length - 4)
        }
        ext.ipv6.dispatch(&packet, nxt, data.suffix(from: length))
        return .consumed(data.count)
    }
}

/// Fragment header (44): shows the fields and rebuilds the datagram in the frame that
/// completes it (`ipv6.defragment`).
final class IPv6FragmentHeader: Dissector {
    let ext: IPv6ExtensionHeaders
    init(_ ext: IPv6ExtensionHeaders) { self.ext = ext }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let hf = ext.hf
        let ipv6 = ext.ipv6
        let under = ipv6.extensionParent(packet, parent)
        let top = packet.addProtocol(hf.fragProto, data, 0, min(8, data.count), parent: under)
        let nxt = try data.u8(0)
        packet.add(hf.fragNxt, data, 0, 1, .uint(UInt64(nxt)), parent: top)
        packet.add(hf.fragReserved, data, 1, 1, .uint(UInt64(try data.u8(1))), parent: top)
        let word = try data.u16(2)
        let offset = Int(word >> 3) * 8
        let more = word & 1 != 0
        let oNode = packet.add(hf.fragOffset, data, 2, 2, .uint(UInt64(word >> 3)), parent: top)
        packet.appendLabel(oNode, " (\(offset) bytes)")
        packet.add(hf.fragReservedBits, data, 2, 2, .uint(UInt64((word >> 1) & 3)), parent: top)
        packet.add(hf.fragMore, data, 2, 2, .bool(more), parent: top)
        let ident = try data.u32(4)
        packet.add(hf.fragIdent, data, 4, 4, .uint(UInt64(ident)), parent: top)

        if !packet.info.isEmpty { packet.info.append(" , ") }
        packet.info.append("IPv6 fragment (off=")
        packet.info.append(UInt64(offset))
        packet.info.append(more ? " more=y ident=0x" : " more=n ident=0x")
        packet.info.appendHex(UInt64(ident), width: 8)
        packet.info.append(" nxt=")
        packet.info.append(UInt64(nxt))
        packet.info.append(")")

        let payload = data.suffix(from: 8)
        guard offset != 0 || more else {
            // An atomic fragment (RFC 6946) is a whole datagram.
            ipv6.dispatch(&packet, nxt, payload)
            return .consumed(data.count)
        }
        if ipv6.prefDefragment.boolValue && !packet.inErrorPacket && payload.count > 0
            && payload.count == packet.reportedLength(payload) {
            let cur = ipv6.current
            let key = IPFragmentTable.Key(src: cur.src, dst: cur.dst, id: ident, proto: 0)
            if let whole = ipv6.fragments.add(key, frame: packet.frame.number, offset: offset, data: payload, more: more) {
                let view = ipv6.hf.frag.show(whole, &packet, parent: under)
                ipv6.dispatch(&packet, nxt, view)
                return .consumed(data.count)
            }
        } else if offset == 0 {
            let saved = packet.fragmented
            packet.fragmented = more
            ipv6.dispatch(&packet, nxt, payload)
            packet.fragmented = saved
            return .consumed(data.count)
        }
        packet.callData(payload)
        return .consumed(data.count)
    }
}

/// IPsec Authentication Header (RFC 4302, next header 51): shown, then the protected payload.
final class AuthenticationHeader: Dissector {
    let ext: IPv6ExtensionHeaders
    init(_ ext: IPv6ExtensionHeaders) { self.ext = ext }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let hf = ext.hf
        let under = ext.ipv6.extensionParent(packet, parent)
        packet.protocolColumn = "AH"
        let nxt = try data.u8(0)
        let len = try data.u8(1)
        let total = (Int(len) + 2) * 4
        let spi = try data.u32(4)
        let top = packet.addProtocol(hf.ahProto, data, 0, min(total, data.count), parent: under)
        if !packet.info.isEmpty { packet.info.append(" , ") }
        packet.info.append("AH (SPI=0x")
        packet.info.appendHex(UInt64(spi), width: 8)
        packet.info.append(")")
        packet.add(hf.ahNext, data, 0, 1, .uint(UInt64(nxt)), parent: top)
        let l = packet.add(hf.ahLength, data, 1, 1, .uint(UInt64(len)), parent: top)
        packet.appendLabel(l, " (\(total) bytes)")
        packet.add(hf.ahReserved, data, 2, 2, .bytes, parent: top)
        packet.add(hf.ahSPI, data, 4, 4, .uint(UInt64(spi)), parent: top)
        packet.add(hf.ahSequence, data, 8, 4, .uint(UInt64(try data.u32(8))), parent: top)
        let icv = max(0, total - 12)
        try data.check(12, icv)
        packet.add(hf.ahICV, data, 12, icv, .bytes, parent: top)
        ext.ipv6.dispatch(&packet, nxt, data.suffix(from: total))
        return .consumed(data.count)
    }
}

/// IPsec Encapsulating Security Payload (RFC 4303, next header 50): SPI and sequence number;
/// the rest is opaque without keys.
final class EncapsulatingSecurityPayload: Dissector {
    let ext: IPv6ExtensionHeaders
    init(_ ext: IPv6ExtensionHeaders) { self.ext = ext }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let hf = ext.hf
        packet.protocolColumn = "ESP"
        let top = packet.addProtocol(hf.espProto, data, 0, data.count, parent: .root)
        let spi = try data.u32(0)
        packet.info.set("ESP (SPI=0x")
        packet.info.appendHex(UInt64(spi), width: 8)
        packet.info.append(")")
        packet.add(hf.espSPI, data, 0, 4, .uint(UInt64(spi)), parent: top)
        packet.add(hf.espSequence, data, 4, 4, .uint(UInt64(try data.u32(4))), parent: top)
        return .consumed(data.count)
    }
}
