#if canImport(Glibc)
import Glibc
#endif

/// Buffered writer to a file descriptor (stdout by default). Printing a packet list never
/// makes a system call per line.
public final class OutputStream {
    private var buffer: [UInt8] = []
    private let fd: Int32
    private let limit: Int
    /// Flush after every packet (`-l`).
    public var lineBuffered = false
    public private(set) var failed = false

    /// Everything written, when created with `OutputStream.memory()` (tests).
    public private(set) var collected: [UInt8] = []
    private var inMemory = false

    public init(fd: Int32 = 1, bufferSize: Int = 1 << 16) {
        self.fd = fd
        self.limit = bufferSize
        buffer.reserveCapacity(bufferSize + 4096)
    }

    /// A stream that keeps its output in memory (`text`), for tests.
    public static func memory() -> OutputStream {
        let o = OutputStream(fd: -1)
        o.inMemory = true
        return o
    }

    /// The collected output of a memory stream.
    public var text: String {
        flush()
        return String(decoding: collected, as: UTF8.self)
    }

    deinit { flush() }

    @inlinable public func write(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    public func write(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    public func write(bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    public func write(byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= limit { flush() }
    }

    @usableFromInline func append(_ p: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: p)
        if buffer.count >= limit { flush() }
    }

    /// Appends a decimal number without building a String.
    public func writeDecimal(_ v: UInt64, width: Int = 0, zeroPad: Bool = false) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var n = v
        var len = 0
        withUnsafeMutableBytes(of: &digits) { p in
            repeat {
                p[23 - len] = 0x30 &+ UInt8(n % 10)
                n /= 10
                len += 1
            } while n > 0
            if width > len {
                for _ in 0..<(width - len) { buffer.append(zeroPad ? 0x30 : 0x20) }
            }
            buffer.append(contentsOf: p[(24 - len)...])
        }
        if buffer.count >= limit { flush() }
    }

    /// Appends `count` spaces.
    public func writeSpaces(_ count: Int) {
        if count > 0 { for _ in 0..<count { buffer.append(0x20) } }
    }

    /// Appends the dotted-quad form of an IPv4 address; returns the number of bytes written.
    @discardableResult
    public func writeIPv4(_ a: UInt32) -> Int {
        let before = buffer.count
        writeDecimal(UInt64(a >> 24)); buffer.append(0x2e)
        writeDecimal(UInt64((a >> 16) & 0xff)); buffer.append(0x2e)
        writeDecimal(UInt64((a >> 8) & 0xff)); buffer.append(0x2e)
        writeDecimal(UInt64(a & 0xff))
        return buffer.count - before
    }

    /// Number of bytes in the dotted-quad form of `a` (for padding before writing).
    public static func ipv4Length(_ a: UInt32) -> Int {
        func d(_ b: UInt32) -> Int { b >= 100 ? 3 : b >= 10 ? 2 : 1 }
        return d(a >> 24) + d((a >> 16) & 0xff) + d((a >> 8) & 0xff) + d(a & 0xff) + 3
    }

    /// Writes the buffer out.
    public func flush() {
        if inMemory {
            collected.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var off = 0
        while off < buffer.count && !failed {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                failed = true // EPIPE and friends: the reader went away
                break
            }
            off += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Ends a packet's output (flushes when line-buffered).
    public func endPacket() { if lineBuffered { flush() } }
}
