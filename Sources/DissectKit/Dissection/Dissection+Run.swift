/// In-process runs over a whole capture file: what tests and embedders use instead of the CLI.
extension Engine {
    /// Dissects every packet of `path`, calling `body` with each packet's context.
    /// Throws the reader's error after the packets that could be read.
    public func forEachPacket(path: String, interest: Interest, limit: Int = .max,
                              _ body: (inout PacketContext) -> Void) throws(CaptureError) {
        let reader = try openCapture(path: path)
        interfacesFromPcapng = reader.format == .pcapng
        interfaces = reader.interfaces
        var ctx = makeContext(interest: interest)
        var n: UInt32 = 0
        while Int(n) < limit, let p = try reader.next() {
            n += 1
            if reader.interfaces.count != interfaces.count { interfaces = reader.interfaces }
            var meta = p.meta
            meta.number = n
            setFrameComments(p.comments)
            dissect(&ctx, frame: meta, bytes: p.bytes)
            body(&ctx)
            frameDisplayed(ctx)
        }
    }
}
