import DissectKit

/// `mime_multipart` ("MIME Multipart Media Encapsulation", RFC 2046 §5.1): preamble, body parts
/// with their MIME headers, boundaries and trailer, each part's body handed on by content type.
final class MultipartDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var type = FieldID.textOnly
        var part = FieldID.textOnly
        var secTokenLength = FieldID.textOnly
        /// Indexed by `MultipartHeader.rawValue`.
        var headers: [FieldID] = []
        var firstBoundary = FieldID.textOnly
        var preamble = FieldID.textOnly
        var lastBoundary = FieldID.textOnly
        var boundary = FieldID.textOnly
        var trailer = FieldID.textOnly
        var noRequiredParameter = FieldID.textOnly
        var decryptionNotPossible = FieldID.textOnly
        // Not in tshark 4.0: what the part carries once its transfer encoding is removed.
        var filename = FieldID.textOnly
        var decodedText = FieldID.textOnly
        var decodedLength = FieldID.textOnly
    }
    var hf = Fields()
    unowned let media: MediaDissector
    /// `mime_multipart.remove_base64_encoding`: hand base64 parts on decoded (so images and
    /// other binary parts reach their dissectors), as a data source named after the part.
    var removeBase64: Preference!

    /// The media types tshark 4.0 gives to the multipart dissector.
    static let mediaTypes = [
        "multipart/mixed", "multipart/related", "multipart/alternative", "multipart/form-data",
        "multipart/report", "multipart/signed", "multipart/encrypted",
    ]

    init(_ r: Registrar, media: MediaDissector) {
        self.media = media
        let p = r.registerProtocol(name: "MIME Multipart Media Encapsulation", shortName: "MIME multipart",
                                   abbrev: "mime_multipart")
        hf.proto = p
        hf.type = r.field("Type", "mime_multipart.type", .string, blurb: "MIME multipart encapsulation type", in: p)
        hf.part = r.field("Encapsulated multipart part", "mime_multipart.part", .string, in: p)
        hf.secTokenLength = r.field("Length of security token", "mime_multipart.header.sectoken-length", .uint32, .dec,
                                    blurb: "Length of the Kerberos BLOB which follows this token", in: p)
        hf.headers = MultipartHeader.allCases.map { h in
            h == .unknown ? FieldID.textOnly
                : r.field(h.name, "mime_multipart.header." + h.abbrevSuffix, .string, blurb: h.blurb, in: p)
        }
        hf.firstBoundary = r.field("First boundary", "mime_multipart.first_boundary", .string, in: p)
        hf.preamble = r.field("Preamble", "mime_multipart.preamble", .bytes, in: p)
        hf.lastBoundary = r.field("Last boundary", "mime_multipart.last_boundary", .string, in: p)
        hf.boundary = r.field("Boundary", "mime_multipart.boundary", .string, in: p)
        hf.trailer = r.field("Trailer", "mime_multipart.trailer", .bytes, in: p)
        hf.noRequiredParameter = r.expert("mime_multipart.no_required_parameter",
                                          "The multipart dissector could not find a required parameter.",
                                          .error, .protocol, in: p)
        hf.decryptionNotPossible = r.expert("mime_multipart.decryption_not_possible",
                                            "The multipart dissector could not decrypt the message.",
                                            .warning, .undecoded, in: p)
        hf.filename = r.field("File name", "mime_multipart.filename", .string,
                              blurb: "Content-Disposition filename or Content-Type name of the part", in: p)
        hf.decodedText = r.field("Decoded text", "mime_multipart.decoded_text", .string,
                                 blurb: "The part's text with its Content-Transfer-Encoding removed", in: p)
        hf.decodedLength = r.field("Decoded length", "mime_multipart.decoded_length", .uint32, .dec,
                                   strings: .units("byte", "bytes"),
                                   blurb: "Length of the part's body with its Content-Transfer-Encoding removed", in: p)
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let call = media.current
        media.current = nil
        guard let call, let params = call.parameters,
              let boundary = MIMEParameters.find(MIMEParameters.compact(params[...]).bytes, "boundary") else {
            packet.addExpert(hf.noRequiredParameter, parent: parent, data, 0, data.count)
            packet.callData(data, parent: parent)
            return .consumed(data.count)
        }
        let top = packet.addProtocol(hf.proto, data, 0, data.count, parent: parent,
                                     text: "MIME Multipart Media Encapsulation, Type: \(call.type), Boundary: \""
                                         + String(decoding: boundary, as: UTF8.self) + "\"")
        packet.addMailText(hf.type, data, 0, 0, call.type, parent: top, flags: .generated)
        packet.info.setFence()

        var last = false
        guard var start = preamble(&packet, data, boundary, top, &last) else {
            packet.callData(data, parent: top)
            return .consumed(data.count)
        }
        var index = 0
        while !last {
            guard let next = bodyPart(&packet, data, boundary, top, start, index, &last) else {
                return .consumed(data.count)
            }
            start = next
            index += 1
        }
        if start < data.count {
            packet.add(hf.trailer, data, start, data.count - start, .bytes, parent: top)
        }
        return .consumed(data.count)
    }

    // MARK: boundaries

    /// tshark's `find_first_boundary`: the dash-boundary line that may follow a preamble.
    private func firstBoundary(_ v: ByteView, _ boundary: [UInt8], from start: Int,
                               _ last: inout Bool) -> (start: Int, lineLength: Int)? {
        var offset = start
        let n = boundary.count
        while offset + 2 + n < v.count {
            if isDashBoundary(v, offset, boundary) {
                last = offset + 2 + n + 2 <= v.count && v[unchecked: offset + 2 + n] == 0x2d
                    && v[unchecked: offset + 3 + n] == 0x2d
                let (_, next) = MailText.lineEnd(v, from: offset)
                return (offset, next - offset)
            }
            offset = MailText.lineEnd(v, from: offset).next
        }
        return nil
    }

    /// tshark's `find_next_boundary`: the delimiter (line end + dash-boundary) that ends a part.
    private func nextBoundary(_ v: ByteView, _ boundary: [UInt8], from start: Int,
                              _ last: inout Bool) -> (start: Int, lineLength: Int)? {
        var offset = start
        let n = boundary.count
        while offset + 2 + n < v.count {
            let (len, next) = MailText.lineEnd(v, from: offset)
            var bstart = offset + len
            if isDashBoundary(v, next, boundary) {
                last = next + 2 + n + 2 <= v.count && v[unchecked: next + 2 + n] == 0x2d
                    && v[unchecked: next + 3 + n] == 0x2d
                let end = MailText.lineEnd(v, from: next).next
                return (bstart, end - bstart)
            }
            // A close-delimiter at the end of a line without the line break before it.
            if bstart - (2 + n + 2) >= 0, matches(v, bstart - 2, [0x2d, 0x2d]), matches(v, bstart - 2 - n, boundary),
               matches(v, bstart - 4 - n, [0x2d, 0x2d]) {
                bstart -= 2 + n + 2
                last = true
                return (bstart, next - bstart)
            }
            offset = next
        }
        return nil
    }

    private func isDashBoundary(_ v: ByteView, _ offset: Int, _ boundary: [UInt8]) -> Bool {
        guard offset >= 0, offset + 2 + boundary.count <= v.count else { return false }
        return v[unchecked: offset] == 0x2d && v[unchecked: offset + 1] == 0x2d && matches(v, offset + 2, boundary)
    }

    private func matches(_ v: ByteView, _ offset: Int, _ bytes: [UInt8]) -> Bool {
        guard offset >= 0, offset + bytes.count <= v.count else { return false }
        for i in 0..<bytes.count where v[unchecked: offset + i] != bytes[i] { return false }
        return true
    }

    /// tshark's `process_preamble`: returns where the first body part starts.
    private func preamble(_ packet: inout PacketContext, _ v: ByteView, _ boundary: [UInt8], _ tree: TreeNode,
                          _ last: inout Bool) -> Int? {
        guard let b = firstBoundary(v, boundary, from: 0, &last) else { return nil }
        if b.start == 0 {
            packet.addMailString(hf.firstBoundary, v, 0, b.lineLength, parent: tree)
            return b.lineLength
        }
        guard b.lineLength > 0 else { return nil }
        packet.add(hf.preamble, v, 0, b.start, .bytes, parent: tree)
        packet.addMailString(hf.firstBoundary, v, b.start, b.lineLength, parent: tree)
        return b.start + b.lineLength
    }

    // MARK: body parts

    /// tshark's `process_body_part`: the part's MIME headers, its body handed on by content
    /// type, then the boundary that ends it. Returns the offset of the next part.
    private func bodyPart(_ packet: inout PacketContext, _ v: ByteView, _ boundary: [UInt8], _ tree: TreeNode,
                          _ start: Int, _ index: Int, _ last: inout Bool) -> Int? {
        // The value stays "" (tshark adds the item with length 0 and only later sets its length).
        let partNode = packet.wants(hf.part) ? packet.add(hf.part, v, start, 0, packet.text(""), parent: tree) : .none
        guard let b = nextBoundary(v, boundary, from: start, &last), b.start > 0 else { return nil }

        var offset = start
        var next = start
        var lastField = false
        var contentType: String?
        var parameters: [UInt8]?
        var transferEncoding: String?
        var filename: [UInt8]?
        var typeName: [UInt8]?
        var charset: [UInt8]?
        var isRaw = false
        while !lastField {
            next = IMFHeaderScanner.fieldEnd(v, from: offset, max: v.count, lastField: &lastField) ?? -1
            if lastField && next + 2 <= b.start {
                next += 2
            } else if next - 2 == b.start {
                lastField = true
                next -= 2
            } else if next > b.start {
                next = b.start
            }
            if next < offset {
                // No line end at all: tshark reads "to the end" only from offset 0.
                if next == -1 && offset == 0 { next = v.count } else { break }
            }
            let compact = MIMEParameters.compact(v.buffer[offset..<next])
            guard let colon = compact.firstColon, colon > 0 else {
                next = offset
                break
            }
            let header = MultipartHeader.known(compact.bytes[0..<colon])
            if header == .unknown {
                if compact.bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) {
                    packet.addFormatText(v, offset, next - offset, parent: partNode)
                } else {
                    next = offset
                    break
                }
            } else {
                let value = Array(compact.bytes[(colon + 1)...])
                let field = hf.headers[header.rawValue]
                if packet.wants(field) {
                    let node = packet.add(field, v, offset, next - offset,
                                          packet.text(MailLabel.formatText(value, asciiOnly: true)), parent: partNode)
                    if packet.buildsFullTree, !node.isNone {
                        packet.setLabel(node, MailLabel.textLabel(MailLabel.formatText(v, offset, next - offset,
                                                                                      asciiOnly: true)))
                    }
                }
                switch header {
                case .contentType:
                    let semi = value.firstIndex(of: 0x3b)
                    let typeBytes = semi.map { Array(value[..<$0]) } ?? value
                    parameters = semi.map { Array(value[($0 + 1)...]) }
                    let type = String(decoding: typeBytes.map(MailText.lower), as: UTF8.self)
                    contentType = type
                    if packet.buildsFullTree, !partNode.isNone { packet.appendLabel(partNode, " (\(type))") }
                    if let p = parameters {
                        typeName = MIMEParameters.find(p, "name")
                        charset = MIMEParameters.find(p, "charset")
                    }
                    if type.hasPrefix("application/octet-stream") { isRaw = true }
                case .contentTransferEncoding:
                    let end = value.firstIndex(of: MailText.cr) ?? value.count
                    transferEncoding = String(decoding: value[..<end].map(MailText.lower), as: UTF8.self)
                case .contentDisposition:
                    filename = MIMEParameters.find(value, "filename")
                default:
                    break
                }
            }
            offset = next
        }

        let bodyStart = max(next, start)
        let body = (try? v.slice(bodyStart, max(0, b.start - bodyStart))) ?? .empty
        if !isRaw, let type = contentType {
            var content = body
            if removeBase64.boolValue, let te = transferEncoding, te.hasPrefix("base64") {
                // tshark names the new data source after the file name, the type's name
                // parameter or the type itself.
                let name = (filename ?? typeName).map { String(decoding: $0, as: UTF8.self) } ?? type
                content = packet.addDataSource(name, MailText.base64DecodeBody(body))
            }
            let wasMalformed = packet.isMalformed
            media.dispatch(&packet, MediaCall(type: type, parameters: parameters, transferEncoding: transferEncoding),
                           content, parent: partNode, fallback: true)
            // In tshark the part's exception (a cut image) also ends the multipart: no boundary,
            // no further parts.
            if packet.isMalformed && !wasMalformed { return nil }
        } else {
            packet.callData(body, parent: partNode)
        }
        if !partNode.isNone { packet.tree.records[Int(partNode.index)].length = Int32(b.start - start) }
        let name = filename ?? typeName
        if let name {
            packet.addMailText(hf.filename, v, bodyStart, 0, MIMEDecode.headerText(name), parent: partNode,
                               flags: .generated)
        }
        decodedBody(&packet, body, type: contentType, transferEncoding: transferEncoding, charset: charset,
                    parent: partNode)
        packet.addMailString(last ? hf.lastBoundary : hf.boundary, v, b.start, b.lineLength, parent: tree)
        return b.start + b.lineLength
    }

    /// Our addition: a base64 or quoted-printable text part shown decoded (as its charset says),
    /// and the decoded size of any encoded part. Built only when the tree or the field is wanted.
    private func decodedBody(_ packet: inout PacketContext, _ body: ByteView, type: String?, transferEncoding: String?,
                             charset: [UInt8]?, parent: TreeNode) {
        guard let te = transferEncoding, te == "base64" || te == "quoted-printable" else { return }
        guard packet.buildsFullTree || packet.wants(hf.decodedText) || packet.wants(hf.decodedLength) else { return }
        let decoded = te == "base64" ? MailText.base64DecodeBody(body) : MailText.quotedPrintableDecode(body)
        let isText = type.map { $0.hasPrefix("text/") } ?? false
        if isText {
            let text = MIMEDecode.text(decoded, charset: charset)
            let node = packet.addMailText(hf.decodedText, body, 0, body.count, text, parent: parent, flags: .generated)
            if packet.buildsFullTree, !node.isNone {
                let lines = MIMEDecode.lines(text)
                packet.setLabel(node, "Decoded text (\(te)" + (charset.map { ", " + String(decoding: $0, as: UTF8.self) } ?? "")
                    + "): \(lines.count) line" + (lines.count == 1 ? "" : "s"))
                for l in lines { packet.addText(MailLabel.textLabel(l), body, 0, 0, parent: node) }
            }
        } else {
            packet.addGenerated(hf.decodedLength, .uint(UInt64(decoded.count)), parent: parent, at: body, 0, body.count)
        }
    }
}

/// The MIME part headers tshark's multipart dissector knows (`multipart_headers`).
enum MultipartHeader: Int, CaseIterable {
    case unknown, contentDescription, contentDisposition, contentEncoding, contentId, contentLanguage
    case contentLength, contentTransferEncoding, contentType, originalContent

    var name: String {
        switch self {
        case .unknown: return "Unknown-header"
        case .contentDescription: return "Content-Description"
        case .contentDisposition: return "Content-Disposition"
        case .contentEncoding: return "Content-Encoding"
        case .contentId: return "Content-Id"
        case .contentLanguage: return "Content-Language"
        case .contentLength: return "Content-Length"
        case .contentTransferEncoding: return "Content-Transfer-Encoding"
        case .contentType: return "Content-Type"
        case .originalContent: return "OriginalContent"
        }
    }

    var abbrevSuffix: String { self == .originalContent ? "originalcontent" : name.lowercased() }

    var blurb: String {
        switch self {
        case .contentDisposition: return "RFC 2183: Content-Disposition Header"
        case .contentId: return "RFC 2045: Content-Id Header"
        case .contentTransferEncoding: return "RFC 2045: Content-Transfer-Encoding Header"
        case .originalContent: return "Original Content-Type Header"
        default: return name + " Header"
        }
    }

    /// SIP-style compact forms tshark also accepts.
    var compactName: String? {
        switch self {
        case .contentEncoding: return "e"
        case .contentLength: return "l"
        case .contentType: return "c"
        default: return nil
        }
    }

    static func known(_ name: ArraySlice<UInt8>) -> MultipartHeader {
        for h in allCases where h != .unknown {
            if equalsIgnoringCase(name, h.name) { return h }
            if let c = h.compactName, equalsIgnoringCase(name, c) { return h }
        }
        return .unknown
    }

    private static func equalsIgnoringCase(_ a: ArraySlice<UInt8>, _ b: String) -> Bool {
        let u = b.utf8
        guard a.count == u.count else { return false }
        for (x, y) in zip(a, u) where MailText.lower(x) != MailText.lower(y) { return false }
        return true
    }
}

/// Content-Type parameter handling as tshark does it (`unfold_and_compact_mime_header`,
/// `ws_find_media_type_parameter`).
enum MIMEParameters {
    /// Unfolds a MIME header and removes white space around separators (`:;,=`), keeping
    /// quoted strings intact; stops at the end of the header. Returns the text and the offset
    /// of its first colon.
    static func compact<C: Collection>(_ lines: C) -> (bytes: [UInt8], firstColon: Int?)
    where C.Element == UInt8, C.Index == Int {
        var out = [UInt8]()
        out.reserveCapacity(lines.count)
        var colon: Int?
        var sepSeen = false
        var lws = false
        var p = lines.startIndex
        let end = lines.endIndex
        @inline(__always) func at(_ i: Int) -> UInt8 { i < end ? lines[i] : 0 }
        while p < end {
            let c = lines[p]
            if c == 0 { break }
            switch c {
            case 0x3a: // ':'
                lws = false
                if colon == nil { colon = out.count }
                out.append(c); sepSeen = true; p += 1
            case 0x3b, 0x2c, 0x3d: // ';' ',' '='
                lws = false
                out.append(c); sepSeen = true; p += 1
            case 0x20, 0x09:
                lws = true; p += 1
            case 0x0a:
                lws = false
                let n = at(p + 1)
                if n == 0x20 || n == 0x09 { lws = true; p += 2 } else { return (out, colon) }
            case 0x0d:
                lws = false
                let n = at(p + 1)
                if n == 0x0a {
                    let n2 = at(p + 2)
                    if n2 == 0x20 || n2 == 0x09 { lws = true; p += 3 } else { return (out, colon) }
                } else if n == 0x20 || n == 0x09 {
                    lws = true; p += 2
                } else {
                    return (out, colon)
                }
            case 0x22: // quoted-string, copied as is
                lws = false
                out.append(c)
                p += 1
                while p < end {
                    let q = lines[p]
                    if q == 0 { break }
                    out.append(q)
                    p += 1
                    if q == 0x5c {
                        if p < end, lines[p] != 0 { out.append(lines[p]); p += 1 }
                    } else if q == 0x22 {
                        break
                    }
                }
            default:
                if sepSeen { sepSeen = false } else if lws { out.append(0x20) }
                lws = false
                out.append(c)
                p += 1
            }
        }
        return (out, colon)
    }

    /// The (unquoted) value of parameter `key` in `parameters`, compared without case.
    static func find(_ parameters: [UInt8], _ key: String) -> [UInt8]? {
        let k = Array(key.utf8)
        var p = 0
        let n = parameters.count
        while p < n {
            while p < n, MailText.isSpace(parameters[p]) { p += 1 }
            if p >= n { return nil }
            let nameStart = p
            while p < n, parameters[p] != 0x3d, parameters[p] != 0x3b { p += 1 }
            let nameEnd = p
            var valueStart: Int?
            var valueEnd = p
            if p < n, parameters[p] == 0x3b {
                p += 1
            } else if p < n {
                p += 1 // '='
                valueStart = p
                if p < n, parameters[p] == 0x22 {
                    p += 1
                    while p < n, parameters[p] != 0x22 {
                        if parameters[p] == 0x5c { p += 1 }
                        p += 1
                    }
                    if p < n { p += 1 }
                }
                while p < n, parameters[p] != 0x3b { p += 1 }
                valueEnd = min(p, n)
                if p < n { p += 1 }
            }
            let name = parameters[nameStart..<nameEnd]
            if name.count == k.count, zip(name, k).allSatisfy({ MailText.lower($0) == MailText.lower($1) }) {
                guard let vs = valueStart else { return nil }
                var out = [UInt8]()
                if vs < valueEnd, parameters[vs] == 0x22 {
                    var i = vs + 1
                    while i < valueEnd {
                        var c = parameters[i]
                        if c == 0x22 { break }
                        if c == 0x5c {
                            i += 1
                            if i >= valueEnd { break }
                            c = parameters[i]
                        }
                        out.append(c)
                        i += 1
                    }
                } else {
                    out.append(contentsOf: parameters[vs..<valueEnd])
                }
                return out
            }
        }
        return nil
    }
}
