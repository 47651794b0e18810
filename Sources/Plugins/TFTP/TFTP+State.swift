import DissectKit

/// What TFTP remembers about one transfer (tshark's `tftp_conv_info_t`), from its request on.
struct TFTPTransfer {
    /// RFC 1350's 512 until an OACK grants another `blksize`.
    var blocksize: Int = 512
    var sourceFile: String?
    var destinationFile: String?
    var requestFrame: UInt32 = 0
    var tsizeRequested = false
    var dynamicWindowing = false
    var windowsize: Int = 0
    var previousOpcode: UInt16 = 0xffff
    /// Block sequence tracking (first pass): the block expected next, and whether the last
    /// (short) block has been seen.
    var nextBlock: UInt32 = 1
    var lastBlockSeen = false
}

/// Transfers by the id of their conversation binding. Bounded: past `capacity` transfers the
/// oldest bindings' states go first (their bindings are gone from the engine's table by then).
final class TFTPTransferTable {
    private var transfers: [UInt32: TFTPTransfer] = [:]
    private var newest: UInt32 = 0
    let capacity: Int

    init(capacity: Int = 1 << 16) { self.capacity = capacity }

    func reset() {
        transfers.removeAll()
        newest = 0
    }

    /// The transfer of binding `id`, created when new.
    func withTransfer<R>(_ id: UInt32, _ body: (inout TFTPTransfer) throws(Malformed) -> R) throws(Malformed) -> R {
        if transfers[id] == nil {
            if transfers.count >= capacity { dropOldest() }
            transfers[id] = TFTPTransfer()
            newest = max(newest, id)
        }
        // Work on a copy and store it back even when the packet turns out malformed, as tshark
        // keeps what it learnt before the exception.
        var t = transfers[id]!
        defer { transfers[id] = t }
        return try body(&t)
    }

    private func dropOldest() {
        let floor = newest > UInt32(capacity / 2) ? newest - UInt32(capacity / 2) : 0
        transfers = transfers.filter { $0.key >= floor }
    }
}
