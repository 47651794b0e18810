import os, struct, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from craft import *  # pcap, mac, ip, eth, arp, csum, ipv4, ipv6, icmp, udp, tcp, E1, E2, e

def dhcp(op, xid, opts, ciaddr='0.0.0.0', yiaddr='0.0.0.0', chaddr='02:00:00:00:00:01', flags=0, sname=b'', file=b'',
         htype=1, hlen=6, cookie=b'\x63\x82\x53\x63', pad=0):
    b=struct.pack('>BBBBIHH',op,htype,hlen,0,xid,3,flags)+ip(ciaddr)+ip(yiaddr)+ip('0.0.0.0')+ip('0.0.0.0')
    b+=(mac(chaddr)+b'\0'*10)[:16]
    b+=sname.ljust(64,b'\0')+file.ljust(128,b'\0')+cookie+opts+b'\0'*pad
    return b
def opt(c,v): return bytes([c,len(v)])+v
C='02:00:00:00:00:01'; S='02:00:00:00:00:02'; BC='ff:ff:ff:ff:ff:ff'
def toserver(b): return eth(BC,C,0x800,ipv4('0.0.0.0','255.255.255.255',17,udp(68,67,b)))
def toclient(b): return eth(C,S,0x800,ipv4('10.0.0.1','10.0.0.20',17,udp(67,68,b)))
fr=[]
# A request with many option kinds, broadcast flag, sname/file, pad options and trailing padding.
o=(opt(53,b'\x03')+opt(61,b'\x01'+mac(C))+opt(12,b'myhost')+opt(3,ip('10.0.0.1'))+opt(6,ip('8.8.8.8')+ip('8.8.4.4'))
   +opt(15,b'example.com')+opt(28,ip('10.0.0.255'))+opt(200,b'\1\2')+opt(57,b'\x05\xdc')+opt(60,b'MSFT 5.0')
   +opt(51,b'\xff\xff\xff\xff')+opt(58,struct.pack('>I',90061))+opt(55,bytes([1,3,6,15,119,252,200]))+b'\0\0'
   +opt(43,b'\x01\x02\x03')+b'\xff')
fr.append(toserver(dhcp(1,0x12345678,o,flags=0x8000,sname=b'srv',file=b'boot.img',pad=3)))
fr.append(toclient(dhcp(2,0x12345678,opt(53,b'\x05')+opt(1,ip('255.255.255.0'))+opt(54,ip('10.0.0.1'))+b'\xff',yiaddr='10.0.0.20')))
fr.append(toclient(dhcp(2,0xab,b'',cookie=b'')))                                     # BOOTP cut before the cookie
fr.append(toclient(dhcp(2,0xab,opt(53,b'\x02')+b'\x33\x04\x00')[:250]))              # option cut short
for t in (4,6,7,8,99):
    fr.append(toclient(dhcp(2,0xab,opt(53,bytes([t]))+b'\xff')))                     # other / unknown message types
fr.append(toclient(dhcp(1,0xab,opt(53,b'\x01')+b'\xff',htype=6,hlen=4,chaddr='0a:0b:0c:0d:00:00')))  # non-Ethernet chaddr
# Bad lengths, a string with a NUL, a type-0 client identifier, an address-list option by catalog field.
o=(opt(53,b'\x01')+opt(12,b'abc\0')+opt(3,b'\1\2\3\4\5')+opt(61,b'\x00client')+opt(42,ip('1.1.1.1'))+opt(54,b'\1\2')
   +opt(51,b'\0\0\0\0')+b'\xff')
fr.append(toserver(dhcp(1,0x1,o)))
pcap('dhcp-cases.pcap',fr)
