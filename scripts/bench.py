#!/usr/bin/env python3
"""make bench: time `dissect` against tshark (and the C floor) on the generated mail captures.

Not a test. Generates `bench_mail_1m.pcap` and `bench_small_100k.pcap` (with their `.pcapng` and
`.pcap.gz` variants) with ../shared/corpus/bench/make_bench.py (deterministic), installs tshark
if missing, builds the C floor (`pcap_flows`), then runs every scenario with `dissect` and
`tshark` alternately (dissect, tshark, dissect, …) and reports the median wall time, packets/s,
peak RSS and the ratio tshark/dissect. Timed runs write to /dev/null; one more run of each tool
is piped through `tr -s ' ' | sha256sum` and `wc -l`, so the two outputs are compared in the same
run (line count and digest after folding runs of spaces, i.e. column padding).

  scripts/bench.py [--runs R] [--big-runs R] [--scenarios a,b,...] [--no-big] [--out DIR]
                   [--bin PATH] [--write BENCHMARKS.md]

With --write, the generated part of the Markdown file (between the `bench:start` and
`bench:end` markers) is replaced; the hand-written analysis around it stays.
"""
import argparse, os, platform, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, '..', 'shared', 'corpus')

# key: (label, args, digest?) — digest: compare the texts (too big on the 1M file for d/e).
SCENARIOS = {
    'a': ('packet list', []),
    'b': ("-Y 'tcp.stream==1'", ['-Y', 'tcp.stream==1']),
    'c': ('SMTP MAIL fields', ['-Y', 'smtp.req.command == "MAIL"', '-T', 'fields', '-e', 'frame.number',
                               '-e', 'ip.src', '-e', 'smtp.req.parameter']),
    'd': ('-V', ['-V']),
    'e': ('-T json', ['-T', 'json']),
    'f1': ('-q -z conv,tcp', ['-q', '-z', 'conv,tcp']),
    'f2': ('-q -z io,phs', ['-q', '-z', 'io,phs']),
    'f3': ('-q -z follow,tcp,ascii,1', ['-q', '-z', 'follow,tcp,ascii,1']),
    'g': ('-2 -Y tcp.analysis.retransmission', ['-2', '-Y', 'tcp.analysis.retransmission']),
    'ek': ('-T ek', ['-T', 'ek']),
}
DEFAULT = 'a,b,c,d,e,ek,f1,f2,f3,g'
# Variants (pcapng, pcap.gz) and the 1M file run these.
VARIANT = 'a,b,c,d,e'
BIG = 'a,b,c,d,e,f1,f2,f3,g'
# tshark on the 1M file takes minutes for these: one run, no text digest (4.7 and 9 GB of text).
BIG_NO_DIGEST = {'d', 'e', 'ek'}


LAST_CPU = [0.0]


def timed(cmd):
    """Runs cmd with stdout to /dev/null; returns (wall s, peak RSS KiB, exit status). The CPU
    time (user + system) of the run is left in LAST_CPU[0]: on a machine other work shares, it
    moves much less than the wall time."""
    with open(os.devnull, 'wb') as null:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=null, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
    LAST_CPU[0] = ru.ru_utime + ru.ru_stime
    return wall, ru.ru_maxrss, os.waitstatus_to_exitcode(status)


def digest(cmd):
    """Line count and SHA-256 (first 12 digits) of cmd's output with runs of spaces folded."""
    import hashlib
    p1 = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    p2 = subprocess.Popen(['tr', '-s', ' '], stdin=p1.stdout, stdout=subprocess.PIPE)
    p1.stdout.close()
    h = hashlib.sha256()
    n = 0
    while True:
        chunk = p2.stdout.read(1 << 20)
        if not chunk:
            break
        h.update(chunk)
        n += chunk.count(b'\n')
    p2.wait()
    p1.wait()
    return n, h.hexdigest()[:12]


def median(xs):
    return statistics.median(xs) if xs else None


def ensure_captures(out):
    need = ['bench_small_100k.pcap', 'bench_small_100k.pcapng', 'bench_small_100k.pcap.gz',
            'bench_mail_1m.pcap', 'bench_mail_1m.pcapng']
    if not all(os.path.exists(os.path.join(out, n)) for n in need):
        print('generating the captures (make_bench.py, ~15 s) ...', file=sys.stderr)
        subprocess.check_call([sys.executable, os.path.join(CORPUS, 'bench', 'make_bench.py'), '--out', out])
    empty = os.path.join(out, 'empty.pcap')
    if not os.path.exists(empty):
        with open(empty, 'wb') as f:  # a pcap global header, no packets
            f.write(bytes.fromhex('d4c3b2a1020004000000000000000000ffff000001000000'))
    return empty


def count_packets(path):
    """Packets in a classic pcap (record headers walked, no libpcap needed)."""
    n = 0
    with open(path, 'rb') as f:
        f.seek(24)
        while True:
            h = f.read(16)
            if len(h) < 16:
                break
            incl = int.from_bytes(h[8:12], 'little')
            f.seek(incl, 1)
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', type=int, default=3, help='timed runs per tool on the 100k file')
    ap.add_argument('--big-runs', type=int, default=2, help='timed dissect runs on the 1M file (tshark: 1)')
    ap.add_argument('--scenarios', default=DEFAULT)
    ap.add_argument('--no-big', action='store_true', help='skip the 1M-packet file')
    ap.add_argument('--no-variants', action='store_true', help='skip the pcapng and pcap.gz rows')
    ap.add_argument('--out', default=os.path.join(ROOT, 'bench', 'out'))
    ap.add_argument('--bin', default=os.path.join(ROOT, '.build', 'release', 'dissect'))
    ap.add_argument('--write', default=None, help='update the generated part of this Markdown file')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    empty = ensure_captures(a.out)

    tshark = shutil.which('tshark')
    if not tshark:
        print('installing tshark ...', file=sys.stderr)
        subprocess.call('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tshark >/dev/null', shell=True)
        tshark = shutil.which('tshark')
    floor = os.path.join(a.out, 'pcap_flows')
    if not os.path.exists(floor):
        subprocess.call(['gcc', '-O2', '-o', floor, os.path.join(CORPUS, 'bench', 'floor', 'pcap_flows.c'), '-lpcap'])
    os.environ.update(TZ='UTC', LC_ALL='C.UTF-8')

    small = os.path.join(a.out, 'bench_small_100k')
    big = os.path.join(a.out, 'bench_mail_1m')
    counts = {small: count_packets(small + '.pcap')}
    rows = []
    notes = []

    def floor_row(base, label, runs):
        if not os.path.exists(floor):
            return
        w = median([timed([floor, base + '.pcap'])[0] for _ in range(runs)])
        rows.append(dict(scenario='C floor (pcap_flows)', file=label, dw=w, pkts=counts[base], drss=None, tw=None,
                         trss=None, agree='', dc=None, tc=None))

    def scenario_row(key, base, ext, label, druns, truns, compare):
        name, args = SCENARIOS[key]
        cap = base + '.' + ext
        dw, tw, drss, trss, dc, tc, rc = [], [], [], [], [], [], 0
        for i in range(max(druns, truns)):
            if i < druns:
                w, r, rc = timed([a.bin, '-r', cap] + args)
                dw.append(w); drss.append(r); dc.append(LAST_CPU[0])
            if tshark and i < truns:
                w, r, _ = timed([tshark, '-r', cap] + args)
                tw.append(w); trss.append(r); tc.append(LAST_CPU[0])
        agree = ''
        if compare and tshark:
            dn, dh = digest([a.bin, '-r', cap] + args)
            tn, th = digest([tshark, '-r', cap] + args)
            agree = ('same text (%d lines)' % dn) if dh == th else ('lines %d vs %d, digests differ' % (dn, tn))
        if rc != 0:
            agree = 'dissect exit %d' % rc
        rows.append(dict(scenario=key + ' ' + name, file=label, dw=median(dw), pkts=counts[base],
                         drss=max(drss) / 1024 if drss else None, tw=median(tw),
                         trss=max(trss) / 1024 if trss else None, agree=agree, dc=median(dc), tc=median(tc)))
        print('  %-40s %-18s dissect %.3f s  tshark %s' % (key + ' ' + name, label, median(dw),
              ('%.3f s' % median(tw)) if tw else '-'), file=sys.stderr)

    keys = [k for k in a.scenarios.split(',') if k]
    # 100k packets: every scenario, pcap.
    floor_row(small, '100k pcap', 5)
    for k in keys:
        scenario_row(k, small, 'pcap', '100k pcap', a.runs, a.runs, True)
    # --threads 1 for the outputs that print on a second thread by default.
    for k in [k for k in ('d', 'e', 'ek') if k in keys]:
        name, args = SCENARIOS[k]
        ws, cs = [], []
        for _ in range(a.runs):
            ws.append(timed([a.bin, '-r', small + '.pcap', '--threads', '1'] + args)[0])
            cs.append(LAST_CPU[0])
        t = next((r for r in rows if r['scenario'].startswith(k + ' ') and r['file'] == '100k pcap'), None)
        rows.append(dict(scenario=k + ' ' + name + ' --threads 1', file='100k pcap', dw=median(ws), pkts=counts[small],
                         drss=None, tw=t and t['tw'], trss=None, agree='', dc=median(cs), tc=t and t['tc']))
    if not a.no_variants:
        for ext in ('pcapng', 'pcap.gz'):
            for k in [k for k in VARIANT.split(',') if k in keys]:
                scenario_row(k, small, ext, '100k ' + ext, a.runs, 1, True)
    # 1M packets: fewer tshark runs.
    if not a.no_big:
        counts[big] = count_packets(big + '.pcap')
        floor_row(big, '1M pcap', 3)
        for k in [k for k in BIG.split(',') if k in keys]:
            scenario_row(k, big, 'pcap', '1M pcap', a.big_runs, 1, k not in BIG_NO_DIGEST)
        if 'a' in keys:
            scenario_row('a', big, 'pcapng', '1M pcapng', a.big_runs, 1, False)

    # Start-up: an empty capture.
    su_d, su_dc = [], []
    for _ in range(10):
        su_d.append(timed([a.bin, '-r', empty])[0])
        su_dc.append(LAST_CPU[0])
    su_d, su_dc = median(su_d), median(su_dc)
    su_rss = timed([a.bin, '-r', empty])[1] / 1024
    su_t, su_tc = None, None
    if tshark:
        ts, tcs = [], []
        for _ in range(3):
            ts.append(timed([tshark, '-r', empty])[0])
            tcs.append(LAST_CPU[0])
        su_t, su_tc = median(ts), median(tcs)

    elapsed = time.monotonic() - started
    lines = ['| scenario | file | dissect wall s | dissect pkt/s | dissect peak RSS MiB | tshark wall s | '
             'tshark peak RSS MiB | tshark/dissect | dissect CPU s | tshark CPU s | CPU ratio | outputs |',
             '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|']
    f = lambda v, p: ('%.*f' % (p, v)) if v is not None else ''
    for r in rows:
        ratio = (r['tw'] / r['dw']) if r['tw'] and r['dw'] else None
        cratio = (r['tc'] / r['dc']) if r.get('tc') and r.get('dc') else None
        lines.append('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            r['scenario'], r['file'], f(r['dw'], 3), f(r['pkts'] / r['dw'] if r['dw'] else None, 0),
            f(r['drss'], 1), f(r['tw'], 3), f(r['trss'], 1), (f(ratio, 1) + '×') if ratio else '',
            f(r.get('dc'), 2), f(r.get('tc'), 2), (f(cratio, 1) + '×') if cratio else '', r['agree']))
    lines.append('| start-up (`-r empty.pcap`) | empty | %.3f |  | %.1f | %s |  | %s | %.3f | %s | %s |  |' % (
        su_d, su_rss, f(su_t, 3), (f(su_t / su_d, 0) + '×') if su_t else '', su_dc, f(su_tc, 3),
        (f(su_tc / su_dc, 0) + '×') if su_tc and su_dc else ''))
    cpu = ''
    try:
        cpu = next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
    except Exception:
        pass
    head = ('%s, %d cores (%s), %s; `dissect` %s; tshark %s; %d timed runs per tool on the 100k file '
            '(median), %d dissect / 1 tshark run on the 1M file; whole run %.0f s; load average %.1f before, '
            '%.1f after (other work on the machine inflates wall times; CPU s = user + system).') % (
        platform.machine(), os.cpu_count(), cpu, time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
        os.path.relpath(a.bin, ROOT), subprocess.run([tshark, '-v'], capture_output=True, text=True).stdout.split('\n')[0]
        if tshark else '(not installed)', a.runs, a.big_runs, elapsed, load_before, os.getloadavg()[0])
    table = head + '\n\n' + '\n'.join(lines)
    print(table)
    if a.write:
        start, end = '<!-- bench:start -->', '<!-- bench:end -->'
        old = open(a.write).read() if os.path.exists(a.write) else '# Benchmarks\n\n' + start + '\n' + end + '\n'
        if start not in old or end not in old:
            old = old.rstrip('\n') + '\n\n' + start + '\n' + end + '\n'
        before, rest = old.split(start, 1)
        _, after = rest.split(end, 1)
        with open(a.write, 'w') as out:
            out.write(before + start + '\n' + table + '\n' + end + after)


if __name__ == '__main__':
    main()
