/// Marker names and value strings of tshark 4.0's JFIF dissector (ITU-T T.81 Table B.1,
/// JFIF 1.02, Exif 2.32 / TIFF 6.0 tags).
enum JFIFNames {
    /// The name of a marker, or nil for the reserved codes (0xFF02–0xFFBF) tshark stops at.
    static func marker(_ m: UInt16) -> String? {
        switch m {
        case 0xff01: return "Reserved - For temporary private use in arithmetic coding"
        case 0xffc0...0xfffe: return codes[Int(m - 0xffc0)]
        default: return nil
        }
    }

    /// Markers that stand alone, without a length (TEM, SOI, EOI, RST0–RST7).
    static func hasLength(_ m: UInt16) -> Bool {
        !(m == 0xff01 || m == 0xffd8 || m == 0xffd9 || (0xffd0...0xffd7).contains(m))
    }

    /// Every marker name as the value strings of `image-jfif.marker`.
    static let markerStrings: [UInt64: String] = {
        var d: [UInt64: String] = [0xff01: "Reserved - For temporary private use in arithmetic coding"]
        for (i, name) in codes.enumerated() { d[UInt64(0xffc0 + i)] = name }
        return d
    }()

    /// 0xFFC0 … 0xFFFE in order.
    private static let codes: [String] = {
        var c: [String] = [
            "Start of Frame (non-differential, Huffman coding) - Baseline DCT",
            "Start of Frame (non-differential, Huffman coding) - Extended sequential DCT",
            "Start of Frame (non-differential, Huffman coding) - Progressive DCT",
            "Start of Frame (non-differential, Huffman coding) - Lossless (sequential)",
            "Define Huffman table(s)",
            "Start of Frame (differential, Huffman coding) - Differential sequential DCT",
            "Start of Frame (differential, Huffman coding) - Differential progressive DCT",
            "Start of Frame (differential, Huffman coding) - Differential lossless (sequential)",
            "Start of Frame (non-differential, arithmetic coding) - Reserved for JPEG extensions",
            "Start of Frame (non-differential, arithmetic coding) - Extended sequential DCT",
            "Start of Frame (non-differential, arithmetic coding) - Progressive DCT",
            "Start of Frame (non-differential, arithmetic coding) - Lossless (sequential)",
            "Define arithmetic coding conditioning(s)",
            "Start of Frame (differential, arithmetic coding) - Differential sequential DCT",
            "Start of Frame (differential, arithmetic coding) - Differential progressive DCT",
            "Start of Frame (differential, arithmetic coding) - Differential lossless (sequential)",
        ]
        for i in 0..<8 { c.append("Restart interval termination - Restart with modulo 8 count \(i)") }
        c += [
            "Start of Image", "End of Image", "Start of Scan", "Define quantization table(s)", "Define number of lines",
            "Define restart interval", "Define hierarchical progression", "Expand reference component(s)",
        ]
        for i in 0..<16 { c.append("Reserved for application segments - \(i)") }
        for i in 0..<14 { c.append("Reserved for JPEG extensions - \(i)") }
        c.append("Comment")
        return c
    }()

    static let units: [UInt64: String] = [
        0: "No units; Xdensity and Ydensity specify the pixel aspect ratio",
        1: "Dots per inch",
        2: "Dots per centimeter",
    ]

    static let extensionCodes: [UInt64: String] = [
        0x10: "Thumbnail encoded using JPEG",
        0x11: "Thumbnail encoded using 1 byte (8 bits) per pixel",
        0x13: "Thumbnail encoded using 3 bytes (24 bits) per pixel",
    ]

    /// TIFF field types (TIFF 6.0 §2, Exif 2.32 §4.6.2).
    static let exifTypes: [UInt64: String] = [
        1: "BYTE", 2: "ASCII", 3: "SHORT", 4: "LONG", 5: "RATIONAL", 7: "UNDEFINED", 9: "SLONG", 10: "SRATIONAL",
    ]

    /// IFD0/IFD1 tags (Exif 2.32 Table 4 and the IFD pointers).
    static let ifdTags: [UInt64: String] = [
        0x0100: "ImageWidth", 0x0101: "ImageLength", 0x0102: "BitsPerSample", 0x0103: "Compression",
        0x0106: "PhotometricInterpretation", 0x0112: "Orientation", 0x0115: "SamplesPerPixel",
        0x011c: "PlanarConfiguration", 0x0212: "YCbCrSubSampling", 0x0213: "YCbCrPositioning",
        0x011a: "XResolution", 0x011b: "YResolution", 0x0128: "ResolutionUnit",
        0x0111: "StripOffsets", 0x0116: "RowsPerStrip", 0x0117: "StripByteCounts",
        0x0201: "JPEGInterchangeFormat", 0x0202: "JPEGInterchangeFormatLength",
        0x012d: "TransferFunction", 0x013e: "WhitePoint", 0x013f: "PrimaryChromaticities",
        0x0211: "YCbCrCoefficients", 0x0214: "ReferenceBlackWhite",
        0x0132: "DateTime", 0x010e: "ImageDescription", 0x010f: "Make", 0x0110: "Model", 0x0131: "Software",
        0x013b: "Artist", 0x8298: "Copyright",
        ExifTag.exifIFD: "Exif IFD Pointer", ExifTag.gpsIFD: "GPS IFD Pointer",
        ExifTag.interopIFD: "Interoperability IFD Pointer",
    ]

    /// Exif IFD tags (Exif 2.32 Table 7).
    static let exifTags: [UInt64: String] = [
        0x9000: "ExifVersion", 0xa000: "FlashpixVersion", 0xa001: "ColorSpace", 0xa500: "Gamma",
        0x9101: "ComponentsConfiguration", 0x9102: "CompressedBitsPerPixel", 0xa002: "PixelXDimension",
        0xa003: "PixelYDimension", 0x927c: "MakerNote", 0x9286: "UserComment", 0xa004: "RelatedSoundFile",
        0x9003: "DateTimeOriginal", 0x9004: "DateTimeDigitized", 0x9010: "OffsetTime", 0x9011: "OffsetTimeOriginal",
        0x9012: "OffsetTimeDigitized", 0x9290: "SubSecTime", 0x9291: "SubSecTimeOriginal",
        0x9292: "SubSecTimeDigitized",
        0x829a: "ExposureTime", 0x829d: "FNumber", 0x8822: "ExposureProgram", 0x8824: "SpectralSensitivity",
        0x8827: "PhotographicSensitivity", 0x8828: "OECF", 0x8830: "SensitivityType",
        0x8831: "StandardOutputSensitivity", 0x8832: "RecommendedExposureIndex", 0x8833: "ISOSpeed",
        0x8834: "ISOSpeedLatitudeyyy", 0x8835: "ISOSpeedLatitudezzz", 0x9201: "ShutterSpeedValue",
        0x9202: "ApertureValue", 0x9203: "BrightnessValue", 0x9204: "ExposureBiasValue", 0x9205: "MaxApertureValue",
        0x9206: "SubjectDistance", 0x9207: "MeteringMode", 0x9208: "LightSource", 0x9209: "Flash",
        0x920a: "FocalLength", 0x9214: "SubjectArea", 0xa20b: "FlashEnergy", 0xa20c: "SpatialFrequencyResponse",
        0xa20e: "FocalPlaneXResolution", 0xa20f: "FocalPlaneYResolution", 0xa210: "FocalPlaneResolutionUnit",
        0xa214: "SubjectLocation", 0xa215: "ExposureIndex", 0xa217: "SensingMethod", 0xa300: "FileSource",
        0xa301: "SceneType", 0xa302: "CFAPattern", 0xa401: "CustomRendered", 0xa402: "ExposureMode",
        0xa403: "WhiteBalance", 0xa404: "DigitalZoomRatio", 0xa405: "FocalLengthIn35mmFilm",
        0xa406: "SceneCaptureType", 0xa407: "GainControl", 0xa408: "Contrast", 0xa409: "Saturation",
        0xa40a: "Sharpness", 0xa40b: "DeviceSettingDescription", 0xa40c: "SubjectDistanceRange",
        0xa460: "CompositeImage", 0xa461: "SourceImageNumberOfCompositeImage",
        0xa462: "SourceExposureTimesOfCompositeImage",
        0x9400: "Temperature", 0x9401: "Humidity", 0x9402: "Pressure", 0x9403: "WaterDepth", 0x9404: "Acceleration",
        0x9405: "CameraElevationAngle",
        0xa420: "ImageUniqueID", 0xa430: "CameraOwnerName", 0xa431: "BodySerialNumber", 0xa432: "LensSpecification",
        0xa433: "LensMake", 0xa434: "LensModel", 0xa435: "LensSerialNumber",
    ]

    /// GPS IFD tags (Exif 2.32 Table 15).
    static let gpsTags: [UInt64: String] = [
        0x00: "GPSVersionID", 0x01: "GPSLatitudeRef", 0x02: "GPSLatitude", 0x03: "GPSLongitudeRef",
        0x04: "GPSLongitude", 0x05: "GPSAltitudeRef", 0x06: "GPSAltitude", 0x07: "GPSTimeStamp",
        0x08: "GPSSatellites", 0x09: "GPSStatus", 0x0a: "GPSMeasureMode", 0x0b: "GPSDOP", 0x0c: "GPSSpeedRef",
        0x0d: "GPSSpeed", 0x0e: "GPSTrackRef", 0x0f: "GPSTrack", 0x10: "GPSImgDirectionRef", 0x11: "GPSImgDirection",
        0x12: "GPSMapDatum", 0x13: "GPSDestLatitudeRef", 0x14: "GPSDestLatitude", 0x15: "GPSDestLongitudeRef",
        0x16: "GPSDestLongitude", 0x17: "GPSDestBearingRef", 0x18: "GPSDestBearing", 0x19: "GPSDestDistanceRef",
        0x1a: "GPSDestDistance", 0x1b: "GPSProcessingMethod", 0x1c: "GPSAreaInformation", 0x1d: "GPSDateStamp",
        0x1e: "GPSDifferential", 0x1f: "GPSHPositioningError",
    ]

    static let interopTags: [UInt64: String] = [0x1: "InteroperabilityIndex"]
}

/// The IFD0 tags that point to another IFD (Exif 2.32 §4.6.3).
enum ExifTag {
    static let exifIFD: UInt64 = 0x8769
    static let gpsIFD: UInt64 = 0x8825
    static let interopIFD: UInt64 = 0xa005
}
