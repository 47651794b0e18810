#!/usr/bin/env python3
"""Crafts the image test captures (run in this directory to rebuild them).

Every image is built byte by byte here (no imaging library), so each case is explicit:
PNG chunk types, GIF87a/GIF89a blocks and extensions, JFIF/Exif JPEG marker segments, and
truncated or malformed images. They travel as HTTP response bodies (one TCP segment each,
`Content-Type: image/…`) and as base64 parts of one SMTP mail (multipart/mixed), the two ways
tshark hands a body to the `media_type` table.

The references next to the captures are tshark 4.0.17's output:
    tshark -r NAME.pcap > NAME.summary.txt
    tshark -r NAME.pcap -V | python3 excerpt.py > NAME.media.txt
    sh fields.sh tshark            # NAME.fields.tsv
zeek-logo.png (the image of Zeek's rfc3030 trace, see README.md) must be in this directory.
"""
import base64
import struct
import zlib


def pcap(path, frames, linktype=1):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, linktype))
        for ts, fr in frames:
            sec = int(ts)
            usec = int(round((ts - sec) * 1e6))
            f.write(struct.pack('<IIII', 1000 + sec, usec, len(fr), len(fr)))
            f.write(fr)


def mac(s): return bytes.fromhex(s.replace(':', ''))
def ip4(s): return bytes(int(x) for x in s.split('.'))


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def eth(dst, src, t, payload): return mac(dst) + mac(src) + struct.pack('>H', t) + payload


def ipv4(src, dst, proto, payload, ident=1):
    h = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, 0, 64, proto, 0, ip4(src), ip4(dst))
    return h[:10] + struct.pack('>H', csum(h)) + h[12:] + payload


def tcp(sp, dp, seq, ack, flags=0x18, payload=b''):
    return struct.pack('>HHIIBBHHH', sp, dp, seq, ack, 0x50, flags, 65535, 0, 0) + payload


CMAC = '02:00:00:00:00:01'
SMAC = '02:00:00:00:00:02'
CLIENT = '10.0.0.1'
SERVER = '10.0.0.2'


def seg(from_server, sp, dp, seq, ack, flags=0x18, payload=b'', ident=1):
    if from_server:
        return eth(CMAC, SMAC, 0x800, ipv4(SERVER, CLIENT, 6, tcp(sp, dp, seq, ack, flags, payload), ident))
    return eth(SMAC, CMAC, 0x800, ipv4(CLIENT, SERVER, 6, tcp(sp, dp, seq, ack, flags, payload), ident))


def http_responses(path, bodies):
    """One HTTP/1.1 response per body, each in its own TCP connection (server port 80)."""
    frames = []
    t = 0.0
    for i, (ctype, body) in enumerate(bodies):
        head = 'HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n' % (ctype, len(body))
        frames.append((t, seg(True, 80, 40000 + i, 1000, 2000, 0x18, head.encode() + body, i + 1)))
        t += 0.25
    pcap(path, frames)


# ---------------------------------------------------------------- PNG

PNG_SIG = b'\x89PNG\r\n\x1a\n'


def chunk(ctype, data, crc=None):
    if crc is None:
        crc = zlib.crc32(ctype + data) & 0xffffffff
    return struct.pack('>I', len(data)) + ctype + data + struct.pack('>I', crc)


def ihdr(w, h, depth=8, colour=2, comp=0, filt=0, inter=0):
    return chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, depth, colour, comp, filt, inter))


def idat_rgb(w, h):
    raw = b''.join(b'\0' + bytes((x * 16 + y) & 0xff for x in range(w * 3)) for y in range(h))
    return chunk(b'IDAT', zlib.compress(raw, 9))


PNG_RICH = (PNG_SIG + ihdr(4, 3)
            + chunk(b'gAMA', struct.pack('>I', 45455))
            + chunk(b'cHRM', struct.pack('>8I', 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000))
            + chunk(b'sRGB', b'\x00')
            + chunk(b'pHYs', struct.pack('>IIB', 2835, 2835, 1))
            + chunk(b'tIME', struct.pack('>HBBBBB', 2026, 11, 22, 19, 23, 27))
            + chunk(b'bKGD', struct.pack('>HHH', 0x00ff, 0x0080, 0x1234))
            + chunk(b'sBIT', b'\x08\x08\x08')
            + chunk(b'tRNS', struct.pack('>HHH', 1, 2, 3))
            + chunk(b'tEXt', b'Title\x00Hello PNG')
            + chunk(b'tEXt', b'Author\x00Caf\xe9 cr\xe8me')
            + chunk(b'zTXt', b'Comment\x00\x00' + zlib.compress(b'compressed comment'))
            + chunk(b'iTXt', b'Description\x00\x00\x00en\x00Description\x00caf\xc3\xa9')
            + chunk(b'iCCP', b'sRGB\x00\x00' + zlib.compress(b'\0' * 32))
            + chunk(b'abCd', b'private ancillary safe-to-copy')
            + chunk(b'XyZW', b'')
            + idat_rgb(4, 3)
            + chunk(b'IEND', b''))

PNG_PALETTE = (PNG_SIG + ihdr(2, 2, 1, 3, 0, 0, 1)
               + chunk(b'PLTE', bytes([255, 0, 0, 0, 255, 0]))
               + chunk(b'tRNS', b'\x80')
               + chunk(b'bKGD', b'\x01')
               + chunk(b'IDAT', zlib.compress(b'\x00\x40\x00\x80'))
               + chunk(b'IEND', b''))

PNG_GREY = (PNG_SIG + ihdr(1, 1, 16, 0)
            + chunk(b'bKGD', b'\x12\x34')
            + chunk(b'bKGD', b'\x01\x02\x03')       # a length no colour type has: no fields
            + chunk(b'tEXt', b'\x00empty keyword')  # keyword missing: nothing shown
            + chunk(b'tEXt', b'no terminator')      # no NUL: nothing shown
            + chunk(b'tEXt', b'Key\x00')            # empty text
            + chunk(b'IDAT', zlib.compress(b'\x00\x12\x34'))
            + chunk(b'IEND', b'', crc=0xdeadbeef))  # a wrong CRC is shown as read

PNG_ODD_HEADER = (PNG_SIG + ihdr(7, 5, 3, 5, 1, 2, 7)    # unknown colour/compression/filter/interlace
                  + chunk(b'IEND', b''))

PNG_TRUNCATED = (PNG_SIG + ihdr(4, 3) + idat_rgb(4, 3) + chunk(b'IEND', b''))[:-30]

PNG_HUGE_CHUNK = (PNG_SIG + ihdr(1, 1)
                  + struct.pack('>I', 0x80000000) + b'IDAT' + b'\0' * 16)

PNG_SHORT_IHDR = (PNG_SIG + chunk(b'IHDR', b'\x00\x00\x00\x10\x00') + chunk(b'IEND', b''))

PNG_SHORT_TIME = (PNG_SIG + ihdr(1, 1) + chunk(b'tIME', b'\x07\xea\x0b') + chunk(b'IEND', b''))

PNG_TRAILING = (PNG_SIG + ihdr(1, 1) + chunk(b'IEND', b'') + b'\r\n')

PNG_TOO_SMALL = PNG_SIG + b'\0\0\0\0IEND'                # under 20 bytes: not taken

PNG_BAD_SIGNATURE = b'\x89PNX\r\n\x1a\n' + ihdr(1, 1) + chunk(b'IEND', b'')

PNG_CASES = [
    ('image/png', PNG_RICH),
    ('image/png', PNG_PALETTE),
    ('image/png', PNG_GREY),
    ('image/png', PNG_ODD_HEADER),
    ('image/png', PNG_TRUNCATED),
    ('image/png', PNG_HUGE_CHUNK),
    ('image/png', PNG_SHORT_IHDR),
    ('image/png', PNG_SHORT_TIME),
    ('image/png', PNG_TRAILING),
    ('image/png', PNG_TOO_SMALL),
    ('image/png', PNG_BAD_SIGNATURE),
    ('Image/PNG', PNG_PALETTE),
]

# ---------------------------------------------------------------- GIF


def sub_blocks(data, size=255):
    out = b''
    for i in range(0, len(data), size):
        part = data[i:i + size]
        out += bytes([len(part)]) + part
    return out + b'\0'


GIF87 = (b'GIF87a' + struct.pack('<HHBBB', 2, 2, 0x80, 0, 0)
         + bytes([0, 0, 0, 255, 255, 255])
         + b',' + struct.pack('<HHHHB', 0, 0, 2, 2, 0)
         + b'\x02' + sub_blocks(b'\x44\x01')
         + b';')

# Global table: flags 0xf9 → present, colour bits (0x70) = 7, ordered, bpp-1 = 1 → 3 * 2^2 = 12 bytes.
GIF89 = (b'GIF89a' + struct.pack('<HHBBB', 16, 8, 0xf9, 3, 49)
         + bytes(range(12))
         + b'!\xf9' + sub_blocks(b'\x05\x0a\x00\x02')                       # graphics control
         + b'!\xfe' + sub_blocks(b'made for DissectKit tests')              # comment
         + b'!\xff' + b'\x0bNETSCAPE2.0' + b'\x03\x01\x00\x00' + b'\x00'    # application
         + b'!\x01' + sub_blocks(b'\x00' * 12 + b'Hi')                      # plain text
         + b'!\x42' + sub_blocks(b'??')                                     # unknown extension
         + b',' + struct.pack('<HHHHB', 1, 2, 8, 4, 0xe2)                   # local table, interlaced
         + bytes(range(24))
         + b'\x03' + sub_blocks(bytes(i & 0xff for i in range(300)))
         + b',' + struct.pack('<HHHHB', 0, 0, 16, 8, 0x00)
         + b'\x02' + sub_blocks(b'\x4c\x01')
         + b';' + b'after trailer')

GIF_UNKNOWN_BLOCK = (b'GIF89a' + struct.pack('<HHBBB', 1, 1, 0x00, 0, 0)
                     + b'\x00\x00'                                          # two stray bytes
                     + b',' + struct.pack('<HHHHB', 0, 0, 1, 1, 0)
                     + b'\x02' + sub_blocks(b'\x44')
                     + b';')

GIF_TRUNCATED = (b'GIF89a' + struct.pack('<HHBBB', 4, 4, 0x81, 0, 0)
                 + bytes(range(12))
                 + b',' + struct.pack('<HHHHB', 0, 0, 4, 4, 0)
                 + b'\x02' + b'\x10' + b'\x01\x02\x03')

GIF_NO_TRAILER = (b'GIF87a' + struct.pack('<HHBBB', 1, 1, 0x70, 0, 0)
                  + b',' + struct.pack('<HHHHB', 0, 0, 1, 1, 0x87) + bytes(range(48))
                  + b'\x02' + sub_blocks(b'\x44'))

GIF_TOO_SMALL = b'GIF89a' + b'\x01\x00\x01\x00\x00\x00\x00;'

GIF_CASES = [
    ('image/gif', GIF87),
    ('image/gif', GIF89),
    ('image/gif', GIF_UNKNOWN_BLOCK),
    ('image/gif', GIF_TRUNCATED),
    ('image/gif', GIF_NO_TRAILER),
    ('image/gif', GIF_TOO_SMALL),
]

# ---------------------------------------------------------------- JPEG


def seg_jpeg(marker, data):
    return struct.pack('>HH', marker, len(data) + 2) + data


APP0_JFIF = seg_jpeg(0xffe0, b'JFIF\x00' + struct.pack('>BBBHHBB', 1, 2, 1, 72, 72, 0, 0))
APP0_JFIF_THUMB = seg_jpeg(0xffe0, b'JFIF\x00' + struct.pack('>BBBHHBB', 1, 1, 0, 1, 1, 2, 1) + bytes(range(6)))
APP0_JFXX = seg_jpeg(0xffe0, b'JFXX\x00\x10' + b'\xff\xd8\xff\xd9')
APP0_OTHER = seg_jpeg(0xffe0, b'AVI1\x00rest')
DQT = seg_jpeg(0xffdb, b'\x00' + bytes(range(1, 65)))
SOF0 = seg_jpeg(0xffc0, struct.pack('>BHHB', 8, 16, 24, 3) + b'\x01\x22\x00\x02\x11\x01\x03\x11\x01')
DHT = seg_jpeg(0xffc4, b'\x00' + bytes([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]) + bytes(range(12)))
DRI = seg_jpeg(0xffdd, b'\x00\x04')
COM = seg_jpeg(0xfffe, b'a JPEG comment')
SOS = seg_jpeg(0xffda, b'\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00')
SOI = b'\xff\xd8'
EOI = b'\xff\xd9'
ENTROPY = b'\x12\x34\xff\x00\x56' + b'\xff\xd0' + b'\x78\x9a\xff\x00' + b'\xff\xd1' + b'\xbc'

JPEG_BASELINE = SOI + APP0_JFIF + COM + DQT + SOF0 + DHT + DRI + SOS + ENTROPY + EOI

JPEG_THUMB = (SOI + APP0_JFIF_THUMB + APP0_JFXX + APP0_OTHER
              + seg_jpeg(0xffe2, b'ICC_PROFILE\x00\x01\x01' + b'\0' * 8)
              + seg_jpeg(0xffe2, b'FPXR\x00\x00\x01')
              + seg_jpeg(0xffed, b'Photoshop 3.0\x00')
              + b'\xff\xff\xff' + DQT                                         # fill bytes
              + seg_jpeg(0xffc2, struct.pack('>BHHB', 8, 1, 1, 1) + b'\x01\x11\x00')
              + seg_jpeg(0xffda, b'\x01\x01\x00\x00\x3f\x00')
              + b'\x00\x01' + EOI + b'\xff\x01' + b'\xff\x02' + b'\x00')      # TEM, then a reserved marker


def tiff_le():
    # Little-endian TIFF: IFD0 with Make (ASCII), Orientation (SHORT), XResolution (RATIONAL),
    # an Exif IFD pointer (LONG), then the Exif IFD with ExifVersion (UNDEFINED) and an SLONG.
    entries0 = []
    data_area = b''
    ifd0_off = 8
    n0 = 4
    ifd0_len = 2 + n0 * 12 + 4
    data_off = ifd0_off + ifd0_len
    make = b'Canon\x00'
    make_off = data_off
    data_area += make
    xres_off = data_off + len(data_area)
    data_area += struct.pack('<II', 72, 1)
    exif_off = data_off + len(data_area)
    entries0.append(struct.pack('<HHI', 0x010f, 2, len(make)) + struct.pack('<I', make_off))
    entries0.append(struct.pack('<HHI', 0x0112, 3, 1) + struct.pack('<HH', 1, 0))
    entries0.append(struct.pack('<HHI', 0x011a, 5, 1) + struct.pack('<I', xres_off))
    entries0.append(struct.pack('<HHI', 0x8769, 4, 1) + struct.pack('<I', exif_off))
    ifd0 = struct.pack('<H', n0) + b''.join(entries0) + struct.pack('<I', 0)
    exif_entries = [
        struct.pack('<HHI', 0x9000, 7, 4) + b'0230',
        struct.pack('<HHI', 0x9204, 10, 1) + struct.pack('<I', exif_off + 2 + 3 * 12 + 4),
        struct.pack('<HHI', 0xa002, 9, 1) + struct.pack('<i', -5),
    ]
    exif_ifd = struct.pack('<H', 3) + b''.join(exif_entries) + struct.pack('<I', 0) + struct.pack('<ii', -1, 3)
    return b'II*\x00' + struct.pack('<I', ifd0_off) + ifd0 + data_area + exif_ifd


JPEG_EXIF = (SOI + seg_jpeg(0xffe1, b'Exif\x00\x00' + tiff_le())
             + seg_jpeg(0xffe1, b'http://ns.adobe.com/xap/1.0/\x00<x/>')
             + DQT + SOF0 + SOS + b'\x01\x02' + EOI)

JPEG_EXIF_BE_BAD = (SOI + seg_jpeg(0xffe1, b'Exif\x00\x00' + b'MM\x00*' + struct.pack('>I', 4) + b'\0' * 8)
                    + seg_jpeg(0xffe1, b'Exif\x00\x00' + b'XX\x00*' + b'\0' * 8)
                    + EOI)

JPEG_TRUNCATED = (SOI + APP0_JFIF + DQT + SOF0)[:-5]

JPEG_LONG_SEGMENT = SOI + APP0_JFIF + struct.pack('>HH', 0xfffe, 400) + b'too short a comment'

JPEG_NOT_JFIF = SOI + seg_jpeg(0xffe0, b'JFXX\x00\x10' + b'\0' * 16) + EOI

JPEG_CASES = [
    ('image/jpeg', JPEG_BASELINE),
    ('image/jpeg', JPEG_THUMB),
    ('image/jpeg', JPEG_EXIF),
    ('image/jpeg', JPEG_EXIF_BE_BAD),
    ('image/jpeg', JPEG_TRUNCATED),
    ('image/jpeg', JPEG_LONG_SEGMENT),
    ('image/jpeg', JPEG_NOT_JFIF),
    ('image/jpg', JPEG_BASELINE),
    ('image/jfif', JPEG_BASELINE),
]


# Exif with every tag tshark names: IFD0 (and a chained IFD1), the Exif, GPS and
# Interoperability IFDs, every value type, out-of-line values, and bogus offsets.
IFD0_TAGS = [0x0100, 0x0101, 0x0102, 0x0103, 0x0106, 0x0112, 0x0115, 0x011C, 0x0212, 0x0213, 0x011A, 0x011B,
             0x0128, 0x0111, 0x0116, 0x0117, 0x0201, 0x0202, 0x012D, 0x013E, 0x013F, 0x0211, 0x0214, 0x0132,
             0x010E, 0x010F, 0x0110, 0x0131, 0x013B, 0x8298, 0x1234]
EXIF_TAGS = [0x9000, 0xA000, 0xA001, 0xA500, 0x9101, 0x9102, 0xA002, 0xA003, 0x927C, 0x9286, 0xA004, 0x9003,
             0x9004, 0x9010, 0x9011, 0x9012, 0x9290, 0x9291, 0x9292, 0x829A, 0x829D, 0x8822, 0x8824, 0x8827,
             0x8828, 0x8830, 0x8831, 0x8832, 0x8833, 0x8834, 0x8835, 0x9201, 0x9202, 0x9203, 0x9204, 0x9205,
             0x9206, 0x9207, 0x9208, 0x9209, 0x920A, 0x9214, 0xA20B, 0xA20C, 0xA20E, 0xA20F, 0xA210, 0xA214,
             0xA215, 0xA217, 0xA300, 0xA301, 0xA302, 0xA401, 0xA402, 0xA403, 0xA404, 0xA405, 0xA406, 0xA407,
             0xA408, 0xA409, 0xA40A, 0xA40B, 0xA40C, 0xA460, 0xA461, 0xA462, 0x9400, 0x9401, 0x9402, 0x9403,
             0x9404, 0x9405, 0xA420, 0xA430, 0xA431, 0xA432, 0xA433, 0xA434, 0xA435, 0x0001]
GPS_TAGS = list(range(0x20))


class Tiff:
    """A TIFF body built in order: IFDs are laid out where they are added."""
    def __init__(self, little):
        self.e = '<' if little else '>'
        self.b = bytearray((b'II' if little else b'MM') + struct.pack(self.e + 'HI', 42, 8))

    def ifd(self, entries, next_ifd=0, extra=b''):
        """entries: (tag, type, count, 4-byte value field); returns (offset, patch position of next)."""
        at = len(self.b)
        self.b += struct.pack(self.e + 'H', len(entries))
        for tag, typ, count, value in entries:
            self.b += struct.pack(self.e + 'HHI', tag, typ, count) + value
        nxt = len(self.b)
        self.b += struct.pack(self.e + 'I', next_ifd) + extra
        return at, nxt

    def short(self, v): return struct.pack(self.e + 'HH', v, 0)
    def long(self, v): return struct.pack(self.e + 'I', v)
    def patch(self, pos, v): self.b[pos:pos + 4] = struct.pack(self.e + 'I', v)


def exif_tags_le():
    t = Tiff(True)
    ifd0 = [(tag, 3, 1, t.short(i)) for i, tag in enumerate(IFD0_TAGS)]
    ifd0 += [(0x8769, 4, 1, t.long(0)), (0x8825, 4, 1, t.long(0)), (0xA005, 4, 1, t.long(0)),
             (0x8769, 4, 1, t.long(0xfff0)),          # a pointer past the segment
             (0x010F, 2, 3, b'ab\x00\x00'),           # inline ASCII
             (0x0102, 1, 3, b'\x01\x02\x03\x00'),     # inline BYTEs
             (0x0103, 6, 1, t.long(0)),               # a type tshark does not know
             (0x0110, 2, 40, t.long(0xfff0))]         # an out-of-line value past the segment
    at0, next0 = t.ifd(ifd0)
    exif_at, _ = t.ifd([(tag, 4, 1, t.long(i)) for i, tag in enumerate(EXIF_TAGS)])
    gps_at, _ = t.ifd([(tag, 1, 1, bytes([i, 0, 0, 0])) for i, tag in enumerate(GPS_TAGS)])
    interop_at, _ = t.ifd([(0x0001, 2, 4, b'R98\x00'), (0x0002, 7, 4, b'0100')])
    # IFD1, chained from IFD0: out-of-line BYTE, SHORT, LONG and SLONG lists.
    ifd1_at, next1 = t.ifd([(0x0100, 3, 3, t.long(0)), (0x0101, 4, 2, t.long(0)), (0x0102, 1, 6, t.long(0)),
                            (0x0103, 9, 2, t.long(0))])
    data_at = len(t.b)
    t.b += struct.pack('<HHH', 1, 2, 3) + struct.pack('<II', 70000, 5) + bytes(range(6)) + struct.pack('<ii', -7, 7)
    # Patch the pointers now that everything has an offset.
    base = at0 + 2
    for i, (tag, typ, count, value) in enumerate(ifd0):
        pos = base + i * 12 + 8
        if tag == 0x8769 and value == t.long(0): t.patch(pos, exif_at)
        if tag == 0x8825: t.patch(pos, gps_at)
        if tag == 0xA005: t.patch(pos, interop_at)
    t.patch(next0, ifd1_at)
    base = ifd1_at + 2
    for i, off in enumerate([data_at, data_at + 6, data_at + 14, data_at + 20]):
        t.patch(base + i * 12 + 8, off)
    t.patch(next1, 2)   # an IFD offset pointing backwards
    return bytes(t.b)


def exif_be_small():
    t = Tiff(False)
    at, nxt = t.ifd([(0x0112, 3, 1, t.short(6)), (0x011A, 5, 1, t.long(0)), (0x8769, 4, 1, t.long(0))])
    rat = len(t.b)
    t.b += struct.pack('>II', 300, 1)
    exif = len(t.b)
    t.ifd([(0x9204, 10, 1, t.long(0)), (0x9000, 7, 0xffffffff, t.long(0))])  # count -1: to the end
    srat = len(t.b)
    t.b += struct.pack('>ii', -2, 3)
    t.patch(at + 2 + 12 + 8, rat)
    t.patch(at + 2 + 24 + 8, exif)
    t.patch(exif + 2 + 8, srat)
    t.patch(exif + 2 + 12 + 8, srat)
    return bytes(t.b)


JPEG_EXIF_TAGS = SOI + seg_jpeg(0xffe1, b'Exif\x00\x00' + exif_tags_le()) + EOI
JPEG_EXIF_BE = SOI + APP0_JFIF + seg_jpeg(0xffe1, b'Exif\x00\x00' + exif_be_small()) + EOI

# Segments broken in ways where tshark's summary-only run (no tree) and its -V run differ:
# it skips most segment parsers without a tree, but never APP1 (see JFIFDissector).
JPEG_EDGE_CASES = [
    SOI + seg_jpeg(0xffe0, b'JFIF\x00' + struct.pack('>BBBHHBB', 1, 1, 0, 1, 1, 4, 4) + b'\0' * 6) + DQT + EOI,
    SOI + APP0_JFIF + seg_jpeg(0xffc0, struct.pack('>BHHB', 8, 1, 1, 5) + b'\x01\x11\x00') + DQT + EOI,
    SOI + APP0_JFIF + DQT + b'\x01\x02\xff',                     # ends in a lone 0xFF
    SOI + APP0_JFIF + b'\xff\xdb\x00\x00' + DQT + EOI,           # length 0
    SOI + APP0_JFIF + b'\xff\xdb\x00\x02' + DQT + EOI,           # length 2: no data
    SOI + APP0_JFIF + seg_jpeg(0xffe5, b'xyz') + seg_jpeg(0xfffe, b'caf\xe9\x00x') + EOI,
    SOI + APP0_JFIF + DQT + b'garbage\x00' * 3,                  # no EOI
    SOI + APP0_JFIF + b'\xff\xdb\x00\x01' + DQT + EOI,           # length 1
    SOI + APP0_JFIF + seg_jpeg(0xffda, b'\x03\x01\x00')[:-1],    # SOS cut inside its length
    SOI + APP0_JFIF + b'\xff\xe0\x00\x64JFI',                    # identifier cut, segment longer than data
    SOI + APP0_JFIF + b'\xff\xe0\x00\x06JFIF\x00' + EOI + b'\0' * 10,  # identifier longer than its segment
    SOI + APP0_JFIF + b'\xff\xe1\x00\x64Exi',                    # the same in APP1 (parsed without a tree too)
    SOI + APP0_JFIF + b'\xff\xe1\x00\x06Exif\x00\x00' + EOI + b'\0' * 10,
    JPEG_EXIF_TAGS,
    JPEG_EXIF_BE,
]

# PNG chunk lengths around 2^31 and 2^32: tshark sizes the chunk item 12 + length in a C int.
PNG_LENGTH_CASES = [PNG_SIG + ihdr(1, 1) + struct.pack('>I', n) + b'IDAT' + b'\0' * 16
                    for n in [0x7fffffff, 0x7ffffff3, 0x7ffffff4, 0xfffffff3, 0xfffffff4, 0xfffffff5, 0xffffffff,
                              0x80000000, 100]]


def http_mixed(path):
    """Bodies whose Content-Type does not lead to an image dissector: tshark then tries its
    `http` heuristics (PNG, GIF, JFIF by signature) unless a media type dissector took the body."""
    frames = []
    cases = [('application/x-foo', PNG_PALETTE), ('image/png', GIF87), ('text/plain', GIF87),
             ('application/octet-stream', JPEG_BASELINE), (None, PNG_PALETTE), (None, JPEG_BASELINE),
             ('image/gif', PNG_TOO_SMALL), ('image/jpeg', b'not an image at all, just text')]
    for i, (ctype, body) in enumerate(cases):
        head = 'HTTP/1.1 200 OK\r\n' + ('Content-Type: %s\r\n' % ctype if ctype else '')
        head += 'Content-Length: %d\r\n\r\n' % len(body)
        frames.append((i * 0.25, seg(True, 80, 40000 + i, 1000, 2000, 0x18, head.encode() + body, i + 1)))
    pcap(path, frames)


# ---------------------------------------------------------------- mail


def smtp_mail(path, message):
    """A whole SMTP conversation (handshake, EHLO … DATA, the message, QUIT)."""
    frames = []
    t = [0.0]
    cs = [1000]
    ss = [5000]
    ident = [1]

    def send(from_server, flags, payload=b''):
        if from_server:
            fr = seg(True, 25, 45000, ss[0], cs[0], flags, payload, ident[0])
            ss[0] += len(payload) + (1 if flags & 0x02 else 0)
        else:
            fr = seg(False, 45000, 25, cs[0], ss[0], flags, payload, ident[0])
            cs[0] += len(payload) + (1 if flags & 0x02 else 0)
        ident[0] += 1
        frames.append((t[0], fr))
        t[0] += 0.01

    send(False, 0x02)
    send(True, 0x12)
    send(False, 0x10)
    for who, line in [(True, b'220 mx.example ESMTP\r\n'), (False, b'EHLO client.example\r\n'),
                      (True, b'250 mx.example\r\n'), (False, b'MAIL FROM:<a@client.example>\r\n'),
                      (True, b'250 2.1.0 Ok\r\n'), (False, b'RCPT TO:<b@mx.example>\r\n'),
                      (True, b'250 2.1.5 Ok\r\n'), (False, b'DATA\r\n'),
                      (True, b'354 End data with <CR><LF>.<CR><LF>\r\n')]:
        send(who, 0x18, line)
    body = message + b'.\r\n'
    for i in range(0, len(body), 1400):
        send(False, 0x18, body[i:i + 1400])
    for who, line in [(True, b'250 2.0.0 Ok: queued\r\n'), (False, b'QUIT\r\n'), (True, b'221 2.0.0 Bye\r\n')]:
        send(who, 0x18, line)
    pcap(path, frames)


def b64lines(data):
    s = base64.b64encode(data)
    return b''.join(s[i:i + 76] + b'\r\n' for i in range(0, len(s), 76))


def mail_message():
    parts = [('image/png', 'pic.png', PNG_PALETTE), ('image/gif', 'pic.gif', GIF87),
             ('image/jpeg', 'pic.jpg', JPEG_BASELINE), ('image/png', 'cut.png', PNG_TRUNCATED)]
    m = (b'From: A <a@client.example>\r\nTo: b@mx.example\r\nSubject: images\r\n'
         b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="XX"\r\n\r\n')
    for ctype, name, data in parts:
        m += (b'--XX\r\nContent-Type: ' + ctype.encode() + b'; name=' + name.encode()
              + b'\r\nContent-Transfer-Encoding: base64\r\n\r\n' + b64lines(data))
    return m + b'--XX--\r\n'


def single_part_mail():
    return (b'From: A <a@client.example>\r\nTo: b@mx.example\r\nSubject: one gif\r\n'
            b'MIME-Version: 1.0\r\nContent-Type: image/gif; name=x.gif\r\n'
            b'Content-Transfer-Encoding: base64\r\n\r\n' + b64lines(GIF89))


if __name__ == '__main__':
    http_responses('png-http.pcap', PNG_CASES)
    http_responses('gif-http.pcap', GIF_CASES)
    http_responses('jfif-http.pcap', JPEG_CASES)
    smtp_mail('images-mail.pcap', mail_message())
    smtp_mail('gif-mail.pcap', single_part_mail())
    http_responses('jfif-edge.pcap', [('image/jpeg', c) for c in JPEG_EDGE_CASES])
    http_responses('png-lengths.pcap', [('image/png', c) for c in PNG_LENGTH_CASES])
    http_mixed('http-heuristics.pcap')
    # A real PNG: the Zeek logo mailed in zeek/zeek testing/btest/Traces/smtp/rfc3030-bdat-multipart-chunked.pcap.
    with open('zeek-logo.png', 'rb') as f:
        http_responses('png-zeek-logo.pcap', [('image/png', f.read())])
