#!/usr/bin/env python3
"""Writes the crafted capture fixtures of Tests/Fixtures/Capture (run from this directory).

Every file here is small and made by this script, so the bytes are known: pcap in both byte
orders with micro- and nanosecond magic, the FCS bits of the link-type field, pcapng with several
interfaces (names, descriptions, if_tsresol, if_tsoffset), EPB options, PB, SPB, NRB, ISB, DSB and a
Custom Block, a second big-endian section, and gzip-compressed copies. The reference outputs
beside them were made with tshark 4.0.17 (see README.md).
"""
import gzip
import struct


class NG:
    """A pcapng section writer."""

    def __init__(self, be=False):
        self.be = be
        self.out = b''

    def p(self, fmt, *a):
        return struct.pack(('>' if self.be else '<') + fmt, *a)

    def opts(self, options):
        b = b''
        for code, val in options:
            if isinstance(val, str):
                val = val.encode()
            b += self.p('HH', code, len(val)) + val + b'\0' * ((-len(val)) % 4)
        if options:
            b += self.p('HH', 0, 0)
        return b

    def block(self, t, body):
        body += b'\0' * ((-len(body)) % 4)
        n = 12 + len(body)
        self.out += self.p('II', t, n) + body + self.p('I', n)
        return self

    def shb(self, options=()):
        return self.block(0x0a0d0d0a, self.p('IHHq', 0x1a2b3c4d, 1, 0, -1) + self.opts(options))

    def idb(self, linktype=1, snaplen=0, options=()):
        return self.block(1, self.p('HHI', linktype, 0, snaplen) + self.opts(options))

    def epb(self, iface, ts, data, orig=None, options=()):
        body = self.p('IIIII', iface, ts >> 32, ts & 0xffffffff, len(data),
                      len(data) if orig is None else orig) + data + b'\0' * ((-len(data)) % 4)
        return self.block(6, body + self.opts(options))

    def pb(self, iface, ts, data, drops=0, options=()):
        body = self.p('HHIIII', iface, drops, ts >> 32, ts & 0xffffffff, len(data), len(data))
        body += data + b'\0' * ((-len(data)) % 4)
        return self.block(2, body + self.opts(options))

    def spb(self, data):
        return self.block(3, self.p('I', len(data)) + data)

    def nrb(self):
        rec = self.p('HH', 1, 4 + 10) + bytes([10, 0, 0, 1]) + b'host-one\0\0'
        return self.block(4, rec + b'\0' * ((-len(rec)) % 4) + self.p('HH', 0, 0))

    def isb(self, iface):
        return self.block(5, self.p('III', iface, 0, 0) + self.opts([(4, self.p('Q', 12))]))

    def dsb(self, stype, secret):
        return self.block(10, self.p('II', stype, len(secret)) + secret + b'\0' * ((-len(secret)) % 4))

    def custom(self, pen, data, copy=True):
        return self.block(0x0bad if copy else 0x40000bad, self.p('I', pen) + data)


def pcap(packets, linktype=1, nano=False, be=False, snaplen=65535):
    e = '>' if be else '<'
    out = struct.pack(e + 'IHHiIII', 0xa1b23c4d if nano else 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype)
    for sec, frac, data, orig in packets:
        out += struct.pack(e + 'IIII', sec, frac, len(data), len(data) if orig is None else orig) + data
    return out


def eth_udp(payload=b'hello', ident=0):
    """Ethernet II / IPv4 / UDP from 10.0.0.1:1234 to 10.0.0.2:5678, checksums zero."""
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 28 + len(payload), ident, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    udp = struct.pack('>HHHH', 1234, 5678, 8 + len(payload), 0)
    return bytes.fromhex('020000000002020000000001') + b'\x08\x00' + ip + udp + payload


def write(name, data):
    with open(name, 'wb') as f:
        f.write(data)


# Classic pcap: three packets (the second cut by the snapshot length), in four flavours.
long_payload = bytes(range(32, 127))
packets_us = [(1_700_000_000, 123456, eth_udp(b'first', 1), None),
              (1_700_000_000, 623456, eth_udp(long_payload, 2)[:60], 14 + 20 + 8 + len(long_payload)),
              (1_700_000_002, 5, eth_udp(b'', 3), None)]
packets_ns = [(s, f * 1000 + 789 if i < 2 else 999_999_999, d, o) for i, (s, f, d, o) in enumerate(packets_us)]
write('le-usec.pcap', pcap(packets_us, snaplen=60))
write('be-usec.pcap', pcap(packets_us, be=True, snaplen=60))
write('le-nsec.pcap', pcap(packets_ns, nano=True, snaplen=60))
write('be-nsec.pcap', pcap(packets_ns, nano=True, be=True, snaplen=60))
# LINKTYPE_ETHERNET | FCS present | 2 16-bit words of FCS (libpcap's LT_FCS_DATALINK_EXT(2)).
write('fcs.pcap', pcap([(1_700_000_000, 0, eth_udp(b'fcs!') + b'\xde\xad\xbe\xef', None)], linktype=0x24000001))

# pcapng with most block types and options.
p = eth_udp()
g = NG()
g.shb(options=[(1, 'section comment'), (2, 'test hardware'), (3, 'test os'), (4, 'make_fixtures.py')])
g.idb(1, 0, [(2, 'eth0'), (3, 'First NIC'), (9, bytes([6]))])
g.idb(1, 0, [(3, 'only a description')])
g.idb(1, 0, [(15, 'only hardware')])
g.idb(1, 0, [(9, bytes([4]))])                                   # 10^-4 s
g.idb(1, 0, [(9, bytes([0x80 | 20]))])                           # 2^-20 s
g.idb(1, 0, [(9, bytes([12])), (14, struct.pack('<q', 100))])    # 10^-12 s, offset 100 s
g.idb(1, 64, [(2, 'snap64')])
g.idb(0, 0, [(2, 'lo0')])                                        # BSD loopback
g.nrb()
g.epb(0, 1_700_000_000_123456, p, options=[(1, 'c1'), (1, 'second comment'), (2, struct.pack('<I', 1))])
g.epb(1, 1_700_000_000_223456, p, options=[(2, struct.pack('<I', 2)), (6, struct.pack('<I', 3)),
                                           (4, struct.pack('<Q', 7)), (5, struct.pack('<Q', 99))])
g.epb(2, 1_700_000_000_323456, p, options=[(2, struct.pack('<I', 0x01000000 | (3 << 2) | (4 << 5)))])
g.epb(3, 17_000_000_004_234, p)
g.epb(4, (1_700_000_000 << 20) + 12345, p)
g.epb(5, 12_345_678_901_234_567_890, p)
g.epb(6, 1_700_000_000_123456, p, orig=200)
g.epb(7, 1_700_000_000_500000, struct.pack('<I', 2) + p[14:])
g.pb(0, 1_700_000_001_000000, p, drops=5, options=[(1, 'pb comment')])
g.isb(0)
g.dsb(0x544c534b, b'CLIENT_RANDOM 00112233 44556677\n')
g.spb(p)
g.custom(32473, b'xyz')
write('features.pcapng', g.out)
write('features.pcapng.gz', gzip.compress(g.out, mtime=0))

# Two sections; the second is big-endian and has its own interface (tshark 4.0 names it by the
# first section's interface with the same index).
a = NG().shb().idb(1, 0, [(2, 'eth0')]).idb(1, 0, [(2, 'eth1')])
a.epb(1, 1_700_000_000_000000, p)
b = NG(be=True).shb().idb(1, 0, [(2, 'sec2if0'), (9, bytes([9]))])
b.epb(0, 1_700_000_001_000000000, p, options=[(1, 'big-endian comment')])
write('sections.pcapng', a.out + b.out)
write('le-usec.pcap.gz', gzip.compress(pcap(packets_us, snaplen=60), mtime=0))

# Fractions out of range, which wiretap keeps as they are (tshark prints odd but finite times):
# 1.5 million µs, 4e9 µs (wraps when made nanoseconds), 0xffffffff µs, and a time stamp 136
# years after the others (a 1 s io,stat must stay bounded).
write('bad-fraction.pcap', pcap([(1000, 1_500_000, eth_udp(), None), (999, 4_000_000_000, eth_udp(), None),
                                 (1001, 0, eth_udp(), None), (0, 0xffffffff, eth_udp(), None),
                                 (0xffffffff, 999_999, eth_udp(), None)]))
