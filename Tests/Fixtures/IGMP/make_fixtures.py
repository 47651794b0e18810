#!/usr/bin/env python3
"""Makes igmp-cases.pcap and the tshark 4.0.17 references of Tests/Fixtures/IGMP (needs tshark).

  NAME.summary.txt  tshark -n -r NAME
  NAME.excerpt.txt  tshark -n -r NAME -V, cut to "Frame N" lines and the IGMP / malformed blocks
  NAME.fields.tsv   tshark -n -r NAME -T fields -E header=y -e … (FIELDS below)
"""
import os, re, struct, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from craft import pcap, e, ipv4, ip, csum, write_references

def igmp(body, bad=False):
    ck = csum(body[:2] + b'\0\0' + body[4:])
    if bad: ck ^= 0x0101
    return body[:2] + struct.pack('>H', ck) + body[4:]
def igmp8(t, code, group, bad=False): return igmp(struct.pack('>BBH4s', t, code, 0, ip(group)), bad)
def pkt(body, dst='224.0.0.1'): return e(ipv4('10.0.0.1', dst, 2, body, ttl=1))
def rec(rtype, group, sources=(), aux=b''):
    return struct.pack('>BBH4s', rtype, len(aux) // 4, len(sources), ip(group)) + b''.join(ip(s) for s in sources) + aux
def v3report(records): return igmp(struct.pack('>BBHHH', 0x22, 0, 0, 0, len(records)) + b''.join(records))
def v3query(code, group, sources=(), sqrv=0x0a, qqic=125):
    return igmp(struct.pack('>BBH4sBBH', 0x11, code, 0, ip(group), sqrv, qqic, len(sources)) + b''.join(ip(s) for s in sources))

frames = [
    pkt(igmp8(0x11, 0, '0.0.0.0')),                                   # v1 query
    pkt(igmp8(0x12, 0, '239.1.2.3'), '239.1.2.3'),                    # v1 report
    pkt(igmp8(0x11, 100, '0.0.0.0')),                                 # v2 general query
    pkt(igmp8(0x11, 50, '239.1.2.3'), '239.1.2.3'),                   # v2 group-specific query
    pkt(igmp8(0x16, 0, '239.1.2.3'), '239.1.2.3'),                    # v2 report
    pkt(igmp8(0x17, 0, '239.1.2.3'), '224.0.0.2'),                    # v2 leave
    pkt(igmp8(0x16, 0, '239.1.2.3', bad=True), '239.1.2.3'),          # bad checksum
    pkt(v3query(100, '0.0.0.0')),                                     # v3 general query
    pkt(v3query(0x8a, '239.1.2.3', ['10.0.0.5', '10.0.0.6'], sqrv=0x0a)),  # exp/mant code, sources
    pkt(v3query(20, '239.1.2.4', ['10.0.0.7'])),
    pkt(v3report([rec(4, '224.0.0.251'), rec(3, '239.1.1.1'), rec(1, '239.1.1.2', ['10.1.1.1', '10.1.1.2']),
                  rec(2, '239.1.1.3', ['10.1.1.3']), rec(5, '239.1.1.4', ['10.1.1.4'], aux=b'\xaa' * 4),
                  rec(6, '239.1.1.5', ['10.1.1.5', '10.1.1.6']), rec(9, '239.1.1.6'), rec(9, '239.1.1.7', ['10.1.1.7']),
                  rec(5, '239.1.1.8'), rec(6, '239.1.1.9')]), '224.0.0.22'),
    pkt(v3report([]), '224.0.0.22'),                                  # no records
    pkt(igmp(struct.pack('>BBHI4s8s', 1, 1, 0, 7, ip('239.9.9.9'), b'key12345'))),   # v0 create request
    pkt(igmp(struct.pack('>BBHI4s8s', 2, 9, 0, 7, ip('239.9.9.9'), b'key12345'))),   # v0 reply pending
    pkt(igmp(struct.pack('>BBHI4s8s', 4, 2, 0, 7, ip('239.9.9.9'), b'key12345'))),   # v0 join reply
    pkt(igmp(struct.pack('>BBH4s', 0x30, 1, 0, b'\1\2\3\4'))),         # unknown type
    pkt(v3report([rec(4, '224.0.0.251'), rec(1, '239.1.1.2', ['10.1.1.1'])])[:22], '224.0.0.22'),  # cut record
    pkt(b'\x16\x00'),                                                 # cut v2 message
]
FIELDS = ['frame.number', 'frame.protocols', 'igmp.version', 'igmp.type', 'igmp.max_resp', 'igmp.max_resp.exp',
          'igmp.max_resp.mant', 'igmp.checksum', 'igmp.checksum.status', 'igmp.maddr', 'igmp.s', 'igmp.qrv',
          'igmp.qqic', 'igmp.num_src', 'igmp.saddr', 'igmp.num_grp_recs', 'igmp.record_type', 'igmp.aux_data_len',
          'igmp.aux_data', 'igmp.reserved', 'igmp.group_type', 'igmp.reply', 'igmp.reply.pending',
          'igmp.identifier', 'igmp.access_key', 'igmp.data', '_ws.col.Protocol', '_ws.col.Info']
TOPS = ['Internet Group Management Protocol', 'Data (', '[Malformed Packet', '[Packet size limited']
pcap(os.path.join(HERE, 'igmp-cases.pcap'), frames)
write_references(HERE, ['igmp-cases.pcap'], FIELDS, TOPS)
