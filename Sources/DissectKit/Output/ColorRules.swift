/// Coloring rules in Wireshark's `colorfilters` format, for `--color`:
///
///     # comment
///     @Name@display filter@[bg red,green,blue][fg red,green,blue]
///     !@Disabled rule@filter@[…][…]
///
/// Components are 16-bit (0–65535); the background comes first. The first enabled rule whose
/// filter matches colors the packet (and names it in the frame tree, "[Coloring Rule Name: …]").
/// A rule whose filter does not compile is left out with a warning, as Wireshark does.
public struct ColorRule: Sendable {
    public struct Color: Sendable, Equatable {
        public var red: UInt16, green: UInt16, blue: UInt16
        public init(red: UInt16, green: UInt16, blue: UInt16) {
            self.red = red
            self.green = green
            self.blue = blue
        }
    }

    public var name: String
    public var filterText: String
    public var background: Color
    public var foreground: Color
    public var enabled: Bool

    /// One `@name@filter@[bg][fg]` line (with an optional leading `!`), or nil.
    public static func parse(line: Substring) -> ColorRule? {
        var s = line
        while let l = s.last, l == "\r" || l == " " || l == "\t" { s.removeLast() }
        var enabled = true
        if s.hasPrefix("!") { enabled = false; s = s.dropFirst() }
        guard s.hasPrefix("@") else { return nil }
        s = s.dropFirst()
        guard let nameEnd = s.firstIndex(of: "@") else { return nil }
        let name = s[..<nameEnd]
        let rest = s[s.index(after: nameEnd)...]
        // The filter runs to the last '@' (a filter may itself contain '@' in a string).
        guard let filterEnd = rest.lastIndex(of: "@") else { return nil }
        let filter = rest[..<filterEnd]
        let colors = rest[rest.index(after: filterEnd)...]
        let numbers = colors.split(whereSeparator: { $0 == "[" || $0 == "]" || $0 == "," }).compactMap { UInt16($0) }
        guard numbers.count == 6 else { return nil }
        return ColorRule(name: String(name), filterText: String(filter),
                         background: Color(red: numbers[0], green: numbers[1], blue: numbers[2]),
                         foreground: Color(red: numbers[3], green: numbers[4], blue: numbers[5]), enabled: enabled)
    }

    /// tshark's `--color` escape: 24-bit foreground then background (16-bit components >> 8).
    public var ansiPrefix: String {
        "\u{1b}[38;2;\(foreground.red >> 8);\(foreground.green >> 8);\(foreground.blue >> 8)m"
            + "\u{1b}[48;2;\(background.red >> 8);\(background.green >> 8);\(background.blue >> 8)m"
    }

    /// What ends a colored line: clear to the end of the line, newline, reset.
    public static let ansiLineEnd = "\u{1b}[K\n\u{1b}[0m"
    public static let ansiReset = "\u{1b}[0m"
}

/// A list of coloring rules with their compiled filters.
public final class ColorRules {
    public private(set) var rules: [ColorRule] = []
    private var filters: [DisplayFilter] = []
    /// Rules left out (their filter does not compile), in Wireshark's words.
    public private(set) var warnings: [String] = []

    /// Parses `text` (a `colorfilters` file) and compiles every enabled rule.
    public init(text: String, registry: FieldRegistry, macros: FilterMacros = FilterMacros()) {
        for line in text.split(separator: "\n") {
            let t = line.drop(while: { $0 == " " || $0 == "\t" })
            if t.isEmpty || t.hasPrefix("#") { continue }
            guard let rule = ColorRule.parse(line: t), rule.enabled else { continue }
            do {
                filters.append(try DisplayFilter(compiling: rule.filterText, registry: registry, macros: macros))
                rules.append(rule)
            } catch {
                warnings.append("Could not compile color filter name: \"\(rule.name)\" text: \"\(rule.filterText)\".\n\(error.message)\nThis color filter will be disabled.")
            }
        }
    }

    /// Marks every field the rules read as wanted.
    public func addInterest(to interest: inout Interest) {
        for f in filters { f.addInterest(to: &interest) }
    }

    /// The first rule that matches the packet.
    public func match(_ ctx: PacketContext) -> ColorRule? {
        for (i, f) in filters.enumerated() where f.matches(ctx) { return rules[i] }
        return nil
    }

    /// Adds tshark's "[Coloring Rule Name: …]" and "[Coloring Rule String: …]" lines at the end of
    /// the frame's tree (`frame.coloring_rule.name` / `.string`), when records are being built.
    public func annotate(_ ctx: inout PacketContext, with rule: ColorRule) {
        let registry = ctx.registry
        guard let nameField = registry.lookup("frame.coloring_rule.name"),
              let stringField = registry.lookup("frame.coloring_rule.string") else { return }
        guard ctx.wants(nameField) || ctx.wants(stringField) else { return }
        let frame = ctx.engine.frameProto
        var parent = TreeNode.root
        if let i = ctx.tree.records.firstIndex(where: { $0.field == frame && $0.flags.contains(.topLevel) }) {
            parent = TreeNode(Int32(i))
        }
        if ctx.wants(nameField) {
            ctx.add(nameField, .empty, 0, 0, ctx.text(rule.name), parent: parent, flags: .generated)
        }
        if ctx.wants(stringField) {
            ctx.add(stringField, .empty, 0, 0, ctx.text(rule.filterText), parent: parent, flags: .generated)
        }
    }
}
