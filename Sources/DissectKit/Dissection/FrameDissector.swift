/// The `frame` pseudo-protocol: number, times, lengths, interface, comments, protocols;
/// then the link-layer dissector chosen by the interface's link type.
final class FrameDissector {
    struct Fields {
        var proto = FieldID.textOnly
        var section = FieldID.textOnly
        var interfaceID = FieldID.textOnly
        var interfaceName = FieldID.textOnly
        var interfaceDescription = FieldID.textOnly
        var encapType = FieldID.textOnly
        var time = FieldID.textOnly
        var timeShift = FieldID.textOnly
        var timeEpoch = FieldID.textOnly
        var timeDelta = FieldID.textOnly
        var timeDeltaDisplayed = FieldID.textOnly
        var timeRelative = FieldID.textOnly
        var number = FieldID.textOnly
        var length = FieldID.textOnly
        var capLength = FieldID.textOnly
        var marked = FieldID.textOnly
        var ignored = FieldID.textOnly
        var protocols = FieldID.textOnly
        var comment = FieldID.textOnly
        var commentExpert = FieldID.textOnly
    }
    var hf = Fields()
    var core: CoreFields!

    // Session state: the first frame's time and the previous captured/displayed ones.
    private var firstTime: Timestamp?
    private var previousCaptured: Timestamp?
    private var previousDisplayed: Timestamp?

    /// Frame comments of the current frame (set by the reader through the engine).
    var comments: [String] = []

    func register(_ r: Registrar, core: CoreFields) -> FieldID {
        self.core = core
        let p = r.registerProtocol(name: "Frame", shortName: "FRAME", abbrev: "frame")
        hf.proto = p
        hf.section = r.field("Section number", "frame.section_number", .uint32, .dec, in: p)
        hf.interfaceID = r.field("Interface id", "frame.interface_id", .uint32, .dec, in: p)
        hf.interfaceName = r.field("Interface name", "frame.interface_name", .string, in: p)
        hf.interfaceDescription = r.field("Interface description", "frame.interface_description", .string, in: p)
        hf.encapType = r.field("Encapsulation type", "frame.encap_type", .int16, .dec, strings: .values(WTAP.names), in: p)
        hf.time = r.field("Arrival Time", "frame.time", .absoluteTime, .local, in: p)
        hf.timeShift = r.field("Time shift for this packet", "frame.offset_shift", .relativeTime, in: p)
        hf.timeEpoch = r.field("Epoch Time", "frame.time_epoch", .absoluteTime, .unix, in: p)
        hf.timeDelta = r.field("Time delta from previous captured frame", "frame.time_delta", .relativeTime, in: p)
        hf.timeDeltaDisplayed = r.field("Time delta from previous displayed frame", "frame.time_delta_displayed",
                                        .relativeTime, in: p)
        hf.timeRelative = r.field("Time since reference or first frame", "frame.time_relative", .relativeTime, in: p)
        hf.number = r.field("Frame Number", "frame.number", .uint32, .dec, in: p)
        hf.length = r.field("Frame Length", "frame.len", .uint32, .dec, in: p)
        hf.capLength = r.field("Capture Length", "frame.cap_len", .uint32, .dec, in: p)
        hf.marked = r.field("Frame is marked", "frame.marked", .boolean, in: p)
        hf.ignored = r.field("Frame is ignored", "frame.ignored", .boolean, in: p)
        hf.protocols = r.field("Protocols in frame", "frame.protocols", .string, in: p)
        hf.comment = r.field("Comment", "frame.comment", .string, in: p)
        hf.commentExpert = r.expert("frame.comment.expert", "Formatted comment", .comment, .comments, in: p)
        return p
    }

    func markDisplayed(_ frame: FrameMetadata) { previousDisplayed = frame.timestamp }

    func dissect(_ ctx: inout PacketContext, bytes: UnsafeRawBufferPointer) {
        let f = ctx.frame
        let data = ByteView(bytes)
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
            let iface = f.interfaceID < ctx.engine.interfaces.count ? ctx.engine.interfaces[f.interfaceID] : nil
            let top = ctx.add(hf.proto, data, 0, data.count, .none, parent: .root)
            if ctx.buildsFullTree {
                var label = "Frame \(f.number): \(f.originalLength) bytes on wire (\(f.originalLength * 8) bits), "
                    + "\(f.capturedLength) bytes captured (\(f.capturedLength * 8) bits)"
                if let iface, iface.name != nil || ctx.engine.interfaces.count > 1 || iface.description != nil {
                    label += " on interface \(iface.name ?? "unknown"), id \(f.interfaceID)"
                }
                ctx.setLabel(top, label)
            }
            for c in comments {
                let node = ctx.add(hf.comment, data, 0, 0, ctx.text(c), parent: top)
                _ = node
            }
            if iface != nil && ctx.engine.interfaces.count > 0 && hasInterfaceBlocks(ctx) {
                ctx.add(hf.section, data, 0, 0, .uint(UInt64(f.section + 1)), parent: top)
                let ifn = ctx.add(hf.interfaceID, data, 0, 0, .uint(UInt64(f.interfaceID)), parent: top)
                if let name = iface?.name {
                    ctx.appendLabel(ifn, " (\(name))")
                    ctx.add(hf.interfaceName, data, 0, 0, ctx.text(name), parent: ifn)
                }
                if let d = iface?.description {
                    ctx.add(hf.interfaceDescription, data, 0, 0, ctx.text(d), parent: ifn)
                }
            }
            ctx.add(hf.encapType, data, 0, 0, .int(Int64(WTAP.encap(forLinkType: f.linkType))), parent: top)
            ctx.add(hf.time, data, 0, 0, .absoluteTime(f.timestamp), parent: top)
            ctx.addGenerated(hf.timeShift, .relativeTime(.zero), parent: top)
            ctx.add(hf.timeEpoch, data, 0, 0, .absoluteTime(f.timestamp), parent: top)
            ctx.addGenerated(hf.timeDelta, .relativeTime(delta), parent: top)
            ctx.addGenerated(hf.timeDeltaDisplayed, .relativeTime(deltaDisplayed), parent: top)
            ctx.addGenerated(hf.timeRelative, .relativeTime(f.timestamp - first), parent: top)
            ctx.add(hf.number, data, 0, 0, .uint(UInt64(f.number)), parent: top)
            ctx.add(hf.length, data, 0, 0, .uint(UInt64(f.originalLength)), parent: top)
            ctx.add(hf.capLength, data, 0, 0, .uint(UInt64(f.capturedLength)), parent: top)
            ctx.addGenerated(hf.marked, .bool(false), parent: top)
            ctx.addGenerated(hf.ignored, .bool(false), parent: top)
            protocolsNode = ctx.addGenerated(hf.protocols, .none, parent: top)
        }

        if let h = ctx.engine.linkTypes.lookup(UInt32(f.linkType)) {
            _ = ctx.call(h, data)
        } else {
            ctx.callData(data)
        }

        if !protocolsNode.isNone {
            let names = ctx.layers.all.dropFirst().map { ctx.registry[$0].abbrev }
            let v = ctx.text(names.joined(separator: ":"))
            ctx.tree.records[Int(protocolsNode.index)].value = v
        }
    }

    private func hasInterfaceBlocks(_ ctx: PacketContext) -> Bool { ctx.engine.interfacesFromPcapng }
}

extension Engine {
    /// Frame comments for the next frame (pcapng `opt_comment`).
    public func setFrameComments(_ comments: [String]) { frameDissector.comments = comments }
}

/// Wiretap encapsulation numbers (`frame.encap_type`) and their names, by pcap link type.
public enum WTAP {
    public static let names: [UInt64: String] = [
        0: "Unknown", 1: "Ethernet", 2: "Token Ring", 3: "SLIP", 4: "PPP", 5: "FDDI", 6: "FDDI with bit-swapped MAC addresses",
        7: "Raw IP", 15: "NULL/Loopback", 18: "PPP over serial with HDLC encapsulation", 25: "Linux cooked-mode capture v1",
        20: "IEEE 802.11 Wireless LAN", 129: "Raw IPv4", 130: "Raw IPv6", 210: "Linux cooked-mode capture v2",
        14: "OpenBSD loopback",
    ]

    /// Maps a pcap LINKTYPE_* to wiretap's WTAP_ENCAP_* number.
    public static func encap(forLinkType lt: Int) -> Int {
        switch lt {
        case 0: return 15        // NULL
        case 1: return 1         // Ethernet
        case 6: return 2         // IEEE 802.5 Token Ring
        case 9: return 4         // PPP
        case 10: return 5        // FDDI
        case 12, 14, 101: return 7 // raw IP
        case 50: return 18       // PPP HDLC
        case 105: return 20      // 802.11
        case 108: return 14      // OpenBSD loopback
        case 113: return 25      // SLL
        case 228: return 129     // raw IPv4
        case 229: return 130     // raw IPv6
        case 276: return 210     // SLL2
        default: return 0
        }
    }
}
