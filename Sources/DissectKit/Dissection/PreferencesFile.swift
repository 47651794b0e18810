/// Reading a preferences file in Wireshark's format (`name: value` lines, `#` comments, values
/// continued on lines that start with white space), as tshark's `read_prefs_file` does.
///
/// Observed tshark 4.0 behaviour kept here: the name is taken exactly as written up to the colon
/// (a space before the colon makes it unknown), white space after the colon is skipped but
/// trailing white space stays part of the value, the last occurrence wins, and a line that starts
/// a name but has no colon is an "Incomplete preference".
extension Preferences {
    /// How to treat names no protocol registered.
    public enum UnknownNames: Sendable {
        /// Warn, as tshark does for its own files (`~/.config/dissect/preferences`).
        case warn
        /// Skip silently: Wireshark's own file names preferences of protocols we do not have.
        case ignore
    }

    /// Applies the preferences in `text` (the contents of `path`); returns tshark's warnings
    /// ("No such preference \"x\" at line 3 of\n/path (save preferences to remove this warning)").
    @discardableResult
    public func load(fileText text: String, path: String, unknown: UnknownNames) -> [String] {
        var warnings: [String] = []
        let suffix = " of\n\(path) (save preferences to remove this warning)"
        var pending: (name: String, value: String, line: Int)?

        func flush() {
            guard let p = pending else { return }
            pending = nil
            guard let pref = all[p.name] ?? aliases[p.name].flatMap({ all[$0] }) else {
                if unknown == .warn && !Self.notYetImplemented.contains(p.name) {
                    warnings.append("No such preference \"\(p.name)\" at line \(p.line)" + suffix)
                }
                return
            }
            if pref.set(p.value) != nil {
                warnings.append("Syntax error in preference \(p.name) at line \(p.line)" + suffix)
            }
        }

        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = Substring(raw)
            if line.last == "\r" { line.removeLast() }
            guard let first = line.first else {
                flush()
                continue
            }
            if first == "#" {
                flush()
                continue
            }
            if first == " " || first == "\t" {
                // A continuation of the previous value.
                var rest = line
                while let f = rest.first, f == " " || f == "\t" { rest.removeFirst() }
                if !rest.isEmpty, pending != nil {
                    if !pending!.value.isEmpty { pending!.value += " " }
                    pending!.value += rest
                }
                continue
            }
            flush()
            guard let colon = line.firstIndex(of: ":") else {
                warnings.append("Incomplete preference at line \(number):" + suffix)
                continue
            }
            var value = line[line.index(after: colon)...]
            while let f = value.first, f == " " || f == "\t" { value.removeFirst() }
            pending = (String(line[..<colon]), String(value), number)
        }
        flush()
        return warnings
    }
}
