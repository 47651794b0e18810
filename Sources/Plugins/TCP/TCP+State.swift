import DissectKit

/// TCP header flag bits (the low 12 bits of bytes 12–13), RFC 9293 §3.1 plus RFC 3168 / AccECN.
enum TCPFlag {
    static let fin: UInt16 = 0x001
    static let syn: UInt16 = 0x002
    static let rst: UInt16 = 0x004
    static let psh: UInt16 = 0x008
    static let ack: UInt16 = 0x010
    static let urg: UInt16 = 0x020
    static let ece: UInt16 = 0x040
    static let cwr: UInt16 = 0x080
    static let ae: UInt16 = 0x100
    static let reserved: UInt16 = 0xe00
    static let mask: UInt16 = 0xfff
}

/// Sequence-number comparisons modulo 2^32 (RFC 9293 §3.4), written as tshark's `GT_SEQ`,
/// `LT_SEQ`… are: at a distance of exactly 2^31 both `seqGT(a, b)` and `seqLT(a, b)` hold.
@inline(__always) func seqGT(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: b &- a) < 0 }
@inline(__always) func seqGE(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: b &- a) <= 0 }
@inline(__always) func seqLT(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) < 0 }
@inline(__always) func seqLE(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) <= 0 }

/// What the sequence analysis found for one segment (tshark's `TCP_A_*` flags).
struct TCPAnalysisFlags: OptionSet {
    let rawValue: UInt16
    static let retransmission = TCPAnalysisFlags(rawValue: 0x0001)
    static let lostPacket = TCPAnalysisFlags(rawValue: 0x0002)
    static let ackLostPacket = TCPAnalysisFlags(rawValue: 0x0004)
    static let keepAlive = TCPAnalysisFlags(rawValue: 0x0008)
    static let duplicateAck = TCPAnalysisFlags(rawValue: 0x0010)
    static let zeroWindow = TCPAnalysisFlags(rawValue: 0x0020)
    static let zeroWindowProbe = TCPAnalysisFlags(rawValue: 0x0040)
    static let zeroWindowProbeAck = TCPAnalysisFlags(rawValue: 0x0080)
    static let keepAliveAck = TCPAnalysisFlags(rawValue: 0x0100)
    static let outOfOrder = TCPAnalysisFlags(rawValue: 0x0200)
    static let fastRetransmission = TCPAnalysisFlags(rawValue: 0x0400)
    static let windowUpdate = TCPAnalysisFlags(rawValue: 0x0800)
    static let windowFull = TCPAnalysisFlags(rawValue: 0x1000)
    static let reusedPorts = TCPAnalysisFlags(rawValue: 0x2000)
    static let spuriousRetransmission = TCPAnalysisFlags(rawValue: 0x4000)
}

/// The per-packet analysis record (tshark's `struct tcp_acked`). `exists` mirrors whether tshark
/// allocated one: only then is the "[SEQ/ACK analysis]" subtree shown.
struct TCPAcked {
    var exists = false
    var flags: TCPAnalysisFlags = []
    var frameAcked: UInt32 = 0
    var ackRTT: Timestamp = .zero
    var rto: Timestamp = .zero
    var rtoFrame: UInt32 = 0
    var dupackNum: UInt32 = 0
    var dupackFrame: UInt32 = 0
    var bytesInFlight: UInt32 = 0
    var pushBytesSent: UInt32 = 0

    @inline(__always) mutating func set(_ f: TCPAnalysisFlags) {
        exists = true
        flags.insert(f)
    }
}

/// A segment sent but not yet acknowledged (tshark's `tcp_unacked_t`).
struct TCPUnacked {
    var frame: UInt32
    var seq: UInt32
    var nextseq: UInt32
    var time: Timestamp
}

/// Up to three SACK blocks of the last segment of a direction, for bytes-in-flight.
/// tshark stores blocks 1…3 of `MAX_TCP_SACK_RANGES` = 4 (index 0 stays unused).
struct TCPSackBlocks {
    var count = 0
    var left: (UInt32, UInt32, UInt32) = (0, 0, 0)
    var right: (UInt32, UInt32, UInt32) = (0, 0, 0)

    mutating func set(_ i: Int, _ l: UInt32, _ r: UInt32) {
        switch i {
        case 0: left.0 = l; right.0 = r
        case 1: left.1 = l; right.1 = r
        default: left.2 = l; right.2 = r
        }
    }

    var delivered: UInt32 {
        var d: UInt32 = 0
        if count > 0 { d &+= right.0 &- left.0 }
        if count > 1 { d &+= right.1 &- left.1 }
        if count > 2 { d &+= right.2 &- left.2 }
        return d
    }
}

/// One direction of a conversation (tshark's `tcp_flow_t` + `tcp_analyze_seq_flow_info_t`).
struct TCPFlow {
    /// Sequence number that relative numbers count from (ISN, or first seq − 1 without a SYN).
    var baseSeq: UInt32 = 0
    var baseSeqSet = false
    var sawSyn = false
    var sawSynAck = false
    /// Window shift from the SYN's option: −1 unknown, −2 no scaling negotiated.
    var winScale: Int16 = -1
    /// Last window seen (raw header value); `UInt32.max` before the first segment.
    var window: UInt32 = .max
    var lastSegmentFlags: TCPAnalysisFlags = []
    var isFirstAck = false
    var closingInitiator = false
    var validBytesInFlight = true
    var pushBytesSent: UInt32 = 0
    var pushSetLast = false

    // Sequence analysis.
    /// Unacknowledged segments, oldest first (tshark keeps them newest first).
    var segments: [TCPUnacked] = []
    var nextseq: UInt32 = 0
    var nextseqFrame: UInt32 = 0
    var nextseqTime: Timestamp = .zero
    var maxSeqToBeAcked: UInt32 = 0
    var lastAck: UInt32 = 0
    var lastAckTime: Timestamp = .zero
    var lastNonDupAck: UInt32 = 0
    /// Duplicate ACK counter; −1 after an "ACKed unseen segment" (tshark's trick to avoid repeats).
    var dupAckNum: Int32 = 0
    var sack = TCPSackBlocks()

    // Payload hand-off (reassembly's view of the stream, see `TCP+Payload.swift`).
    /// Highest next sequence number handed to the payload dissectors (relative numbers).
    var maxNextSeq: UInt32 = 0
    var finSeen = false
    /// The PDU this direction's payload dissector has not finished yet (see `TCP+Reassembly.swift`).
    var pending: TCPPendingPDU?
    /// PDUs left behind by a hole, or completed by an out-of-order segment (tshark keeps its
    /// multi-segment PDUs: a late segment still lands in them). The last few only.
    var retired: [TCPPendingPDU] = []
    /// Segments after a hole, with `tcp.reassemble_out_of_order`.
    var held: TCPHeldSegments?
}

/// Everything tshark keeps per TCP conversation (`struct tcp_analysis`), as a struct stored in
/// the flow table. `flow1` is the direction whose sender sorts higher (see `FlowLookup.side`).
struct TCPConversation {
    var stream: UInt32
    var flow1 = TCPFlow()
    var flow2 = TCPFlow()
    /// `tcp.completeness` bits: 1 SYN, 2 SYN-ACK, 4 ACK, 8 data, 16 FIN, 32 RST.
    var completeness: UInt8 = 0
    var serverPort: UInt16 = 0
    var firstTime: Timestamp
    var previousTime: Timestamp
    /// Time of the most recent SYN (without ACK), for the initial RTT.
    var lastSynTime: Timestamp = .zero
    var initialRTT: Timestamp = .zero
    var tfoSynData = false
    var accEcnSetupSyn = false
    var accEcnSetupSynAck = false
    var accEcnOption = false
    /// Frame of the first packet, for `-z conv` style taps later.
    var firstFrame: UInt32

    init(stream: UInt32, time: Timestamp, frame: UInt32) {
        self.stream = stream
        self.firstTime = time
        self.previousTime = time
        self.firstFrame = frame
    }

    /// Runs `body` with the packet's direction as `fwd` and the other one as `rev`.
    @inline(__always)
    mutating func withFlows<R>(side: Int, _ body: (inout TCPFlow, inout TCPFlow) throws -> R) rethrows -> R {
        if side == 0 { return try body(&flow1, &flow2) }
        return try body(&flow2, &flow1)
    }
}

extension Timestamp {
    /// Nanoseconds since the epoch (or of a duration).
    @inline(__always) var nanoseconds64: Int64 { seconds &* 1_000_000_000 &+ Int64(nanoseconds) }
    @inline(__always) var isZero: Bool { seconds == 0 && nanoseconds == 0 }
}
