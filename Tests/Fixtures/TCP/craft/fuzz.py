import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcapgen import *

def gen(seed, path):
    R = random.Random(seed)
    p = Pcap()
    t = 1000.0
    conns = R.randint(1, 2)
    for ci in range(conns):
        cli = ('10.1.0.%d' % R.randint(1, 3), 33333 + R.randint(0, 1))
        srv = ('10.2.0.1', 44444)
        isn = [R.randint(0, 2**32 - 1), R.randint(0, 2**32 - 1)]
        seq = list(isn)
        ack = [0, 0]
        win = [R.choice([65535, 64240, 512, 1000]), R.choice([65535, 65160, 1000, 8192])]
        ws = [R.choice([None, 0, 2, 7, 14]), R.choice([None, 0, 3, 7])]
        use_ts = R.random() < 0.5
        tsv = [R.randint(1, 10**6), R.randint(1, 10**6)]
        sent = [[], []]   # (seq, payload, flags)
        hi = [0, 0]       # highest nextseq actually sent (incl lost)
        def emit(side, flags, payload=b'', s=None, a=None, w=None, extra=b'', lost=False, dt=None):
            nonlocal t
            t += dt if dt is not None else R.choice([0.00005, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.03, 0.2])
            src, sp = (cli, srv)[side]; dst, dp = (cli, srv)[1 - side]
            sq = seq[side] if s is None else s
            ak = ack[side] if a is None else a
            wv = win[side] if w is None else w
            opts = b''
            if use_ts and 'S' not in flags:
                tsv[side] += 1
                opts += NOP + NOP + opt_ts(tsv[side], tsv[1 - side])
            opts += extra
            while len(opts) % 4: opts += NOP
            if not lost:
                seg = tcp_segment(src, dst, sp, dp, sq, ak, flags, wv, payload, opts)
                p.add(t, eth(ipv4(src, dst, seg)))
            return sq
        # handshake
        synopts = opt_mss(1460) + opt_sackperm() + (opt_ws(ws[0]) if ws[0] is not None else b'')
        if R.random() < 0.9:
            emit(0, 'S', s=seq[0], a=0, extra=synopts)
            if R.random() < 0.15: emit(0, 'S', s=seq[0], a=0, extra=synopts)  # retransmitted SYN
        seq[0] = (seq[0] + 1) & 0xffffffff
        ack[1] = seq[0]
        sa = opt_mss(1460) + opt_sackperm() + (opt_ws(ws[1]) if ws[1] is not None else b'')
        if R.random() < 0.95:
            emit(1, 'SA', s=seq[1], extra=sa)
        seq[1] = (seq[1] + 1) & 0xffffffff
        ack[0] = seq[1]
        emit(0, 'A')
        steps = R.randint(5, 40)
        for _ in range(steps):
            side = 0 if R.random() < 0.7 else 1
            r = R.random()
            if r < 0.45:
                n = R.choice([1, 10, 100, 536, 1460, R.randint(1, 1460)])
                lost = R.random() < 0.1
                fl = 'PA' if R.random() < 0.5 else 'A'
                s0 = emit(side, fl, bytes(n), lost=lost)
                sent[side].append((s0, n, fl))
                seq[side] = (seq[side] + n) & 0xffffffff
                if R.random() < 0.1 and len(sent[side]) >= 2:
                    # reorder: send the next segment, then the previous again?? simulate by emitting a later one first
                    n2 = R.randint(1, 1460)
                    s2 = seq[side]
                    seq[side] = (seq[side] + n2) & 0xffffffff
                    emit(side, 'A', bytes(n2), s=s2)
                    sent[side].append((s2, n2, 'A'))
            elif r < 0.7:
                # ack from other side, cumulative up to some point
                o = 1 - side
                if sent[side]:
                    k = R.randint(0, len(sent[side]) - 1)
                    s0, n0, _ = sent[side][k]
                    ackv = (s0 + n0) & 0xffffffff if R.random() < 0.8 else seq[side]
                else:
                    ackv = seq[side]
                extra = b''
                if R.random() < 0.2 and len(sent[side]) > 1:
                    s1, n1, _ = R.choice(sent[side])
                    extra = opt_sack([(s1, (s1 + n1) & 0xffffffff)])
                if R.random() < 0.1: win[o] = R.choice([0, 0, 100, 2000, 65535])
                ack[o] = ackv
                cnt = 1 if R.random() < 0.7 else R.randint(2, 5)
                for _ in range(cnt):
                    emit(o, 'A', extra=extra)
            elif r < 0.8 and sent[side]:
                # retransmission
                s0, n0, fl = R.choice(sent[side])
                emit(side, fl, bytes(n0), s=s0)
            elif r < 0.85:
                # keepalive
                emit(side, 'A', b'' if R.random() < 0.5 else b'\0', s=(seq[side] - 1) & 0xffffffff)
            elif r < 0.9:
                # zero window probe / window update
                if R.random() < 0.5:
                    win[side] = R.choice([0, 1000, 65535, 30000])
                    emit(side, 'A')
                else:
                    emit(side, 'A', b'\0', s=seq[side]); seq[side] = (seq[side] + 1) & 0xffffffff
            elif r < 0.95:
                emit(side, 'A', dt=R.choice([0.0001, 0.3]))
            else:
                # jump: seq gap without sending
                seq[side] = (seq[side] + R.randint(1, 3000)) & 0xffffffff
        # close
        end = R.random()
        if end < 0.6:
            emit(0, 'FA'); seq[0] = (seq[0] + 1) & 0xffffffff; ack[1] = seq[0]
            emit(1, 'FA'); seq[1] = (seq[1] + 1) & 0xffffffff; ack[0] = seq[1]
            emit(0, 'A')
            if R.random() < 0.3: emit(0, 'FA', s=(seq[0]-1)&0xffffffff)
        elif end < 0.8:
            emit(R.randint(0, 1), 'RA')
        # maybe port reuse: new SYN with same tuple handled by next iteration if same cli
    p.write(path)

if __name__ == '__main__':
    a, b = int(sys.argv[1]), int(sys.argv[2])
    for sd in range(a, b):
        gen(sd, 'f%d.pcap' % sd)
