#if canImport(Glibc)
import Glibc
#endif

/// Buffered writer to a file descriptor (stdout by default). Printing a packet list never
/// makes a system call per line.
///
/// Printers that format a lot (`-V`, `-T json/ek`) write straight into `sink` and call
/// `commit()` when a unit of output is complete; the buffer is written out once it holds
/// `bufferSize` bytes.
public final class OutputStream {
    /// The pending output. Write into it directly, then `commit()`.
    public let sink: TextBuffer
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
        sink = TextBuffer(capacity: bufferSize + 8192)
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
        sink.append(s)
        commit()
    }

    public func write(_ s: StaticString) {
        sink.append(s)
        commit()
    }

    public func write(bytes: [UInt8]) {
        sink.append(bytes)
        commit()
    }

    public func write(bytes: UnsafeRawBufferPointer) {
        sink.append(bytes)
        commit()
    }

    public func write(byte: UInt8) {
        sink.append(byte)
        commit()
    }

    /// Writes the buffer out once it is full.
    @inlinable public func commit() {
        if sink.count >= limitValue { flush() }
    }

    @usableFromInline var limitValue: Int { limit }

    /// Appends a decimal number without building a String.
    public func writeDecimal(_ v: UInt64, width: Int = 0, zeroPad: Bool = false) {
        if width > 0 {
            var len = 1
            var t = v / 10
            while t > 0 { t /= 10; len += 1 }
            if width > len {
                if zeroPad {
                    sink.appendDecimal(v, zeroPadded: width)
                    commit()
                    return
                }
                sink.appendSpaces(width - len)
            }
        }
        sink.appendDecimal(v)
        commit()
    }

    /// Appends `count` spaces.
    public func writeSpaces(_ count: Int) { sink.appendSpaces(count) }

    /// Appends the dotted-quad form of an IPv4 address; returns the number of bytes written.
    @discardableResult
    public func writeIPv4(_ a: UInt32) -> Int {
        let before = sink.count
        sink.appendIPv4(a)
        return sink.count - before
    }

    /// Number of bytes in the dotted-quad form of `a` (for padding before writing).
    public static func ipv4Length(_ a: UInt32) -> Int {
        func d(_ b: UInt32) -> Int { b >= 100 ? 3 : b >= 10 ? 2 : 1 }
        return d(a >> 24) + d((a >> 16) & 0xff) + d((a >> 8) & 0xff) + d(a & 0xff) + 3
    }

    /// Writes the buffer out.
    public func flush() {
        if inMemory {
            collected.append(contentsOf: sink.bytes)
            sink.removeAll()
            return
        }
        var off = 0
        let b = sink.bytes
        while off < b.count && !failed {
            let n = Glibc.write(fd, b.baseAddress! + off, b.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                failed = true // EPIPE and friends: the reader went away
                break
            }
            off += n
        }
        sink.removeAll()
    }

    /// Ends a packet's output (flushes when line-buffered).
    public func endPacket() {
        if lineBuffered { flush() } else { commit() }
    }
}
