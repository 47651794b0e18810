/// Everything known about the packet being dissected: the frame, its tree, its columns and
/// the addresses lower layers found. One context is reused for every packet of a run.
public struct PacketContext {
    public unowned let engine: Engine
    public let tree: PacketTree
    /// The Info column.
    public let info: ColumnText
    /// The Protocol column (a registry string: setting it allocates nothing).
    public var protocolColumn: String = ""

    /// The frame as read from the capture.
    public var frame: FrameMetadata = FrameMetadata()

    /// Times relative to the first frame, the previous captured and previous displayed frame.
    public var timeRelative: Timestamp = .zero
    public var timeDelta: Timestamp = .zero
    public var timeDeltaDisplayed: Timestamp = .zero

    /// Network-layer source/destination (ip.src…) and link-layer ones (eth.src…).
    public var netSrc: Address = .none
    public var netDst: Address = .none
    public var dlSrc: Address = .none
    public var dlDst: Address = .none
    /// What the Source and Destination columns show while no layer has set an address: tshark's
    /// Null, Raw and PPP dissectors put "N/A" there (`COL_RES_DL_SRC`), which IP later replaces.
    public var addressPlaceholder: StaticString? = nil
    /// Transport ports of the innermost transport layer.
    public var srcPort: UInt32 = 0
    public var dstPort: UInt32 = 0
    /// Set while dissecting the copy of a header inside an ICMP error (tshark's
    /// `pinfo->flags.in_error_pkt`): no state is updated from it.
    public var inErrorPacket: Bool = false
    /// Set by IP while dissecting the first fragment of a datagram that was not reassembled
    /// (tshark's `pinfo->fragmented`): the payload is incomplete, so length checks are skipped.
    public var fragmented: Bool = false
    /// Set by the transport when this segment ends the sender's stream (a TCP FIN): a stream
    /// dissector stops waiting for more data (tshark's `IS_TH_FIN(tcpinfo->flags)`, e.g. an
    /// HTTP body that runs until the connection closes).
    public var endOfStream: Bool = false
    /// Protocols seen so far, for `frame.protocols` and `-z io,phs`.
    public var layers: LayerStack
    /// Set when a dissector threw `Malformed`.
    public var isMalformed: Bool = false
    /// Data sources: 0 is the frame; reassembled or decrypted buffers follow.
    public var sources: DataSources

    public init(engine: Engine, interest: Interest) {
        self.engine = engine
        self.tree = PacketTree(interest: interest)
        self.info = ColumnText()
        self.layers = LayerStack()
        self.sources = DataSources()
    }

    /// Clears per-packet state before the next frame.
    @inlinable
    public mutating func reset() {
        tree.reset()
        info.reset()
        protocolColumn = ""
        netSrc = .none; netDst = .none; dlSrc = .none; dlDst = .none
        addressPlaceholder = nil
        srcPort = 0; dstPort = 0
        inErrorPacket = false
        fragmented = false
        endOfStream = false
        isMalformed = false
        layers.reset()
        sources.reset()
    }

    @inlinable public var registry: FieldRegistry { engine.registry }

    /// True when records are being built for `field` (the tree is wanted).
    @inlinable public func wants(_ field: FieldID) -> Bool { tree.wants(field) }

    /// True when every record is built (`-V` and friends): worth building texts.
    @inlinable public var buildsFullTree: Bool { tree.full }

    // MARK: adding records

    /// Adds a record for `length` bytes at `offset` of `data` with `value`.
    @discardableResult
    @inlinable
    public mutating func add(_ field: FieldID, _ data: ByteView, _ offset: Int, _ length: Int, _ value: FieldValue,
                             parent: TreeNode, flags: RecordFlags = []) -> TreeNode {
        // A wanted field is recorded even under an unwanted parent (`-T fields`, filters):
        // `.none` parents only mean "no line for the parent".
        guard tree.wants(field) else { return .none }
        let idx = Int32(truncatingIfNeeded: tree.records.count)
        tree.records.append(FieldRecord(field: field, parent: parent.index < 0 ? -1 : parent.index,
                                        offset: Int32(truncatingIfNeeded: data.sourceOffset + offset),
                                        length: Int32(truncatingIfNeeded: length),
                                        source: Int16(truncatingIfNeeded: data.source),
                                        flags: parent == .root ? flags.union(.topLevel) : flags, label: -1,
                                        value: value))
        return TreeNode(idx)
    }

    /// Adds a generated record (shown in brackets) with no bytes behind it.
    @discardableResult
    @inlinable
    public mutating func addGenerated(_ field: FieldID, _ value: FieldValue, parent: TreeNode,
                                      at data: ByteView = .empty, _ offset: Int = 0, _ length: Int = 0,
                                      hidden: Bool = false) -> TreeNode {
        add(field, data, offset, length, value, parent: parent, flags: hidden ? [.generated, .hidden] : .generated)
    }

    /// Adds a protocol's top item (and records the layer for `frame.protocols`).
    @discardableResult
    public mutating func addProtocol(_ proto: FieldID, _ data: ByteView, _ offset: Int, _ length: Int,
                                     parent: TreeNode = .root, text: @autoclosure () -> String? = nil) -> TreeNode {
        layers.push(proto)
        let node = add(proto, data, offset, length, .none, parent: parent)
        if !node.isNone, tree.full, let t = text() { setLabel(node, t) }
        return node
    }

    /// Adds a text-only line (tshark's `proto_tree_add_subtree` with no field).
    @discardableResult
    public mutating func addText(_ text: @autoclosure () -> String, _ data: ByteView, _ offset: Int, _ length: Int,
                                 parent: TreeNode, generated: Bool = false) -> TreeNode {
        guard tree.full, !parent.isNone || parent == .root else { return .none }
        let node = add(.textOnly, data, offset, length, .none, parent: parent, flags: generated ? .generated : [])
        setLabel(node, text())
        return node
    }

    /// Replaces the text of a record's line.
    public mutating func setLabel(_ node: TreeNode, _ text: String) {
        guard node.index >= 0 else { return }
        setLabel(node) { $0.append(text) }
    }

    /// Replaces the text of a record's line with what `write` appends to the buffer: the
    /// allocation-free way to build a label (`packet.setLabel(node) { $0.append("Src: "); $0.appendIPv4(a) }`).
    @inlinable
    public mutating func setLabel(_ node: TreeNode, _ write: (TextBuffer) -> Void) {
        guard node.index >= 0 else { return }
        let i = Int(node.index)
        let span = tree.beginLabel()
        write(tree.labelBytes)
        tree.endLabel(span)
        tree.records[i].label = span
        tree.records[i].flags.insert(.labelReplaces)
        tree.records[i].flags.remove([.labelAppends, .formatText, .formatTextWSP])
    }

    /// Appends text to a record's line (tshark's `proto_item_append_text`).
    public mutating func appendLabel(_ node: TreeNode, _ text: @autoclosure () -> String) {
        guard node.index >= 0, tree.full else { return }
        appendLabel(node) { $0.append(text()) }
    }

    /// Appends what `write` writes to a record's line (tshark's `proto_item_append_text`),
    /// without building a String. Only runs when the whole tree is built.
    @inlinable
    public mutating func appendLabel(_ node: TreeNode, _ write: (TextBuffer) -> Void) {
        guard node.index >= 0, tree.full else { return }
        let i = Int(node.index)
        if tree.records[i].flags.contains(.formatText) { materializeFormatText(i) }
        let span = tree.records[i].label
        if span >= 0 && Int(span) < tree.labelSpans.count {
            tree.reopenLabel(span)
            write(tree.labelBytes)
            tree.endLabel(span)
        } else {
            let s = tree.beginLabel()
            write(tree.labelBytes)
            tree.endLabel(s)
            tree.records[i].label = s
            tree.records[i].flags.insert(.labelAppends)
        }
    }

    /// Adds a text-only line whose text `write` appends (no String; only with the whole tree).
    @discardableResult
    @inlinable
    public mutating func addText(_ data: ByteView, _ offset: Int, _ length: Int, parent: TreeNode,
                                 generated: Bool = false, _ write: (TextBuffer) -> Void) -> TreeNode {
        guard tree.full, !parent.isNone || parent == .root else { return .none }
        let node = add(.textOnly, data, offset, length, .none, parent: parent, flags: generated ? .generated : [])
        setLabel(node, write)
        return node
    }

    /// The label text of a record, or nil when it has none.
    public func labelText(_ node: TreeNode) -> String? {
        guard node.index >= 0 else { return nil }
        let r = tree.records[Int(node.index)]
        return r.flags.contains(.formatText) ? replacementLabel(r) : tree.labelString(r)
    }

    /// Stores a computed string and returns the value that refers to it.
    public mutating func text(_ s: String) -> FieldValue {
        tree.texts.append(s)
        return .text(Int32(tree.texts.count - 1))
    }

    /// Adds an expert info (tshark's `expert_add_info`), optionally with its own message.
    @discardableResult
    public mutating func addExpert(_ expert: FieldID, parent: TreeNode, _ data: ByteView = .empty, _ offset: Int = 0,
                                   _ length: Int = 0, message: @autoclosure () -> String? = nil) -> TreeNode {
        engine.noteExpert(expert, packet: frame.number)
        let core = engine.core
        let details = !tree.full && (tree.wants(core.expert) || tree.wants(core.expertMessage)
            || tree.wants(core.expertSeverity) || tree.wants(core.expertGroup))
        // tshark's expert_create_tree adds a hidden `_ws.malformed` next to the `_ws.expert` of every
        // Malformed-group expert info (it is in `-T json/ek/pdml` and makes `_ws.malformed` match).
        let malformed = tree.wants(core.malformed) && engine.registry.expert(expert)?.group == .malformed
        guard tree.wants(expert) || details || malformed else { return .none }
        let p = parent
        let node = add(expert, data, offset, length, .none, parent: p, flags: .expert)
        let msg = message()
        if !node.isNone, let m = msg {
            let i = Int(node.index)
            let span = tree.beginLabel()
            tree.labelBytes.append(m)
            tree.endLabel(span)
            tree.records[i].label = span
        }
        // `_ws.expert`, `_ws.expert.message/severity/group` for filters and `-T fields` (hidden:
        // `-V` prints the expert's three detail lines from the record itself).
        if details, let info = engine.registry.expert(expert) {
            let top = add(core.expert, data, offset, length, .none, parent: node.isNone ? p : node, flags: .hidden)
            // Its line text is `-T fields -e _ws.expert`'s value (tshark's fi->rep).
            if !top.isNone {
                setLabel(top, "Expert Info (\(info.severity.name)/\(info.group.name)): " + (msg ?? info.summary))
            }
            let under = top.isNone ? (node.isNone ? p : node) : top
            if tree.wants(core.expertMessage) {
                add(core.expertMessage, data, offset, length, text(msg ?? info.summary), parent: under, flags: .hidden)
            }
            add(core.expertSeverity, data, offset, length, .uint(info.severity.filterValue), parent: under, flags: .hidden)
            add(core.expertGroup, data, offset, length, .uint(UInt64(info.group.rawValue)), parent: under, flags: .hidden)
        }
        if malformed { add(core.malformed, data, offset, 0, .none, parent: p, flags: .hidden) }
        return node
    }

    // MARK: calling sub-dissectors

    /// Calls a dissector, turning `Malformed` into tshark's malformed mark.
    @discardableResult
    public mutating func call(_ handle: DissectorHandle, _ data: ByteView, parent: TreeNode = .root) -> DissectResult {
        do {
            return try handle.dissector.dissect(&self, data, parent)
        } catch {
            // A packet quoted in an ICMP error is often cut short: tshark catches that exception
            // (ReportedBoundsError) at the ICMP layer and adds no mark, unless the capture itself
            // was cut or an item claims more than its container holds.
            if inErrorPacket && frame.capturedLength >= frame.originalLength && !error.containedLength {
                return .consumed(data.count)
            }
            markMalformed(handle.protocolID, data, containedLength: error.containedLength)
            return .consumed(data.count)
        }
    }

    /// Looks `key` up in `table` and calls the dissector found; nil when there is none.
    @discardableResult
    public mutating func call(table: DissectorTable, key: UInt32, _ data: ByteView, parent: TreeNode = .root) -> DissectResult? {
        guard let h = table.lookup(key) else { return nil }
        let r = call(h, data, parent: parent)
        return r == .notMine ? nil : r
    }

    /// Tries the heuristic dissectors of `table` in order; true when one took the data.
    public mutating func tryHeuristics(_ table: DissectorTable, _ data: ByteView, parent: TreeNode = .root) -> Bool {
        callHeuristics(table, data, parent: parent) != nil
    }

    /// Tries the heuristic dissectors of `table` in order; the result of the one that took the
    /// data (a stream dissector may ask for more), nil when none did.
    public mutating func callHeuristics(_ table: DissectorTable, _ data: ByteView, parent: TreeNode = .root)
        -> DissectResult?
    {
        for h in table.heuristics where h.enabled {
            let mark = tree.records.count
            let layerMark = layers.count
            let r = call(h.handle, data, parent: parent)
            if r != .notMine { return r }
            tree.records.removeSubrange(mark...)
            layers.truncate(layerMark)
        }
        return nil
    }

    /// Hands undissected payload to the `data` protocol, as tshark does.
    public mutating func callData(_ data: ByteView, parent: TreeNode = .root) {
        guard data.count > 0 else { return }
        _ = call(engine.dataHandle, data, parent: parent)
    }

    /// Marks the packet malformed in `proto` (tshark: `[Malformed Packet: TCP]`, or
    /// `[Packet size limited during capture: TCP truncated]` when the snapshot length cut it).
    public mutating func markMalformed(_ proto: FieldID, _ data: ByteView, containedLength: Bool = false) {
        isMalformed = true
        engine.markMalformed(&self, proto: proto, data: data, containedLength: containedLength)
    }
}

/// The frame's metadata as the capture reader delivered it.
public struct FrameMetadata: Sendable {
    public var number: UInt32 = 0
    public var timestamp: Timestamp = .zero
    public var capturedLength: Int = 0
    public var originalLength: Int = 0
    /// Index of the interface in `Engine.interfaces` (all sections of the file, in file order).
    public var interfaceID: Int = 0
    /// pcap LINKTYPE_* value of the interface.
    public var linkType: Int = 1
    /// pcapng section (0-based).
    public var section: Int = 0
    /// True when the packet has pcapng `opt_comment`s (delivered beside the metadata).
    public var hasComments: Bool = false
    /// pcapng EPB `epb_flags` (direction, reception type, FCS length, link-layer errors).
    public var epbFlags: UInt32? = nil
    /// False for records without a time stamp (pcapng Simple Packet Blocks, Custom Blocks).
    public var hasTimestamp: Bool = true
    /// True when the record names an interface (pcapng packet blocks; never classic pcap).
    public var hasInterfaceID: Bool = false
    /// The interface id as the block wrote it, relative to its section: what tshark 4.0 shows as
    /// `frame.interface_id` (and, as tshark does, looks names up by).
    public var sectionInterfaceID: Int = 0
    /// Digits of the time stamp resolution of the interface (tshark's per-record precision).
    public var timeDigits: Int = 6
    /// pcapng EPB options `epb_queue`, `epb_dropcount` (or the obsolete PB's drops count), `epb_packetid`.
    public var interfaceQueue: UInt32? = nil
    public var dropCount: UInt64? = nil
    public var packetID: UInt64? = nil
    /// The codes of the pcapng packet block's options in file order, 4 bits each, first in the
    /// lowest bits (up to 8; comments included): `-w` writes them back in that order.
    public var pcapngOptionOrder: UInt32 = 0
    /// A packet, or a pcapng Custom Block record.
    public var kind: RecordKind = .packet
    /// Bytes of FCS at the end of the frame as the file says (wiretap's `eth.fcs_len`): the pcap
    /// link-type FCS bits, the pcapng `if_fcslen`, or the FCS length in `epb_flags`; nil when the
    /// file does not say (the link layer then guesses).
    public var fcsLength: Int? = nil
    public init() {}
}

/// The protocols of one packet in order, without allocation after warm-up.
public struct LayerStack {
    @usableFromInline var storage: [FieldID] = []
    public init() { storage.reserveCapacity(16) }
    @inlinable public mutating func push(_ id: FieldID) { storage.append(id) }
    @inlinable public mutating func reset() { storage.removeAll(keepingCapacity: true) }
    @inlinable public var count: Int { storage.count }
    @inlinable public mutating func truncate(_ n: Int) { if n < storage.count { storage.removeSubrange(n...) } }
    @inlinable public var all: [FieldID] { storage }
    @inlinable public var last: FieldID? { storage.last }
    @inlinable public func contains(_ id: FieldID) -> Bool { storage.contains(id) }
}

/// Named byte buffers behind a packet's tree: the frame, then reassembled/decrypted data.
public struct DataSources {
    public struct Source {
        public let name: String
        public let bytes: [UInt8]
        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }
    public var frame: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    public var extra: [Source] = []
    public init() {}
    @inlinable public mutating func reset() { if !extra.isEmpty { extra.removeAll(keepingCapacity: true) } }

    /// The bytes of source `i`.
    public func bytes(_ i: Int) -> UnsafeRawBufferPointer {
        if i == 0 { return frame }
        return extra[i - 1].bytes.withUnsafeBytes { $0 } // valid while `extra` is unchanged
    }
}
