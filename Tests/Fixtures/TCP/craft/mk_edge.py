from pcapgen import *
import struct
p = Pcap()
c = Conn(p, srv=('10.0.0.2', 44444))
c.handshake()
c.pkt(0, 'PA', bytes(18), opts=NOP+NOP+opt_ts(101,200))
c.ackall(1)
# bad checksum
c.pkt(1, 'A', opts=NOP+NOP+opt_ts(201,101), cksum=0x1234)
# urgent pointer
c.pkt(0, 'UA', b'x', urp=1)
# urgent pointer non zero without URG
c.pkt(0, 'A', urp=5)
# reserved bits + AE
c.pkt(0, 'AN', b'', opts=b'')
# unknown option 99 len 4, 4 NOPs, MSS on non-SYN, WS on non-syn > 14
c.pkt(0, 'A', opts=b'\x63\x04\xab\xcd' + NOP*4 + opt_mss(1000) + opt_ws(15) + b'\x00')
# bad option length: timestamp with length 8
c.pkt(0, 'A', opts=b'\x08\x08' + b'\x00'*6 + NOP*4)
# option too short length 1
c.pkt(0, 'A', opts=b'\x02\x01\x00\x00')
# option goes past end
c.pkt(0, 'A', opts=b'\x08\x0c\x00\x00')
# length byte past end
c.pkt(0, 'A', opts=NOP*3 + b'\x02')
# non-zero after EOL
c.pkt(0, 'A', opts=b'\x00\x00\x01\x00')
# TFO + SACK perm + echo + user timeout
c.pkt(0, 'A', opts=b'\x22\x02' + b'\x06\x06\x00\x00\x00\x05' + b'\x1c\x04\x80\x0a' + NOP*2)
# bogus header length (off=4)
c.pkt(0, 'A', off_override=4)
# RST with payload
c.pkt(0, 'RA', b'reset reason here')
p.write('edge.pcap')
