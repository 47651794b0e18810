#!/usr/bin/env python3
"""Makes the tshark 4.0.17 references of Tests/Fixtures/SIP and Tests/Fixtures/NFS (needs tshark):
NAME.summary.txt (tshark -n -r), NAME.excerpt.txt (-V cut to the "Frame N" lines and the top-level
SIP/SDP/RTP or RPC/NFS blocks) and NAME.fields.tsv (-T fields with the columns below)."""
import os, re, subprocess
HERE = os.path.dirname(os.path.abspath(__file__))
HEX = re.compile(r'^[0-9a-f]{4}  ')
def excerpt(text, prefixes):
    out, keep = [], False
    for line in text.split('\n'):
        if line != '' and not line.startswith(' ') and not HEX.match(line):
            if line.startswith('Frame '):
                out.append(line); keep = False; continue
            keep = any(line.startswith(p) for p in prefixes)
        if keep: out.append(line)
    return '\n'.join(out) + '\n'
def tshark(args):
    return subprocess.run(['tshark'] + args, capture_output=True, text=True, env=dict(os.environ, TZ='UTC')).stdout
COMMON = ['Data (', '[Malformed Packet', '[Packet size limited']
AREAS = {
    'SIP': (['Session Initiation Protocol', 'Real-Time Transport Protocol'], ['sip.pcapng', 'sip-rtp-head.pcapng', 'sip-cases.pcap'],
            ['frame.number', 'sip.Method', 'sip.Status-Code', 'sip.r-uri.user', 'sip.from.user', 'sip.to.host', 'sip.Call-ID',
             'sip.CSeq.seq', 'sip.response-request', 'sip.response-time', 'sdp.media.port', 'sdp.connection_info.address',
             'rtp.p_type', 'rtp.seq', 'rtp.extseq', 'rtp.ssrc', 'rtp.marker', 'rtp.setup-frame', '_ws.col.Protocol']),
    'NFS': (['Remote Procedure Call', 'Network File System'], ['nfs.pcap', 'nfs-truncated.pcap'],
            ['frame.number', 'rpc.xid', 'rpc.msgtyp', 'rpc.program', 'rpc.procedure', 'rpc.repframe', 'rpc.time',
             'nfs.fh.hash', 'nfs.status3', 'nfs.fattr3.size', 'nfs.fattr3.fileid', '_ws.col.Protocol']),
}
for area, (tops, caps, cols) in AREAS.items():
    d = os.path.join(os.path.dirname(HERE), area)
    for c in caps:
        p = os.path.join(d, c); base = os.path.join(d, c.rsplit('.', 1)[0])
        open(base + '.summary.txt', 'w').write(tshark(['-n', '-r', p]))
        open(base + '.excerpt.txt', 'w').write(excerpt(tshark(['-n', '-r', p, '-V']), tops + COMMON))
        args = ['-n', '-r', p, '-T', 'fields', '-E', 'header=y']
        for col in cols: args += ['-e', col]
        open(base + '.fields.tsv', 'w').write(tshark(args))
