/// The value of one tree record. Small and allocation-free: byte and string values refer to
/// the record's own range in its data source; computed strings live in the packet's text pool.
@frozen
public enum FieldValue: Sendable {
    case none
    case uint(UInt64)
    case int(Int64)
    case bool(Bool)
    case double(Double)
    case ipv4(UInt32)
    case ipv6(IPv6Address)
    case ether(UInt64)
    /// The bytes of the record's range (`offset`, `length` in `source`).
    case bytes
    /// The record's range, read as text.
    case string
    /// A string from `PacketTree.texts`.
    case text(Int32)
    /// Bytes from `PacketTree.blobs` (data that exists in no data source).
    case blob(Int32)
    case absoluteTime(Timestamp)
    case relativeTime(Timestamp)

    @inlinable public var uintValue: UInt64? {
        switch self {
        case .uint(let v): return v
        case .int(let v): return UInt64(bitPattern: v)
        case .bool(let b): return b ? 1 : 0
        case .ipv4(let v): return UInt64(v)
        case .ether(let v): return v
        default: return nil
        }
    }
}

/// Per-record flags.
public struct RecordFlags: OptionSet, Sendable {
    public let rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// Shown in brackets: computed by the dissector, not read from the bytes.
    public static let generated = RecordFlags(rawValue: 1)
    /// Not shown in `-V` (still filterable and exported).
    public static let hidden = RecordFlags(rawValue: 2)
    /// `label` replaces the whole line text.
    public static let labelReplaces = RecordFlags(rawValue: 4)
    /// `label` is appended to the generated text.
    public static let labelAppends = RecordFlags(rawValue: 8)
    /// An expert info record.
    public static let expert = RecordFlags(rawValue: 16)
    /// Big-endian integer (for bitmask drawing nothing changes; kept for `-T json` raw).
    public static let littleEndian = RecordFlags(rawValue: 32)
    /// Added at the top level of the tree (parent `.root`), as opposed to a record whose parent
    /// was not built (partial interest): the protocol hierarchy reads only these.
    public static let topLevel = RecordFlags(rawValue: 64)
    /// A text-only line whose text is tshark's `format_text` of the record's own bytes (cut at
    /// 240 bytes as `proto_tree_add_format_text` does), formatted only when printed.
    public static let formatText = RecordFlags(rawValue: 128)
    /// With `formatText`: `format_text_wsp` (tab, CR, LF, FF shown as spaces).
    public static let formatTextWSP = RecordFlags(rawValue: 256)
}

/// One line of a packet's tree: tshark's `field_info`, flattened.
@frozen
public struct FieldRecord: Sendable {
    public var field: FieldID
    /// Index of the parent record, or -1 for a top-level item.
    public var parent: Int32
    /// Absolute offset in the data source.
    public var offset: Int32
    public var length: Int32
    public var source: Int16
    public var flags: RecordFlags
    /// Index in `PacketTree.labelSpans` of a label override / appendix / expert message, or -1.
    public var label: Int32
    public var value: FieldValue

    @inlinable
    public init(field: FieldID, parent: Int32, offset: Int32, length: Int32, source: Int16, flags: RecordFlags,
                label: Int32, value: FieldValue) {
        self.field = field
        self.parent = parent
        self.offset = offset
        self.length = length
        self.source = source
        self.flags = flags
        self.label = label
        self.value = value
    }
}

/// A handle to a record in the current packet's tree, used as a parent for sub-items.
/// `TreeNode.none` is returned when the tree is not being built (no interest), so adding
/// children to it is a no-op.
@frozen
public struct TreeNode: Sendable, Equatable {
    public let index: Int32
    @inlinable public init(_ index: Int32) { self.index = index }
    public static let root = TreeNode(-1)
    public static let none = TreeNode(-2)
    @inlinable public var isNone: Bool { index == -2 }
}
