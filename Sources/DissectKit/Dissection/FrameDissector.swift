/// The `frame` pseudo-protocol: number, times, lengths, interface, pcapng packet options and
/// comments, protocols; then the link-layer dissector chosen by the record's link type.
///
/// Lines, their order and their conditions are tshark 4.0's (epan/dissectors/packet-frame.c):
/// interface lines only for pcapng records, time lines only for records with a time stamp, the
/// "Packet comments" tree before the frame, packet flags with their bit fields, and so on.
final class FrameDissector {
    struct Fields {
        var proto = FieldID.textOnly
        var commentsProto = FieldID.textOnly
        var time = FieldID.textOnly
        var timeShift = FieldID.textOnly
        var timeEpoch = FieldID.textOnly
        var timeDelta = FieldID.textOnly
        var timeDeltaDisplayed = FieldID.textOnly
        var timeRelative = FieldID.textOnly
        var refTime = FieldID.textOnly
        var number = FieldID.textOnly
        var length = FieldID.textOnly
        var capLength = FieldID.textOnly
        var md5 = FieldID.textOnly
        var p2pDir = FieldID.textOnly
        var linkNumber = FieldID.textOnly
        var fileOffset = FieldID.textOnly
        var marked = FieldID.textOnly
        var ignored = FieldID.textOnly
        var protocols = FieldID.textOnly
        var coloringName = FieldID.textOnly
        var coloringString = FieldID.textOnly
        var section = FieldID.textOnly
        var interfaceID = FieldID.textOnly
        var interfaceName = FieldID.textOnly
        var interfaceDescription = FieldID.textOnly
        var interfaceQueue = FieldID.textOnly
        var packetFlags = FieldID.textOnly
        var flagBits: [FieldID] = []
        var comment = FieldID.textOnly
        var packetID = FieldID.textOnly
        var dropCount = FieldID.textOnly
        var customPEN = FieldID.textOnly
        var customCopy = FieldID.textOnly
        var encapType = FieldID.textOnly
        var commentExpert = FieldID.textOnly
        var timeInvalid = FieldID.textOnly
        var lengthBelowCaptured = FieldID.textOnly
    }
    var hf = Fields()
    var core: CoreFields!

    /// `frame.protocols` texts by layer stack (see `protocolsText`).
    private var protocolsCache: [UInt64: (ids: [FieldID], text: String)] = [:]
    // Run state: the first frame's time and the previous captured/displayed ones.
    private var firstTime: Timestamp?
    private var previousCaptured: Timestamp?
    private var previousDisplayed: Timestamp?

    /// Comments of the current frame (pcapng `opt_comment`), set through the engine.
    var comments: [String] = []

    /// pcapng EPB flag bits: mask and the field (tshark's hf_frame_pack_*).
    static let flagMasks: [UInt32] = [0x3, 0x1c, 0x1e0, 0xfe00, 0x0100_0000, 0x0200_0000, 0x0400_0000,
                                      0x0800_0000, 0x1000_0000, 0x2000_0000, 0x4000_0000, 0x8000_0000]

    func register(_ r: Registrar, core: CoreFields) -> FieldID {
        self.core = core
        let p = r.registerProtocol(name: "Frame", shortName: "Frame", abbrev: "frame")
        hf.proto = p
        hf.commentsProto = r.registerProtocol(name: "Packet comments", shortName: "Pkt_Comment", abbrev: "pkt_comment")
        // Registered in tshark's order, so `-G fields` lists them alike.
        hf.time = r.field("Arrival Time", "frame.time", .absoluteTime, .local,
                          blurb: "Absolute time when this frame was captured", in: p)
        hf.timeShift = r.field("Time shift for this packet", "frame.offset_shift", .relativeTime,
                               blurb: "Time shift applied to this packet", in: p)
        hf.timeEpoch = r.field("Epoch Time", "frame.time_epoch", .relativeTime,
                               blurb: "Epoch time when this frame was captured", in: p)
        hf.timeDelta = r.field("Time delta from previous captured frame", "frame.time_delta", .relativeTime, in: p)
        hf.timeDeltaDisplayed = r.field("Time delta from previous displayed frame", "frame.time_delta_displayed",
                                        .relativeTime, in: p)
        hf.timeRelative = r.field("Time since reference or first frame", "frame.time_relative", .relativeTime,
                                  blurb: "Time relative to time reference or first frame", in: p)
        hf.refTime = r.field("This is a Time Reference frame", "frame.ref_time", .none,
                             blurb: "This frame is a Time Reference frame", in: p)
        hf.number = r.field("Frame Number", "frame.number", .uint32, .dec, in: p)
        hf.length = r.field("Frame length on the wire", "frame.len", .uint32, .dec, in: p)
        hf.capLength = r.field("Frame length stored into the capture file", "frame.cap_len", .uint32, .dec, in: p)
        hf.md5 = r.field("Frame MD5 Hash", "frame.md5_hash", .string, in: p)
        hf.p2pDir = r.field("Point-to-Point Direction", "frame.p2p_dir", .int8, .dec,
                            strings: .values([UInt64(bitPattern: -1): "Unknown", 0: "Sent", 1: "Received"]), in: p)
        hf.linkNumber = r.field("Link Number", "frame.link_nr", .uint16, .dec, in: p)
        hf.fileOffset = r.field("File Offset", "frame.file_off", .int64, .dec, in: p)
        hf.marked = r.field("Frame is marked", "frame.marked", .boolean, blurb: "Frame is marked in the GUI", in: p)
        hf.ignored = r.field("Frame is ignored", "frame.ignored", .boolean,
                             blurb: "Frame is ignored by the dissectors", in: p)
        hf.protocols = r.field("Protocols in frame", "frame.protocols", .string,
                               blurb: "Protocols carried by this frame", in: p)
        hf.coloringName = r.field("Coloring Rule Name", "frame.coloring_rule.name", .string,
                                  blurb: "The frame matched the coloring rule with this name", in: p)
        hf.coloringString = r.field("Coloring Rule String", "frame.coloring_rule.string", .string,
                                    blurb: "The frame matched this coloring rule string", in: p)
        hf.section = r.field("Section number", "frame.section_number", .uint32, .dec,
                             blurb: "The number of the file section this frame is in", in: p)
        hf.interfaceID = r.field("Interface id", "frame.interface_id", .uint32, .dec, in: p)
        hf.interfaceName = r.field("Interface name", "frame.interface_name", .string,
                                   blurb: "The friendly name for this interface", in: p)
        hf.interfaceDescription = r.field("Interface description", "frame.interface_description", .string,
                                          blurb: "The description for this interface", in: p)
        hf.interfaceQueue = r.field("Interface queue", "frame.interface_queue", .uint32, .dec, in: p)
        hf.packetFlags = r.field("Packet flags", "frame.packet_flags", .uint32, .hex, in: p)
        let m = Self.flagMasks.map(UInt64.init)
        hf.flagBits = [
            r.field("Direction", "frame.packet_flags_direction", .uint32, .hex,
                    strings: .values([0: "Unknown", 1: "Inbound", 2: "Outbound"]), bitmask: m[0], in: p),
            r.field("Reception type", "frame.packet_flags_reception_type", .uint32, .dec,
                    strings: .values([0: "Not specified", 1: "Unicast", 2: "Multicast", 3: "Broadcast",
                                      4: "Promiscuous"]), bitmask: m[1], in: p),
            r.field("FCS length", "frame.packet_flags_fcs_length", .uint32, .dec, bitmask: m[2], in: p),
            r.field("Reserved", "frame.packet_flags_reserved", .uint32, .dec, bitmask: m[3], in: p),
            r.field("CRC error", "frame.packet_flags_crc_error", .boolean, bitmask: m[4], bitWidth: 32, in: p),
            r.field("Packet too long error", "frame.packet_flags_packet_too_error", .boolean, bitmask: m[5],
                    bitWidth: 32, in: p),
            r.field("Packet too short error", "frame.packet_flags_packet_too_short_error", .boolean, bitmask: m[6],
                    bitWidth: 32, in: p),
            r.field("Wrong interframe gap error", "frame.packet_flags_wrong_inter_frame_gap_error", .boolean,
                    bitmask: m[7], bitWidth: 32, in: p),
            r.field("Unaligned frame error", "frame.packet_flags_unaligned_frame_error", .boolean, bitmask: m[8],
                    bitWidth: 32, in: p),
            r.field("Start frame delimiter error", "frame.packet_flags_start_frame_delimiter_error", .boolean,
                    bitmask: m[9], bitWidth: 32, in: p),
            r.field("Preamble error", "frame.packet_flags_preamble_error", .boolean, bitmask: m[10], bitWidth: 32,
                    in: p),
            r.field("Symbol error", "frame.packet_flags_symbol_error", .boolean, bitmask: m[11], bitWidth: 32, in: p),
        ]
        hf.comment = r.field("Comment", "frame.comment", .string, in: p)
        hf.packetID = r.field("Packet id", "frame.packet_id", .uint64, .dec, in: p)
        _ = r.field("Verdict", "frame.verdict", .string, in: p)
        _ = r.field("Hardware", "frame.verdict.hw", .bytes, in: p)
        _ = r.field("eBPF TC", "frame.verdict.ebpf_tc", .int64, .dec, in: p)
        _ = r.field("eBPF XDP", "frame.verdict.ebpf_xdp", .int64, .dec, in: p)
        _ = r.field("Unknown", "frame.verdict.unknown", .bytes, in: p)
        hf.dropCount = r.field("Drop Count", "frame.drop_count", .uint64, .dec,
                               blurb: "Number of frames lost between this frame and the preceding one on the same interface",
                               in: p)
        hf.customPEN = r.field("Private Enterprise Number", "frame.cb_pen", .uint32, .dec,
                               blurb: "IANA assigned private enterprise number (PEN)", in: p)
        hf.customCopy = r.field("Copying", "frame.cb_copy", .boolean, strings: .trueFalse("Allowed", "Not allowed"),
                                blurb: "Whether the custom block will be written or not", in: p)
        hf.encapType = r.field("Encapsulation type", "frame.encap_type", .int16, .dec, strings: .values(WTAP.names),
                               in: p)
        hf.commentExpert = r.expert("frame.comment.expert", "Formatted comment", .comment, .comments, in: p)
        hf.timeInvalid = r.expert("frame.time_invalid", "Arrival Time: Fractional second out of range (0-1000000000)",
                                  .note, .sequence, in: p)
        _ = r.expert("frame.incomplete", "Incomplete dissector", .note, .undecoded, in: p)
        hf.lengthBelowCaptured = r.expert("frame.len_lt_caplen", "Frame length is less than captured length",
                                          .error, .malformed, in: p)
        return p
    }

    /// Forgets the first and previous frame times (a new pass over the file).
    func resetTimes() {
        firstTime = nil
        previousCaptured = nil
        previousDisplayed = nil
    }

    func markDisplayed(_ frame: FrameMetadata) { previousDisplayed = frame.timestamp }

    /// Forgets the run state (a new file).
    func resetRun() {
        firstTime = nil
        previousCaptured = nil
        previousDisplayed = nil
    }

    func dissect(_ ctx: inout PacketContext, bytes: UnsafeRawBufferPointer) {
        let f = ctx.frame
        let data = ByteView(bytes)
        // tshark measures from the first frame and the previous one whether or not they carry a
        // time stamp (records without one count as time 0).
        let first = firstTime ?? f.timestamp
        if firstTime == nil { firstTime = f.timestamp }
        let delta = f.timestamp - (previousCaptured ?? f.timestamp)
        let deltaDisplayed = f.timestamp - (previousDisplayed ?? f.timestamp)
        previousCaptured = f.timestamp
        ctx.timeRelative = f.timestamp - first
        ctx.timeDelta = delta
        ctx.timeDeltaDisplayed = deltaDisplayed

        ctx.layers.push(hf.proto)
        var protocolsNode = TreeNode.none
        if !ctx.tree.interest.isEmpty {
            protocolsNode = addTree(&ctx, data, first: first, delta: delta, deltaDisplayed: deltaDisplayed)
        }

        switch f.kind {
        case .packet:
            let encap = WTAP.encap(forLinkType: f.linkType)
            if encap != WTAP.unknown, let h = linkHandle(ctx.engine, f.linkType) {
                _ = ctx.call(h, data)
            } else {
                // tshark has a dissector for every encapsulation it knows; without one it says so.
                ctx.protocolColumn = "UNKNOWN"
                ctx.info.set("WTAP_ENCAP = ")
                ctx.info.append(encap)
                ctx.callData(data)
            }
        case .customBlock(let pen, let copyAllowed):
            ctx.protocolColumn = "PCAPNG"
            ctx.info.append("Custom Block: PEN = " + Self.enterpriseName(pen) + " (\(pen)), will"
                            + (copyAllowed ? "" : " not") + " be copied")
            ctx.callData(data)
        }

        if !protocolsNode.isNone {
            // The malformed/short marks are tree items (io,phs counts them) but no layers of
            // tshark's `frame.protocols` ("eth:ethertype:vlan" for a cut VLAN tag).
            let v = ctx.text(protocolsText(ctx))
            ctx.tree.records[Int(protocolsNode.index)].value = v
        }
    }

    /// The dissector for a link type, or for another link type wiretap maps to the same
    /// encapsulation (raw IP is 12, 14 or 101 depending on the writer's platform).
    private func linkHandle(_ engine: Engine, _ linkType: Int) -> DissectorHandle? {
        if let h = engine.linkTypes.lookup(UInt32(truncatingIfNeeded: linkType)) { return h }
        for alias in WTAP.aliases(ofLinkType: linkType) where alias != linkType {
            if let h = engine.linkTypes.lookup(UInt32(alias)) { return h }
        }
        return nil
    }

    /// Adds the "Packet comments" tree and the frame tree; returns the `frame.protocols` record,
    /// filled in after the other dissectors ran.
    private func addTree(_ ctx: inout PacketContext, _ data: ByteView, first: Timestamp, delta: Timestamp,
                         deltaDisplayed: Timestamp) -> TreeNode {
        let f = ctx.frame
        let full = ctx.buildsFullTree

        if !comments.isEmpty {
            let tree = ctx.add(hf.commentsProto, data, 0, 0, .none, parent: .root)
            for c in comments {
                let node = ctx.add(hf.comment, data, 0, 0, ctx.text(c), parent: tree)
                if full { ctx.setLabel(node, Self.label(c)) }
                ctx.addExpert(hf.commentExpert, parent: node, message: Self.prefix(c, bytes: 239))
            }
        }

        // The interface as tshark 4.0 names it: looked up by the block's own (section-relative)
        // id in the list of all interfaces of the file.
        var ifName = "unknown"
        var ifDescription: String?
        if f.hasInterfaceID, f.sectionInterfaceID < ctx.engine.interfaces.count {
            let i = ctx.engine.interfaces[f.sectionInterfaceID]
            ifName = i.name ?? i.description ?? i.hardware ?? "unknown"
            ifDescription = i.description
        }

        let top = ctx.add(hf.proto, data, 0, data.count, .none, parent: .root)
        if full {
            var label: String
            switch f.kind {
            case .packet:
                // Every packet has this line: written as bytes, no String.
                ctx.setLabel(top) { b in
                    b.append("Frame ")
                    b.appendDecimal(UInt64(f.number))
                    b.append(": ")
                    Self.writeBytesAndBits(f.originalLength, "on wire", to: b)
                    b.append(", ")
                    Self.writeBytesAndBits(f.capturedLength, "captured", to: b)
                    if f.hasInterfaceID {
                        b.append(" on interface ")
                        b.append(ifName)
                        b.append(", id ")
                        b.appendDecimal(f.sectionInterfaceID)
                    }
                    switch (f.epbFlags ?? 0) & 3 {
                    case 1: b.append(" (inbound)")
                    case 2: b.append(" (outbound)")
                    default: break
                    }
                }
                label = ""
            case .customBlock(let pen, let copyAllowed):
                label = "PCAPNG Custom Block \(f.number): " + Self.bytesAndBits(f.originalLength, "")
                    + " of custom data and options, PEN \(Self.enterpriseName(pen)) (\(pen)), copying"
                    + (copyAllowed ? "" : " not") + " allowed"
            }
            if !label.isEmpty { ctx.setLabel(top, label) }
        }

        if ctx.engine.interfacesFromPcapng {
            ctx.add(hf.section, data, 0, 0, .uint(UInt64(f.section + 1)), parent: top)
        }
        if f.hasInterfaceID {
            let idNode = ctx.add(hf.interfaceID, data, 0, 0, .uint(UInt64(f.sectionInterfaceID)), parent: top)
            if full { ctx.appendLabel(idNode, " (\(ifName))") }
            ctx.add(hf.interfaceName, data, 0, 0, ctx.text(ifName), parent: idNode)
            if let d = ifDescription {
                ctx.add(hf.interfaceDescription, data, 0, 0, ctx.text(d), parent: idNode)
            }
        }
        if let q = f.interfaceQueue {
            ctx.add(hf.interfaceQueue, data, 0, 0, .uint(UInt64(q)), parent: top)
        }
        if let flags = f.epbFlags {
            let node = ctx.add(hf.packetFlags, data, 0, 0, .uint(UInt64(flags)), parent: top)
            for (i, field) in hf.flagBits.enumerated() {
                let mask = Self.flagMasks[i]
                let v = UInt64((flags & mask) >> UInt32(mask.trailingZeroBitCount))
                ctx.add(field, data, 0, 0, .uint(v), parent: node)
            }
        }
        if let id = f.packetID {
            ctx.add(hf.packetID, data, 0, 0, .uint(id), parent: top)
        }
        if case .packet = f.kind {
            ctx.add(hf.encapType, data, 0, 0, .int(Int64(WTAP.encap(forLinkType: f.linkType))), parent: top)
        }
        if f.hasTimestamp {
            ctx.add(hf.time, data, 0, 0, .absoluteTime(f.timestamp), parent: top)
            if f.timestamp.nanoseconds < 0 || f.timestamp.nanoseconds >= 1_000_000_000 {
                let ns = FieldFormatter.nanos9(f.timestamp.nanoseconds)
                ctx.addExpert(hf.timeInvalid, parent: top, message:
                    "Arrival Time: Fractional second \(ns) is invalid, the valid range is 0-1000000000")
            }
            ctx.addGenerated(hf.timeShift, .relativeTime(.zero), parent: top)
            ctx.add(hf.timeEpoch, data, 0, 0, .relativeTime(f.timestamp), parent: top)
            ctx.addGenerated(hf.timeDelta, .relativeTime(delta), parent: top)
            ctx.addGenerated(hf.timeDeltaDisplayed, .relativeTime(deltaDisplayed), parent: top)
            ctx.addGenerated(hf.timeRelative, .relativeTime(f.timestamp - first), parent: top)
        }
        ctx.add(hf.number, data, 0, 0, .uint(UInt64(f.number)), parent: top)
        let lenNode = ctx.add(hf.length, data, 0, 0, .uint(UInt64(f.originalLength)), parent: top)
        if full {
            ctx.setLabel(lenNode) { b in
                b.append("Frame Length: ")
                Self.writeBytesAndBits(f.originalLength, "", to: b)
            }
        }
        if f.originalLength < f.capturedLength {
            ctx.addExpert(hf.lengthBelowCaptured, parent: lenNode)
        }
        let capNode = ctx.add(hf.capLength, data, 0, 0, .uint(UInt64(f.capturedLength)), parent: top)
        if full {
            ctx.setLabel(capNode) { b in
                b.append("Capture Length: ")
                Self.writeBytesAndBits(f.capturedLength, "", to: b)
            }
        }
        if let drops = f.dropCount {
            ctx.add(hf.dropCount, data, 0, 0, .uint(drops), parent: top)
        }
        ctx.addGenerated(hf.marked, .bool(false), parent: top)
        ctx.addGenerated(hf.ignored, .bool(false), parent: top)
        if case .packet = f.kind, let flags = f.epbFlags, flags & 3 == 1 || flags & 3 == 2 {
            // Inbound is "received" (1), outbound "sent" (0).
            ctx.add(hf.p2pDir, data, 0, 0, .int(flags & 3 == 1 ? 1 : 0), parent: top)
        }
        if case .customBlock(let pen, let copyAllowed) = f.kind {
            let penNode = ctx.add(hf.customPEN, data, 0, 0, .uint(UInt64(pen)), parent: top)
            if full { ctx.setLabel(penNode, "Private Enterprise Number: \(Self.enterpriseName(pen)) (\(pen))") }
            ctx.add(hf.customCopy, data, 0, 0, .bool(copyAllowed), parent: top)
        }
        return ctx.addGenerated(hf.protocols, .none, parent: top)
    }

    /// tshark keeps tree labels under 240 bytes (ITEM_LABEL_LENGTH): a longer one becomes
    /// " [truncated]" and the text up to the character that holds label byte 238.
    static func label(_ s: String) -> String {
        s.utf8.count < 240 ? s : " [truncated]" + prefix(s, bytes: 226)
    }

    /// The longest prefix of `s` of at most `bytes` UTF-8 bytes that ends on a character boundary.
    static func prefix(_ s: String, bytes: Int) -> String {
        let u = Array(s.utf8)
        guard u.count > bytes else { return s }
        var n = bytes
        while n > 0 && u[n] & 0xc0 == 0x80 { n -= 1 }
        return String(decoding: u[0..<n], as: UTF8.self)
    }

    /// "74 bytes (592 bits)" (singular for one byte), then `suffix`.
    static func bytesAndBits(_ n: Int, _ suffix: String) -> String {
        (n == 1 ? "1 byte" : "\(n) bytes") + (suffix.isEmpty ? " " : " \(suffix) ") + "(\(n * 8) bits)"
    }

    /// `frame.protocols` ("eth:ethertype:ip:tcp:smtp"): a capture has a handful of layer
    /// stacks, so each text is built once and then shared (keyed by a hash of the layer ids,
    /// checked against the ids).
    private func protocolsText(_ ctx: PacketContext) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let layers = ctx.layers.all
        for id in layers.dropFirst() where id != core.malformed && id != core.short {
            hash = (hash ^ UInt64(UInt32(bitPattern: id.raw))) &* 0x0000_0100_0000_01b3
        }
        if let c = protocolsCache[hash], c.ids.elementsEqual(layers.dropFirst().lazy.filter({ $0 != self.core.malformed && $0 != self.core.short })) {
            return c.text
        }
        var joined = ""
        var ids: [FieldID] = []
        for id in layers.dropFirst() where id != core.malformed && id != core.short {
            if !joined.isEmpty { joined += ":" }
            joined += ctx.registry.fields[Int(id.raw)].abbrev
            ids.append(id)
        }
        if protocolsCache.count > 4096 { protocolsCache.removeAll() }
        protocolsCache[hash] = (ids, joined)
        return joined
    }

    /// `bytesAndBits` written into a label.
    static func writeBytesAndBits(_ n: Int, _ suffix: StaticString, to b: TextBuffer) {
        if n == 1 { b.append("1 byte") } else {
            b.appendDecimal(n)
            b.append(" bytes")
        }
        b.append(0x20)
        if suffix.utf8CodeUnitCount > 0 {
            b.append(suffix)
            b.append(0x20)
        }
        b.append(0x28)
        b.appendDecimal(n * 8)
        b.append(" bits)")
    }

    /// IANA Private Enterprise Numbers tshark names in Custom Block lines (only the ones worth
    /// knowing here; others read "Unknown").
    static func enterpriseName(_ pen: UInt32) -> String {
        switch pen {
        case 32473: return "Example Enterprise Number for Documentation Use"
        case 10949: return "Netflix, Inc."
        case 46254: return "Vector Informatik GmbH"
        default: return "Unknown"
        }
    }
}

extension Engine {
    /// Frame comments for the next frame (pcapng `opt_comment`).
    public func setFrameComments(_ comments: [String]) {
        if !comments.isEmpty || !frameDissector.comments.isEmpty { frameDissector.comments = comments }
    }
}
