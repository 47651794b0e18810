/// tshark's two-pass analysis (`-2`): a first pass dissects every frame without output and
/// records forward references — "[Reassembled PDU in frame: N]" on the segments of a PDU,
/// "[Response In: N]" on a request — which a single pass cannot know when it prints the earlier
/// frame. The second pass starts from fresh session state, dissects again (so every dissector
/// sees the same frames in the same order and reaches the same state) and reads the references
/// for the frame it is on. Memory: one entry per annotated frame, not per packet.
public final class FrameAnnotations: @unchecked Sendable {
    public enum Mode: Sendable { case off, recording, replaying }
    public internal(set) var mode: Mode = .off
    private var values: [UInt64: UInt64] = [:]

    init() {}

    @inline(__always) private static func key(_ frame: UInt32, _ field: FieldID) -> UInt64 {
        UInt64(frame) << 32 | UInt64(UInt32(bitPattern: field.raw))
    }

    /// Records that `frame` refers to `value` through `field` (first pass only). `frame` may be
    /// another key a field owns (TCP keys the final conversation state by stream index).
    public func record(frame: UInt32, _ field: FieldID, _ value: UInt64) {
        guard mode == .recording else { return }
        values[Self.key(frame, field)] = value
    }

    /// The value the first pass recorded for `frame` and `field` (second pass only).
    public func value(frame: UInt32, _ field: FieldID) -> UInt64? {
        guard mode == .replaying, !values.isEmpty else { return nil }
        return values[Self.key(frame, field)]
    }

    public var count: Int { values.count }
}

extension Engine {
    /// The first pass of `-2` over `path`: every frame dissected without a tree, forward
    /// references recorded; then all session state is cleared for the second pass.
    public func runFirstPass(path: String) throws(CaptureError) {
        annotations.mode = .recording
        defer {
            annotations.mode = .replaying
            resetSessions()
        }
        try forEachPacket(path: path, interest: .nothing(registry)) { _ in }
    }

    /// Clears every dissector's session state (conversations, reassembly, request tables) and
    /// the frame times, as before the first frame of a file.
    public func resetSessions() {
        for hook in resetHooks { hook() }
        frameDissector.resetTimes()
    }
}

extension PacketContext {
    /// True in the second pass of `-2`: forward references are known.
    @inlinable public var isSecondPass: Bool { engine.annotations.mode == .replaying }

    /// Records a forward reference from `frame` (an earlier frame) to a value known now.
    public func annotate(frame: UInt32, _ field: FieldID, _ value: UInt64) {
        engine.annotations.record(frame: frame, field, value)
    }

    /// The forward reference the first pass recorded for this frame and `field`.
    public func annotation(_ field: FieldID) -> UInt64? {
        engine.annotations.value(frame: frame.number, field)
    }

    /// What the first pass recorded under another key (a stream index…) and `field`.
    public func annotation(key: UInt32, _ field: FieldID) -> UInt64? {
        engine.annotations.value(frame: key, field)
    }
}
