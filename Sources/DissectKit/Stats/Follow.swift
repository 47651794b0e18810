#if canImport(Glibc)
import Glibc
#endif

/// `-z follow,tcp|udp,MODE,SELECTOR`: the payload of one conversation in order, in tshark 4.0's
/// layouts (ui/cli/tap-follow.c). MODE is ascii, ebcdic, hex, raw or yaml. SELECTOR is a stream
/// index (`tcp.stream`/`udp.stream`), or the two ends `ADDR:PORT,ADDR:PORT` (IPv6 in brackets),
/// or — beyond tshark — `all`: every stream of the capture, one report each, by stream index.
///
/// TCP: client chunks (the side that sent first) flush left and server chunks indented, one
/// chunk per segment; retransmitted bytes are dropped, overlapping segments contribute only their
/// new tail, and segments after a gap wait until the gap is filled (or the end of the capture).
/// UDP: one chunk per datagram.
public final class FollowStream {
    public enum Mode: String, Sendable { case ascii, ebcdic, hex, raw, yaml }
    public enum Transport: String, Sendable { case tcp, udp }

    enum Selector {
        case stream(UInt64)
        case ends(Address, UInt32, Address, UInt32)
        case all
    }

    /// tshark's message for an argument it cannot use (printed after the program name).
    public struct ArgumentError: Error, Sendable { public var message: String }

    public let mode: Mode
    public let transport: Transport
    let selector: Selector
    let proto: FieldID, streamField: FieldID, seqRaw: FieldID, payload: FieldID, syn: FieldID
    let srcPort: FieldID, dstPort: FieldID
    private var streams: [UInt64: Conversation] = [:]
    private var order: [UInt64] = []
    private var ended = false

    /// Parses "tcp,ascii,0", "udp,hex,10.0.0.1:53,10.0.0.2:4000", "tcp,yaml,all".
    public init(arguments: String, registry: FieldRegistry) throws(ArgumentError) {
        let parts = arguments.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let t = Transport(rawValue: parts.first ?? "") else {
            throw ArgumentError(message: "Invalid -z argument \"follow,\(arguments)\"")
        }
        transport = t
        guard parts.count >= 2, let m = Mode(rawValue: parts[1]) else {
            throw ArgumentError(message: "follow - Invalid display mode.")
        }
        mode = m
        guard parts.count >= 3 else { throw ArgumentError(message: "follow - Invalid address.") }
        if parts[2] == "all" {
            selector = .all
        } else if let n = Int64(parts[2]), !parts[2].hasPrefix("+") {
            guard n >= 0 else { throw ArgumentError(message: "follow - Error registering tap listener.") }
            selector = .stream(UInt64(n))
        } else if parts.count >= 4, let a = Self.endpoint(parts[2]), let b = Self.endpoint(parts[3]) {
            selector = .ends(a.0, a.1, b.0, b.1)
        } else {
            throw ArgumentError(message: "follow - Invalid address.")
        }
        func id(_ s: String) -> FieldID { registry.lookup(s) ?? .textOnly }
        let p = t.rawValue
        proto = id(p); streamField = id(p + ".stream"); payload = id(p + ".payload")
        srcPort = id(p + ".srcport"); dstPort = id(p + ".dstport")
        seqRaw = t == .tcp ? id("tcp.seq_raw") : .textOnly
        syn = t == .tcp ? id("tcp.flags.syn") : .textOnly
    }

    /// "10.0.0.1:25" or "[2001:db8::1]:25".
    static func endpoint(_ s: String) -> (Address, UInt32)? {
        var host = Substring(s), port = Substring("")
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]") else { return nil }
            host = s[s.index(after: s.startIndex)..<close]
            let rest = s[s.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            port = rest.dropFirst()
        } else {
            guard let colon = s.lastIndex(of: ":") else { return nil }
            host = s[..<colon]
            port = s[s.index(after: colon)...]
        }
        guard let p = UInt32(port), p <= 65535 else { return nil }
        var buf = [UInt8](repeating: 0, count: 16)
        let h = String(host)
        if h.withCString({ c in buf.withUnsafeMutableBytes { inet_pton(AF_INET, c, $0.baseAddress) == 1 } }) {
            return (.ipv4(UInt32(buf[0]) << 24 | UInt32(buf[1]) << 16 | UInt32(buf[2]) << 8 | UInt32(buf[3])), p)
        }
        if h.withCString({ c in buf.withUnsafeMutableBytes { inet_pton(AF_INET6, c, $0.baseAddress) == 1 } }) {
            var hi: UInt64 = 0, lo: UInt64 = 0
            for i in 0..<8 { hi = hi << 8 | UInt64(buf[i]) }
            for i in 8..<16 { lo = lo << 8 | UInt64(buf[i]) }
            return (.ipv6(IPv6Address(hi: hi, lo: lo)), p)
        }
        return nil
    }

    public var wantedFields: [FieldID] {
        [proto, streamField, seqRaw, payload, syn, srcPort, dstPort].filter { $0 != .textOnly }
    }

    // MARK: collecting

    public func add(_ ctx: PacketContext) {
        // A header quoted inside an ICMP error is nested under ICMP: not part of the stream.
        guard ctx.layers.contains(proto) else { return }
        var st: UInt64? = nil, seq: UInt32 = 0, isSyn = false, sp: UInt32 = 0, dp: UInt32 = 0
        var data: (Int16, Int32, Int32)? = nil
        var seenStream = false, seenSeq = false, gotSP = false, gotDP = false, topLevel = false
        for r in ctx.tree.records {
            switch r.field {
            case proto: topLevel = topLevel || r.flags.contains(.topLevel)
            case streamField where !seenStream: st = r.value.uintValue; seenStream = true
            case seqRaw where !seenSeq: seq = UInt32(truncatingIfNeeded: r.value.uintValue ?? 0); seenSeq = true
            case syn: isSyn = isSyn || (r.value.uintValue ?? 0) != 0
            case srcPort where !gotSP: sp = UInt32(truncatingIfNeeded: r.value.uintValue ?? 0); gotSP = true
            case dstPort where !gotDP: dp = UInt32(truncatingIfNeeded: r.value.uintValue ?? 0); gotDP = true
            case payload where data == nil: data = (r.source, r.offset, r.length)
            default: break
            }
        }
        guard topLevel, let st else { return }
        switch selector {
        case .stream(let n): guard st == n else { return }
        case .ends(let a, let pa, let b, let pb):
            let s = ctx.netSrc, d = ctx.netDst
            guard (s == a && sp == pa && d == b && dp == pb) || (s == b && sp == pb && d == a && dp == pa) else { return }
        case .all: break
        }
        // tshark's UDP follow ignores empty datagrams entirely (they do not even name the nodes).
        if transport == .udp && (data?.2 ?? 0) <= 0 { return }
        let conv: Conversation
        if let c = streams[st] {
            conv = c
        } else {
            conv = Conversation(index: st, node0: (ctx.netSrc, sp), node1: (ctx.netDst, dp))
            streams[st] = conv
            order.append(st)
        }
        let d = (conv.node0.0 == ctx.netSrc && conv.node0.1 == sp) ? 0 : 1
        var bytes: [UInt8] = []
        if let (src, off, len) = data, len > 0 {
            let buf = ctx.sources.bytes(Int(src))
            let lo = Int(off), hi = min(Int(off) + Int(len), buf.count)
            if lo < hi { bytes = Array(buf[lo..<hi]) }
        }
        let meta = Chunk(fromServer: d == 1, bytes: [], frame: ctx.frame.number, time: ctx.frame.timestamp)
        if transport == .udp {
            if !bytes.isEmpty { conv.chunks.append(Chunk(fromServer: d == 1, bytes: bytes, frame: meta.frame, time: meta.time)) }
            return
        }
        if isSyn {
            conv.dirs[d].nextSeq = seq &+ 1
            return
        }
        guard !bytes.isEmpty else { return }
        conv.deliver(d, seq, bytes, meta)
    }

    // MARK: reports

    /// The report as bytes (the payload need not be UTF-8).
    public func renderBytes(columns: Columns) -> [UInt8] {
        var out: [UInt8] = []
        switch selector {
        case .all:
            for n in order.sorted() { render(streams[n]!, columns, into: &out) }
        default:
            if let n = order.first {
                render(streams[n]!, columns, into: &out)
            } else {
                render(nil, columns, into: &out)
            }
        }
        return out
    }

    private func filterText(_ conv: Conversation?) -> String {
        let p = transport.rawValue
        switch selector {
        case .stream(let n): return "\(p).stream eq \(n)"
        case .all: return "\(p).stream eq \(conv?.index ?? 0)"
        case .ends(let a, let pa, let b, let pb):
            func ip(_ x: Address) -> String {
                if case .ipv6 = x { return "ipv6" }
                return "ip"
            }
            func text(_ x: Address) -> String {
                switch x {
                case .ipv4(let v): return FieldFormatter.ipv4String(v)
                case .ipv6(let v): return FieldFormatter.ipv6String(v)
                default: return ""
                }
            }
            func side(_ s: Address, _ sp: UInt32, _ d: Address, _ dp: UInt32) -> String {
                "((\(ip(s)).src eq \(text(s)) and \(p).srcport eq \(sp)) and (\(ip(d)).dst eq \(text(d)) and \(p).dstport eq \(dp)))"
            }
            return side(a, pa, b, pb) + " or " + side(b, pb, a, pa)
        }
    }

    private func render(_ conv: Conversation?, _ columns: Columns, into out: inout [UInt8]) {
        conv?.flushPending()
        func w(_ s: String) { out.append(contentsOf: s.utf8) }
        func host(_ n: (Address, UInt32)?) -> String {
            guard let n else { return "" }
            return columns.address(n.0)
        }
        let n0 = conv?.node0, n1 = conv?.node1
        if mode == .yaml {
            // `all`: one YAML document per stream.
            if case .all = selector { w("--- # \(filterText(conv))\n") }
            w("peers:\n")
            for (i, n) in [n0, n1].enumerated() {
                w("  - peer: \(i)\n    host: \(host(n))\n    port: \(n?.1 ?? 0)\n")
            }
            w("packets:\n")
            for c in conv?.chunks ?? [] {
                w("  - packet: \(c.frame)\n    peer: \(c.fromServer ? 1 : 0)\n")
                // tshark prints the time through a double: the last digits are binary noise.
                w("    timestamp: \(FieldFormatter.cFormat("%.9f", c.time.doubleValue))\n    data: !!binary |\n")
                let b64 = Base64.encode(c.bytes)
                var i = 0
                while i < b64.count {
                    w("      ")
                    out.append(contentsOf: b64[i..<min(i + 76, b64.count)])
                    out.append(0x0a)
                    i += 76
                }
            }
            return
        }
        let line = "==================================================================="
        w("\n" + line + "\nFollow: \(transport.rawValue),\(mode.rawValue)\nFilter: \(filterText(conv))\n")
        func node(_ n: (Address, UInt32)?) -> String {
            guard let n else { return ":0" }
            var a = columns.address(n.0)
            if case .ipv6 = n.0 { a = "[" + a + "]" }
            return a + ":\(n.1)"
        }
        w("Node 0: \(node(n0))\nNode 1: \(node(n1))\n")
        var offsets = [0, 0]
        for c in conv?.chunks ?? [] {
            switch mode {
            case .ascii, .ebcdic:
                if c.fromServer { out.append(0x09) }
                w("\(c.bytes.count)\n")
                for b in c.bytes {
                    if mode == .ebcdic {
                        out.append(Self.ebcdicToASCII[Int(b)])
                    } else {
                        out.append((b < 0x20 && b != 0x0a && b != 0x0d) || b >= 0x7f ? 0x2e : b)
                    }
                }
                out.append(0x0a)
            case .raw:
                if c.fromServer { out.append(0x09) }
                for b in c.bytes {
                    out.append(Self.hexDigits[Int(b >> 4)])
                    out.append(Self.hexDigits[Int(b & 15)])
                }
                out.append(0x0a)
            case .hex:
                let side = c.fromServer ? 1 : 0
                Self.hexLines(c.bytes, offset: offsets[side], indent: c.fromServer, into: &out)
                offsets[side] += c.bytes.count
            case .yaml:
                break
            }
        }
        w(line + "\n")
    }

    static let hexDigits = Array("0123456789abcdef".utf8)
    static let upperHexDigits = Array("0123456789ABCDEF".utf8)

    /// tshark's hex layout: "%08X" offset, 16 bytes in two groups of 8, then the printable
    /// characters in two groups of 8.
    static func hexLines(_ bytes: [UInt8], offset: Int, indent: Bool, into out: inout [UInt8]) {
        var i = 0
        while i < bytes.count {
            if indent { out.append(0x09) }
            let pos = UInt32(truncatingIfNeeded: offset + i)
            for shift in stride(from: 28, through: 0, by: -4) { out.append(upperHexDigits[Int((pos >> UInt32(shift)) & 15)]) }
            out.append(contentsOf: [0x20, 0x20])
            let end = min(i + 16, bytes.count)
            var hexWidth = 0
            for (k, b) in bytes[i..<end].enumerated() {
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 15)])
                out.append(0x20)
                hexWidth += 3
                if k == 7 { out.append(0x20); hexWidth += 1 }
            }
            out.append(contentsOf: [UInt8](repeating: 0x20, count: 49 - hexWidth + 1))
            for (k, b) in bytes[i..<end].enumerated() {
                out.append(b >= 0x20 && b < 0x7f ? b : 0x2e)
                if k == 7 { out.append(0x20) }
            }
            // tshark drops one trailing space of the text column (meant for the gap after the
            // eighth byte; a last byte 0x20 loses its space too).
            if out.last == 0x20 { out.removeLast() }
            out.append(0x0a)
            i = end
        }
    }

    /// What tshark 4.0's ebcdic mode prints for each byte (its EBCDIC_to_ASCII conversion followed
    /// by the printable-character check), measured byte by byte: only these bytes show as a
    /// character, every other one as '.' — letters included, as tshark does.
    static let ebcdicToASCII: [UInt8] = {
        var t = [UInt8](repeating: 0x2e, count: 256)
        let shown: [(Int, UInt8)] = [
            (10, 10), (13, 13), (64, 32), (76, 60), (77, 40), (78, 43), (79, 124), (80, 38), (90, 33), (91, 36),
            (92, 42), (93, 41), (94, 59), (95, 94), (96, 45), (97, 47), (106, 124), (107, 44), (108, 37), (109, 95),
            (110, 62), (111, 63), (122, 58), (123, 35), (124, 64), (125, 39), (126, 61),
        ]
        for b in [32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 47] + Array(50...61) + [63] { t[b] = UInt8(b) }
        for (b, c) in shown { t[b] = c }
        return t
    }()
}

extension FollowStream {
    struct Chunk {
        var fromServer: Bool
        var bytes: [UInt8]
        var frame: UInt32
        var time: Timestamp
    }

    struct Direction {
        var nextSeq: UInt32? = nil
        /// Out-of-order segments waiting for the gap.
        var pending: [(seq: UInt32, chunk: Chunk)] = []
    }

    /// One followed stream: its two ends (node 0 sent the first packet) and its chunks.
    final class Conversation {
        let index: UInt64
        let node0: (Address, UInt32)
        let node1: (Address, UInt32)
        var dirs = [Direction(), Direction()]
        var chunks: [Chunk] = []

        init(index: UInt64, node0: (Address, UInt32), node1: (Address, UInt32)) {
            self.index = index
            self.node0 = node0
            self.node1 = node1
        }

        func deliver(_ d: Int, _ seq: UInt32, _ bytes: [UInt8], _ meta: Chunk) {
            var chunk = meta
            chunk.bytes = bytes
            guard let next = dirs[d].nextSeq else {
                // No SYN seen: the first segment defines the start.
                dirs[d].nextSeq = seq &+ UInt32(bytes.count)
                chunks.append(chunk)
                return
            }
            let diff = Int32(bitPattern: seq &- next)
            if diff > 0 {
                dirs[d].pending.append((seq, chunk))
                return
            }
            let skip = Int(-diff)
            if skip >= bytes.count { return } // all seen before: a retransmission
            chunk.bytes = Array(bytes[skip...])
            chunks.append(chunk)
            dirs[d].nextSeq = seq &+ UInt32(bytes.count)
            // Segments that are now contiguous.
            while let i = dirs[d].pending.firstIndex(where: { Int32(bitPattern: $0.seq &- dirs[d].nextSeq!) <= 0 }) {
                let (s, c) = dirs[d].pending.remove(at: i)
                let k = Int(Int32(bitPattern: dirs[d].nextSeq! &- s))
                if k < c.bytes.count {
                    var rest = c
                    rest.bytes = Array(c.bytes[k...])
                    chunks.append(rest)
                    dirs[d].nextSeq = s &+ UInt32(c.bytes.count)
                }
            }
        }

        /// Segments still waiting after a gap, shown in sequence order at the end.
        func flushPending() {
            for d in 0..<2 {
                for p in dirs[d].pending.sorted(by: { Int32(bitPattern: $0.seq &- $1.seq) < 0 }) { chunks.append(p.chunk) }
                dirs[d].pending = []
            }
        }
    }
}

extension FollowStream: StatisticTap {
    public func render(columns: Columns) -> String { String(decoding: renderBytes(columns: columns), as: UTF8.self) }
}
