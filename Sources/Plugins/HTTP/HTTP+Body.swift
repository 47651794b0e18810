import DissectKit

/// The last media type seen, so a conversation of same-typed bodies builds its table key once.
struct HTTPMediaTypeCache {
    var bytes: [UInt8] = []
    var string = ""
}

extension HTTPDissector {
    /// The message body after the headers (starting at `offset`): its length from
    /// Content-Length or the message type (RFC 9112 §6.3), chunked transfer coding undone,
    /// content coding decoded, "File Data", and the body handed on by media type. Returns the
    /// offset after the body.
    func body(_ packet: inout PacketContext, _ v: ByteView, _ offset: Int, _ parent: TreeNode, _ top: TreeNode,
              _ topStart: Int, _ line: HTTPStartLine, _ framing: HTTPBodyFraming, _ carrier: HTTPCarrier)
        throws(Malformed) -> Int
    {
        let remaining = v.count - offset
        var length: Int
        if let cl = framing.contentLength, framing.transferCoding == .none {
            length = cl < UInt64(remaining) ? Int(cl) : remaining
        } else {
            switch line.type {
            case .request:
                // Without Content-Length or Transfer-Encoding a request has no body.
                length = framing.transferCoding == .none ? 0 : remaining
            case .response:
                let c = line.statusCode
                length = c / 100 == 1 || c == 204 || c == 304 ? 0 : remaining
            default:
                length = remaining
            }
        }
        guard length > 0 else { return offset }
        var entity = try v.slice(offset, length)

        if framing.chunked {
            guard dechunkBody.boolValue else {
                packet.callData(entity, parent: top)
                return offset + length
            }
            let (consumed, bytes) = try chunks(&packet, entity, top)
            guard consumed > 0 else { return offset + length }
            entity = packet.addDataSource("De-chunked entity body", bytes)
            length = consumed
        }
        switch framing.transferCoding {
        case .compress, .deflate, .gzip:
            // tshark does not undo these as transfer codings.
            packet.callData(entity, parent: top)
            return offset + length
        default:
            break
        }
        if let enc = framing.contentEncoding, !(enc.count == 8 && MailText.equalsIgnoringCase(v, at: enc.lowerBound, "identity")) {
            guard let decoded = decode(&packet, v, enc, entity, top) else { return offset + length }
            entity = decoded
        }

        let n = packet.add(hf.fileData, entity, 0, entity.count, .string, parent: top)
        if packet.buildsFullTree, !n.isNone {
            packet.setLabel(n, "File Data: \(entity.count) byte" + (entity.count == 1 ? "" : "s"))
        }
        guard entity.count > 0 else { return offset + length }

        guard let ct = framing.contentType, let media else {
            if packet.callHeuristics(heuristics, entity, parent: parent) != nil {
                if top.index >= 0 { packet.tree.records[Int(top.index)].length = Int32(offset - topStart) }
            } else {
                packet.callData(entity, parent: top)
            }
            return offset + length
        }
        let type = mediaTypeString(v, ct)
        // Only multipart reads the parameters (its boundary); "Media Type" shows them in -V.
        let parameters = packet.buildsFullTree || type.hasPrefix("multipart/")
            ? framing.contentTypeParameters.map { Array(v.buffer[$0]) } : nil
        let call = MediaCall(type: type, parameters: parameters, transferEncoding: nil)
        var handle = media.table.lookup(type)
        if handle == nil, type.hasPrefix("multipart/") { handle = media.table.lookup("multipart/") }
        var dissected = false
        if let h = handle {
            media.current = call
            let r = packet.call(h, entity, parent: parent)
            media.current = nil
            dissected = r != .notMine
            if !dissected { packet.addExpert(hf.eiSubdissectorFailed, parent: top) }
        }
        // Then the `http` heuristics (images recognised by their signature…).
        if !dissected, packet.callHeuristics(heuristics, entity, parent: parent) != nil { dissected = true }
        if dissected {
            // The subdissector shows the body: the HTTP item covers the headers only.
            if top.index >= 0 { packet.tree.records[Int(top.index)].length = Int32(offset - topStart) }
        } else {
            media.current = call
            _ = packet.call(media.handle, entity, parent: parent)
            media.current = nil
        }
        return offset + length
    }

    /// Content coding: "Content-encoded entity body (gzip): N bytes -> M bytes" and the decoded
    /// body as a new data source; nil when it could not be decoded (shown as data instead).
    private func decode(_ packet: inout PacketContext, _ v: ByteView, _ enc: Range<Int>, _ entity: ByteView,
                        _ top: TreeNode) -> ByteView?
    {
        var decoded: [UInt8]?
        let gzipOrDeflate = (enc.count == 4 && MailText.equalsIgnoringCase(v, at: enc.lowerBound, "gzip"))
            || (enc.count == 7 && MailText.equalsIgnoringCase(v, at: enc.lowerBound, "deflate"))
            || (enc.count == 6 && MailText.equalsIgnoringCase(v, at: enc.lowerBound, "x-gzip"))
            || (enc.count == 9 && MailText.equalsIgnoringCase(v, at: enc.lowerBound, "x-deflate"))
        if decompressBody.boolValue && gzipOrDeflate { decoded = HTTPInflate.inflate(entity) }
        let node = packet.addText("Content-encoded entity body (\(Self.asciiString(v, enc.lowerBound, enc.count))): "
                                      + "\(entity.count) bytes", entity, 0, entity.count, parent: top)
        guard let decoded else {
            packet.addExpert(decompressBody.boolValue ? hf.eiDecompressionFailed : hf.eiDecompressionDisabled,
                             parent: node.isNone ? top : node)
            packet.callData(entity, parent: node.isNone ? top : node)
            return nil
        }
        packet.appendLabel(node, " -> \(decoded.count) bytes")
        return packet.addDataSource("Uncompressed entity body", decoded)
    }

    /// The media type as the `media_type` table key (lower-case), reusing the previous String
    /// when the type repeats.
    private func mediaTypeString(_ v: ByteView, _ range: Range<Int>) -> String {
        let cache = mediaTypeCache.bytes
        var same = cache.count == range.count
        if same {
            for (k, i) in range.enumerated() where cache[k] != MailText.lower(v[unchecked: i]) {
                same = false
                break
            }
        }
        if !same {
            mediaTypeCache.bytes = range.map { MailText.lower(v[unchecked: $0]) }
            mediaTypeCache.string = String(decoding: mediaTypeCache.bytes, as: UTF8.self)
        }
        return mediaTypeCache.string
    }

    /// tshark's `chunked_encoding_dissector`: the "HTTP chunked response" tree and the
    /// de-chunked bytes. Returns how many bytes the chunked body took (0: no chunk found).
    private func chunks(_ packet: inout PacketContext, _ v: ByteView, _ top: TreeNode) throws(Malformed)
        -> (consumed: Int, bytes: [UInt8])
    {
        let original = v.count
        let tree = packet.addText("HTTP chunked response", v, 0, original, parent: top)
        var bytes = [UInt8]()
        var offset = 0
        var left = original
        while left > 0 {
            guard let (lineLength, dataStart) = MailText.lineEnd(v, from: offset, to: v.count, desegment: true),
                  lineLength > 0
            else { break }
            // `strtol(…, 16)` into a guint32: not a number reads as 0 (the last chunk), a
            // negative number as a huge one; a size past the data is cut to it.
            let parsed = HTTPNumber.chunkSize(v, from: offset, to: offset + lineLength)
            var size = parsed.valid ? UInt64(UInt32(truncatingIfNeeded: parsed.negative ? 0 &- parsed.value : parsed.value)) : 0
            if size > UInt64(left) { size = UInt64(left) }
            let chunkSize = Int(size)
            try v.check(dataStart, chunkSize)
            bytes.append(contentsOf: v.buffer[dataStart..<(dataStart + chunkSize)])

            let itemLength = dataStart - offset + chunkSize + 2
            let chunkNode = packet.addText(chunkSize == 0 ? "End of chunked encoding" : "Data chunk (\(chunkSize) octets)",
                                           v, offset, min(itemLength, v.count - offset), parent: tree)
            packet.add(hf.chunkSize, v, offset, dataStart - offset, .uint(size), parent: chunkNode)
            if chunkSize > 0 {
                packet.add(hf.chunkData, v, dataStart, chunkSize, .bytes, parent: chunkNode)
                try v.check(dataStart + chunkSize, 2)
                packet.add(hf.chunkBoundary, v, dataStart + chunkSize, 2, .bytes, parent: chunkNode)
            }
            offset = dataStart + chunkSize + (chunkSize > 0 ? 2 : 0)
            left = v.count - offset

            if chunkSize == 0 {
                // RFC 9112 §7.1.2: trailer fields, then the final empty line.
                var trailerEnd = offset
                var trailerLength = 0
                var lastLength = -1
                repeat {
                    trailerLength = trailerEnd - offset
                    guard let (l, n) = MailText.lineEnd(v, from: trailerEnd, to: v.count, desegment: true) else {
                        lastLength = -1
                        break
                    }
                    lastLength = l
                    trailerEnd = n
                } while lastLength > 0
                if trailerLength > 0 {
                    let n = addASCII(&packet, hf.chunkedTrailerPart, v, offset, trailerLength, parent: tree)
                    if packet.buildsFullTree, !n.isNone {
                        packet.setLabel(n, MailLabel.fieldLabel(
                            name: "trailer-part", value: MailLabel.formatText(v, offset, trailerLength, asciiOnly: true)))
                    }
                    offset += trailerLength
                    left -= trailerLength
                }
                if lastLength == 0 {
                    packet.addFormatText(v, offset, trailerEnd - offset, parent: tree)
                    left -= trailerEnd - offset
                }
                break
            }
        }
        guard left < original else { return (0, bytes) }
        if tree.index >= 0 { packet.tree.records[Int(tree.index)].length = Int32(original - left) }
        return (original - left, bytes)
    }
}
