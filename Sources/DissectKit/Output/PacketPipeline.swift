#if canImport(Glibc)
import Glibc
#endif

/// Hands dissected packets to the printer, on another thread when asked (`--threads N`).
///
/// Dissection stays on the caller's thread, in frame order, so every piece of per-flow state
/// (stream numbers, TCP analysis, reassembly, SMTP sessions) sees exactly the sequence it sees
/// with one thread; only formatting moves. Printing reads nothing but the packet's own context
/// (records, labels, columns, data sources, a copy of the frame's bytes), so the output is the
/// same byte for byte, in the same order. Packets travel in batches through a ring of reusable
/// contexts: no allocation per packet after warm-up, and memory bounded by the ring.
///
/// With one thread `submit()` prints at once, and the frame bytes are not copied.
///
///     let pipeline = PacketPipeline(engine: engine, interest: interest, threads: 2) { ctx in printer.print(ctx) }
///     while let p = try reader.next() {
///         let ctx = pipeline.context
///         engine.dissect(&ctx.pointee, frame: meta, bytes: pipeline.frameBytes(p.bytes))
///         if shown { pipeline.submit() }
///     }
///     pipeline.finish()
public final class PacketPipeline: @unchecked Sendable {
    /// True when packets are printed on a second thread.
    public let threaded: Bool
    private let slots: UnsafeMutablePointer<PacketContext>
    private let frames: [TextBuffer]
    private let slotCount: Int
    private let batchSize: Int
    private let printPacket: (PacketContext) -> Void

    /// The slot the caller is filling.
    private var current = 0
    /// Slots filled since the last hand-over (caller's side).
    private var batch: [Int32] = []

    // Shared state, under `mutex`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var queued: [Int32] = []
    private var free: [Int32] = []
    private var busy = false
    private var stopping = false
    private var thread: pthread_t? = nil

    /// `threads` > 1 prints on a second thread; `print` is then called there, in submit order.
    public init(engine: Engine, interest: Interest, threads: Int, slots: Int = 64, batch: Int = 16,
                print: @escaping (PacketContext) -> Void) {
        threaded = threads > 1
        slotCount = threaded ? max(slots, 2 * batch) : 1
        batchSize = threaded ? batch : 1
        printPacket = print
        self.slots = .allocate(capacity: slotCount)
        for i in 0..<slotCount { (self.slots + i).initialize(to: engine.makeContext(interest: interest)) }
        frames = threaded ? (0..<slotCount).map { _ in TextBuffer(capacity: 2048) } : []
        guard threaded else { return }
        // Shared read-only from here on: nothing may build it lazily on either thread.
        engine.registry.textTable.prepare()
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        free = (1..<slotCount).map { Int32($0) }
        self.batch.reserveCapacity(batchSize)
        queued.reserveCapacity(slotCount)
        let unmanaged = Unmanaged.passRetained(self)
        var t = pthread_t()
        let rc = pthread_create(&t, nil, { arg in
            let me = Unmanaged<PacketPipeline>.fromOpaque(arg!).takeRetainedValue()
            me.printLoop()
            return nil
        }, unmanaged.toOpaque())
        if rc == 0 { thread = t } else { unmanaged.release() }
    }

    deinit {
        finish()
        slots.deinitialize(count: slotCount)
        slots.deallocate()
        if threaded {
            pthread_cond_destroy(changed)
            pthread_mutex_destroy(mutex)
        }
        mutex.deallocate()
        changed.deallocate()
    }

    /// The context to dissect the next packet into (valid until `submit`).
    public var context: UnsafeMutablePointer<PacketContext> { slots + current }

    /// The frame's bytes as the context must hold them: a copy owned by the slot when another
    /// thread prints (the reader reuses its buffer), the bytes themselves otherwise.
    public func frameBytes(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard threaded else { return bytes }
        let f = frames[current]
        f.removeAll()
        f.append(bytes)
        return UnsafeRawBufferPointer(start: f.bytes.baseAddress, count: bytes.count)
    }

    /// Queues the current packet for printing (prints it now without a second thread) and
    /// moves to a free context. A packet not submitted leaves its context to the next one.
    public func submit() {
        guard threaded, thread != nil else {
            printPacket(slots[current])
            return
        }
        batch.append(Int32(current))
        if batch.count >= batchSize { handOver(wait: false) }
        current = Int(takeFree())
    }

    /// Waits until every submitted packet is printed (before the caller changes something the
    /// printer reads, or writes to the output itself).
    public func drain() {
        guard threaded, thread != nil else { return }
        handOver(wait: true)
    }

    /// Prints what is left and stops the printer thread.
    public func finish() {
        guard threaded, let t = thread else { return }
        handOver(wait: true)
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        pthread_join(t, nil)
        thread = nil
    }

    // MARK: caller's side

    private func handOver(wait: Bool) {
        pthread_mutex_lock(mutex)
        if !batch.isEmpty {
            queued.append(contentsOf: batch)
            batch.removeAll(keepingCapacity: true)
            pthread_cond_broadcast(changed)
        }
        if wait {
            while !queued.isEmpty || busy { pthread_cond_wait(changed, mutex) }
        }
        pthread_mutex_unlock(mutex)
    }

    private func takeFree() -> Int32 {
        pthread_mutex_lock(mutex)
        if free.isEmpty && !batch.isEmpty {
            // Everything is queued or in the batch: hand the batch over rather than wait on it.
            queued.append(contentsOf: batch)
            batch.removeAll(keepingCapacity: true)
            pthread_cond_broadcast(changed)
        }
        while free.isEmpty { pthread_cond_wait(changed, mutex) }
        let s = free.removeLast()
        pthread_mutex_unlock(mutex)
        return s
    }

    // MARK: printer's side

    private func printLoop() {
        var work: [Int32] = []
        work.reserveCapacity(slotCount)
        pthread_mutex_lock(mutex)
        while true {
            while queued.isEmpty && !stopping { pthread_cond_wait(changed, mutex) }
            if queued.isEmpty && stopping { break }
            swap(&work, &queued)
            busy = true
            pthread_mutex_unlock(mutex)
            for s in work { printPacket(slots[Int(s)]) }
            pthread_mutex_lock(mutex)
            free.append(contentsOf: work)
            work.removeAll(keepingCapacity: true)
            busy = false
            pthread_cond_broadcast(changed)
        }
        pthread_mutex_unlock(mutex)
    }
}
