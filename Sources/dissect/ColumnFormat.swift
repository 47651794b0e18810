/// `-o gui.column.format:"No.","%m","Time","%t",…`: the packet list's columns, as pairs of a
/// title and a column format code. termshark sets it on every `-T psml` run it makes.
///
/// The codes map to the `_ws.col.*` columns `Columns` computes; a code it does not compute (custom
/// columns `%Cus:…`, the resolved/unresolved address variants…) gives an empty column, so the
/// layout stays what the caller asked for.
struct ColumnFormat {
    static let preferenceName = "gui.column.format"

    /// tshark's column format codes (epan/column.c) and the column each one is.
    static let codes: [String: String] = [
        "%m": "_ws.col.number", "%t": "_ws.col.cls_time", "%s": "_ws.col.def_src", "%d": "_ws.col.def_dst",
        "%p": "_ws.col.protocol", "%L": "_ws.col.packet_length", "%i": "_ws.col.info",
    ]

    let layout: [(title: String, name: String)]

    /// The last `gui.column.format` among the `-o` arguments; nil if none (or not a list of pairs).
    init?(_ preferences: [String]) {
        guard let arg = preferences.last(where: { $0.hasPrefix(Self.preferenceName + ":") }) else { return nil }
        let items = Self.quotedItems(String(arg.dropFirst(Self.preferenceName.count + 1)))
        guard !items.isEmpty, items.count % 2 == 0 else { return nil }
        layout = stride(from: 0, to: items.count, by: 2).map { i in
            (items[i], Self.codes[items[i + 1]] ?? "_ws.col.custom:" + items[i + 1])
        }
    }

    /// `"a", "b",c` → ["a", "b", "c"]: comma-separated items, double quotes optional.
    static func quotedItems(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var inQuotes = false
        var sawItem = false
        for ch in text {
            if ch == "\"" {
                inQuotes.toggle()
                sawItem = true
            } else if ch == "," && !inQuotes {
                items.append(current)
                current = ""
                sawItem = false
            } else if inQuotes || !(ch == " " || ch == "\t" || ch == "\n" || ch == "\r") {
                current.append(ch)
                sawItem = true
            }
        }
        if sawItem { items.append(current) }
        return items
    }
}

extension DissectOptions {
    /// The options without `-o gui.column.format` (a GUI preference no dissector registers: the
    /// packet list printers read it, see ColumnFormat).
    var withoutColumnFormat: DissectOptions {
        var o = self
        o.preferences.removeAll { $0.hasPrefix(ColumnFormat.preferenceName + ":") }
        return o
    }
}
