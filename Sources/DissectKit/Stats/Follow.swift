/// `-z follow,tcp,MODE,N` (MODE ascii|raw): the payload of TCP stream N in sequence order,
/// one chunk per segment, client chunks flush left and server chunks indented, as tshark.
///
/// Retransmitted bytes are dropped, overlapping segments contribute only their new tail, and
/// segments after a gap wait until the gap is filled (or the end of the capture).
public final class FollowStream {
    public enum Mode: String { case ascii, raw }

    struct Chunk {
        var fromServer: Bool
        var bytes: [UInt8]
    }

    struct Direction {
        var nextSeq: UInt32? = nil
        /// Out-of-order segments waiting for the gap: (seq, bytes).
        var pending: [(UInt32, [UInt8])] = []
    }

    public let mode: Mode
    public let stream: UInt64
    let proto: FieldID, streamField: FieldID, seqRaw: FieldID, payload: FieldID, syn: FieldID, fin: FieldID
    let srcPort: FieldID, dstPort: FieldID
    private var node0: (Address, UInt32)?
    private var node1: (Address, UInt32)?
    private var dirs = [Direction(), Direction()]
    private var chunks: [Chunk] = []

    /// Parses "tcp,ascii,N"; nil when the arguments are not a supported follow request.
    public init?(arguments: String, registry: FieldRegistry) {
        let parts = arguments.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, parts[0] == "tcp", let m = Mode(rawValue: parts[1]),
              let n = UInt64(parts[2]) else { return nil }
        mode = m
        stream = n
        func id(_ s: String) -> FieldID { registry.lookup(s) ?? .textOnly }
        proto = id("tcp"); streamField = id("tcp.stream"); seqRaw = id("tcp.seq_raw"); payload = id("tcp.payload")
        syn = id("tcp.flags.syn"); fin = id("tcp.flags.fin"); srcPort = id("tcp.srcport"); dstPort = id("tcp.dstport")
    }

    public var wantedFields: [FieldID] { [proto, streamField, seqRaw, payload, syn, srcPort, dstPort] }

    public func add(_ ctx: PacketContext) {
        // A TCP header quoted inside an ICMP error is nested under ICMP: not part of the stream.
        guard ctx.layers.contains(proto) else { return }
        var st: UInt64? = nil, seq: UInt32 = 0, isSyn = false, sp: UInt32 = 0, dp: UInt32 = 0
        var data: (Int16, Int32, Int32)? = nil
        // The outermost TCP header of the packet (ICMP errors may quote another one later).
        var seenStream = false, topLevelTCP = false
        for r in ctx.tree.records {
            switch r.field {
            case proto: topLevelTCP = topLevelTCP || r.flags.contains(.topLevel)
            case streamField where !seenStream: st = r.value.uintValue; seenStream = true
            case seqRaw where seq == 0: seq = UInt32(truncatingIfNeeded: r.value.uintValue ?? 0)
            case syn: isSyn = isSyn || (r.value.uintValue ?? 0) != 0
            case srcPort where sp == 0: sp = UInt32(truncatingIfNeeded: r.value.uintValue ?? 0)
            case dstPort where dp == 0: dp = UInt32(truncatingIfNeeded: r.value.uintValue ?? 0)
            case payload where data == nil: data = (r.source, r.offset, r.length)
            default: break
            }
        }
        guard topLevelTCP, st == stream else { return }
        if node0 == nil {
            node0 = (ctx.netSrc, sp)
            node1 = (ctx.netDst, dp)
        }
        let d = (node0!.0 == ctx.netSrc && node0!.1 == sp) ? 0 : 1
        if isSyn {
            dirs[d].nextSeq = seq &+ 1
            return
        }
        guard let (src, off, len) = data, len > 0 else { return }
        let bytes = ctx.sources.bytes(Int(src))
        let lo = Int(off), hi = min(Int(off) + Int(len), bytes.count)
        guard lo < hi else { return }
        deliver(d, seq, Array(bytes[lo..<hi]))
    }

    private func deliver(_ d: Int, _ seq: UInt32, _ bytes: [UInt8]) {
        guard let next = dirs[d].nextSeq else {
            // No SYN seen: the first segment defines the start.
            dirs[d].nextSeq = seq &+ UInt32(bytes.count)
            chunks.append(Chunk(fromServer: d == 1, bytes: bytes))
            return
        }
        let diff = Int32(bitPattern: seq &- next)
        if diff > 0 {
            dirs[d].pending.append((seq, bytes))
            return
        }
        let skip = Int(-diff)
        if skip >= bytes.count { return } // all seen before: a retransmission
        chunks.append(Chunk(fromServer: d == 1, bytes: Array(bytes[skip...])))
        dirs[d].nextSeq = seq &+ UInt32(bytes.count)
        // Flush pending segments that are now contiguous.
        var progressed = true
        while progressed {
            progressed = false
            if let i = dirs[d].pending.firstIndex(where: { Int32(bitPattern: $0.0 &- dirs[d].nextSeq!) <= 0 }) {
                let (s, b) = dirs[d].pending.remove(at: i)
                let k = Int(Int32(bitPattern: dirs[d].nextSeq! &- s))
                if k < b.count {
                    chunks.append(Chunk(fromServer: d == 1, bytes: Array(b[k...])))
                    dirs[d].nextSeq = s &+ UInt32(b.count)
                }
                progressed = true
            }
        }
    }

    /// The report as bytes (the payload need not be UTF-8).
    public func renderBytes(columns: Columns) -> [UInt8] {
        // Segments still waiting after a gap are shown in sequence order at the end.
        for d in 0..<2 {
            for (_, b) in dirs[d].pending.sorted(by: { Int32(bitPattern: $0.0 &- $1.0) < 0 }) {
                chunks.append(Chunk(fromServer: d == 1, bytes: b))
            }
            dirs[d].pending = []
        }
        var out: [UInt8] = []
        func w(_ s: String) { out.append(contentsOf: s.utf8) }
        let line = "==================================================================="
        w("\n" + line + "\nFollow: tcp,\(mode.rawValue)\nFilter: tcp.stream eq \(stream)\n")
        func node(_ n: (Address, UInt32)?) -> String {
            guard let n else { return "" }
            var a = columns.address(n.0)
            if case .ipv6 = n.0 { a = "[" + a + "]" }
            return a + ":\(n.1)"
        }
        w("Node 0: \(node(node0))\nNode 1: \(node(node1))\n")
        for c in chunks {
            if c.fromServer { out.append(0x09) }
            w("\(c.bytes.count)\n")
            switch mode {
            case .ascii:
                for b in c.bytes {
                    out.append((b < 0x20 && b != 0x0a && b != 0x0d) || b >= 0x7f ? 0x2e : b)
                }
            case .raw:
                let digits = Array("0123456789abcdef".utf8)
                for b in c.bytes {
                    out.append(digits[Int(b >> 4)])
                    out.append(digits[Int(b & 15)])
                }
            }
            out.append(0x0a)
        }
        w(line + "\n")
        return out
    }
}
