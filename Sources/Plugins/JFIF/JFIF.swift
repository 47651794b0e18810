import DissectKit

/// JPEG File Interchange Format (ITU-T T.81 markers, JFIF 1.02 APP0, Exif APP1 with its TIFF
/// IFDs): every marker and marker segment, entropy-coded data and fill bytes. Reached through
/// `media_type` ("image/jfif", "image/jpg", "image/jpeg") and the `http` heuristic list
/// (tshark's `jfif_http`).
public enum JFIFPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = JFIFDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerDissector("image-jfif", h)
        let media = r.table("media_type", uiName: "Internet media type")
        for t in ["image/jfif", "image/jpg", "image/jpeg"] { media.add(t, h) }
        r.table("http", uiName: "HTTP").addHeuristic("jfif_http", h)
    }
}

final class JFIFDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var marker = FieldID.textOnly
        var markerSegment = FieldID.textOnly
        var length = FieldID.textOnly
        var identifier = FieldID.textOnly
        var version = FieldID.textOnly
        var versionMajor = FieldID.textOnly
        var versionMinor = FieldID.textOnly
        var units = FieldID.textOnly
        var xDensity = FieldID.textOnly
        var yDensity = FieldID.textOnly
        var xThumbnail = FieldID.textOnly
        var yThumbnail = FieldID.textOnly
        var rgb = FieldID.textOnly
        var extensionCode = FieldID.textOnly
        var sof = FieldID.textOnly
        var sofPrecision = FieldID.textOnly
        var sofLines = FieldID.textOnly
        var sofSamplesPerLine = FieldID.textOnly
        var sofNf = FieldID.textOnly
        var sofC = FieldID.textOnly
        var sofH = FieldID.textOnly
        var sofV = FieldID.textOnly
        var sofTq = FieldID.textOnly
        var sos = FieldID.textOnly
        var sosNs = FieldID.textOnly
        var sosCs = FieldID.textOnly
        var sosTd = FieldID.textOnly
        var sosTa = FieldID.textOnly
        var sosSs = FieldID.textOnly
        var sosSe = FieldID.textOnly
        var sosAh = FieldID.textOnly
        var sosAl = FieldID.textOnly
        var commentHeader = FieldID.textOnly
        var comment = FieldID.textOnly
        var remainingData = FieldID.textOnly
        var endianness = FieldID.textOnly
        var startIFDOffset = FieldID.textOnly
        var nextIFDOffset = FieldID.textOnly
        var flashpixMarker = FieldID.textOnly
        var entropyCoded = FieldID.textOnly
        var fillBytes = FieldID.textOnly
        var skippedTIFFData = FieldID.textOnly
        var ifdNumFields = FieldID.textOnly
        var ifdTag = FieldID.textOnly
        var ifdTagExif = FieldID.textOnly
        var ifdTagGPS = FieldID.textOnly
        var ifdTagInterop = FieldID.textOnly
        var ifdType = FieldID.textOnly
        var ifdCount = FieldID.textOnly
        var ifdOffset = FieldID.textOnly
        var valueByte = FieldID.textOnly
        var valueASCII = FieldID.textOnly
        var valueShort = FieldID.textOnly
        var valueLong = FieldID.textOnly
        var valueRational = FieldID.textOnly
        var rationalNumerator = FieldID.textOnly
        var rationalDenominator = FieldID.textOnly
        var valueUndefined = FieldID.textOnly
        var valueSLong = FieldID.textOnly
        var valueSRational = FieldID.textOnly
        var sRationalNumerator = FieldID.textOnly
        var sRationalDenominator = FieldID.textOnly
        var eiFirstNotJFIF = FieldID.textOnly
        var eiStartIFDOffset = FieldID.textOnly
        var eiNextIFDOffset = FieldID.textOnly
        var eiValueOffset = FieldID.textOnly
    }
    var hf = Fields()

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "JPEG File Interchange Format", shortName: "JFIF (JPEG) image",
                                   abbrev: "image-jfif")
        hf.proto = p
        func f(_ name: String, _ abbrev: String, _ type: FieldType, _ base: FieldBase = .none,
               strings: ValueStrings? = nil, bitmask: UInt64 = 0, blurb: String = "") -> FieldID {
            r.field(name, "image-jfif." + abbrev, type, base, strings: strings, bitmask: bitmask, blurb: blurb, in: p)
        }
        let bytesUnit: ValueStrings = .units("byte", "bytes")
        hf.marker = f("Marker", "marker", .uint16, .hex, strings: .values(JFIFNames.markerStrings), blurb: "JFIF Marker")
        hf.markerSegment = f("Marker segment", "marker_segment", .none)
        hf.length = f("Length", "length", .uint16, .dec, blurb: "Length of segment (including length field)")
        hf.identifier = f("Identifier", "identifier", .stringz, blurb: "Identifier of the segment")
        hf.version = f("Version", "version", .none, blurb: "JFIF Version")
        hf.versionMajor = f("Major Version", "version.major", .uint8, .dec, blurb: "JFIF Major Version")
        hf.versionMinor = f("Minor Version", "version.minor", .uint8, .dec, blurb: "JFIF Minor Version")
        hf.units = f("Units", "units", .uint8, .dec, strings: .values(JFIFNames.units), blurb: "Units used in this segment")
        hf.xDensity = f("Xdensity", "Xdensity", .uint16, .dec, blurb: "Horizontal pixel density")
        hf.yDensity = f("Ydensity", "Ydensity", .uint16, .dec, blurb: "Vertical pixel density")
        hf.xThumbnail = f("Xthumbnail", "Xthumbnail", .uint16, .dec, blurb: "Thumbnail horizontal pixel count")
        hf.yThumbnail = f("Ythumbnail", "Ythumbnail", .uint16, .dec, blurb: "Thumbnail vertical pixel count")
        hf.rgb = f("RGB values of thumbnail pixels", "RGB", .bytes,
                   blurb: "RGB values of the thumbnail pixels (24 bit per pixel, Xthumbnail x Ythumbnail pixels)")
        hf.extensionCode = f("Extension code", "extension.code", .uint8, .hex, strings: .values(JFIFNames.extensionCodes),
                             blurb: "JFXX extension code for thumbnail encoding")
        hf.sof = f("Start of Frame header", "sof", .none)
        hf.sofPrecision = f("Sample Precision (bits)", "sof.precision", .uint8, .dec,
                            blurb: "Specifies the precision in bits for the samples of the components in the frame.")
        hf.sofLines = f("Lines", "sof.lines", .uint16, .dec,
                        blurb: "Specifies the maximum number of lines in the source image.")
        hf.sofSamplesPerLine = f("Samples per line", "sof.samples_per_line", .uint16, .dec,
                                 blurb: "Specifies the maximum number of samples per line in the source image.")
        hf.sofNf = f("Number of image components in frame", "sof.nf", .uint8, .dec,
                     blurb: "Specifies the number of source image components in the frame.")
        hf.sofC = f("Component identifier", "sof.c_i", .uint8, .dec,
                    blurb: "Assigns a unique label to the ith component in the sequence of frame component "
                        + "specification parameters.")
        hf.sofH = f("Horizontal sampling factor", "sof.h_i", .uint8, .dec, bitmask: 0xf0,
                    blurb: "Specifies the relationship between the component horizontal dimension and maximum "
                        + "image dimension X.")
        hf.sofV = f("Vertical sampling factor", "sof.v_i", .uint8, .dec, bitmask: 0x0f,
                    blurb: "Specifies the relationship between the component vertical dimension and maximum "
                        + "image dimension Y.")
        hf.sofTq = f("Quantization table destination selector", "sof.tq_i", .uint8, .dec,
                     blurb: "Specifies one of four possible quantization table destinations from which the "
                         + "quantization table to use for dequantization of DCT coefficients of component Ci is retrieved.")
        hf.sos = f("Start of Segment header", "header.sos", .none)
        hf.sosNs = f("Number of image components in scan", "sos.ns", .uint8, .dec,
                     blurb: "Specifies the number of source image components in the scan.")
        hf.sosCs = f("Scan component selector", "sos.component_selector", .uint8, .dec,
                     blurb: "Selects which of the Nf image components specified in the frame parameters shall be "
                         + "the jth component in the scan.")
        hf.sosTd = f("DC entropy coding table destination selector", "sos.dc_entropy_selector", .uint8, .dec,
                     bitmask: 0xf0,
                     blurb: "Specifies one of four possible DC entropy coding table destinations from which the "
                         + "entropy table needed for decoding of the DC coefficients of component Csj is retrieved.")
        hf.sosTa = f("AC entropy coding table destination selector", "sos.ac_entropy_selector", .uint8, .dec,
                     bitmask: 0x0f,
                     blurb: "Specifies one of four possible AC entropy coding table destinations from which the "
                         + "entropy table needed for decoding of the AC coefficients of component Csj is retrieved.")
        hf.sosSs = f("Start of spectral or predictor selection", "sos.ss", .uint8, .dec,
                     blurb: "In the DCT modes of operation, this parameter specifies the first DCT coefficient in "
                         + "each block in zig-zag order which shall be coded in the scan. This parameter shall be set "
                         + "to zero for the sequential DCT processes. In the lossless mode of operations this "
                         + "parameter is used to select the predictor.")
        hf.sosSe = f("End of spectral selection", "sos.se", .uint8, .dec,
                     blurb: "Specifies the last DCT coefficient in each block in zig-zag order which shall be coded "
                         + "in the scan. This parameter shall be set to 63 for the sequential DCT processes. In the "
                         + "lossless mode of operations this parameter has no meaning. It shall be set to zero.")
        hf.sosAh = f("Successive approximation bit position high", "sos.ah", .uint8, .dec, bitmask: 0xf0,
                     blurb: "This parameter specifies the point transform used in the preceding scan (i.e. "
                         + "successive approximation bit position low in the preceding scan) for the band of "
                         + "coefficients specified by Ss and Se. This parameter shall be set to zero for the first "
                         + "scan of each band of coefficients. In the lossless mode of operations this parameter has "
                         + "no meaning. It shall be set to zero.")
        hf.sosAl = f("Successive approximation bit position low or point transform", "sos.al", .uint8, .dec,
                     bitmask: 0x0f,
                     blurb: "In the DCT modes of operation this parameter specifies the point transform, i.e. bit "
                         + "position low, used before coding the band of coefficients specified by Ss and Se. This "
                         + "parameter shall be set to zero for the sequential DCT processes. In the lossless mode of "
                         + "operations, this parameter specifies the point transform, Pt.")
        hf.commentHeader = f("Comment header", "header.comment", .none)
        hf.comment = f("Comment", "comment", .string)
        hf.remainingData = f("Remaining segment data", "remain_seg_data", .bytes)
        hf.endianness = f("Endianness", "endianness", .uint16, .hex)
        hf.startIFDOffset = f("Start offset of IFD starting from the TIFF header start", "start_ifd_offset", .uint32,
                              .dec, strings: bytesUnit)
        hf.nextIFDOffset = f("Offset to next IFD from start of TIFF header", "next_ifd_offset", .uint32, .dec,
                             strings: bytesUnit)
        hf.flashpixMarker = f("Exif FlashPix APP2 application marker", "exif_flashpix_marker", .none)
        hf.entropyCoded = f("Entropy-coded segment (dissection is not yet implemented)", "entropy_coded_segment", .bytes)
        hf.fillBytes = f("Fill bytes", "fill_bytes", .bytes)
        hf.skippedTIFFData = f("Skipped data between end of TIFF header and start of IFD", "skipped_tiff_data", .bytes)
        hf.ifdNumFields = f("Number of fields in this IFD", "ifd.num_fields", .uint16, .dec)
        hf.ifdTag = f("Tag", "ifd.tag", .uint16, .dec, strings: .values(JFIFNames.ifdTags))
        hf.ifdTagExif = f("Tag", "ifd.tag_exif", .uint16, .dec, strings: .values(JFIFNames.exifTags))
        hf.ifdTagGPS = f("Tag", "ifd.tag_gps", .uint16, .dec, strings: .values(JFIFNames.gpsTags))
        hf.ifdTagInterop = f("Tag", "ifd.tag_interop", .uint16, .dec, strings: .values(JFIFNames.interopTags))
        hf.ifdType = f("Type", "ifd.type", .uint16, .dec, strings: .values(JFIFNames.exifTypes))
        hf.ifdCount = f("Count", "ifd.count", .uint32, .dec)
        hf.ifdOffset = f("Value offset from start of TIFF header", "ifd.offset", .uint32, .dec)
        hf.valueByte = f("Value", "ifd.value_byte", .uint8, .dec)
        hf.valueASCII = f("Value", "ifd.value_ascii", .string)
        hf.valueShort = f("Value", "ifd.value_short", .uint16, .dec)
        hf.valueLong = f("Value", "ifd.value_long", .uint32, .dec)
        hf.valueRational = f("Value", "ifd.value_rational", .none)
        hf.rationalNumerator = f("Numerator", "ifd.value_rational.numerator", .uint32, .dec)
        hf.rationalDenominator = f("Denominator", "ifd.value_rational.denominator", .uint32, .dec)
        hf.valueUndefined = f("Value (raw)", "ifd.value_undefined", .bytes)
        hf.valueSLong = f("Value", "ifd.value_slong", .int32, .dec)
        hf.valueSRational = f("Value", "ifd.value_srational", .none)
        hf.sRationalNumerator = f("Numerator", "ifd.value_srational.numerator", .int32, .dec)
        hf.sRationalDenominator = f("Denominator", "ifd.value_srational.denominator", .int32, .dec)
        hf.eiFirstNotJFIF = r.expert("image-jfif.app0-identifier-not-jfif",
                                     "Initial App0 segment with \"JFIF\" Identifier not found", .warning, .protocol, in: p)
        hf.eiStartIFDOffset = r.expert("image-jfif.start_ifd_offset.invalid", "Invalid value", .warning, .protocol, in: p)
        hf.eiNextIFDOffset = r.expert("image-jfif.next_ifd_offset.invalid", "Invalid value", .warning, .protocol, in: p)
        hf.eiValueOffset = r.expert("image-jfif.ifd_value_offset.invalid", "Invalid value", .warning, .protocol, in: p)
    }
}
