#!/usr/bin/env python3
"""Splits a capture (pcap or pcapng, optionally gzip-compressed) into N pcap files so that every
conversation lands whole in one file: packets go by a hash of their two IP addresses (order
independent), so TCP streams, IP fragments and tunnels stay together and each split can be
dissected on its own — by `dissect` on a Spark executor, say. Non-IP packets go to split 0.

usage: split_by_flow.py CAPTURE N OUTDIR   → prints the split files, one per line
"""
import gzip
import os
import struct
import sys
import zlib


def packets(path):
    """Yields (linktype, ts_sec, ts_frac_ns, data, orig_len) for each packet."""
    with open(path, "rb") as f:
        head = f.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        magic = f.read(4)
        if magic in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"):
            e = "<" if magic[0] in (0xd4, 0x4d) else ">"
            nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
            hdr = f.read(20)
            linktype = struct.unpack(e + "HHiIII", hdr)[5] & 0x0FFFFFFF
            while True:
                rec = f.read(16)
                if len(rec) < 16:
                    return
                sec, frac, incl, orig = struct.unpack(e + "IIII", rec)
                data = f.read(incl)
                yield linktype, sec, frac if nano else frac * 1000, data, orig
        elif magic == b"\x0a\x0d\x0d\x0a":
            yield from pcapng(f, magic)
        else:
            raise SystemExit(f"{path}: not a pcap or pcapng file")


def pcapng(f, first):
    e = "<"
    interfaces = []  # (linktype, ns per unit)
    block = first
    while True:
        if block is None:
            block = f.read(4)
        if len(block) < 4:
            return
        rest = f.read(8)
        if len(rest) < 8:
            return
        if block == b"\x0a\x0d\x0d\x0a":
            e = "<" if rest[4:8] == b"\x4d\x3c\x2b\x1a" else ">"
            interfaces = []
        btype = struct.unpack(e + "I", block)[0]
        blen = struct.unpack(e + "I", rest[:4])[0]
        body = rest[4:] + f.read(blen - 12)
        block = None
        if btype == 1:  # IDB
            linktype = struct.unpack(e + "H", body[:2])[0]
            unit = 1000  # microseconds unless if_tsresol says otherwise
            opts = body[8:-4]
            i = 0
            while i + 4 <= len(opts):
                code, olen = struct.unpack(e + "HH", opts[i:i + 4])
                if code == 0:
                    break
                if code == 9 and olen >= 1:
                    r = opts[i + 4]
                    unit = 10 ** 9 / (2 ** (r & 0x7F) if r & 0x80 else 10 ** r)
                i += 4 + ((olen + 3) & ~3)
            interfaces.append((linktype, unit))
        elif btype == 6 and interfaces:  # EPB
            iface, hi, lo, incl, orig = struct.unpack(e + "IIIII", body[:20])
            linktype, unit = interfaces[iface]
            ns = int(((hi << 32) | lo) * unit)
            yield linktype, ns // 10**9, ns % 10**9, body[20:20 + incl], orig
        elif btype == 3 and interfaces:  # SPB
            orig = struct.unpack(e + "I", body[:4])[0]
            linktype, _ = interfaces[0]
            yield linktype, 0, 0, body[4:4 + min(orig, len(body) - 8)], orig


def addresses(linktype, data):
    """The IP source and destination bytes, or None."""
    off = {1: 14, 101: 0, 228: 0, 229: 0, 113: 16, 276: 20, 0: 4, 109: 4}.get(linktype)
    if off is None:
        return None
    if linktype == 1:
        etype = struct.unpack(">H", data[12:14])[0] if len(data) >= 14 else 0
        while etype in (0x8100, 0x88A8) and len(data) >= off + 4:
            etype = struct.unpack(">H", data[off + 2:off + 4])[0]
            off += 4
    ip = data[off:]
    if len(ip) >= 20 and ip[0] >> 4 == 4:
        return ip[12:16], ip[16:20]
    if len(ip) >= 40 and ip[0] >> 4 == 6:
        return ip[8:24], ip[24:40]
    return None


def main():
    path, n, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    base = os.path.basename(path).split(".")[0]
    outs, names, linktype0 = {}, [], None
    for linktype, sec, ns, data, orig in packets(path):
        if linktype0 is None:
            linktype0 = linktype
        elif linktype != linktype0:
            raise SystemExit(f"{path}: several link types; split per interface first")
        a = addresses(linktype, data)
        k = zlib.crc32(min(a) + max(a)) % n if a else 0
        if k not in outs:
            name = os.path.join(outdir, f"{base}.split{k:03d}.pcap")
            outs[k] = open(name, "wb")
            outs[k].write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 262144, linktype))
            names.append(name)
        outs[k].write(struct.pack("<IIII", sec, ns, len(data), orig) + data)
    for f in outs.values():
        f.close()
    print("\n".join(sorted(names)))


if __name__ == "__main__":
    main()
