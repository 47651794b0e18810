# Builds the crafted NTP captures of this directory (run it here: python3 make_fixtures.py).
import os, struct, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from craft import *  # pcap, mac, ip, eth, arp, csum, ipv4, ipv6, icmp, udp, tcp, E1, E2, e
_pcap = pcap
def pcap(path, frames, linktype=1): _pcap(path, frames, linktype, t0=1600000000)
def pkt(src,dst,sp,dp,payload):
    return mac(E2)+mac(E1)+struct.pack('>H',0x800)+ipv4(src,dst,17,udp(sp,dp,payload))
def pkt6(src,dst,sp,dp,payload):
    return mac(E2)+mac(E1)+struct.pack('>H',0x86dd)+ipv6(src,dst,17,udp(sp,dp,payload))
C,S='10.0.0.1','10.0.0.2'
EPOCH=2208988800
def ts(sec,frac=0): return struct.pack('>II',(sec+EPOCH)&0xffffffff,frac)
def ntp(li,vn,mode,stratum,poll,prec,rdelay,rdisp,refid,ref,org,rec,xmt):
    return struct.pack('>BBbb',(li<<6)|(vn<<3)|mode,stratum,poll,prec)+struct.pack('>II',rdelay,rdisp)+refid+ref+org+rec+xmt
T=1600000000
fr=[]
# 1-2 v4 client request and server reply (stratum 2, refid IPv4)
fr.append(pkt(C,S,40000,123,ntp(0,4,3,0,6,-20,0,0,b'\0'*4,b'\0'*8,b'\0'*8,b'\0'*8,ts(T,0x80000000))))
fr.append(pkt(S,C,123,40000,ntp(0,4,4,2,6,-23,0x00000d2e,0x00010a3d,ip('192.0.2.7'),ts(T-100,0x12345678),ts(T,0x80000000),ts(T,0x90000000),ts(T,0x90001000))))
# 3 v3 symmetric active, stratum 1 with a known source; 4 v2 symmetric passive with GPS; 5 v1 (mode 0)
fr.append(pkt(C,S,123,123,ntp(1,3,1,1,10,-6,0x00010000,0x00008000,b'PPS\0',ts(T-5),ts(T-4),ts(T-3),ts(T-2))))
fr.append(pkt(S,C,123,123,ntp(2,2,2,1,17,-32,0xffffffff,0,b'GPS\0',ts(T),ts(T),ts(T),ts(T))))
fr.append(pkt(C,S,123,123,ntp(3,1,0,16,0,0,0,0,b'\0\0\0\0',b'\0'*8,b'\0'*8,b'\0'*8,b'\0'*8)))
# 6 broadcast with negative poll; 7 KoD RATE (stratum 0); 8 stratum 200 (reserved); 9 unknown stratum 1 source
fr.append(pkt(S,'10.0.0.255',123,123,ntp(0,4,5,3,-3,-18,0x100,0x200,ip('10.0.0.9'),ts(T),b'\0'*8,b'\0'*8,ts(T,1))))
fr.append(pkt(S,C,123,40000,ntp(3,4,4,0,4,-20,0,0,b'RATE',b'\0'*8,ts(T),b'\0'*8,b'\0'*8)))
fr.append(pkt(S,C,123,40000,ntp(0,4,4,200,4,-20,0,0,b'abcd',b'\0'*8,ts(T),b'\0'*8,b'\0'*8)))
fr.append(pkt(S,C,123,40000,ntp(0,4,4,1,4,-20,0,0,b'XYZ\0',b'\0'*8,ts(T),b'\0'*8,b'\0'*8)))
# 10 v4 with MAC (key id + MD5 digest); 11 v4 with an extension field (NTS unique identifier) + MAC
base=ntp(0,4,3,2,6,-20,0,0,ip('192.0.2.7'),ts(T),ts(T),ts(T),ts(T,5))
fr.append(pkt(C,S,40001,123,base+struct.pack('>I',42)+bytes(range(16))))
fr.append(pkt(C,S,40001,123,base+struct.pack('>HH',0x0104,36)+bytes(range(32))+struct.pack('>I',7)+bytes(range(20))))
# 12 control (mode 6) read variables request; 13 its response with data; 14 read status response with a peer status
fr.append(pkt(C,S,40002,123,struct.pack('>BBHHHHH',(0<<6)|(2<<3)|6,2,1,0,0,0,0)))
vars=b'version="ntpd 4.2.8p15", stratum=2, refid=192.0.2.7'
vars+=b'\0'*((-len(vars))%4)
fr.append(pkt(S,C,123,40002,struct.pack('>BBHHHHH',(0<<6)|(2<<3)|6,0x82,1,0x0615,0,0,len(vars.rstrip(b'\0')))+vars))
fr.append(pkt(S,C,123,40002,struct.pack('>BBHHHHH',(0<<6)|(2<<3)|6,0x81,2,0x0615,0,0,4)+struct.pack('>HH',0x1234,0x961a)))
# 15 private (mode 7) monlist request; 16 error response
fr.append(pkt(C,S,40003,123,struct.pack('>BBBB',(0<<6)|(2<<3)|7,0,3,42)+b'\0'*44))
fr.append(pkt(S,C,123,40003,struct.pack('>BBBBHH',0x80|(2<<3)|7,0,3,42,0x4000,0)))
# 17 truncated (only 20 bytes); 18 IPv6 server reply with refid hash
fr.append(pkt(C,S,40004,123,ntp(0,4,3,0,6,-20,0,0,b'\0'*4,b'\0'*8,b'\0'*8,b'\0'*8,ts(T))[:20]))
fr.append(pkt6('2001:db8::2','2001:db8::1',123,40005,ntp(0,4,4,3,6,-20,0x10,0x20,bytes.fromhex('a1b2c3d4'),ts(T),ts(T),ts(T),ts(T))))
# 19 a timestamp from the 2036 era (NTP era 1), 20 timestamps with all ones
fr.append(pkt(S,C,123,40000,ntp(0,4,4,2,6,-20,0,0,ip('192.0.2.7'),struct.pack('>II',0x00000010,0),struct.pack('>II',0x7fffffff,0),struct.pack('>II',0x80000000,0),struct.pack('>II',0xffffffff,0xffffffff))))
pcap('ntp-cases.pcap',fr)

# Control messages whose text tshark splits with its tvbparse grammar (values, quotes, commas,
# blanks, an unterminated quote, a control character, text that fits no item).
fr=[]
texts=[b'a=1', b'a=1, b=2', b'a="x"', b'a', b'a, b', b"a='q'", b'a="x\\"y"', b'a=1,\r\nb=2', b'a=', b'a=x y', b'a=1,',
       b'a=(1)', b' ,a', b'a=(1),b', b'a=""', b'a = 1', b'a=1 , b', b'a="x', b'a=\x01,b', b'k.v-1_x=abc.def',
       b'a=" x"', b'a= "x"', b'a  , b', b'a=1,b="\\""']
for v in texts:
    fr.append(pkt(S,C,123,40002,struct.pack('>BBHHHHH',(0<<6)|(2<<3)|6,0x82,1,0x0615,0,0,len(v))+v+b'\0'*((-len(v))%4)))
pcap('ntp-control.pcap',fr)

# Extension fields against MACs (RFC 7822), authenticated control requests, other control and
# private (mode 7) messages.
fr=[]
base=ntp(0,4,3,2,6,-20,0,0,ip('192.0.2.7'),ts(T),ts(T),ts(T),ts(T,5))
fr.append(pkt(C,S,40001,123,base+struct.pack('>HH',0x0104,8)+b'\1\2\3\4'+b'\0'*24))   # too short for a field
fr.append(pkt(C,S,40001,123,base+struct.pack('>HH',0x0104,18)+b'\1'*14+b'\0'*20))    # length not a multiple of 4
fr.append(pkt(C,S,40001,123,base+struct.pack('>HH',0x0104,0)+b'\0'*28))
fr.append(pkt(C,S,40001,123,base+struct.pack('>HH',0x0404,40)+b'\2'*36))              # NTS authenticator
fr.append(pkt(C,S,40001,123,base+struct.pack('>HH',0x0104,200)+b'\1'*28))             # longer than the packet
fr.append(pkt(C,S,40001,123,base+struct.pack('>HH',0x0104,16)+b'\1'*12+struct.pack('>HH',0x0204,16)+b'\2'*12))
fr.append(pkt(C,S,40001,123,base+b'\0\0\0\1'))
fr.append(pkt(C,S,40001,123,base+b'\0\0\0\1\2\3'))
fr.append(pkt(C,S,40001,123,base+struct.pack('>HH',0x0104,16)+b'\1'*12+b'\0\0\0\1\2\3\4\5'))  # too little MAC left
fr.append(pkt(C,S,40001,123,base+struct.pack('>HH',0x0104,16)+b'\1'*12+b'\0\0\0\0'))           # crypto-NAK
fr.append(pkt(C,S,40001,123,base+struct.pack('>HH',0x0104,16)+b'\1'*12+b'\0\0\0\1'+b'\2'*16))
fr.append(pkt(C,S,40001,123,base+struct.pack('>HH',0x0104,20)+b'\1'*16))
fr.append(pkt(C,S,40002,123,struct.pack('>BBHHHHH',(0<<6)|(2<<3)|6,2,1,0,0,0,0)+b'\0'*4+struct.pack('>I',9)+b'\3'*16))
fr.append(pkt(C,S,40002,123,struct.pack('>BBHHHHH',(0<<6)|(2<<3)|6,2,1,0,0,0,0)+b'\0'*4+struct.pack('>I',9)+b'\3'*20))
fr.append(pkt(S,C,123,40002,struct.pack('>BBHHHHH',(0<<6)|(2<<3)|6,0xc2,1,0x0500,0,0,0)))   # error response
fr.append(pkt(S,C,123,40002,struct.pack('>BBHHHHH',(0<<6)|(2<<3)|6,0x84,1,0x0203,5,0,0)))   # clock status
fr.append(pkt(S,C,123,40002,struct.pack('>BBHHHHH',(0<<6)|(2<<3)|6,0x87,1,0x0615,0,0,4)+b'trap'))
fr.append(pkt(C,S,40002,123,struct.pack('>BBHHHHH',(0<<6)|(2<<3)|6,0x08,1,0,0,0,6)+b'conf x'+b'\0\0'))
item=struct.pack('>IIIIIII',1,2,3,4,0xc0000201,0xc0000202,0)+struct.pack('>HBBII',123,3,4,0,0)
item2=struct.pack('>IIIIIII',5,6,7,8,0xc0000205,0xc0000206,0)+struct.pack('>HBBII',124,4,4,1,0)+b'\x20'*16+b'\x30'*16
fr.append(pkt(S,C,123,40003,struct.pack('>BBBBHH',0x80|(2<<3)|7,0,3,42,2,72)+item+b'\0'*32+item2))  # monlist
fr.append(pkt(S,C,123,40003,struct.pack('>BBBBHH',0x80|(2<<3)|7,0,3,0,1,32)+struct.pack('>IHBBII',0xc0000209,123,3,0x21,0,0)+b'\0'*16))
fr.append(pkt(S,C,123,40003,struct.pack('>BBBBHH',0x80|(2<<3)|7,0,3,0,1,8)+b'\0'*8))  # peer list item cut short
fr.append(pkt(S,C,123,40003,struct.pack('>BBBBHH',0xc0|(2<<3)|7,0x85,2,42,0,0)))
fr.append(pkt(S,C,123,40003,struct.pack('>BB',0x17,0)))
pcap('ntp-more.pcap',fr)
