#if canImport(Glibc)
import Glibc
#endif

/// `--export-objects imf,DIR`: every mail message (each `imf` protocol item: an SMTP DATA/BDAT
/// message or an IMAP FETCH literal, reassembled) saved as `SUBJECT.eml`, as tshark 4.0 names them.
///
/// The bytes are the IMF item's own bytes (the reassembled message data source), the name is the
/// raw `Subject` header value — not RFC 2047-decoded, bytes above 0x7f as U+FFFD, as tshark reads
/// it with ENC_ASCII — plus ".eml", made safe as tshark's `eo_massage_str` does: the characters
/// `<>:"/\|?*` and control characters become `%xx` (so no path separator survives), the name is
/// cut to 255 bytes keeping the extension, and an existing file is never overwritten: "(1)",
/// "(2)"… go before the extension. Files are written as soon as a message is complete (memory
/// stays flat on large captures); the directory is created when the first one is.
public final class IMFExport {
    public let directory: String
    let imf: FieldID, subject: FieldID
    private var directoryReady = false
    private var directoryFailed = false
    /// Problems to report (tshark prints them on standard error and carries on).
    public private(set) var errors: [String] = []
    /// The file names written, in order (for tests and `-q` summaries).
    public private(set) var written: [String] = []

    public static let maxFileNameLength = 255

    public init(directory: String, registry: FieldRegistry) {
        self.directory = directory
        imf = registry.lookup("imf") ?? .textOnly
        subject = registry.lookup("imf.subject") ?? .textOnly
    }

    public var wantedFields: [FieldID] { [imf, subject].filter { $0 != .textOnly } }

    public func add(_ ctx: PacketContext) {
        guard imf != .textOnly, ctx.layers.contains(imf) else { return }
        var current: (source: Int16, offset: Int32, length: Int32)?
        var currentSubject: [UInt8]?
        func emit() {
            guard let m = current else { return }
            let buf = ctx.sources.bytes(Int(m.source))
            let lo = max(0, min(Int(m.offset), buf.count)), hi = min(buf.count, lo + Int(m.length))
            save(Array(buf[lo..<hi]), subject: currentSubject ?? [])
        }
        for r in ctx.tree.records {
            if r.field == imf {
                emit()
                current = (r.source, r.offset, r.length)
                currentSubject = nil
            } else if r.field == subject, current != nil, currentSubject == nil {
                let buf = ctx.sources.bytes(Int(r.source))
                let lo = max(0, min(Int(r.offset), buf.count)), hi = min(buf.count, lo + max(0, Int(r.length)))
                currentSubject = Array(buf[lo..<hi])
            }
        }
        emit()
    }

    /// The name tshark gives `subject` (duplicate number `dup` > 0 adds "(dup)").
    public static func fileName(subject: [UInt8], duplicate dup: Int = 0) -> [UInt8] {
        // ENC_ASCII: bytes above 0x7f become U+FFFD.
        var name: [UInt8] = []
        for b in subject + Array(".eml".utf8) {
            if b >= 0x80 {
                name += [0xef, 0xbf, 0xbd]
            } else if b < 0x20 || b == 0x7f || Array("<>:\"/\\|?*".utf8).contains(b) {
                // tshark's list stops at 0x1f; DEL is escaped too, so no name holds a control byte.
                let hex = Array("0123456789abcdef".utf8)
                name += [0x25, hex[Int(b >> 4)], hex[Int(b & 15)]]
            } else {
                name.append(b)
            }
        }
        let dot = name.lastIndex(of: 0x2e) ?? name.count
        var base = Array(name[..<dot])
        let ext = Array(name[dot...])
        let mark = dup > 0 ? Array("(\(dup))".utf8) : []
        let room = maxFileNameLength - ext.count - mark.count
        if base.count > room {
            base = Array(base[..<max(0, room)])
            // Never leave half a UTF-8 sequence at the cut.
            var lead = base.count - 1
            while lead >= 0, lead > base.count - 4, base[lead] & 0xc0 == 0x80 { lead -= 1 }
            if lead >= 0, base[lead] >= 0xc0 {
                let need = base[lead] >= 0xf0 ? 4 : base[lead] >= 0xe0 ? 3 : 2
                if base.count - lead < need { base.removeSubrange(lead...) }
            }
        }
        return base + mark + ext
    }

    private func prepareDirectory() -> Bool {
        if directoryReady { return true }
        if directoryFailed { return false }
        // mkdir -p: every prefix that ends before a '/', then the whole path.
        let chars = Array(directory.utf8)
        var prefixes: [String] = []
        for (i, c) in chars.enumerated() where c == 0x2f && i > 0 { prefixes.append(String(decoding: chars[..<i], as: UTF8.self)) }
        if !directory.isEmpty { prefixes.append(directory) }
        for path in prefixes where mkdir(path, 0o755) != 0 && errno != EEXIST {
            fail(errno)
            return false
        }
        var st = stat()
        guard !directory.isEmpty, stat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            fail(directory.isEmpty ? EINVAL : ENOTDIR)
            return false
        }
        directoryReady = true
        return true
    }

    private func fail(_ code: Int32) {
        directoryFailed = true
        errors.append("Failed to create export objects output directory \"\(directory)\": \(String(cString: strerror(code)))")
    }

    private func save(_ payload: [UInt8], subject: [UInt8]) {
        guard prepareDirectory() else { return }
        var dup = 0
        while dup < 1_000_000 {
            let name = Self.fileName(subject: subject, duplicate: dup)
            let path = directory + (directory.hasSuffix("/") ? "" : "/") + String(decoding: name, as: UTF8.self)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd < 0 {
                if errno == EEXIST { dup += 1; continue }
                errors.append("Failed to write \"\(path)\": \(String(cString: strerror(errno)))")
                return
            }
            var off = 0
            while off < payload.count {
                let n = payload.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, payload.count - off) }
                if n < 0 {
                    if errno == EINTR { continue }
                    errors.append("Failed to write \"\(path)\": \(String(cString: strerror(errno)))")
                    break
                }
                off += n
            }
            close(fd)
            written.append(String(decoding: name, as: UTF8.self))
            return
        }
    }

    /// Export objects print nothing; problems are reported through `errors`. As tshark, the
    /// directory is created even when the capture holds no message.
    public func render(columns _: Columns) -> String {
        _ = prepareDirectory()
        return ""
    }
}

extension IMFExport: StatisticTap {}
