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
