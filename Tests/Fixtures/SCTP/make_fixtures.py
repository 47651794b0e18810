#!/usr/bin/env python3
"""Makes sctp-cases.pcap and the tshark 4.0.17 references of Tests/Fixtures/SCTP (needs tshark), plus
sctp-public.pcap: the SCTP frames 85-89 of Wireshark's communityid.pcap.gz (editcap).

  NAME.summary.txt  tshark -n -r NAME
  NAME.excerpt.txt  tshark -n -r NAME -V, cut to "Frame N" lines and the SCTP / data / malformed blocks
  NAME.fields.tsv   tshark -n -r NAME -T fields -E header=y -e … (FIELDS below)
"""
import os, re, struct, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from craft import pcap, e, ipv4, write_references

# INIT with every common parameter, INIT_ACK with a cookie, COOKIE_ECHO/ACK, two DATA chunks
# (PPID 46), SACK with gaps and a duplicate, HEARTBEAT(_ACK), ERROR, SHUTDOWN(_ACK/_COMPLETE),
# ABORT with a cause, an unknown chunk, a DATA chunk too short, a chunk longer than the packet,
# a header without chunks and a cut header.
def chunk(t,flags,body,padded=True):
    l=4+len(body); pad=(-l)%4 if padded else 0
    return struct.pack('>BBH',t,flags,l)+body+b'\0'*pad
def param(t,v):
    l=4+len(v); return struct.pack('>HH',t,l)+v+b'\0'*((-l)%4)
def sctp(sp,dp,vtag,chunks,ck=0x12345678): return struct.pack('>HHII',sp,dp,vtag,ck)+b''.join(chunks)
def data(tsn,sid=0,ssn=0,ppid=0,payload=b'abcd',flags=3): return chunk(0,flags,struct.pack('>IHHI',tsn,sid,ssn,ppid)+payload)
def init(t,tag,tsn,params=b''): return chunk(t,0,struct.pack('>IIHHI',tag,65535,10,10,tsn)+params)
P=lambda s,src='10.0.0.1',dst='10.0.0.2': e(ipv4(src,dst,132,s))
R=lambda s: P(s,'10.0.0.2','10.0.0.1')
frames=[
 P(sctp(5000,5001,0,[init(1,0x1111,100,param(5,bytes([10,0,0,1]))+param(6,bytes(16))+param(9,struct.pack('>I',500))+param(0x8000,b'')+param(0xc000,b'')+param(0x1234,b'xyz')+param(12,struct.pack('>HH',5,6)))])),
 R(sctp(5001,5000,0x1111,[init(2,0x2222,900,param(7,b'C'*8)+param(0x8008,bytes([0xc1,0x80])))])),
 P(sctp(5000,5001,0x2222,[chunk(10,0,b'C'*8)])),
 R(sctp(5001,5000,0x1111,[chunk(11,0,b'')])),
 P(sctp(5000,5001,0x2222,[data(100,1,0,46,b'hello'),data(101,1,1,0,b'xy',flags=7)])),
 R(sctp(5001,5000,0x1111,[chunk(3,0,struct.pack('>IIHH',101,65000,2,1)+struct.pack('>HHHH',2,3,5,6)+struct.pack('>I',99))])),
 P(sctp(5000,5001,0x2222,[chunk(4,0,param(1,b'\x01\x02\x03\x04\x05'))])),
 R(sctp(5001,5000,0x1111,[chunk(5,0,param(1,b'\x01\x02\x03\x04\x05'))])),
 P(sctp(5000,5001,0x2222,[chunk(9,0,struct.pack('>HH',1,8)+struct.pack('>HH',3,0))])),
 P(sctp(5000,5001,0x2222,[chunk(7,0,struct.pack('>I',101))])),
 R(sctp(5001,5000,0x1111,[chunk(8,0,b'')])),
 P(sctp(5000,5001,0x2222,[chunk(14,1,b'')])),
 P(sctp(5000,5001,0x2222,[chunk(6,1,struct.pack('>HH',12,4+8)+b'User0001')])),
 P(sctp(5000,5001,0x2222,[chunk(0x99,0,b'\xaa\xbb')])),
 P(sctp(5000,5001,0x2222,[chunk(0,3,b'\0\0')])),
 P(sctp(5000,5001,0x2222,[data(102,payload=b'abc')])[:-6]),
 P(sctp(5000,5001,0x2222,[])),
 P(sctp(5000,5001,0x2222,[])[:8]),
]

FIELDS = ['frame.number', 'frame.protocols', 'sctp.srcport', 'sctp.dstport', 'sctp.verification_tag', 'sctp.checksum',
          'sctp.checksum.status', 'sctp.chunk_type', 'sctp.chunk_flags', 'sctp.chunk_length', 'sctp.data_tsn',
          'sctp.data_tsn_raw', 'sctp.data_sid', 'sctp.data_payload_proto_id', 'sctp.parameter_type',
          'sctp.parameter_length', 'sctp.sack_cumulative_tsn_ack', 'sctp.sack_gap_block_start_tsn',
          'sctp.cause_code', 'sctp.chunk_value', '_ws.col.Protocol', '_ws.col.Info']
TOPS = ['Stream Control Transmission Protocol', 'Data (', '[Malformed Packet', '[Packet size limited']
if __name__ == '__main__':
    pcap(os.path.join(HERE, 'sctp-cases.pcap'), frames)
    corpus = '/work/shared/corpus/public/wireshark/communityid.pcap.gz'
    subprocess.run(['editcap', '-r', '-F', 'pcap', corpus, os.path.join(HERE, 'sctp-public.pcap'), '85-89'], check=True)
    write_references(HERE, ['sctp-cases.pcap', 'sctp-public.pcap'], FIELDS, TOPS)
