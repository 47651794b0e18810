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
        }
    }

    public func source(_ ctx: PacketContext) -> String {
        address(ctx.netSrc != .none ? ctx.netSrc : ctx.dlSrc)
    }

    public func destination(_ ctx: PacketContext) -> String {
        address(ctx.netDst != .none ? ctx.netDst : ctx.dlDst)
    }

    public func protocolName(_ ctx: PacketContext) -> String {
        ctx.protocolColumn
    }

    public func timeText(_ ctx: PacketContext) -> String {
        let digits = ctx.frame.interfaceID < ctx.engine.interfaces.count
            ? ctx.engine.interfaces[ctx.frame.interfaceID].timeDigits : 6
        return time.text(ctx.frame.timestamp, relative: ctx.timeRelative, delta: ctx.timeDelta,
                         deltaDisplayed: ctx.timeDeltaDisplayed, digits: digits)
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

    public func print(_ ctx: PacketContext) {
        let n = String(ctx.frame.number)
        if n.count < 5 { out.write(String(repeating: " ", count: 5 - n.count)) }
        out.write(n)
        out.write(" ")
        out.write(columns.timeText(ctx))
        out.write(" ")
        let src = columns.source(ctx), dst = columns.destination(ctx)
        out.write(src)
        out.write(" → ")
        out.write(dst)
        out.write(" ")
        out.write(columns.protocolName(ctx))
        out.write(" ")
        out.write(String(ctx.frame.originalLength))
        out.write(" ")
        out.write(bytes: ctx.info.bytes)
        out.write("\n")
    }
}

/// The `-V` detail tree.
public final class TreePrinter {
    let out: OutputStream
    let formatter: FieldFormatter

    public init(out: OutputStream, formatter: FieldFormatter) {
        self.out = out
        self.formatter = formatter
    }

    public func print(_ ctx: PacketContext) {
        let recs = ctx.tree.records
        var firstChild = [Int32](repeating: -1, count: recs.count)
        var nextSibling = [Int32](repeating: -1, count: recs.count)
        var lastChild = [Int32](repeating: -1, count: recs.count)
        var roots: [Int] = []
        for (i, r) in recs.enumerated() {
            let p = Int(r.parent)
            if p < 0 || p >= recs.count {
                roots.append(i)
                continue
            }
            if lastChild[p] < 0 { firstChild[p] = Int32(i) } else { nextSibling[Int(lastChild[p])] = Int32(i) }
            lastChild[p] = Int32(i)
        }
        func emit(_ i: Int, _ depth: Int) {
            let r = recs[i]
            if r.flags.contains(.hidden) { return }
            let indent = String(repeating: " ", count: depth * 4)
            out.write(indent)
            out.write(formatter.label(r, ctx))
            out.write("\n")
            if r.flags.contains(.expert) {
                for line in formatter.expertDetails(r, ctx) {
                    out.write(indent + "    " + line + "\n")
                }
            }
            var c = firstChild[i]
            while c >= 0 {
                emit(Int(c), depth + 1)
                c = nextSibling[Int(c)]
            }
        }
        for i in roots { emit(i, 0) }
    }
}

/// The `-x` hex and ASCII dump, one block per data source.
public final class HexPrinter {
    let out: OutputStream
    public init(out: OutputStream) { self.out = out }

    public func print(_ ctx: PacketContext) {
        let extra = ctx.sources.extra
        if extra.isEmpty {
            dump(ctx.sources.frame)
        } else {
            out.write("Frame (\(ctx.sources.frame.count) bytes):\n")
            dump(ctx.sources.frame)
            for s in extra {
                out.write("\(s.name) (\(s.bytes.count) bytes):\n")
                s.bytes.withUnsafeBytes { dump($0) }
            }
        }
    }

    func dump(_ b: UnsafeRawBufferPointer) {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var line = [UInt8]()
        var off = 0
        while off < b.count {
            line.removeAll(keepingCapacity: true)
            let width = b.count > 0xffff ? 8 : 4
            for i in stride(from: width - 1, through: 0, by: -1) { line.append(digits[(off >> (i * 4)) & 0xf]) }
            line.append(0x20); line.append(0x20)
            let n = min(16, b.count - off)
            for i in 0..<16 {
                if i < n {
                    let c = b[off + i]
                    line.append(digits[Int(c >> 4)]); line.append(digits[Int(c & 15)])
                } else {
                    line.append(0x20); line.append(0x20)
                }
                line.append(0x20)
                if i == 7 { line.append(0x20) }
            }
            line.append(0x20)
            for i in 0..<n {
                let c = b[off + i]
                line.append(c >= 0x20 && c < 0x7f ? c : 0x2e)
                if i == 7 && n > 8 { line.append(0x20) }
            }
            out.write(bytes: line)
            out.write("\n")
            off += 16
        }
    }
}
