import CZlib
import DissectKit

/// Content-Encoding gzip/deflate (RFC 9110 §8.4.1) decoded with zlib, as tshark's
/// `tvb_uncompress` does it: zlib or gzip wrapper detected automatically; a body that is raw
/// deflate (as some servers send for "deflate") is retried without wrapper; what was decoded
/// before an error or the end of a cut stream is kept.
enum HTTPInflate {
    /// A bound on what one body may expand to (a small input can claim gigabytes).
    static let maxOutput = 64 << 20

    /// The decoded bytes, or nil when nothing could be decoded.
    static func inflate(_ input: ByteView) -> [UInt8]? {
        guard input.count > 0, let base = input.base else { return nil }
        switch run(base, input.count, windowBits: 15 + 32) {
        case .output(let out):
            return out
        case .dataErrorBeforeOutput:
            if case .output(let out) = run(base, input.count, windowBits: -15) { return out }
            return nil
        case .failed:
            return nil
        }
    }

    private enum Outcome {
        case output([UInt8])
        case dataErrorBeforeOutput
        case failed
    }

    private static func run(_ base: UnsafeRawPointer, _ count: Int, windowBits: Int32) -> Outcome {
        // zlib keeps a pointer back to the stream: it needs a stable address.
        let zs = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        zs.initialize(to: z_stream())
        defer { zs.deallocate() }
        guard inflateInit2_(zs, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .failed
        }
        defer { inflateEnd(zs) }
        zs.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        zs.pointee.avail_in = uInt(count)
        var out = [UInt8]()
        let chunkSize = 1 << 16
        let chunk = UnsafeMutablePointer<Bytef>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        while true {
            zs.pointee.next_out = chunk
            zs.pointee.avail_out = uInt(chunkSize)
            let rc = CZlib.inflate(zs, Z_SYNC_FLUSH)
            let produced = chunkSize - Int(zs.pointee.avail_out)
            if produced > 0 {
                out.append(contentsOf: UnsafeBufferPointer(start: chunk, count: produced))
                if out.count >= maxOutput { return .output(Array(out.prefix(maxOutput))) }
            }
            switch rc {
            case Z_OK:
                continue
            case Z_STREAM_END:
                return .output(out)
            case Z_DATA_ERROR where out.isEmpty:
                return .dataErrorBeforeOutput
            default:
                // Z_BUF_ERROR: the input ended before the stream did (a cut body).
                return out.isEmpty ? .failed : .output(out)
            }
        }
    }
}
