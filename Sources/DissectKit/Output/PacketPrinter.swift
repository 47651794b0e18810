/// Column text shared by the packet list and `-T fields` (`_ws.col.*`).
public struct Columns {
    public let resolver: NameResolver
    public var time = TimeColumn()
    public init(resolver: NameResolver) { self.resolver = resolver }

    public func address(_ a: Address) -> String {
        switch a {
        case .none: return ""
        case .ether(let m): return resolver.etherName(m)
        case .ipv4(let v): return FieldFormatter.ipv4String(v)
        case .ipv6(let v): return FieldFormatter.ipv6String(v)
        case .ipx(let net, let node):
            return FieldFormatter.hex(UInt64(net), digits: 8) + "." + FieldFormatter.hex(node, digits: 12)
        }
    }

    public func source(_ ctx: PacketContext) -> String {
        if ctx.netSrc == .none && ctx.dlSrc == .none, let p = ctx.addressPlaceholder { return p.description }
        return address(ctx.netSrc != .none ? ctx.netSrc : ctx.dlSrc)
    }

    public func destination(_ ctx: PacketContext) -> String {
        if ctx.netDst == .none && ctx.dlDst == .none, let p = ctx.addressPlaceholder { return p.description }
        return address(ctx.netDst != .none ? ctx.netDst : ctx.dlDst)
    }

    public func protocolName(_ ctx: PacketContext) -> String {
        ctx.protocolColumn
    }

    public func timeText(_ ctx: PacketContext) -> String {
        // Records without a time stamp (pcapng SPB, Custom Block) leave the column empty; the
        // precision is the record's own (its interface's time stamp resolution).
        guard ctx.frame.hasTimestamp else { return "" }
        return time.text(ctx.frame.timestamp, relative: ctx.timeRelative, delta: ctx.timeDelta,
                         deltaDisplayed: ctx.timeDeltaDisplayed, digits: ctx.frame.timeDigits)
    }

    /// The value of a `_ws.col.*` pseudo-field, or nil if `name` is not one.
    public func column(named name: String, _ ctx: PacketContext) -> String? {
        switch name {
        case "_ws.col.No.", "_ws.col.number": return String(ctx.frame.number)
        case "_ws.col.Time", "_ws.col.cls_time": return timeText(ctx)
        case "_ws.col.Source", "_ws.col.def_src": return source(ctx)
        case "_ws.col.Destination", "_ws.col.def_dst": return destination(ctx)
        case "_ws.col.Protocol", "_ws.col.protocol": return protocolName(ctx)
        case "_ws.col.Length", "_ws.col.packet_length": return String(ctx.frame.originalLength)
        case "_ws.col.Info", "_ws.col.info": return ctx.info.string
        default: return nil
        }
    }
}

/// tshark's default packet list: `No. Time Source → Destination Protocol Length Info`.
public final class SummaryPrinter {
    let out: OutputStream
    public var columns: Columns

    public init(out: OutputStream, columns: Columns) {
        self.out = out
        self.columns = columns
    }

    /// tshark pads No. (5, right), Time (10, right), Source (12, right) and Destination (12, left).
    /// The common cases (relative time, IPv4) are written as bytes: no String per packet.
    public func print(_ ctx: PacketContext) {
        out.writeDecimal(UInt64(ctx.frame.number), width: 5)
        out.write(" ")
        if columns.time.format == .relative && columns.time.precision == nil && ctx.timeRelative.seconds >= 0
            && ctx.timeRelative.nanoseconds >= 0 && ctx.timeRelative.nanoseconds < 1_000_000_000 {
            let digits = ctx.frame.interfaceID < ctx.engine.interfaces.count
                ? ctx.engine.interfaces[ctx.frame.interfaceID].timeDigits : 6
            writeSeconds(ctx.timeRelative, digits: digits, width: 10)
        } else {
            pad(columns.timeText(ctx), 10, right: true)
        }
        out.write(" ")
        let src = ctx.netSrc != .none ? ctx.netSrc : ctx.dlSrc
        let dst = ctx.netDst != .none ? ctx.netDst : ctx.dlDst
        let b = out.sink
        if case .ipv4(let a) = src {
            out.writeSpaces(12 - OutputStream.ipv4Length(a))
            out.writeIPv4(a)
        } else if case .ipv6(let a) = src {
            // Written, then moved right when shorter than the column (addresses are ASCII).
            let start = b.count
            b.appendIPv6(a)
            padRight(from: start, width: 12)
        } else {
            pad(columns.source(ctx), 12, right: true)
        }
        out.write(" → ")
        if case .ipv4(let a) = dst {
            let n = out.writeIPv4(a)
            out.writeSpaces(12 - n)
        } else if case .ipv6(let a) = dst {
            let start = b.count
            b.appendIPv6(a)
            b.appendSpaces(12 - (b.count - start))
        } else {
            pad(columns.destination(ctx), 12, right: false)
        }
        out.write(" ")
        out.write(ctx.protocolColumn)
        out.write(" ")
        out.writeDecimal(UInt64(ctx.frame.originalLength))
        out.write(" ")
        out.write(bytes: ctx.info.bytes)
        out.write("\n")
    }

    /// "12.345678" with `digits` decimals (cut, not rounded, as tshark 4.0 and
    /// `TimeFormat.seconds`: 347.611566507 s at µs precision is 347.611566), right-aligned.
    private func writeSeconds(_ t: Timestamp, digits: Int, width: Int) {
        var ns = Int64(t.nanoseconds)
        let s = t.seconds
        var div: Int64 = 1
        for _ in 0..<(9 - digits) { div *= 10 }
        if digits < 9 { ns /= div }
        var intLen = 1
        var x = s
        while x >= 10 { x /= 10; intLen += 1 }
        let total = intLen + (digits > 0 ? digits + 1 : 0)
        out.writeSpaces(width - total)
        out.writeDecimal(UInt64(s))
        if digits > 0 {
            out.write(".")
            out.writeDecimal(UInt64(ns), width: digits, zeroPad: true)
        }
    }

    /// Right-aligns the ASCII text written since `start` in `width` columns.
    private func padRight(from start: Int, width: Int) {
        let b = out.sink
        let n = b.count - start
        guard n < width else { return }
        let shift = width - n
        b.reserve(shift)
        (b.base + start + shift).update(from: b.base + start, count: n)
        (b.base + start).update(repeating: 0x20, count: shift)
        b.count += shift
    }

    private func pad(_ s: String, _ width: Int, right: Bool) {
        let n = s.unicodeScalars.count
        if n >= width {
            out.write(s)
        } else if right {
            out.write(String(repeating: " ", count: width - n))
            out.write(s)
        } else {
            out.write(s)
            out.write(String(repeating: " ", count: width - n))
        }
    }
}

/// The `-V` detail tree: every line formatted straight into the output buffer from the
/// packet's records (no `String` per line; the child index is reused from packet to packet).
public final class TreePrinter {
    let out: OutputStream
    let formatter: FieldFormatter
    /// `-O`: expand only these protocols' top-level items (all top-level lines are printed).
    public var onlyProtocols: Set<String>? = nil
    /// tshark's `print_hex_for_data` (`-V` without `-x`): a blank line and a hex dump of the
    /// bytes follow each "Data (N bytes)" line.
    public var hexDumpData = false
    private lazy var dataDumper = HexPrinter(out: out)
    private lazy var dataProto: FieldID? = formatter.registry.lookup("data")
    /// First child, next sibling and last child per record (index n: the virtual root), in one
    /// reused allocation: `links[0...n]`, `links[n+1...2n+1]`, `links[2n+2...3n+2]`.
    private var links: UnsafeMutablePointer<Int32> = .allocate(capacity: 3 * 512)
    private var linksCapacity = 3 * 512
    private var firstChild: UnsafeMutablePointer<Int32>
    private var nextSibling: UnsafeMutablePointer<Int32>

    public init(out: OutputStream, formatter: FieldFormatter) {
        self.out = out
        self.formatter = formatter
        firstChild = links
        nextSibling = links
    }

    deinit { links.deallocate() }

    public func print(_ ctx: PacketContext) {
        let recs = ctx.tree.records
        let n = recs.count
        if 3 * (n + 1) > linksCapacity {
            links.deallocate()
            linksCapacity = 3 * (n + 1) * 2
            links = .allocate(capacity: linksCapacity)
        }
        links.update(repeating: -1, count: 3 * (n + 1))
        firstChild = links
        nextSibling = links + (n + 1)
        let lastChild = links + 2 * (n + 1)
        recs.withUnsafeBufferPointer { r in
            for i in 0..<n {
                var p = Int(r[i].parent)
                if p < 0 || p >= n { p = n }
                let last = lastChild[p]
                if last < 0 { firstChild[p] = Int32(truncatingIfNeeded: i) } else { nextSibling[Int(last)] = Int32(truncatingIfNeeded: i) }
                lastChild[p] = Int32(truncatingIfNeeded: i)
            }
        }
        let dataField = hexDumpData ? dataProto : nil
        var c = firstChild[n]
        while c >= 0 {
            emit(Int(c), 0, recs, ctx, dataField)
            c = nextSibling[Int(c)]
        }
    }

    private func emit(_ i: Int, _ depth: Int, _ recs: [FieldRecord], _ ctx: PacketContext, _ dataField: FieldID?) {
        let r = recs[i]
        if r.flags.contains(.hidden) { return }
        let b = out.sink
        b.appendSpaces(depth * 4)
        formatter.writeLabel(r, ctx, to: b)
        b.append(0x0a)
        if r.flags.contains(.expert) {
            formatter.writeExpertDetails(r, ctx, indent: depth * 4 + 4, to: b)
        }
        if let d = dataField, r.field == d, r.length > 0 {
            b.append(0x0a)
            let src = ctx.sources.bytes(Int(r.source))
            let lo = max(0, min(Int(r.offset), src.count)), hi = min(src.count, lo + Int(r.length))
            dataDumper.dump(UnsafeRawBufferPointer(rebasing: src[lo..<hi]))
        }
        out.commit()
        if depth == 0, let only = onlyProtocols, !only.contains(formatter.registry[r.field].abbrev) { return }
        var c = firstChild[i]
        while c >= 0 {
            emit(Int(c), depth + 1, recs, ctx, dataField)
            c = nextSibling[Int(c)]
        }
    }
}

/// The `-x` hex and ASCII dump, as tshark 4.0 prints it (epan/print.c): with one data source
/// just the dump; with several (reassembled or decrypted data) each dump follows a
/// "NAME (N bytes):" line. Blank lines around it are the caller's (they depend on -V/-P).
public final class HexPrinter {
    let out: OutputStream
    public init(out: OutputStream) {
        self.out = out
    }

    public func print(_ ctx: PacketContext) {
        let extra = ctx.sources.extra
        let multiple = !extra.isEmpty
        if multiple { out.write("Frame (" + Self.plural(ctx.sources.frame.count) + "):\n") }
        // tshark stops at the first empty data source.
        guard ctx.sources.frame.count > 0 else { return }
        dump(ctx.sources.frame)
        for s in extra {
            out.write(s.name + " (" + Self.plural(s.bytes.count) + "):\n")
            guard !s.bytes.isEmpty else { return }
            s.bytes.withUnsafeBytes { dump($0) }
        }
    }

    static func plural(_ n: Int) -> String { n == 1 ? "1 byte" : "\(n) bytes" }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lines of `offset  xx xx … xx  ascii`: the offset has 4 hex digits, more when the data
    /// needs them; missing bytes of the last line are blanks, non-printable bytes are dots.
    func dump(_ b: UnsafeRawBufferPointer) {
        let width: Int
        switch b.count - 1 {
        case 0x1000_0000...: width = 8
        case 0x0100_0000...: width = 7
        case 0x0010_0000...: width = 6
        case 0x0001_0000...: width = 5
        default: width = 4
        }
        let sink = out.sink
        let d = TextBuffer.hexDigits.utf8Start
        var off = 0
        while off < b.count {
            // offset, two spaces, 16 × "xx ", two spaces, up to 16 characters, newline
            sink.reserve(width + 2 + 48 + 2 + 16 + 1)
            var p = sink.base + sink.count
            for i in stride(from: width - 1, through: 0, by: -1) {
                p.pointee = d[(off >> (i * 4)) & 0xf]
                p += 1
            }
            p[0] = 0x20; p[1] = 0x20
            p += 2
            let n = min(16, b.count - off)
            for i in 0..<16 {
                if i < n {
                    let c = b[off + i]
                    p[0] = d[Int(c >> 4)]
                    p[1] = d[Int(c & 15)]
                } else {
                    p[0] = 0x20
                    p[1] = 0x20
                }
                p[2] = 0x20
                p += 3
            }
            p[0] = 0x20; p[1] = 0x20
            p += 2
            for i in 0..<n {
                let c = b[off + i]
                p.pointee = c >= 0x20 && c < 0x7f ? c : 0x2e
                p += 1
            }
            p.pointee = 0x0a
            p += 1
            sink.count = p - sink.base
            out.commit()
            off += 16
        }
    }
}
