import DissectKit

/// A marker segment (or the TIFF data inside one) as tshark's subset tvbuff sees it: `declared`
/// bytes long — what the segment's length field says — of which `view` holds the part the
/// data really has. A read past `declared` is tshark's ReportedBoundsError (a plain
/// "[Malformed Packet]"); one inside `declared` but past the data is its ContainedBoundsError
/// ("… length of contained item exceeds length of containing item").
struct JFIFSegment {
    let view: ByteView
    let declared: Int

    init(_ data: ByteView, at offset: Int, declared: Int) {
        view = data.suffix(from: offset).prefix(declared)
        self.declared = declared
    }

    private init(view: ByteView, declared: Int) {
        self.view = view
        self.declared = declared
    }

    /// The error for an access starting at `offset` (≥ 0) and ending at `end`.
    private func failure(_ offset: Int, _ end: Int) -> Malformed {
        // tshark checks the start first (a start past the data but inside the segment is
        // "contained"), then the end.
        Malformed(containedLength: offset > view.count ? offset <= declared : end <= declared)
    }

    /// Checks `[offset, offset+length)` and returns the start, resolving a negative offset from
    /// the end of the data as tshark does (IFD offsets ≥ 2^31 turn negative in its C ints).
    func start(_ offset: Int, _ length: Int) throws(Malformed) -> Int {
        var o = offset
        if o < 0 {
            guard -o <= view.count else { throw Malformed(containedLength: -o <= declared) }
            o += view.count
        }
        guard length >= 0 else { throw Malformed() }
        if o + length > view.count { throw failure(o, o + length) }
        return o
    }

    /// tshark's length -1: the rest of the data from `offset`, which must hold at least one byte.
    func rest(_ offset: Int) throws(Malformed) -> (start: Int, length: Int) {
        let o = try start(offset, 0)
        guard o < view.count else { throw Malformed(containedLength: o < declared) }
        return (o, view.count - o)
    }

    func u8(_ offset: Int) throws(Malformed) -> UInt8 {
        view[unchecked: try start(offset, 1)]
    }

    func u16(_ offset: Int, littleEndian: Bool = false) throws(Malformed) -> UInt16 {
        let o = try start(offset, 2)
        return littleEndian ? try view.u16le(o) : try view.u16(o)
    }

    func u32(_ offset: Int, littleEndian: Bool = false) throws(Malformed) -> UInt32 {
        let o = try start(offset, 4)
        return littleEndian ? try view.u32le(o) : try view.u32(o)
    }

    /// tshark's `tvb_new_subset_remaining`.
    func suffix(from offset: Int) throws(Malformed) -> JFIFSegment {
        let o = try start(offset, 0)
        return JFIFSegment(view: view.suffix(from: o), declared: declared - o)
    }

    /// tshark's `tvb_get_stringz_enc` size: the bytes up to and including the first NUL.
    func stringzSize(_ offset: Int) throws(Malformed) -> Int {
        let o = try start(offset, 0)
        guard let nul = view.firstIndex(of: 0, from: o) else {
            throw Malformed(containedLength: view.count < declared)
        }
        return nul - o + 1
    }

    /// True when the bytes at `offset` are `literal` followed by a NUL (`strcmp` on a stringz).
    func isString(_ literal: StaticString, at offset: Int, size: Int) -> Bool {
        size == literal.utf8CodeUnitCount + 1 && view.matches(literal, at: offset)
    }
}
