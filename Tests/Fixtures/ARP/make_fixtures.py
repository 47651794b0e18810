import struct, sys
def pcap(path, frames, linktype=1):
    with open(path,'wb') as f:
        f.write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,linktype))
        for i,fr in enumerate(frames):
            f.write(struct.pack('<IIII',1000+i,0,len(fr),len(fr)))
            f.write(fr)
def mac(s): return bytes.fromhex(s.replace(':',''))
def ip(s): return bytes(int(x) for x in s.split('.'))
def eth(dst,src,t,payload): return mac(dst)+mac(src)+struct.pack('>H',t)+payload
def arp(op,sha,spa,tha,tpa,hrd=1,pro=0x800,hln=6,pln=4):
    return struct.pack('>HHBBH',hrd,pro,hln,pln,op)+sha+spa+tha+tpa

# Locally administered / zero MACs only, so no vendor names depend on a manuf file.
A='02:11:22:33:44:55'; Bm='06:77:88:99:aa:bb'; C='02:00:00:00:00:0c'; D='02:00:00:00:00:0d'; E='02:00:00:00:00:0e'
Z='00:00:00:00:00:00'; BC='ff:ff:ff:ff:ff:ff'
fr=[
 eth(BC,A,0x806,arp(1,mac(A),ip('10.0.0.5'),mac(Z),ip('10.0.0.6'))+b'\0'*18),  # plain request, padded to 60
 eth(A,Bm,0x806,arp(2,mac(Bm),ip('10.0.0.6'),mac(A),ip('10.0.0.5'))),          # plain reply
 eth(BC,A,0x806,arp(1,mac(A),ip('10.0.0.5'),mac(BC),ip('10.0.0.5'))),          # gratuitous request
 eth(BC,A,0x806,arp(2,mac(A),ip('10.0.0.5'),mac(BC),ip('10.0.0.5'))),          # gratuitous reply
 eth(BC,A,0x806,arp(1,mac(A),ip('0.0.0.0'),mac(Z),ip('10.0.0.9'))+b'\0'*18),   # probe
 eth(BC,A,0x806,arp(1,mac(A),ip('10.0.0.5'),mac(Z),ip('10.0.0.5'))),           # announcement
 eth(BC,A,0x806,arp(1,mac(A),ip('10.0.0.5'),mac(Z),ip('10.0.0.6'))[:20]),      # truncated in the addresses
 eth(BC,A,0x806,arp(4,mac(A),ip('10.0.0.5'),mac(Bm),ip('10.0.0.6'))),          # RARP reply
 eth(BC,A,0x8035,arp(3,mac(A),ip('0.0.0.0'),mac(A),ip('0.0.0.0'))),            # RARP request, ethertype 0x8035
 eth(BC,A,0x806,arp(99,mac(A),ip('10.0.0.5'),mac(Bm),ip('10.0.0.6'))),         # unknown opcode
 eth(BC,A,0x806,arp(1,b'\1\2\3',ip('10.0.0.5'),b'\4\5\6',ip('10.0.0.6'),hrd=7,hln=3)),  # ARCNET-sized hw address
 eth(BC,A,0x806,arp(8,b'\0\0',ip('10.0.0.5'),b'\0\x64',ip('0.0.0.0'),hrd=15,hln=2)),    # inverse request
 eth(BC,A,0x806,arp(9,mac(A),ip('10.0.0.5'),mac(Bm),ip('10.0.0.6'))),          # inverse reply
 eth(BC,C,0x806,arp(1,mac(C),ip('10.0.0.5'),mac(Z),ip('10.0.0.9'))),           # duplicate of 10.0.0.5 (request)
 eth(Bm,A,0x806,arp(2,mac(A),ip('10.1.1.1'),mac(D),ip('10.1.1.2'))),           # reply teaches the target binding
 eth(BC,E,0x806,arp(2,mac(E),ip('10.1.1.2'),mac(A),ip('10.1.1.1'))),           # duplicate via a reply
 eth(BC,D,0x806,arp(1,mac(D),ip('10.1.1.2'),mac(Z),ip('10.1.1.9'))),           # original owner: no warning
 eth(BC,A,0x806,arp(1,mac(A),ip('10.0.0.5'),mac(Z),ip('10.0.0.6'))[:7]),       # truncated in the opcode
]
pcap('arp-cases.pcap',fr)
