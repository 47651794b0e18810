import os, struct, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from craft import *  # pcap, mac, ip, eth, arp, csum, ipv4, ipv6, icmp, udp, tcp, E1, E2, e

def pcap_cut(path, frames, snap):
    # frames longer than `snap` are stored cut, with their original length kept
    with open(path,'wb') as f:
        f.write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,snap,1))
        for i,fr in enumerate(frames):
            cap=fr[:snap]
            f.write(struct.pack('<IIII',1000+i,0,len(cap),len(fr)))
            f.write(cap)

fr=[]
A,B='10.0.0.1','10.0.0.2'
ts=struct.pack('>II',1001,5)   # a timestamp close to the frame time (1000 + frame index)
fr.append(e(ipv4(A,B,1,icmp(8,0,struct.pack('>HH',0x1234,1),ts+bytes(range(40))))))
fr.append(e(ipv4(B,A,1,icmp(0,0,struct.pack('>HH',0x1234,1),ts+bytes(range(40))),ttl=50)))
fr.append(e(ipv4(A,B,1,icmp(8,0,struct.pack('>HH',0x1234,2),b'abcdefgh'*4,bad=True))))  # bad checksum
fr.append(e(ipv4(B,A,1,icmp(0,0,struct.pack('>HH',0x1234,2),b'abcdefgh'*4))))  # checksum key differs: unmatched
fr.append(e(ipv4(A,B,1,icmp(8,0,struct.pack('>HH',0x1234,3),b'xy'))))
fr.append(e(ipv4(B,A,1,icmp(0,0,struct.pack('>HH',0x1234,3),b'xy'))))
fr.append(e(ipv4(B,A,1,icmp(0,0,struct.pack('>HH',0x1234,3),b'xy'))))  # duplicate reply: unmatched
inner_udp=ipv4(A,'8.8.8.8',17,udp(5000,6000,b'\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00'))
inner_tcp=ipv4(A,'8.8.8.8',6,tcp(40000,80,1000,0,0x02))[:28]
for code in range(0,17):
    fr.append(e(ipv4('9.9.9.9',A,1,icmp(3,code,struct.pack('>HH',0,1400 if code==4 else 0),inner_udp))))
fr.append(e(ipv4('9.9.9.9',A,1,icmp(11,0,b'\0'*4,inner_tcp))))
fr.append(e(ipv4('9.9.9.9',A,1,icmp(11,1,b'\0'*4,inner_tcp))))
fr.append(e(ipv4('9.9.9.9',A,1,icmp(12,0,b'\x14\0\0\0',inner_tcp))))
fr.append(e(ipv4('9.9.9.9',A,1,icmp(5,1,ip('10.0.0.254'),inner_tcp))))
fr.append(e(ipv4('9.9.9.9',A,1,icmp(4,0,b'\0'*4,inner_tcp))))
fr.append(e(ipv4(A,B,1,icmp(13,0,struct.pack('>HH',7,8),struct.pack('>III',1000,0,0)))))
fr.append(e(ipv4(B,A,1,icmp(14,0,struct.pack('>HH',7,8),struct.pack('>III',3723004,2000,3000)))))
fr.append(e(ipv4(A,B,1,icmp(17,0,struct.pack('>HH',7,9),ip('0.0.0.0')))))
fr.append(e(ipv4(B,A,1,icmp(18,0,struct.pack('>HH',7,9),ip('255.255.255.0')))))
fr.append(e(ipv4(B,A,1,icmp(10,0,b'\0'*4))))
fr.append(e(ipv4(B,A,1,icmp(99,7,b'\0'*4))))
fr.append(e(ipv4(B,A,1,icmp(8,0,b'\0\1'))))   # header cut inside the identifier
fr.append(e(ipv4(A,B,1,icmp(8,0,struct.pack('>HH',1,1),b'z'*20),tot=20+8+40)))  # IP length past the frame
fr.append(e(ipv4('9.9.9.9',A,1,icmp(3,3,struct.pack('>HH',0,0),ipv4(A,B,1,icmp(8,0,struct.pack('>HH',0x1234,1),b'q'*8))))))
fr.append(e(ipv4('9.9.9.9',A,1,icmp(11,0,struct.pack('>BBH',0,8,0),inner_tcp+b'\0'*4))))  # RFC 4884 length
fr.append(e(ipv4(A,B,1,icmp(8,0,struct.pack('>HH',0x55,0x0100),b''))))
pcap('icmp-cases.pcap',fr)
# A ping cut by the snapshot length: the checksum cannot be verified.
pcap_cut('icmp-snap.pcap',[e(ipv4(A,B,1,icmp(8,0,struct.pack('>HH',0x99,1),b'p'*64)))], 60)
