"""Packet-crafting helpers shared by the fixture generators (`*/make_fixtures.py`).

A generator imports them with `sys.path.insert(0, <this folder>)` and `from craft import *`.
Everything here writes classic little-endian microsecond pcap files, one frame per second from
`t0`, with the original length equal to the captured length.
"""
import socket
import struct


def pcap(path, frames, linktype=1, t0=1000):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype))
        for i, fr in enumerate(frames):
            f.write(struct.pack('<IIII', t0 + i, 0, len(fr), len(fr)))
            f.write(fr)


def mac(s): return bytes.fromhex(s.replace(':', ''))
def ip(s): return bytes(int(x) for x in s.split('.'))
def eth(dst, src, t, payload): return mac(dst) + mac(src) + struct.pack('>H', t) + payload


def arp(op, sha, spa, tha, tpa, hrd=1, pro=0x800, hln=6, pln=4):
    return struct.pack('>HHBBH', hrd, pro, hln, pln, op) + sha + spa + tha + tpa


def csum(b):
    """The Internet checksum (RFC 1071) of b."""
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ipv4(src, dst, proto, payload, ttl=64, ident=1, tot=None, flags=0):
    tl = tot if tot is not None else 20 + len(payload)
    h = struct.pack('>BBHHHBBH4s4s', 0x45, 0, tl, ident, flags, ttl, proto, 0, ip(src), ip(dst))
    h = h[:10] + struct.pack('>H', csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, nxt, payload):
    return (struct.pack('>IHBB', 0x60000000, len(payload), nxt, 64) + socket.inet_pton(socket.AF_INET6, src)
            + socket.inet_pton(socket.AF_INET6, dst) + payload)


def icmp(t, c, rest, data=b'', bad=False):
    b = struct.pack('>BBH', t, c, 0) + rest + data
    ck = csum(b)
    if bad:
        ck ^= 0x1111
    return b[:2] + struct.pack('>H', ck) + b[4:]


def udp(sp, dp, payload, src='0.0.0.0', dst='0.0.0.0'):
    """UDP without a checksum (0: none)."""
    return struct.pack('>HHHH', sp, dp, 8 + len(payload), 0) + payload


def tcp(sp, dp, seq, ack, flags=0x18, payload=b''):
    return struct.pack('>HHIIBBHHH', sp, dp, seq, ack, 0x50, flags, 8192, 0x1234, 0) + payload


E1 = '02:00:00:00:00:01'
E2 = '02:00:00:00:00:02'
def e(ipb): return eth(E2, E1, 0x800, ipb)


# tshark 4.0.17 references of crafted captures (only the generators need tshark; tests never do).

def tshark(args):
    """tshark's standard output for `args`, in UTC."""
    import os
    import subprocess
    return subprocess.run(['tshark'] + args, capture_output=True, text=True, env=dict(os.environ, TZ='UTC')).stdout


def excerpt(text, tops):
    """The `-V` text cut to the "Frame N" lines and the top-level blocks whose first line starts
    with one of `tops` (hex dumps dropped)."""
    import re
    hexline = re.compile(r'^[0-9a-f]{4}  ')
    out, keep = [], False
    for line in text.split('\n'):
        if line != '' and not line.startswith(' ') and not hexline.match(line):
            if line.startswith('Frame '):
                out.append(line)
                keep = False
                continue
            keep = any(line.startswith(p) for p in tops)
        if keep:
            out.append(line)
    return '\n'.join(out) + '\n'


def write_references(here, captures, fields, tops):
    """NAME.summary.txt (`tshark -n -r`), NAME.excerpt.txt (`-V`, see `excerpt`) and
    NAME.fields.tsv (`-T fields -E header=y -e …`) next to each capture NAME.pcap in `here`."""
    import os
    for cap in captures:
        path = os.path.join(here, cap)
        name = path[:-5]
        open(name + '.summary.txt', 'w').write(tshark(['-n', '-r', path]))
        open(name + '.excerpt.txt', 'w').write(excerpt(tshark(['-n', '-r', path, '-V']), tops))
        args = ['-n', '-r', path, '-T', 'fields', '-E', 'header=y']
        for f in fields:
            args += ['-e', f]
        open(name + '.fields.tsv', 'w').write(tshark(args))
