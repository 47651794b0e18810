import DissectKit

/// The bytes after an Ethernet payload, split as tshark 4.0's `add_ethernet_trailer` does:
/// padding up to the 60-byte minimum frame, then a trailer, then the 4-byte FCS when one is
/// known (`eth.fcs:Always`, pcap FCS bits, pcapng `if_fcslen`) or guessed (frames of 64 bytes
/// or more with at least 4 bytes left). The FCS is verified only with `eth.check_fcs:TRUE`.
final class EthernetTrailer {
    struct Fields {
        var padding = FieldID.textOnly
        var fcs = FieldID.textOnly
        var fcsStatus = FieldID.textOnly
        var eiFCSBad = FieldID.textOnly
        var eiPaddingBad = FieldID.textOnly
    }
    var hf = Fields()
    private let prefPadding: Preference
    private let prefCheckFCS: Preference
    private var paddingCache = ChoiceCache()

    /// `eth.padding`: how padding to the minimum frame size is recognised.
    enum Padding: Int {
        case never = 0, zeros = 1, any = 2
    }
    static let paddingChoices: [(name: String, description: String, value: Int)] = [
        ("never", "Never", Padding.never.rawValue), ("zeros", "Zeros", Padding.zeros.rawValue),
        ("any", "Any", Padding.any.rawValue),
    ]

    /// The smallest Ethernet frame without its FCS (IEEE 802.3 clause 4.4.2: 64 bytes with it).
    static let minimumFrame = 60

    init(_ r: Registrar, proto p: FieldID) {
        hf.padding = r.field("Padding", "eth.padding", .bytes, blurb: "Ethernet Padding", in: p)
        hf.fcs = r.field("Frame check sequence", "eth.fcs", .uint32, .hex, blurb: "Ethernet checksum", in: p)
        hf.fcsStatus = r.field("FCS Status", "eth.fcs.status", .uint8, .none, strings: .values(ChecksumStatus.names), in: p)
        hf.eiFCSBad = r.expert("eth.fcs_bad", "Bad checksum", .error, .checksum, in: p)
        hf.eiPaddingBad = r.expert("eth.padding_bad", "Padding identification may be inaccurate and impact trailer dissector",
                                   .note, .protocol, in: p)
        // The Ethernet dissector registered both (in tshark's order) just before.
        prefPadding = r.preference("eth", "padding", title: "", .choice(Self.paddingChoices), default: "Zeros")
        prefCheckFCS = r.preference("eth", "check_fcs", title: "", .bool, default: "FALSE")
    }

    /// Shows `trailer` (the bytes after the payload, up to the end of `frame`) in `tree`.
    /// `frame` is the data the caller's header starts: the FCS covers it up to the FCS.
    func addTrailer(_ packet: inout PacketContext, frame: ByteView, _ tree: TreeNode, trailerField: FieldID,
                    trailer: ByteView, fcs: FCSPresence) {
        var captured = trailer.count
        var reported = captured + packet.missingBytes(trailer)
        guard reported > 0 else { return }
        var offset = 0
        /// Zeros were expected as padding but something else was there.
        var paddingNotZeros = false
        /// "Any" padding took bytes that may have been trailer.
        var paddingAssumed = false

        // Padding: zeros (by default) up to the 60-byte minimum, only in frames of at least 60.
        let frameLength = packet.frame.originalLength
        let padding = Padding(rawValue: paddingCache.value(prefPadding)) ?? .zeros
        if padding != .never && frameLength >= Self.minimumFrame {
            var padLength = 0
            if frameLength - reported < Self.minimumFrame { padLength = Self.minimumFrame - (frameLength - reported) }
            padLength = min(padLength, captured)
            if padding == .zeros {
                for i in 0..<padLength where trailer[unchecked: i] != 0 {
                    padLength = 0
                    paddingNotZeros = true
                    break
                }
            }
            if padLength > 0 {
                paddingAssumed = padding == .any
                packet.add(hf.padding, trailer, 0, padLength, .bytes, parent: tree)
                offset = padLength
                captured -= padLength
                reported -= padLength
            }
        }

        // FCS: known, or guessed for frames of 64 bytes or more with 4 bytes left.
        var hasFCS = false
        if fcs != .never {
            let frameReported = frame.count + packet.missingBytes(frame)
            if fcs == .always || (frameReported >= 64 && reported >= 4) {
                // tshark gives up here when fewer than 4 bytes are left for a known FCS.
                guard reported >= 4 else { return }
                reported -= 4
                captured = min(captured, reported)
                hasFCS = true
            }
        }
        if captured > 0 {
            let item = packet.add(trailerField, trailer, offset, captured, .bytes, parent: tree)
            if paddingNotZeros {
                packet.addExpert(hf.eiPaddingBad, parent: item, trailer, offset, captured,
                                 message: "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.")
            } else if paddingAssumed {
                packet.addExpert(hf.eiPaddingBad, parent: item, trailer, offset, captured,
                                 message: "Padding was assumed, and an undecoded trailer exists. Some of the trailer may have been consumed by padding.")
            }
        }
        let fcsOffset = offset + captured
        guard hasFCS, trailer.has(fcsOffset, 4) else { return }
        addFCS(&packet, frame: frame, tree, trailer, fcsOffset)
    }

    private func addFCS(_ packet: inout PacketContext, frame: ByteView, _ tree: TreeNode, _ trailer: ByteView,
                        _ offset: Int) {
        let sent = (try? trailer.u32(offset)) ?? 0
        let check = prefCheckFCS.text == "TRUE"
        guard check else {
            let node = packet.add(hf.fcs, trailer, offset, 4, .uint(UInt64(sent)), parent: tree)
            if packet.buildsFullTree { packet.setLabel(node, "Frame check sequence: " + Self.hex8(sent) + " [unverified]") }
            packet.addGenerated(hf.fcsStatus, .uint(ChecksumStatus.unverified), parent: tree)
            return
        }
        // The CRC covers the frame from its first byte up to the FCS.
        let fcsStart = trailer.sourceOffset + offset - frame.sourceOffset
        let computed = CRC32.ieee802(frame.prefix(fcsStart)).byteSwapped
        let node = packet.add(hf.fcs, trailer, offset, 4, .uint(UInt64(sent)), parent: tree)
        if computed == sent {
            if packet.buildsFullTree { packet.setLabel(node, "Frame check sequence: " + Self.hex8(sent) + " [correct]") }
            packet.addGenerated(hf.fcsStatus, .uint(ChecksumStatus.good), parent: tree)
        } else {
            if packet.buildsFullTree {
                packet.setLabel(node, "Frame check sequence: " + Self.hex8(sent) + " incorrect, should be " + Self.hex8(computed))
            }
            packet.addExpert(hf.eiFCSBad, parent: node, trailer, offset, 4,
                             message: "Bad checksum [should be " + Self.hex8(computed) + "]")
            packet.addGenerated(hf.fcsStatus, .uint(ChecksumStatus.bad), parent: tree)
            packet.info.append(" [ETHERNET FRAME CHECK SEQUENCE INCORRECT]")
        }
    }

    static func hex8(_ v: UInt32) -> String { "0x" + FieldFormatter.hex(UInt64(v), digits: 8) }
}

/// The IEEE 802.3 CRC-32 (reflected polynomial 0xEDB88320), as carried in the Ethernet FCS.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func ieee802(_ data: ByteView) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        table.withUnsafeBufferPointer { t in
            for i in 0..<data.count {
                crc = t[Int((crc ^ UInt32(data[unchecked: i])) & 0xff)] ^ (crc >> 8)
            }
        }
        return ~crc
    }
}
