/// `-z io,stat,INTERVAL[,COLUMN]…`: frames and bytes (or a calculation over a field) per time
/// interval, one column per comma-separated argument, in tshark 4.0's table layout
/// (ui/cli/tap-iostat.c). A column is a display filter ("tcp" → frames and bytes of matching
/// packets), or `FUNC(field)filter` with FUNC one of COUNT, SUM, MIN, MAX, AVG, LOAD (values of
/// `field` in packets matching `filter`), or FRAMES / BYTES.
///
/// The layout is tshark's, quirks included (the duration line of a whole-second interval is not
/// aligned, column labels wider than their column are left out). One difference, listed in
/// DIVERGENCES.md: tshark sums a field only when some filter of the run mentions it (it reads
/// field values from the "interesting fields" the filters primed), so `SUM(tcp.len)` without a
/// filter naming `tcp.len` shows 0 there; we always use the values.
public final class IOStatistics {
    public enum Calc: Int, Sendable {
        case frames, bytes, framesAndBytes, count, sum, min, max, avg, load

        var name: String {
            switch self {
            case .frames: return "FRAMES"
            case .bytes: return "BYTES"
            case .framesAndBytes: return "FRAMES BYTES"
            case .count: return "COUNT"
            case .sum: return "SUM"
            case .min: return "MIN"
            case .max: return "MAX"
            case .avg: return "AVG"
            case .load: return "LOAD"
            }
        }

        /// tshark's lookup order (`calc_type_table`): the first name the column starts with.
        static let lookupOrder: [Calc] = [.frames, .bytes, .framesAndBytes, .count, .sum, .min, .max, .avg, .load]
    }

    /// An error in tshark's words, with tshark's exit status.
    public struct ArgumentError: Error, Sendable {
        public var message: String
        public var status: Int32
    }

    enum ValueKind { case unsigned, signed, float, relativeTime, other }

    struct Item {
        var frames: UInt32 = 0
        var num: UInt32 = 0
        var counter: UInt64 = 0
        var double: Double = 0
    }

    final class Column {
        let title: String?
        let calc: Calc
        let field: FieldID?
        let kind: ValueKind
        let filter: DisplayFilter?
        var items: [Item] = []
        var maxValue: UInt64 = 0
        var maxFrames: UInt32 = 0

        init(title: String?, calc: Calc, field: FieldID?, kind: ValueKind, filter: DisplayFilter?) {
            self.title = title
            self.calc = calc
            self.field = field
            self.kind = kind
            self.filter = filter
        }
    }

    /// The interval in microseconds; `UInt64.max` for 0 (the whole capture).
    let interval: UInt64
    /// Decimal digits the user gave the interval with.
    let intervalPrecision: Int
    let columns: [Column]
    /// The last relative time (µs) and the largest one seen (tshark's `elapsed_time`).
    private var lastRelative: UInt64 = 0
    private var elapsed = Timestamp.zero

    /// Parses the text after "io,stat," ("1,tcp,COUNT(tcp.len)tcp.len").
    public init(arguments: String, registry: FieldRegistry, macros: FilterMacros) throws(ArgumentError) {
        let full = "io,stat," + arguments
        let invalid = ArgumentError(message: "\ninvalid \"-z io,stat,<interval>[,<filter>][,<filter>]...\" argument\n",
                                    status: 1)
        guard !full.hasSuffix(",") else { throw invalid }
        let bytes = Array(arguments.utf8)
        guard let (value, used) = Self.scanDouble(bytes) else { throw invalid }
        var rest = bytes[used...]
        if let c = rest.first, c != 0x2c { throw invalid }
        if !rest.isEmpty { rest = rest.dropFirst() }

        if value == 0 {
            interval = .max
            intervalPrecision = 0
        } else if value < 0 || !value.isFinite {
            // tshark converts the negative number to an unsigned one: far longer than any capture.
            interval = .max - 1
            intervalPrecision = 0
        } else {
            let us = (value * 1_000_000 + 0.5)
            guard us >= 1 else {
                throw ArgumentError(message: "\n\"-z\" interval must be >=0.000001 seconds or \"0\" for the entire capture duration.\n", status: 10)
            }
            let v = us >= 1.8e19 ? UInt64.max - 1 : UInt64(us)
            interval = v
            var p = 6
            var m: UInt64 = 10
            while m < 10_000_000 {
                if v % m > 0 { break }
                p -= 1
                m *= 10
            }
            if p == 0 {
                // "1.0" asks for one decimal even though the interval is whole.
                let text = bytes[..<used]
                if let dot = text.firstIndex(of: 0x2e) {
                    let digits = used - dot - 1
                    if digits > 0 { p = Swift.min(digits, 6) }
                }
            }
            intervalPrecision = p
        }

        var cols: [Column] = []
        if rest.isEmpty {
            cols.append(Column(title: nil, calc: .framesAndBytes, field: nil, kind: .other, filter: nil))
        } else {
            for part in rest.split(separator: 0x2c, omittingEmptySubsequences: false) {
                let text = Self.strip(String(decoding: part, as: UTF8.self))
                cols.append(try Self.column(text.isEmpty ? nil : text, registry: registry, macros: macros))
            }
        }
        columns = cols
    }

    static func strip(_ s: String) -> String {
        var t = Substring(s)
        while let f = t.first, f == " " || f == "\t" || f == "\n" || f == "\r" { t.removeFirst() }
        while let l = t.last, l == " " || l == "\t" || l == "\n" || l == "\r" { t.removeLast() }
        return String(t)
    }

    /// `%lf` as sscanf reads it: optional sign, digits, fraction, exponent.
    static func scanDouble(_ b: [UInt8]) -> (Double, Int)? {
        var i = 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        let start = i
        if i < b.count, b[i] == 0x2b || b[i] == 0x2d { i += 1 }
        var digits = 0
        while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1; digits += 1 }
        if i < b.count, b[i] == 0x2e {
            i += 1
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < b.count, b[i] | 0x20 == 0x65 {
            var j = i + 1
            if j < b.count, b[j] == 0x2b || b[j] == 0x2d { j += 1 }
            var e = 0
            while j < b.count, b[j] >= 0x30 && b[j] <= 0x39 { j += 1; e += 1 }
            if e > 0 { i = j }
        }
        guard let v = Double(String(decoding: b[start..<i], as: UTF8.self)) else { return nil }
        return (v, i)
    }

    /// One column from its text (nil: frames and bytes of every packet).
    static func column(_ text: String?, registry: FieldRegistry, macros: FilterMacros) throws(ArgumentError) -> Column {
        guard let text else { return Column(title: nil, calc: .framesAndBytes, field: nil, kind: .other, filter: nil) }
        var calc = Calc.framesAndBytes
        var filterText = text
        var field: FieldID?
        var kind = ValueKind.other
        for c in Calc.lookupOrder {
            guard text.hasPrefix(c.name) else {
                if calc == .frames || calc == .bytes { filterText = "" }
                continue
            }
            calc = c
            let after = text.dropFirst(c.name.count)
            guard after.first == "(" else { continue }
            let inner = after.dropFirst()
            guard let close = inner.firstIndex(of: ")") else {
                throw ArgumentError(message: "\nClosing parenthesis missing from calculated expression.\n", status: 10)
            }
            let name = String(inner[..<close])
            if c == .frames || c == .bytes {
                if !name.isEmpty {
                    throw ArgumentError(message: "\n\(c.name) does not require or allow a field name within the parens.\n", status: 10)
                }
            } else if name.isEmpty {
                throw ArgumentError(message: "\nYou didn't specify a field name for \(c.name)(*).\n", status: 10)
            }
            filterText = String(inner[inner.index(after: close)...])
            if c == .frames || c == .bytes { break }
            guard let id = registry.lookup(name) else {
                throw ArgumentError(message: "\nThere is no field named '\(name)'.\n", status: 10)
            }
            field = id
            kind = valueKind(registry[id].type)
            switch kind {
            case .unsigned, .signed: break
            case .float:
                if ![.sum, .count, .max, .min, .avg].contains(c) {
                    throw ArgumentError(message: "\n\(name) is a float field, so \(c.name)(*) calculations are not supported on it.", status: 10)
                }
            case .relativeTime:
                if ![.sum, .count, .max, .min, .avg, .load].contains(c) {
                    throw ArgumentError(message: "\n\(name) is a relative-time field, so \(c.name)(*) calculations are not supported on it.", status: 10)
                }
            case .other:
                if c != .count {
                    throw ArgumentError(message: "\n\(name) doesn't have integral values, so \(c.name)(*) calculations are not supported on it.\n", status: 10)
                }
            }
            break
        }
        var filter: DisplayFilter?
        if !filterText.isEmpty {
            do {
                filter = try DisplayFilter(compiling: filterText, registry: registry, macros: macros)
            } catch {
                throw ArgumentError(message: "\nCouldn't register io,stat tap: Filter \"\(filterText)\" is invalid - \(error.message)\n", status: 1)
            }
        }
        return Column(title: text, calc: calc, field: field, kind: kind, filter: filter)
    }

    static func valueKind(_ t: FieldType) -> ValueKind {
        switch t {
        case .uint8, .uint16, .uint24, .uint32, .uint64: return .unsigned
        case .int8, .int16, .int24, .int32, .int64: return .signed
        case .float, .double: return .float
        case .relativeTime: return .relativeTime
        default: return .other
        }
    }

    public var wantedFields: [FieldID] {
        var ids: [FieldID] = []
        for c in columns {
            if let f = c.field { ids.append(f) }
            if let f = c.filter { ids.append(contentsOf: f.fields) }
        }
        return ids
    }

    // MARK: counting

    public func add(_ ctx: PacketContext) {
        let rel = ctx.timeRelative
        if elapsed < rel { elapsed = rel }
        let relative: UInt64
        if rel.seconds >= 0 && rel.nanoseconds >= 0 {
            relative = UInt64(rel.seconds) &* 1_000_000 &+ UInt64((Int64(rel.nanoseconds) + 500) / 1000)
            lastRelative = relative
        } else {
            relative = lastRelative
        }
        let slot = interval == .max ? 0 : Int(clamping: relative / interval)
        // Bounded memory: a capture spanning more intervals than a report can hold (a time
        // stamp decades off, a tiny interval) is counted up to the limit; `render` says so.
        guard slot < Self.maxIntervals else { return }
        for c in columns {
            if let f = c.filter, !f.matches(ctx) { continue }
            while c.items.count <= slot { c.items.append(Item()) }
            var it = c.items[slot]
            update(c, &it, slot, ctx)
            c.items[slot] = it
        }
    }

    private func update(_ c: Column, _ it: inout Item, _ slot: Int, _ ctx: PacketContext) {
        it.frames += 1
        switch c.calc {
        case .frames, .bytes, .framesAndBytes:
            it.counter &+= UInt64(ctx.frame.originalLength)
        default:
            guard let field = c.field else { break }
            var first = true
            for r in ctx.tree.records where r.field == field {
                defer { first = false }
                if c.calc == .count { it.counter &+= 1; continue }
                switch c.kind {
                case .unsigned, .signed:
                    let v: UInt64
                    switch r.value {
                    case .int(let x): v = UInt64(bitPattern: x)
                    default: v = r.value.uintValue ?? 0
                    }
                    let signed = c.kind == .signed
                    switch c.calc {
                    case .sum, .avg:
                        it.counter &+= v
                        if c.calc == .avg { it.num += 1 }
                    case .min:
                        let less = signed ? Int64(bitPattern: v) < Int64(bitPattern: it.counter) : v < it.counter
                        if (it.frames == 1 && first) || less { it.counter = v }
                    case .max:
                        let more = signed ? Int64(bitPattern: v) > Int64(bitPattern: it.counter) : v > it.counter
                        if more { it.counter = v }
                    default: break
                    }
                case .float:
                    guard case .double(let d) = r.value else { continue }
                    switch c.calc {
                    case .sum, .avg:
                        it.double += d
                        if c.calc == .avg { it.num += 1 }
                    case .min: if (it.frames == 1 && first) || d < it.double { it.double = d }
                    case .max: if d > it.double { it.double = d }
                    default: break
                    }
                case .relativeTime:
                    guard case .relativeTime(let t) = r.value else { continue }
                    let ns = UInt64(bitPattern: t.seconds &* 1_000_000_000 &+ Int64(t.nanoseconds))
                    switch c.calc {
                    case .sum, .avg:
                        it.counter &+= ns
                        if c.calc == .avg { it.num += 1 }
                    case .min: if (it.frames == 1 && first) || ns < it.counter { it.counter = ns }
                    case .max: if ns > it.counter { it.counter = ns }
                    case .load:
                        // The time is spread backwards over the intervals it covers.
                        var us = ns / 1000
                        let part = us % interval
                        it.counter &+= part
                        us -= part
                        var i = slot - 1
                        while us > 0 && i >= 0 {
                            let take = Swift.min(us, interval)
                            c.items[i].counter &+= take
                            us -= take
                            i -= 1
                        }
                    default: break
                    }
                case .other:
                    break
                }
            }
        }
        // The largest value, for the column width.
        switch c.calc {
        case .frames, .framesAndBytes:
            c.maxFrames = Swift.max(c.maxFrames, it.frames)
            c.maxValue = Swift.max(c.maxValue, it.counter)
        case .bytes, .count, .load:
            c.maxValue = Swift.max(c.maxValue, it.counter)
        case .sum, .min, .max:
            switch c.kind {
            case .float: c.maxValue = Swift.max(c.maxValue, Self.toUInt(it.double + 0.5))
            default: c.maxValue = Swift.max(c.maxValue, it.counter)
            }
        case .avg:
            guard it.num > 0 else { break }
            switch c.kind {
            case .float: c.maxValue = Swift.max(c.maxValue, Self.toUInt(it.double) / UInt64(it.num))
            case .relativeTime: c.maxValue = Swift.max(c.maxValue, (it.counter / UInt64(it.num) + 500_000_000) / 1_000_000_000)
            default: c.maxValue = Swift.max(c.maxValue, it.counter / UInt64(it.num))
            }
        }
    }

    static func toUInt(_ d: Double) -> UInt64 {
        if !(d > 0) { return 0 }
        if d >= 1.8e19 { return .max }
        return UInt64(d)
    }

    /// Digits of `v` (at least 1, at most `maxWidth`): tshark's `magnitude`.
    static func magnitude(_ v: UInt64, _ maxWidth: Int) -> Int {
        var v = v
        var m = 0
        for _ in 0..<maxWidth {
            m += 1
            v /= 10
            if v == 0 { break }
        }
        return m
    }

    // MARK: drawing

    static func spaces(_ n: Int) -> String { n > 0 ? String(repeating: " ", count: n) : "" }
    static func padLeft(_ s: String, _ w: Int) -> String { spaces(w - s.utf8.count) + s }
    static func padRight(_ s: String, _ w: Int) -> String { s + spaces(w - s.utf8.count) }
    static func zeroPad(_ v: UInt64, _ w: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: Swift.max(0, w - s.count)) + s
    }

    /// A label centred over a column of `width` (tshark's `printcenter`): left out when the
    /// column is 10 or more characters wider than the label.
    static func center(_ label: String, _ width: Int) -> String {
        let lenlab = label.utf8.count
        let pad = (width - lenlab) / 2 + 1
        let len = 6 - pad
        if len > 0 && len < 6 {
            let sp = spaces(6 - len)
            return ((width - lenlab) % 2 == 0 ? sp : sp + " ") + label + sp + "|"
        }
        return ""
    }

    /// The most intervals one report counts and prints (tshark keeps them all, and runs out of
    /// memory on a capture whose time stamps span decades at a 1 s interval).
    public static let maxIntervals = 1 << 20

    public func render(columns _: Columns) -> String {
        var out = ""
        let elapsedSeconds = UInt64(Swift.max(0, elapsed.seconds))
        let elapsedNanos = UInt64(Swift.max(0, Swift.min(Int64(elapsed.nanoseconds), 999_999_999)))
        var duration = elapsedSeconds.multipliedReportingOverflow(by: 1_000_000).partialValue &+ (elapsedNanos + 500) / 1000
        var interval = self.interval
        if interval != .max, interval > 0, duration / interval >= UInt64(Self.maxIntervals) {
            return "\nio,stat: the capture spans more than \(Self.maxIntervals) intervals of "
                + "\(interval / 1_000_000).\(Self.zeroPad(interval % 1_000_000, 6)) s; use a longer interval\n"
        }
        var wholeCapture = false
        if interval > duration || interval == .max {
            interval = duration
            wholeCapture = true
        }
        let durSecsOrig = duration / 1_000_000, durMicrosOrig = duration % 1_000_000
        var durMag = Self.magnitude(durSecsOrig, 5)
        let invlMag = Self.magnitude(interval / 1_000_000, 5)
        let prec: Int
        var borderlen: Int
        if interval == duration {
            prec = durMag >= 2 ? 1 : (durMag == 1 ? 3 : 6)
            borderlen = 30 + durMag + (prec == 0 ? 0 : prec + 1)
        } else {
            prec = intervalPrecision
            borderlen = 25 + Swift.max(invlMag, durMag) + (prec == 0 ? 0 : prec + 1)
        }
        var dv: UInt64 = 1_000_000
        for _ in 0..<prec { dv /= 10 }
        if duration % dv > 5 * (dv / 10) {
            duration += 5 * (dv / 10)
            duration = duration / dv * dv
            durMag = Self.magnitude(duration / 1_000_000, 5)
        }
        if wholeCapture { interval = duration }
        let durSecs = duration / 1_000_000, durMicros = duration % 1_000_000

        var invlColW = prec == 0 ? 2 * durMag + 8 : 2 * durMag + 2 * prec + 10
        invlColW = Swift.max(invlColW, 12)
        borderlen = Swift.max(borderlen, invlColW)

        // Column widths: frames (FRAMES, frames and bytes) and values.
        var frW = [Int](repeating: 0, count: columns.count)
        var valW = [Int](repeating: 0, count: columns.count)
        var tabrow = invlColW
        for (j, c) in columns.enumerated() {
            let namelen = c.calc == .framesAndBytes ? 5 : c.calc.name.utf8.count
            if c.calc == .frames || c.calc == .framesAndBytes {
                frW[j] = Swift.max(6, Self.magnitude(UInt64(c.maxFrames), 15))
                tabrow += frW[j] + 3
                if c.calc == .framesAndBytes {
                    valW[j] = Swift.max(5, Self.magnitude(c.maxValue, 15))
                    tabrow += valW[j] + 3
                }
                continue
            }
            switch c.calc {
            case .bytes, .count:
                valW[j] = Swift.max(5, Self.magnitude(c.maxValue, 15))
            default:
                switch c.kind {
                case .float:
                    valW[j] = Self.magnitude(c.maxValue, 15) + 7
                case .relativeTime:
                    if c.calc == .load {
                        c.maxValue /= Swift.max(interval, 1)
                    } else if c.calc != .avg {
                        c.maxValue = (c.maxValue + 500_000_000) / 1_000_000_000
                    }
                    valW[j] = Self.magnitude(c.maxValue, 15) + 7
                default:
                    valW[j] = Swift.max(namelen, Self.magnitude(c.maxValue, 15))
                }
            }
            tabrow += valW[j] + 3
        }
        borderlen = Swift.max(borderlen, tabrow)
        var maxFilter = 0
        for c in columns { maxFilter = Swift.max(maxFilter, c.title.map { $0.utf8.count + 11 } ?? 26) }
        if maxFilter > borderlen && borderlen < 102 { borderlen = Swift.min(maxFilter, 102) }
        if borderlen - tabrow == 1 { borderlen += 1 }

        out += "\n" + String(repeating: "=", count: borderlen) + "\n"
        out += "| IO Statistics" + Self.spaces(borderlen - 16) + "|\n"
        out += "|" + Self.spaces(borderlen - 2) + "|\n"
        if prec == 0 {
            out += "| Duration: " + Self.padLeft(String(durSecsOrig), durMag) + "." + Self.padLeft(String(durMicrosOrig), 6)
                + " secs" + Self.spaces(borderlen - (25 + durMag)) + "|\n"
            out += "| Interval: " + Self.padLeft(String(interval / 1_000_000), durMag) + " secs"
                + Self.spaces(borderlen - (18 + durMag)) + "|\n"
        } else {
            let tail = Self.spaces(borderlen - (19 + durMag + prec)) + "|\n"
            out += "| Duration: " + Self.padLeft(String(durSecs), durMag) + "." + Self.zeroPad(durMicros / dv, prec)
                + " secs" + tail
            out += "| Interval: " + Self.padLeft(String(interval / 1_000_000), durMag) + "."
                + Self.zeroPad((interval % 1_000_000) / dv, prec) + " secs" + tail
        }
        out += "|" + Self.spaces(borderlen - 2) + "|\n"

        // The columns' filters, wrapped at the border.
        out += "| Col"
        for (j, c) in columns.enumerated() {
            out += j == 0 ? Self.padLeft(String(j + 1), 2) + ": " : "|    " + Self.padLeft(String(j + 1), 2) + ": "
            guard var filter = c.title.map({ Array($0.utf8) }) else {
                out += "Frames and bytes" + Self.spaces(borderlen - 26) + "|\n"
                continue
            }
            func text(_ b: ArraySlice<UInt8>) -> String { String(decoding: b, as: UTF8.self) }
            if filter.count + 11 <= borderlen {
                out += text(filter[...]) + Self.spaces(borderlen - (filter.count + 10)) + "|\n"
                continue
            }
            let maxW = borderlen - 11
            while true {
                if filter.count > maxW {
                    let chunk = filter[..<maxW]
                    let len: Int, next: Int
                    if let sp = chunk.lastIndex(of: 0x20) {
                        len = sp
                        next = sp + 1
                    } else {
                        len = maxW
                        next = maxW
                    }
                    out += text(filter[..<len]) + Self.spaces(borderlen - (len + 10)) + "|\n"
                    out += "|        "
                    filter = Array(filter[next...])
                } else {
                    out += text(filter[...]) + Self.spaces(borderlen - (filter.count + 10)) + "|\n"
                    break
                }
            }
        }
        out += "|-" + String(repeating: "-", count: Swift.max(0, borderlen - 3)) + "|\n"

        // Column numbers, then labels.
        out += "|" + Self.spaces(invlColW - 2) + "|"
        for (j, c) in columns.enumerated() {
            let w: Int
            switch c.calc {
            case .framesAndBytes: w = frW[j] + valW[j] + 3
            case .frames: w = frW[j]
            default: w = valW[j]
            }
            out += Self.padRight(String(j + 1), 2) + Self.spaces(w) + "|"
        }
        let filler = tabrow < borderlen ? Self.spaces(borderlen - tabrow - 1) + "|" : ""
        out += filler
        out += "\n| Interval" + Self.spaces(invlColW - 11) + "|"
        for (j, c) in columns.enumerated() {
            switch c.calc {
            case .frames: out += Self.center(c.calc.name, frW[j])
            case .framesAndBytes: out += Self.center("Frames", frW[j]) + Self.center("Bytes", valW[j])
            default: out += Self.center(c.calc.name, valW[j])
            }
        }
        out += filler
        out += "\n|-" + String(repeating: "-", count: Swift.max(0, tabrow - 3)) + "|" + filler + "\n"

        // One row per interval.
        let rows: UInt64 = (interval == 0 || duration == 0) ? 0 : duration / interval + (duration % interval > 0 ? 1 : 0)
        var t: UInt64 = 0
        var i: UInt64 = 0
        while i < rows {
            let last = i == rows - 1
            let end = last ? duration : t + interval
            if prec == 0 {
                let lead = durMag == 1 ? "|  " : "| "
                if last {
                    let maxw = durMag >= 3 ? durMag + 1 : 3
                    out += lead + Self.padLeft(String(t / 1_000_000), durMag) + " <> " + Self.padRight("Dur", maxw) + "|"
                } else {
                    out += lead + Self.padLeft(String(t / 1_000_000), durMag) + " <> "
                        + Self.padLeft(String(end / 1_000_000), durMag) + (durMag == 1 ? "  |" : " |")
                }
            } else {
                out += "| " + Self.padLeft(String(t / 1_000_000), durMag) + "." + Self.zeroPad((t % 1_000_000) / dv, prec)
                    + " <> " + Self.padLeft(String(end / 1_000_000), durMag) + "."
                    + Self.zeroPad((end % 1_000_000) / dv, prec) + " |"
            }
            for (j, c) in columns.enumerated() {
                let item = Int(i) < c.items.count ? c.items[Int(i)] : Item()
                out += cell(c, item, frW[j], valW[j], last: last, intervalLength: last ? end - t : interval)
            }
            out += filler + "\n"
            t += interval
            i += 1
        }
        out += String(repeating: "=", count: borderlen) + "\n"
        return out
    }

    private func cell(_ c: Column, _ it: Item, _ frW: Int, _ valW: Int, last: Bool, intervalLength: UInt64) -> String {
        func u(_ v: UInt64, _ w: Int) -> String { " " + Self.padLeft(String(v), w) + " |" }
        func d(_ v: Double, _ w: Int) -> String { " " + Self.padLeft(FieldFormatter.cFormat("%.6f", v), w) + " |" }
        func rel(_ ns: UInt64, _ w: Int) -> String {
            let us = (ns + 500) / 1000
            return " " + Self.padLeft(String(us / 1_000_000), w - 7) + "." + Self.zeroPad(us % 1_000_000, 6) + " |"
        }
        switch c.calc {
        case .frames: return u(UInt64(it.frames), frW)
        case .bytes, .count: return u(it.counter, valW)
        case .framesAndBytes: return u(UInt64(it.frames), frW) + u(it.counter, valW)
        case .sum, .min, .max:
            switch c.kind {
            case .float: return d(it.double, valW)
            case .relativeTime: return rel(it.counter, valW)
            case .signed: return " " + Self.padLeft(String(Int64(bitPattern: it.counter)), valW) + " |"
            default: return u(it.counter, valW)
            }
        case .avg:
            let n = UInt64(Swift.max(it.num, 1))
            switch c.kind {
            case .float: return d(it.double / Double(n), valW)
            case .relativeTime: return rel(it.counter / n, valW)
            case .signed: return " " + Self.padLeft(String(Int64(bitPattern: it.counter / n)), valW) + " |"
            default: return u(it.counter / n, valW)
            }
        case .load:
            guard c.kind == .relativeTime, intervalLength > 0 else { return "" }
            let whole = it.counter / intervalLength
            let frac = (it.counter % intervalLength) * 1_000_000 / intervalLength
            return " " + Self.padLeft(String(whole), valW - 7) + "." + Self.zeroPad(frac, 6) + " |"
        }
    }
}

extension IOStatistics: StatisticTap {}
