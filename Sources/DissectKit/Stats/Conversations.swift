/// `-z conv,TYPE` (eth, ip, ipv6, tcp, udp): per conversation, frames and bytes in each
/// direction, start relative to the first frame and duration, in tshark's table layout.
public final class Conversations {
    public enum Kind: String, CaseIterable {
        case eth, ip, ipv6, tcp, udp

        var title: String {
            switch self {
            case .eth: return "Ethernet"
            case .ip: return "IPv4"
            case .ipv6: return "IPv6"
            case .tcp: return "TCP"
            case .udp: return "UDP"
            }
        }
    }

    struct Key: Hashable {
        var a: Address
        var b: Address
        var portA: UInt32
        var portB: UInt32
        var stream: UInt64
    }

    struct Row {
        var key: Key
        var framesAB = 0, bytesAB = 0, framesBA = 0, bytesBA = 0
        var start: Timestamp
        var last: Timestamp
        var order: Int
    }

    public let kind: Kind
    public let filter: String?
    let registry: FieldRegistry
    private var index: [Key: Int] = [:]
    private var rows: [Row] = []
    private let extractor: EndpointExtractor

    public init?(kind: String, registry: FieldRegistry, filter: String? = nil) {
        guard let k = Kind(rawValue: kind) else { return nil }
        self.kind = k
        self.registry = registry
        self.filter = filter
        extractor = EndpointExtractor(kind: k, registry: registry)
    }

    /// The fields this statistic reads from each packet.
    public var wantedFields: [FieldID] { extractor.wantedFields }

    public func add(_ ctx: PacketContext) {
        extractor.forEach(ctx) { add($0, ctx) }
    }

    private func add(_ e: EndpointExtractor.Ends, _ ctx: PacketContext) {
        let len = ctx.frame.originalLength
        let t = ctx.timeRelative
        let forward = Key(a: e.src, b: e.dst, portA: e.srcPort, portB: e.dstPort, stream: e.stream)
        let backward = Key(a: e.dst, b: e.src, portA: e.dstPort, portB: e.srcPort, stream: e.stream)
        // Time can run backwards in a capture: the start is the earliest frame, as in tshark.
        if let i = index[forward] {
            rows[i].framesAB += 1; rows[i].bytesAB += len
            rows[i].start = min(rows[i].start, t); rows[i].last = max(rows[i].last, t)
        } else if let i = index[backward] {
            rows[i].framesBA += 1; rows[i].bytesBA += len
            rows[i].start = min(rows[i].start, t); rows[i].last = max(rows[i].last, t)
        } else {
            index[forward] = rows.count
            rows.append(Row(key: forward, framesAB: 1, bytesAB: len, start: t, last: t, order: rows.count))
        }
    }

    static func address(_ v: FieldValue) -> Address {
        switch v {
        case .ipv4(let a): return .ipv4(a)
        case .ipv6(let a): return .ipv6(a)
        case .ether(let m): return .ether(m)
        default: return .none
        }
    }

    /// tshark's `format_size` with SI prefixes: "1980 bytes", "22 kB", "3 MB".
    static func size(_ n: Int) -> String {
        if n < 10_000 { return "\(n) bytes" }
        if n < 10_000_000 { return "\(n / 1000) kB" }
        if n < 10_000_000_000 { return "\(n / 1_000_000) MB" }
        return "\(n / 1_000_000_000) GB"
    }

    static func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
        let n = s.unicodeScalars.count
        if n >= w { return s }
        return right ? String(repeating: " ", count: w - n) + s : s + String(repeating: " ", count: w - n)
    }

    /// tshark's table (ui/cli/tap-iousers.c): addresses padded to 26 characters when they carry
    /// a port, 20 otherwise; frames and SI byte counts per direction, then start and duration.
    public func render(columns: Columns) -> String {
        let line = String(repeating: "=", count: 80)
        let hasPorts = kind == .tcp || kind == .udp
        let w = hasPorts ? 26 : 20
        let lead = String(repeating: " ", count: 2 * w + 7)
        var s = line + "\n\(kind.title) Conversations\nFilter:\(filter ?? "<No Filter>")\n"
        s += lead + "|       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n"
        s += lead + "| Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n"
        let sorted = rows.sorted {
            let ta = $0.framesAB + $0.framesBA, tb = $1.framesAB + $1.framesBA
            return ta != tb ? ta > tb : $0.order < $1.order
        }
        for r in sorted {
            var a = columns.address(r.key.a), b = columns.address(r.key.b)
            if hasPorts {
                a += ":\(r.key.portA)"
                b += ":\(r.key.portB)"
            }
            let dur = r.last - r.start
            s += Self.pad(a, w) + " <-> " + Self.pad(b, w)
            s += "  " + Self.pad(String(r.framesBA), 6, right: true) + " " + Self.pad(Self.size(r.bytesBA), 9)
            s += "  " + Self.pad(String(r.framesAB), 6, right: true) + " " + Self.pad(Self.size(r.bytesAB), 9)
            s += "  " + Self.pad(String(r.framesAB + r.framesBA), 6, right: true) + " "
                + Self.pad(Self.size(r.bytesAB + r.bytesBA), 9)
            // tshark converts both to double before printing, so large offsets show binary noise
            // ("183109031.969092011"): do the same to print the same digits.
            s += "  " + Self.pad(FieldFormatter.cFormat("%.9f", r.start.doubleValue), 14, right: true) + "  "
                + Self.pad(FieldFormatter.cFormat("%.4f", dur.doubleValue), 13, right: true) + "\n"
        }
        s += line + "\n"
        return s
    }
}

/// The two ends of a packet at one layer (eth, ip, ipv6, tcp, udp), as tshark's conversation and
/// endpoint taps see them: shared by `-z conv` and `-z endpoints`.
struct EndpointExtractor {
    struct Ends {
        var src: Address
        var dst: Address
        var srcPort: UInt32
        var dstPort: UInt32
        var stream: UInt64
    }

    let kind: Conversations.Kind
    private var srcField = FieldID.textOnly, dstField = FieldID.textOnly
    private var src6 = FieldID.textOnly, dst6 = FieldID.textOnly
    private var srcPort = FieldID.textOnly, dstPort = FieldID.textOnly, stream = FieldID.textOnly
    private var proto = FieldID.textOnly
    private var fragmentHeader = FieldID.textOnly, reassembledLength = FieldID.textOnly

    init(kind k: Conversations.Kind, registry: FieldRegistry) {
        kind = k
        func id(_ n: String) -> FieldID { registry.lookup(n) ?? .textOnly }
        if k == .ipv6 { fragmentHeader = id("ipv6.fraghdr"); reassembledLength = id("ipv6.reassembled.length") }
        switch k {
        case .eth: srcField = id("eth.src"); dstField = id("eth.dst"); proto = id("eth")
        case .ip: srcField = id("ip.src"); dstField = id("ip.dst"); proto = id("ip")
        case .ipv6: srcField = id("ipv6.src"); dstField = id("ipv6.dst"); proto = id("ipv6")
        case .tcp, .udp:
            srcField = id("ip.src"); dstField = id("ip.dst"); src6 = id("ipv6.src"); dst6 = id("ipv6.dst")
            srcPort = id(k == .tcp ? "tcp.srcport" : "udp.srcport")
            dstPort = id(k == .tcp ? "tcp.dstport" : "udp.dstport")
            stream = id(k == .tcp ? "tcp.stream" : "udp.stream")
            proto = id(k.rawValue)
        }
    }

    var wantedFields: [FieldID] {
        [srcField, dstField, src6, dst6, srcPort, dstPort, stream, proto, fragmentHeader, reassembledLength]
            .filter { $0 != .textOnly }
    }

    var hasPorts: Bool { kind == .tcp || kind == .udp }

    /// Calls `body` with the packet's ends at this layer: once per layer for eth, ip and ipv6
    /// (tshark's taps fire for every header of a tunnel, IP in IP in IP), once for tcp and udp.
    func forEach(_ ctx: PacketContext, _ body: (Ends) -> Void) {
        guard ctx.layers.contains(proto) else { return }
        if hasPorts {
            if let e = extract(ctx) { body(e) }
            return
        }
        var current: Ends?
        // tshark's IPv6 tap fires only once a fragmented datagram is whole (the fragments
        // before it return early), so a layer with a fragment header but no reassembly is skipped.
        var fragment = false, reassembled = false
        func emit() {
            if let c = current, !fragment || reassembled { body(c) }
        }
        for r in ctx.tree.records {
            switch r.field {
            case proto where r.flags.contains(.topLevel):
                emit()
                current = Ends(src: .none, dst: .none, srcPort: 0, dstPort: 0, stream: 0)
                fragment = false
                reassembled = false
            case srcField where current != nil && current!.src == .none:
                current!.src = Conversations.address(r.value)
            case dstField where current != nil && current!.dst == .none:
                current!.dst = Conversations.address(r.value)
            case fragmentHeader where fragmentHeader != .textOnly: fragment = true
            case reassembledLength where reassembledLength != .textOnly: reassembled = true
            default: break
            }
        }
        emit()
    }

    /// The packet's ends at this layer, or nil when the layer is not in the packet.
    func extract(_ ctx: PacketContext) -> Ends? {
        guard ctx.layers.contains(proto) else { return nil }
        var s: Address = .none, d: Address = .none
        var sp: UInt32 = 0, dp: UInt32 = 0, st: UInt64 = 0
        // Only a top-level protocol item counts: the copy of a header quoted inside an ICMP
        // error is nested under ICMP, and tshark's taps do not see it. Addresses are the last
        // ones before that item (the innermost tunnel layer), ports the first ones after it.
        var found = false, gotSP = false, gotDP = false, gotStream = false
        let ownAddresses = !hasPorts
        for r in ctx.tree.records {
            if !found {
                switch r.field {
                case proto where r.flags.contains(.topLevel):
                    found = true
                    if ownAddresses {
                        // The protocol's own addresses follow its item.
                        s = .none; d = .none
                    }
                case srcField, src6: s = Conversations.address(r.value)
                case dstField, dst6: d = Conversations.address(r.value)
                default: break
                }
                continue
            }
            switch r.field {
            case srcField where ownAddresses:
                if s == .none { s = Conversations.address(r.value) }
            case dstField where ownAddresses:
                if d == .none { d = Conversations.address(r.value) }
            case srcPort where srcPort != .textOnly && !gotSP:
                sp = UInt32(truncatingIfNeeded: r.value.uintValue ?? 0); gotSP = true
            case dstPort where dstPort != .textOnly && !gotDP:
                dp = UInt32(truncatingIfNeeded: r.value.uintValue ?? 0); gotDP = true
            case stream where stream != .textOnly && !gotStream:
                st = r.value.uintValue ?? 0; gotStream = true
            default: break
            }
        }
        guard found else { return nil }
        // Transport taps take the network addresses the packet ends with (tshark's pinfo->src
        // and dst): for IPv6 with a routing header that is the final destination, not ipv6.dst.
        if hasPorts, case .ipv6 = ctx.netSrc, case .ipv6 = ctx.netDst { s = ctx.netSrc; d = ctx.netDst }
        return Ends(src: s, dst: d, srcPort: sp, dstPort: dp, stream: st)
    }
}
