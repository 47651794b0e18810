#!/usr/bin/env python3
"""Makes ipx-cases.pcap and the tshark 4.0.17 references of Tests/Fixtures/IPX (needs tshark).

  NAME.summary.txt  tshark -n -r NAME
  NAME.excerpt.txt  tshark -n -r NAME -V, cut to "Frame N" lines and the IPX / IPX RIP / Data /
                    malformed blocks (the tests cut dissect's output the same way: ProtocolExcerpt)
  NAME.fields.tsv   tshark -n -r NAME -T fields -E header=y -e … (FIELDS below)
"""
import os, re, struct, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from craft import pcap, write_references

def ipx(dnet, dnode, dsock, snet, snode, ssock, ptype, payload, hops=3):
    return struct.pack('>HHBBI6sHI6sH', 0xffff, 30 + len(payload), hops, ptype, dnet, dnode, dsock, snet, snode,
                       ssock) + payload

B = b'\xff' * 6
S = bytes.fromhex('00aa00a3e3a4')
def eth2(p): return B + S + struct.pack('>H', 0x8137) + p
rip_req = struct.pack('>HIHH', 1, 0xffffffff, 0xffff, 0xffff)
rip_resp = struct.pack('>H', 2) + struct.pack('>IHH', 0xAB0000CD, 1, 1) + struct.pack('>IHH', 0x12, 3, 40)
frames = [
    eth2(ipx(0xAB0000CD, B, 0x453, 0xCD, S, 0x453, 1, rip_req)),                   # request, Ethernet II
    eth2(ipx(0x28, B, 0x453, 0x28, S, 0x453, 1, rip_resp) + b'\0' * 4),            # two vectors + trailer
    eth2(ipx(0x28, B, 0x1234, 0x28, S, 0x5678, 0x77, b'abc')),                     # unknown socket: data
    eth2(ipx(0x28, B, 0x453, 0x28, S, 0x453, 1, struct.pack('>H', 7) + b'\1\2\3')),  # cut vector: malformed
    eth2(ipx(0x28, B, 0x453, 0x28, S, 0x453, 1, b'')[:20]),                        # cut IPX header
    eth2(ipx(0x28, B, 0x453, 0x28, S, 0x453, 1, rip_req)[:36]),                    # datagram shorter than its length
    B + S + struct.pack('>H', 3 + 40) + b'\xe0\xe0\x03'                            # 802.2 LLC SAP 0xE0
        + ipx(0x28, B, 0x453, 0x28, S, 0x453, 1, rip_req) + b'\0' * 8,
    B + S + struct.pack('>H', 8 + 40) + b'\xaa\xaa\x03\x00\x00\x00\x81\x37'         # SNAP
        + ipx(0x28, B, 0x453, 0x28, S, 0x453, 1, rip_req),
    eth2(ipx(0x28, B, 0x453, 0x28, S, 0x455, 4, b'\x00\x02')),                     # lower socket wins (RIP 0x453)
]

FIELDS = ['frame.number', 'frame.protocols', 'ipx.src', 'ipx.dst', 'ipx.addr', 'ipx.net', 'ipx.node', 'ipx.socket',
          'ipx.len', 'ipx.hops', 'ipx.packet_type', 'ipxrip.packet_type', 'ipxrip.request', 'ipxrip.response',
          'ipxrip.route_vector', 'ipxrip.hops', 'ipxrip.ticks', 'data.data', '_ws.col.Protocol', '_ws.col.Info']
TOPS = ['Internetwork Packet eXchange', 'IPX Routing Information Protocol', 'Data (', '[Malformed Packet',
        '[Packet size limited']
pcap(os.path.join(HERE, 'ipx-cases.pcap'), frames)
write_references(HERE, ['ipx-cases.pcap', 'ipx_rip.pcap'], FIELDS, TOPS)
