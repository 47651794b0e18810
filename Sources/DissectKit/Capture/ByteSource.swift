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
/// `read(n)` returns a pointer into the buffer valid until the next call; the buffer only
/// grows when a single record is larger than it. No per-packet allocation.
public final class ByteSource {
    public let path: String
    private let fd: Int32
    private var gz: UnsafeMutablePointer<z_stream>?
    private var gzInput: UnsafeMutableRawPointer?
    private static let gzInputSize = 1 << 18
    private var gzEnded = false

    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0   // first unread byte
    private var end = 0     // one past the last valid byte
    private var eof = false
    /// Bytes consumed before `buffer[start]` (for error positions).
    public private(set) var position: Int = 0

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
        capacity = 1 << 20
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        if fd >= 0 && fd != 0 { close(fd) }
        if let gz {
            inflateEnd(gz)
            gz.deallocate()
        }
        gzInput?.deallocate()
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
                throw CaptureError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
            var st = stat()
            if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw CaptureError.cannotOpen(path: path, reason: "Is a directory")
            }
        }
        let s = ByteSource(path: path, fd: fd)
        try s.fillRaw(minimum: 2)
        if s.end - s.start >= 2 && s.buffer.load(fromByteOffset: s.start, as: UInt8.self) == 0x1f
            && s.buffer.load(fromByteOffset: s.start + 1, as: UInt8.self) == 0x8b {
            try s.startGzip()
        }
        return s
    }

    private func startGzip() throws(CaptureError) {
        // Move the raw bytes already read into the inflater's input.
        let input = UnsafeMutableRawPointer.allocate(byteCount: Self.gzInputSize, alignment: 16)
        let have = end - start
        input.copyMemory(from: buffer + start, byteCount: have)
        gzInput = input
        let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        z.initialize(to: z_stream())
        z.pointee.next_in = input.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_in = uInt(have)
        // 15 + 32: zlib or gzip header, detected automatically.
        let rc = inflateInit2_(z, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            z.deallocate()
            throw CaptureError.readError(path: path, reason: "zlib initialisation failed")
        }
        gz = z
        start = 0
        end = 0
        eof = false
    }

    /// Reads raw bytes from the descriptor into the buffer until at least `minimum` are available.
    private func fillRaw(minimum: Int) throws(CaptureError) {
        while end - start < minimum && !eof {
            compactIfNeeded(minimum)
            let n = Glibc.read(fd, buffer + end, capacity - end)
            if n < 0 {
                if errno == EINTR { continue }
                throw CaptureError.readError(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { eof = true } else { end += n }
        }
    }

    private func compactIfNeeded(_ minimum: Int) {
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

    private func fillGzip(minimum: Int) throws(CaptureError) {
        guard let z = gz, let input = gzInput else { return }
        while end - start < minimum && !eof {
            compactIfNeeded(minimum)
            if z.pointee.avail_in == 0 && !gzEnded {
                let n = Glibc.read(fd, input, Self.gzInputSize)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CaptureError.readError(path: path, reason: String(cString: strerror(errno)))
                }
                if n == 0 { gzEnded = true } else {
                    z.pointee.next_in = input.assumingMemoryBound(to: Bytef.self)
                    z.pointee.avail_in = uInt(n)
                }
            }
            z.pointee.next_out = (buffer + end).assumingMemoryBound(to: Bytef.self)
            z.pointee.avail_out = uInt(capacity - end)
            let before = z.pointee.avail_out
            let rc = inflate(z, Z_NO_FLUSH)
            end += Int(before - z.pointee.avail_out)
            if rc == Z_STREAM_END {
                // Concatenated gzip members: continue with the next one, if any.
                if z.pointee.avail_in > 0 || !gzEnded {
                    inflateReset(z)
                    if z.pointee.avail_in == 0 {
                        let n = Glibc.read(fd, input, Self.gzInputSize)
                        if n <= 0 { gzEnded = true; eof = true; continue }
                        z.pointee.next_in = input.assumingMemoryBound(to: Bytef.self)
                        z.pointee.avail_in = uInt(n)
                    }
                } else {
                    eof = true
                }
            } else if rc == Z_BUF_ERROR {
                if gzEnded && z.pointee.avail_in == 0 {
                    // Input ended mid-stream: a truncated .gz file.
                    eof = true
                    truncatedCompressed = true
                }
            } else if rc != Z_OK {
                eof = true
                truncatedCompressed = true
                compressionError = rc == Z_DATA_ERROR ? "invalid compressed data" : "decompression error \(rc)"
            }
        }
    }

    /// True when a gzip stream ended early or was corrupt.
    public private(set) var truncatedCompressed = false
    public private(set) var compressionError: String?
    public var isCompressed: Bool { gz != nil }

    private func fill(_ minimum: Int) throws(CaptureError) {
        if gz != nil { try fillGzip(minimum: minimum) } else { try fillRaw(minimum: minimum) }
    }

    /// Up to `n` bytes without consuming them (fewer only at the end of the file).
    public func peek(_ n: Int) throws(CaptureError) -> [UInt8] {
        try fill(n)
        let k = min(n, end - start)
        return Array(UnsafeRawBufferPointer(start: buffer + start, count: k))
    }

    /// Exactly `n` bytes, consumed; nil when fewer remain (then `remaining` tells how many).
    public func read(_ n: Int) throws(CaptureError) -> UnsafeRawBufferPointer? {
        if end - start < n { try fill(n) }
        guard end - start >= n else { return nil }
        let p = UnsafeRawBufferPointer(start: buffer + start, count: n)
        start += n
        position += n
        return p
    }

    /// Bytes left in the buffer after a short read (0 at a clean end of file).
    public var remaining: Int { end - start }

    /// Skips `n` bytes; false when the file ends first.
    public func skip(_ n: Int) throws(CaptureError) -> Bool {
        var left = n
        while left > 0 {
            if end - start == 0 { try fill(1) }
            let k = min(left, end - start)
            if k == 0 { return false }
            start += k
            position += k
            left -= k
        }
        return true
    }
}
