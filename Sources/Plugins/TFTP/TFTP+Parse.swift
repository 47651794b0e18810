import DissectKit

extension TFTPDissector {
    enum Opcode {
        static let readRequest: UInt16 = 1
        static let writeRequest: UInt16 = 2
        static let data: UInt16 = 3
        static let ack: UInt16 = 4
        static let error: UInt16 = 5
        static let optionAck: UInt16 = 6
        static let info: UInt16 = 255
    }

    /// Called through the `udp.port` table or a conversation binding.
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let src = packet.netSrc, dst = packet.netDst
        let sport = UInt16(truncatingIfNeeded: packet.srcPort), dport = UInt16(truncatingIfNeeded: packet.dstPort)
        let bindings = packet.conversations
        let found = bindings.find(transport: 17, src: src, srcPort: sport, dst: dst, dstPort: dport)
        let ours = found.map { $0.handle.dissector === self } ?? false
        let id: UInt32
        if ours, let b = found {
            id = b.id
        } else if portTable.lookup(UInt32(dport))?.dissector === self {
            // To the TFTP port: the transfer will come back from another server port.
            id = bindings.bind(handle, transport: 17, src, sport, dst, nil)
        } else {
            id = bindings.bind(handle, transport: 17, src, sport, dst, dport)
        }
        try transfers.withTransfer(id) { (t: inout TFTPTransfer) throws(Malformed) in
            try dissectMessage(&packet, data, parent, &t)
        }
        return .consumed(data.count)
    }

    /// A request found by the heuristic: always a new transfer, its server port open.
    func dissectRequestStart(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let id = packet.conversations.bind(handle, transport: 17, packet.netSrc, UInt16(truncatingIfNeeded: packet.srcPort),
                                           packet.netDst, nil)
        try transfers.withTransfer(id) { (t: inout TFTPTransfer) throws(Malformed) in
            try dissectMessage(&packet, data, parent, &t)
        }
        return .consumed(data.count)
    }

    func dissectMessage(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                        _ t: inout TFTPTransfer) throws(Malformed) {
        packet.protocolColumn = "TFTP"
        let full = packet.buildsFullTree
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)
        let opcode = try data.u16(0)
        packet.add(hf.opcode, data, 0, 2, .uint(UInt64(opcode)), parent: top)
        let info = packet.info
        info.set("")
        if let name = packet.registry[hf.opcode].strings?.name(for: UInt64(opcode)) {
            info.append(name)
        } else {
            info.append("Unknown (0x")
            info.appendHex(UInt64(opcode), width: 4)
            info.append(")")
        }

        // Messages after the request name its file and frame.
        if t.requestFrame != 0 && opcode != Opcode.readRequest && opcode != Opcode.writeRequest {
            if packet.wants(hf.destinationFile) {
                let name = t.sourceFile ?? t.destinationFile ?? ""
                packet.add(hf.destinationFile, data, 0, 0, packet.text(name), parent: top, flags: .generated)
            }
            let n = packet.add(hf.requestFrame, data, 0, 0, .uint(UInt64(t.requestFrame)), parent: top,
                               flags: .generated)
            if full {
                packet.setLabel(n, (t.sourceFile != nil ? "Read Request" : "Write Request") + " in frame \(t.requestFrame)")
            }
        }

        switch opcode {
        case Opcode.readRequest, Opcode.writeRequest:
            let nameLength = try Self.stringSize(data, 2)
            let read = opcode == Opcode.readRequest
            packet.add(read ? hf.sourceFile : hf.destinationFile, data, 2, nameLength - 1, .string, parent: top)
            let file = String(decoding: try data.slice(2, nameLength - 1).buffer, as: UTF8.self)
            if read {
                t.sourceFile = file
                t.destinationFile = nil
            } else {
                t.destinationFile = file
                t.sourceFile = nil
            }
            t.requestFrame = packet.frame.number
            info.append(", File: ")
            info.append(FieldFormatter.escape(ArraySlice(try data.slice(2, nameLength - 1).buffer)))
            let modeOffset = 2 + nameLength
            let modeLength = try Self.stringSize(data, modeOffset)
            packet.add(hf.type, data, modeOffset, modeLength - 1, .string, parent: top)
            info.append(", Transfer type: ")
            info.append(FieldFormatter.escape(ArraySlice(try data.slice(modeOffset, modeLength - 1).buffer)))
            try dissectOptions(&packet, data, modeOffset + modeLength, top, opcode, &t)
        case Opcode.info, Opcode.optionAck:
            try dissectOptions(&packet, data, 2, top, opcode, &t)
        case Opcode.data:
            if top.index >= 0 { packet.tree.records[Int(top.index)].length = Int32(min(4, data.count)) }
            let block = try data.u16(2)
            let blockNode = packet.add(hf.block, data, 2, 2, .uint(UInt64(block)), parent: top)
            let number = Self.fullBlockNumber(block, t)
            packet.addGenerated(hf.blockFull, .uint(UInt64(number)), parent: top, at: data, 0, 0)
            let bytes = packet.reportedLength(data) - 4
            let last = bytes < t.blocksize
            t.lastBlockSeen = t.lastBlockSeen || last
            if number > t.nextBlock {
                t.nextBlock = number &+ 1 // a gap: tshark does not try to recover
            } else if number == t.nextBlock {
                t.nextBlock &+= 1
            }
            info.append(", Block: ")
            info.append(UInt64(number))
            if last { info.append(" (last)") }
            packet.callData(data.suffix(from: 4))
            if block == 0xffff && bytes == t.blocksize {
                packet.addExpert(hf.eiBlockWrap, parent: blockNode, data, 2, 2)
            }
        case Opcode.ack:
            let block = try data.u16(2)
            packet.add(hf.block, data, 2, 2, .uint(UInt64(block)), parent: top)
            let number = Self.fullBlockNumber(block, t)
            packet.addGenerated(hf.blockFull, .uint(UInt64(number)), parent: top, at: data, 0, 0)
            info.append(", Block: ")
            info.append(UInt64(number))
            if t.dynamicWindowing && data.has(4, 1) {
                // Windows Deployment Services' "msftwindow": each ACK carries the next window size.
                let size = data[unchecked: 4]
                let n = packet.add(hf.nextWindowSize, data, 4, 1, .uint(UInt64(size)), parent: top)
                if Int(size) != t.windowsize && !t.lastBlockSeen {
                    t.windowsize = Int(size)
                    packet.addExpert(hf.eiWindowsizeChange, parent: n, data, 4, 1)
                }
            }
        case Opcode.error:
            let code = try data.u16(2)
            packet.add(hf.errorCode, data, 2, 2, .uint(UInt64(code)), parent: top)
            info.append(", Code: ")
            if let name = packet.registry[hf.errorCode].strings?.name(for: UInt64(code)) {
                info.append(name)
            } else {
                info.append("Unknown (")
                info.append(UInt64(code))
                info.append(")")
            }
            let messageLength = try Self.stringSize(data, 4)
            packet.add(hf.errorMessage, data, 4, messageLength - 1, .string, parent: top)
            info.append(", Message: ")
            info.append(FieldFormatter.escape(ArraySlice(try data.slice(4, messageLength - 1).buffer)))
            packet.addExpert(Self.isLikelyTsizeProbe(code, t) ? hf.eiLikelyTsizeProbe : hf.eiError, parent: top)
        default:
            // tshark adds the rest as bytes; with nothing left that is an exception.
            guard data.count > 2 else { throw Malformed() }
            packet.add(hf.data, data, 2, data.count - 2, .bytes, parent: top)
        }
        t.previousOpcode = opcode
    }

    /// RFC 2347 options: NUL-terminated name and value pairs up to the end of the message.
    private func dissectOptions(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ top: TreeNode,
                                _ opcode: UInt16, _ t: inout TFTPTransfer) throws(Malformed) {
        var offset = start
        while offset < data.count {
            let nameLength = try Self.stringSize(data, offset)
            let valueOffset = offset + nameLength
            let valueLength = try Self.stringSize(data, valueOffset)
            let name = FieldFormatter.escape(ArraySlice(try data.slice(offset, nameLength - 1).buffer))
            let value = FieldFormatter.escape(ArraySlice(try data.slice(valueOffset, valueLength - 1).buffer))
            let node = packet.addText("Option: \(name) = \(value)", data, offset, nameLength + valueLength, parent: top)
            packet.add(hf.optionName, data, offset, nameLength - 1, .string, parent: node)
            packet.add(hf.optionValue, data, valueOffset, valueLength - 1, .string, parent: node)
            offset += nameLength + valueLength
            packet.info.append(", ")
            packet.info.append(name)
            packet.info.append("=")
            packet.info.append(value)

            let option = name.lowercased()
            if opcode == Opcode.readRequest || opcode == Opcode.writeRequest {
                if option == "msftwindow" {
                    if value != "31416" { packet.addExpert(hf.eiMsftwindowUnrecognized, parent: node) }
                } else if option == "windowsize" {
                    let size = Self.leadingInteger(value)
                    if size < 1 || size > 65535 { packet.addExpert(hf.eiWindowsizeRange, parent: node) }
                }
                if option == "tsize" && opcode == Opcode.readRequest { t.tsizeRequested = true }
            } else if opcode == Opcode.optionAck {
                switch option {
                case "blksize":
                    let size = Self.leadingInteger(value)
                    if size < 8 || size > 65464 {
                        packet.addExpert(hf.eiBlocksizeRange, parent: node)
                    } else {
                        t.blocksize = size
                    }
                case "windowsize":
                    let size = Self.leadingInteger(value)
                    if size < 1 || size > 65535 {
                        packet.addExpert(hf.eiWindowsizeRange, parent: node)
                    } else {
                        t.windowsize = size
                    }
                case "msftwindow":
                    if value == "27182" {
                        t.dynamicWindowing = true
                    } else {
                        packet.addExpert(hf.eiMsftwindowUnrecognized, parent: node)
                    }
                default:
                    break
                }
            }
        }
    }

    /// Length of the NUL-terminated string at `offset`, the NUL included (tshark's `tvb_strsize`:
    /// no NUL before the end is an exception).
    static func stringSize(_ data: ByteView, _ offset: Int) throws(Malformed) -> Int {
        guard offset < data.count, let end = data.firstIndex(of: 0, from: offset) else { throw Malformed() }
        return end - offset + 1
    }

    /// `block` with the bits a 16-bit counter lost restored from the transfer's position.
    static func fullBlockNumber(_ block: UInt16, _ t: TFTPTransfer) -> UInt32 {
        let delta = Int16(truncatingIfNeeded: t.nextBlock &- UInt32(block))
        if Int32(delta) > Int32(truncatingIfNeeded: t.nextBlock) { return UInt32(block) }
        return UInt32(truncatingIfNeeded: Int64(t.nextBlock) - Int64(delta))
    }

    /// An ERROR 0 or 8 right after the answer to a read request that asked for `tsize` is the
    /// client ending a size query, not a failure (tshark's heuristic).
    static func isLikelyTsizeProbe(_ code: UInt16, _ t: TFTPTransfer) -> Bool {
        guard code == 8 || code == 0, t.sourceFile != nil, t.tsizeRequested else { return false }
        return t.previousOpcode == Opcode.optionAck || (t.previousOpcode == Opcode.data && t.nextBlock == 2)
    }

    /// `strtol(s, NULL, 10)` clamped to Int: leading blanks, a sign, then digits; 0 when none.
    static func leadingInteger(_ s: String) -> Int {
        var it = s.utf8.drop { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0d) }[...]
        var negative = false
        if let c = it.first, c == 0x2d || c == 0x2b {
            negative = c == 0x2d
            it = it.dropFirst()
        }
        var v = 0
        for c in it {
            guard c >= 0x30 && c <= 0x39 else { break }
            v = v > Int.max / 20 ? v : v * 10 + Int(c - 0x30)
        }
        return negative ? -v : v
    }

    private static let transferModes: [StaticString] = ["netascii", "octet", "mail"]

    /// tshark's request check for the heuristic: from byte 2 on only printable ASCII and NULs,
    /// an even, non-zero number of NULs, and a transfer mode of netascii, octet or mail.
    static func looksLikeRequest(_ data: ByteView) -> Bool {
        var zeros = 0
        var i = 2
        while i < data.count {
            let c = data[unchecked: i]
            if c == 0 {
                zeros += 1
            } else if c < 0x20 || c > 0x7e {
                return false
            }
            i += 1
        }
        guard zeros > 0, zeros % 2 == 0, let nameEnd = data.firstIndex(of: 0, from: 2),
              let modeEnd = data.firstIndex(of: 0, from: nameEnd + 1) else { return false }
        let mode = data.suffix(from: nameEnd + 1).prefix(modeEnd - nameEnd - 1)
        for known in transferModes where mode.count == known.utf8CodeUnitCount {
            var same = true
            for j in 0..<mode.count where mode[unchecked: j] | 0x20 != known.utf8Start[j] {
                same = false
                break
            }
            if same { return true }
        }
        return false
    }
}
