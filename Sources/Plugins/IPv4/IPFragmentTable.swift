import DissectKit

/// Reassembly of fragmented IP datagrams (IPv4 RFC 791 §3.2, IPv6 RFC 8200 §4.5), shared by
/// both versions. tshark reads a file in one pass, so a datagram is rebuilt in the frame that
/// completes it and earlier fragments never learn where they were reassembled.
///
/// Memory is bounded: at most `maxDatagrams` incomplete datagrams and `maxStoredBytes` of
/// fragment data are kept (the least recently touched datagram is dropped first), and a
/// datagram may not grow past `maxLength` bytes.
final class IPFragmentTable {
    /// Identifies one datagram: addresses (IPv4 ones in `lo`), identification and (IPv4) protocol.
    struct Key: Hashable {
        var src: IPv6Address
        var dst: IPv6Address
        var id: UInt32
        var proto: UInt16
    }

    struct Fragment {
        var frame: UInt32
        var offset: Int
        var bytes: [UInt8]
    }

    final class Pending {
        var fragments: [Fragment] = []
        /// Known once the fragment without "more fragments" arrived.
        var totalLength: Int?
        var lastTouched: UInt64 = 0
        var storedBytes = 0
    }

    /// A datagram rebuilt by the current frame.
    struct Reassembled {
        /// Fragments in offset order: (frame, offset, length).
        var parts: [(frame: UInt32, offset: Int, length: Int)]
        var bytes: [UInt8]
    }

    let maxDatagrams: Int
    let maxLength: Int
    let maxStoredBytes: Int
    private var pending: [Key: Pending] = [:]
    private var clock: UInt64 = 0
    private var storedTotal = 0

    init(maxDatagrams: Int = 4096, maxLength: Int = 65_535 + 40, maxStoredBytes: Int = 32 << 20) {
        self.maxDatagrams = maxDatagrams
        self.maxLength = maxLength
        self.maxStoredBytes = maxStoredBytes
    }

    func reset() {
        pending.removeAll()
        clock = 0
        storedTotal = 0
    }

    /// Adds a fragment; returns the datagram when this fragment completes it.
    func add(_ key: Key, frame: UInt32, offset: Int, data: ByteView, more: Bool) -> Reassembled? {
        clock &+= 1
        let entry: Pending
        if let e = pending[key] {
            entry = e
        } else {
            if pending.count >= maxDatagrams { evictOldest() }
            entry = Pending()
            pending[key] = entry
        }
        entry.lastTouched = clock
        let end = offset + data.count
        guard end <= maxLength, entry.storedBytes + data.count <= 4 * maxLength else {
            // A datagram that cannot be legal: drop what was gathered for it.
            drop(key)
            return nil
        }
        while storedTotal + data.count > maxStoredBytes && pending.count > 1 { evictOldest(sparing: key) }
        entry.fragments.append(Fragment(frame: frame, offset: offset, bytes: data.copyBytes()))
        entry.storedBytes += data.count
        storedTotal += data.count
        if !more { entry.totalLength = end }
        guard let total = entry.totalLength else { return nil }

        // Complete when the fragments cover [0, total) without a gap.
        let sorted = entry.fragments.sorted { $0.offset < $1.offset }
        var covered = 0
        for f in sorted {
            if f.offset > covered { return nil }
            covered = max(covered, f.offset + f.bytes.count)
        }
        guard covered >= total else { return nil }
        var bytes = [UInt8](repeating: 0, count: total)
        var parts: [(frame: UInt32, offset: Int, length: Int)] = []
        for f in sorted {
            let n = min(f.bytes.count, total - f.offset)
            if n > 0 { bytes.replaceSubrange(f.offset..<(f.offset + n), with: f.bytes[0..<n]) }
            parts.append((f.frame, f.offset, f.bytes.count))
        }
        drop(key)
        return Reassembled(parts: parts, bytes: bytes)
    }

    private func drop(_ key: Key) {
        if let e = pending.removeValue(forKey: key) { storedTotal -= e.storedBytes }
    }

    private func evictOldest(sparing: Key? = nil) {
        let victim = pending.filter { $0.key != sparing }.min { $0.value.lastTouched < $1.value.lastTouched }?.key
        if let victim { drop(victim) }
    }
}

/// Fields that show a reassembled datagram's fragments (`ip.fragment*` / `ipv6.fragment*`).
struct FragmentFields {
    var fragments = FieldID.textOnly
    var fragment = FieldID.textOnly
    var count = FieldID.textOnly
    var reassembledLength = FieldID.textOnly
    var reassembledData = FieldID.textOnly
    /// "IPv4" / "IPv6", for the labels.
    var label = ""
    /// `ip.fragments` is FT_BYTES (its value is the datagram), `ipv6.fragments` FT_NONE.
    var fragmentsHoldBytes = false

    /// Adds a new data source with the datagram and the fragment summary under `parent`;
    /// returns a view of the reassembled payload.
    func show(_ r: IPFragmentTable.Reassembled, _ packet: inout PacketContext, parent: TreeNode) -> ByteView {
        let view = packet.addDataSource("Reassembled \(label)", r.bytes)
        let f = ReassemblyFields(parts: fragments, part: fragment, count: count, length: reassembledLength,
                                 data: reassembledData, title: "\(label) Fragments", partsHoldBytes: fragmentsHoldBytes)
        packet.addReassembly(f, parts: r.parts.map { ReassembledPart(frame: $0.frame, offset: $0.offset, length: $0.length) },
                             view, parent: parent)
        return view
    }
}
