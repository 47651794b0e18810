# Builds the crafted TFTP captures of this directory (run it here: python3 make_fixtures.py).
import os, struct, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from craft import *  # pcap, mac, ip, eth, arp, csum, ipv4, ipv6, icmp, udp, tcp, E1, E2, e
def pkt(src,dst,sp,dp,payload):
    return mac(E2)+mac(E1)+struct.pack('>H',0x800)+ipv4(src,dst,17,udp(sp,dp,payload))
C,S='10.0.0.1','10.0.0.2'
def rq(op,name,mode,opts=()):
    b=struct.pack('>H',op)+name+b'\0'+mode+b'\0'
    for k,v in opts: b+=k+b'\0'+v+b'\0'
    return b
def data(n,payload): return struct.pack('>HH',3,n)+payload
def ack(n): return struct.pack('>HH',4,n)
def err(code,msg): return struct.pack('>HH',5,code)+msg+b'\0'
def oack(opts):
    b=struct.pack('>H',6)
    for k,v in opts: b+=k+b'\0'+v+b'\0'
    return b
fr=[]
# 1-6: read with options, negotiated block size 16: OACK, ACK 0, DATA 1 (full), ACK 1, DATA 2 (last), ACK 2
fr.append(pkt(C,S,40000,69,rq(1,b'boot/pxelinux.0',b'octet',[(b'blksize',b'16'),(b'tsize',b'0')])))
fr.append(pkt(S,C,50000,40000,oack([(b'blksize',b'16'),(b'tsize',b'20')])))
fr.append(pkt(C,S,40000,50000,ack(0)))
fr.append(pkt(S,C,50000,40000,data(1,b'0123456789abcdef')))
fr.append(pkt(C,S,40000,50000,ack(1)))
fr.append(pkt(S,C,50000,40000,data(2,b'WXYZ')))
fr.append(pkt(C,S,40000,50000,ack(2)))
# 8-11: write in netascii without options: ACK 0, DATA 1 (short: last), ACK 1
fr.append(pkt(C,S,40001,69,rq(2,b'upload.txt',b'netascii')))
fr.append(pkt(S,C,50001,40001,ack(0)))
fr.append(pkt(C,S,40001,50001,data(1,b'hello\r\n')))
fr.append(pkt(S,C,50001,40001,ack(1)))
# 12-13: read of a missing file: ERROR 1
fr.append(pkt(C,S,40002,69,rq(1,b'missing.bin',b'octet')))
fr.append(pkt(S,C,50002,40002,err(1,b'File not found')))
# 14-15: read refused for an option: ERROR 8; then an empty DATA block
fr.append(pkt(C,S,40003,69,rq(1,b'x',b'OCTET',[(b'blksize',b'99999')])))
fr.append(pkt(S,C,50003,40003,err(8,b'Option negotiation failed')))
# 16: unknown opcode on port 69; 17: request without terminating NUL; 18: truncated ACK; 19: error without message NUL
fr.append(pkt(C,S,40004,69,struct.pack('>H',9)+b'junk'))
fr.append(pkt(C,S,40005,69,struct.pack('>H',1)+b'nonul'))
fr.append(pkt(C,S,40006,69,b'\x00\x04\x00'))
fr.append(pkt(C,S,40007,69,struct.pack('>HH',5,0)+b'oops'))
# 20: a packet between the first transfer's ports after it ended; 21: unrelated port pair (data)
fr.append(pkt(S,C,50000,40000,err(5,b'Unknown transfer ID')))
fr.append(pkt(S,C,50009,40009,data(1,b'zz')))
# 22-24: server answering from a second port after the first reply: not part of the transfer
fr.append(pkt(C,S,40010,69,rq(1,b'a',b'octet')))
fr.append(pkt(S,C,50010,40010,data(1,b'')))
fr.append(pkt(S,C,50011,40010,data(1,b'')))
pcap('tftp-cases.pcap',fr)

# Options: a tsize probe ended by ERROR 8, out-of-range windowsize and blksize, Windows
# Deployment Services' msftwindow with window sizes in the ACKs, a block number about to wrap,
# a request whose last option has no value, an MSDP information message, an unknown opcode with
# nothing after it, a one-byte message.
fr=[]
fr.append(pkt(C,S,41000,69,rq(1,b'f',b'octet',[(b'tsize',b'0'),(b'windowsize',b'0'),(b'msftwindow',b'1')])))
fr.append(pkt(S,C,51000,41000,oack([(b'tsize',b'100'),(b'blksize',b'4'),(b'windowsize',b'70000')])))
fr.append(pkt(C,S,41000,51000,err(8,b'tsize probe')))
fr.append(pkt(C,S,41001,69,rq(1,b'g',b'octet',[(b'msftwindow',b'31416')])))
fr.append(pkt(S,C,51001,41001,oack([(b'msftwindow',b'27182'),(b'blksize',b'8')])))
fr.append(pkt(C,S,41001,51001,ack(0)+b'\x04'))
fr.append(pkt(S,C,51001,41001,data(1,b'12345678')))
fr.append(pkt(C,S,41001,51001,ack(1)+b'\x08'))
fr.append(pkt(S,C,51001,41001,data(0xffff,b'12345678')))
fr.append(pkt(S,C,51001,41001,data(0,b'1')))
fr.append(pkt(C,S,41002,69,struct.pack('>H',1)+b'h\0octet\0blksize\0'))
fr.append(pkt(C,S,41003,69,struct.pack('>H',255)+b'a\0b\0'))
fr.append(pkt(C,S,41004,69,struct.pack('>H',9)))
fr.append(pkt(C,S,41005,69,b'\x00'))
pcap('tftp-options.pcap',fr)
