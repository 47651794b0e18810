#!/usr/bin/env python3
"""Crafted captures for the IPv4/IPv6/UDP/GRE tests (run in this directory to rebuild them).

Each capture hits edge cases of one protocol; the *.verbose.txt / *.summary.txt next to them were
made with tshark 4.0.17 (see README.md).
"""
import struct, ipaddress
def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack('!%dH'%(len(b)//2),b))
    while s>>16: s=(s&0xffff)+(s>>16)
    return (~s)&0xffff
def wpcap(fn, pkts, lt=1):
    with open(fn,'wb') as f:
        f.write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,lt))
        for i,p in enumerate(pkts):
            if isinstance(p,tuple): p,orig=p
            else: orig=len(p)
            f.write(struct.pack('<IIII',1000+i,0,len(p),orig)); f.write(p)
def ip4(payload, proto=17, src='10.0.0.1', dst='10.0.0.2', ident=0x1234, flags=0, off=0, ttl=64, tos=0, opts=b'', tlen=None, ihl=None, ver=4, ck=None):
    a=lambda s: bytes(int(x) for x in s.split('.'))
    ihl = ihl if ihl is not None else (20+len(opts))//4
    tl = tlen if tlen is not None else 20+len(opts)+len(payload)
    h=struct.pack('!BBHHHBBH4s4s',(ver<<4)|ihl,tos,tl,ident,(flags<<13)|off,ttl,proto,0,a(src),a(dst))+opts
    c = csum(h) if ck is None else ck
    h=h[:10]+struct.pack('!H',c)+h[12:]
    return h+payload
def eth(payload, et=0x0800):
    return bytes.fromhex('001122334455')+bytes.fromhex('66778899aabb')+struct.pack('!H',et)+payload
def udp(payload, sp=1234, dp=5678, ln=None, ck=0):
    return struct.pack('!HHHH',sp,dp,ln if ln is not None else 8+len(payload),ck)+payload
def ip6(payload, nh=17, src='2001:db8::1', dst='2001:db8::2', hlim=64, tc=0, fl=0, plen=None):
    import ipaddress
    pl = plen if plen is not None else len(payload)
    return struct.pack('!IHBB',(6<<28)|(tc<<20)|fl,pl,nh,hlim)+ipaddress.IPv6Address(src).packed+ipaddress.IPv6Address(dst).packed+payload


# ---- v4-cases.pcap
def make_v4_cases():
    u = udp(b'hello', 1000, 2000)
    P=[]
    P.append(eth(ip4(u, flags=2)))                                   #1 DF
    P.append(eth(ip4(u, flags=3, tos=0xb9)))                         #2 DF+MF, EF ECN1
    P.append(eth(ip4(u, flags=4, tos=0x03)))                         #3 RB
    # fragments of udp with 40 byte payload
    big = udp(bytes(range(40)), 31111, 32222)
    P.append(eth(ip4(big[:16], flags=1, off=0, ident=0xabcd)))      #4
    P.append(eth(ip4(big[16:32], flags=1, off=2, ident=0xabcd)))    #5
    P.append(eth(ip4(big[32:], flags=0, off=4, ident=0xabcd)))      #6
    opts = bytes([1,1,7,7,4,0,0,0,0,0,0,0])  # NOP NOP RR(len7 ptr4) -> pad to 12
    P.append(eth(ip4(u, opts=opts)))                                #7 RR
    opts = bytes([148,4,0,0])                                       # router alert
    P.append(eth(ip4(u, opts=opts, ttl=1, dst='224.0.0.22')))      #8 RA
    opts = bytes([68,12,5,0x01, 10,0,0,1, 0,0,0,5])                 # TS flag 1 (addr+ts)
    P.append(eth(ip4(u, opts=opts)))                                #9 TS
    opts = bytes([131,11,4, 1,2,3,4, 5,6,7,8, 0])                   # LSRR + EOL
    P.append(eth(ip4(u, opts=opts)))                                #10 LSRR
    opts = bytes([137,7,8, 1,2,3,4, 1])                             # SSRR ptr 8 + NOP
    P.append(eth(ip4(u, opts=opts)))                                #11 SSRR
    opts = bytes([130,11, 0xaf,0x13, 0,0, 0,0, 0,0,0, 0])                 # security
    P.append(eth(ip4(u, opts=opts)))                                #12 security
    opts = bytes([30,4,1,2])                                        # unknown
    P.append(eth(ip4(u, opts=opts)))                                #13 unknown opt
    opts = bytes([7,2,0,0])                                         # RR bad length
    P.append(eth(ip4(u, opts=opts)))                                #14 bad len
    opts = bytes([7,40,4,0])                                        # RR len too long
    P.append(eth(ip4(u, opts=opts)))                                #15 too long
    P.append(eth(ip4(u, ihl=4)))                                    #16 bogus hlen
    P.append(eth(ip4(u, tlen=10)))                                  #17 bogus tlen
    P.append(eth(ip4(u, tlen=100)))                                 #18 tlen > pkt
    P.append(eth(ip4(u, tlen=0)))                                   #19 TSO
    P.append(eth(ip4(u, ver=5)))                                    #20 bad version
    P.append(eth(ip4(u, ck=0x1234)))                                #21 bad checksum
    P.append(eth(ip4(u, ttl=3)))                                    #22 small ttl
    P.append(eth(ip4(u, ttl=5, dst='224.0.0.5')))                   #23 lncb ttl
    P.append(eth(ip4(b'', proto=200)))                              #24 empty unknown proto
    P.append(eth(ip4(b'abc', proto=200)))                           #25 unknown proto
    P.append(eth(ip4(u, opts=bytes([1,1,1,1]))))                    #26 4 NOPs
    P.append(eth(ip4(u)[:30]))                                      #27 truncated
    P.append((eth(ip4(u))[:28], 14+28+5))                           #28 snaplen cut
    P.append(eth(ip4(big[16:32], flags=1, off=2, ident=0x7777)))    #29 lone non-first fragment
    P.append(eth(ip4(ip4(u, src='192.168.1.1', dst='192.168.1.2'), proto=4)))  #30 ipip
    P.append(eth(ip4(u)[:10]))                                      #31 truncated header
    opts = bytes([68,8,5,0x00, 0,0,0,5])                 # TS flag 0
    P.append(eth(ip4(u, opts=opts)))                                #32 TS flag 0
    wpcap('v4-cases.pcap',P)

# ---- v4-options.pcap
def make_v4_options():
    u = udp(b'hello', 40000, 40001)
    P=[]
    P.append(eth(ip4(u, opts=bytes([131,11,8, 1,2,3,4, 5,6,7,8, 0]))))     #1 LSRR ptr at last
    P.append(eth(ip4(u, opts=bytes([7,11,12, 1,2,3,4, 5,6,7,8, 0]))))      #2 RR full
    P.append(eth(ip4(u, opts=bytes([7,11,6, 1,2,3,4, 5,6,7,8, 0]))))       #3 RR ptr middle
    P.append(eth(ip4(u, opts=bytes([7,11,2, 1,2,3,4, 5,6,7,8, 0]))))       #4 RR ptr before
    P.append(eth(ip4(u, opts=bytes([68,12,13,0x13, 1,2,3,4, 0,0,0,9]))))    #5 TS flag 3, overflow 1
    P.append(eth(ip4(u, opts=bytes([11,8,5,0,0,0,0,0]))))                  #6 MTU probe bad len
    P.append(eth(ip4(u, opts=bytes([148,4,0,7]))))                         #7 RA nonzero
    P.append(eth(ip4(u, opts=bytes([1,0,1,1]))))                           #8 NOP EOL NOP NOP
    P.append(eth(ip4(u, opts=bytes([1,1,1,1,1,1,1,1]))))                   #9 8 NOPs
    P.append(eth(ip4(u, opts=bytes([130,8,0,0,0,0,0,0]))))                 #10 security len 8
    P.append(eth(ip4(u, opts=bytes([1,1,1,7]))))                           #11 length byte past end
    P.append(eth(ip4(u, opts=bytes([7,1,0,0]))))                           #12 too short len
    P.append(eth(ip4(b'', proto=4)))                                      #13 ipip empty
    P.append(eth(ip4(b'\x55'*20, proto=4)))                               #14 ipip bogus ver 5
    P.append(eth(ip4(ip6(u), proto=41)))                                  #15 6in4
    P.append(eth(ip4(u, ttl=0, dst='239.1.1.1')))                         #16 multicast ttl 0
    P.append(eth(ip4(u, ttl=1, dst='224.0.0.1', proto=17)))               #17 lncb ttl1
    P.append(eth(ip4(u, ttl=2, dst='255.255.255.255')))                   #18 bcast ttl2
    P.append(eth(ip4(b'\x00'*30, proto=200, ttl=2, dst='224.0.0.22')))    #19 lncb ttl2
    wpcap('v4-options.pcap',P)

# ---- udp-cases.pcap
def make_udp_cases():
    import struct, ipaddress
    def udpck(src,dst,seg,v6=False):
        if v6:
            ph=ipaddress.IPv6Address(src).packed+ipaddress.IPv6Address(dst).packed+struct.pack('!IxxxB',len(seg),17)
        else:
            ph=bytes(int(x) for x in src.split('.'))+bytes(int(x) for x in dst.split('.'))+struct.pack('!xBH',17,len(seg))
        c=csum(ph+seg); return c if c else 0xffff
    def udpc(payload,sp,dp,src='10.0.0.1',dst='10.0.0.2',v6=False,bad=False):
        seg=udp(payload,sp,dp,ck=0)
        c=udpck(src,dst,seg,v6)
        if bad: c^=0x1111
        return seg[:6]+struct.pack('!H',c)+seg[8:]
    P=[]
    P.append(eth(ip4(udpc(b'abcd',40000,40001))))                        #1 good csum
    P.append(eth(ip4(udpc(b'abcd',40000,40001,bad=True))))               #2 bad csum
    P.append(eth(ip4(udp(b'abcd',40000,40001,ln=4))))                    #3 len<8
    P.append(eth(ip4(udp(b'abcd',40001,40000,ln=20))))                   #4 len>payload
    P.append(eth(ip4(udp(b'abcd',40001,40000,ln=10))))                   #5 len<payload
    P.append(eth(ip6(udp(b'abcd',40002,40003)),0x86dd))                  #6 ipv6 zero csum
    P.append(eth(ip6(udpc(b'abcd',40002,40003,'2001:db8::1','2001:db8::2',v6=True)),0x86dd))  #7 ipv6 good
    P.append(eth(ip4(udp(b'x',50000,33435))))                            #8 traceroute
    P.append(eth(ip4(udp(b'',40000,40001))))                             #9 empty
    P.append(eth(ip4(udp(b'abcd',40001,40000))))                         #10 reverse dir
    P.append((eth(ip4(udp(b'abcdefgh'*10,40000,40001)))[:60], 14+20+8+80)) #11 snaplen
    P.append(eth(ip4(udp(b'abcd',40000,40001)[:6])))                     #12 truncated udp hdr
    P.append(eth(ip6(udp(b'abcd',40002,40003,ln=0), plen=12),0x86dd))    #13 v6 len 0
    wpcap('udp-cases.pcap',P)

# ---- v6-cases.pcap
def make_v6_cases():
    import struct, ipaddress
    u = udp(b'hello', 40000, 40001)
    E=lambda p: eth(p,0x86dd)
    P=[]
    P.append(E(ip6(u, src='2002:c000:0201:0001::1', dst='2001:0:4136:e378:8000:63bf:3fff:fdd2', tc=0xb8, fl=0x12345)))  #1 6to4 / teredo
    P.append(E(ip6(u, src='fe80::200:5efe:c000:201', dst='64:ff9b::c000:0201')))  #2 isatap / embedded
    hbh = bytes([17,0, 0xc2,4,0,1,0,0])   # jumbo option
    P.append(E(ip6(hbh+u, nh=0, plen=0)))   #3 jumbo with plen 0
    dst = bytes([17,0, 1,4,0,0,0,0])   # dst opts PadN 4
    P.append(E(ip6(dst+u, nh=60)))   #4 dst opts
    rh2 = bytes([17,2,2,1,0,0,0,0])+ipaddress.IPv6Address('2001:db8::99').packed
    P.append(E(ip6(rh2+u, nh=43)))   #5 RH type 2
    srh = bytes([17,4,4,1,1,0,0,0])+ipaddress.IPv6Address('2001:db8::a').packed+ipaddress.IPv6Address('2001:db8::b').packed
    P.append(E(ip6(srh+u, nh=43)))   #6 SRH
    ah = bytes([17,4,0,0])+struct.pack('!II',0x1000,5)+b'\x11'*12
    P.append(E(ip6(ah+u, nh=51)))   #7 AH
    esp = struct.pack('!II',0x2000,7)+b'\x22'*24
    P.append(E(ip6(esp, nh=50)))   #8 ESP
    P.append(E(ip6(b'', nh=59)))   #9 no next header
    P.append(E(ip6(b'junk', nh=59)))   #10 no next header with data
    P.append(E(ip6(u, plen=100)))   #11 plen exceeds
    P.append(E(ip6(u, plen=0)))   #12 plen zero
    P.append(E(bytes([0x50])+ip6(u)[1:]))   #13 bad version
    P.append(E(ip6(u)[:30]))   #14 truncated
    fr = bytes([17,0,0,0])+struct.pack('!I',0xdead)
    P.append(E(ip6(fr+u, nh=44)))   #15 atomic fragment (off 0, M=0)
    hbh2 = bytes([17,0, 0x3e,4,1,2,3,4])   # unknown option 0x3e
    P.append(E(ip6(hbh2+u, nh=0)))   #16 unknown option
    hbh3 = bytes([17,0, 0,0,0,0,0,0])   # Pad1 x6
    P.append(E(ip6(hbh3+u, nh=0)))   #17 pad1
    hbh4 = bytes([17,0, 5,4,0,0,0,0])   # RA bad len 4
    P.append(E(ip6(hbh4+u, nh=0)))   #18 RA bad len
    P.append(E(ip6(ip4(u), nh=4)))   #19 4in6
    P.append(E(ip6(ip6(u), nh=41)))   #20 6in6
    P.append(E(ip6(u, nh=17, hlim=255, src='::1', dst='ff02::1')))   #21
    wpcap('v6-cases.pcap',P)

# ---- gre-cases.pcap
def make_gre_cases():
    import struct
    u = udp(b'hello', 40000, 40001)
    inner = ip4(u, src='192.168.0.1', dst='192.168.0.2')
    P=[]
    P.append(eth(ip4(struct.pack('!HH',0,0x0800)+inner, proto=47)))                          #1 plain
    g = struct.pack('!HH',0xb000,0x0800)+struct.pack('!HH',0,0)+struct.pack('!I',0x1234)+struct.pack('!I',7)
    P.append(eth(ip4(g+inner, proto=47)))                                                    #2 C K S
    P.append(eth(ip4(struct.pack('!HH',0,0x86dd)+ip6(u), proto=47)))                         #3 ipv6
    P.append(eth(ip4(struct.pack('!HH',0,0x1234)+b'abcd', proto=47)))                        #4 unknown type
    g = struct.pack('!HHHHII',0x3081,0x0800,0,0x55,9,8)
    P.append(eth(ip4(g, proto=47)))                                                          #5 v1 seq + ack, empty IPv4 payload
    g = struct.pack('!HHHHI',0x2081,0x880b,0,0x55,8)
    P.append(eth(ip4(g, proto=47)))                                                          #6 v1 ack only
    P.append(eth(ip4(struct.pack('!HH',0x4000,0x0800)+struct.pack('!HH',0,0)+struct.pack('!HBB',0x800,0,4)+b'\x01\x02\x03\x04'+struct.pack('!HBB',0,0,0)+inner, proto=47)))  #7 routing
    P.append(eth(ip4(struct.pack('!HH',0x2000,0x0800)[:3], proto=47)))                       #8 truncated
    P.append(eth(ip4(struct.pack('!HH',0x0007,0x0800)+inner, proto=47)))                     #9 unknown version 7
    wpcap('gre-cases.pcap',P)

# ---- ext-after-ipv4.pcap: IPv6 extension headers, IPIP, GRE, AH, ESP after an IPv4 header (raw IPv4)
def make_ext_after_ipv4():
    wpcap('ext-after-ipv4.pcap', [ip4(b'\0' * 40, proto=p) for p in [4, 43, 44, 47, 51, 60, 0, 41, 50, 59]], lt=228)


if __name__ == '__main__':
    for f in list(globals()):
        if f.startswith('make_'):
            globals()[f]()
