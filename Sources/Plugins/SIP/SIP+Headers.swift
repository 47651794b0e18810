import DissectKit

extension SIPDissector {
    /// One header line `start..<end` (folded lines included): its field with the value, the raw
    /// line as label, and the sub-items tshark adds for the headers it parses.
    func addHeader(_ packet: inout PacketContext, _ data: ByteView, _ start: Int, _ end: Int, parent: TreeNode,
                   facts: inout SIPMessageFacts) {
        let b = data.buffer
        let full = packet.buildsFullTree
        let label: (TextBuffer) -> Void = { $0.appendFormatText(UnsafeRawBufferPointer(rebasing: b[start..<end]), asciiOnly: false) }
        guard let colon = data.firstIndex(of: 0x3a, from: start), colon < end else {
            // No colon: tshark shows the line as text.
            packet.addText(data, start, end - start, parent: parent, label)
            return
        }
        var nameEnd = colon
        while nameEnd > start && (b[nameEnd - 1] == 0x20 || b[nameEnd - 1] == 0x09) { nameEnd -= 1 }
        var vs = colon + 1
        while vs < end && (b[vs] == 0x20 || b[vs] == 0x09) { vs += 1 }
        var ve = end
        while ve > vs && (b[ve - 1] == 0x20 || b[ve - 1] == 0x09) { ve -= 1 }
        let value = vs..<ve

        guard let header = headers[Self.nameHash(UnsafeRawBufferPointer(rebasing: b[start..<nameEnd]))] else {
            let node = packet.addText(data, start, end - start, parent: parent, label)
            if full || packet.wants(hf.eiUnrecognizedHeader) {
                let name = String(decoding: UnsafeRawBufferPointer(rebasing: b[start..<nameEnd]), as: UTF8.self).lowercased()
                packet.addExpert(hf.eiUnrecognizedHeader, parent: node.isNone ? parent : node, data, start, end - start,
                                 message: "Unrecognised SIP header (\(name))")
            }
            return
        }

        let node: TreeNode
        switch header.kind {
        case .unsigned, .contentLength:
            if let v = Self.decimal(b, vs, ve) {
                node = packet.add(header.field, data, vs, ve - vs, .uint(UInt64(v)), parent: parent)
                if header.kind == .contentLength { facts.contentLength = v }
            } else {
                node = packet.addText(data, start, end - start, parent: parent, label)
            }
        default:
            node = packet.add(header.field, data, vs, ve - vs, .string, parent: parent)
        }
        // tshark writes numeric headers as "Name: value" (canonical name); the others (and
        // Content-Length) as the raw line.
        if full && header.kind != .unsigned { packet.setLabel(node, label) }

        switch header.kind {
        case .via:
            addVia(&packet, data, value, parent: node)
        case .from:
            addNameAddrs(&packet, data, value, from, parent: node, single: true)
        case .to:
            addNameAddrs(&packet, data, value, to, parent: node, single: true)
        case .pai:
            addNameAddrs(&packet, data, value, pai, parent: node, single: true)
        case .contact:
            if ve - vs == 1 && b[vs] == 0x2a {
                facts.contactStar = true
            } else {
                facts.contacts += addNameAddrs(&packet, data, value, contact, parent: node, single: false)
            }
        case .callID:
            facts.callID = value
            packet.addGenerated(hf.callIDGenerated, .string, parent: parent, at: data, vs, ve - vs)
        case .cseq:
            var i = vs
            var seq: UInt64 = 0
            while i < ve && b[i] >= 0x30 && b[i] <= 0x39 { seq = seq &* 10 &+ UInt64(b[i] - 0x30); i += 1 }
            if i > vs {
                packet.add(hf.cseqSeq, data, vs, i - vs, .uint(UInt64(UInt32(truncatingIfNeeded: seq))), parent: node)
            }
            facts.cseq = UInt32(truncatingIfNeeded: seq)
            while i < ve && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
            if i < ve {
                facts.cseqMethod = i..<ve
                packet.add(hf.cseqMethod, data, i, ve - i, .string, parent: node)
            }
        case .contentType:
            facts.contentType = value
        default:
            break
        }
    }

    // MARK: Via

    /// "SIP/2.0/UDP host:port;branch=…;received=…" (several, comma separated).
    func addVia(_ packet: inout PacketContext, _ data: ByteView, _ value: Range<Int>, parent: TreeNode) {
        let b = data.buffer
        for part in Self.split(b, value, separator: 0x2c) {
            var i = part.lowerBound
            while i < part.upperBound && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
            // sent-protocol: name "/" version "/" transport, then LWS.
            var slash = -1
            var j = i
            while j < part.upperBound && b[j] != 0x20 && b[j] != 0x09 {
                if b[j] == 0x2f { slash = j }
                j += 1
            }
            if slash >= 0 && slash + 1 < j {
                packet.add(hf.viaTransport, data, slash + 1, j - slash - 1, .string, parent: parent)
            }
            while j < part.upperBound && (b[j] == 0x20 || b[j] == 0x09) { j += 1 }
            // sent-by: host [":" port]
            let hostStart = j
            var hostEnd = j
            if hostEnd < part.upperBound && b[hostEnd] == 0x5b {
                while hostEnd < part.upperBound && b[hostEnd] != 0x5d { hostEnd += 1 }
                if hostEnd < part.upperBound { hostEnd += 1 }
            } else {
                while hostEnd < part.upperBound && b[hostEnd] != 0x3a && b[hostEnd] != 0x3b && b[hostEnd] != 0x20 {
                    hostEnd += 1
                }
            }
            if hostEnd > hostStart {
                packet.add(hf.viaSentByAddress, data, hostStart, hostEnd - hostStart, .string, parent: parent)
            }
            var k = hostEnd
            if k < part.upperBound && b[k] == 0x3a {
                let ps = k + 1
                k = ps
                var port = 0
                while k < part.upperBound && b[k] >= 0x30 && b[k] <= 0x39 { port = min(port * 10 + Int(b[k] - 0x30), 1 << 20); k += 1 }
                if k > ps { packet.add(hf.viaSentByPort, data, ps, k - ps, .uint(UInt64(UInt16(truncatingIfNeeded: port))), parent: parent) }
            }
            while k < part.upperBound && b[k] != 0x3b { k += 1 }
            guard k < part.upperBound else { continue }
            for p in Self.split(b, (k + 1)..<part.upperBound, separator: 0x3b) {
                let (name, val) = Self.param(b, p)
                let field: FieldID?
                switch Self.lowerName(b, name) {
                case "branch": field = hf.viaBranch
                case "received": field = hf.viaReceived
                case "rport": field = hf.viaRPort
                case "maddr": field = hf.viaMaddr
                case "ttl": field = hf.viaTTL
                default: field = nil
                }
                if let f = field {
                    // A value-less "rport" shows the parameter name itself.
                    let r = val ?? name
                    packet.add(f, data, r.lowerBound, r.count, .string, parent: parent)
                } else if packet.buildsFullTree {
                    packet.addText(data, p.lowerBound, p.count, parent: parent) {
                        $0.appendFormatText(UnsafeRawBufferPointer(rebasing: b[p]), asciiOnly: false)
                    }
                }
            }
        }
    }

    // MARK: name-addr headers

    /// From/To/P-Asserted-Identity (one address) or Contact (a comma-separated list): display
    /// name, the URI with its parts and URI parameters, then the header parameters. Returns the
    /// number of addresses (Contact bindings).
    @discardableResult
    func addNameAddrs(_ packet: inout PacketContext, _ data: ByteView, _ value: Range<Int>, _ f: AddressFields,
                      parent: TreeNode, single: Bool) -> Int {
        let b = data.buffer
        let parts = single ? [value] : Self.split(b, value, separator: 0x2c)
        var count = 0
        for part in parts {
            var s = part.lowerBound
            while s < part.upperBound && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
            guard s < part.upperBound else { continue }
            count += 1
            // '<' outside a quoted display name.
            var lt = -1
            var inQuote = false
            var i = s
            while i < part.upperBound {
                if b[i] == 0x22 { inQuote.toggle() } else if !inQuote && b[i] == 0x3c { lt = i; break }
                i += 1
            }
            let uri: Range<Int>
            var after: Int
            if lt >= 0 {
                if lt > s {
                    var de = lt
                    if b[s] == 0x22 {
                        // The quoted string, quotes included.
                        var q = s + 1
                        while q < lt && b[q] != 0x22 { q += 1 }
                        de = min(q + 1, lt)
                    }
                    packet.add(f.display, data, s, de - s, .string, parent: parent)
                }
                var gt = lt + 1
                while gt < part.upperBound && b[gt] != 0x3e { gt += 1 }
                uri = (lt + 1)..<gt
                after = min(gt + 1, part.upperBound)
            } else {
                var e = s
                while e < part.upperBound && b[e] != 0x3b { e += 1 }
                var te = e
                while te > s && (b[te - 1] == 0x20 || b[te - 1] == 0x09) { te -= 1 }
                uri = s..<te
                after = e
            }
            let u = packet.add(f.addr, data, uri.lowerBound, uri.count, .string, parent: parent)
            addURIParts(&packet, data, uri, user: f.user, host: f.host, port: f.port,
                        param: lt >= 0 ? f.param : nil, parent: u.isNone ? parent : u)
            // Header parameters.
            while after < part.upperBound && b[after] != 0x3b { after += 1 }
            guard after < part.upperBound else { continue }
            for p in Self.split(b, (after + 1)..<part.upperBound, separator: 0x3b) {
                let (name, val) = Self.param(b, p)
                if f.headerParam != .textOnly {
                    packet.add(f.headerParam, data, p.lowerBound, p.count, .string, parent: parent)
                } else if Self.lowerName(b, name) == "tag", let v = val, f.tag != .textOnly {
                    packet.add(f.tag, data, v.lowerBound, v.count, .string, parent: parent)
                }
            }
        }
        return count
    }

    /// "sip:user@host:port;params": the user, host and port parts, and (inside angle brackets)
    /// each URI parameter.
    func addURIParts(_ packet: inout PacketContext, _ data: ByteView, _ uri: Range<Int>, user: FieldID, host: FieldID,
                     port: FieldID, param: FieldID?, parent: TreeNode) {
        let b = data.buffer
        var i = uri.lowerBound
        while i < uri.upperBound && b[i] != 0x3a { i += 1 }
        guard i < uri.upperBound else { return }
        let rest = (i + 1)..<uri.upperBound
        // The user part ends at the last '@' before any '>'.
        var at = -1
        for j in rest where b[j] == 0x40 { at = j }
        var hs = rest.lowerBound
        if at >= 0 {
            var ue = rest.lowerBound
            while ue < at && b[ue] != 0x3a && b[ue] != 0x3b { ue += 1 }
            if ue > rest.lowerBound { packet.add(user, data, rest.lowerBound, ue - rest.lowerBound, .string, parent: parent) }
            hs = at + 1
        }
        var he = hs
        if he < uri.upperBound && b[he] == 0x5b {
            while he < uri.upperBound && b[he] != 0x5d { he += 1 }
            if he < uri.upperBound { he += 1 }
        } else {
            while he < uri.upperBound && b[he] != 0x3a && b[he] != 0x3b && b[he] != 0x3f && b[he] != 0x3e { he += 1 }
        }
        if he > hs { packet.add(host, data, hs, he - hs, .string, parent: parent) }
        var k = he
        if k < uri.upperBound && b[k] == 0x3a {
            let ps = k + 1
            k = ps
            while k < uri.upperBound && b[k] != 0x3b && b[k] != 0x3f && b[k] != 0x3e { k += 1 }
            if k > ps { packet.add(port, data, ps, k - ps, .string, parent: parent) }
        }
        guard let pf = param, k < uri.upperBound, b[k] == 0x3b else { return }
        var pe = k + 1
        while pe < uri.upperBound && b[pe] != 0x3f { pe += 1 }
        for p in Self.split(b, (k + 1)..<pe, separator: 0x3b) {
            packet.add(pf, data, p.lowerBound, p.count, .string, parent: parent)
        }
    }

    // MARK: small text helpers

    /// Splits `r` at `separator` outside double quotes and angle brackets, trimming white space.
    static func split(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, separator: UInt8) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var s = r.lowerBound
        var inQuote = false
        var angle = 0
        var i = r.lowerBound
        func push(_ a: Int, _ e: Int) {
            var a = a, e = e
            while a < e && (b[a] == 0x20 || b[a] == 0x09) { a += 1 }
            while e > a && (b[e - 1] == 0x20 || b[e - 1] == 0x09) { e -= 1 }
            if e > a { out.append(a..<e) }
        }
        while i < r.upperBound {
            let c = b[i]
            if c == 0x22 { inQuote.toggle() } else if !inQuote {
                if c == 0x3c { angle += 1 } else if c == 0x3e { angle = max(0, angle - 1) } else if c == separator && angle == 0 {
                    push(s, i)
                    s = i + 1
                }
            }
            i += 1
        }
        push(s, r.upperBound)
        return out
    }

    /// "name=value" → (name, value) ranges; a parameter without "=" has no value.
    static func param(_ b: UnsafeRawBufferPointer, _ p: Range<Int>) -> (Range<Int>, Range<Int>?) {
        var i = p.lowerBound
        while i < p.upperBound && b[i] != 0x3d { i += 1 }
        guard i < p.upperBound else { return (p, nil) }
        var ne = i
        while ne > p.lowerBound && (b[ne - 1] == 0x20 || b[ne - 1] == 0x09) { ne -= 1 }
        var vs = i + 1
        while vs < p.upperBound && (b[vs] == 0x20 || b[vs] == 0x09) { vs += 1 }
        return (p.lowerBound..<ne, vs..<p.upperBound)
    }

    static func lowerName(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> String {
        guard r.count <= 16 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(rebasing: b[r]), as: UTF8.self).lowercased()
    }
}
