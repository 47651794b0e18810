#!/usr/bin/env python3
"""Makes rsvp-cases.pcap and the tshark 4.0.17 references of Tests/Fixtures/RSVP (needs tshark), plus
rsvp-public.pcap: the RSVP frames 104-105 of Wireshark's communityid.pcap.gz (editcap).

  NAME.summary.txt  tshark -n -r NAME
  NAME.excerpt.txt  tshark -n -r NAME -V, cut to "Frame N" lines and the RSVP / malformed blocks
  NAME.fields.tsv   tshark -n -r NAME -T fields -E header=y -e … (FIELDS below)
"""
import os, re, struct, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from craft import pcap, e, ipv4, ip, csum, write_references

def obj(cls, ctype, body): return struct.pack('>HBB', 4 + len(body), cls, ctype) + body
def msg(mtype, objects, bad=False, length=None):
    body = b''.join(objects)
    total = 8 + len(body) if length is None else length
    m = struct.pack('>BBHBBH', 0x10, mtype, 0, 64, 0, total) + body
    ck = csum(m)
    if bad: ck ^= 0x0101
    return m[:2] + struct.pack('>H', ck) + m[4:]
def pkt(m): return e(ipv4('10.0.0.1', '10.0.0.2', 46, m))

session = obj(1, 1, ip('10.0.0.2') + struct.pack('>BBH', 17, 0, 5004))
hop = obj(3, 1, ip('10.0.0.1') + struct.pack('>I', 7))
time_ = obj(5, 1, struct.pack('>I', 45500))
sender = obj(11, 1, ip('10.0.0.1') + struct.pack('>HH', 0, 6000))
tspec = obj(12, 2, bytes(28))
filt = obj(10, 1, ip('10.0.0.9') + struct.pack('>HH', 0, 7000))
style = obj(8, 1, struct.pack('>I', 0x11))
flowspec = obj(9, 2, struct.pack('>BBH BBH BBH fffII', 0, 0, 7, 2, 0, 6, 127, 0, 5, 1500.0, 3000.5, 1e9, 64, 1500))
error = obj(6, 1, ip('10.0.0.9') + struct.pack('>BBH', 5, 0, 0))
frames = [
    pkt(msg(1, [session, hop, time_, sender])),                 # PATH with a sender template
    pkt(msg(2, [session, hop, time_, style, flowspec, filt])),  # RESV, wildcard style, fractional rate
    pkt(msg(3, [session, error, sender], bad=True)),            # PATH ERROR, bad checksum
    pkt(msg(5, [session, hop])),                                # PATH TEAR
    pkt(msg(2, [session, struct.pack('>HBB', 2, 3, 1)])),       # object length 2
    pkt(msg(2, [session, hop])[:30]),                           # cut object
    pkt(msg(99, [])),                                           # unknown message type
]
FIELDS = ['frame.number', 'frame.protocols', 'rsvp.version', 'rsvp.msg', 'rsvp.message_checksum', 'rsvp.message_length',
          'rsvp.object', 'rsvp.ctype', 'rsvp.session.ip', 'rsvp.session.port', 'rsvp.hop.neighbor_address_ipv4',
          'rsvp.refresh_interval', 'rsvp.sender.ip', 'rsvp.sender.port', 'rsvp.style.style',
          'rsvp.flowspec.token_bucket_rate', 'rsvp.error.error_code', 'rsvp.error_value', '_ws.col.Protocol',
          '_ws.col.Info']
TOPS = ['Resource ReserVation Protocol', 'Data (', '[Malformed Packet', '[Packet size limited']
if __name__ == '__main__':
    pcap(os.path.join(HERE, 'rsvp-cases.pcap'), frames)
    corpus = '/work/shared/corpus/public/wireshark/communityid.pcap.gz'
    subprocess.run(['editcap', '-r', '-F', 'pcap', corpus, os.path.join(HERE, 'rsvp-public.pcap'), '104-105'], check=True)
    write_references(HERE, ['rsvp-cases.pcap', 'rsvp-public.pcap'], FIELDS, TOPS)
