from pcapgen import *
# reuse.pcap: port reuse rules
p = Pcap()
c = Conn(p, srv=('10.0.0.2', 44444), isn=(1000, 5000))
c.handshake()
c.pkt(0, 'PA', bytes(100)); c.ackall(1); c.pkt(1, 'A')
c.pkt(0, 'FA'); c.ackall(1); c.pkt(1, 'FA'); c.ackall(0); c.pkt(0, 'A')
# a new connection on the same 4-tuple with another ISN: new stream
c2 = Conn(p, srv=('10.0.0.2', 44444), isn=(777777, 888888), t0=c.t + 1)
c2.handshake()
# the SYN again with the same ISN: a retransmission, same stream
c2.pkt(0, 'S', seq=777777, ack=0, opts=opt_mss(1460), dt=1)
c2.pkt(0, 'RA')
# a connection seen from the middle (no handshake) and a reset
c3 = Conn(p, cli=('10.0.0.3', 40001), srv=('10.0.0.2', 44444), isn=(42, 4242), t0=c2.t + 1)
c3.pkt(0, 'PA', bytes(10)); c3.ackall(1); c3.pkt(1, 'A'); c3.pkt(1, 'R', ack=0)
p.write('reuse.pcap')

# window.pcap: zero window, probes, keep-alives, window updates, window full, no window scaling
p = Pcap()
c = Conn(p, srv=('10.0.0.2', 44444), isn=(1000, 5000))
c.win = [64240, 4000]
c.handshake(opts_syn=opt_mss(1460) + NOP + NOP + opt_sackperm(), opts_synack=opt_mss(1460))
c.pkt(0, 'A', bytes(1460)); c.pkt(0, 'A', bytes(1460)); c.pkt(0, 'PA', bytes(1080))   # fills the 4000-byte window
c.ackall(1); c.win[1] = 0; c.pkt(1, 'A')                                              # zero window
c.pkt(0, 'A', bytes(1), dt=0.2, advance=False)                                        # zero window probe
c.pkt(1, 'A')                                                                         # probe ACK
c.win[1] = 8000; c.pkt(1, 'A')                                                        # window update
c.pkt(0, 'A', seq=c.seq[0] - 1, dt=1)                                                 # keep-alive
c.pkt(1, 'A')                                                                         # keep-alive ACK
c.pkt(1, 'A', dt=0.001); c.pkt(1, 'A', dt=0.001)                                      # duplicate ACKs
c.pkt(0, 'A', bytes(500)); c.pkt(0, 'A', bytes(500), seq=c.seq[0] - 500, dt=0.5)      # retransmission
c.ackall(1); c.pkt(1, 'A')
c.pkt(0, 'A', bytes(300), seq=c.seq[0] - 500, dt=0.1)                                 # spurious retransmission
p.write('window.pcap')
