"""Builds fr-cases.pcap (pcap link type 107, LINKTYPE_FRELAY) and its tshark references.

Run here: python3 make_fixtures.py [--refs]  (--refs also runs /usr/bin/tshark 4.0.17, TZ=UTC, -n).
"""
import os, struct, subprocess, sys

def pcap(path, frames, linktype=107):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype))
        for i, fr in enumerate(frames):
            # (bytes, original length): a frame cut by the capture's snapshot length
            fr, orig = fr if isinstance(fr, tuple) else (fr, len(fr))
            f.write(struct.pack('<IIII', 1379479747 + i, 0, len(fr), orig))
            f.write(fr)

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def ip4(payload, proto=1, src=b'\x0a\xce\x01\x02', dst=b'\x0a\xce\x01\x01'):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 0x1234, 0, 64, proto, 0, src, dst)
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload

def icmp_echo(ident=1, seq=1, data=b'abcdefgh'):
    p = struct.pack('!BBHHH', 8, 0, 0, ident, seq) + data
    return p[:2] + struct.pack('!H', csum(p)) + p[4:]

def ip6_empty():
    return struct.pack('!IHBB', 0x60000000, 0, 59, 64) + bytes(15) + b'\x01' + bytes(15) + b'\x02'

def arp(op, sha, spa, tha, tpa, hrd=15, pro=0x800):
    return struct.pack('>HHBBH', hrd, pro, len(sha), len(spa), op) + sha + spa + tha + tpa

# Locally administered MACs only, so no vendor names depend on a manuf file.
eth = bytes.fromhex('020000000001020000000002') + b'\x08\x06' + arp(
    1, bytes.fromhex('020000000002'), bytes([192, 168, 0, 1]), bytes(6), bytes([192, 168, 0, 2]), hrd=1)
I4 = ip4(icmp_echo())
Q922 = b'\x18\x41'             # DLCI 100, C/R 0, EA on the second octet
frames = [
    Q922 + b'\x03\xcc' + I4,                                  # 1 NLPID IP
    Q922 + b'\x03\x8e' + ip6_empty(),                         # 2 NLPID IPv6
    Q922 + b'\x08\x00' + I4,                                  # 3 Cisco encapsulation, IP
    Q922 + b'\x86\xdd' + ip6_empty(),                         # 4 Cisco encapsulation, IPv6
    b'\x18',                                                  # 5 cut in the address
    Q922,                                                     # 6 cut before the control field
    Q922 + b'\x03',                                           # 7 cut before the NLPID
    Q922 + b'\x03\x00',                                       # 8 padding, then nothing
    Q922 + b'\x03\x00\x80\x00\x00',                           # 9 SNAP header cut short
    b'\x1a\x4f\x03\xcc' + I4,                                 # 10 C/R, FECN, BECN, DE set
    b'\x19\x03\xcc' + I4,                                     # 11 bogus 1-octet address
    b'\x18\x40\x41\x03\xcc' + I4,                             # 12 3-octet address
    b'\x18\x40\x43\x03\xcc' + I4,                             # 13 3-octet address, DL-CORE control
    b'\x18\x40\x40\x41\x03\xcc' + I4,                         # 14 4-octet address
    Q922 + b'\x03\x80\x00\x00\x00\x12\x34abcd',               # 15 SNAP, unknown EtherType
    Q922 + b'\x03\x80\x00\x80\xc2\x00\x07' + eth,             # 16 SNAP, bridged Ethernet without FCS
    Q922 + b'\x03\x42abcd',                                   # 17 unknown NLPID
    Q922 + b'\x03\xcf\xff\x03\x00\x21' + I4,                  # 18 NLPID PPP
    Q922 + b'\x12\x34abcdefghijklmnop',                       # 19 neither RFC 2427 nor Cisco: data
    b'\x00\x01\x01\x00abcd',                                  # 20 DLCI 0, S frame: LAPF
    Q922 + b'\xaf\x00abcd',                                   # 21 XID
    Q922 + b'\x03\x00\x80\x00\x00\x00\x08\x00' + I4,          # 22 padding, SNAP, IPv4
    Q922 + b'\x03\x00\x80\x00\x00\x00\x08\x06' +              # 23 Inverse ARP reply
        arp(9, b'\x00\x64', bytes([10, 206, 1, 1]), b'\x00\x00', bytes([10, 206, 1, 2])),
    Q922 + b'\x03\x00\x80\x00\x00\x00\x08\x06' +              # 24 Inverse ARP request cut short
        arp(8, b'\x00\x00', bytes([10, 206, 1, 2]), b'\x00\x64', bytes(4))[:14],
    (Q922 + b'\x03\x00\x80\x00\x00\x00\x08\x06' +             # 25 the same, cut by the snapshot length
        arp(8, b'\x00\x00', bytes([10, 206, 1, 2]), b'\x00\x64', bytes(4))[:10], 30),
]

# Frame Relay inside GRE (protocol type 0x6559) over IPv4 over Ethernet.
gre_frames = [bytes.fromhex('020000000001020000000002') + b'\x08\x00' +
              ip4(b'\x00\x00\x65\x59' + Q922 + b'\x03\xcc' + I4, proto=47, src=b'\xc0\x00\x02\x01',
                  dst=b'\xc0\x00\x02\x02')]

if __name__ == '__main__':
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    pcap('fr-cases.pcap', frames)
    pcap('fr-in-gre.pcap', gre_frames, linktype=1)
    if '--refs' in sys.argv:
        env = dict(os.environ, TZ='UTC')
        for name, extra in (('summary', []), ('verbose', ['-V'])):
            for cap in ('fr-cases.pcap', 'arp.pcap', 'fr-in-gre.pcap'):
                if cap == 'fr-in-gre.pcap' and name == 'summary':
                    continue
                out = subprocess.run(['/usr/bin/tshark', '-n', '-r', cap] + extra, env=env,
                                     capture_output=True, check=True).stdout
                with open(cap.replace('.pcap', '') + '.' + name + '.txt', 'wb') as f:
                    f.write(out)
        out = subprocess.run(['/usr/bin/tshark', '-n', '-r', 'fr-cases.pcap', '-o', 'fr.encap:ethernet'], env=env,
                             capture_output=True, check=True).stdout
        with open('fr-cases.encap-ethernet.summary.txt', 'wb') as f:
            f.write(out)
