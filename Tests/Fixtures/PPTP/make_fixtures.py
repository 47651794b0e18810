#!/usr/bin/env python3
"""Makes pptp-cases.pcap and the tshark 4.0.17 references of Tests/Fixtures/PPTP (needs tshark).

  NAME.summary.txt  tshark -n -r NAME
  NAME.excerpt.txt  tshark -n -r NAME -V, cut to "Frame N" lines and the PPTP / Data / malformed blocks
  NAME.fields.tsv   tshark -n -r NAME -T fields -E header=y -e … (FIELDS below)
"""
import os, re, struct, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from craft import pcap, e, ipv4, tcp, write_references

def msg(ctype, body, cookie=0x1A2B3C4D, mtype=1, length=None):
    ln = 12 + len(body) if length is None else length
    return struct.pack('>HHIHH', ln, mtype, cookie, ctype, 0) + body

SEQ = {True: 1, False: 1}
def seg(payload, toServer=True):
    seq, ack = SEQ[toServer], SEQ[not toServer]
    SEQ[toServer] += len(payload)
    sp, dp = (3025, 1723) if toServer else (1723, 3025)
    src, dst = ('10.1.1.11', '10.1.1.10') if toServer else ('10.1.1.10', '10.1.1.11')
    return e(ipv4(src, dst, 6, tcp(sp, dp, seq, ack, 0x18, payload)))

def s64(t): return t.encode().ljust(64, b'\0')
frames = [
    seg(msg(3, struct.pack('>BBH', 2, 0, 0))),                                          # Stop request
    seg(msg(4, struct.pack('>BBH', 1, 0, 0)), False),                                   # Stop reply
    seg(msg(5, struct.pack('>I', 77))),                                                 # Echo request
    seg(msg(6, struct.pack('>IBBH', 77, 2, 6, 0)), False),                              # Echo reply, error
    seg(msg(9, struct.pack('>HHIIHH', 5, 6, 1, 9, 3, 4) + s64('123') + s64('4567') + s64('sub'))),
    seg(msg(10, struct.pack('>HHBBHHH', 5, 7, 3, 0, 16, 0, 0)), False),
    seg(msg(11, struct.pack('>HHIHHI', 7, 0, 64000, 16, 0, 2))),
    seg(msg(12, struct.pack('>HH', 5, 0))),
    seg(msg(13, struct.pack('>HBBHH', 5, 4, 0, 0, 0) + s64('stats')), False),
    seg(msg(14, struct.pack('>HHIIIIII', 7, 0, 1, 2, 3, 4, 5, 6))),
    seg(msg(15, struct.pack('>HHII', 7, 0, 0, 0xffffffff))),
    seg(msg(15, struct.pack('>HHII', 7, 0, 0, 0), cookie=0x11223344)),                  # bad cookie
    seg(msg(99, b'\x01\x02\x03')),                                                      # unknown type: data
    seg(msg(5, b'', length=16)),                                                        # Echo request cut short
    seg(msg(1, b'')[:6]),                                                               # header cut short
]
FIELDS = ['frame.number', 'frame.protocols', 'pptp.length', 'pptp.type', 'pptp.magic_cookie',
          'pptp.control_message_type', 'pptp.reserved', 'pptp.identifier', 'pptp.echo_result', 'pptp.error',
          'pptp.call_id', 'pptp.peer_call_id', 'pptp.dialed_number', 'pptp.dialing_number', 'pptp.subaddress',
          'pptp.call_Statistics', 'pptp.receive_accm', 'pptp.protocol_version', 'pptp.host_name', 'pptp.vendor_name',
          'data.data', '_ws.col.Protocol', '_ws.col.Info']
TOPS = ['Point-to-Point Tunnelling Protocol', 'Data (', '[Malformed Packet', '[Packet size limited']
pcap(os.path.join(HERE, 'pptp-cases.pcap'), frames)
write_references(HERE, ['pptp-cases.pcap', 'pptp.pcap'], FIELDS, TOPS)
