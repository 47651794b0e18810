import DissectKit

/// Fiber Distributed Data Interface (link type 10, whose addresses pcap stores bit-swapped):
/// frame control, destination and source, then LLC for LLC frames.
public enum FDDIPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = FDDIDissector(r)
        r.registerLinkType(10, r.handle(d.proto, d))
        FDDIFieldCatalog.registerAll(r, ["fddi": d.proto])
    }
}

final class FDDIDissector: Dissector {
    let proto: FieldID
    let fc: FieldID
    let clf: FieldID
    let priority: FieldID
    let smtSubtype: FieldID
    let macSubtype: FieldID
    let dst: FieldID
    let src: FieldID
    let addr: FieldID
    let prefPadding: Preference
    let llc: NamedDissector

    init(_ r: Registrar) {
        proto = r.registerProtocol(name: "Fiber Distributed Data Interface", shortName: "FDDI", abbrev: "fddi")
        fc = r.field("Frame Control", "fddi.fc", .uint8, .hex, in: proto)
        clf = r.field("Class/Length/Format", "fddi.fc.clf", .uint8, .hex,
                      strings: .values([0x0: "Void", 0x4: "SMT", 0x5: "Async LLC", 0x6: "Implementor Async",
                                        0x8: "Nonrestricted Token", 0xc: "MAC", 0xd: "Sync LLC", 0xe: "Implementor Sync"]),
                      bitmask: 0xf0, in: proto)
        priority = r.field("Priority", "fddi.fc.prio", .uint8, .dec, bitmask: 0x07, in: proto)
        smtSubtype = r.field("SMT Subtype", "fddi.fc.smt_subtype", .uint8, .dec,
                             strings: .values([1: "Info", 15: "Next Station Address"]), bitmask: 0x0f, in: proto)
        macSubtype = r.field("MAC Subtype", "fddi.fc.mac_subtype", .uint8, .dec,
                             strings: .values([2: "Beacon", 3: "Claim"]), bitmask: 0x0f, in: proto)
        dst = r.field("Destination", "fddi.dst", .ether, blurb: "Destination Hardware Address", in: proto)
        src = r.field("Source", "fddi.src", .ether, in: proto)
        addr = r.field("Source or Destination Address", "fddi.addr", .ether,
                       blurb: "Source or Destination Hardware Address", in: proto)
        prefPadding = r.preference("fddi", "padding", title: "Whether the FDDI dissector should add 3-byte padding to all captured FDDI packets (useful with e.g. Tru64 UNIX tcpdump)",
                                   .bool, default: "FALSE")
        llc = r.dissector(named: "llc")
    }

    /// Frame-control classes (the high nibble) and bits.
    enum FC {
        static let classMask: UInt8 = 0xf0
        static let smt: UInt8 = 0x40
        static let mac: UInt8 = 0xc0
        static let llcAsync: UInt8 = 0x50
        static let llcSync: UInt8 = 0xd0
        static let impAsync: UInt8 = 0x60
        static let impSync: UInt8 = 0xe0
        static let asyncR: UInt8 = 0x08
        static let restrictedToken: UInt8 = 0xc0
    }

    /// tshark's `fddifc_to_str`.
    static func frameControlText(_ fc: UInt8) -> String {
        switch fc {
        case 0x00: return "Void frame"
        case 0x80: return "Nonrestricted token"
        case 0xc0: return "Restricted token"
        case 0x41: return "SMT Info"
        case 0x4f: return "SMT Next station adrs"
        case 0xc2: return "MAC beacon"
        case 0xc3: return "MAC claim token"
        default: break
        }
        let low = String(fc & 0x0f, radix: 16)
        switch fc & FC.classMask {
        case FC.mac: return "MAC frame, control " + low
        case FC.smt: return "SMT frame, control " + low
        case FC.llcAsync:
            if fc & FC.asyncR != 0 { return "Async LLC frame, control " + low }
            return "Async LLC frame, priority \(fc & 0x07)"
        case FC.llcSync:
            if fc & 0x0f != 0 { return "Sync LLC frame, control " + low }
            return "Sync LLC frame"
        case FC.impAsync: return "Implementor async frame, control " + low
        case FC.impSync: return "Implementor sync frame, control " + low
        default: return "Unknown frame type"
        }
    }

    /// pcap's FDDI addresses are in FDDI bit order: reverse the bits of each byte.
    static func bitSwapped(_ mac: UInt64) -> UInt64 {
        var out: UInt64 = 0
        for i in 0..<6 {
            let b = UInt8(truncatingIfNeeded: mac >> UInt64((5 - i) * 8))
            var r: UInt8 = 0
            for bit in 0..<8 where b & (1 << bit) != 0 { r |= 1 << (7 - bit) }
            out = out << 8 | UInt64(r)
        }
        return out
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "FDDI"
        packet.enterLayer(proto)
        let pad = prefPadding.text == "TRUE" ? 3 : 0
        let frameControl = try data.u8(pad)
        let text = Self.frameControlText(frameControl)
        packet.info.clear()
        packet.info.append(text)
        let top = packet.addLayerItem(proto, data, 0, 13 + pad, parent: parent,
                                     text: "Fiber Distributed Data Interface, " + text)
        let fcItem = packet.add(fc, data, pad, 1, .uint(UInt64(frameControl)), parent: top)
        if packet.buildsFullTree {
            packet.setLabel(fcItem, "Frame Control: 0x" + FieldFormatter.hex(UInt64(frameControl), digits: 2) + " (" + text + ")")
        }
        packet.add(clf, data, pad, 1, .uint(UInt64(frameControl >> 4)), parent: fcItem)
        switch frameControl & FC.classMask {
        case FC.smt:
            packet.add(smtSubtype, data, pad, 1, .uint(UInt64(frameControl & 0x0f)), parent: fcItem)
        case FC.mac where frameControl != FC.restrictedToken:
            packet.add(macSubtype, data, pad, 1, .uint(UInt64(frameControl & 0x0f)), parent: fcItem)
        case FC.llcAsync where frameControl & FC.asyncR == 0:
            packet.add(priority, data, pad, 1, .uint(UInt64(frameControl & 0x07)), parent: fcItem)
        default:
            break
        }
        let d = Self.bitSwapped(try data.u48(pad + 1))
        packet.dlDst = .ether(d)
        packet.add(dst, data, pad + 1, 6, .ether(d), parent: top)
        packet.add(addr, data, pad + 1, 6, .ether(d), parent: top, flags: .hidden)
        let s = Self.bitSwapped(try data.u48(pad + 7))
        packet.dlSrc = .ether(s)
        packet.add(src, data, pad + 7, 6, .ether(s), parent: top)
        packet.add(addr, data, pad + 7, 6, .ether(s), parent: top, flags: .hidden)

        let payload = data.suffix(from: pad + 13)
        switch frameControl & FC.classMask {
        case FC.llcAsync, FC.llcSync:
            if let h = llc.handle {
                packet.call(h, payload, parent: parent)
            } else {
                packet.callData(payload, parent: parent)
            }
        default:
            packet.callData(payload, parent: parent)
        }
        return .consumed(data.count)
    }
}
