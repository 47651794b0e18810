import DissectKit

/// One field of a catalog generated from `tshark -G fields`: abbreviation, name, type, base,
/// bitmask, bit width, blurb, protocol abbreviation.
typealias CatalogField = (String, String, FieldType, FieldBase, UInt64, Int?, String, String)

/// Registration shared by the generated `*FieldCatalog` enums: every field tshark registers for
/// a protocol exists here too (filters on it compile), with the value strings of `-G values`.
enum FieldCatalog {
    /// Registers every catalog field not registered yet; `protocols` maps protocol abbrevs to ids.
    static func registerAll(_ r: Registrar, _ fields: [CatalogField], _ strings: [String: ValueStrings],
                            _ protocols: [String: FieldID]) {
        for f in fields {
            guard let p = protocols[f.7] else { continue }
            _ = r.field(f.1, f.0, f.2, f.3, strings: strings[f.0], bitmask: f.4, bitWidth: f.5, blurb: f.6, in: p)
        }
    }

    /// Registers the catalog entry `abbrev` now (before `registerAll`), with its strings unless
    /// `override` replaces them.
    static func field(_ r: Registrar, _ fields: [CatalogField], _ strings: [String: ValueStrings], _ abbrev: String,
                      override: ValueStrings?, in proto: FieldID) -> FieldID {
        guard let f = fields.first(where: { $0.0 == abbrev }) else { preconditionFailure(abbrev) }
        return r.field(f.1, f.0, f.2, f.3, strings: override ?? strings[f.0], bitmask: f.4, bitWidth: f.5,
                       blurb: f.6, in: proto)
    }
}
