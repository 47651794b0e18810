#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Sequential bytes of a (possibly gzip-compressed) file through one large reused buffer.
///
/// `peek(upTo:)` returns a pointer into the buffer, valid until the next `peek`/`consume`; the
/// buffer only grows when a single record is larger than it. No per-packet allocation.
///
/// Like wiretap's file_wrappers, every byte that could be read or inflated is delivered before an
/// error: a corrupt or cut gzip stream, or a failing `read(2)`, shows up only when a reader asks
/// for bytes past that point (`shortfall()`).
public final class ByteSource {
    public let path: String
    private let fd: Int32

    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0   // first unconsumed byte
    private var end = 0     // one past the last valid byte
    /// No more bytes will ever be appended to the buffer.
    private var eof = false
    /// Bytes consumed so far (offset of `buffer[start]` in the uncompressed stream).
    public private(set) var position: Int = 0

    /// True while the reader is still opening the file (file header, pcapng SHB and first IDBs):
    /// tshark words a short read differently then.
    public var opening = true

    // gzip state
    private enum Mode { case raw, inflating, passthrough }
    private var mode = Mode.raw
    private var z: UnsafeMutablePointer<z_stream>?
    private var zIn: UnsafeMutableRawPointer?
    private var zInCapacity = 0
    private var rawEOF = false

    /// Why the stream stopped early, reported once the bytes before it are used up.
    private enum Failure { case decompress(String), read(String) }
    private var failure: Failure?
    /// The compressed stream ended before its end (no gzip trailer): a short read for tshark.
    public private(set) var truncatedStream = false

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
        capacity = 1 << 20
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        if fd > 0 { close(fd) }
        if let z {
            inflateEnd(z)
            z.deallocate()
        }
        zIn?.deallocate()
        buffer.deallocate()
    }

    /// Opens `path` ("-" is standard input); detects gzip by its magic.
    public static func open(path: String) throws(CaptureError) -> ByteSource {
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            fd = Glibc.open(path, O_RDONLY)
            if fd < 0 {
                let e = errno
                switch e {
                case ENOENT: throw CaptureError.notFound(path: path)
                case EACCES, EPERM: throw CaptureError.permissionDenied(path: path)
                case EISDIR: throw CaptureError.isDirectory(path: path)
                default: throw CaptureError.cannotOpen(path: path, reason: String(cString: strerror(e)))
                }
            }
            var st = stat()
            if fstat(fd, &st) == 0 {
                let kind = st.st_mode & S_IFMT
                if kind == S_IFDIR {
                    close(fd)
                    throw CaptureError.isDirectory(path: path)
                }
                // wiretap refuses devices and sockets; pipes (FIFOs) are read like standard input.
                if kind != S_IFREG && kind != S_IFIFO {
                    close(fd)
                    throw CaptureError.notRegularFile(path: path)
                }
            }
        }
        let s = ByteSource(path: path, fd: fd)
        s.fillRaw(minimum: 2)
        if s.end - s.start >= 2 && s.buffer.load(fromByteOffset: s.start, as: UInt8.self) == 0x1f
            && s.buffer.load(fromByteOffset: s.start + 1, as: UInt8.self) == 0x8b {
            try s.startGzip()
        }
        return s
    }

    private func startGzip() throws(CaptureError) {
        // The raw bytes already read become the inflater's first input; they may exceed the
        // usual input block, so size for both.
        let have = end - start
        zInCapacity = max(1 << 18, have)
        let input = UnsafeMutableRawPointer.allocate(byteCount: zInCapacity, alignment: 16)
        input.copyMemory(from: buffer + start, byteCount: have)
        zIn = input
        let zs = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        zs.initialize(to: z_stream())
        zs.pointee.next_in = input.assumingMemoryBound(to: Bytef.self)
        zs.pointee.avail_in = uInt(have)
        // 15 + 16: gzip wrapper only (header, CRC-32 and length checked by zlib).
        let rc = inflateInit2_(zs, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            zs.deallocate()
            throw CaptureError.decompress(path: path, detail: "zlib initialisation failed", atOpen: true)
        }
        z = zs
        mode = .inflating
        start = 0
        end = 0
        eof = false
    }

    // MARK: filling the buffer

    private func fill(_ minimum: Int) {
        while end - start < minimum && !eof {
            switch mode {
            case .raw, .passthrough: fillRaw(minimum: minimum)
            case .inflating: fillInflated(minimum: minimum)
            }
        }
    }

    /// Reads raw bytes from the descriptor into the buffer until at least `minimum` are available.
    private func fillRaw(minimum: Int) {
        while end - start < minimum && !eof {
            makeRoom(minimum)
            let n = Glibc.read(fd, buffer + end, capacity - end)
            if n < 0 {
                if errno == EINTR { continue }
                failure = .read(String(cString: strerror(errno)))
                eof = true
            } else if n == 0 {
                eof = true
            } else {
                end += n
            }
        }
    }

    /// Makes sure `minimum` unconsumed bytes fit, and that there is room to append.
    private func makeRoom(_ minimum: Int) {
        if capacity - start < minimum {
            var newCap = capacity
            while newCap < minimum * 2 { newCap *= 2 }
            let nb = UnsafeMutableRawPointer.allocate(byteCount: newCap, alignment: 16)
            nb.copyMemory(from: buffer + start, byteCount: end - start)
            buffer.deallocate()
            buffer = nb
            capacity = newCap
            end -= start
            start = 0
        } else if capacity - end < max(minimum - (end - start), 65536) && start > 0 {
            let live = end - start
            if live > 0 { memmove(buffer, buffer + start, live) }
            start = 0
            end = live
        }
    }

    /// More compressed input; false at the end of the file (or on a read error).
    private func refillInput() -> Bool {
        guard let zs = z, let input = zIn, !rawEOF else { return false }
        while true {
            let n = Glibc.read(fd, input, zInCapacity)
            if n < 0 {
                if errno == EINTR { continue }
                failure = .read(String(cString: strerror(errno)))
                rawEOF = true
                return false
            }
            if n == 0 {
                rawEOF = true
                return false
            }
            zs.pointee.next_in = input.assumingMemoryBound(to: Bytef.self)
            zs.pointee.avail_in = uInt(n)
            return true
        }
    }

    private func fillInflated(minimum: Int) {
        guard let zs = z else { eof = true; return }
        while end - start < minimum && !eof {
            makeRoom(minimum)
            if zs.pointee.avail_in == 0 && !refillInput() {
                // Input ended before the gzip trailer: the file was cut.
                if failure == nil { truncatedStream = true }
                eof = true
                return
            }
            zs.pointee.next_out = (buffer + end).assumingMemoryBound(to: Bytef.self)
            zs.pointee.avail_out = uInt(capacity - end)
            let before = zs.pointee.avail_out
            let rc = inflate(zs, Z_NO_FLUSH)
            end += Int(before - zs.pointee.avail_out)
            switch rc {
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress with input and room left would loop forever: call it corrupt.
                if zs.pointee.avail_in > 0 && before == zs.pointee.avail_out {
                    failure = .decompress("decompression error")
                    eof = true
                }
            case Z_STREAM_END:
                nextMember(zs)
            default:
                failure = .decompress(Self.zlibMessage(zs))
                eof = true
            }
        }
    }

    /// After a gzip member: another member follows, or the rest of the file is taken as it is,
    /// or the file ends.
    private func nextMember(_ zs: UnsafeMutablePointer<z_stream>) {
        if zs.pointee.avail_in == 0 && !refillInput() {
            eof = true
            return
        }
        if zs.pointee.avail_in < 2 {
            // Keep the odd byte: move it to the front of the input and read more behind it.
            let first = zs.pointee.next_in.pointee
            if let input = zIn {
                input.storeBytes(of: first, as: UInt8.self)
                let n = rawEOF ? 0 : Glibc.read(fd, input + 1, zInCapacity - 1)
                if n <= 0 { rawEOF = true }
                zs.pointee.next_in = input.assumingMemoryBound(to: Bytef.self)
                zs.pointee.avail_in = uInt(1 + max(n, 0))
            }
        }
        let p = zs.pointee.next_in!
        if zs.pointee.avail_in >= 2 && p[0] == 0x1f && p[1] == 0x8b {
            inflateReset(zs)
            return
        }
        // Not gzip: the remaining bytes are data as they are.
        let n = Int(zs.pointee.avail_in)
        makeRoom(n)
        (buffer + end).copyMemory(from: UnsafeRawPointer(p), byteCount: n)
        end += n
        zs.pointee.avail_in = 0
        mode = rawEOF ? .raw : .passthrough
        if rawEOF { eof = true }
    }

    /// zlib's complaint in wiretap's words where they differ.
    private static func zlibMessage(_ zs: UnsafeMutablePointer<z_stream>) -> String {
        guard let m = zs.pointee.msg else { return "decompression error" }
        let s = String(cString: m)
        switch s {
        case "incorrect data check": return "bad CRC"
        case "incorrect length check": return "length field wrong"
        case "unknown header flags set": return "reserved flag bits set"
        default: return s
        }
    }

    // MARK: reading

    /// Up to `n` bytes without consuming them: fewer only when the file (or the readable part of
    /// a damaged stream) ends first.
    public func peek(upTo n: Int) throws(CaptureError) -> UnsafeRawBufferPointer {
        if end - start < n { fill(n) }
        return UnsafeRawBufferPointer(start: buffer + start, count: min(n, end - start))
    }

    /// Consumes `n` bytes (at most what the last `peek` returned).
    public func consume(_ n: Int) {
        let k = min(n, end - start)
        start += k
        position += k
    }

    /// Exactly `n` bytes, consumed; nil when fewer remain.
    public func read(_ n: Int) throws(CaptureError) -> UnsafeRawBufferPointer? {
        if end - start < n { fill(n) }
        guard end - start >= n else { return nil }
        let p = UnsafeRawBufferPointer(start: buffer + start, count: n)
        start += n
        position += n
        return p
    }

    /// Bytes left in the buffer after a short read (0 at the end of the file).
    public var remaining: Int { end - start }

    /// True when no byte is left and the stream ended normally (not cut, not corrupt).
    public var endedCleanly: Bool { end == start && eof && failure == nil && !truncatedStream }

    /// The error for a read that could not be satisfied: the decompression or I/O error that
    /// stopped the stream, else a short read.
    public func shortfall() -> CaptureError {
        switch failure {
        case .decompress(let d)?: return .decompress(path: path, detail: d, atOpen: opening)
        case .read(let r)?: return .readError(path: path, reason: r)
        case nil: return .shortRead(path: path, atOpen: opening)
        }
    }

    public var isCompressed: Bool { z != nil }
}
