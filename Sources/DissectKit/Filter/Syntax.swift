/// One part of a slice (`[0:3]`, `[-1]`, `[2-4]`, `[5:]`) or of a layer list (`#[1-2]`).
struct RangePart: Equatable {
    enum Kind: Equatable {
        /// `start:length`
        case length(Int)
        /// `start-end`, end inclusive
        case end(Int)
        /// `start:` up to the end
        case toEnd
    }
    var start: Int
    var kind: Kind
}

/// A field as written: id, layer selection, where it stands in the filter.
struct FieldUse {
    var id: FieldID
    var layers: [RangePart]?
    var name: String
    var location: FilterLocation
}

/// The parsed filter, before type checking. Value expressions and tests are separate so the
/// parser already rejects what the grammar rejects.
indirect enum ValueNode {
    case field(FieldUse)
    /// `${field}`: the value in the selected frame.
    case reference(FieldUse)
    /// A word that is not a field: a literal whose meaning depends on what it is compared with.
    case unparsed(String, FilterLocation)
    /// `:aa:bb` (text after the colon, full token text).
    case literal(String, String, FilterLocation)
    case string([UInt8], String, FilterLocation)
    case charconst(UInt64, String, FilterLocation)
    case slice(ValueNode, [RangePart], FilterLocation)
    case function(String, [ValueNode], FilterLocation)
    case unaryMinus(ValueNode, FilterLocation)
    case arithmetic(ArithOp, ValueNode, ValueNode, FilterLocation)

    var location: FilterLocation {
        switch self {
        case .field(let f), .reference(let f): return f.location
        case .unparsed(_, let l), .literal(_, _, let l), .string(_, _, let l), .charconst(_, _, let l): return l
        case .slice(let v, _, _): return v.location
        case .function(_, _, let l), .unaryMinus(_, let l), .arithmetic(_, _, _, let l): return l
        }
    }

    /// How tshark names the node in messages (`stnode_todisplay`).
    var display: String {
        switch self {
        case .field(let f): return f.name
        case .reference(let f): return f.name
        case .unparsed(let s, _): return s
        case .literal(_, let t, _): return t
        case .string(_, let t, _), .charconst(_, let t, _): return t
        case .slice(let v, _, _): return v.display
        case .function(let n, _, _): return n
        case .unaryMinus: return "-"
        case .arithmetic(_, let a, _, _): return a.display
        }
    }
}

enum ArithOp: Equatable {
    case add, subtract, multiply, divide, modulo, bitAnd
    var symbol: String {
        switch self {
        case .add: return "+"
        case .subtract: return "-"
        case .multiply: return "*"
        case .divide: return "/"
        case .modulo: return "%"
        case .bitAnd: return "&"
        }
    }
}

enum Quantifier { case none, any, all }

struct SetElement {
    var low: ValueNode
    var high: ValueNode?
}

indirect enum TestNode {
    case and(TestNode, TestNode)
    case or(TestNode, TestNode)
    case not(TestNode)
    /// `op` text is the operator as written ("==", "eq", "~"), for messages.
    case compare(CompareOp, String, ValueNode, ValueNode, Quantifier, FilterLocation)
    case contains(String, ValueNode, ValueNode, Quantifier, FilterLocation)
    case matches(String, ValueNode, ValueNode, Quantifier, FilterLocation)
    case inSet(ValueNode, [SetElement], Quantifier, FilterLocation)
    /// A value on its own: field/protocol present, or arithmetic result non-zero.
    case exists(ValueNode)
}
