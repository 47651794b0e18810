from pcapgen import *
import struct
p = Pcap()
c = Conn(p, srv=('10.0.0.2', 44444))
c.handshake()
t = c.t
def frame(seg, total=None):
    return eth(ipv4('10.0.0.1', '10.0.0.2', seg, total=total))
seg = tcp_segment('10.0.0.1', '10.0.0.2', 40000, 44444, 1001, 5001, 'PA', 1000, b'hello world', NOP+NOP+opt_ts(1,2))
# 1) snaplen cuts the TCP header after 10 bytes
f = frame(seg); p.add(t + 0.1, f, caplen=14 + 20 + 10)
# 2) IP total length leaves only 12 bytes of TCP
p.add(t + 0.2, frame(seg[:12], total=32))
# 3) data offset says 60 bytes, only 32 present
seg3 = tcp_segment('10.0.0.1', '10.0.0.2', 40000, 44444, 1001, 5001, 'A', 1000, b'', NOP+NOP+opt_ts(1,2), off_override=15)
p.add(t + 0.3, frame(seg3))
# 4) snaplen cuts inside the options
p.add(t + 0.4, frame(seg), caplen=14 + 20 + 26)
# 5) snaplen cuts inside the payload
p.add(t + 0.5, frame(seg), caplen=14 + 20 + 32 + 4)
p.write('bad.pcap')
