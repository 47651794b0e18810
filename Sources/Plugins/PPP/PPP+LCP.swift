import DissectKit

/// The PPP Link Control Protocol (RFC 1661 section 5): code, identifier, length, then the
/// configuration options (Configure-Request/Ack/Nak/Reject), a magic number (Echo, Discard,
/// Identification, Time-Remaining), or the rejected packet.
final class LCPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var magicNumber = FieldID.textOnly
        var data = FieldID.textOnly
        var message = FieldID.textOnly
        var secondsRemaining = FieldID.textOnly
        var rejectedProtocol = FieldID.textOnly
        var optType = FieldID.textOnly
        var optLength = FieldID.textOnly
        var optOUI = FieldID.textOnly
        var optKind = FieldID.textOnly
        var optData = FieldID.textOnly
        var optMRU = FieldID.textOnly
        var optACCM = FieldID.textOnly
        var optACCMBits: [FieldID] = []
        var optAuthProtocol = FieldID.textOnly
        var optAlgorithm = FieldID.textOnly
        var optQualityProtocol = FieldID.textOnly
        var optMagicNumber = FieldID.textOnly
        var optOperation = FieldID.textOnly
        var optMessage = FieldID.textOnly
        var optMRRU = FieldID.textOnly
        var optEndpointClass = FieldID.textOnly
        var optIPAddress = FieldID.textOnly
        var optMACAddress = FieldID.textOnly
        var optFCSAlternatives = FieldID.textOnly
        var optFCSAlternativeBits: [FieldID] = []
        var optMaximum = FieldID.textOnly
        var optWindow = FieldID.textOnly
        var optHDLCAddress = FieldID.textOnly
        var optMode = FieldID.textOnly
        var optUnused = FieldID.textOnly
        var optLinkDiscriminator = FieldID.textOnly
    }
    var hf = Fields()
    let ppp: PPPDissector

    static let codes: [UInt64: String] = [
        1: "Configuration Request", 2: "Configuration Ack", 3: "Configuration Nak", 4: "Configuration Reject",
        5: "Termination Request", 6: "Termination Ack", 7: "Code Reject", 8: "Protocol Reject", 9: "Echo Request",
        10: "Echo Reply", 11: "Discard Request", 12: "Identification", 13: "Time Remaining",
    ]

    /// Option names as tshark prints them (option type → name).
    static let optionNames: [UInt64: String] = [
        0: "Vendor Specific", 1: "Maximum Receive Unit", 2: "Async Control Character Map",
        3: "Authentication Protocol", 4: "Quality Protocol", 5: "Magic Number", 6: "Link Quality Monitoring",
        7: "Protocol Field Compression", 8: "Address and Control Field Compression", 9: "FCS Alternatives",
        10: "Self Describing Pad", 11: "Numbered Mode", 13: "Callback", 15: "Compound Frames (Deprecated)",
        16: "Nominal Data Encapsulation (Deprecated)", 17: "Multilink MRRU", 18: "Multilink Short Sequence Number Header",
        19: "Multilink Endpoint Discriminator", 21: "DCE Identifier", 22: "Multi Link Plus Procedure",
        23: "Link Discriminator for BACP", 24: "Authentication Option", 25: "Consistent Overhead Byte Stuffing (COBS)",
        26: "Prefix Elision", 27: "Multilink header format", 28: "Internationalization",
        29: "Simple Data Link on SONET/SDH",
    ]

    /// Exact lengths of the fixed-size options (RFC 1661, 1990).
    static let fixedLengths: [UInt8: Int] = [
        1: 4, 2: 6, 5: 6, 6: 6, 7: 2, 8: 2, 9: 3, 10: 3, 15: 2, 16: 2, 17: 4, 18: 2, 21: 3, 23: 4, 25: 3, 29: 2,
    ]
    /// Options tshark does not name in the "Options:" summary line.
    static let unlistedOptions: Set<UInt8> = [4, 26]
    /// Minimum lengths of the variable-size ones.
    static let minimumLengths: [UInt8: Int] = [0: 6, 3: 4, 4: 4, 11: 3, 13: 3, 19: 3]

    /// The ACCM bit names, bit 0 (NUL) to bit 31 (US).
    static let controlCharacters = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI", "DLE",
        "DC1 (XON)", "DC2", "DC3 (XOFF)", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
    ]
    static let accmAbbrevs = [
        "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "lf", "vt", "ff", "cr", "so", "si", "dle",
        "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc", "fs", "gs", "rs", "us",
    ]

    static let fcsAlternativeNames = ["NULL FCS", "CCITT 16-bit", "CCITT 32-bit"]
    static let dceModes: [UInt64: String] = [
        1: "Mode-1 (No Additional Negotiation)", 2: "Mode-2 (Full PPP Negotiation and State Machine)",
    ]

    init(_ r: Registrar, ppp: PPPDissector) {
        self.ppp = ppp
        let p = r.registerProtocol(name: "PPP Link Control Protocol", shortName: "PPP LCP", abbrev: "lcp")
        hf.proto = p
        hf.magicNumber = r.field("Magic Number", "lcp.magic_number", .uint32, .hex, in: p)
        hf.data = r.field("Data", "lcp.data", .bytes, in: p)
        hf.message = r.field("Message", "lcp.message", .string, in: p)
        hf.secondsRemaining = r.field("Seconds Remaining", "lcp.secs_remaining", .uint32, .dec, in: p)
        hf.rejectedProtocol = r.field("Rejected Protocol", "lcp.rej_proto", .uint16, .hex,
                                      strings: .values(PPPNames.protocols), in: p)
        hf.optType = r.field("Type", "lcp.opt.type", .uint8, .dec, strings: .values(Self.optionNames), in: p)
        hf.optLength = r.field("Length", "lcp.opt.length", .uint8, .dec, in: p)
        hf.optOUI = r.field("OUI", "lcp.opt.oui", .uint24, .none, in: p)
        hf.optKind = r.field("Kind", "lcp.opt.kind", .uint8, .decHex, in: p)
        hf.optData = r.field("Data", "lcp.opt.data", .bytes, in: p)
        hf.optMRU = r.field("Maximum Receive Unit", "lcp.opt.mru", .uint16, .dec, in: p)
        hf.optACCM = r.field("Async Control Character Map", "lcp.opt.asyncmap", .uint32, .hex, in: p)
        for (i, name) in Self.controlCharacters.enumerated() {
            hf.optACCMBits.append(r.field(name, "lcp.opt.asyncmap." + Self.accmAbbrevs[i], .boolean,
                                          strings: .trueFalse("True", "False"), bitmask: UInt64(1) << UInt64(i),
                                          bitWidth: 32, in: p))
        }
        hf.optAuthProtocol = r.field("Authentication Protocol", "lcp.opt.auth_protocol", .uint16, .hex,
                                     strings: .values(PPPNames.protocols), in: p)
        hf.optAlgorithm = r.field("Algorithm", "lcp.opt.algorithm", .uint8, .dec,
                                  strings: .ranges([(0, 4, "Reserved"), (5, 5, "CHAP with MD5"), (6, 6, "CHAP with SHA-1"),
                                                    (128, 128, "MS-CHAP"), (129, 129, "MS-CHAP-2")]), in: p)
        hf.optQualityProtocol = r.field("Quality Protocol", "lcp.opt.quality_protocol", .uint16, .hex,
                                        strings: .values(PPPNames.protocols), in: p)
        hf.optMagicNumber = r.field("Magic Number", "lcp.opt.magic_number", .uint32, .hex, in: p)
        hf.optOperation = r.field("Operation", "lcp.opt.operation", .uint8, .dec,
                                  strings: .values(PPPNames.callbackOperations), in: p)
        hf.optMessage = r.field("Message", "lcp.opt.message", .bytes, in: p)
        hf.optMRRU = r.field("MRRU", "lcp.opt.mrru", .uint16, .dec, blurb: "Maximum Receive Reconstructed Unit", in: p)
        hf.optEndpointClass = r.field("Class", "lcp.opt.ep_disc_class", .uint8, .dec,
                                      strings: .values(PPPNames.endpointClasses), in: p)
        hf.optIPAddress = r.field("IP Address", "lcp.opt.ip_address", .ipv4, in: p)
        hf.optMACAddress = r.field("IEEE 802.1 Address", "lcp.opt.802_1_address", .ether, in: p)
        hf.optFCSAlternatives = r.field("FCS Alternatives", "lcp.opt.fcs_alternatives", .uint8, .hex, in: p)
        for (i, abbrev) in ["null", "ccitt16", "ccitt32"].enumerated() {
            hf.optFCSAlternativeBits.append(r.field(Self.fcsAlternativeNames[i], "lcp.opt.fcs_alternatives." + abbrev,
                                                    .boolean, strings: .trueFalse("True", "False"),
                                                    bitmask: UInt64(1) << UInt64(i), bitWidth: 8, in: p))
        }
        hf.optMaximum = r.field("Maximum", "lcp.opt.maximum", .uint8, .dec,
                                blurb: "The largest number of padding octets which may be added to the frame.", in: p)
        hf.optWindow = r.field("Window", "lcp.opt.window", .uint8, .dec,
                               blurb: "The number of frames the receiver will buffer.", in: p)
        hf.optHDLCAddress = r.field("Address", "lcp.opt.hdlc_address", .bytes,
                                    blurb: "An HDLC Address as specified in ISO 3309.", in: p)
        hf.optMode = r.field("Mode", "lcp.opt.mode", .uint8, .dec, strings: .values(Self.dceModes), in: p)
        hf.optUnused = r.field("Unused", "lcp.opt.unused", .bytes, in: p)
        hf.optLinkDiscriminator = r.field("Link Discriminator", "lcp.opt.link_discrim", .uint16, .decHex, in: p)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "PPP LCP"
        packet.enterLayer(hf.proto)
        let code = try data.u8(0)
        packet.info.clear()
        packet.info.append(Self.codes[UInt64(code)] ?? "Unknown")
        let top = packet.addLayerItem(hf.proto, data, 0, data.count, parent: parent)
        packet.add(ppp.hf.code, data, 0, 1, .uint(UInt64(code)), parent: top)
        packet.add(ppp.hf.identifier, data, 1, 1, .uint(UInt64(try data.u8(1))), parent: top)
        let length = Int(try data.u16(2))
        packet.add(ppp.hf.length, data, 2, 2, .uint(UInt64(length)), parent: top)
        if !top.isNone { packet.tree.records[Int(top.index)].length = Int32(min(max(length, 4), data.count)) }
        let bodyLength = max(0, length - 4)
        switch code {
        case 1, 2, 3, 4:
            if bodyLength > 0 { try options(&packet, data, top, at: 4, length: bodyLength) }
        case 5, 6:
            if bodyLength > 0 {
                try data.check(4, bodyLength)
                packet.add(hf.data, data, 4, bodyLength, .bytes, parent: top)
            }
        case 7:
            if bodyLength > 0 {
                let rejected = try data.slice(4, bodyLength)
                packet.addText("Rejected Packet (\(bodyLength) byte\(bodyLength == 1 ? "" : "s")): "
                               + FieldFormatter.hexString(ArraySlice(rejected.copyBytes())),
                               data, 4, bodyLength, parent: top)
            }
        case 8:
            // (tshark shows the rejected protocol only, not the rejected information.)
            packet.add(hf.rejectedProtocol, data, 4, 2, .uint(UInt64(try data.u16(4))), parent: top)
        case 9, 10, 11, 12, 13:
            packet.add(hf.magicNumber, data, 4, 4, .uint(UInt64(try data.u32(4))), parent: top)
            let rest = bodyLength - 4
            if code == 13 {
                packet.add(hf.secondsRemaining, data, 8, 4, .uint(UInt64(try data.u32(8))), parent: top)
            } else if rest > 0 {
                try data.check(8, rest)
                packet.add(code == 12 ? hf.message : hf.data, data, 8, rest, code == 12 ? .string : .bytes, parent: top)
            }
        default:
            if bodyLength > 0 {
                try data.check(4, bodyLength)
                packet.add(hf.data, data, 4, bodyLength, .bytes, parent: top)
            }
        }
        return .consumed(min(length, data.count))
    }

    static func optionName(_ type: UInt8) -> String {
        optionNames[UInt64(type)] ?? "Unknown (0x" + FieldFormatter.hex(UInt64(type), digits: 2) + ")"
    }

    /// "Options: (40 bytes), Magic Number, …" and one subtree per option.
    private func options(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, at start: Int,
                         length: Int) throws(Malformed) {
        try data.check(start, length)
        let end = start + length
        // Text-only lines exist only in full trees; otherwise the items hang on the LCP item.
        let header = packet.buildsFullTree
            ? packet.addText("Options: (\(length) byte\(length == 1 ? "" : "s"))", data, start, length, parent: top) : top
        var offset = start
        while offset < end {
            let type = try data.u8(offset)
            let known = Self.optionNames[UInt64(type)] != nil
            if packet.buildsFullTree && known && !Self.unlistedOptions.contains(type) {
                packet.appendLabel(header, ", " + Self.optionName(type))
            }
            // A lone type byte, or a length below 2 or past the end: tshark notes it and stops.
            guard offset + 1 < end else {
                addBadOption(&packet, data, header, offset, 1, Self.optionName(type) + " (length byte past end of options)")
                return
            }
            let optLength = Int(try data.u8(offset + 1))
            if optLength < 2 {
                addBadOption(&packet, data, header, offset, 2,
                             Self.optionName(type) + " (with too-short option length = \(optLength) byte\(optLength == 1 ? "" : "s"); should be >= 2)")
                return
            }
            if offset + optLength > end {
                addBadOption(&packet, data, header, offset, end - offset,
                             Self.optionName(type) + " (option length = \(optLength) byte\(optLength == 1 ? "" : "s") says option goes past end of options)")
                return
            }
            if !known {
                // Unknown options: one line, no details.
                if packet.buildsFullTree {
                    packet.addText(Self.optionName(type) + " (\(optLength) byte\(optLength == 1 ? "" : "s"))", data,
                                   offset, optLength, parent: header)
                }
            } else if let want = Self.fixedLengths[type], want != optLength {
                addBadOption(&packet, data, header, offset, optLength,
                             Self.optionName(type) + " (with option length = \(optLength) byte\(optLength == 1 ? "" : "s"); should be \(want))")
            } else if let least = Self.minimumLengths[type], optLength < least {
                addBadOption(&packet, data, header, offset, optLength,
                             Self.optionName(type) + " (with option length = \(optLength) byte\(optLength == 1 ? "" : "s"); should be >= \(least))")
            } else {
                try option(&packet, data, header, type, at: offset, length: optLength)
            }
            offset += optLength
        }
    }

    private func addBadOption(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, _ offset: Int,
                              _ length: Int, _ text: String) {
        let item = packet.buildsFullTree ? packet.addText(text, data, offset, length, parent: parent) : parent
        packet.addExpert(ppp.hf.eiOptionLength, parent: item, data, offset, length, message: text)
    }

    private func option(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, _ type: UInt8, at o: Int,
                        length: Int) throws(Malformed) {
        let name = Self.optionName(type)
        let item = packet.buildsFullTree ? packet.addText(name, data, o, length, parent: parent) : parent
        packet.add(hf.optType, data, o, 1, .uint(UInt64(type)), parent: item)
        packet.add(hf.optLength, data, o + 1, 1, .uint(UInt64(length)), parent: item)
        let full = packet.buildsFullTree
        switch type {
        case 0:
            let oui = try data.u24(o + 2)
            let ouiItem = packet.add(hf.optOUI, data, o + 2, 3, .uint(UInt64(oui)), parent: item)
            if full { packet.setLabel(ouiItem, "OUI: " + packet.engine.nameResolver.ouiDisplay(oui)) }
            packet.add(hf.optKind, data, o + 5, 1, .uint(UInt64(try data.u8(o + 5))), parent: item)
            if length > 6 { packet.add(hf.optData, data, o + 6, length - 6, .bytes, parent: item) }
        case 1:
            let mru = try data.u16(o + 2)
            if full { packet.appendLabel(item, ": \(mru)") }
            packet.add(hf.optMRU, data, o + 2, 2, .uint(UInt64(mru)), parent: item)
        case 2:
            try accm(&packet, data, item, at: o + 2)
        case 4:
            // tshark shows the protocol only.
            let proto = try data.u16(o + 2)
            if full {
                packet.appendLabel(item, ": " + (PPPNames.protocols[UInt64(proto)] ?? "Unknown") + " (0x"
                                   + FieldFormatter.hex(UInt64(proto), digits: 4) + ")")
            }
            packet.add(hf.optQualityProtocol, data, o + 2, 2, .uint(UInt64(proto)), parent: item)
        case 3:
            let proto = try data.u16(o + 2)
            let protoName = PPPNames.protocols[UInt64(proto)] ?? "Unknown"
            if full { packet.appendLabel(item, ": " + protoName + " (0x" + FieldFormatter.hex(UInt64(proto), digits: 4) + ")") }
            packet.add(hf.optAuthProtocol, data, o + 2, 2, .uint(UInt64(proto)), parent: item)
            if proto == 0xc223 && length >= 5 {
                packet.add(hf.optAlgorithm, data, o + 4, 1, .uint(UInt64(try data.u8(o + 4))), parent: item)
            } else if length > 4 {
                packet.add(hf.optData, data, o + 4, length - 4, .bytes, parent: item)
            }
        case 5:
            let magic = try data.u32(o + 2)
            if full { packet.appendLabel(item, ": 0x" + FieldFormatter.hex(UInt64(magic), digits: 8)) }
            packet.add(hf.optMagicNumber, data, o + 2, 4, .uint(UInt64(magic)), parent: item)
        case 9:
            let bits = try data.u8(o + 2)
            let hex = "0x" + FieldFormatter.hex(UInt64(bits), digits: 2)
            if full { packet.appendLabel(item, ": " + hex) }
            let node = packet.add(hf.optFCSAlternatives, data, o + 2, 1, .uint(UInt64(bits)), parent: item)
            if full {
                var names: [String] = []
                for (i, n) in Self.fcsAlternativeNames.enumerated().reversed() where bits & (1 << UInt8(i)) != 0 { names.append(n) }
                packet.setLabel(node, "FCS Alternatives: " + hex + names.map { ", " + $0 }.joined())
            }
            for i in stride(from: 2, through: 0, by: -1) {
                packet.add(hf.optFCSAlternativeBits[i], data, o + 2, 1, .uint(UInt64((bits >> UInt8(i)) & 1)), parent: node)
            }
        case 10:
            let maximum = try data.u8(o + 2)
            let text = "\(maximum) octet\(maximum == 1 ? "" : "s")"
            if full { packet.appendLabel(item, ": " + text) }
            let node = packet.add(hf.optMaximum, data, o + 2, 1, .uint(UInt64(maximum)), parent: item)
            if full { packet.setLabel(node, "Maximum: " + text) }
        case 11:
            let window = try data.u8(o + 2)
            let text = "\(window) frame\(window == 1 ? "" : "s")"
            if full { packet.appendLabel(item, ": " + text) }
            let node = packet.add(hf.optWindow, data, o + 2, 1, .uint(UInt64(window)), parent: item)
            if full { packet.setLabel(node, "Window: " + text) }
            if length > 3 { packet.add(hf.optHDLCAddress, data, o + 3, length - 3, .bytes, parent: item) }
        case 21:
            let mode = try data.u8(o + 2)
            if full { packet.appendLabel(item, ": " + (Self.dceModes[UInt64(mode)] ?? "Unknown")) }
            packet.add(hf.optMode, data, o + 2, 1, .uint(UInt64(mode)), parent: item)
        case 22:
            if length > 2 { packet.add(hf.optUnused, data, o + 2, length - 2, .bytes, parent: item) }
        case 23:
            let discriminator = try data.u16(o + 2)
            if full {
                packet.appendLabel(item, ": \(discriminator) (0x" + FieldFormatter.hex(UInt64(discriminator), digits: 4) + ")")
            }
            packet.add(hf.optLinkDiscriminator, data, o + 2, 2, .uint(UInt64(discriminator)), parent: item)
        case 13:
            let operation = try data.u8(o + 2)
            if full { packet.appendLabel(item, ": " + (PPPNames.callbackOperations[UInt64(operation)] ?? "Unknown")) }
            packet.add(hf.optOperation, data, o + 2, 1, .uint(UInt64(operation)), parent: item)
            if length > 3 { packet.add(hf.optMessage, data, o + 3, length - 3, .bytes, parent: item) }
        case 17:
            let mrru = try data.u16(o + 2)
            if full { packet.appendLabel(item, ": \(mrru)") }
            packet.add(hf.optMRRU, data, o + 2, 2, .uint(UInt64(mrru)), parent: item)
        case 19:
            let cls = try data.u8(o + 2)
            if full { packet.appendLabel(item, ": Class: " + (PPPNames.endpointClasses[UInt64(cls)] ?? "Unknown")) }
            packet.add(hf.optEndpointClass, data, o + 2, 1, .uint(UInt64(cls)), parent: item)
            let rest = length - 3
            if cls == 2 && rest == 4 {
                packet.add(hf.optIPAddress, data, o + 3, 4, .ipv4(try data.u32(o + 3)), parent: item)
            } else if cls == 3 && rest == 6 {
                packet.add(hf.optMACAddress, data, o + 3, 6, .ether(try data.u48(o + 3)), parent: item)
            } else if rest > 0 {
                packet.add(hf.optData, data, o + 3, rest, .bytes, parent: item)
            }
        default:
            if length > 2 { packet.add(hf.optData, data, o + 2, length - 2, .bytes, parent: item) }
        }
    }

    /// The async control character map, with tshark's texts (its option line really does read
    /// "0x000a0000DC3 (XOFF), DC1 (XON))" for a partial map).
    private func accm(_ packet: inout PacketContext, _ data: ByteView, _ item: TreeNode, at o: Int) throws(Malformed) {
        let map = try data.u32(o)
        let hex = "0x" + FieldFormatter.hex(UInt64(map), digits: 8)
        let node = packet.add(hf.optACCM, data, o, 4, .uint(UInt64(map)), parent: item)
        if packet.buildsFullTree {
            var names: [String] = []
            for bit in stride(from: 31, through: 0, by: -1) where map & (UInt32(1) << UInt32(bit)) != 0 {
                names.append(Self.controlCharacters[bit])
            }
            switch map {
            case 0:
                packet.appendLabel(item, ": " + hex + " (None)")
                packet.setLabel(node, "Async Control Character Map: " + hex + " (None)")
            case 0xffff_ffff:
                packet.appendLabel(item, ": " + hex + " (All)")
                packet.setLabel(node, "Async Control Character Map: " + hex + ", " + names.joined(separator: ", ") + " (All)")
            default:
                packet.appendLabel(item, ": " + hex + names.joined(separator: ", ") + ")")
                packet.setLabel(node, "Async Control Character Map: " + hex + ", " + names.joined(separator: ", "))
            }
        }
        for bit in stride(from: 31, through: 0, by: -1) {
            packet.add(hf.optACCMBits[bit], data, o, 4, .uint(UInt64((map >> UInt32(bit)) & 1)), parent: node)
        }
    }
}
