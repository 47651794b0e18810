from pcapgen import *
p = Pcap()
c = Conn(p, srv=('10.0.0.2', 44444))
c.handshake()
c.pkt(0, 'A', opts=b'\x0b\x06\x00\x00\x00\x07' + NOP*2)  # CC
c.pkt(0, 'A', opts=b'\x0c\x06\x00\x00\x00\x08' + b'\x0d\x06\x00\x00\x00\x09')  # CCNEW, CCECHO
c.pkt(0, 'A', opts=b'\x13\x12' + bytes(range(16)) + NOP*2)  # MD5
c.pkt(0, 'A', opts=b'\x1d\x08\x01\x02\xaa\xbb\xcc\xdd')  # AO
c.pkt(0, 'A', opts=b'\x1b\x08\x01\x02\x00\x00\x00\x00')  # QS
c.pkt(0, 'A', opts=b'\xfd\x06\xf9\x89\x01\x02' + NOP*2)  # EXP FO cookie
c.pkt(0, 'A', opts=b'\xfe\x06\x12\x34\x01\x02' + NOP*2)  # EXP unknown exid
c.pkt(0, 'A', opts=b'\x16\x02\x17\x02' )  # recbound, correxp
c.pkt(0, 'A', opts=b'\xac\x05\x00\x00\x05' + NOP*3)  # AccECN order0
c.pkt(0, 'A', opts=b'\x05\x02' + NOP*2)  # SACK with no blocks
c.pkt(0, 'A', opts=b'\x05\x06\x00\x00\x00\x01' + NOP*2)  # SACK with short block
c.pkt(0, 'A', opts=b'\x05\x0a\x00\x00\x03\xe9\x00\x00\x03\xf0' + NOP*2)  # SACK block = dsack (below ack)
p.write('opts.pcap')
