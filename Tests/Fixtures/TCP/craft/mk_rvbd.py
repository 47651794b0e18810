from pcapgen import *
import struct
p = Pcap()
c = Conn(p, srv=('10.0.0.2', 44444))
probe_q = bytes([76, 10, 0x01, 0, 10, 0, 0, 1, 0, 5])            # v1 query, CSH 10.0.0.1, appli ver 5
probe_r = bytes([76, 14, 0x11, 0, 10, 0, 0, 2, 10, 0, 0, 9, 0x1f, 0x90])  # v1 response, SSH 10.0.0.9:8080
trpy = bytes([78, 16, 0, 1, 10, 0, 0, 1, 10, 0, 0, 2, 0x1f, 0x90, 0x1f, 0x91])
c.pkt(0, 'S', ack=0, opts=opt_mss(1460) + probe_q + NOP + NOP)
c.ackv[1] = c.seq[0]
c.pkt(1, 'SA', opts=opt_mss(1460) + probe_r + NOP + NOP)
c.ackv[0] = c.seq[1]
c.pkt(0, 'A', opts=trpy)
c.pkt(0, 'A', opts=bytes([76, 3, 0x01]) + NOP)  # short probe: tshark reads past it
c.pkt(0, 'A', opts=bytes([76, 4, 0x0c, 0x01]))  # v2 query info
p.write('rvbd.pcap')
