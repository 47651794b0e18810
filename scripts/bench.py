#!/usr/bin/env python3
"""make bench: time `dissect` against tshark (and the C floor) on the generated mail captures.

Not a test. Generates the captures with ../shared/corpus/bench/make_bench.py (deterministic),
installs tshark if missing, runs each scenario alternately (dissect, tshark, ...) RUNS times,
and prints a Markdown table: median wall time, packets/s, peak RSS, tshark/dissect ratio, and
whether the two outputs agree (line count + SHA-256 of the text where they should be equal).

  scripts/bench.py [--packets N] [--runs R] [--scenarios a,b,...] [--out DIR] [--write BENCHMARKS.md]
"""
import argparse, hashlib, os, platform, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, '..', 'shared', 'corpus')

SCENARIOS = {
    'a': ('packet list', []),
    'b': ("-Y 'tcp.stream==1'", ['-Y', 'tcp.stream==1']),
    'c': ('SMTP MAIL fields', ['-Y', 'smtp.req.command == "MAIL"', '-T', 'fields', '-e', 'frame.number',
                               '-e', 'ip.src', '-e', 'smtp.req.parameter']),
    'd': ('-V', ['-V']),
    'e': ('-T json', ['-T', 'json']),
    'f1': ('-z conv,tcp', ['-q', '-z', 'conv,tcp']),
    'f2': ('-z io,phs', ['-q', '-z', 'io,phs']),
    'f3': ('-z follow,tcp,ascii,1', ['-q', '-z', 'follow,tcp,ascii,1']),
    'g': ('-2 retransmissions', ['-2', '-Y', 'tcp.analysis.retransmission']),
    'x': ('fields (TCP)', ['-T', 'fields', '-e', 'frame.number', '-e', 'ip.src', '-e', 'tcp.srcport',
                           '-e', 'tcp.stream', '-e', 'tcp.seq', '-e', 'tcp.len']),
}


def run(cmd, out_path):
    """Runs cmd with stdout to out_path; returns (wall, peak RSS KiB, exit status)."""
    with open(out_path, 'wb') as f:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
    return wall, ru.ru_maxrss, os.waitstatus_to_exitcode(status)


def digest(path):
    h = hashlib.sha256()
    n = 0
    with open(path, 'rb') as f:
        for line in f:
            # Column padding differs only in runs of spaces; compare normalised text.
            h.update(b' '.join(line.split()) + b'\n')
            n += 1
    return n, h.hexdigest()[:12]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--packets', type=int, default=100_000)
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--scenarios', default='a,b,c,d,e,x')
    ap.add_argument('--out', default=os.path.join(ROOT, 'bench', 'out'))
    ap.add_argument('--bin', default=os.path.join(ROOT, '.build', 'release', 'dissect'))
    ap.add_argument('--write', default=None, help='also write the table to this Markdown file')
    ap.add_argument('--formats', default='pcap', help='comma list of pcap,pcapng,pcap.gz')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    name = 'bench_%dk' % (a.packets // 1000)
    base = os.path.join(a.out, name)
    if not os.path.exists(base + '.pcap'):
        print('generating %s.pcap ...' % base, file=sys.stderr)
        subprocess.check_call([sys.executable, os.path.join(CORPUS, 'bench', 'make_bench.py'), '--packets',
                               str(a.packets), '--small', str(min(a.packets, 100_000)), '--out', a.out,
                               '--name', name, '--small-name', name + '_small'])
    if 'pcap.gz' in a.formats and not os.path.exists(base + '.pcap.gz'):
        subprocess.check_call('gzip -6 -n -c %s.pcap > %s.pcap.gz' % (base, base), shell=True)
    tshark = shutil.which('tshark')
    if not tshark:
        print('installing tshark ...', file=sys.stderr)
        subprocess.call('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tshark >/dev/null', shell=True)
        tshark = shutil.which('tshark')
    floor = os.path.join(a.out, 'pcap_flows')
    if not os.path.exists(floor):
        subprocess.call(['gcc', '-O2', '-o', floor, os.path.join(CORPUS, 'bench', 'floor', 'pcap_flows.c'), '-lpcap'])

    env = dict(os.environ, TZ='UTC', LC_ALL='C.UTF-8')
    os.environ.update(env)
    rows = []
    for fmt in a.formats.split(','):
        cap = base + '.' + fmt
        packets = a.packets
        if os.path.exists(floor) and fmt == 'pcap':
            walls = [run([floor, cap], os.devnull)[0] for _ in range(a.runs)]
            w = statistics.median(walls)
            rows.append(('C floor pcap_flows', fmt, w, packets / w, None, None, None, None, ''))
        for key in a.scenarios.split(','):
            label, args = SCENARIOS[key]
            d_walls, t_walls, d_rss, t_rss, d_rc = [], [], [], [], 0
            for i in range(a.runs):
                w, r, rc = run([a.bin, '-r', cap] + args, os.path.join(a.out, 'dissect.out'))
                d_walls.append(w); d_rss.append(r); d_rc = rc
                if tshark:
                    w, r, _ = run([tshark, '-r', cap] + args, os.path.join(a.out, 'tshark.out'))
                    t_walls.append(w); t_rss.append(r)
            dw = statistics.median(d_walls)
            tw = statistics.median(t_walls) if t_walls else None
            agree = ''
            if tshark:
                dn, dh = digest(os.path.join(a.out, 'dissect.out'))
                tn, th = digest(os.path.join(a.out, 'tshark.out'))
                agree = 'same text' if dh == th else 'lines %d vs %d' % (dn, tn)
            if d_rc != 0:
                agree = 'dissect exit %d (not supported yet)' % d_rc
            rows.append((key + ' ' + label, fmt, dw, packets / dw, max(d_rss) / 1024, tw,
                         (max(t_rss) / 1024) if t_rss else None, (tw / dw) if tw else None, agree))

    lines = ['| scenario | file | dissect wall s | dissect pkt/s | dissect peak RSS MiB | tshark wall s | tshark peak RSS MiB | tshark/dissect | outputs |',
             '|---|---|---:|---:|---:|---:|---:|---:|---|']
    for r in rows:
        f = lambda v, p: ('%.*f' % (p, v)) if v is not None else ''
        lines.append('| %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            r[0], r[1], f(r[2], 3), f(r[3], 0), f(r[4], 1), f(r[5], 3), f(r[6], 1),
            (f(r[7], 1) + '×') if r[7] else '', r[8]))
    table = '\n'.join(lines)
    head = '%d packets (`make_bench.py --packets %d`), %d runs each (median), %s, %d cores, %s' % (
        a.packets, a.packets, a.runs, platform.machine(), os.cpu_count(), time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()))
    print(head)
    print()
    print(table)
    if a.write:
        with open(a.write, 'w') as f:
            f.write('# Benchmarks\n\nMeasured by `make bench` (`scripts/bench.py`): ' + head + '.\n\n' + table + '\n')


if __name__ == '__main__':
    main()
