/// Dense integer id of a registered field (or protocol, or expert info).
@frozen
public struct FieldID: Hashable, Sendable, Comparable {
    public let raw: Int32
    @inlinable public init(raw: Int32) { self.raw = raw }
    @inlinable public static func < (a: FieldID, b: FieldID) -> Bool { a.raw < b.raw }
    /// "No field": used for text-only tree lines.
    public static let textOnly = FieldID(raw: 0)
}

/// What the registry knows about one field; the single source of `-G fields`, filter type
/// checking and `-V` labels.
public struct FieldInfo: Sendable {
    public let id: FieldID
    /// Display name ("Source Port").
    public let name: String
    /// Filter abbreviation ("tcp.srcport").
    public let abbrev: String
    public let type: FieldType
    public let base: FieldBase
    public let strings: ValueStrings?
    /// Bits of the containing integer this field occupies (0 = the whole value).
    public let bitmask: UInt64
    /// Width in bits of the container drawn in bitmask labels ("0100 .... = Version: 4").
    public let bitWidth: Int
    public let blurb: String
    /// The protocol this field belongs to (itself for a protocol).
    public internal(set) var protocolID: FieldID
    /// For protocols: the short name shown in the Protocol column ("TCP").
    public let shortName: String
    /// True for protocol entries.
    public var isProtocol: Bool { type == .protocolItem }
}

/// Severity of an expert info, ordered as tshark's `PI_*` levels.
public enum ExpertSeverity: UInt8, Sendable, Comparable {
    case comment = 1, chat, note, warning, error
    public static func < (a: ExpertSeverity, b: ExpertSeverity) -> Bool { a.rawValue < b.rawValue }
    public var name: String {
        switch self {
        case .comment: return "Comment"
        case .chat: return "Chat"
        case .note: return "Note"
        case .warning: return "Warning"
        case .error: return "Error"
        }
    }
    /// Value of `_ws.expert.severity` (tshark's PI_* constants).
    public var filterValue: UInt64 {
        switch self {
        case .comment: return 0x0010_0000
        case .chat: return 0x0020_0000
        case .note: return 0x0040_0000
        case .warning: return 0x0060_0000
        case .error: return 0x0080_0000
        }
    }
}

/// Group of an expert info (tshark's `PI_*` groups).
public enum ExpertGroup: UInt32, Sendable {
    case checksum = 0x0100_0000, sequence = 0x0200_0000, responseCode = 0x0300_0000
    case requestCode = 0x0400_0000, undecoded = 0x0500_0000, reassemble = 0x0600_0000
    case malformed = 0x0700_0000, debug = 0x0800_0000, `protocol` = 0x0900_0000
    case security = 0x0a00_0000, comments = 0x0b00_0000, decryption = 0x0c00_0000
    case assumption = 0x0d00_0000, deprecated = 0x0e00_0000

    public var name: String {
        switch self {
        case .checksum: return "Checksum"
        case .sequence: return "Sequence"
        case .responseCode: return "Response"
        case .requestCode: return "Request"
        case .undecoded: return "Undecoded"
        case .reassemble: return "Reassemble"
        case .malformed: return "Malformed"
        case .debug: return "Debug"
        case .protocol: return "Protocol"
        case .security: return "Security"
        case .comments: return "Comment"
        case .decryption: return "Decryption"
        case .assumption: return "Assumption"
        case .deprecated: return "Deprecated"
        }
    }
}

/// A registered expert info ("tcp.analysis.retransmission").
public struct ExpertInfo: Sendable {
    public let field: FieldID
    public let abbrev: String
    public let summary: String
    public let severity: ExpertSeverity
    public let group: ExpertGroup
}
