#!/usr/bin/env python3
"""Makes nbns-cases.pcap and the tshark 4.0.17 references of Tests/Fixtures/NBNS (needs tshark).

  NAME.summary.txt  tshark -n -r NAME
  NAME.excerpt.txt  tshark -n -r NAME -V, cut to "Frame N" lines and the NBNS / malformed blocks
  NAME.fields.tsv   tshark -n -r NAME -T fields -E header=y -e … (FIELDS below)
"""
import os, re, struct, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from craft import pcap, e, ipv4, udp, write_references

def nbname(name, suffix, scope=b'', raw=None):
    """RFC 1001 first-level encoding of a 16-byte NetBIOS name, as a DNS name."""
    if raw is None:
        b = name.ljust(15)[:15].encode('latin-1') + bytes([suffix])
        raw = b''.join(bytes([0x41 + (c >> 4), 0x41 + (c & 15)]) for c in b)
    out = bytes([len(raw)]) + raw
    for label in scope.split(b'.') if scope else []:
        out += bytes([len(label)]) + label
    return out + b'\0'

def header(tid, flags, qd=0, an=0, ns=0, ar=0): return struct.pack('>HHHHHH', tid, flags, qd, an, ns, ar)
def question(name, qtype=32, qclass=1): return name + struct.pack('>HH', qtype, qclass)
def rr(name, rdata, rtype=32, rclass=1, ttl=300000, rdlen=None):
    return name + struct.pack('>HHIH', rtype, rclass, ttl, len(rdata) if rdlen is None else rdlen) + rdata
def nb(flags, addr): return struct.pack('>H4s', flags, bytes(int(x) for x in addr.split('.')))
def pkt(body, src='10.0.0.1', dst='10.0.0.255', sp=137, dp=137):
    return e(ipv4(src, dst, 17, udp(sp, dp, body)))

WPAD = nbname('WPAD', 0x00)
HOST = nbname('HOST1', 0x20)
nbstat_rdata = bytes([2]) + b'HOST1          \x00' + struct.pack('>H', 0x0400) + b'WORKGROUP      \x1e' + \
    struct.pack('>H', 0x8400) + bytes.fromhex('020000000001') + bytes([0, 0]) + struct.pack('>HH', 1, 0) + \
    struct.pack('>HHHH', 0, 0, 0, 0) + struct.pack('>II', 10, 20) + struct.pack('>HHHHHHH', 0, 0, 0, 0, 0, 0, 0)

frames = [
    pkt(header(0x8001, 0x0110, qd=1) + question(WPAD)),                                   # name query, broadcast
    pkt(header(0x8001, 0x8500, an=1) + rr(WPAD, nb(0x0000, '10.0.0.7') + nb(0x6000, '10.0.0.8'), ttl=0),
        src='10.0.0.7', dst='10.0.0.1'),                                                  # positive response, 2 addrs
    pkt(header(0x8002, 0x8503, qd=0, an=1) + rr(nbname('NOPE', 0x20), b'', rdlen=0),
        src='10.0.0.9', dst='10.0.0.1'),                                                  # negative response
    pkt(header(0x0030, 0x2910, qd=1, ar=1) + question(HOST) + rr(b'\xc0\x0c', nb(0x8000, '10.0.0.1'))),  # registration, pointer
    pkt(header(0x0031, 0x3010, qd=1, ar=1) + question(HOST) + rr(b'\xc0\x0c', nb(0x2000, '10.0.0.1'))),  # release, P-node
    pkt(header(0x0032, 0xbc00, an=1) + rr(HOST, struct.pack('>H', 0x2910)), dst='10.0.0.1'),        # WACK
    pkt(header(0x0033, 0x0000, qd=1) + question(nbname('*', 0x00, raw=b'CK' + b'AA' * 15), qtype=33),
        dst='10.0.0.2'),                                                                  # NBSTAT query
    pkt(header(0x0033, 0x8400, an=1) + rr(nbname('*', 0, raw=b'CK' + b'AA' * 15), nbstat_rdata, rtype=33, ttl=0),
        src='10.0.0.2', dst='10.0.0.1'),                                                  # NBSTAT response
    pkt(header(0x0034, 0x0100, qd=1) + question(nbname('WPAD', 0x00, scope=b'example.com'))),        # scope id
    pkt(header(0x0035, 0x0100, qd=1) + question(nbname('', 0, raw=b'abcd'))),             # illegal name
    pkt(header(0x0036, 0x0100, qd=1) + question(nbname('', 0, raw=b'ABC'))),              # odd length
    pkt(header(0x0037, 0x0100, qd=1) + question(nbname('', 0, raw=b'ABCD'))),             # too short
    pkt(header(0x0038, 0x8400, an=1) + rr(HOST, b'\x01\x02\x03', rtype=10), dst='10.0.0.1'),  # unknown type
    pkt(header(0x0039, 0x8400, an=1) + rr(HOST, nb(0, '1.2.3.4')[:4], rdlen=4), dst='10.0.0.1'),  # incomplete entry
    pkt(header(0x003a, 0x1910, qd=1) + question(WPAD)),                                   # unknown opcode 3
    pkt(header(0x003b, 0x4010, qd=1) + question(nbname('SRV\x01', 0x1b))),                # refresh, non-printable
    pkt((header(0x003c, 0x0110, qd=1) + question(WPAD))[:30]),                            # cut question
    pkt(header(0x003d, 0x0110)[:5]),                                                      # cut header
]
FIELDS = ['frame.number', 'frame.protocols', 'nbns.id', 'nbns.flags', 'nbns.flags.response', 'nbns.flags.opcode',
          'nbns.flags.rcode', 'nbns.count.queries', 'nbns.count.answers', 'nbns.count.add_rr', 'nbns.name',
          'nbns.type', 'nbns.class', 'nbns.ttl', 'nbns.data_length', 'nbns.nb_flags', 'nbns.nb_flags.ont',
          'nbns.addr', 'nbns.number_of_names', 'nbns.netbios_name', 'nbns.name_flags', 'nbns.unit_id',
          'nbns.num_good_sends', 'nbns.session_data_packet_size', 'nbns.data', '_ws.col.Protocol', '_ws.col.Info']
TOPS = ['NetBIOS Name Service', 'Data (', '[Malformed Packet', '[Packet size limited']
if __name__ == '__main__':
    pcap(os.path.join(HERE, 'nbns-cases.pcap'), frames)
    write_references(HERE, ['nbns-cases.pcap'], FIELDS, TOPS)
