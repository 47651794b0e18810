import DissectKit

/// Generic Routing Encapsulation (RFC 2784, key and sequence number RFC 2890) and PPTP's
/// enhanced GRE version 1 (RFC 2637 §4.1); hands the payload to the `gre.proto` table.
public enum GREPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = GREDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.table("ip.proto", uiName: "IP protocol").add(47, h)
        r.registerDissector("gre", h)
        d.greProto = r.table("gre.proto", uiName: "GRE protocol type")
    }
}

final class GREDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var flagsAndVersion = FieldID.textOnly
        var flagChecksum = FieldID.textOnly
        var flagRouting = FieldID.textOnly
        var flagKey = FieldID.textOnly
        var flagSequence = FieldID.textOnly
        var flagStrictRoute = FieldID.textOnly
        var flagRecursion = FieldID.textOnly
        var flagAck = FieldID.textOnly
        var flagReserved = FieldID.textOnly
        var flagVersion = FieldID.textOnly
        var type = FieldID.textOnly
        var checksum = FieldID.textOnly
        var checksumStatus = FieldID.textOnly
        var offset = FieldID.textOnly
        var key = FieldID.textOnly
        var keyPayloadLength = FieldID.textOnly
        var keyCallID = FieldID.textOnly
        var sequence = FieldID.textOnly
        var ack = FieldID.textOnly
        var routing = FieldID.textOnly
        var routingAF = FieldID.textOnly
        var routingSREOffset = FieldID.textOnly
        var routingSRELength = FieldID.textOnly
        var routingInfo = FieldID.textOnly
        var eiChecksumIncorrect = FieldID.textOnly
    }
    var hf = Fields()
    var greProto: DissectorTable!

    /// tshark's `gre_typevals`: the protocol types GRE knows by name.
    static let typeNames: [UInt64: String] = [
        0x0000: "Possible GRE keepalive packet", 0x880b: "PPP", 0x0800: "IP", 0x0806: "ARP", 0x00fe: "OSI",
        0x883e: "WCCP", 0x2000: "CDP (Cisco)", 0x2001: "NHRP", 0x88be: "ERSPAN", 0x22eb: "ERSPAN III",
        0x6400: "MIKROTIK EoIP", 0xfeae: "AIROHIVE AP AP", 0x8137: "IPX", 0x6558: "Transparent Ethernet bridging",
        0x6559: "Frame Relay", 0x86dd: "IPv6", 0x8847: "MPLS label switched packet",
        0x894f: "Network Service Header", 0x8881: "CDMA2000 A10 Unstructured byte stream",
        0x88d2: "CDMA2000 A10 3GPP2 Packet", 0x8909: "CiscoMetaData", 0xb7ea: "Huawei GRE bonding",
        0x8200: "ARUBA WLAN", 0x8210: "ARUBA WLAN", 0x8220: "ARUBA WLAN", 0x8230: "ARUBA WLAN", 0x8240: "ARUBA WLAN",
        0x8250: "ARUBA WLAN", 0x8260: "ARUBA WLAN", 0x8270: "ARUBA WLAN", 0x8280: "ARUBA WLAN", 0x8290: "ARUBA WLAN",
        0x82a0: "ARUBA WLAN", 0x82b0: "ARUBA WLAN", 0x82c0: "ARUBA WLAN", 0x82d0: "ARUBA WLAN", 0x82e0: "ARUBA WLAN",
        0x82f0: "ARUBA WLAN", 0x8300: "ARUBA WLAN", 0x8310: "ARUBA WLAN", 0x8320: "ARUBA WLAN", 0x8330: "ARUBA WLAN",
        0x8340: "ARUBA WLAN", 0x8350: "ARUBA WLAN", 0x8360: "ARUBA WLAN", 0x8370: "ARUBA WLAN", 0x9000: "ARUBA WLAN",
    ]

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Generic Routing Encapsulation", shortName: "GRE", abbrev: "gre")
        hf.proto = p
        let yesNo = ValueStrings.trueFalse("Yes", "No")
        hf.flagsAndVersion = r.field("Flags and Version", "gre.flags_and_version", .uint16, .hex,
                                     blurb: "The GRE flags are encoded in the first two octets", in: p)
        hf.flagChecksum = r.field("Checksum Bit", "gre.flags.checksum", .boolean, strings: yesNo, bitmask: 0x8000,
                                  bitWidth: 16, blurb: "Indicates if the Checksum field is present", in: p)
        hf.flagRouting = r.field("Routing Bit", "gre.flags.routing", .boolean, strings: yesNo, bitmask: 0x4000,
                                 bitWidth: 16, blurb: "Indicates if the Routing and Checksum/Offset field are present",
                                 in: p)
        hf.flagKey = r.field("Key Bit", "gre.flags.key", .boolean, strings: yesNo, bitmask: 0x2000, bitWidth: 16,
                             blurb: "Indicates if the Key field is present", in: p)
        hf.flagSequence = r.field("Sequence Number Bit", "gre.flags.sequence_number", .boolean, strings: yesNo,
                                  bitmask: 0x1000, bitWidth: 16,
                                  blurb: "Indicates if the Sequence Number field is present", in: p)
        hf.flagStrictRoute = r.field("Strict Source Route Bit", "gre.flags.strict_source_route", .boolean,
                                     strings: yesNo, bitmask: 0x0800, bitWidth: 16, in: p)
        hf.flagRecursion = r.field("Recursion control", "gre.flags.recursion_control", .uint16, .dec, bitmask: 0x0700,
                                   in: p)
        hf.flagAck = r.field("Acknowledgment", "gre.flags.ack", .boolean, strings: yesNo, bitmask: 0x0080, bitWidth: 16,
                             in: p)
        hf.flagReserved = r.field("Flags (Reserved)", "gre.flags.reserved", .uint16, .dec, bitmask: 0x00f8, in: p)
        hf.flagVersion = r.field("Version", "gre.flags.version", .uint16, .dec,
                                 strings: .values([0: "GRE", 1: "Enhanced GRE"]), bitmask: 0x0007, in: p)
        hf.type = r.field("Protocol Type", "gre.proto", .uint16, .hex, strings: .values(Self.typeNames),
                          blurb: "The protocol that is GRE encapsulated", in: p)
        hf.checksum = r.field("Checksum", "gre.checksum", .uint16, .hex, in: p)
        hf.checksumStatus = r.field("Checksum Status", "gre.checksum.status", .uint8, .none,
                                    strings: .values(ChecksumStatus.names), in: p)
        hf.offset = r.field("Offset", "gre.offset", .uint16, .dec, in: p)
        hf.key = r.field("Key", "gre.key", .uint32, .hex, in: p)
        hf.keyPayloadLength = r.field("Payload Length", "gre.key.payload_length", .uint16, .dec,
                                      blurb: "Size of the payload, not including the GRE header", in: p)
        hf.keyCallID = r.field("Call ID", "gre.key.call_id", .uint16, .dec,
                               blurb: "Contains the Peer's Call ID for the session to which this packet belongs.", in: p)
        hf.sequence = r.field("Sequence Number", "gre.sequence_number", .uint32, .dec, in: p)
        hf.ack = r.field("Acknowledgment Number", "gre.ack_number", .uint32, .dec, in: p)
        hf.routing = r.field("Routing", "gre.routing", .none, in: p)
        hf.routingAF = r.field("Address Family", "gre.routing.address_family", .uint16, .dec, in: p)
        hf.routingSREOffset = r.field("SRE Offset", "gre.routing.sre_offset", .uint8, .dec, in: p)
        hf.routingSRELength = r.field("SRE Length", "gre.routing.src_length", .uint8, .dec, in: p)
        hf.routingInfo = r.field("Routing Information", "gre.routing.information", .bytes, in: p)
        hf.eiChecksumIncorrect = r.expert("gre.checksum.incorrect", "Incorrect GRE Checksum", .warning, .protocol, in: p)
        GREFieldCatalog.registerAll(r, ["gre": p])
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let flags = try data.u16(0)
        let type = try data.u16(2)
        let version = flags & 7
        // PPTP's enhanced GRE (RFC 2637 §4.1) is recognised by its PPP payload type, as tshark does.
        let isPPP = type == 0x880b
        packet.protocolColumn = "GRE"
        let typeName = Self.typeNames[UInt64(type)]
        packet.info.set("Encapsulated ")
        if let typeName {
            packet.info.append(typeName)
        } else {
            packet.info.append("0x")
            packet.info.appendHex(UInt64(type), width: 4)
            packet.info.append(" (unknown)")
        }
        let full = packet.buildsFullTree
        let hasChecksum = flags & 0xc000 != 0
        var headerLength = 4 + (hasChecksum ? 4 : 0) + (flags & 0x2000 != 0 ? 4 : 0) + (flags & 0x1000 != 0 ? 4 : 0)
        if isPPP && flags & 0x0080 != 0 { headerLength += 4 }
        let top = packet.addProtocol(hf.proto, data, 0, min(headerLength, data.count), parent: parent,
                                     text: "Generic Routing Encapsulation ("
                                        + (typeName ?? "0x\(FieldFormatter.hex(UInt64(type), digits: 4)) - unknown") + ")")
        let f = packet.add(hf.flagsAndVersion, data, 0, 2, .uint(UInt64(flags)), parent: top)
        packet.add(hf.flagChecksum, data, 0, 2, .bool(flags & 0x8000 != 0), parent: f)
        packet.add(hf.flagRouting, data, 0, 2, .bool(flags & 0x4000 != 0), parent: f)
        packet.add(hf.flagKey, data, 0, 2, .bool(flags & 0x2000 != 0), parent: f)
        packet.add(hf.flagSequence, data, 0, 2, .bool(flags & 0x1000 != 0), parent: f)
        packet.add(hf.flagStrictRoute, data, 0, 2, .bool(flags & 0x0800 != 0), parent: f)
        packet.add(hf.flagRecursion, data, 0, 2, .uint(UInt64((flags >> 8) & 7)), parent: f)
        if isPPP {
            // PPTP takes bit 8 for the acknowledgment flag, leaving four reserved bits.
            packet.add(hf.flagAck, data, 0, 2, .bool(flags & 0x0080 != 0), parent: f)
            let n = packet.add(hf.flagReserved, data, 0, 2, .uint(UInt64((flags >> 3) & 0xf)), parent: f)
            if full {
                packet.setLabel(n, FieldFormatter.bitPattern(value: UInt64((flags >> 3) & 0xf), mask: 0x78, width: 16)
                                + " = Flags (Reserved): \((flags >> 3) & 0xf)")
            }
        } else {
            packet.add(hf.flagReserved, data, 0, 2, .uint(UInt64((flags >> 3) & 0x1f)), parent: f)
        }
        packet.add(hf.flagVersion, data, 0, 2, .uint(UInt64(version)), parent: f)
        packet.add(hf.type, data, 2, 2, .uint(UInt64(type)), parent: top)

        var off = 4
        if hasChecksum {
            let c = try data.u16(4)
            if flags & 0x8000 != 0 && data.count == packet.reportedLength(data) {
                let s = InternetChecksum.sum(data)
                let n = packet.add(hf.checksum, data, 4, 2, .uint(UInt64(c)), parent: top)
                if InternetChecksum.finish(s) == 0 {
                    packet.appendLabel(n, " [correct]")
                    packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.good), parent: top, at: data, 4, 2)
                } else {
                    let expected = InternetChecksum.expected(sumIncludingField: s, field: c)
                    let hex = "0x" + FieldFormatter.hex(UInt64(expected), digits: 4)
                    packet.appendLabel(n, " incorrect, should be \(hex)")
                    packet.addExpert(hf.eiChecksumIncorrect, parent: n, data, 4, 2,
                                     message: "Incorrect GRE Checksum [should be \(hex)]")
                    packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.bad), parent: top, at: data, 4, 2)
                }
            } else {
                let n = packet.add(hf.checksum, data, 4, 2, .uint(UInt64(c)), parent: top)
                packet.appendLabel(n, " [unverified]")
                packet.addGenerated(hf.checksumStatus, .uint(ChecksumStatus.unverified), parent: top, at: data, 4, 2)
            }
            packet.add(hf.offset, data, 6, 2, .uint(UInt64(try data.u16(6))), parent: top)
            off = 8
        }
        if flags & 0x2000 != 0 {
            if isPPP {
                packet.add(hf.keyPayloadLength, data, off, 2, .uint(UInt64(try data.u16(off))), parent: top)
                packet.add(hf.keyCallID, data, off + 2, 2, .uint(UInt64(try data.u16(off + 2))), parent: top)
            } else {
                packet.add(hf.key, data, off, 4, .uint(UInt64(try data.u32(off))), parent: top)
            }
            off += 4
        }
        if flags & 0x1000 != 0 {
            packet.add(hf.sequence, data, off, 4, .uint(UInt64(try data.u32(off))), parent: top)
            off += 4
        }
        if isPPP && flags & 0x0080 != 0 {
            packet.add(hf.ack, data, off, 4, .uint(UInt64(try data.u32(off))), parent: top)
            off += 4
        }
        if flags & 0x4000 != 0 {
            off = try dissectRouting(&packet, data, off, parent: top)
        }
        try data.check(0, off)

        // PPTP sends acknowledgment-only packets: no sequence number, no payload.
        if isPPP && flags & 0x1000 == 0 { return .consumed(data.count) }
        let payload = data.suffix(from: off)
        if packet.call(table: greProto, key: UInt32(type), payload) == nil {
            packet.callData(payload, parent: top)
        }
        return .consumed(data.count)
    }

    /// RFC 1701 source route entries, up to the NULL entry (address family 0, length 0).
    /// tshark draws an empty "Routing" line before each entry, with the entry's fields beside it.
    func dissectRouting(_ packet: inout PacketContext, _ data: ByteView, _ start: Int,
                        parent: TreeNode) throws(Malformed) -> Int {
        var off = start
        while true {
            let af = try data.u16(off)
            let sreOffset = try data.u8(off + 2)
            let sreLength = Int(try data.u8(off + 3))
            packet.add(hf.routing, data, off, 4 + sreLength, .none, parent: parent)
            packet.add(hf.routingAF, data, off, 2, .uint(UInt64(af)), parent: parent)
            packet.add(hf.routingSREOffset, data, off + 2, 1, .uint(UInt64(sreOffset)), parent: parent)
            packet.add(hf.routingSRELength, data, off + 3, 1, .uint(UInt64(sreLength)), parent: parent)
            off += 4
            if af == 0 && sreLength == 0 { break }
            try data.check(off, sreLength)
            packet.add(hf.routingInfo, data, off, sreLength, .bytes, parent: parent)
            off += sreLength
        }
        return off
    }
}
