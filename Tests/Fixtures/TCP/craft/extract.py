import sys
# print "=== Frame N" headers and the TCP section of each frame (optionally only listed frames)
want = set(int(x) for x in sys.argv[1].split(',')) if len(sys.argv) > 1 and sys.argv[1] else None
out=[]; on=False; cur=None
for l in sys.stdin.read().split('\n'):
    if l.startswith('Frame '):
        cur=int(l.split()[1].rstrip(':')); on=False
        if want is None or cur in want: out.append('=== Frame %d' % cur)
    if l.startswith('Transmission Control'): on=True
    elif l and not l.startswith(' '): on=False
    if on and (want is None or cur in want): out.append(l)
print('\n'.join(out))
