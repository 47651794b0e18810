import DissectKit

/// The TLS dissector: one call dissects every whole record at the start of `data` (tshark's
/// `dissect_ssl` loop); a record cut by the segment end is left to TCP reassembly.
final class TLSDissector: Dissector {
    var hf = TLSFields()
    /// Conversation state, keyed by the TCP 4-tuple; a session ends with its connection.
    let sessions = ConversationTable<TLSSession>(limits: .init(maxFlows: 1 << 16))
    /// tshark's `ssl_associations` ("tls.port"): which port speaks which protocol inside TLS.
    let tlsPorts: DissectorTable
    /// `tcp.port`, to name the protocol that handed a STARTTLS conversation over.
    let tcpPorts: DissectorTable
    /// Set when a call stopped before a record cut by the segment end: TCP calls again with the
    /// rest, which then only asks for more (tshark does both in one call).
    var continuation: (frame: UInt32, source: Int, offset: Int) = (0, -1, 0)
    /// Reused buffers for the JA3 strings (built only when shown or filtered on).
    var ja3Scratch = TLSJA3Scratch()

    init(_ r: Registrar) {
        tlsPorts = r.table("tls.port", uiName: "TLS port")
        tcpPorts = r.table("tcp.port", uiName: "TCP port")
        registerFields(r)
        sessions.followTransport(r.engine)
    }

    func reset() {
        sessions.removeAll()
        continuation = (0, -1, 0)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        try dissect(&packet, data, parent, heuristic: false)
    }

    /// `heuristic`: called from the TCP heuristic list, which already checked the first record.
    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode,
                 heuristic: Bool) throws(Malformed) -> DissectResult {
        if continuation.frame == packet.frame.number, continuation.source == data.source,
           continuation.offset == data.sourceOffset {
            continuation = (0, -1, 0)
            return .needMore(Self.missing(data))
        }
        // tshark: real TLS never starts with four printable characters; that is clear text
        // (a capture that starts after STARTTLS was sent, a protocol on a TLS port).
        if data.count > 4, (0..<4).allSatisfy({ Self.isPrint(data[unchecked: $0]) }) { return .notMine }

        let ts = packet.frame.timestamp
        let now = ts.seconds &* 1_000_000_000 &+ Int64(ts.nanoseconds)
        let lookup = FlowLookup(src: packet.netSrc, srcPort: UInt16(truncatingIfNeeded: packet.srcPort),
                                dst: packet.netDst, dstPort: UInt16(truncatingIfNeeded: packet.dstPort), proto: 6)
        let slot = sessions.lookup(lookup.key) ?? sessions.insert(lookup.key, TLSSession(), now: now)
        sessions.touch(slot, now: now)
        var s = sessions[slot]
        if heuristic { s.claimed = true }
        if s.appProtocol == nil, !heuristic, tlsPorts.lookup(packet.srcPort) == nil,
           tlsPorts.lookup(packet.dstPort) == nil {
            // Called by a protocol after STARTTLS: it owns one of the ports in `tcp.port`.
            let low = min(packet.srcPort, packet.dstPort), high = max(packet.srcPort, packet.dstPort)
            if let h = tcpPorts.lookup(low) ?? tcpPorts.lookup(high), h.protocolID != hf.proto {
                s.appProtocol = h.protocolID
            }
        }
        let side = Int8(lookup.side)
        let fromServer = s.serverSide >= 0 ? s.serverSide == side : tlsPorts.lookup(packet.srcPort) != nil

        packet.protocolColumn = TLSDissector.columnName(s.version, fallback: "SSL")
        packet.info.clear()
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent)

        var ctx = TLSRecordContext(side: side, fromServer: fromServer)
        var offset = 0
        var result = DissectResult.consumed(data.count)
        while offset < data.count {
            let remaining = data.count - offset
            if s.version == 0x0002 || (remaining >= 3 && Self.isSSLv2ClientHello(data, offset)) {
                if let need = try sslv2Record(&packet, data, offset, top, &s, &ctx) {
                    result = continueLater(&packet, data, offset, need)
                    break
                }
                offset = ctx.next
                continue
            }
            if remaining < 5 {
                // tshark: a split record header asks for "one more segment", not a count.
                result = continueLater(&packet, data, offset, 0)
                break
            }
            let type = data[unchecked: offset]
            if s.version == 0 && !Self.looksLikeSSLv3(data, offset) {
                // tshark: an unknown version and no record header: the rest is continuation.
                Self.appendInfo(&packet, "Continuation Data")
                offset = data.count
                break
            }
            if Self.ignoresUnknownRecords(s.version), !Self.isValidContentType(type) {
                // RFC 2246 §6: TLS 1.0–1.2 ignore records of unknown types.
                packet.addExpert(hf.eiIgnoredUnknownRecord, parent: top, data, offset, remaining)
                Self.appendInfo(&packet, "Ignored Unknown Record")
                offset = data.count
                break
            }
            let length = Int(try data.u16(offset + 3))
            guard Self.isValidContentType(type) else {
                Self.appendInfo(&packet, "Continuation Data")
                offset = min(data.count, offset + 5 + length)
                continue
            }
            if remaining < 5 + length {
                result = continueLater(&packet, data, offset, 5 + length - remaining)
                break
            }
            try record(&packet, data, offset, length, top, &s, &ctx)
            offset += 5 + length
        }
        if case .consumed = result { packet.info.setFence() }
        sessions[slot] = s
        return result
    }

    /// The record at `offset` needs `more` bytes: at the start of the data TCP reassembles at
    /// once; after whole records, the records so far are consumed and the next call asks.
    private func continueLater(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int,
                               _ more: Int) -> DissectResult {
        if offset == 0 { return .needMore(more) }
        continuation = (packet.frame.number, data.source, data.sourceOffset + offset)
        return .consumed(offset)
    }

    /// Bytes missing before the record at the start of `data` is whole.
    static func missing(_ data: ByteView) -> Int {
        if data.count >= 3, isSSLv2ClientHello(data, 0) {
            let len = Int(data[unchecked: 0] & 0x7f) << 8 | Int(data[unchecked: 1])
            return max(1, 2 + len - data.count)
        }
        guard data.count >= 5 else { return 0 }
        let len = Int(data[unchecked: 3]) << 8 | Int(data[unchecked: 4])
        return max(1, 5 + len - data.count)
    }

    // MARK: record layer

    private func record(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int,
                        _ top: TreeNode, _ s: inout TLSSession, _ ctx: inout TLSRecordContext) throws(Malformed) {
        let type = data[unchecked: offset]
        var version = UInt16(data[unchecked: offset + 1]) << 8 | UInt16(data[unchecked: offset + 2])
        let rec = packet.add(hf.record, data, offset, 5 + length, .none, parent: top)
        let tls13AppData = s.version == 0x0304 && type == 23
        packet.add(tls13AppData ? hf.opaqueType : hf.contentType, data, offset, 1, .uint(UInt64(type)), parent: rec)
        packet.add(hf.recordVersion, data, offset + 1, 2, .uint(UInt64(version)), parent: rec)
        let lengthNode = packet.add(hf.recordLength, data, offset + 3, 2, .uint(UInt64(length)), parent: rec)
        let body = offset + 5
        if s.version == 0 {
            // Every record but a ClientHello makes the version authoritative (tshark's
            // `ssl_is_authoritative_version_message`); the column shows this record's version.
            let next = length > 0 ? data[unchecked: body] : 0xff
            if type != 22 || (TLSNames.handshakeTypes[UInt64(next)] != nil && next != 1) {
                s.version = TLSVersionName.negotiated(version)
            }
            packet.protocolColumn = TLSDissector.columnName(version, fallback: "SSL")
        } else {
            version = s.version
            packet.protocolColumn = TLSDissector.columnName(version, fallback: "TLS")
        }
        // RFC 8446 §5.1 / RFC 5246 §6.2.1: 2^14 bytes of plaintext, plus 2048 of expansion
        // (256 in TLS 1.3); zero-length records only for application data.
        let limit = version == 0x0304 ? 16384 + 256 : 16384 + 2048
        if length > limit || (length == 0 && type != 23) {
            packet.addExpert(hf.eiRecordLengthInvalid, parent: lengthNode, data, offset + 3, 2)
        }
        let full = packet.buildsFullTree
        switch type {
        case 20:
            Self.appendInfo(&packet, "Change Cipher Spec")
            if full {
                packet.setLabel(rec, "\(Self.shortName(version)) Record Layer: Change Cipher Spec Protocol: Change Cipher Spec")
            }
            let ccs = packet.add(hf.changeCipherSpec, data, body, length, .none, parent: rec)
            if s.resumed { packet.addExpert(hf.eiResumed, parent: ccs, data, body, length) }
            // A later ChangeCipherSpec from the server does not resume this session.
            if ctx.fromServer { s.resumed = false }
            s[fromServer: ctx.fromServer].ccsFrame = packet.frame.number
        case 21:
            alert(&packet, data, body, length, rec, version)
        case 22:
            try handshakeRecord(&packet, data, body, length, rec, version, &s, &ctx)
        case 23:
            Self.appendInfo(&packet, "Application Data")
            let app = appProtocol(&packet, s)
            if full {
                let name = app.map { packet.registry[$0].name } ?? "Application Data"
                packet.setLabel(rec, "\(Self.shortName(version)) Record Layer: Application Data Protocol: \(name)")
            }
            packet.add(hf.appData, data, body, length, .bytes, parent: rec)
            if let app, packet.wants(hf.appDataProto) {
                let v = packet.text(packet.registry[app].name)
                packet.addGenerated(hf.appDataProto, v, parent: rec)
            }
        case 24:
            heartbeat(&packet, data, body, length, rec, version, s, ctx)
        default:
            break
        }
    }

    /// The protocol inside TLS: the one that called after STARTTLS, else the `tls.port` entry
    /// of the source or destination port.
    private func appProtocol(_ packet: inout PacketContext, _ s: TLSSession) -> FieldID? {
        if let a = s.appProtocol { return a }
        return (tlsPorts.lookup(packet.srcPort) ?? tlsPorts.lookup(packet.dstPort))?.protocolID
    }

    private func alert(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int,
                       _ rec: TreeNode, _ version: UInt16) {
        let node = packet.add(hf.alertMessage, data, offset, length, .none, parent: rec)
        // Alerts are two bytes; anything else is taken as encrypted (tshark does the same).
        guard length == 2 else {
            Self.appendInfo(&packet, "Encrypted Alert")
            if packet.buildsFullTree {
                packet.setLabel(rec, "\(Self.shortName(version)) Record Layer: Encrypted Alert")
                packet.setLabel(node, "Alert Message: Encrypted Alert")
            }
            return
        }
        let level = data[unchecked: offset], desc = data[unchecked: offset + 1]
        packet.info.appendSeparated(", ")
        packet.info.append("Alert (Level: ")
        packet.info.append(TLSNames.alertLevels[UInt64(level)] ?? "Unknown")
        packet.info.append(", Description: ")
        packet.info.append(TLSNames.alertDescriptions[UInt64(desc)] ?? "Unknown")
        packet.info.append(")")
        if packet.buildsFullTree {
            let l = TLSNames.alertLevels[UInt64(level)] ?? "Unknown"
            let d = TLSNames.alertDescriptions[UInt64(desc)] ?? "Unknown"
            packet.setLabel(rec, "\(Self.shortName(version)) Record Layer: Alert (Level: \(l), Description: \(d))")
        }
        packet.add(hf.alertLevel, data, offset, 1, .uint(UInt64(level)), parent: node)
        packet.add(hf.alertDescription, data, offset + 1, 1, .uint(UInt64(desc)), parent: node)
    }

    private func heartbeat(_ packet: inout PacketContext, _ data: ByteView, _ offset: Int, _ length: Int,
                           _ rec: TreeNode, _ version: UInt16, _ s: TLSSession, _ ctx: TLSRecordContext) {
        // RFC 6520: in clear before ChangeCipherSpec, encrypted after it.
        let encrypted = s[fromServer: ctx.fromServer].ccsFrame != 0
        if encrypted {
            Self.appendInfo(&packet, "Encrypted Heartbeat")
            if packet.buildsFullTree {
                packet.setLabel(rec, "\(Self.shortName(version)) Record Layer: Encrypted Heartbeat")
            }
        } else {
            let t = length > 0 ? data[unchecked: offset] : 0
            let name: StaticString = t == 1 ? "Heartbeat Request" : t == 2 ? "Heartbeat Response" : "Heartbeat"
            Self.appendInfo(&packet, name)
            if packet.buildsFullTree {
                packet.setLabel(rec, "\(Self.shortName(version)) Record Layer: Heartbeat \(t == 1 ? "Request" : t == 2 ? "Response" : "")")
            }
        }
    }

    // MARK: helpers

    static func isPrint(_ b: UInt8) -> Bool { b >= 0x20 && b < 0x7f }

    static func isValidContentType(_ t: UInt8) -> Bool { t >= 20 && t <= 25 }

    static func ignoresUnknownRecords(_ v: UInt16) -> Bool {
        v == 0x0301 || v == 0x0302 || v == 0x0303 || v == 0x0101
    }

    /// tshark's `ssl_looks_like_sslv3`: a record header with a TLS-family version.
    static func looksLikeSSLv3(_ d: ByteView, _ o: Int) -> Bool {
        guard d.has(o, 3), isValidContentType(d[unchecked: o]) else { return false }
        let v = UInt16(d[unchecked: o + 1]) << 8 | UInt16(d[unchecked: o + 2])
        switch v {
        case 0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0101, 0xfeff, 0xfefd, 0x0100: return true
        default: return false
        }
    }

    /// An SSL 2.0 ClientHello (RFC 5246 appendix E.2; tshark's `ssl_is_v2_client_hello` and
    /// `ssl_looks_like_sslv2`): a 2-byte header with the top bit set, message type 1, and an
    /// SSL 2.0/3.0/TLS version.
    static func isSSLv2ClientHello(_ d: ByteView, _ o: Int) -> Bool {
        guard d.has(o, 5), d[unchecked: o] & 0x80 != 0, d[unchecked: o + 2] == 1 else { return false }
        let v = UInt16(d[unchecked: o + 3]) << 8 | UInt16(d[unchecked: o + 4])
        return v == 0x0002 || v == 0x0300 || v == 0x0301 || v == 0x0302 || v == 0x0303
    }

    static func columnName(_ version: UInt16, fallback: String) -> String {
        switch version {
        case 0x0002: return "SSLv2"
        case 0x0300: return "SSLv3"
        case 0x0301: return "TLSv1"
        case 0x0302: return "TLSv1.1"
        case 0x0303: return "TLSv1.2"
        case 0x0304: return "TLSv1.3"
        case 0x0101: return "GMTLS"
        default: return fallback
        }
    }

    /// The short version name of record lines ("TLSv1.2 Record Layer: …"), "TLS" when unnamed.
    static func shortName(_ version: UInt16) -> String {
        TLSVersionName.short(version).map { "\($0)" } ?? "TLS"
    }

    /// tshark's `col_append_sep_str(…, NULL, text)`: ", " before the text when the column
    /// already holds something (also a TCP prefix: "[TCP Previous segment not captured] , …").
    static func appendInfo(_ packet: inout PacketContext, _ text: StaticString) {
        packet.info.appendSeparated(", ")
        packet.info.append(text)
    }
}

/// Per-call facts the record dissection shares.
struct TLSRecordContext {
    var side: Int8
    var fromServer: Bool
    /// Offset after the SSLv2 record just dissected.
    var next = 0
}

extension ColumnText {
    /// Appends `separator` when the column is not empty.
    @inlinable func appendSeparated(_ separator: StaticString) {
        if !bytes.isEmpty { append(separator) }
    }
}

/// The TCP heuristic (tshark's `dissect_ssl_heur`): a first record that is a handshake or
/// application data record of SSL 3.0–TLS 1.2 with a sane length, or an SSL 2.0 ClientHello.
/// Once taken, the whole conversation stays TLS (tshark's conversation dissector).
final class TLSHeuristic: Dissector {
    unowned let tls: TLSDissector
    init(_ tls: TLSDissector) { self.tls = tls }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let key = FlowLookup(src: packet.netSrc, srcPort: UInt16(truncatingIfNeeded: packet.srcPort),
                             dst: packet.netDst, dstPort: UInt16(truncatingIfNeeded: packet.dstPort), proto: 6).key
        if let slot = tls.sessions.lookup(key), tls.sessions[slot].claimed {
            return try tls.dissect(&packet, data, parent, heuristic: true)
        }
        guard Self.looksLikeTLS(data) || Self.looksLikeSSLv2ClientHello(data) else { return .notMine }
        return try tls.dissect(&packet, data, parent, heuristic: true)
    }

    static func looksLikeTLS(_ d: ByteView) -> Bool {
        guard d.count >= 5 else { return false }
        let type = d[unchecked: 0]
        guard type == 22 || type == 23 else { return false }
        let v = UInt16(d[unchecked: 1]) << 8 | UInt16(d[unchecked: 2])
        guard v == 0x0300 || v == 0x0301 || v == 0x0302 || v == 0x0303 || v == 0x0101 else { return false }
        let len = Int(d[unchecked: 3]) << 8 | Int(d[unchecked: 4])
        return len > 0 && len < 16384 + 2048
    }

    static func looksLikeSSLv2ClientHello(_ d: ByteView) -> Bool {
        guard d.count >= 46, d[unchecked: 0] == 0x80, d[unchecked: 2] == 1 else { return false }
        let cs = Int(d[unchecked: 5]) << 8 | Int(d[unchecked: 6])
        let sid = Int(d[unchecked: 7]) << 8 | Int(d[unchecked: 8])
        let ch = Int(d[unchecked: 9]) << 8 | Int(d[unchecked: 10])
        return cs != 0 && cs % 3 == 0 && (sid == 0 || sid == 16) && ch == 32
    }
}
