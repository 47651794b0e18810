#!/usr/bin/env python3
"""Makes ymsg-cases.pcap and the tshark 4.0.17 references of Tests/Fixtures/YMSG (needs tshark).

  NAME.summary.txt  tshark -n -r NAME
  NAME.excerpt.txt  tshark -n -r NAME -V, cut to "Frame N" lines and the YMSG / malformed blocks
  NAME.fields.tsv   tshark -n -r NAME -T fields -E header=y -e … (FIELDS below)
"""
import os, re, struct, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from craft import pcap, e, ipv4, tcp, write_references

def ymsg(service, status, pairs, session=0xb7374000, version=16):
    content = b''.join(k + b'\xc0\x80' + v + b'\xc0\x80' for k, v in pairs)
    return b'YMSG' + struct.pack('>HHHHI', version, 0, len(content), service, status) + struct.pack('<I', session) + content

seq = [1000]
def seg(payload, c2s=True):
    s = seq[0]
    seq[0] += len(payload)
    src, dst, sp, dp = ('192.168.1.2', '66.196.121.26', 49285, 5050) if c2s else ('66.196.121.26', '192.168.1.2', 5050, 49285)
    return e(ipv4(src, dst, 6, tcp(sp, dp, s, 1, payload=payload)))

keep = ymsg(138, 0, [(b'0', b'albertzaharovits')])
two = ymsg(6, 1, [(b'1', b'alice'), (b'5', b'bob'), (b'14', b'hi\x01there')]) + ymsg(0x4c, 0x5a55aa55, [])
big = ymsg(0x55, 22, [(b'87', b'x' * 40)])
frames = [
    seg(keep),                                            # Keep Alive (status=Default)
    seg(two),                                             # two PDUs in one segment, no content in the 2nd
    seg(ymsg(0x7777, 0x99, [(b'9', b'')])),               # unknown service and status, empty value
    seg(big[:30]),                                        # first part of a PDU …
    seg(big[30:]),                                        # … and the rest (reassembled)
    seg(ymsg(2, 0xffffffff, [(b'0', b'a')])[:-3]),        # content cut short: length says more
    seg(b'YMSX' + b'\0' * 20),                            # not YMSG (no magic)
]
FIELDS = ['frame.number', 'frame.protocols', 'ymsg.version', 'ymsg.vendor', 'ymsg.len', 'ymsg.service',
          'ymsg.status', 'ymsg.session_id', 'ymsg.content', 'ymsg.content-line.key', 'ymsg.content-line.value',
          '_ws.col.Protocol', '_ws.col.Info']
TOPS = ['Yahoo YMSG Messenger Protocol', 'Data (', '[Malformed Packet', '[Packet size limited']
if __name__ == '__main__':
    pcap(os.path.join(HERE, 'ymsg-cases.pcap'), frames)
    write_references(HERE, ['ymsg-cases.pcap'], FIELDS, TOPS)
