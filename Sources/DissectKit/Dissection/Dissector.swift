/// What a dissector tells its caller about the bytes it was given.
public enum DissectResult: Sendable, Equatable {
    /// It dissected the first `n` bytes (stream protocols may be called again for the rest).
    case consumed(Int)
    /// It needs `n` more bytes than it was given before it can dissect a whole PDU;
    /// the TCP layer reassembles and calls again.
    case needMore(Int)
    /// Not this protocol (heuristic dissectors); the caller tries the next candidate.
    case notMine
}

extension DissectResult {
    /// The PDU continues in the next segment, length unknown (tshark's
    /// `DESEGMENT_ONE_MORE_SEGMENT`): TCP appends the whole next segment and calls again with
    /// everything gathered so far. `.needMore(n)` with `n <= 0` means the same.
    public static let oneMoreSegment = DissectResult.needMore(0)
    /// The PDU runs until the sender closes the stream (tshark's `DESEGMENT_UNTIL_FIN`, e.g. an
    /// HTTP/1.0 body without a length): TCP gathers until FIN (or a reassembly limit).
    public static let untilFIN = DissectResult.needMore(Int.max)
}

/// A protocol dissector: the one contract every protocol, built-in or plugin, implements.
///
/// It reads `data` (a view that starts at its header), adds records to the packet's tree
/// through `packet.add…`, sets columns, and hands the rest to a sub-dissector through a
/// `DissectorTable`. Reading past the end of `data` throws `Malformed`, which the engine
/// turns into tshark's "[Malformed Packet]" mark; it never stops the program.
public protocol Dissector: AnyObject {
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult
}

/// A dissector together with the protocol it speaks for (for "Malformed Packet: TCP").
public struct DissectorHandle {
    public let protocolID: FieldID
    public let dissector: any Dissector
    public init(protocolID: FieldID, dissector: any Dissector) {
        self.protocolID = protocolID
        self.dissector = dissector
    }
}

/// A named table of sub-dissectors (`"ethertype"`, `"ip.proto"`, `"tcp.port"`…) with an ordered
/// heuristic list. Decode-As (`-d tcp.port==2525,smtp`) is an override entry.
public final class DissectorTable: @unchecked Sendable {
    public let name: String
    public internal(set) var uiName: String
    @usableFromInline var entries: [UInt32: DissectorHandle] = [:]
    /// String-keyed entries (`media_type`…); module-internal so Decode-As can list them.
    var stringEntries: [String: DissectorHandle] = [:]
    public private(set) var heuristics: [(name: String, handle: DissectorHandle, enabled: Bool)] = []

    init(name: String, uiName: String) {
        self.name = name
        self.uiName = uiName
    }

    public func add(_ key: UInt32, _ handle: DissectorHandle) { entries[key] = handle }
    public func add(_ key: String, _ handle: DissectorHandle) { stringEntries[key] = handle }
    public func remove(_ key: UInt32) { entries[key] = nil }

    @inlinable
    public func lookup(_ key: UInt32) -> DissectorHandle? { entries[key] }
    public func lookup(_ key: String) -> DissectorHandle? { stringEntries[key] }

    public func addHeuristic(_ name: String, _ handle: DissectorHandle, enabled: Bool = true) {
        heuristics.append((name, handle, enabled))
    }

    /// Every (key, protocol) pair, for `-G decodes`.
    public var allEntries: [(UInt32, DissectorHandle)] { entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
}
