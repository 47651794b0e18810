import DissectKit

/// Every field tshark 4.0.17 registers for tftp.
/// Generated from `tshark -G fields` and `tshark -G values` (TShark 4.0.17): names, types, bases,
/// bitmasks and blurbs as tshark registers them, so filters and `-G fields` know every field even
/// where the dissector does not fill it.
enum TFTPFieldCatalog {
    // (abbrev, name, type, base, bitmask, boolean width, blurb, protocol abbrev)
    static let fields: [CatalogField] = [
        ("tftp.opcode", "Opcode", .uint16, .dec, 0x0, nil, "TFTP message type", "tftp"),
        ("tftp.source_file", "Source File", .stringz, .none, 0x0, nil, "TFTP source file name", "tftp"),
        ("tftp.destination_file", "Destination File", .stringz, .none, 0x0, nil, "TFTP destination file name", "tftp"),
        ("tftp.request_frame", "Request frame", .framenum, .none, 0x0, nil, "TFTP request is in frame", "tftp"),
        ("tftp.type", "Type", .stringz, .none, 0x0, nil, "TFTP transfer type", "tftp"),
        ("tftp.block", "Block", .uint16, .dec, 0x0, nil, "Block number", "tftp"),
        ("tftp.block.full", "Full Block Number", .uint32, .dec, 0x0, nil, "Block number, adjusted for wrapping", "tftp"),
        ("tftp.nextwindowsize", "Next Window Size", .uint16, .dec, 0x0, nil, "Number of blocks in next transfer window", "tftp"),
        ("tftp.error.code", "Error code", .uint16, .dec, 0x0, nil, "Error code in case of TFTP error message", "tftp"),
        ("tftp.error.message", "Error message", .stringz, .none, 0x0, nil, "Error string in case of TFTP error message", "tftp"),
        ("tftp.option.name", "Option name", .stringz, .none, 0x0, nil, "", "tftp"),
        ("tftp.option.value", "Option value", .stringz, .none, 0x0, nil, "", "tftp"),
        ("tftp.data", "Data", .bytes, .none, 0x0, nil, "", "tftp"),
        ("tftp.fragments", "TFTP Fragments", .none, .none, 0x0, nil, "", "tftp"),
        ("tftp.fragment", "TFTP Fragment", .framenum, .none, 0x0, nil, "", "tftp"),
        ("tftp.fragment.overlap", "Fragment overlap", .boolean, .none, 0x0, nil, "Fragment overlaps with other fragments", "tftp"),
        ("tftp.fragment.overlap.conflicts", "Conflicting data in fragment overlap", .boolean, .none, 0x0, nil, "Overlapping fragments contained conflicting data", "tftp"),
        ("tftp.fragment.multipletails", "Multiple tail fragments found", .boolean, .none, 0x0, nil, "Several tails were found when defragmenting the packet", "tftp"),
        ("tftp.fragment.toolongfragment", "Fragment too long", .boolean, .none, 0x0, nil, "Fragment contained data past end of packet", "tftp"),
        ("tftp.fragment.error", "Defragmentation error", .framenum, .none, 0x0, nil, "Defragmentation error due to illegal fragments", "tftp"),
        ("tftp.fragment.count", "Fragment count", .uint32, .dec, 0x0, nil, "", "tftp"),
        ("tftp.reassembled_in", "Reassembled TFTP in frame", .framenum, .none, 0x0, nil, "This TFTP packet is reassembled in this frame", "tftp"),
        ("tftp.reassembled.length", "Reassembled TFTP length", .uint32, .dec, 0x0, nil, "The total length of the reassembled payload", "tftp"),
        ("tftp.reassembled.data", "Reassembled TFTP data", .bytes, .none, 0x0, nil, "The reassembled payload", "tftp"),
        ("tftp.error", "TFTP ERROR packet", .none, .none, 0x0, nil, "", "tftp"),
        ("tftp.likely_tsize_probe", "Likely transfer size (tsize) probe", .none, .none, 0x0, nil, "", "tftp"),
        ("tftp.blocksize_range", "TFTP blocksize out of range", .none, .none, 0x0, nil, "", "tftp"),
        ("tftp.block.wrap", "TFTP block number is about to wrap", .none, .none, 0x0, nil, "", "tftp"),
        ("tftp.windowsize_range", "TFTP windowsize out of range", .none, .none, 0x0, nil, "", "tftp"),
        ("tftp.msftwindow.unrecognized", "Unrecognized msftwindow option", .none, .none, 0x0, nil, "", "tftp"),
        ("tftp.windowsize.change", "TFTP window size is changing", .none, .none, 0x0, nil, "", "tftp"),
    ]

    /// Value, range and true/false strings (`tshark -G values`); bitmask booleans without their own
    /// strings show tshark's default "True"/"False".
    static let strings: [String: ValueStrings] = [
        "tftp.opcode": .values([1: "Read Request", 2: "Write Request", 3: "Data Packet", 4: "Acknowledgement", 5: "Error Code", 6: "Option Acknowledgement", 255: "Information (MSDP)"]),
        "tftp.error.code": .values([0: "Not defined", 1: "File not found", 2: "Access violation", 3: "Disk full or allocation exceeded", 4: "Illegal TFTP Operation", 5: "Unknown transfer ID", 6: "File already exists", 7: "No such user", 8: "Option negotiation failed"]),
        "tftp.fragment.overlap": .trueFalse("True", "False"),
        "tftp.fragment.overlap.conflicts": .trueFalse("True", "False"),
        "tftp.fragment.multipletails": .trueFalse("True", "False"),
        "tftp.fragment.toolongfragment": .trueFalse("True", "False"),
    ]

    /// Registers every field in tshark's order; `protocols` maps protocol abbreviations to ids.
    static func registerAll(_ r: Registrar, _ protocols: [String: FieldID]) {
        FieldCatalog.registerAll(r, fields, strings, protocols)
    }
}
