#!/usr/bin/env python3
"""Crafts the DNS/mDNS/LLMNR test captures (run in this directory to rebuild them).

Every message is built byte by byte here (no DNS library), so each case is explicit:
header flags, sections, name compression, every RDATA layout the dissector knows, and
malformed messages (pointer loops, truncated records, bad label types, over-long names).
"""
import struct

def pcap(path, frames, linktype=1):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype))
        for ts, fr in frames:
            sec = int(ts); usec = int(round((ts - sec) * 1e6))
            f.write(struct.pack('<IIII', 1000 + sec, usec, len(fr), len(fr)))
            f.write(fr)

def mac(s): return bytes.fromhex(s.replace(':', ''))
def ip4(s): return bytes(int(x) for x in s.split('.'))
def ip6(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
def eth(dst, src, t, payload): return mac(dst) + mac(src) + struct.pack('>H', t) + payload
def ipv4(src, dst, proto, payload, ident=1):
    h = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, 0, 64, proto, 0, ip4(src), ip4(dst))
    return h[:10] + struct.pack('>H', csum(h)) + h[12:] + payload
def ipv6(src, dst, nh, payload):
    return struct.pack('>IHBB', 0x60000000, len(payload), nh, 64) + ip6(src) + ip6(dst) + payload
def udp(sp, dp, payload): return struct.pack('>HHHH', sp, dp, 8 + len(payload), 0) + payload
def tcp(sp, dp, seq, ack, flags=0x18, payload=b''):
    return struct.pack('>HHIIBBHHH', sp, dp, seq, ack, 0x50, flags, 65535, 0, 0) + payload

C = '02:00:00:00:00:01'; S = '02:00:00:00:00:02'
def u4(src, dst, sp, dp, msg, ident=1):
    return eth(S if src.endswith('.1') else C, C if src.endswith('.1') else S, 0x800, ipv4(src, dst, 17, udp(sp, dp, msg), ident))

# ---- DNS message building ----
def name(n):
    """Uncompressed wire name; a trailing '@NN' ends the name with a pointer to offset NN."""
    ptr = None
    if '@' in n:
        n, p = n.split('@'); ptr = int(p)
    out = b''
    if n:
        for lab in n.split('.'):
            lab = lab.encode('latin-1')
            out += bytes([len(lab)]) + lab
    if ptr is not None:
        return out + struct.pack('>H', 0xc000 | ptr)
    return out + b'\0'
def hdr(id, flags, qd, an, ns, ar): return struct.pack('>HHHHHH', id, flags, qd, an, ns, ar)
def q(n, t, c=1): return name(n) + struct.pack('>HH', t, c)
def rr(n, t, rdata, c=1, ttl=3600):
    return (n if isinstance(n, bytes) else name(n)) + struct.pack('>HHIH', t, c, ttl, len(rdata)) + rdata
def txt(*ss): return b''.join(bytes([len(s)]) + s for s in ss)

frames = []
t = 0.0
def add(msg, src='10.0.0.2', dst='10.0.0.1', sp=40000, dp=53, dt=0.01):
    global t
    t += dt
    frames.append((t, u4(src, dst, sp, dp, msg)))
def resp(msg, sp=40000, dt=0.01, src='10.0.0.1', dst='10.0.0.2'):
    add(msg, src, dst, 53, sp, dt)

# 1/2: A query and a response with CNAME, A records, authority NS, additional A/AAAA and EDNS0 options.
add(hdr(0x1234, 0x0100, 1, 0, 0, 1) + q('www.example.com', 1) + rr(b'\0', 41, b'', c=1232, ttl=0))
m = hdr(0x1234, 0x8180, 1, 3, 1, 3) + q('www.example.com', 1)
m += rr(name('@12'), 5, name('web.example.com'[0:3] + '@16'))          # www.example.com CNAME web.example.com
m += rr(name('@45'), 1, ip4('93.184.216.34'), ttl=59)                   # web.example.com A
m += rr(name('@45'), 1, ip4('93.184.216.35'), ttl=86401)
m += rr(name('@16'), 2, name('ns1@16'), ttl=172800)                      # example.com NS ns1.example.com
m += rr(name('ns1@16'), 1, ip4('192.0.2.53'))
m += rr(name('ns1@16'), 28, ip6('2001:db8::53'))
opts = (struct.pack('>HH', 3, 0) + struct.pack('>HH', 10, 16) + bytes(range(1, 17))
        + struct.pack('>HHHBB', 8, 7, 1, 24, 0) + ip4('198.51.100.0')[:3]
        + struct.pack('>HH', 12, 4) + b'\0\0\0\0' + struct.pack('>HHH', 15, 6, 18) + b'nope'
        + struct.pack('>HH', 65001, 2) + b'\xab\xcd' + struct.pack('>HHH', 11, 2, 300)
        + struct.pack('>HH', 5, 3) + bytes([8, 13, 15]))
m += rr(b'\0', 41, opts, c=4096, ttl=0x00008000)
resp(m)

# 3/4: AAAA query with AD and CD bits; NXDOMAIN answer with SOA authority.
add(hdr(0x0002, 0x0130, 1, 0, 0, 0) + q('missing.example.org', 28), sp=40001)
m = hdr(0x0002, 0x8583, 1, 0, 1, 0) + q('missing.example.org', 28)
m += rr(name('@20'), 6, name('ns.icann.org') + name('noc.dns.icann.org') + struct.pack('>IIIII', 2023080101, 7200, 3600, 1209600, 3600), ttl=900)
resp(m, sp=40001)

# 5: MX and TXT and SPF answers.
add(hdr(0x0003, 0x0100, 1, 0, 0, 0) + q('example.net', 15), sp=40002)
m = hdr(0x0003, 0x8180, 1, 5, 0, 0) + q('example.net', 15)
m += rr(name('@12'), 15, struct.pack('>H', 10) + name('mx1@12'))
m += rr(name('@12'), 15, struct.pack('>H', 20) + name('mx2.example.net'))
m += rr(name('@12'), 16, txt(b'v=spf1 -all', b'', b'second string'))
m += rr(name('@12'), 99, txt(b'v=spf1 include:x -all'))
m += rr(name('@12'), 16, txt(b'tab\there \x01\x7f\xc3\xa9 "q"'))
resp(m, sp=40002)

# 6: SRV, PTR, HINFO, NAPTR
add(hdr(0x0004, 0x0100, 1, 0, 0, 0) + q('_sip._tcp.example.com', 33), sp=40003)
m = hdr(0x0004, 0x8580, 1, 4, 0, 0) + q('_sip._tcp.example.com', 33)
m += rr(name('@12'), 33, struct.pack('>HHH', 10, 60, 5060) + name('sip.example.com'))
m += rr('4.3.2.1.in-addr.arpa', 12, name('host@22'))
m += rr('hinfo.example.com', 13, txt(b'INTEL-386', b'UNIX'))
m += rr('example.com', 35, struct.pack('>HH', 100, 10) + txt(b'S', b'SIP+D2T', b'') + name('_sip._tcp.example.com'))
resp(m, sp=40003)

# 7: DNSSEC: DS, RRSIG, DNSKEY, NSEC, NSEC3, NSEC3PARAM
add(hdr(0x0005, 0x0120, 1, 0, 0, 0) + q('example.com', 48), sp=40004)
m = hdr(0x0005, 0x81a0, 1, 6, 0, 0) + q('example.com', 48)
m += rr(name('@12'), 43, struct.pack('>HBB', 31589, 8, 2) + bytes(range(32)))
m += rr(name('@12'), 46, struct.pack('>HBBIIIH', 48, 13, 2, 3600, 1700000000, 1690000000, 31589) + name('@12') + bytes(range(64)))
m += rr(name('@12'), 48, struct.pack('>HBB', 257, 3, 13) + bytes(range(100, 164)))
m += rr(name('@12'), 47, name('a@12') + bytes([0, 6, 0x62, 0x01, 0x80, 0x08, 0x00, 0x03]) + bytes([1, 1, 0x40]))
m += rr('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.com', 50, struct.pack('>BBHB', 1, 1, 10, 4) + b'\xaa\xbb\xcc\xdd' + bytes([20]) + bytes(range(20)) + bytes([0, 2, 0x62, 0x01]))
m += rr(name('@12'), 51, struct.pack('>BBHB', 1, 0, 10, 2) + b'\xab\xcd')
resp(m, sp=40004)

# 8: TLSA, CAA, SSHFP, LOC, HTTPS, NULL, WKS, unknown type, DNAME, KX, CERT, EUI48, EUI64, URI, OPENPGPKEY
add(hdr(0x0006, 0x0100, 1, 0, 0, 0) + q('misc.example', 255), sp=40005)
m = hdr(0x0006, 0x8180, 1, 16, 0, 0) + q('misc.example', 255)
m += rr(name('@12'), 52, bytes([3, 1, 1]) + bytes(range(32)))
m += rr(name('@12'), 257, bytes([0x80, 5]) + b'issueletsencrypt.org')
m += rr(name('@12'), 257, bytes([0, 5]) + b'iodefmailto:a@b.c')
m += rr(name('@12'), 44, bytes([4, 2]) + bytes(range(32)))
m += rr(name('@12'), 29, bytes([0, 0x12, 0x16, 0x13]) + struct.pack('>III', 0x8b3e6e40, 0x7e4e4b90, 10000050))
m += rr(name('@12'), 65, struct.pack('>H', 1) + b'\0' + struct.pack('>HH', 1, 6) + txt(b'h2', b'h3') + struct.pack('>HH', 3, 2) + struct.pack('>H', 8443)
        + struct.pack('>HH', 4, 8) + ip4('1.2.3.4') + ip4('5.6.7.8') + struct.pack('>HH', 6, 16) + ip6('2001:db8::1')
        + struct.pack('>HH', 0, 2) + struct.pack('>H', 1) + struct.pack('>HH', 2, 0) + struct.pack('>HH', 9, 3) + b'abc')
m += rr(name('@12'), 10, b'\x01\x02\x03')
m += rr(name('@12'), 11, ip4('192.0.2.1') + bytes([6, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40]))
m += rr(name('@12'), 9999, b'\xde\xad\xbe\xef')
m += rr(name('@12'), 39, name('other.example'))
m += rr(name('@12'), 36, struct.pack('>H', 5) + name('kx.example'))
m += rr(name('@12'), 37, struct.pack('>HHB', 1, 0x1234, 8) + b'CERTDATA')
m += rr(name('@12'), 108, mac('00:11:22:33:44:55'))
m += rr(name('@12'), 109, bytes.fromhex('0011223344556677'))
m += rr(name('@12'), 256, struct.pack('>HH', 10, 1) + b'https://example.com/')
m += rr(name('@12'), 61, b'mQINBFake')
resp(m, sp=40005)

# 9/10/11: a retransmitted query (within 5 s), two responses (the second a retransmission).
add(hdr(0x0007, 0x0100, 1, 0, 0, 0) + q('retry.example', 1), sp=40006)
add(hdr(0x0007, 0x0100, 1, 0, 0, 0) + q('retry.example', 1), sp=40006, dt=1.0)
resp(hdr(0x0007, 0x8180, 1, 1, 0, 0) + q('retry.example', 1) + rr(name('@12'), 1, ip4('10.9.8.7')), sp=40006)
resp(hdr(0x0007, 0x8180, 1, 1, 0, 0) + q('retry.example', 1) + rr(name('@12'), 1, ip4('10.9.8.7')), sp=40006)
# 13: unsolicited response
resp(hdr(0x0008, 0x8180, 1, 1, 0, 0) + q('unasked.example', 1) + rr(name('@12'), 1, ip4('10.1.1.1')), sp=40007)

# 14: dynamic update (zones/prerequisites/updates), NOTIFY, unknown opcode, server status
m = hdr(0x0009, 0x2800, 1, 1, 1, 0) + q('example.com', 6)
m += rr('host.example.com', 255, b'', c=254, ttl=0)
m += rr('host.example.com', 1, ip4('10.0.0.9'), ttl=300)
add(m, sp=40008)
resp(hdr(0x0009, 0xa805, 1, 0, 0, 0) + q('example.com', 6), sp=40008)
add(hdr(0x000a, 0x2400, 1, 0, 0, 0) + q('example.com', 6), sp=40009)
add(hdr(0x000b, 0x1800, 0, 0, 0, 0), sp=40010)
add(hdr(0x000c, 0x1000, 0, 0, 0, 0), sp=40011)
# DSO keepalive (opcode 6, no records) and an unknown rcode in a response
add(hdr(0x000d, 0x3000, 0, 0, 0, 0) + struct.pack('>HHII', 1, 8, 15000, 30000) + struct.pack('>HH', 3, 2) + b'\0\0', sp=40012)
resp(hdr(0x000e, 0x810d, 0, 0, 0, 0), sp=40013)
resp(hdr(0x000f, 0x8110, 0, 0, 0, 0), sp=40014)

# 21: root NS query, CH class, name with odd bytes, TTL with the high bit, extraneous data
add(hdr(0x0010, 0x0000, 1, 0, 0, 0) + q('', 2), sp=40015)
add(hdr(0x0011, 0x0100, 1, 0, 0, 0) + q('version.bind', 16, c=3), sp=40016)
add(hdr(0x0012, 0x0100, 1, 0, 0, 0) + q('we\x01ird\\na\xe9me.ex ample', 1), sp=40017)
resp(hdr(0x0013, 0x8180, 0, 1, 0, 0) + rr('ttl.example', 1, ip4('1.1.1.1'), ttl=0x80000010) + b'\xff\xfe', sp=40018)
add(hdr(0x0014, 0x0100, 1, 0, 0, 0) + q('axfr.example', 252), sp=40019)
resp(hdr(0x0014, 0x8180, 1, 1, 0, 0) + q('axfr.example', 252) + rr(name('@12'), 1, ip4('1.1.1.1')), sp=40019)
resp(hdr(0x0014, 0x8180, 0, 1, 0, 0) + rr('axfr.example', 1, ip4('1.1.1.2')), sp=40019)

# Malformed messages: each must be marked and must not hang.
add(hdr(0x0100, 0x0100, 1, 0, 0, 0) + b'\xc0\x0c' + struct.pack('>HH', 1, 1), sp=40100)        # pointer to itself
add(hdr(0x0101, 0x0100, 1, 0, 0, 0) + b'\x01a\xc0\x0c' + struct.pack('>HH', 1, 1), sp=40101)   # label + loop
add(hdr(0x0102, 0x0100, 1, 0, 0, 0) + b'\xc0\x12' + struct.pack('>HH', 1, 1) + b'\xc0\x0c', sp=40102)  # two-pointer loop
add(hdr(0x0103, 0x0100, 1, 0, 0, 0) + b'\x81abc\x00' + struct.pack('>HH', 1, 1), sp=40103)     # label type 0x80
add(hdr(0x0104, 0x0100, 1, 0, 0, 0) + b'\x45' + struct.pack('>HH', 1, 1), sp=40104)            # unknown extended label
long_name = '.'.join(['a' * 63] * 4)                                                              # 255 characters
add(hdr(0x0105, 0x0100, 1, 0, 0, 0) + q(long_name, 1), sp=40105)
add(hdr(0x0106, 0x0100, 1, 0, 0, 0) + q('.'.join(['b' * 50] * 5)[:253], 1), sp=40106)           # 253 characters
resp(hdr(0x0107, 0x8180, 1, 1, 0, 0) + q('trunc.example', 1) + name('@12') + struct.pack('>HHIH', 1, 1, 60, 4) + b'\x01\x02', sp=40107)
add(hdr(0x0108, 0x0100, 1, 0, 0, 0) + b'\x05abc', sp=40108)                                      # name runs off the end
add(hdr(0x0109, 0x0100)[:4] if False else b'\x01\x09\x01\x00\x00\x01', sp=40109)                 # header cut short
add(hdr(0x010a, 0x0100, 1, 0, 0, 0) + b'\xc0\xff' + struct.pack('>HH', 1, 1), sp=40110)         # pointer past the end
resp(hdr(0x010b, 0x8180, 1, 1, 0, 0) + q('big.example', 16) + name('@12') + struct.pack('>HHIH', 16, 1, 60, 5) + b'\x09abcd', sp=40111)  # TXT string past RDATA
add(hdr(0x010c, 0x0100, 5, 0, 0, 0) + q('only.one', 1), sp=40112)                                # count says 5, one present

# DNS on other UDP ports (heuristic) and over IPv6
m = hdr(0x2000, 0x0100, 1, 0, 0, 0) + q('heur.example', 1)
add(m, sp=33333, dp=44444)
frames.append((t + 0.01, eth(S, C, 0x86dd, ipv6('2001:db8::2', '2001:db8::1', 17, udp(40200, 53, hdr(0x2001, 0x0100, 1, 0, 0, 0) + q('v6.example', 28))))))
frames.append((t + 0.02, eth(C, S, 0x86dd, ipv6('2001:db8::1', '2001:db8::2', 17, udp(53, 40200, hdr(0x2001, 0x8180, 1, 1, 0, 0) + q('v6.example', 28) + rr(name('@12'), 28, ip6('2001:db8::abcd')))))))

# Not DNS: the heuristic must leave this to "data" (opcode bits set).
t += 0.03
frames.append((t, u4('10.0.0.2', '10.0.0.1', 33333, 44445, b'x' * 20)))
# More record types, each as tshark 4.0.17 lays it out.
add(hdr(0x3000, 0x0100, 1, 0, 0, 0) + q('types.example', 255), sp=40300)
m = hdr(0x3000, 0x8180, 1, 33, 0, 1) + q('types.example', 255)
m += rr(name('@12'), 25, struct.pack('>HBB', 0x0101, 3, 5) + bytes(range(10)))                     # KEY
m += rr(name('@12'), 25, struct.pack('>HBB', 0xc000, 3, 1) + b'')                                   # KEY, no key
m += rr(name('@12'), 38, bytes([64]) + bytes(range(8)) + name('prefix.example'))                   # A6
m += rr(name('@12'), 42, struct.pack('>HBB', 1, 24, 3) + ip4('192.0.2.0')[:3] + struct.pack('>HBB', 2, 48, 0x86) + bytes(6))  # APL
m += rr(name('@12'), 45, bytes([10, 1, 2]) + ip4('192.0.2.9') + b'PUBKEY')                         # IPSECKEY v4
m += rr(name('@12'), 45, bytes([10, 3, 2]) + name('gw.example') + b'PK')                           # IPSECKEY name
m += rr(name('@12'), 55, bytes([4, 2]) + struct.pack('>H', 3) + b'HIT!' + b'PK!' + name('rvs.example'))  # HIP
m += rr(name('@12'), 249, name('gss-tsig') + struct.pack('>IIHHH', 1600000000, 1600003600, 2, 0, 4) + b'KEYD' + struct.pack('>H', 2) + b'OT')  # TKEY
m += rr(name('@12'), 250, name('hmac-sha256') + struct.pack('>HIHH', 0, 1600000000, 300, 4) + b'MAC!' + struct.pack('>HHH', 0x3000, 0, 0))  # TSIG
m += rr(name('@12'), 62, struct.pack('>IH', 66, 3) + bytes([0, 1, 0x40]))                         # CSYNC
m += rr(name('@12'), 63, struct.pack('>IBB', 2021, 1, 1) + bytes(range(8)))                       # ZONEMD
m += rr(name('@12'), 104, struct.pack('>H', 10) + bytes(range(8)))                                # NID
m += rr(name('@12'), 105, struct.pack('>H', 10) + ip4('10.1.2.3'))                                # L32
m += rr(name('@12'), 106, struct.pack('>H', 10) + bytes(range(8)))                                # L64
m += rr(name('@12'), 107, struct.pack('>H', 10) + name('lp.example'))                             # LP
m += rr(name('@12'), 65281, struct.pack('>IIII', 1, 2, 900, 2) + ip4('10.0.0.1') + ip4('10.0.0.2'))  # WINS
m += rr(name('@12'), 65282, struct.pack('>III', 0, 2, 900) + name('wins.example'))               # WINS-R
m += rr(name('@12'), 65422, bytes([4, 17]) + ip4('1.2.3.4') + ip4('5.6.7.8') + struct.pack('>HH', 1000, 53))  # XPF
m += rr(name('@12'), 14, name('admin.example') + name('errors.example'))                          # MINFO
m += rr(name('@12'), 17, name('mbox.example') + name('txt.example'))                              # RP
m += rr(name('@12'), 18, struct.pack('>H', 1) + name('afs.example'))                              # AFSDB
m += rr(name('@12'), 19, txt(b'311061700956'))                                                     # X25
m += rr(name('@12'), 20, txt(b'150862028003217', b'004'))                                          # ISDN
m += rr(name('@12'), 21, struct.pack('>H', 10) + name('relay.example'))                           # RT
m += rr(name('@12'), 22, bytes.fromhex('47000580005a0000000001e133ffffff00016100'))                # NSAP
m += rr(name('@12'), 26, struct.pack('>H', 10) + name('net2.it') + name('PRMD-net2.ADMD-p400.C-it'))  # PX
m += rr(name('@12'), 27, txt(b'-32.6882', b'116.8652', b'10.0'))                                 # GPOS
m += rr(name('@12'), 3, name('md.example'))                                                       # MD
m += rr(name('@12'), 49, b'\x00\x01\x01' + bytes(range(8)))                                       # DHCID
m += rr(name('@12'), 30, name('next.example') + bytes([0x62, 0x01]))                              # NXT
m += rr(name('@12'), 59, struct.pack('>HBB', 1, 13, 4) + bytes(range(48)))                        # CDS
m += rr(name('@12'), 24, struct.pack('>HBBIIIH', 1, 8, 2, 60, 1700000000, 1690000000, 7) + name('@12') + b'SIG')  # SIG
m += rr(name('@12'), 64, struct.pack('>H', 0) + name('svc.example'))                              # SVCB alias form
m += rr(b'\0', 41, struct.pack('>HHHBB', 8, 20, 2, 56, 0) + ip6('2001:db8::')[:16] + struct.pack('>HH', 13, 5) + b'\x03abc\x00'
        + struct.pack('>HHHBB', 0x50fa, 5, 1, 8, 0) + b'\x0a' + struct.pack('>HHHBB', 8, 22, 1, 32, 0) + bytes(18), c=512, ttl=0x01000000)
resp(m, sp=40300)
pcap('dns-cases.pcap', frames)

# ---- mDNS and LLMNR ----
frames = []; t = 0.0
MC = '01:00:5e:00:00:fb'
def mdns(src, dst, msg, sp=5353, dp=5353, v6=False):
    global t
    t += 0.01
    if v6:
        frames.append((t, eth('33:33:00:00:00:fb', C, 0x86dd, ipv6(src, dst, 17, udp(sp, dp, msg)))))
    else:
        frames.append((t, eth(MC, C, 0x800, ipv4(src, dst, 17, udp(sp, dp, msg)))))
m = hdr(0, 0, 2, 1, 0, 0) + q('_http._tcp.local', 12, c=0x8001) + q('printer.local', 1, c=1)
m += rr('_http._tcp.local', 12, name('web._http._tcp.local'), ttl=4500)
mdns('10.0.0.5', '224.0.0.251', m)
m = hdr(0, 0x8400, 0, 3, 0, 2)
m += rr('web._http._tcp.local', 33, struct.pack('>HHH', 0, 0, 80) + name('printer.local'), c=0x8001, ttl=120)
m += rr(name('@12'), 16, txt(b'path=/', b'caf\xc3\xa9=1'), c=0x8001, ttl=4500)
m += rr('printer.local', 1, ip4('10.0.0.6'), c=0x8001, ttl=120)
m += rr(name('@50'), 47, name('@50') + bytes([0, 5, 0x40, 0, 0, 0, 8]), c=0x8001, ttl=120)
m += rr(b'\0', 41, struct.pack('>HH', 4, 14) + bytes(14), c=0x05a0, ttl=0x00001194)
mdns('10.0.0.6', '224.0.0.251', m)
mdns('fe80::5', 'ff02::fb', hdr(0, 0, 1, 0, 0, 0) + q('printer.local', 28), v6=True)
# LLMNR query and responses (conflict/tentative bits)
def llmnr(src, dst, sp, dp, msg, dstmac='01:00:5e:00:00:fc'):
    global t
    t += 0.01
    frames.append((t, eth(dstmac, C, 0x800, ipv4(src, dst, 17, udp(sp, dp, msg)))))
llmnr('10.0.0.7', '224.0.0.252', 50000, 5355, hdr(0x4242, 0x0000, 1, 0, 0, 0) + q('wpad', 1))
llmnr('10.0.0.7', '224.0.0.252', 50001, 5355, hdr(0x4243, 0x0500, 1, 0, 0, 0) + q('box', 1))
llmnr('10.0.0.8', '10.0.0.7', 5355, 50000, hdr(0x4242, 0x8000, 1, 1, 0, 0) + q('wpad', 1) + rr(name('@12'), 1, ip4('10.0.0.8'), ttl=30), dstmac=C)
llmnr('10.0.0.8', '10.0.0.7', 5355, 50001, hdr(0x4243, 0x8503, 1, 0, 0, 0) + q('box', 1), dstmac=C)
pcap('mdns-llmnr.pcap', frames)

# ---- DNS over TCP: one message per segment, then two messages in one segment ----
frames = []; t = 0.0
def tcp4(src, dst, sp, dp, seq, ack, flags, payload=b''):
    global t
    t += 0.01
    a, b = (C, S) if src == '10.0.0.1' else (S, C)
    frames.append((t, eth(a, b, 0x800, ipv4(src, dst, 6, tcp(sp, dp, seq, ack, flags, payload)))))
def framed(m): return struct.pack('>H', len(m)) + m
qm = framed(hdr(0x5000, 0x0100, 1, 0, 0, 1) + q('tcp.example', 1) + rr(b'\0', 41, b'', c=4096, ttl=0))
rm = framed(hdr(0x5000, 0x8180, 1, 2, 0, 0) + q('tcp.example', 1) + rr(name('@12'), 1, ip4('10.2.3.4'))
            + rr(name('@12'), 16, txt(b'x' * 100)))
q2 = framed(hdr(0x5001, 0x0100, 1, 0, 0, 0) + q('one.example', 1)) + framed(hdr(0x5002, 0x0100, 1, 0, 0, 0) + q('two.example', 28))
tcp4('10.0.0.2', '10.0.0.1', 45000, 53, 1000, 0, 0x02)
tcp4('10.0.0.1', '10.0.0.2', 53, 45000, 5000, 1001, 0x12)
tcp4('10.0.0.2', '10.0.0.1', 45000, 53, 1001, 5001, 0x10)
tcp4('10.0.0.2', '10.0.0.1', 45000, 53, 1001, 5001, 0x18, qm)
tcp4('10.0.0.1', '10.0.0.2', 53, 45000, 5001, 1001 + len(qm), 0x18, rm)
tcp4('10.0.0.2', '10.0.0.1', 45000, 53, 1001 + len(qm), 5001 + len(rm), 0x18, q2)
pcap('dns-tcp.pcap', frames)
