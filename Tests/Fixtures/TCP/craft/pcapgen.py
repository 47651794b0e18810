import struct

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b)//2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def ip4(a): return bytes(int(x) for x in a.split('.'))

def tcp_segment(src, dst, sport, dport, seq, ack, flags, win, payload=b'', opts=b'', urp=0, hlen=None, cksum=None, off_override=None):
    optpad = opts
    hl = 20 + len(optpad)
    off = (hl // 4) if off_override is None else off_override
    fl = 0
    for c, bit in (('F',1),('S',2),('R',4),('P',8),('A',16),('U',32),('E',64),('C',128),('N',256)):
        if c in flags: fl |= bit
    hdr = struct.pack('!HHIIHHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff, (off << 12) | fl, win, 0, urp) + optpad
    seg = hdr + payload
    if cksum is None:
        ph = ip4(src) + ip4(dst) + struct.pack('!BBH', 0, 6, len(seg))
        c = csum(ph + seg)
    else:
        c = cksum
    seg = seg[:16] + struct.pack('!H', c) + seg[18:]
    return seg

def ipv4(src, dst, payload, proto=6, ident=0, total=None):
    tl = 20 + len(payload) if total is None else total
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, tl, ident, 0x4000, 64, proto, 0, ip4(src), ip4(dst))
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload

def eth(payload, etype=0x0800):
    return b'\x00\x11\x22\x33\x44\x55' + b'\x66\x77\x88\x99\xaa\xbb' + struct.pack('!H', etype) + payload

class Pcap:
    def __init__(self): self.pkts = []
    def add(self, t, frame, caplen=None):
        self.pkts.append((t, frame, caplen))
    def write(self, path):
        with open(path, 'wb') as f:
            f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
            for t, fr, cl in self.pkts:
                sec = int(t); usec = int(round((t - sec) * 1e6))
                data = fr if cl is None else fr[:cl]
                f.write(struct.pack('<IIII', sec, usec, len(data), len(fr)))
                f.write(data)

def opt_mss(v): return struct.pack('!BBH', 2, 4, v)
def opt_ws(s): return struct.pack('!BBB', 3, 3, s)
def opt_sackperm(): return b'\x04\x02'
def opt_ts(a, b): return struct.pack('!BBII', 8, 10, a, b)
def opt_sack(blocks): return struct.pack('!BB', 5, 2 + 8*len(blocks)) + b''.join(struct.pack('!II', l & 0xffffffff, r & 0xffffffff) for l, r in blocks)
NOP = b'\x01'
EOL = b'\x00'

class Conn:
    """A simple TCP conversation builder: c.send(side, flags, data) with automatic seq/ack."""
    def __init__(self, pcap, cli=('10.0.0.1', 40000), srv=('10.0.0.2', 80), isn=(1000, 5000), t0=1000.0):
        self.p = pcap; self.ep = [cli, srv]; self.seq = list(isn); self.t = t0
        self.ackv = [0, 0]; self.win = [64240, 65160]
    def pkt(self, side, flags, payload=b'', seq=None, ack=None, win=None, opts=b'', dt=0.01, advance=True, **kw):
        self.t += dt
        s = self.seq[side] if seq is None else seq
        a = self.ackv[side] if ack is None else ack
        w = self.win[side] if win is None else win
        (src, sp), (dst, dp) = self.ep[side], self.ep[1-side]
        seg = tcp_segment(src, dst, sp, dp, s, a, flags, w, payload, opts, **kw)
        self.p.add(self.t, eth(ipv4(src, dst, seg)))
        if advance and seq is None:
            self.seq[side] = (s + len(payload) + (1 if ('S' in flags or 'F' in flags) else 0)) & 0xffffffff
        return s
    def handshake(self, opts_syn=None, opts_synack=None):
        o1 = opts_syn if opts_syn is not None else opt_mss(1460) + opt_sackperm() + opt_ts(100, 0) + NOP + opt_ws(7)
        o2 = opts_synack if opts_synack is not None else opt_mss(1460) + opt_sackperm() + opt_ts(200, 100) + NOP + opt_ws(7)
        self.pkt(0, 'S', opts=o1, ack=0)
        self.ackv[1] = self.seq[0]
        self.pkt(1, 'SA', opts=o2)
        self.ackv[0] = self.seq[1]
        self.pkt(0, 'A')
    def ackall(self, side):
        self.ackv[side] = self.seq[1-side]
