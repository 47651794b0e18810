import DissectKit

extension EthernetDissector {
    /// IEEE 802.3 clause 3.2.6: values up to 1500 are a length, from 1536 (0x0600) on a type.
    static let maxLength: UInt16 = 1500
    static let minEthertype: UInt16 = 0x0600

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                 fcs: FCSPresence) throws(Malformed) -> DissectResult {
        packet.protocolColumn = "Ethernet"
        packet.enterLayer(hf.proto)
        // tshark sets the addresses before it reads the type, so a 12- or 13-byte frame still
        // shows them in the Source/Destination columns, with no Ethernet tree.
        let dst = try data.u48(0)
        let src = try data.u48(6)
        packet.dlDst = .ether(dst)
        packet.dlSrc = .ether(src)
        let type = try data.u16(12)

        if type > Self.maxLength && type < Self.minEthertype {
            return invalidLengthType(&packet, data, parent, dst: dst, src: src, type: type)
        }
        if type <= Self.maxLength && type != 0 {
            return ieee8023(&packet, data, parent, dst: dst, src: src, length: type, fcs: fcs)
        }

        packet.info.set("Ethernet II")
        let names = packet.engine.nameResolver
        let top = packet.addLayerItem(hf.proto, data, 0, 14, parent: parent)
        if packet.buildsFullTree {
            // Every Ethernet frame has this line: written as bytes (no String).
            packet.setLabel(top) { b in
                b.append("Ethernet II, Src: ")
                names.appendEtherDisplay(src, to: b)
                b.append(", Dst: ")
                names.appendEtherDisplay(dst, to: b)
            }
        }
        addAddresses(&packet, data, top, dst: dst, src: src, flagGroupSource: true)
        packet.add(hf.type, data, 12, 2, .uint(UInt64(type)), parent: top)
        ethertype.dispatch(&packet, data, EthertypeRequest(etype: type, payloadOffset: 14, headerTree: top,
                                                           trailerField: hf.trailer, fcs: fcs), parent: parent)
        return .consumed(data.count)
    }

    /// "Cisco_12:34:56 (00:00:0c:12:34:56)", or the plain address when names are off (`-n`).
    static func summaryAddress(_ names: NameResolver, _ mac: UInt64) -> String { names.etherDisplay(mac) }

    /// The Destination and Source items with their subtrees (the address again, its resolved
    /// name and OUI as hidden fields, the LG and IG bits), in tshark's order.
    func addAddresses(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, dst: UInt64, src: UInt64,
                      flagGroupSource: Bool) {
        addAddress(&packet, data, top, 0, dst, item: hf.dst, resolved: hf.dstResolved, oui: hf.dstOUI,
                   ouiResolved: hf.dstOUIResolved, lgField: hf.dstLG, igField: hf.dstIG, groupExpert: nil)
        addAddress(&packet, data, top, 6, src, item: hf.src, resolved: hf.srcResolved, oui: hf.srcOUI,
                   ouiResolved: hf.srcOUIResolved, lgField: hf.srcLG, igField: hf.srcIG,
                   groupExpert: flagGroupSource ? hf.eiSrcNotGroup : nil)
    }

    private func addAddress(_ packet: inout PacketContext, _ data: ByteView, _ top: TreeNode, _ offset: Int,
                            _ mac: UInt64, item: FieldID, resolved: FieldID, oui: FieldID, ouiResolved: FieldID,
                            lgField: FieldID, igField: FieldID, groupExpert: FieldID?) {
        let names = packet.engine.nameResolver
        let node = packet.add(item, data, offset, 6, .ether(mac), parent: top)
        let isGroup = mac & 0x0100_0000_0000 != 0
        if let e = groupExpert, isGroup { packet.addExpert(e, parent: node, data, offset, 6) }
        let ouiValue = UInt32(truncatingIfNeeded: mac >> 24)
        let lg = UInt64((mac >> 41) & 1)
        let ig = UInt64((mac >> 40) & 1)
        let hidden: RecordFlags = [.hidden]
        let hiddenGenerated: RecordFlags = [.hidden, .generated]
        let wantsNames = packet.wants(resolved) || packet.wants(hf.addrResolved)
        let name = wantsNames ? names.etherName(mac) : ""
        let wantsVendor = packet.wants(ouiResolved) || packet.wants(hf.addrOUIResolved)
        let vendor = wantsVendor ? names.vendor(oui: ouiValue)?.longName : nil

        if packet.wants(resolved) { packet.add(resolved, data, offset, 6, packet.text(name), parent: node, flags: hiddenGenerated) }
        let ouiNode = packet.add(oui, data, offset, 3, .uint(UInt64(ouiValue)), parent: node, flags: hidden)
        setOUILabel(&packet, ouiNode, oui, ouiValue)
        // tshark gives the resolved OUI the whole address's bytes.
        if let v = vendor, packet.wants(ouiResolved) {
            packet.add(ouiResolved, data, offset, 6, packet.text(v), parent: node, flags: hiddenGenerated)
        }
        packet.add(hf.addr, data, offset, 6, .ether(mac), parent: node)
        if packet.wants(hf.addrResolved) {
            packet.add(hf.addrResolved, data, offset, 6, packet.text(name), parent: node, flags: hiddenGenerated)
        }
        let addrOUINode = packet.add(hf.addrOUI, data, offset, 3, .uint(UInt64(ouiValue)), parent: node, flags: hidden)
        setOUILabel(&packet, addrOUINode, hf.addrOUI, ouiValue)
        if let v = vendor, packet.wants(hf.addrOUIResolved) {
            packet.add(hf.addrOUIResolved, data, offset, 6, packet.text(v), parent: node, flags: hiddenGenerated)
        }
        packet.add(lgField, data, offset, 3, .uint(lg), parent: node)
        packet.add(hf.lg, data, offset, 3, .uint(lg), parent: node, flags: hidden)
        packet.add(igField, data, offset, 3, .uint(ig), parent: node)
        packet.add(hf.ig, data, offset, 3, .uint(ig), parent: node, flags: hidden)
    }

    /// tshark's BASE_OUI line (hidden, but in PDML's showname): "Source OUI: 00:0b:82
    /// (Grandstream Networks," — the value text is cut to 31 bytes, closing parenthesis included.
    private func setOUILabel(_ packet: inout PacketContext, _ node: TreeNode, _ field: FieldID, _ oui: UInt32) {
        guard packet.buildsFullTree, !node.isNone else { return }
        // "Name: xx:xx:xx (Vendor long name)", the value cut to 31 bytes at a character
        // boundary; written into the label pool (this runs twice per Ethernet frame under -V:
        // as Strings it was a fifth of the tree's cost).
        let long = packet.engine.nameResolver.vendor(oui: oui)?.longName
        let table = packet.registry.textTable
        let name = table.entry(field).name
        packet.setLabel(node) { b in
            b.append(table.bytes(name))
            b.append(": ")
            let start = b.count
            b.appendHex(UInt64((oui >> 16) & 0xff), digits: 2)
            b.append(0x3a)
            b.appendHex(UInt64((oui >> 8) & 0xff), digits: 2)
            b.append(0x3a)
            b.appendHex(UInt64(oui & 0xff), digits: 2)
            guard let long else { return }
            b.append(" (")
            b.append(long)
            b.append(0x29)
            let end = start + 31
            guard b.count > end else { return }
            // Back up over an incomplete UTF-8 sequence at the cut.
            let p = b.bytes
            var lead = end - 1
            while lead > start && p[lead] & 0xc0 == 0x80 { lead -= 1 }
            let c = p[lead]
            let len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1
            b.truncate(to: lead + len <= end ? end : lead)
        }
    }

    /// A type/length value between 1501 and 1535: neither (tshark: "Ethernet Unknown").
    private func invalidLengthType(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                                   dst: UInt64, src: UInt64, type: UInt16) -> DissectResult {
        packet.info.clear()
        packet.info.append("Ethernet Unknown: Invalid length/type: 0x")
        packet.info.appendHex(UInt64(type), width: 4)
        packet.info.append(" (")
        packet.info.append(UInt64(type))
        packet.info.append(")")
        let names = packet.engine.nameResolver
        let top = packet.addLayerItem(hf.proto, data, 0, 14, parent: parent,
                                     text: "Ethernet Unknown, Src: " + Self.summaryAddress(names, src)
                                         + ", Dst: " + Self.summaryAddress(names, dst))
        addAddresses(&packet, data, top, dst: dst, src: src, flagGroupSource: false)
        let item = packet.add(hf.invalidLentype, data, 12, 2, .uint(UInt64(type)), parent: top)
        packet.addExpert(hf.eiInvalidLentype, parent: item, data, 12, 2,
                         message: "Invalid length/type: 0x" + FieldFormatter.hex(UInt64(type), digits: 4) + " (\(type))")
        packet.callData(data.suffix(from: 14), parent: parent)
        return .consumed(data.count)
    }

    /// IEEE 802.3 framing: the type field is the payload length; the payload is LLC, or IPX
    /// ("raw 802.3"); what follows the length is a trailer.
    private func ieee8023(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode, dst: UInt64,
                          src: UInt64, length: UInt16, fcs: FCSPresence) -> DissectResult {
        let isLLC = !IEEE8023Payload.isRawIPX(data, at: 14)
        packet.info.clear()
        packet.info.append(isLLC ? "IEEE 802.3 Ethernet " : "IEEE 802.3 Ethernet Raw ")
        let top = packet.addLayerItem(hf.proto, data, 0, 14, parent: parent,
                                     text: isLLC ? "IEEE 802.3 Ethernet " : "IEEE 802.3 Ethernet Raw ")
        addAddresses(&packet, data, top, dst: dst, src: src, flagGroupSource: false)
        let lengthItem = packet.add(hf.len, data, 12, 2, .uint(UInt64(length)), parent: top)
        payload8023.dissect(&packet, data, offset: 14, length: length, tree: top, lengthItem: lengthItem,
                            pastEnd: hf.eiLenPastEnd, trailerField: hf.trailer, trailer: trailerFields, fcs: fcs,
                            parent: parent)
        return .consumed(data.count)
    }
}

extension PacketContext {
    /// Bytes of the frame the capture did not keep (snapshot length), when `data` runs to the
    /// end of the captured frame: the part of tshark's "reported length" we cannot see.
    func missingBytes(_ data: ByteView) -> Int {
        guard data.source == 0, data.sourceOffset + data.count == frame.capturedLength else { return 0 }
        return max(0, frame.originalLength - frame.capturedLength)
    }
}
