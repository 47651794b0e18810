import DissectKit

/// Compuserve GIF (GIF87a and GIF89a): the logical screen descriptor, the global colour
/// table, then extensions, images and the trailer with their data sub-blocks. Reached through
/// `media_type` ("image/gif") and the `http` heuristic list (tshark's `gif_http`).
public enum GIFPlugin: ProtocolPlugin {
    public static func register(_ r: Registrar) {
        let d = GIFDissector(r)
        let h = r.handle(d.hf.proto, d)
        r.registerDissector("image-gif", h)
        r.table("media_type", uiName: "Internet media type").add("image/gif", h)
        r.table("http", uiName: "HTTP").addHeuristic("gif_http", h)
    }
}

final class GIFDissector: Dissector {
    struct Fields {
        var proto = FieldID.textOnly
        var version = FieldID.textOnly
        var screenWidth = FieldID.textOnly
        var screenHeight = FieldID.textOnly
        var globalMapPresent = FieldID.textOnly
        var globalColorBits = FieldID.textOnly
        var globalMapOrdered = FieldID.textOnly
        var globalBPP = FieldID.textOnly
        var background = FieldID.textOnly
        var aspectRatio = FieldID.textOnly
        var globalMap = FieldID.textOnly
        var imageLeft = FieldID.textOnly
        var imageTop = FieldID.textOnly
        var imageWidth = FieldID.textOnly
        var imageHeight = FieldID.textOnly
        var localMapPresent = FieldID.textOnly
        var localColorBits = FieldID.textOnly
        var localMapOrdered = FieldID.textOnly
        /// Registered as tshark does, but tshark 4.0 shows the local bits per pixel with
        /// `image-gif.global.bpp`; so do we.
        var localBPP = FieldID.textOnly
        var localMap = FieldID.textOnly
        var extensionItem = FieldID.textOnly
        var extensionLabel = FieldID.textOnly
        var image = FieldID.textOnly
        var codeSize = FieldID.textOnly
        var trailer = FieldID.textOnly
        var dataBlock = FieldID.textOnly
        var eiUnknownBlock = FieldID.textOnly
    }
    var hf = Fields()

    init(_ r: Registrar) {
        let p = r.registerProtocol(name: "Compuserve GIF", shortName: "GIF image", abbrev: "image-gif")
        hf.proto = p
        let trueFalse: ValueStrings = .values([0: "False", 1: "True"])
        hf.version = r.field("Version", "image-gif.version", .string, blurb: "GIF Version", in: p)
        hf.screenWidth = r.field("Screen width", "image-gif.screen.width", .uint16, .dec, in: p)
        hf.screenHeight = r.field("Screen height", "image-gif.screen.height", .uint16, .dec, in: p)
        hf.globalMapPresent = r.field("Global color map is present", "image-gif.global.color_map.present", .uint8, .dec,
                                      strings: trueFalse, bitmask: 0x80,
                                      blurb: "Indicates if the global color map is present", in: p)
        hf.globalColorBits = r.field("Bits per color minus 1", "image-gif.global.color_bpp", .uint8, .dec, bitmask: 0x70,
                                     blurb: "The number of bits per color is one plus the field value.", in: p)
        hf.globalMapOrdered = r.field("Global color map is ordered", "image-gif.global.color_map.ordered", .uint8, .dec,
                                      strings: trueFalse, bitmask: 0x08,
                                      blurb: "Indicates whether the global color map is ordered.", in: p)
        hf.globalBPP = r.field("Image bits per pixel minus 1", "image-gif.global.bpp", .uint8, .dec, bitmask: 0x07,
                               blurb: "The number of bits per pixel is one plus the field value.", in: p)
        hf.background = r.field("Background color index", "image-gif.image_background_index", .uint8, .dec,
                                blurb: "Index of the background color in the color map.", in: p)
        hf.aspectRatio = r.field("Global pixel aspect ratio", "image-gif.global.pixel_aspect_ratio", .uint8, .dec,
                                 blurb: "Gives an approximate value of the aspect ratio of the pixels.", in: p)
        hf.globalMap = r.field("Global color map", "image-gif.global.color_map", .bytes, blurb: "Global color map.", in: p)
        hf.imageLeft = r.field("Image left position", "image-gif.image.left", .uint16, .dec,
                               blurb: "Offset between left of Screen and left of Image.", in: p)
        hf.imageTop = r.field("Image top position", "image-gif.image.top", .uint16, .dec,
                              blurb: "Offset between top of Screen and top of Image.", in: p)
        hf.imageWidth = r.field("Image width", "image-gif.image.width", .uint16, .dec, blurb: "Image width.", in: p)
        hf.imageHeight = r.field("Image height", "image-gif.image.height", .uint16, .dec, blurb: "Image height.", in: p)
        hf.localMapPresent = r.field("Local color map is present", "image-gif.local.color_map.present", .uint8, .dec,
                                     strings: trueFalse, bitmask: 0x80,
                                     blurb: "Indicates if the local color map is present", in: p)
        hf.localColorBits = r.field("Bits per color minus 1", "image-gif.local.color_bpp", .uint8, .dec, bitmask: 0x70,
                                    blurb: "The number of bits per color is one plus the field value.", in: p)
        hf.localMapOrdered = r.field("Local color map is ordered", "image-gif.local.color_map.ordered", .uint8, .dec,
                                     strings: trueFalse, bitmask: 0x08,
                                     blurb: "Indicates whether the local color map is ordered.", in: p)
        hf.localBPP = r.field("Image bits per pixel minus 1", "image-gif.local.bpp", .uint8, .dec, bitmask: 0x07,
                              blurb: "The number of bits per pixel is one plus the field value.", in: p)
        hf.localMap = r.field("Local color map", "image-gif.local.color_map", .bytes, blurb: "Local color map.", in: p)
        hf.extensionItem = r.field("Extension", "image-gif.extension", .none, blurb: "Extension.", in: p)
        hf.extensionLabel = r.field("Extension label", "image-gif.extension.label", .uint8, .hex,
                                    strings: .values(GIFNames.extensions), blurb: "Extension label.", in: p)
        hf.image = r.field("Image", "image-gif.image", .none, blurb: "Image.", in: p)
        hf.codeSize = r.field("LZW minimum code size", "image-gif.image.code_size", .uint8, .dec,
                              blurb: "Minimum code size for the LZW compression.", in: p)
        hf.trailer = r.field("Trailer (End of the GIF stream)", "image-gif.end", .none,
                             blurb: "This byte tells the decoder that the data stream is finished.", in: p)
        hf.dataBlock = r.field("Data block", "image-gif.data_block", .uintBytes, in: p)
        hf.eiUnknownBlock = r.expert("gif.data_block_type.unknown", "Unknown GIF data block type", .warning, .protocol,
                                     in: p)
    }
}

enum GIFNames {
    /// GIF89a §23–26 extension labels.
    static let extensions: [UInt64: String] = [
        0xf9: "Graphics Control", 0xfe: "Comment", 0xff: "Application", 0x01: "Plain Text",
    ]
}
