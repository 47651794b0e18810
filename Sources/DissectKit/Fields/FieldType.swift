/// The value type of a registered field, named as tshark's `-G fields` names them (`FT_UINT16`).
public enum FieldType: UInt8, Sendable, CaseIterable {
    case none, protocolItem, boolean
    case uint8, uint16, uint24, uint32, uint40, uint48, uint56, uint64
    case int8, int16, int24, int32, int64
    case float, double
    case absoluteTime, relativeTime
    case string, stringz, uintString
    case bytes, uintBytes
    case ether, ipv4, ipv6, ipxnet, framenum, guid, oid, char, eui64

    /// tshark's name for the type (`-G fields`, error messages).
    public var tsharkName: String {
        switch self {
        case .none: return "FT_NONE"
        case .protocolItem: return "FT_PROTOCOL"
        case .boolean: return "FT_BOOLEAN"
        case .uint8: return "FT_UINT8"
        case .uint16: return "FT_UINT16"
        case .uint24: return "FT_UINT24"
        case .uint32: return "FT_UINT32"
        case .uint40: return "FT_UINT40"
        case .uint48: return "FT_UINT48"
        case .uint56: return "FT_UINT56"
        case .uint64: return "FT_UINT64"
        case .int8: return "FT_INT8"
        case .int16: return "FT_INT16"
        case .int24: return "FT_INT24"
        case .int32: return "FT_INT32"
        case .int64: return "FT_INT64"
        case .float: return "FT_FLOAT"
        case .double: return "FT_DOUBLE"
        case .absoluteTime: return "FT_ABSOLUTE_TIME"
        case .relativeTime: return "FT_RELATIVE_TIME"
        case .string: return "FT_STRING"
        case .stringz: return "FT_STRINGZ"
        case .uintString: return "FT_UINT_STRING"
        case .bytes: return "FT_BYTES"
        case .uintBytes: return "FT_UINT_BYTES"
        case .ether: return "FT_ETHER"
        case .ipv4: return "FT_IPv4"
        case .ipv6: return "FT_IPv6"
        case .ipxnet: return "FT_IPXNET"
        case .framenum: return "FT_FRAMENUM"
        case .guid: return "FT_GUID"
        case .oid: return "FT_OID"
        case .char: return "FT_CHAR"
        case .eui64: return "FT_EUI64"
        }
    }

    public var isUnsigned: Bool {
        switch self {
        case .uint8, .uint16, .uint24, .uint32, .uint40, .uint48, .uint56, .uint64, .framenum, .char: return true
        default: return false
        }
    }

    public var isSigned: Bool {
        switch self {
        case .int8, .int16, .int24, .int32, .int64: return true
        default: return false
        }
    }

    public var isInteger: Bool { isUnsigned || isSigned }

    public var isString: Bool { self == .string || self == .stringz || self == .uintString }

    /// Width in bits of an integer type (for hex padding and bitmask drawing).
    public var bitWidth: Int {
        switch self {
        case .uint8, .int8, .char: return 8
        case .uint16, .int16: return 16
        case .uint24, .int24: return 24
        case .uint32, .int32, .framenum, .ipv4: return 32
        case .uint40: return 40
        case .uint48: return 48
        case .uint56: return 56
        case .uint64, .int64: return 64
        default: return 0
        }
    }
}

/// How an integer (or time) field is shown, as tshark's `field_display_e` (`BASE_DEC`, …).
public enum FieldBase: UInt8, Sendable {
    case none, dec, hex, oct, decHex, hexDec, custom
    /// For absolute times: shown in UTC / local time.
    case utc, local
    /// Absolute time shown as seconds since the epoch ("1795373728.819452581 seconds").
    case unix
    /// Byte fields: separators.
    case sepColon, sepDash, sepDot, sepSpace

    public var tsharkName: String {
        switch self {
        case .none: return "BASE_NONE"
        case .dec: return "BASE_DEC"
        case .hex: return "BASE_HEX"
        case .oct: return "BASE_OCT"
        case .decHex: return "BASE_DEC_HEX"
        case .hexDec: return "BASE_HEX_DEC"
        case .custom: return "BASE_CUSTOM"
        case .utc: return "ABSOLUTE_TIME_UTC"
        case .local: return "ABSOLUTE_TIME_LOCAL"
        case .unix: return "ABSOLUTE_TIME_UNIX"
        case .sepColon: return "SEP_COLON"
        case .sepDash: return "SEP_DASH"
        case .sepDot: return "SEP_DOT"
        case .sepSpace: return "SEP_SPACE"
        }
    }
}

/// Names for values: tshark's `value_string`, `range_string`, `true_false_string` and units.
public enum ValueStrings: Sendable {
    case values([UInt64: String])
    case ranges([(lo: UInt64, hi: UInt64, name: String)])
    case trueFalse(String, String)
    /// Units appended after the value: ("byte", "bytes").
    case units(String, String)

    public func name(for value: UInt64) -> String? {
        switch self {
        case .values(let d): return d[value]
        case .ranges(let r): return r.first(where: { value >= $0.lo && value <= $0.hi })?.name
        case .trueFalse(let t, let f): return value != 0 ? t : f
        case .units: return nil
        }
    }
}
