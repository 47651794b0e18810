/// A byte range of the filter text that an error points at.
public struct FilterLocation: Sendable, Equatable {
    public var offset: Int
    public var length: Int
    public init(_ offset: Int, _ length: Int) {
        self.offset = offset
        self.length = length
    }
}

/// A display filter that does not compile: tshark's message, and where in the filter it applies.
public struct FilterError: Error, Sendable, Equatable {
    public var message: String
    public var location: FilterLocation?

    public init(_ message: String, at location: FilterLocation? = nil) {
        self.message = message
        self.location = location
    }

    /// tshark's layout: the message, then (when there is a location) the filter indented by four
    /// spaces and a caret line under the offending token (`^~~~`).
    public func rendered(filter: String) -> String {
        guard let loc = location else { return message }
        var caret = String(repeating: " ", count: 4 + max(0, loc.offset)) + "^"
        if loc.length > 1 { caret += String(repeating: "~", count: loc.length - 1) }
        return message + "\n    " + filter + "\n" + caret
    }
}

extension FieldType {
    /// tshark's `ftype_pretty_name`, used in filter error messages ("Unsigned integer (2 bytes)").
    public var prettyName: String {
        switch self {
        case .none: return "Label"
        case .protocolItem: return "Protocol"
        case .boolean: return "Boolean"
        case .char: return "Character (1 byte)"
        case .uint8: return "Unsigned integer (1 byte)"
        case .uint16: return "Unsigned integer (2 bytes)"
        case .uint24: return "Unsigned integer (3 bytes)"
        case .uint32: return "Unsigned integer (4 bytes)"
        case .uint40: return "Unsigned integer (5 bytes)"
        case .uint48: return "Unsigned integer (6 bytes)"
        case .uint56: return "Unsigned integer (7 bytes)"
        case .uint64: return "Unsigned integer (8 bytes)"
        case .int8: return "Signed integer (1 byte)"
        case .int16: return "Signed integer (2 bytes)"
        case .int24: return "Signed integer (3 bytes)"
        case .int32: return "Signed integer (4 bytes)"
        case .int64: return "Signed integer (8 bytes)"
        case .float: return "Floating point (single-precision)"
        case .double: return "Floating point (double-precision)"
        case .absoluteTime: return "Date and time"
        case .relativeTime: return "Time offset"
        case .string, .stringz, .uintString: return "Character string"
        case .bytes, .uintBytes: return "Byte sequence"
        case .ether: return "Ethernet or other MAC address"
        case .ipv4: return "IPv4 address"
        case .ipv6: return "IPv6 address"
        case .ipxnet: return "IPX network number"
        case .framenum: return "Frame number"
        case .guid: return "Globally Unique Identifier"
        case .oid: return "ASN.1 object identifier"
        case .eui64: return "EUI64 address"
        }
    }

    /// Integer-valued types (including those tshark stores as integers: frame numbers, IPX nets, EUI-64).
    var isIntegerLike: Bool { isInteger || self == .ipxnet || self == .eui64 }

    /// Types whose values are byte sequences and can be sliced (`eth.src[0:3]`, `frame[4]`).
    var isSliceable: Bool {
        switch self {
        case .bytes, .uintBytes, .ether, .ipv4, .ipv6, .oid, .protocolItem, .string, .stringz, .uintString: return true
        default: return false
        }
    }
}
