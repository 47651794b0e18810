import os, random, sys, struct
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcapgen import *

def ipv6(src, dst, payload):
    return struct.pack('!IHBB16s16s', 0x60000000, len(payload), 6, 64, src, dst) + payload

def gen(seed, path):
    R = random.Random(seed)
    p = Pcap()
    t = [1000.0]
    v6 = R.random() < 0.3
    cli_addr = '10.1.0.1'; srv_addr = '10.2.0.1'
    c6 = bytes([0x20,1,0xd,0xb8] + [0]*11 + [1]); s6 = bytes([0x20,1,0xd,0xb8] + [0]*11 + [2])
    sport = 40000
    for ci in range(R.randint(2, 4)):
        if R.random() < 0.5: sport += 0  # reuse same tuple often
        else: sport += 1
        isn = [R.randint(0, 2**32 - 1), R.randint(0, 2**32 - 1)]
        if R.random() < 0.2 and ci > 0: isn[0] = prev_isn  # same ISN reuse
        prev_isn = isn[0]
        seq = list(isn); ack = [0, 0]
        win = [R.choice([65535, 1000]), R.choice([65535, 2000])]
        sent = [[], []]
        def emit(side, flags, payload=b'', s=None, a=None, extra=b'', dt=None):
            t[0] += dt if dt is not None else R.choice([0.0001, 0.001, 0.004, 0.02, 0.3, 3.0])
            sq = seq[side] if s is None else s
            ak = ack[side] if a is None else a
            opts = extra
            while len(opts) % 4: opts += NOP
            sp, dp = (sport, 44444) if side == 0 else (44444, sport)
            if v6:
                src, dst = (c6, s6) if side == 0 else (s6, c6)
                seg = tcp_segment('0.0.0.0', '0.0.0.0', sp, dp, sq, ak, flags, win[side], payload, opts, cksum=0)
                p.add(t[0], eth(ipv6(src, dst, seg), 0x86dd))
            else:
                src, dst = (cli_addr, srv_addr) if side == 0 else (srv_addr, cli_addr)
                seg = tcp_segment(src, dst, sp, dp, sq, ak, flags, win[side], payload, opts)
                p.add(t[0], eth(ipv4(src, dst, seg)))
        if R.random() < 0.85:
            emit(0, 'S', a=0, extra=opt_mss(1460) + opt_sackperm() + (opt_ws(R.randint(0, 9)) if R.random() < 0.7 else b''))
        seq[0] += 1; ack[1] = seq[0] & 0xffffffff
        if R.random() < 0.9:
            emit(1, 'SA', extra=opt_mss(1460) + (opt_ws(R.randint(0, 9)) if R.random() < 0.7 else b''))
            if R.random() < 0.15:
                emit(1, 'SA', s=(isn[1] + 777) & 0xffffffff, extra=opt_mss(1460))  # SYN-ACK with other ISN
        seq[1] += 1; ack[0] = seq[1] & 0xffffffff
        emit(0, 'A')
        for _ in range(R.randint(3, 25)):
            side = 0 if R.random() < 0.6 else 1
            r = R.random()
            if r < 0.5:
                n = R.choice([1, 100, 1460, R.randint(1, 1460)])
                s0 = seq[side]; sent[side].append((s0 & 0xffffffff, n))
                if R.random() > 0.1: emit(side, 'PA' if R.random() < 0.4 else 'A', bytes(n))
                seq[side] += n
            elif r < 0.8:
                o = 1 - side
                blocks = []
                if len(sent[side]) > 2 and R.random() < 0.5:
                    for _ in range(R.randint(1, 4)):
                        s1, n1 = R.choice(sent[side]); blocks.append((s1, (s1 + n1) & 0xffffffff))
                if sent[side]:
                    s0, n0 = R.choice(sent[side]); ack[o] = (s0 + n0) & 0xffffffff
                for _ in range(R.randint(1, 3)):
                    emit(o, 'A', extra=opt_sack(blocks) if blocks else b'')
            elif r < 0.9 and sent[side]:
                s0, n0 = R.choice(sent[side]); emit(side, 'A', bytes(n0), s=s0)
            else:
                win[side] = R.choice([0, 500, 65535]); emit(side, 'A')
        e = R.random()
        if e < 0.5:
            emit(0, 'FA'); seq[0] += 1; ack[1] = seq[0] & 0xffffffff
            emit(1, 'FA'); seq[1] += 1; ack[0] = seq[1] & 0xffffffff
            emit(0, 'A')
        elif e < 0.7:
            emit(R.randint(0, 1), 'R' if R.random() < 0.5 else 'RA')
        elif e < 0.8:
            emit(0, 'FA'); seq[0] += 1
    p.write(path)

if __name__ == '__main__':
    a, b = int(sys.argv[1]), int(sys.argv[2])
    for sd in range(a, b):
        gen(sd, 'g%d.pcap' % sd)
