import DissectKit

/// The text of NTP control messages (`version="ntpd 4.2.8", stratum=2, …`) split into text lines
/// the way tshark's tvbparse grammar for it does: every element the grammar matched becomes a
/// line, nested as the grammar nests, including the empty ones (an absent value or comma).
///
/// The grammar: blanks (space, tab, CR, LF) are skipped before every element; an item is an
/// assignment `name = [value] [,]` or a bare `name [,]`; a value is a double- or single-quoted
/// string or a run of name characters and spaces; a comma element is everything up to the next
/// comma (which is consumed but not shown). Parsing stops at the first thing that fits none.
enum NTPControlText {
    /// One matched element: its text range (relative to the data) and its sub-elements.
    private struct Element {
        var start: Int
        var end: Int
        var children: [Element] = []
    }

    static func addVariables(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int,
                             parent: TreeNode) {
        guard packet.buildsFullTree, let text = try? data.slice(offset, length) else { return }
        let parser = Parser(text)
        var at = 0
        while true {
            at = parser.skipBlanks(at)
            guard at < text.count, let (item, next) = parser.item(at) else { break }
            add(&packet, text, item, parent: parent)
            at = next
        }
    }

    private static func add(_ packet: inout PacketContext, _ text: ByteView, _ e: Element, parent: TreeNode) {
        let node = packet.addText(format(text, e.start, e.end), text, e.start, e.end - e.start, parent: parent)
        for c in e.children { add(&packet, text, c, parent: node) }
    }

    /// tshark's `format_text`: printable ASCII as is, C escapes for the usual controls, octal
    /// for other bytes.
    static func format(_ text: ByteView, _ start: Int, _ end: Int) -> String {
        var out = ""
        for i in start..<end {
            let c = text[unchecked: i]
            switch c {
            case 0x20..<0x7f: out.unicodeScalars.append(Unicode.Scalar(c))
            case 0x07: out += "\\a"
            case 0x08: out += "\\b"
            case 0x0c: out += "\\f"
            case 0x0a: out += "\\n"
            case 0x0d: out += "\\r"
            case 0x09: out += "\\t"
            case 0x0b: out += "\\v"
            default:
                let o = String(c, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - o.count) + o
            }
        }
        return out
    }

    private struct Parser {
        let text: ByteView
        init(_ text: ByteView) { self.text = text }

        func skipBlanks(_ i: Int) -> Int {
            var j = i
            while j < text.count {
                let c = text[unchecked: j]
                guard c == 0x20 || c == 0x09 || c == 0x0d || c == 0x0a else { break }
                j += 1
            }
            return j
        }

        static func isNameCharacter(_ c: UInt8) -> Bool {
            (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)
                || c == 0x2d || c == 0x5f || c == 0x2e
        }

        /// A run of name characters (plus spaces in values), at least one.
        func run(_ i: Int, spaces: Bool) -> Element? {
            var j = i
            while j < text.count {
                let c = text[unchecked: j]
                guard Self.isNameCharacter(c) || (spaces && c == 0x20) else { break }
                j += 1
            }
            return j > i ? Element(start: i, end: j) : nil
        }

        /// A sequence's element: its members, spanning from the first to the end of the last one
        /// that is not empty.
        static func sequence(_ members: [Element]) -> Element {
            let start = members.first?.start ?? 0
            let end = members.filter { $0.end > $0.start }.map(\.end).max() ?? start
            return Element(start: start, end: max(start, end), children: members)
        }

        /// An item (`name=value,` or `name,`) at `i`: the element and where parsing goes on.
        func item(_ i: Int) -> (Element, Int)? {
            guard let name = run(i, spaces: false) else { return nil }
            var at = skipBlanks(name.end)
            if at < text.count && text[unchecked: at] == 0x3d { // "="
                let equals = Element(start: at, end: at + 1)
                at = skipBlanks(at + 1)
                var someValue = Element(start: at, end: at)
                if let (v, next) = value(at) {
                    someValue = Element(start: v.start, end: v.end, children: [v])
                    at = next
                }
                let (someComma, next) = comma(skipBlanks(at))
                let seq = Self.sequence([name, equals, someValue, someComma])
                return (Element(start: seq.start, end: seq.end, children: [seq]), next)
            }
            let (someComma, next) = comma(at)
            let seq = Self.sequence([name, someComma])
            return (Element(start: seq.start, end: seq.end, children: [seq]), next)
        }

        /// A value: a quoted string (either quote) or a run of name characters and spaces, as the
        /// element that wraps the alternative that matched.
        func value(_ i: Int) -> (Element, Int)? {
            for quote: UInt8 in [0x22, 0x27] {
                if let (q, next) = quoted(i, quote) {
                    return (Element(start: q.start - 1, end: q.end + 1, children: [q]), next)
                }
            }
            if let r = run(i, spaces: true) {
                return (Element(start: r.start, end: r.end, children: [r]), r.end)
            }
            return nil
        }

        /// A quoted string: the element shows the text between the quotes; under it the
        /// quote, the content (an escaped quote or a run of anything but the quote) and the quote.
        func quoted(_ i: Int, _ quote: UInt8) -> (Element, Int)? {
            guard i < text.count, text[unchecked: i] == quote else { return nil }
            let open = Element(start: i, end: i + 1)
            let at = skipBlanks(i + 1)
            var content: Element?
            if at + 1 < text.count && text[unchecked: at] == 0x5c && text[unchecked: at + 1] == quote {
                content = Element(start: at, end: at + 2)
            } else {
                var j = at
                while j < text.count && text[unchecked: j] != quote { j += 1 }
                if j > at { content = Element(start: at, end: j) }
            }
            if let c = content {
                let closeAt = skipBlanks(c.end)
                if closeAt < text.count && text[unchecked: closeAt] == quote {
                    let inner = Element(start: c.start, end: c.end, children: [Element(start: c.start, end: c.end,
                                                                                         children: [c])])
                    let seq = Self.sequence([open, inner, Element(start: closeAt, end: closeAt + 1)])
                    return (Element(start: i + 1, end: closeAt, children: [seq]), closeAt + 1)
                }
            }
            // The empty string: two quotes.
            if at < text.count && text[unchecked: at] == quote {
                let seq = Self.sequence([open, Element(start: at, end: at + 1)])
                return (Element(start: i + 1, end: at, children: [seq]), at + 1)
            }
            return nil
        }

        /// The optional comma: everything up to the next comma (shown without it), or nothing.
        func comma(_ i: Int) -> (Element, Int) {
            var j = i
            while j < text.count && text[unchecked: j] != 0x2c { j += 1 }
            guard j < text.count else { return (Element(start: i, end: i), i) }
            let until = Element(start: i, end: j)
            return (Element(start: i, end: j, children: [until]), j + 1)
        }
    }
}
