import DissectKit

/// Transmission Control Protocol (RFC 9293) with tshark 4.0's TCP analysis.
///
/// Registered in `ip.proto` 6 (IPv4 and IPv6 share that table). Payload goes to the conversation's
/// server port, then the lower and higher port in `tcp.port`, then the `tcp` heuristic list
/// (before the ports with `-o tcp.try_heuristic_first:TRUE`), then `data` — tshark's
/// `decode_tcp_ports` order.
public enum TCPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = TCPDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.table("ip.proto", uiName: "IP protocol").add(6, h)
        d.portTable = r.table("tcp.port", uiName: "TCP port")
        // tshark's heuristic list is called "tcp" (`heur_dissector_add("tcp", …)`); its entries
        // live in the heuristic list of the table of that name.
        d.heuristicTable = r.table("tcp", uiName: "TCP heuristic sub-dissectors")
        d.dataHandle = r.dataHandle
        r.onReset { d.reset() }
    }
}

/// Field ids of the TCP protocol, its option pseudo-protocols and expert infos.
struct TCPFields {
    var proto = FieldID.textOnly
    var srcport = FieldID.textOnly
    var dstport = FieldID.textOnly
    var port = FieldID.textOnly
    var stream = FieldID.textOnly
    var completeness = FieldID.textOnly
    var len = FieldID.textOnly
    var seq = FieldID.textOnly
    var seqRaw = FieldID.textOnly
    var nxtseq = FieldID.textOnly
    var ack = FieldID.textOnly
    var ackRaw = FieldID.textOnly
    var hdrLen = FieldID.textOnly
    var flags = FieldID.textOnly
    var flagsRes = FieldID.textOnly
    var flagsAE = FieldID.textOnly
    var flagsCWR = FieldID.textOnly
    var flagsECE = FieldID.textOnly
    var flagsACE = FieldID.textOnly
    var flagsURG = FieldID.textOnly
    var flagsACK = FieldID.textOnly
    var flagsPSH = FieldID.textOnly
    var flagsRST = FieldID.textOnly
    var flagsSYN = FieldID.textOnly
    var flagsFIN = FieldID.textOnly
    var flagsStr = FieldID.textOnly
    var windowValue = FieldID.textOnly
    var windowSize = FieldID.textOnly
    var windowScale = FieldID.textOnly
    var checksum = FieldID.textOnly
    var checksumStatus = FieldID.textOnly
    var checksumCalculated = FieldID.textOnly
    var urgentPointer = FieldID.textOnly
    var options = FieldID.textOnly
    var optionKind = FieldID.textOnly
    var optionLen = FieldID.textOnly
    var mssVal = FieldID.textOnly
    var wscaleShift = FieldID.textOnly
    var wscaleMultiplier = FieldID.textOnly
    var sackLE = FieldID.textOnly
    var sackRE = FieldID.textOnly
    var sackCount = FieldID.textOnly
    var dsackLE = FieldID.textOnly
    var dsackRE = FieldID.textOnly
    var echo = FieldID.textOnly
    var tsval = FieldID.textOnly
    var tsecr = FieldID.textOnly
    var cc = FieldID.textOnly
    var md5Digest = FieldID.textOnly
    var aoKeyID = FieldID.textOnly
    var aoRNextKeyID = FieldID.textOnly
    var aoMAC = FieldID.textOnly
    var qsRate = FieldID.textOnly
    var qsTTLDiff = FieldID.textOnly
    var userTOGranularity = FieldID.textOnly
    var userTOValue = FieldID.textOnly
    var tfoRequest = FieldID.textOnly
    var tfoCookie = FieldID.textOnly
    var expExID = FieldID.textOnly
    var expData = FieldID.textOnly
    var unknownPayload = FieldID.textOnly
    var mptcpSubtype = FieldID.textOnly
    var accEcnEE0B = FieldID.textOnly
    var tarrRate = FieldID.textOnly
    var tarrReserved = FieldID.textOnly
    var accEcnECEB = FieldID.textOnly
    var accEcnEE1B = FieldID.textOnly
    var timeRelative = FieldID.textOnly
    var timeDelta = FieldID.textOnly
    var analysis = FieldID.textOnly
    var analysisFlags = FieldID.textOnly
    var acksFrame = FieldID.textOnly
    var ackRTT = FieldID.textOnly
    var initialRTT = FieldID.textOnly
    var bytesInFlight = FieldID.textOnly
    var pushBytesSent = FieldID.textOnly
    var rto = FieldID.textOnly
    var rtoFrame = FieldID.textOnly
    var duplicateAck = FieldID.textOnly
    var duplicateAckNum = FieldID.textOnly
    var duplicateAckFrame = FieldID.textOnly
    var payload = FieldID.textOnly
    var segmentData = FieldID.textOnly
    var resetCause = FieldID.textOnly
    // Option pseudo-protocols ("TCP Option - Maximum segment size"): tree items only, never layers.
    var optNOP = FieldID.textOnly
    var optEOL = FieldID.textOnly
    var optTimestamp = FieldID.textOnly
    var optMSS = FieldID.textOnly
    var optWScale = FieldID.textOnly
    var optSackPerm = FieldID.textOnly
    var optSack = FieldID.textOnly
    var optEcho = FieldID.textOnly
    var optEchoReply = FieldID.textOnly
    var optCC = FieldID.textOnly
    var optCCNew = FieldID.textOnly
    var optCCEcho = FieldID.textOnly
    var optAO = FieldID.textOnly
    var optMD5 = FieldID.textOnly
    var optSCPS = FieldID.textOnly
    var optSNACK = FieldID.textOnly
    var optSCPSRec = FieldID.textOnly
    var optSCPSCor = FieldID.textOnly
    var optQS = FieldID.textOnly
    var optUserTO = FieldID.textOnly
    var optTFO = FieldID.textOnly
    var optAccECN = FieldID.textOnly
    var optRvbdProbe = FieldID.textOnly
    var optRvbdTrpy = FieldID.textOnly
    var optExp = FieldID.textOnly
    var optUnknown = FieldID.textOnly
    var mptcp = FieldID.textOnly
    // Riverbed probe (WAN optimiser option 76); registered by the catalog.
    var rvbdType1 = FieldID.textOnly
    var rvbdType2 = FieldID.textOnly
    var rvbdVersion = FieldID.textOnly
    var rvbdVersionRaw = FieldID.textOnly
    var rvbdReserved = FieldID.textOnly
    var rvbdProber = FieldID.textOnly
    var rvbdProxyIP = FieldID.textOnly
    var rvbdProxyPort = FieldID.textOnly
    var rvbdAppliVer = FieldID.textOnly
    var rvbdClientIP = FieldID.textOnly
    var rvbdStoreID = FieldID.textOnly
    var rvbdFlags = FieldID.textOnly
    var trpyFlags = FieldID.textOnly
    var trpySrcIP = FieldID.textOnly
    var trpyDstIP = FieldID.textOnly
    var trpySrcPort = FieldID.textOnly
    var trpyDstPort = FieldID.textOnly
    var trpyClientPort = FieldID.textOnly
    /// `tcp.segments`, `tcp.segment`, … for "[N Reassembled TCP Segments (…)]".
    var reassembly = ReassemblyFields()
    var reassembledIn = FieldID.textOnly
    /// `_ws.malformed`, for tshark's "[Reassembly error, protocol TCP: …]" mark.
    var malformedProto = FieldID.textOnly
}

/// Expert infos, with tshark's abbreviations, severities and groups.
struct TCPExperts {
    var optLenInvalid = FieldID.textOnly
    /// Ours (tshark has none): a PDU given up because data before it is missing, or too large.
    var reassemblyGap = FieldID.textOnly
    var reassemblyLimit = FieldID.textOnly
    /// `_ws.malformed.reassembly` (tshark's ei_malformed_reassembly, under the error mark).
    var malformedReassembly = FieldID.textOnly
    var retransmission = FieldID.textOnly
    var fastRetransmission = FieldID.textOnly
    var spuriousRetransmission = FieldID.textOnly
    var outOfOrder = FieldID.textOnly
    var reusedPorts = FieldID.textOnly
    var lostSegment = FieldID.textOnly
    var ackLostSegment = FieldID.textOnly
    var windowUpdate = FieldID.textOnly
    var windowFull = FieldID.textOnly
    var keepAlive = FieldID.textOnly
    var keepAliveAck = FieldID.textOnly
    var duplicateAck = FieldID.textOnly
    var zeroWindowProbe = FieldID.textOnly
    var zeroWindow = FieldID.textOnly
    var zeroWindowProbeAck = FieldID.textOnly
    var tfoSyn = FieldID.textOnly
    var tfoAck = FieldID.textOnly
    var tfoIgnored = FieldID.textOnly
    var finActive = FieldID.textOnly
    var finPassive = FieldID.textOnly
    var dsack = FieldID.textOnly
    var wscaleShiftInvalid = FieldID.textOnly
    var mssAbsent = FieldID.textOnly
    var mssPresent = FieldID.textOnly
    var shortSegment = FieldID.textOnly
    var ackNonzero = FieldID.textOnly
    var synack = FieldID.textOnly
    var syn = FieldID.textOnly
    var fin = FieldID.textOnly
    var rst = FieldID.textOnly
    var checksumFFFF = FieldID.textOnly
    var checksumBad = FieldID.textOnly
    var urgentPointerNonZero = FieldID.textOnly
    var suboptionMalformed = FieldID.textOnly
    var nop = FieldID.textOnly
    var nonZeroAfterEOL = FieldID.textOnly
    var bogusHeaderLength = FieldID.textOnly
}

/// The TCP preferences (`-o tcp.NAME:VALUE`), as tshark 4.0 names them.
struct TCPPreferences {
    var summaryInTree: Preference
    var checkChecksum: Preference
    var desegment: Preference
    var reassembleOutOfOrder: Preference
    var analyzeSeq: Preference
    var relativeSeq: Preference
    var defaultWindowScaling: Preference
    var trackBytesInFlight: Preference
    var bifSeqBased: Preference
    var calculateTimestamps: Preference
    var tryHeuristicFirst: Preference
    var ignoreTimestamps: Preference
    var fastRtSupersedesOOO: Preference
    var noSubdissectorOnError: Preference
    var expOptionsRFC6994: Preference
    var maxPDU: Preference
    var maxBuffered: Preference

    init(_ r: Registrar) {
        func bool(_ name: String, _ title: String, _ value: Bool) -> Preference {
            r.preference("tcp", name, title: title, .bool, default: value ? "TRUE" : "FALSE")
        }
        summaryInTree = bool("summary_in_tree", "Show TCP summary in protocol tree", true)
        checkChecksum = bool("check_checksum", "Validate the TCP checksum if possible", false)
        desegment = bool("desegment_tcp_streams", "Allow subdissector to reassemble TCP streams", true)
        reassembleOutOfOrder = bool("reassemble_out_of_order", "Reassemble out-of-order segments", false)
        analyzeSeq = bool("analyze_sequence_numbers", "Analyze TCP sequence numbers", true)
        relativeSeq = bool("relative_sequence_numbers",
                           "Relative sequence numbers (Requires \"Analyze TCP sequence numbers\")", true)
        var scaling: [(name: String, description: String, value: Int)] = [("not-known", "Not known", -1),
                                                                           ("0", "0 (no scaling)", 0)]
        for s in 1...14 { scaling.append(("\(s)", "\(s) (multiply by \(1 << s))", s)) }
        defaultWindowScaling = r.preference("tcp", "default_window_scaling",
                                            title: "Scaling factor to use when not available from capture",
                                            .choice(scaling), default: "not-known")
        trackBytesInFlight = bool("track_bytes_in_flight", "Track number of bytes in flight", true)
        bifSeqBased = bool("bif_seq_based", "Evaluate bytes in flight based on sequence numbers", false)
        calculateTimestamps = bool("calculate_timestamps", "Calculate conversation timestamps", true)
        tryHeuristicFirst = bool("try_heuristic_first", "Try heuristic sub-dissectors first", false)
        ignoreTimestamps = bool("ignore_tcp_timestamps", "Ignore TCP Timestamps in summary", false)
        fastRtSupersedesOOO = bool("fastrt_supersedes_ooo",
                                   "Fast Retransmission supersedes Out-of-Order interpretation", true)
        noSubdissectorOnError = bool("no_subdissector_on_error", "Do not call subdissectors for error packets", true)
        expOptionsRFC6994 = bool("dissect_experimental_options_rfc6994",
                                 "TCP Experimental Options using the format of RFC 6994", true)
        // Ours: bounds on reassembly memory (tshark has none and can grow without limit).
        maxPDU = r.preference("tcp", "reassembly_max_pdu", title: "Largest PDU TCP reassembles (bytes)", .uint,
                              default: "67108864")
        maxBuffered = r.preference("tcp", "reassembly_max_buffered",
                                   title: "Most bytes all TCP flows may hold for reassembly together", .uint,
                                   default: "268435456")
        _ = bool("display_process_info_from_ipfix", "Display process information via IPFIX", false)
        _ = bool("read_seq_as_syn_cookie", "Read the seq no. as syn cookie", false)
    }
}

/// Values of the preferences, read once per packet (no string work on the hot path).
struct TCPSettings {
    var analyzeSeq = true
    var relativeSeq = true
    var calculateTimestamps = true
    var trackBytesInFlight = true
    var bifSeqBased = false
    var defaultWindowScaling = -1
    var tryHeuristicFirst = false
    var ignoreTimestamps = false
    var fastRtPrecedence = true
    var noSubdissectorOnError = true
    var desegment = true
    var reassembleOutOfOrder = false
    var summaryInTree = true
    var checkChecksum = false
    var expOptionsRFC6994 = true
    var maxPDU = 64 << 20
    var maxBuffered = 256 << 20

    init() {}

    init(_ p: TCPPreferences) {
        analyzeSeq = p.analyzeSeq.boolValue
        relativeSeq = p.relativeSeq.boolValue
        calculateTimestamps = p.calculateTimestamps.boolValue
        trackBytesInFlight = p.trackBytesInFlight.boolValue
        bifSeqBased = p.bifSeqBased.boolValue
        defaultWindowScaling = p.defaultWindowScaling.choiceValue
        tryHeuristicFirst = p.tryHeuristicFirst.boolValue
        ignoreTimestamps = p.ignoreTimestamps.boolValue
        fastRtPrecedence = p.fastRtSupersedesOOO.boolValue
        noSubdissectorOnError = p.noSubdissectorOnError.boolValue
        desegment = p.desegment.boolValue
        reassembleOutOfOrder = p.reassembleOutOfOrder.boolValue
        summaryInTree = p.summaryInTree.boolValue
        checkChecksum = p.checkChecksum.boolValue
        expOptionsRFC6994 = p.expOptionsRFC6994.boolValue
        maxPDU = Int(clamping: p.maxPDU.uintValue)
        maxBuffered = Int(clamping: p.maxBuffered.uintValue)
    }
}

extension TCPDissector {
    /// tshark's `tcp_option_kind_vs`.
    static let optionKindNames: [UInt64: String] = [
        0: "End of Option List", 1: "No-Operation", 2: "Maximum Segment Size", 3: "Window Scale",
        4: "SACK Permitted", 5: "SACK", 6: "Echo", 7: "Echo Reply", 8: "Time Stamp Option",
        9: "Partial Order Connection Permitted", 10: "Partial Order Service Profile", 11: "CC", 12: "CC.NEW",
        13: "CC.ECHO", 14: "TCP Alternate Checksum Request", 15: "TCP Alternate Checksum Data", 16: "Skeeter",
        17: "Bubba", 18: "Trailer Checksum Option", 19: "MD5 Signature Option", 20: "SCPS Capabilities",
        21: "Selective Negative Acknowledgements", 22: "Record Boundaries", 23: "Corruption experienced",
        24: "SNAP", 25: "Unassigned", 26: "TCP Compression Filter", 27: "Quick-Start Response",
        28: "User Timeout Option", 29: "The TCP Authentication Option", 30: "Multipath TCP",
        34: "TCP Fast Open Cookie", 76: "Riverbed Probe", 78: "Riverbed Transparency",
        0xac: "Accurate ECN Order 0", 0xae: "Accurate ECN Order 1", 0xfd: "RFC3692-style Experiment 1",
        0xfe: "RFC3692-style Experiment 2",
    ]

    /// tshark's `tcp_exid_vs` (RFC 6994 experiment identifiers).
    static let exidNames: [UInt64: String] = [
        0x00ac: "TCP ACK Rate Request", 0x0348: "Host ID", 0x0a0d: "Autonomous System Compensation",
        0x0ca0: "Capability Option", 0x0ed0: "Extended Data Offset", 0x454e: "Encryption Negotiation",
        0x5323: "Service Number", 0x75ec: "Timestamp Interval", 0xacc0: "Accurate ECN - Order 0",
        0xacc1: "Accurate ECN - Order 1", 0xacce: "Accurate ECN",
        0xe2d4: "Shared Memory communications over RMDA protocol", 0xf989: "Fast Open", 0xf990: "Low Latency",
    ]

    static let mptcpSubtypeNames: [UInt64: String] = [
        0: "Multipath Capable", 1: "Join Connection", 2: "Data Sequence Signal", 3: "Add Address",
        4: "Remove Address", 5: "Change Subflow Priority", 6: "TCP Fallback", 7: "Fast Close", 8: "TCP Reset",
    ]

    /// Registers the protocol, its fields, option pseudo-protocols and expert infos.
    func registerFields(_ r: Registrar) {
        let p = r.registerProtocol(name: "Transmission Control Protocol", shortName: "TCP", abbrev: "tcp")
        hf.proto = p
        let setNotSet = ValueStrings.trueFalse("Set", "Not set")
        hf.srcport = r.field("Source Port", "tcp.srcport", .uint16, .dec, in: p)
        hf.dstport = r.field("Destination Port", "tcp.dstport", .uint16, .dec, in: p)
        hf.port = r.field("Source or Destination Port", "tcp.port", .uint16, .dec, in: p)
        hf.stream = r.field("Stream index", "tcp.stream", .uint32, .dec, in: p)
        hf.completeness = r.field("Conversation completeness", "tcp.completeness", .uint8, .custom,
                                  blurb: "The completeness of the conversation capture", in: p)
        hf.len = r.field("TCP Segment Len", "tcp.len", .uint32, .dec, in: p)
        hf.seq = r.field("Sequence Number", "tcp.seq", .uint32, .dec, in: p)
        hf.seqRaw = r.field("Sequence Number (raw)", "tcp.seq_raw", .uint32, .dec,
                            blurb: "This shows the raw value of the sequence number", in: p)
        hf.nxtseq = r.field("Next Sequence Number", "tcp.nxtseq", .uint32, .dec, in: p)
        hf.ack = r.field("Acknowledgment Number", "tcp.ack", .uint32, .dec, in: p)
        hf.ackRaw = r.field("Acknowledgment number (raw)", "tcp.ack_raw", .uint32, .dec,
                            blurb: "This shows the raw value of the acknowledgment number", in: p)
        hf.hdrLen = r.field("Header Length", "tcp.hdr_len", .uint8, .dec, blurb: "Data offset in 32-bit words", in: p)
        hf.flags = r.field("Flags", "tcp.flags", .uint16, .hex, bitmask: 0xfff, blurb: "Flags (12 bits)", in: p)
        func flag(_ name: String, _ abbrev: String, _ mask: UInt64, _ blurb: String = "") -> FieldID {
            r.field(name, abbrev, .boolean, .none, strings: setNotSet, bitmask: mask, bitWidth: 12, blurb: blurb, in: p)
        }
        hf.flagsRes = flag("Reserved", "tcp.flags.res", 0xe00, "Three reserved bits (must be zero)")
        hf.flagsAE = flag("Accurate ECN", "tcp.flags.ae", 0x100)
        hf.flagsCWR = flag("Congestion Window Reduced", "tcp.flags.cwr", 0x080)
        hf.flagsECE = flag("ECN-Echo", "tcp.flags.ece", 0x040)
        hf.flagsACE = r.field("ACE", "tcp.flags.ace", .uint8, .dec, in: p)
        hf.flagsURG = flag("Urgent", "tcp.flags.urg", 0x020)
        hf.flagsACK = flag("Acknowledgment", "tcp.flags.ack", 0x010)
        hf.flagsPSH = flag("Push", "tcp.flags.push", 0x008)
        hf.flagsRST = flag("Reset", "tcp.flags.reset", 0x004)
        hf.flagsSYN = flag("Syn", "tcp.flags.syn", 0x002)
        hf.flagsFIN = flag("Fin", "tcp.flags.fin", 0x001)
        hf.flagsStr = r.field("TCP Flags", "tcp.flags.str", .string, in: p)
        hf.windowValue = r.field("Window", "tcp.window_size_value", .uint16, .dec,
                                 blurb: "The window size value from the TCP header", in: p)
        hf.windowSize = r.field("Calculated window size", "tcp.window_size", .uint32, .dec,
                                blurb: "The scaled window size (if scaling has been used)", in: p)
        hf.windowScale = r.field("Window size scaling factor", "tcp.window_size_scalefactor", .int32, .dec,
                                 blurb: "The window size scaling factor (-1 when unknown, -2 when no scaling is used)",
                                 in: p)
        hf.checksum = r.field("Checksum", "tcp.checksum", .uint16, .hex,
                              blurb: "Details at: https://www.wireshark.org/docs/wsug_html_chunked/ChAdvChecksums.html",
                              in: p)
        hf.checksumStatus = r.field("Checksum Status", "tcp.checksum.status", .uint8, .none,
                                    strings: .values([0: "Bad", 1: "Good", 2: "Unverified", 3: "Not present",
                                                      4: "Illegal"]), in: p)
        hf.checksumCalculated = r.field("Calculated Checksum", "tcp.checksum_calculated", .uint16, .hex,
                                        blurb: "The expected TCP checksum field as calculated from the TCP segment",
                                        in: p)
        hf.urgentPointer = r.field("Urgent Pointer", "tcp.urgent_pointer", .uint16, .dec, in: p)
        hf.options = r.field("TCP Options", "tcp.options", .bytes, in: p)
        hf.optionKind = r.field("Kind", "tcp.option_kind", .uint8, .dec, strings: .values(Self.optionKindNames),
                                blurb: "This TCP option's kind", in: p)
        hf.optionLen = r.field("Length", "tcp.option_len", .uint8, .dec,
                               blurb: "Length of this TCP option in bytes (including kind and length fields)", in: p)
        hf.mssVal = r.field("MSS Value", "tcp.options.mss_val", .uint16, .dec, in: p)
        hf.wscaleShift = r.field("Shift count", "tcp.options.wscale.shift", .uint8, .dec,
                                 blurb: "Logarithmically encoded power of 2 scale factor", in: p)
        hf.wscaleMultiplier = r.field("Multiplier", "tcp.options.wscale.multiplier", .uint16, .dec,
                                      blurb: "Multiply segment window size by this for scaled window size", in: p)
        hf.sackLE = r.field("TCP SACK Left Edge", "tcp.options.sack_le", .uint32, .dec, in: p)
        hf.sackRE = r.field("TCP SACK Right Edge", "tcp.options.sack_re", .uint32, .dec, in: p)
        hf.sackCount = r.field("TCP SACK Count", "tcp.options.sack.count", .uint8, .dec, in: p)
        hf.dsackLE = r.field("TCP D-SACK Left Edge", "tcp.options.sack.dsack_le", .uint32, .dec,
                             blurb: "Duplicate SACK Left Edge", in: p)
        hf.dsackRE = r.field("TCP D-SACK Right Edge", "tcp.options.sack.dsack_re", .uint32, .dec,
                             blurb: "Duplicate SACK Right Edge", in: p)
        hf.echo = r.field("TCP Echo Option", "tcp.options.echo_value", .uint32, .dec, blurb: "TCP Sack Echo", in: p)
        hf.tsval = r.field("Timestamp value", "tcp.options.timestamp.tsval", .uint32, .dec,
                           blurb: "Value of sending machine's timestamp clock", in: p)
        hf.tsecr = r.field("Timestamp echo reply", "tcp.options.timestamp.tsecr", .uint32, .dec,
                           blurb: "Echoed timestamp from remote machine", in: p)
        hf.cc = r.field("TCP CC Option", "tcp.options.cc_value", .uint32, .dec, in: p)
        hf.md5Digest = r.field("MD5 digest", "tcp.options.md5.digest", .bytes, in: p)
        hf.aoKeyID = r.field("AO KeyID", "tcp.options.ao.keyid", .uint8, .dec, in: p)
        hf.aoRNextKeyID = r.field("AO RNextKeyID", "tcp.options.ao.rnextkeyid", .uint8, .dec, in: p)
        hf.aoMAC = r.field("AO MAC", "tcp.options.ao.mac", .bytes, in: p)
        hf.qsRate = r.field("QS Rate", "tcp.options.qs.rate", .uint8, .dec, bitmask: 0x0f, in: p)
        hf.qsTTLDiff = r.field("QS Rate", "tcp.options.qs.ttl_diff", .uint8, .dec, in: p)
        hf.userTOGranularity = r.field("Granularity", "tcp.options.user_to_granularity", .boolean, .none,
                                       strings: .trueFalse("Minutes", "Seconds"), bitmask: 0x8000, bitWidth: 16,
                                       blurb: "TCP User Timeout Granularity", in: p)
        hf.userTOValue = r.field("User Timeout", "tcp.options.user_to_val", .uint16, .dec, bitmask: 0x7fff,
                                 blurb: "TCP User Timeout Value", in: p)
        hf.tfoRequest = r.field("Fast Open Cookie Request", "tcp.options.tfo.request", .none, in: p)
        hf.tfoCookie = r.field("Fast Open Cookie", "tcp.options.tfo.cookie", .bytes, in: p)
        hf.expExID = r.field("Experiment Identifier", "tcp.options.experimental.exid", .uint16, .hex,
                             strings: .values(Self.exidNames), in: p)
        hf.expData = r.field("Data", "tcp.options.experimental.data", .bytes, in: p)
        hf.unknownPayload = r.field("Payload", "tcp.options.unknown.payload", .bytes, in: p)
        hf.mptcpSubtype = r.field("Multipath TCP subtype", "tcp.options.mptcp.subtype", .uint8, .dec,
                                  strings: .values(Self.mptcpSubtypeNames), bitmask: 0xf0, in: p)
        hf.tarrRate = r.field("TARR Rate", "tcp.options.tarr.rate", .uint8, .dec, bitmask: 0xfe, in: p)
        hf.tarrReserved = r.field("TARR Reserved", "tcp.options.tar.reserved", .uint8, .dec, bitmask: 0x01, in: p)
        hf.accEcnEE0B = r.field("Accurate ECN Echo ECT(0) Byte Counter", "tcp.options.acc_ecn.ee0b", .uint24, .dec, in: p)
        hf.accEcnECEB = r.field("Accurate ECN Echo CE Byte Counter", "tcp.options.acc_ecn.eceb", .uint24, .dec, in: p)
        hf.accEcnEE1B = r.field("Accurate ECN Echo ECT(1) Byte Counter", "tcp.options.acc_ecn.ee1b", .uint24, .dec, in: p)
        hf.timeRelative = r.field("Time since first frame in this TCP stream", "tcp.time_relative", .relativeTime,
                                  blurb: "Time relative to first frame in this TCP stream", in: p)
        hf.timeDelta = r.field("Time since previous frame in this TCP stream", "tcp.time_delta", .relativeTime,
                               blurb: "Time delta from previous frame in this TCP stream", in: p)
        hf.analysis = r.field("SEQ/ACK analysis", "tcp.analysis", .none,
                              blurb: "This frame has some of the TCP analysis shown", in: p)
        hf.analysisFlags = r.field("TCP Analysis Flags", "tcp.analysis.flags", .none,
                                   blurb: "This frame has some of the TCP analysis flags set", in: p)
        hf.duplicateAck = r.field("Duplicate ACK", "tcp.analysis.duplicate_ack", .none,
                                  blurb: "This is a duplicate ACK", in: p)
        hf.duplicateAckNum = r.field("Duplicate ACK #", "tcp.analysis.duplicate_ack_num", .uint32, .dec,
                                     blurb: "This is duplicate ACK number #", in: p)
        hf.duplicateAckFrame = r.field("Duplicate to the ACK in frame", "tcp.analysis.duplicate_ack_frame", .framenum,
                                       blurb: "This is a duplicate to the ACK in frame #", in: p)
        hf.acksFrame = r.field("This is an ACK to the segment in frame", "tcp.analysis.acks_frame", .framenum,
                               blurb: "Which previous segment is this an ACK for", in: p)
        hf.bytesInFlight = r.field("Bytes in flight", "tcp.analysis.bytes_in_flight", .uint32, .dec,
                                   blurb: "How many bytes are now in flight for this connection", in: p)
        hf.pushBytesSent = r.field("Bytes sent since last PSH flag", "tcp.analysis.push_bytes_sent", .uint32, .dec,
                                   blurb: "How many bytes have been sent since the last PSH flag", in: p)
        hf.ackRTT = r.field("The RTT to ACK the segment was", "tcp.analysis.ack_rtt", .relativeTime,
                            blurb: "How long time it took to ACK the segment (RTT)", in: p)
        hf.initialRTT = r.field("iRTT", "tcp.analysis.initial_rtt", .relativeTime,
                                blurb: "How long it took for the SYN to ACK handshake (iRTT)", in: p)
        hf.rto = r.field("The RTO for this segment was", "tcp.analysis.rto", .relativeTime,
                         blurb: "How long transmission was delayed before this segment was retransmitted (RTO)", in: p)
        hf.rtoFrame = r.field("RTO based on delta from frame", "tcp.analysis.rto_frame", .framenum,
                              blurb: "This is the frame we measure the RTO from", in: p)
        hf.payload = r.field("TCP payload", "tcp.payload", .bytes, blurb: "The TCP payload of this packet", in: p)
        hf.segmentData = r.field("TCP segment data", "tcp.segment_data", .bytes,
                                 blurb: "A data segment used in reassembly of a lower-level protocol", in: p)
        hf.resetCause = r.field("Reset cause", "tcp.reset_cause", .string, in: p)

        func option(_ name: String, _ short: String, _ abbrev: String) -> FieldID {
            r.registerProtocol(name: "TCP Option - " + name, shortName: short, abbrev: abbrev)
        }
        hf.optNOP = option("No-Operation (NOP)", "No-Operation (NOP)", "tcp.options.nop")
        hf.optEOL = option("End of Option List (EOL)", "End of Option List (EOL)", "tcp.options.eol")
        hf.optTimestamp = option("Timestamps", "Timestamps", "tcp.options.timestamp")
        hf.optMSS = option("Maximum segment size", "Maximum segment size", "tcp.options.mss")
        hf.optWScale = option("Window scale", "Window scale", "tcp.options.wscale")
        hf.optSackPerm = option("SACK permitted", "SACK permitted", "tcp.options.sack_perm")
        hf.optSack = option("SACK", "SACK", "tcp.options.sack")
        hf.optEcho = option("Echo", "Echo", "tcp.options.echo")
        hf.optEchoReply = option("Echo reply", "Echo reply", "tcp.options.echoreply")
        hf.optCC = option("CC", "CC", "tcp.options.cc")
        hf.optCCNew = option("CC.NEW", "CC.NEW", "tcp.options.ccnew")
        hf.optCCEcho = option("CC.ECHO", "CC.ECHO", "tcp.options.ccecho")
        hf.optAO = option("TCP AO", "TCP AO", "tcp.options.ao")
        hf.optMD5 = option("TCP MD5 signature", "TCP MD5 signature", "tcp.options.md5")
        hf.optSCPS = option("SCPS capabilities", "SCPS capabilities", "tcp.options.scps")
        hf.optSNACK = option("Selective Negative Acknowledgment", "Selective Negative Acknowledgment",
                             "tcp.options.snack")
        hf.optSCPSRec = option("SCPS record boundary", "SCPS record boundary", "tcp.options.scpsrec")
        hf.optSCPSCor = option("SCPS corruption experienced", "SCPS corruption experienced", "tcp.options.scpscor")
        hf.optQS = option("Quick-Start", "Quick-Start", "tcp.options.qs")
        hf.optUserTO = option("User Timeout", "User Timeout", "tcp.options.user_to")
        hf.optTFO = option("TCP Fast Open", "TCP Fast Open", "tcp.options.tfo")
        hf.optAccECN = option("Accurate ECN", "Accurate ECN", "tcp.options.acc_ecn")
        hf.optRvbdProbe = option("Riverbed Probe", "Riverbed Probe", "tcp.options.rvbd.probe")
        hf.optRvbdTrpy = option("Riverbed Transparency", "Riverbed Transparency", "tcp.options.rvbd.trpy")
        hf.optExp = option("Experimental", "Experimental", "tcp.options.experimental")
        hf.optUnknown = option("Unknown", "Unknown", "tcp.options.unknown")
        hf.mptcp = r.registerProtocol(name: "Multipath Transmission Control Protocol", shortName: "MPTCP",
                                      abbrev: "mptcp")

        func expert(_ abbrev: String, _ severity: ExpertSeverity, _ group: ExpertGroup, _ summary: String) -> FieldID {
            r.expert(abbrev, summary, severity, group, in: p)
        }
        ei.optLenInvalid = expert("tcp.option.len.invalid", .note, .sequence, "Invalid length for option")
        ei.reassemblyGap = expert("tcp.reassembly.gap", .warning, .reassemble,
                                  "Data missing inside a PDU being reassembled: the PDU is dropped")
        if let m = r.engine.registry.lookup("_ws.malformed") {
            hf.malformedProto = m
            ei.malformedReassembly = r.engine.registry.lookup("_ws.malformed.reassembly")
                ?? r.expert("_ws.malformed.reassembly", "Reassembly error", .error, .malformed, in: m)
        }
        ei.reassemblyLimit = expert("tcp.reassembly.limit", .warning, .reassemble,
                                    "PDU exceeds the reassembly limits (tcp.reassembly_max_*): it is dropped")
        ei.retransmission = expert("tcp.analysis.retransmission", .note, .sequence,
                                   "This frame is a (suspected) retransmission")
        ei.fastRetransmission = expert("tcp.analysis.fast_retransmission", .note, .sequence,
                                       "This frame is a (suspected) fast retransmission")
        ei.spuriousRetransmission = expert("tcp.analysis.spurious_retransmission", .note, .sequence,
                                           "This frame is a (suspected) spurious retransmission")
        ei.outOfOrder = expert("tcp.analysis.out_of_order", .warning, .sequence,
                               "This frame is a (suspected) out-of-order segment")
        ei.reusedPorts = expert("tcp.analysis.reused_ports", .note, .sequence,
                                "A new tcp session is started with the same ports as an earlier session in this trace")
        ei.lostSegment = expert("tcp.analysis.lost_segment", .warning, .sequence,
                                "Previous segment(s) not captured (common at capture start)")
        ei.ackLostSegment = expert("tcp.analysis.ack_lost_segment", .warning, .sequence,
                                   "ACKed segment that wasn't captured (common at capture start)")
        ei.windowUpdate = expert("tcp.analysis.window_update", .chat, .sequence, "TCP window update")
        ei.windowFull = expert("tcp.analysis.window_full", .warning, .sequence,
                               "TCP window specified by the receiver is now completely full")
        ei.keepAlive = expert("tcp.analysis.keep_alive", .note, .sequence, "TCP keep-alive segment")
        ei.keepAliveAck = expert("tcp.analysis.keep_alive_ack", .note, .sequence, "ACK to a TCP keep-alive segment")
        ei.duplicateAck = expert("tcp.analysis.duplicate_ack", .note, .sequence, "Duplicate ACK")
        ei.zeroWindowProbe = expert("tcp.analysis.zero_window_probe", .note, .sequence, "TCP Zero Window Probe")
        ei.zeroWindow = expert("tcp.analysis.zero_window", .warning, .sequence, "TCP Zero Window segment")
        ei.zeroWindowProbeAck = expert("tcp.analysis.zero_window_probe_ack", .note, .sequence,
                                       "ACK to a TCP Zero Window Probe")
        ei.tfoSyn = expert("tcp.analysis.tfo_syn", .note, .sequence, "TCP SYN with TFO Cookie")
        ei.tfoAck = expert("tcp.analysis.tfo_ack", .note, .sequence, "TCP SYN-ACK accepting TFO data")
        ei.tfoIgnored = expert("tcp.analysis.tfo_ignored", .note, .sequence, "TCP SYN-ACK ignoring TFO data")
        ei.finActive = expert("tcp.connection.fin_active", .note, .sequence, "This frame initiates the connection closing")
        ei.finPassive = expert("tcp.connection.fin_passive", .note, .sequence,
                               "This frame undergoes the connection closing")
        ei.dsack = expert("tcp.options.sack.dsack", .warning, .sequence, "D-SACK Sequence")
        ei.wscaleShiftInvalid = expert("tcp.options.wscale.shift.invalid", .warning, .protocol,
                                       "Window scale shift exceeds 14")
        ei.mssAbsent = expert("tcp.options.mss.absent", .note, .protocol, "The SYN packet does not contain a MSS option")
        ei.mssPresent = expert("tcp.options.mss.present", .warning, .protocol,
                               "The non-SYN packet does contain a MSS option")
        ei.shortSegment = expert("tcp.short_segment", .warning, .malformed, "Short segment")
        ei.ackNonzero = expert("tcp.ack.nonzero", .note, .protocol,
                               "The acknowledgment number field is nonzero while the ACK flag is not set")
        ei.synack = expert("tcp.connection.synack", .chat, .sequence, "Connection establish acknowledge (SYN+ACK)")
        ei.syn = expert("tcp.connection.syn", .chat, .sequence, "Connection establish request (SYN)")
        ei.fin = expert("tcp.connection.fin", .chat, .sequence, "Connection finish (FIN)")
        ei.rst = expert("tcp.connection.rst", .warning, .sequence, "Connection reset (RST)")
        ei.checksumFFFF = expert("tcp.checksum.ffff", .warning, .checksum,
                                 "TCP Checksum 0xffff instead of 0x0000 (see RFC 1624)")
        ei.checksumBad = expert("tcp.checksum_bad.expert", .error, .checksum, "Bad checksum")
        ei.urgentPointerNonZero = expert("tcp.urgent_pointer.non_zero", .note, .protocol,
                                         "The urgent pointer field is nonzero while the URG flag is not set")
        ei.suboptionMalformed = expert("tcp.suboption_malformed", .error, .malformed,
                                       "suboption would go past end of option")
        ei.nop = expert("tcp.nop", .warning, .protocol, "4 NOP in a row - a router may have removed some options")
        ei.nonZeroAfterEOL = expert("tcp.non_zero_bytes_after_eol", .error, .protocol,
                                    "Non zero bytes in option space after EOL option")
        ei.bogusHeaderLength = expert("tcp.bogus_header_length", .error, .protocol, "Bogus TCP Header length")

        _ = r.field("Transparency Mode", "tcp.options.rvbd.trpy.flags.mode", .boolean, .none,
                    strings: .trueFalse("Port Transparency", "Full Transparency"), bitmask: 0x1, bitWidth: 16, in: p)
        TCPFieldCatalog.registerAll(r, ["tcp": p, "mptcp": hf.mptcp])
        let reg = r.engine.registry
        func id(_ abbrev: String) -> FieldID { reg.lookup(abbrev) ?? .textOnly }
        hf.rvbdType1 = id("tcp.options.rvbd.probe.type1")
        hf.rvbdType2 = id("tcp.options.rvbd.probe.type2")
        hf.rvbdVersion = id("tcp.options.rvbd.probe.version")
        hf.rvbdVersionRaw = id("tcp.options.rvbd.probe.version_raw")
        hf.rvbdReserved = id("tcp.options.rvbd.probe.reserved")
        hf.rvbdProber = id("tcp.options.rvbd.probe.prober")
        hf.rvbdProxyIP = id("tcp.options.rvbd.probe.proxy.ip")
        hf.rvbdProxyPort = id("tcp.options.rvbd.probe.proxy.port")
        hf.rvbdAppliVer = id("tcp.options.rvbd.probe.appli_ver")
        hf.rvbdClientIP = id("tcp.options.rvbd.probe.client.ip")
        hf.rvbdStoreID = id("tcp.options.rvbd.probe.storeid")
        hf.rvbdFlags = id("tcp.options.rvbd.probe.flags")
        hf.trpyFlags = id("tcp.options.rvbd.trpy.flags")
        hf.trpySrcIP = id("tcp.options.rvbd.trpy.src.ip")
        hf.trpyDstIP = id("tcp.options.rvbd.trpy.dst.ip")
        hf.trpySrcPort = id("tcp.options.rvbd.trpy.src.port")
        hf.trpyDstPort = id("tcp.options.rvbd.trpy.dst.port")
        hf.trpyClientPort = id("tcp.options.rvbd.trpy.client.port")
        hf.reassembly = ReassemblyFields(parts: id("tcp.segments"), part: id("tcp.segment"), count: id("tcp.segment.count"),
                                         length: id("tcp.reassembled.length"), data: id("tcp.reassembled.data"),
                                         overlap: id("tcp.segment.overlap"), title: "Reassembled TCP Segments")
        hf.reassembly.conflict = id("tcp.segment.overlap.conflict")
        hf.reassembly.error = id("tcp.segment.error")
        hf.reassembledIn = id("tcp.reassembled_in")
        r.registerReassembly(hf.reassembly)
    }
}
