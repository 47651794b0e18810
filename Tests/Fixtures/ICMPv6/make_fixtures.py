# Builds the crafted ICMPv6 captures of this directory (run it here: python3 make_fixtures.py).
import struct, socket
def pcap(path, frames, linktype=1, snap=65535):
    with open(path,'wb') as f:
        f.write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,snap,linktype))
        for i,fr in enumerate(frames):
            cap=fr[:snap]
            f.write(struct.pack('<IIII',1000+i,0,len(cap),len(fr)))
            f.write(cap)
def mac(s): return bytes.fromhex(s.replace(':',''))
def a6(s): return socket.inet_pton(socket.AF_INET6, s)
def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack('>%dH'%(len(b)//2),b))
    while s>>16: s=(s&0xffff)+(s>>16)
    return (~s)&0xffff
def ipv6(src,dst,nxt,payload,hlim=64,plen=None):
    pl = len(payload) if plen is None else plen
    return struct.pack('>IHBB',0x60000000,pl,nxt,hlim)+a6(src)+a6(dst)+payload
def pseudo(src,dst,length,nxt):
    return a6(src)+a6(dst)+struct.pack('>IxxxB',length,nxt)
def icmp6(src,dst,t,c,body,bad=False):
    b=struct.pack('>BBH',t,c,0)+body
    ck=csum(pseudo(src,dst,len(b),58)+b)
    if bad: ck^=0x1111
    return b[:2]+struct.pack('>H',ck)+b[4:]
def udp(src,dst,sp,dp,payload):
    b=struct.pack('>HHHH',sp,dp,8+len(payload),0)+payload
    ck=csum(pseudo(src,dst,len(b),17)+b) or 0xffff
    return b[:6]+struct.pack('>H',ck)+b[8:]
def tcp(sp,dp,seq,ack,flags=0x02):
    return struct.pack('>HHIIBBHHH',sp,dp,seq,ack,0x50,flags,8192,0x1234,0)
E1='02:00:00:00:00:01'; E2='02:00:00:00:00:02'
def eth(payload,dst=E2,src=E1): return mac(dst)+mac(src)+struct.pack('>H',0x86dd)+payload
def pkt(src,dst,t,c,body,hlim=64,bad=False,plen=None):
    return eth(ipv6(src,dst,58,icmp6(src,dst,t,c,body,bad),hlim,plen))
def opt(t,body):
    n=len(body)+2
    pad=(-n)%8
    return struct.pack('>BB',t,(n+pad)//8)+body+b'\0'*pad

A='2001:db8::1'; B='2001:db8::2'; R='fe80::1'; L='fe80::200:ff:fe00:1'
fr=[]
# 1-4 echo request/reply pairs (one reply matched, one with other data: unmatched)
fr.append(pkt(A,B,128,0,struct.pack('>HH',0x1234,1)+bytes(range(32))))
fr.append(pkt(B,A,129,0,struct.pack('>HH',0x1234,1)+bytes(range(32)),hlim=60))
fr.append(pkt(A,B,128,0,struct.pack('>HH',0x1234,2)+b'abcd'))
fr.append(pkt(B,A,129,0,struct.pack('>HH',0x1234,2)+b'abce'))
# 5 bad checksum
fr.append(pkt(A,B,128,0,struct.pack('>HH',0x1234,3)+b'x',bad=True))
inner_udp=ipv6(A,'2001:db8::53',17,udp(A,'2001:db8::53',5000,33444,b'\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00'),hlim=1)
# A DNS query cut after 4 bytes of payload (TCP quotes are left to the TCP tests).
inner_tcp=ipv6(A,'2001:db8::35',17,udp(A,'2001:db8::35',5353,53,b'\xab\xcd\x01\x00'+b'\0'*8))[:52]
inner_echo=ipv6(A,B,58,icmp6(A,B,128,0,struct.pack('>HH',7,7)+b'ping'))
# 6-14 destination unreachable codes 0..8
for code in range(0,9):
    fr.append(pkt(R,A,1,code,b'\0'*4+inner_udp))
# 15 packet too big, 16-17 time exceeded, 18-21 parameter problem
fr.append(pkt(R,A,2,0,struct.pack('>I',1280)+inner_tcp))
fr.append(pkt(R,A,3,0,b'\0'*4+inner_udp))
fr.append(pkt(R,A,3,1,b'\0'*4+inner_tcp))
for code in range(0,4):
    fr.append(pkt(R,A,4,code,struct.pack('>I',40)+inner_echo))
# 22 router solicitation with source link-layer address; 23 without options
fr.append(pkt(L,'ff02::2',133,0,b'\0'*4+opt(1,mac(E1)),hlim=255))
fr.append(pkt('::','ff02::2',133,0,b'\0'*4,hlim=255))
# 24 router advertisement: flags M O H Prf=high P, SLLA, MTU, prefix info, RDNSS, DNSSL, route info, adv interval
ra=struct.pack('>BBHII',64,0xc0|0x20|0x08|0x04,1800,30000,1000)
ra+=opt(1,mac(E2))
ra+=opt(5,struct.pack('>HI',0,1500))
ra+=opt(3,struct.pack('>BBII',64,0xc0,2592000,604800)+b'\0'*4+a6('2001:db8:1::'))
ra+=opt(25,struct.pack('>HI',0,1200)+a6('2001:db8::53')+a6('2001:db8::54'))
ra+=opt(31,struct.pack('>HI',0,1200)+b'\x07example\x03com\x00\x04test\x00\x00\x00')
ra+=opt(24,struct.pack('>BBI',48,0x08,3600)+a6('2001:db8:2::')[:8])
ra+=opt(7,struct.pack('>HI',0,600000))
fr.append(pkt(R,'ff02::1',134,0,ra,hlim=255))
# 25 RA with lifetime 0, Prf low, no options; 26 RA with infinite prefix lifetimes
fr.append(pkt(R,'ff02::1',134,0,struct.pack('>BBHII',0,0x18,0,0,0),hlim=255))
fr.append(pkt(R,'ff02::1',134,0,struct.pack('>BBHII',255,0x10,65535,0,0)+opt(3,struct.pack('>BBII',48,0x40,0xffffffff,0xffffffff)+b'\0'*4+a6('2001:db8:3::')),hlim=255))
# 27 neighbor solicitation with SLLA; 28 DAD solicitation (from ::) with nonce
fr.append(pkt(A,'ff02::1:ff00:2',135,0,b'\0'*4+a6(B)+opt(1,mac(E1)),hlim=255))
fr.append(pkt('::','ff02::1:ff00:2',135,0,b'\0'*4+a6(B)+opt(14,bytes.fromhex('0102030405aa')),hlim=255))
# 29 neighbor advertisement (sol, ovr) with TLLA; 30 (rtr) unsolicited, no options
fr.append(pkt(B,A,136,0,struct.pack('>I',0x60000000)+a6(B)+opt(2,mac(E2)),hlim=255))
fr.append(pkt(R,'ff02::1',136,0,struct.pack('>I',0x80000000)+a6(R),hlim=255))
# 31 redirect with TLLA and redirected header
red=b'\0'*4+a6(R)+a6('2001:db8:9::9')+opt(2,mac(E2))
red+=opt(4,b'\0'*6+inner_udp[:40+8])
fr.append(pkt(R,A,137,0,red,hlim=255))
# 32 MLD query (general), 33 MLD report, 34 MLD done
fr.append(pkt(R,'ff02::1',130,0,struct.pack('>HH',10000,0)+a6('::'),hlim=1))
fr.append(pkt(L,'ff05::9999',131,0,struct.pack('>HH',0,0)+a6('ff05::9999'),hlim=1))
fr.append(pkt(L,'ff02::2',132,0,struct.pack('>HH',0,0)+a6('ff05::9999'),hlim=1))
# 35 MLDv2 query with sources and S flag/QRV, 36 MLDv2 query with large MRC/QQIC
fr.append(pkt(R,'ff02::1',130,0,struct.pack('>HH',1000,0)+a6('ff05::1')+struct.pack('>BBH',0x0a,125,2)+a6(A)+a6(B),hlim=1))
fr.append(pkt(R,'ff02::1',130,0,struct.pack('>HH',0x8123,0)+a6('::')+struct.pack('>BBH',0x02,0x85,0),hlim=1))
# 37 MLDv2 report with three records (types 1..6)
recs=struct.pack('>BBH',4,0,0)+a6('ff02::fb')
recs+=struct.pack('>BBH',1,1,2)+a6('ff05::1:3')+a6(A)+a6(B)+b'AUXD'
recs+=struct.pack('>BBH',6,0,1)+a6('ff0e::101')+a6('2001:db8::7')
fr.append(pkt(L,'ff02::16',143,0,struct.pack('>HH',0,3)+recs,hlim=1))
# 38 unknown type, 39 private experimentation type
fr.append(pkt(A,B,250,3,b'\0\1\2\3\4\5'))
fr.append(pkt(A,B,200,0,b'\0\0\0\0'))
# 40 header cut inside the checksum; 41 echo cut inside the identifier
fr.append(eth(ipv6(A,B,58,b'\x80\x00\x12')))
fr.append(eth(ipv6(A,B,58,b'\x80\x00\x00\x00\x12')))
# 42 NS whose option has length 0; 43 NS whose option runs past the end
fr.append(pkt(A,B,135,0,b'\0'*4+a6(B)+b'\x01\x00'+mac(E1),hlim=255))
fr.append(pkt(A,B,135,0,b'\0'*4+a6(B)+b'\x01\x02'+mac(E1),hlim=255))
# 44 NS with target cut short; 45 unknown ND option and 8-byte link-layer address
fr.append(pkt(A,B,135,0,b'\0'*4+a6(B)[:10],hlim=255))
fr.append(pkt(A,B,135,0,b'\0'*4+a6(B)+opt(200,b'\xaa'*6)+opt(1,bytes(range(1,9))+b'\0'*6),hlim=255))
# 46 destination unreachable quoting a truncated IPv6 header; 47 quoting an echo request
fr.append(pkt(R,A,1,4,b'\0'*4+inner_udp[:30]))
fr.append(pkt(R,A,1,3,b'\0'*4+inner_echo))
# 48 IPv6 payload length past the frame
fr.append(eth(ipv6(A,B,58,icmp6(A,B,128,0,struct.pack('>HH',1,9)+b'z'*8),plen=60)))
# 49 echo reply with no request; 50 echo request, empty data
fr.append(pkt(B,A,129,0,struct.pack('>HH',0x4321,5)))
fr.append(pkt(A,B,128,0,struct.pack('>HH',0x55,0x0100)))
# 51 RA with MTU option length 2 (wrong), PREF64, captive portal
fr.append(pkt(R,'ff02::1',134,0,struct.pack('>BBHII',64,0,1800,0,0)
              +opt(38,struct.pack('>H',(600<<3)|1)+a6('64:ff9b::')[:12])
              +opt(37,b'https://example.com/portal'),hlim=255))
# 52 unknown unreachable code; 53 packet too big quoting nothing; 54 an error quoting a non-IPv6 packet
fr.append(pkt(R,A,1,8,b'\0'*4+inner_udp))
fr.append(pkt(R,A,2,0,struct.pack('>I',1280)))
fr.append(pkt(R,A,1,0,b'\0'*4+b'\0'*24))
# 55 NA without flags; 56 NS with a 14-byte link-layer address; 57 RS with two source addresses
fr.append(pkt(B,A,136,0,struct.pack('>I',0)+a6(B),hlim=255))
fr.append(pkt(A,B,135,0,b'\0'*4+a6(B)+opt(1,bytes(range(1,15))),hlim=255))
fr.append(pkt(L,'ff02::2',133,0,b'\0'*4+opt(1,mac(E1))+opt(1,mac(E2)),hlim=255))
# 58 RA with home agent information, source address list, RA flags extension, NBMA shortcut limit,
# an experimental option, a DNSSL with a (forbidden) compression pointer and an expiring RDNSS
fr.append(pkt(R,'ff02::1',134,0,struct.pack('>BBHII',64,0x80,1800,0,0)
   +opt(8,struct.pack('>HHH',0,10,1800))+opt(9,b'\0'*6+a6(A))+opt(26,b'\x80\x00'+b'\0'*4)+opt(6,b'\x05\x00\0\0\0\0')
   +opt(253,b'\x01\x02\x03\x04\x05\x06')+opt(31,struct.pack('>HI',0,0xffffffff)+b'\x01a\x00\xc0\x0c'+b'\0'*3)
   +opt(25,struct.pack('>HI',0,0)+a6(B)),hlim=255))
# 59-60 inverse neighbor discovery; 61-63 multicast router discovery
fr.append(pkt(R,'ff02::1',141,0,b'\0'*4+opt(1,mac(E1))+opt(2,mac(E2)),hlim=255))
fr.append(pkt(R,'ff02::1',142,0,b'\0'*4+opt(10,b'\0'*6+a6(A)),hlim=255))
fr.append(pkt(R,'ff02::6a',151,0,struct.pack('>HH',20,2)))
fr.append(pkt(R,'ff02::2',152,0,b''))
fr.append(pkt(R,'ff02::6a',153,0,b''))
# 64-66 node information queries, 67-70 replies; 71 FMIPv6
N=b'\x22'*8
fr.append(pkt(A,B,139,0,struct.pack('>HH',0,0)+N+a6(B)))
fr.append(pkt(A,B,139,1,struct.pack('>HH',3,0x3e)+N+b'\x04host\x07example\x00'))
fr.append(pkt(A,B,139,2,struct.pack('>HH',4,0x01)+N+bytes([192,0,2,1])))
fr.append(pkt(B,A,140,0,struct.pack('>HH',3,0x02)+N+struct.pack('>I',30)+a6(B)+struct.pack('>I',60)+a6(A)))
fr.append(pkt(B,A,140,0,struct.pack('>HH',4,0)+N+struct.pack('>I',30)+bytes([192,0,2,1])))
fr.append(pkt(B,A,140,1,struct.pack('>HH',0,0)+N))
fr.append(pkt(B,A,140,0,struct.pack('>HH',2,0)+N+struct.pack('>I',0)+b'\x04host\x00\x04mail\x07example\x00'))
fr.append(pkt(A,B,154,0,b'\x02\x00'+b'\x00\x05'+opt(1,mac(E1))))
# 72-75 mobile IPv6 home agent discovery and mobile prefixes; 76-77 extended echo (RFC 8335)
fr.append(pkt(A,B,144,0,struct.pack('>HH',0x1234,0)))
fr.append(pkt(B,A,145,0,struct.pack('>HH',0x1234,0)+a6('2001:db8::100')+a6('2001:db8::101')))
fr.append(pkt(A,B,146,0,struct.pack('>HH',0x4321,0)))
fr.append(pkt(B,A,147,0,struct.pack('>HH',0x4321,0xc000)+opt(3,struct.pack('>BBII',64,0xc0,100,50)+b'\0'*4+a6('2001:db8:1::'))))
fr.append(pkt(A,B,160,0,struct.pack('>HBB',0x0102,3,1)))
fr.append(pkt(B,A,161,0,struct.pack('>HBB',0x0102,3,0xa6)))
pcap('icmpv6-cases.pcap',fr)
# A ping cut by the snapshot length: checksum unverified.
pcap('icmpv6-snap.pcap',[pkt(A,B,128,0,struct.pack('>HH',0x99,1)+b'p'*64)],snap=80)
