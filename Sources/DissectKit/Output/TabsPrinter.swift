/// `-T tabs`: the packet list with tab-separated columns (tshark's `print_columns` with a tab
/// delimiter): the same padding as the plain list (No. 5, Time 10, Source 12 right-aligned,
/// Destination 12 left-aligned), and the arrow between Source and Destination as a column of
/// its own ("\t→\t").
public final class TabsPrinter {
    let out: OutputStream
    let columns: Columns
    private var buf: [UInt8] = []

    public init(out: OutputStream, columns: Columns) {
        self.out = out
        self.columns = columns
    }

    public func print(_ ctx: PacketContext) {
        buf.removeAll(keepingCapacity: true)
        pad(String(ctx.frame.number), 5, right: true)
        buf.append(0x09)
        pad(columns.timeText(ctx), 10, right: true)
        buf.append(0x09)
        pad(columns.source(ctx), 12, right: true)
        buf.append(0x09)
        buf.append(contentsOf: "→".utf8)
        buf.append(0x09)
        pad(columns.destination(ctx), 12, right: false)
        buf.append(0x09)
        buf.append(contentsOf: ctx.protocolColumn.utf8)
        buf.append(0x09)
        buf.append(contentsOf: String(ctx.frame.originalLength).utf8)
        buf.append(0x09)
        buf.append(contentsOf: ctx.info.bytes)
        buf.append(0x0a)
        out.write(bytes: buf)
    }

    /// tshark pads by bytes (`strlen`), not by characters.
    private func pad(_ s: String, _ width: Int, right: Bool) {
        let n = s.utf8.count
        if right { for _ in 0..<max(0, width - n) { buf.append(0x20) } }
        buf.append(contentsOf: s.utf8)
        if !right { for _ in 0..<max(0, width - n) { buf.append(0x20) } }
    }
}
