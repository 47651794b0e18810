import DissectKit

/// Trivial File Transfer Protocol (RFC 1350, options RFC 2347–2349, window size RFC 7440).
///
/// A request goes to port 69; the transfer then runs between the client's port and a new server
/// port. As tshark does, the request binds TFTP to the client endpoint and the server address
/// with the server's port left open (`PacketContext.conversations`), so UDP hands the transfer
/// to TFTP; the binding's id keys the transfer's state (file name, request frame, block size).
public enum TFTPPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = TFTPDissector(r)
        let h = r.handle(d.hf.proto, d)
        d.handle = h
        let ports = r.table("udp.port", uiName: "UDP port")
        ports.add(69, h)
        d.portTable = ports
        r.registerDissector("tftp", h)
        // tshark's "tftp" heuristic on UDP: a read/write request to any port.
        r.table("udp", uiName: "UDP heuristic").addHeuristic("tftp", r.handle(d.hf.proto, TFTPHeuristic(d)))
        r.onReset { d.transfers.reset() }
    }
}

final class TFTPDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var opcode = FieldID.textOnly
        var sourceFile = FieldID.textOnly
        var destinationFile = FieldID.textOnly
        var requestFrame = FieldID.textOnly
        var type = FieldID.textOnly
        var block = FieldID.textOnly
        var blockFull = FieldID.textOnly
        var nextWindowSize = FieldID.textOnly
        var errorCode = FieldID.textOnly
        var errorMessage = FieldID.textOnly
        var optionName = FieldID.textOnly
        var optionValue = FieldID.textOnly
        var data = FieldID.textOnly
        var eiError = FieldID.textOnly
        var eiLikelyTsizeProbe = FieldID.textOnly
        var eiBlocksizeRange = FieldID.textOnly
        var eiBlockWrap = FieldID.textOnly
        var eiWindowsizeRange = FieldID.textOnly
        var eiMsftwindowUnrecognized = FieldID.textOnly
        var eiWindowsizeChange = FieldID.textOnly
    }
    var hf = Fields()
    /// This dissector's own handle, to bind conversations to and to recognise them by.
    var handle: DissectorHandle!
    var portTable: DissectorTable!
    let transfers = TFTPTransferTable()

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Trivial File Transfer Protocol", shortName: "TFTP", abbrev: "tftp")
        hf.proto = p
        TFTPFieldCatalog.registerAll(r, ["tftp": p])
        let reg = r.engine.registry
        func id(_ abbrev: String) -> FieldID { reg.lookup(abbrev) ?? .textOnly }
        hf.opcode = id("tftp.opcode")
        hf.sourceFile = id("tftp.source_file")
        hf.destinationFile = id("tftp.destination_file")
        hf.requestFrame = id("tftp.request_frame")
        hf.type = id("tftp.type")
        hf.block = id("tftp.block")
        hf.blockFull = id("tftp.block.full")
        hf.nextWindowSize = id("tftp.nextwindowsize")
        hf.errorCode = id("tftp.error.code")
        hf.errorMessage = id("tftp.error.message")
        hf.optionName = id("tftp.option.name")
        hf.optionValue = id("tftp.option.value")
        hf.data = id("tftp.data")
        hf.eiError = r.expert("tftp.error", "TFTP ERROR packet", .warning, .responseCode, in: p)
        hf.eiLikelyTsizeProbe = r.expert("tftp.likely_tsize_probe", "Likely transfer size (tsize) probe", .chat,
                                         .requestCode, in: p)
        hf.eiBlocksizeRange = r.expert("tftp.blocksize_range", "TFTP blocksize out of range", .warning,
                                       .responseCode, in: p)
        hf.eiBlockWrap = r.expert("tftp.block.wrap", "TFTP block number is about to wrap", .note, .sequence, in: p)
        hf.eiWindowsizeRange = r.expert("tftp.windowsize_range", "TFTP windowsize out of range", .warning,
                                        .responseCode, in: p)
        hf.eiMsftwindowUnrecognized = r.expert("tftp.msftwindow.unrecognized", "Unrecognized msftwindow option",
                                               .warning, .responseCode, in: p)
        hf.eiWindowsizeChange = r.expert("tftp.windowsize.change", "TFTP window size is changing", .chat,
                                         .sequence, in: p)
        _ = r.preference("tftp", "defragment", title: "Reassemble fragmented TFTP files", .bool, default: "FALSE")
    }
}

/// tshark's UDP heuristic for TFTP: a read or write request (printable text, an even number of
/// NULs, a known transfer mode) to a port no dissector claimed starts a transfer.
final class TFTPHeuristic: Dissector {
    unowned let tftp: TFTPDissector
    init(_ tftp: TFTPDissector) { self.tftp = tftp }

    func dissect(_ packet: inout PacketContext, _ data: ByteView, _ parent: TreeNode) throws(Malformed) -> DissectResult {
        guard TFTPDissector.looksLikeRequest(data) else { return .notMine }
        return try tftp.dissectRequestStart(&packet, data, parent)
    }
}
