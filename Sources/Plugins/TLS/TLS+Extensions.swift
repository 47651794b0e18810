import Crypto
import DissectKit

/// The numbers JA3/JA3S are made of (https://github.com/salesforce/ja3), gathered while the
/// hello is dissected; reused between packets.
struct TLSJA3Scratch {
    var version: UInt16 = 0
    var ciphers: [UInt16] = []
    var extensions: [UInt16] = []
    var groups: [UInt16] = []
    var pointFormats: [UInt8] = []

    mutating func reset(version: UInt16) {
        self.version = version
        ciphers.removeAll(keepingCapacity: true)
        extensions.removeAll(keepingCapacity: true)
        groups.removeAll(keepingCapacity: true)
        pointFormats.removeAll(keepingCapacity: true)
    }
}

extension TLSDissector {
    /// The extensions of a hello (or EncryptedExtensions, NewSessionTicket, CertificateRequest,
    /// Certificate entry in TLS 1.3): `message` is the handshake type (6 for a HelloRetryRequest).
    func extensions(_ packet: inout PacketContext, _ p: inout TLSBodyParser, _ parent: TreeNode,
                    _ s: inout TLSSession, message: UInt8, ja3: Bool = false) throws(Malformed) {
        let total = Int(try p.u16(&packet, hf.extensionsLength, parent))
        let end = min(p.data.count, p.offset + total)
        if p.offset + total > p.data.count {
            packet.addExpert(hf.eiMalformedVectorLength, parent: parent, p.data, p.offset - 2, 2)
        }
        while p.offset + 4 <= end {
            let o = p.offset
            let type = try p.data.u16(o)
            let len = Int(try p.data.u16(o + 2))
            if ja3 && !Self.isGREASE(type) { ja3Scratch.extensions.append(type) }
            let extLen = min(len, end - o - 4)
            let node = packet.addText(p.data, o, 4 + extLen, parent: parent) { b in
                b.append("Extension: ")
                b.append(TLSNames.extensionTypes[UInt64(type)] ?? "Unknown type \(type)")
                b.append(" (len=")
                b.appendDecimal(UInt64(len))
                b.append(")")
            }
            let ext = node.isNone ? parent : node
            packet.add(hf.extensionType, p.data, o, 2, .uint(UInt64(type)), parent: ext)
            packet.add(hf.extensionLength, p.data, o + 2, 2, .uint(UInt64(len)), parent: ext)
            p.offset = o + 4
            guard o + 4 + len <= end else {
                packet.addExpert(hf.eiMalformedVectorLength, parent: ext, p.data, o + 2, 2)
                p.offset = end
                break
            }
            let body = try p.data.slice(o + 4, len)
            var q = TLSBodyParser(dissector: self, data: body)
            do {
                try extensionBody(&packet, &q, ext, type: type, &s, message: message, ja3: ja3)
            } catch {
                packet.addExpert(hf.eiBufferTooSmall, parent: ext, body, 0, len)
            }
            p.offset = o + 4 + len
        }
        p.offset = end
    }

    private func extensionBody(_ packet: inout PacketContext, _ q: inout TLSBodyParser, _ ext: TreeNode,
                               type: UInt16, _ s: inout TLSSession, message: UInt8, ja3: Bool) throws(Malformed) {
        let len = q.data.count
        switch type {
        case 0 where len > 0:   // server_name (RFC 6066 §3)
            let t = packet.addText("Server Name Indication extension", q.data, 0, len, parent: ext)
            let sni = t.isNone ? ext : t
            let listLen = Int(try q.u16(&packet, hf.serverNameListLength, sni))
            let end = min(len, 2 + listLen)
            while q.offset + 3 <= end {
                _ = try q.u8(&packet, hf.serverNameType, sni)
                let n = Int(try q.u16(&packet, hf.serverNameLength, sni))
                try q.need(n)
                packet.add(hf.serverName, q.data, q.offset, n, .string, parent: sni)
                q.offset += n
            }
        case 1:                 // max_fragment_length
            _ = try q.u8(&packet, hf.maxFragmentLength, ext)
        case 5 where len > 0:   // status_request
            if message == 1 {
                _ = try q.u8(&packet, hf.statusRequestType, ext)
                _ = try q.u16(&packet, hf.statusRequestResponderIDsLength, ext)
                _ = try q.u16(&packet, hf.statusRequestExtsLength, ext)
            }
        case 10:                // supported_groups
            let l = Int(try q.u16(&packet, hf.supportedGroupsLength, ext))
            try q.need(l)
            let list = packet.add(hf.supportedGroups, q.data, q.offset, l, .none, parent: ext)
            if packet.buildsFullTree {
                packet.setLabel(list, "Supported Groups (\(l / 2) group\(l / 2 == 1 ? "" : "s"))")
            }
            let end = q.offset + l
            while q.offset + 2 <= end {
                let g = try q.u16(&packet, hf.supportedGroup, list)
                if ja3 && !Self.isGREASE(g) { ja3Scratch.groups.append(g) }
            }
        case 11:                // ec_point_formats
            let l = Int(try q.u8(&packet, hf.ecPointFormatsLength, ext))
            try q.need(l)
            let list = packet.add(hf.ecPointFormats, q.data, q.offset, l, .none, parent: ext)
            if packet.buildsFullTree { packet.setLabel(list, "Elliptic curves point formats (\(l))") }
            for _ in 0..<l {
                let f = try q.u8(&packet, hf.ecPointFormat, list)
                if ja3 { ja3Scratch.pointFormats.append(f) }
            }
        case 13, 50:            // signature_algorithms, signature_algorithms_cert
            try sigAlgList(&packet, &q, ext)
        case 16:                // application_layer_protocol_negotiation (RFC 7301)
            let l = Int(try q.u16(&packet, hf.alpnLength, ext))
            try q.need(l)
            let list = packet.add(hf.alpnList, q.data, q.offset, l, .none, parent: ext)
            let end = q.offset + l
            while q.offset < end {
                let n = Int(try q.u8(&packet, hf.alpnStringLength, list))
                try q.need(n)
                packet.add(hf.alpnString, q.data, q.offset, n, .string, parent: list)
                q.offset += n
            }
        case 18 where len > 0:  // signed_certificate_timestamp (RFC 6962)
            try scts(&packet, &q, ext)
        case 21:                // padding
            try q.bytes(&packet, hf.paddingData, len, ext)
        case 28:                // record_size_limit (RFC 8449)
            _ = try q.u16(&packet, hf.recordSizeLimit, ext)
        case 35:                // session_ticket
            let n = packet.add(hf.extensionData, q.data, 0, len, .bytes, parent: ext)
            if packet.buildsFullTree, len == 0 { packet.setLabel(n, "Data (0 bytes)") }
        case 41:                // pre_shared_key (RFC 8446 §4.2.11)
            let t = packet.addText("Pre-Shared Key extension", q.data, 0, len, parent: ext)
            let psk = t.isNone ? ext : t
            if message == 2 {
                _ = try q.u16(&packet, hf.pskSelected, psk)
            } else {
                let idsLen = Int(try q.u16(&packet, hf.pskIdentitiesLength, psk))
                let idsEnd = q.offset + idsLen
                while q.offset + 2 <= idsEnd {
                    let il = Int(try q.data.u16(q.offset))
                    let it = packet.addText("PSK Identity (length: \(il))", q.data, q.offset, 2 + il + 4, parent: psk)
                    let ip = it.isNone ? psk : it
                    _ = try q.u16(&packet, hf.pskIdentityLength, ip)
                    try q.bytes(&packet, hf.pskIdentity, il, ip)
                    _ = try q.u32(&packet, hf.pskTicketAge, ip)
                }
                q.offset = idsEnd
                let bLen = Int(try q.u16(&packet, hf.pskBindersLength, psk))
                try q.need(bLen)
                let binders = packet.add(hf.pskBinders, q.data, q.offset, bLen, .none, parent: psk)
                if packet.buildsFullTree { packet.setLabel(binders, "PSK Binders") }
                let bEnd = q.offset + bLen
                while q.offset < bEnd {
                    let l = Int(try q.u8(&packet, hf.pskBinderLength, binders))
                    try q.bytes(&packet, hf.pskBinder, l, binders)
                }
            }
        case 42:                // early_data
            if message == 4 {
                _ = try q.u32(&packet, hf.maxEarlyDataSize, ext)
            } else if message == 1 {
                s.hasEarlyData = true
                s.version = 0x0304
            }
        case 43:                // supported_versions
            if message == 1 {
                let l = Int(try q.u8(&packet, hf.supportedVersionsLength, ext))
                let end = min(len, 1 + l)
                while q.offset + 2 <= end { _ = try q.u16(&packet, hf.supportedVersion, ext) }
            } else {
                _ = try q.u16(&packet, hf.supportedVersion, ext)
            }
        case 44:                // cookie
            let l = Int(try q.u16(&packet, hf.cookieLength, ext))
            try q.bytes(&packet, hf.cookie, l, ext)
        case 45:                // psk_key_exchange_modes
            let l = Int(try q.u8(&packet, hf.pskKEModesLength, ext))
            for _ in 0..<l { _ = try q.u8(&packet, hf.pskKEMode, ext) }
        case 51:                // key_share (RFC 8446 §4.2.8)
            let t = packet.addText("Key Share extension", q.data, 0, len, parent: ext)
            let ks = t.isNone ? ext : t
            if message == 6 {
                _ = try q.u16(&packet, hf.keyShareSelectedGroup, ks)
            } else if message == 2 {
                try keyShareEntry(&packet, &q, ks)
            } else {
                let l = Int(try q.u16(&packet, hf.keyShareClientLength, ks))
                let end = min(len, 2 + l)
                while q.offset + 4 <= end { try keyShareEntry(&packet, &q, ks) }
            }
        case 65281:             // renegotiation_info (RFC 5746)
            let t = packet.addText("Renegotiation Info extension", q.data, 0, len, parent: ext)
            let ri = t.isNone ? ext : t
            let l = Int(try q.u8(&packet, hf.renegInfoLength, ri))
            if l > 0 { try q.bytes(&packet, hf.renegInfo, l, ri) }
        default:
            if len > 0 { packet.add(hf.extensionData, q.data, 0, len, .bytes, parent: ext) }
        }
    }

    private func keyShareEntry(_ packet: inout PacketContext, _ q: inout TLSBodyParser, _ parent: TreeNode) throws(Malformed) {
        let group = try q.data.u16(q.offset)
        let kLen = Int(try q.data.u16(q.offset + 2))
        let t = packet.addText(q.data, q.offset, 4 + kLen, parent: parent) { b in
            b.append("Key Share Entry: Group: ")
            b.append(TLSNames.supportedGroups[UInt64(group)] ?? "Unknown")
            b.append(", Key Exchange length: ")
            b.appendDecimal(UInt64(kLen))
        }
        let e = t.isNone ? parent : t
        _ = try q.u16(&packet, hf.keyShareGroup, e)
        _ = try q.u16(&packet, hf.keyShareExchangeLength, e)
        try q.bytes(&packet, hf.keyShareExchange, kLen, e)
    }

    private func scts(_ packet: inout PacketContext, _ q: inout TLSBodyParser, _ parent: TreeNode) throws(Malformed) {
        let l = Int(try q.u16(&packet, hf.sctListLength, parent))
        let end = min(q.data.count, 2 + l)
        while q.offset + 2 <= end {
            let sl = Int(try q.data.u16(q.offset))
            let t = packet.addText("Signed Certificate Timestamp", q.data, q.offset, 2 + sl, parent: parent)
            let e = t.isNone ? parent : t
            let sctEnd = q.offset + 2 + sl
            _ = try q.u16(&packet, hf.sctLength, e)
            _ = try q.u8(&packet, hf.sctVersion, e)
            try q.bytes(&packet, hf.sctLogID, 32, e)
            let ms = try q.data.u64(q.offset)
            packet.add(hf.sctTimestamp, q.data, q.offset, 8,
                       .absoluteTime(Timestamp(seconds: Int64(ms / 1000), nanoseconds: Int32(ms % 1000) * 1_000_000)),
                       parent: e)
            q.offset += 8
            let el = Int(try q.u16(&packet, hf.sctExtensionsLength, e))
            q.offset += el
            try sigAlg(&packet, &q, e)
            let sigl = Int(try q.u16(&packet, hf.sctSignatureLength, e))
            try q.bytes(&packet, hf.sctSignature, sigl, e)
            q.offset = sctEnd
        }
    }

    // MARK: JA3

    /// Adds "[JA3 Fullstring: …]" and "[JA3: md5]" (or JA3S) from `ja3Scratch`.
    func addJA3(_ packet: inout PacketContext, _ parent: TreeNode, server: Bool) {
        var text: [UInt8] = []
        text.reserveCapacity(256)
        func num(_ v: UInt64) { text.append(contentsOf: String(v).utf8) }
        func list<T: BinaryInteger>(_ a: [T]) {
            for (i, v) in a.enumerated() {
                if i > 0 { text.append(0x2d) }
                num(UInt64(v))
            }
        }
        num(UInt64(ja3Scratch.version))
        text.append(0x2c)
        list(ja3Scratch.ciphers)
        text.append(0x2c)
        list(ja3Scratch.extensions)
        if !server {
            text.append(0x2c)
            list(ja3Scratch.groups)
            text.append(0x2c)
            list(ja3Scratch.pointFormats)
        }
        let full = String(decoding: text, as: UTF8.self)
        let digest = MD5.hex(text)
        packet.addGenerated(server ? hf.ja3sFull : hf.ja3Full, packet.text(full), parent: parent)
        packet.addGenerated(server ? hf.ja3s : hf.ja3, packet.text(digest), parent: parent)
    }
}

/// MD5 (swift-crypto's `Insecure.MD5`), only for the JA3 fingerprints tshark shows.
enum MD5 {
    static func hex(_ message: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for byte in Insecure.MD5.hash(data: message) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Public face of the JA3 digest, for tests.
public enum TLSFingerprint {
    public static func md5Hex(_ bytes: [UInt8]) -> String { MD5.hex(bytes) }
}
