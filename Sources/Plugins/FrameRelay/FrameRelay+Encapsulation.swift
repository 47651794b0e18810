import DissectKit

/// The payload hand-offs: RFC 2427 NLPIDs (with SNAP) and Cisco HDLC types.
extension FrameRelayDissector {
    enum NLPID {
        static let padding: UInt8 = 0x00
        static let snap: UInt8 = 0x80
        static let ipv6: UInt8 = 0x8e
        static let ip: UInt8 = 0xcc
        static let ppp: UInt8 = 0xcf
    }

    enum OUI {
        static let encapsulatedEthernet: UInt32 = 0x000000
        static let cisco90: UInt32 = 0x0000f8
        static let appleAtalk: UInt32 = 0x080007
        /// Bridged MAC frames (RFC 2427 5.3).
        static let ieee8021: UInt32 = 0x0080c2
    }

    /// The protocol for a Cisco HDLC type, when there is one: only then does tshark take the
    /// two octets after the address for such a type.
    func chdlcHandle(_ type: UInt16) -> DissectorHandle? {
        if let h = chdlcTable.lookup(UInt32(type)) { return h }
        switch type {
        case 0x0800: return ip.handle
        case 0x86dd: return ipv6.handle
        case 0x6558: return ethWithoutFCS.handle
        default: return nil
        }
    }

    func nlpidHandle(_ nlpid: UInt8) -> DissectorHandle? {
        if let h = nlpidTable.lookup(UInt32(nlpid)) { return h }
        switch nlpid {
        case NLPID.ip: return ip.handle
        case NLPID.ipv6: return ipv6.handle
        case NLPID.ppp: return ppp.handle
        default: return nil
        }
    }

    /// The NLPID after the control field (RFC 2427 2.3), after an optional padding octet.
    func dissectNLPID(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ parent: TreeNode,
                      at start: Int, control: XDLCControl) throws(Malformed) {
        var offset = start
        // Until known otherwise the NLPID belongs to the payload (OSI protocols count it as
        // part of their PDU), so the Frame Relay item ends before it.
        setEnd(&packet, top, offset, data)
        var nlpid = try data.u8(offset)
        if nlpid == NLPID.padding {
            let pad = packet.add(hf.nlpid, data, offset, 1, .uint(0), parent: top)
            if packet.buildsFullTree { packet.setLabel(pad, "Padding") }
            offset += 1
            setEnd(&packet, top, offset, data)
            nlpid = try data.u8(offset)
        }
        if let h = osinlTable.lookup(UInt32(nlpid)) ?? osinlInclTable.lookup(UInt32(nlpid)) {
            packet.call(h, data.suffix(from: offset), parent: parent)
            // Hidden, so filters still find it.
            packet.add(hf.nlpid, data, offset, 1, .uint(UInt64(nlpid)), parent: top, flags: .hidden)
            return
        }
        packet.add(hf.nlpid, data, offset, 1, .uint(UInt64(nlpid)), parent: top)
        offset += 1
        if nlpid == NLPID.snap {
            setEnd(&packet, top, offset + 5, data)
            try dissectSNAP(&packet, data, top, parent, at: offset, control: control)
            return
        }
        setEnd(&packet, top, offset, data)
        let payload = data.suffix(from: offset)
        if let h = nlpidHandle(nlpid) {
            packet.call(h, payload, parent: parent)
        } else {
            packet.callData(payload, parent: parent)
        }
    }

    /// SNAP after NLPID 0x80: an organisation code and a protocol identifier (RFC 2427 5.1);
    /// OUI 00-00-00 carries an EtherType, OUI 00-80-C2 bridged MAC frames.
    private func dissectSNAP(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ parent: TreeNode,
                             at offset: Int, control: XDLCControl) throws(Malformed) {
        let oui = try data.u24(offset)
        let pid = try data.u16(offset + 3)
        // "; SNAP, OUI 0x000000 (Officially Xerox, but 0:0:0:0:0:0 is more common), PID 0x0806",
        // which the payload's dissector usually replaces.
        let info = packet.info
        info.append("; SNAP, OUI 0x")
        Self.appendUpperHex(info, UInt64(oui), digits: 6)
        info.append(" (")
        info.append(packet.engine.nameResolver.vendor(oui: oui)?.longName ?? "Unknown")
        info.append("), PID 0x")
        Self.appendUpperHex(info, UInt64(pid), digits: 4)

        let ouiItem = packet.add(hf.oui, data, offset, 3, .uint(UInt64(oui)), parent: top)
        if packet.buildsFullTree {
            packet.setLabel(ouiItem, "Organization Code: " + packet.engine.nameResolver.ouiDisplay(oui))
        }
        let payload = data.suffix(from: offset + 5)
        switch oui {
        case OUI.encapsulatedEthernet, OUI.cisco90, OUI.appleAtalk:
            // Only frames carrying data (I, UI) have a meaningful EtherType.
            guard control.isInformation else {
                packet.callData(payload, parent: parent)
                return
            }
            packet.add(hf.snapType, data, offset + 3, 2, .uint(UInt64(pid)), parent: top)
            if packet.call(table: ethertype, key: UInt32(pid), payload, parent: parent) == nil {
                packet.callData(payload, parent: parent)
            }
        case OUI.ieee8021:
            packet.add(hf.pid, data, offset + 3, 2, .uint(UInt64(pid)), parent: top)
            let bridged: NamedDissector?
            switch pid {
            case 0x0001: bridged = ethWithFCS
            case 0x0007: bridged = ethWithoutFCS
            default: bridged = nil
            }
            if let h = bridged?.handle {
                packet.call(h, payload, parent: parent)
            } else {
                packet.callData(payload, parent: parent)
            }
        default:
            packet.add(hf.pid, data, offset + 3, 2, .uint(UInt64(pid)), parent: top)
            packet.callData(payload, parent: parent)
        }
    }

    /// Upper-case hex digits into a column, without building a String.
    static func appendUpperHex(_ c: ColumnText, _ v: UInt64, digits: Int) {
        var shift = (digits - 1) * 4
        while shift >= 0 {
            let d = UInt8((v >> UInt64(shift)) & 0xf)
            c.append(byte: d < 10 ? 0x30 + d : 0x41 + d - 10)
            shift -= 4
        }
    }
}
