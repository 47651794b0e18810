import DissectKit

/// Portable Network Graphics (W3C PNG, RFC 2083): the signature and every chunk with its
/// length, type, property bits and CRC, and the fields of the chunk types tshark 4.0 knows.
/// Reached through `media_type` ("image/png": MIME parts, IMF bodies, HTTP bodies) and the
/// `http` heuristic list (tshark's `png_http`).
public enum PNGPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = PNGDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerDissector("png", h)
        r.table("media_type", uiName: "Internet media type").add("image/png", h)
        r.table("http", uiName: "HTTP").addHeuristic("png_http", h)
    }
}

final class PNGDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var signature = FieldID.textOnly
        var chunkData = FieldID.textOnly
        var chunkType = FieldID.textOnly
        var chunkLen = FieldID.textOnly
        var chunkCRC = FieldID.textOnly
        var ancillary = FieldID.textOnly
        var isPrivate = FieldID.textOnly
        var safeToCopy = FieldID.textOnly
        var width = FieldID.textOnly
        var height = FieldID.textOnly
        var bitDepth = FieldID.textOnly
        var colourType = FieldID.textOnly
        var compression = FieldID.textOnly
        var filter = FieldID.textOnly
        var interlace = FieldID.textOnly
        var srgbIntent = FieldID.textOnly
        var textKeyword = FieldID.textOnly
        var textString = FieldID.textOnly
        var year = FieldID.textOnly
        var month = FieldID.textOnly
        var day = FieldID.textOnly
        var hour = FieldID.textOnly
        var minute = FieldID.textOnly
        var second = FieldID.textOnly
        var physHoriz = FieldID.textOnly
        var physVert = FieldID.textOnly
        var physUnit = FieldID.textOnly
        var bkgdPaletteIndex = FieldID.textOnly
        var bkgdGreyscale = FieldID.textOnly
        var bkgdRed = FieldID.textOnly
        var bkgdGreen = FieldID.textOnly
        var bkgdBlue = FieldID.textOnly
        /// cHRM: white x/y, red x/y, green x/y, blue x/y, in chunk order.
        var chromaticities: [FieldID] = []
        var gamma = FieldID.textOnly
        var eiChunkTooLarge = FieldID.textOnly
    }
    var hf = Fields()

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Portable Network Graphics", shortName: "PNG", abbrev: "png")
        hf.proto = p
        hf.signature = r.field("PNG Signature", "png.signature", .bytes, in: p)
        hf.chunkData = r.field("Data", "png.chunk.data", .none, in: p)
        hf.chunkType = r.field("Chunk", "png.chunk.type", .string, in: p)
        hf.chunkLen = r.field("Len", "png.chunk.len", .uint32, .dec, in: p)
        hf.chunkCRC = r.field("CRC", "png.chunk.crc", .uint32, .hex, in: p)
        hf.ancillary = r.field("Ancillary", "png.chunk.flag.ancillary", .boolean,
                               strings: .trueFalse("This is an ANCILLARY chunk", "This is a CRITICAL chunk"),
                               bitmask: 0x2000_0000, bitWidth: 32, in: p)
        hf.isPrivate = r.field("Private", "png.chunk.flag.private", .boolean,
                               strings: .trueFalse("This is a PRIVATE chunk", "This is a PUBLIC chunk"),
                               bitmask: 0x0020_0000, bitWidth: 32, in: p)
        hf.safeToCopy = r.field("Safe To Copy", "png.chunk.flag.stc", .boolean,
                                strings: .trueFalse("This chunk is SAFE TO COPY", "This chunk is NOT safe to copy"),
                                bitmask: 0x0000_0020, bitWidth: 32, in: p)
        hf.width = r.field("Width", "png.ihdr.width", .uint32, .dec, in: p)
        hf.height = r.field("Height", "png.ihdr.height", .uint32, .dec, in: p)
        hf.bitDepth = r.field("Bit Depth", "png.ihdr.bitdepth", .uint8, .dec, in: p)
        hf.colourType = r.field("Colour Type", "png.ihdr.colour_type", .uint8, .dec,
                                strings: .values(PNGNames.colourTypes), in: p)
        hf.compression = r.field("Compression Method", "png.ihdr.compression_method", .uint8, .dec,
                                 strings: .values([0: "Deflate"]), in: p)
        hf.filter = r.field("Filter Method", "png.ihdr.filter_method", .uint8, .dec,
                            strings: .values([0: "Adaptive"]), in: p)
        hf.interlace = r.field("Interlace Method", "png.ihdr.interlace_method", .uint8, .dec,
                               strings: .values([0: "No interlace", 1: "Adam7"]), in: p)
        hf.srgbIntent = r.field("Intent", "png.srgb.intent", .uint8, .dec, strings: .values(PNGNames.srgbIntents), in: p)
        hf.textKeyword = r.field("Keyword", "png.text.keyword", .string, in: p)
        hf.textString = r.field("String", "png.text.string", .string, in: p)
        hf.year = r.field("Year", "png.time.year", .uint16, .dec, in: p)
        hf.month = r.field("Month", "png.time.month", .uint8, .dec, in: p)
        hf.day = r.field("Day", "png.time.day", .uint8, .dec, in: p)
        hf.hour = r.field("Hour", "png.time.hour", .uint8, .dec, in: p)
        hf.minute = r.field("Minute", "png.time.minute", .uint8, .dec, in: p)
        hf.second = r.field("Second", "png.time.second", .uint8, .dec, in: p)
        hf.physHoriz = r.field("Horizontal pixels per unit", "png.phys.horiz", .uint32, .dec, in: p)
        hf.physVert = r.field("Vertical pixels per unit", "png.phys.vert", .uint32, .dec, in: p)
        hf.physUnit = r.field("Unit", "png.phys.unit", .uint8, .dec,
                              strings: .values([0: "Unit is unknown", 1: "Unit is METRE"]), in: p)
        hf.bkgdPaletteIndex = r.field("Palette Index", "png.bkgd.palette_index", .uint8, .dec, in: p)
        hf.bkgdGreyscale = r.field("Greyscale", "png.bkgd.greyscale", .uint16, .hex, in: p)
        hf.bkgdRed = r.field("Red", "png.bkgd.red", .uint16, .hex, in: p)
        hf.bkgdGreen = r.field("Green", "png.bkgd.green", .uint16, .hex, in: p)
        hf.bkgdBlue = r.field("Blue", "png.bkgd.blue", .uint16, .hex, in: p)
        hf.chromaticities = [
            ("White X", "png.chrm.white.x"), ("White Y", "png.chrm.white.y"),
            ("Red X", "png.chrm.red.x"), ("Red Y", "png.chrm.red.y"),
            ("Green X", "png.chrm.green.x"), ("Green Y", "png.chrm.green.y"),
            ("Blue X", "png.chrm.blue.x"), ("Blue Y", "png.chrm.blue.y"),
        ].map { r.field($0.0, $0.1, .float, in: p) }
        hf.gamma = r.field("Gamma", "png.gama.gamma", .float, in: p)
        hf.eiChunkTooLarge = r.expert("png.chunk_too_large",
                                      "chunk size too large, dissection of this chunk is not supported",
                                      .warning, .protocol, in: p)
    }
}

/// Chunk names and value strings, as tshark 4.0 words them.
enum PNGNames {
    /// The chunk types tshark names; others show as "unknown (zTXt)".
    static let chunkTypes: [UInt32: String] = [
        PNGChunk.ihdr: "Image Header",
        PNGChunk.bkgd: "Background colour",
        PNGChunk.gama: "Image gamma",
        PNGChunk.iccp: "Embedded ICC profile",
        PNGChunk.chrm: "Primary chromaticities and white point",
        PNGChunk.phys: "Physical pixel dimensions",
        PNGChunk.itxt: "International textual data",
        PNGChunk.text: "Textual data",
        PNGChunk.sbit: "Significant bits",
        PNGChunk.srgb: "Standard RGB colour space",
        PNGChunk.time: "Image last-modification time",
        PNGChunk.idat: "Image data chunk",
        PNGChunk.iend: "Image Trailer",
        PNGChunk.trns: "Transparency",
        PNGChunk.plte: "Palette",
    ]

    static let colourTypes: [UInt64: String] = [
        0: "Greyscale", 2: "Truecolour", 3: "Indexed-colour", 4: "Greyscale with alpha", 6: "Truecolour with alpha",
    ]

    static let srgbIntents: [UInt64: String] = [
        0: "Perceptual", 1: "Relative colorimetric", 2: "Saturation", 3: "Absolute colorimetric",
    ]
}

/// Chunk type codes: the four ASCII letters read as a big-endian 32-bit number.
enum PNGChunk {
    static func code(_ s: StaticString) -> UInt32 {
        let p = s.utf8Start
        return UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
    }

    static let ihdr = code("IHDR")
    static let bkgd = code("bKGD")
    static let gama = code("gAMA")
    static let iccp = code("iCCP")
    static let chrm = code("cHRM")
    static let phys = code("pHYs")
    static let itxt = code("iTXt")
    static let text = code("tEXt")
    static let sbit = code("sBIT")
    static let srgb = code("sRGB")
    static let time = code("tIME")
    static let idat = code("IDAT")
    static let iend = code("IEND")
    static let trns = code("tRNS")
    static let plte = code("PLTE")
}
