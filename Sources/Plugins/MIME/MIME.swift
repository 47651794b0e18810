import DissectKit

/// MIME bodies: the `media_type` table and the three dissectors tshark puts behind it for mail —
/// `mime_multipart` (RFC 2046 §5.1), `data-text-lines` ("Line-based text data") and the `media`
/// fallback ("Media Type").
///
/// IMF and multipart hand a body on with `MediaDissector.dispatch`, which carries the content
/// type and its parameters to the callee (tshark's `match_string` + `media_content_info_t`).
public enum MIMEPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let media = MediaDissector(r)
        let mediaHandle = r.handle(media.proto, media)
        media.handle = mediaHandle
        r.registerDissector("media", mediaHandle)

        let lines = TextLinesDissector(r, media: media)
        let linesHandle = r.handle(lines.proto, lines)
        r.registerDissector("data-text-lines", linesHandle)
        media.textLines = lines

        let multipart = MultipartDissector(r, media: media)
        multipart.removeBase64 = r.preference(
            "mime_multipart", "remove_base64_encoding",
            title: "Remove any base64 content-transfer encoding from bodies. This supports export of the body and its "
                + "further dissection.", .bool, default: "FALSE")
        let multipartHandle = r.handle(multipart.hf.proto, multipart)
        r.registerDissector("mime_multipart", multipartHandle)

        let table = r.table("media_type", uiName: "Internet media type")
        media.table = table
        // packet-text-media.c's registrations (tshark 4.0).
        for t in TextLinesDissector.mediaTypes { table.add(t, linesHandle) }
        // packet-multipart.c's registrations.
        for t in MultipartDissector.mediaTypes { table.add(t, multipartHandle) }
    }
}

/// What a `media_type` dispatch passes to the dissector it calls.
struct MediaCall {
    /// The content type ("text/plain"; multipart lower-cases it, IMF passes it as written):
    /// tshark's `pinfo->match_string`.
    var type: String
    /// The parameters after the first `;` of the Content-Type value, as the caller has them.
    var parameters: [UInt8]?
    /// Content-Transfer-Encoding of the body, lower-cased ("base64"), when known.
    var transferEncoding: String?
}

/// The `media` protocol ("Media Type") and the `media_type` dispatcher.
final class MediaDissector: Dissector {
    var proto = FieldID.textOnly
    var hfType = FieldID.textOnly
    var table: DissectorTable!
    /// This dissector's own handle (for the fallback call).
    var handle: DissectorHandle!
    weak var textLines: TextLinesDissector?
    /// The call being made, read by the callee as it starts (dispatches never interleave).
    var current: MediaCall?
    /// Nesting depth of message/multipart bodies, to bound recursion on hostile input.
    var depth = 0
    static let maxDepth = 16

    init(_ r: Registrar) {
        proto = r.registerProtocol(name: "Media Type", shortName: "Media", abbrev: "media")
        hfType = r.field("Media type", "media.type", .bytes, in: proto)
    }

    /// Looks `call.type` up in `media_type` and calls the dissector found. When none takes the
    /// body, `fallback` shows it as "Media Type" (multipart does this; IMF does not).
    /// Returns true when something dissected the body.
    @discardableResult
    func dispatch(_ packet: inout PacketContext, _ call: MediaCall, _ data: ByteView, parent: TreeNode,
                  fallback: Bool) -> Bool {
        guard depth < Self.maxDepth else { return false }
        depth += 1
        defer { depth -= 1 }
        // `media_type` is case-insensitive (tshark lower-cases the key, the callee sees it as given).
        let key = call.type.utf8.contains { $0 >= 0x41 && $0 <= 0x5a } ? call.type.lowercased() : call.type
        if let h = table.lookup(key) {
            current = call
            let r = packet.call(h, data, parent: parent)
            current = nil
            if r != .notMine { return true }
        }
        if fallback {
            current = call
            _ = packet.call(handle, data, parent: parent)
            current = nil
            return true
        }
        return false
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let call = current
        current = nil
        let top = packet.addProtocol(proto, data, 0, data.count, parent: parent)
        let name = call?.type
        if let name {
            packet.info.appendSeparator(" ")
            packet.info.appendCapped("(")
            packet.info.appendCapped(name)
            packet.info.appendCapped(")")
        }
        let node = packet.add(hfType, data, 0, data.count, .bytes, parent: top)
        if packet.buildsFullTree, !node.isNone {
            var text = "Media type: " + (name ?? "")
            if let p = call?.parameters { text += "; " + String(decoding: p, as: UTF8.self) }
            text += " (\(data.count) bytes)"
            packet.setLabel(node, text)
        }
        return .consumed(data.count)
    }
}

/// `data-text-lines` ("Line-based text data"): a body shown line by line.
final class TextLinesDissector: Dissector {
    var proto = FieldID.textOnly
    unowned let media: MediaDissector

    /// The media types tshark 4.0 gives to this dissector.
    static let mediaTypes = [
        "text/plain", "text/richtext", "text/enriched", "text/parameters", "text/html",
        "text/xml-external-parsed-entity", "text/css", "application/xml-external-parsed-entity",
        "text/javascript", "application/x-javascript", "application/x-tia-p25-issi",
        "application/x-tia-p25-sndcp", "application/x-ns-proxy-autoconfig",
        "text/vnd.sun.j2me.app-descriptor", "application/vnd.poc.refer-to", "application/vnd.drm.message",
        "application/x-wms-logplaystats", "application/x-rtsp-udp-packetpair",
    ]

    init(_ r: Registrar, media: MediaDissector) {
        self.media = media
        proto = r.registerProtocol(name: "Line-based text data", shortName: "Line-based text data",
                                   abbrev: "data-text-lines")
    }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        let call = media.current
        media.current = nil
        dissectLines(&packet, data, parent: parent, name: call?.type)
        return .consumed(data.count)
    }

    /// "Line-based text data: text/plain (7 lines)" with one text line per body line; the
    /// name (when given) is also appended to Info as " (text/plain)".
    @discardableResult
    func dissectLines(_ packet: inout PacketContext, _ data: ByteView, parent: TreeNode, name: String?) -> TreeNode {
        if let name {
            packet.info.appendSeparator(" ")
            packet.info.appendCapped("(")
            packet.info.appendCapped(name)
            packet.info.appendCapped(")")
        }
        let top = packet.addProtocol(proto, data, 0, data.count, parent: parent)
        guard packet.buildsFullTree, !top.isNone else { return top }
        var lines = 0
        var offset = 0
        while offset < data.count {
            let (_, next) = MailText.lineEnd(data, from: offset)
            packet.addFormatText(data, offset, next - offset, parent: top)
            lines += 1
            offset = next
        }
        packet.setLabel(top) { b in
            b.append("Line-based text data")
            if let name {
                b.append(": ")
                b.append(name)
            }
            b.append(" (")
            b.appendDecimal(lines)
            b.append(" lines)")
        }
        return top
    }
}
