/// Every field, protocol and expert info, registered once at start-up with a dense id.
///
/// Ids index plain arrays, so the hot path never hashes a name. Names are looked up only
/// when a filter or `-e` is compiled.
public final class FieldRegistry: @unchecked Sendable {
    public private(set) var fields: [FieldInfo] = []
    public private(set) var experts: [Int32: ExpertInfo] = [:]
    private var byAbbrev: [String: FieldID] = [:]
    /// Non-protocol fields that count as a level of `-z io,phs` when they are top-level items
    /// (tshark's phs tap walks every top-level item: "tcp.segments" appears there).
    public var hierarchyItems: Set<FieldID> = []

    public init() {
        // id 0: text-only tree lines.
        fields.append(FieldInfo(id: .textOnly, name: "Text item", abbrev: "text", type: .none, base: .none,
                                strings: nil, bitmask: 0, bitWidth: 0, blurb: "", protocolID: .textOnly,
                                shortName: ""))
    }

    public var count: Int { fields.count }

    /// The registry's names and value strings compiled for printers (built on first use).
    public private(set) lazy var textTable = FieldTextTable(registry: self)

    @inlinable
    public subscript(id: FieldID) -> FieldInfo { fields[Int(id.raw)] }

    public func lookup(_ abbrev: String) -> FieldID? { byAbbrev[abbrev] }

    public func expert(_ id: FieldID) -> ExpertInfo? { experts[id.raw] }

    /// All abbreviations (for `-G fields` and "did you mean").
    public var abbreviations: [String] { fields.dropFirst().map(\.abbrev) }

    @discardableResult
    func add(name: String, abbrev: String, type: FieldType, base: FieldBase, strings: ValueStrings?,
             bitmask: UInt64, bitWidth: Int, blurb: String, protocolID: FieldID?, shortName: String) -> FieldID {
        if let existing = byAbbrev[abbrev], self[existing].type == type {
            // tshark allows several hf entries with one abbreviation (same type); we share the id.
            return existing
        }
        let id = FieldID(raw: Int32(fields.count))
        fields.append(FieldInfo(id: id, name: name, abbrev: abbrev, type: type, base: base, strings: strings,
                                bitmask: bitmask, bitWidth: bitWidth, blurb: blurb,
                                protocolID: protocolID ?? id, shortName: shortName))
        if byAbbrev[abbrev] == nil { byAbbrev[abbrev] = id }
        return id
    }

    func addExpert(abbrev: String, summary: String, severity: ExpertSeverity, group: ExpertGroup,
                   protocolID: FieldID) -> FieldID {
        let id = add(name: summary, abbrev: abbrev, type: .none, base: .none, strings: nil, bitmask: 0,
                     bitWidth: 0, blurb: "", protocolID: protocolID, shortName: "")
        experts[id.raw] = ExpertInfo(field: id, abbrev: abbrev, summary: summary, severity: severity, group: group)
        return id
    }
}
