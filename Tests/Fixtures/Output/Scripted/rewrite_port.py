#!/usr/bin/env python3
"""Rewrites TCP/UDP port OLD to NEW in a classic pcap of Ethernet/IPv4 frames (checksums are
left as they are: tshark does not verify them by default)."""
import struct, sys
src, dst, old, new = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = open(src, 'rb').read()
out = bytearray(data[:24])
off = 24
while off + 16 <= len(data):
    ts1, ts2, incl, orig = struct.unpack('<IIII', data[off:off+16])
    pkt = bytearray(data[off+16:off+16+incl])
    if len(pkt) > 34 and pkt[12:14] == b'\x08\x00' and pkt[23] in (6, 17):
        ihl = (pkt[14] & 15) * 4
        t = 14 + ihl
        for p in (t, t + 2):
            if struct.unpack('>H', pkt[p:p+2])[0] == old:
                pkt[p:p+2] = struct.pack('>H', new)
    out += data[off:off+16] + pkt
    off += 16 + incl
open(dst, 'wb').write(out)
