#!/usr/bin/env python3
"""Makes the tshark 4.0.17 reference outputs of Tests/Fixtures/{ICMPv6,NTP,TFTP} (needs tshark;
run from anywhere). For each capture:

  NAME.summary.txt  tshark -n -r NAME
  NAME.excerpt.txt  tshark -n -r NAME -V, cut to the "Frame N" lines and the top-level blocks the
                    tests compare (the protocol's own, "Data (…)", malformed marks); the tests cut
                    dissect's output the same way (`ProtocolExcerpt` in Tests/PluginsTests/TFTPTests.swift)
  NAME.fields.tsv   tshark -n -r NAME -T fields -E header=y -e … (the columns listed below)
"""
import os, re, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HEX = re.compile(r'^[0-9a-f]{4}  ')

def excerpt(text, prefixes):
    out, keep = [], False
    for line in text.split('\n'):
        top = line != '' and not line.startswith(' ') and not HEX.match(line)
        if top:
            if line.startswith('Frame '):
                out.append(line)
                keep = False
                continue
            keep = any(line.startswith(p) for p in prefixes)
        if keep:
            out.append(line)
    return '\n'.join(out) + '\n'

def tshark(args):
    env = dict(os.environ, TZ='UTC')
    return subprocess.run(['tshark'] + args, capture_output=True, text=True, env=env).stdout

COMMON = ['Data (', '[Malformed Packet', '[Packet size limited']
AREAS = {
    'ICMPv6': (['Internet Control Message Protocol v6'],
               ['icmpv6-cases.pcap', 'icmpv6-snap.pcap', 'communityid.pcap.gz'],
               ['frame.number', 'icmpv6.type', 'icmpv6.code', 'icmpv6.checksum.status', 'icmpv6.echo.identifier',
                'icmpv6.echo.sequence_number', 'icmpv6.resp_to', 'icmpv6.opt.type', 'icmpv6.opt.linkaddr',
                'icmpv6.opt.src_linkaddr', 'icmpv6.nd.ns.target_address', 'icmpv6.mldr.mar.multicast_address',
                'ipv6.src', 'udp.srcport', '_ws.col.Protocol']),
    'NTP': (['Network Time Protocol'],
            ['ntp-cases.pcap', 'ntp-control.pcap', 'ntp-more.pcap', 'ntp.pcap'],
            ['frame.number', 'ntp.flags.li', 'ntp.flags.vn', 'ntp.flags.mode', 'ntp.stratum', 'ntp.ppoll',
             'ntp.precision', 'ntp.rootdelay', 'ntp.rootdispersion', 'ntp.refid', 'ntp.reftime', 'ntp.org', 'ntp.rec',
             'ntp.xmt', 'ntp.keyid', 'ntp.mac', 'ntp.ctrl.flags2.opcode', 'ntp.priv.reqcode']),
    'TFTP': (['Trivial File Transfer Protocol'],
             ['tftp-cases.pcap', 'tftp-options.pcap', 'tftp.pcap'],
             ['frame.number', 'tftp.opcode', 'tftp.source_file', 'tftp.destination_file', 'tftp.request_frame',
              'tftp.type', 'tftp.block', 'tftp.block.full', 'tftp.error.code', 'tftp.error.message',
              'tftp.option.name', 'tftp.option.value', 'tftp.data', 'data.data', 'udp.stream', 'udp.time_relative']),
}

for area, (prefixes, captures, fields) in AREAS.items():
    for cap in captures:
        path = os.path.join(ROOT, area, cap)
        name = re.sub(r'\.pcap(\.gz)?$', '', path)
        with open(name + '.summary.txt', 'w') as f:
            f.write(tshark(['-n', '-r', path]))
        # communityid.pcap.gz carries many protocols: only the ICMPv6 blocks are compared there.
        keep = prefixes if cap == 'communityid.pcap.gz' else prefixes + COMMON
        with open(name + '.excerpt.txt', 'w') as f:
            f.write(excerpt(tshark(['-n', '-r', path, '-V']), keep))
        args = ['-n', '-r', path, '-T', 'fields', '-E', 'header=y']
        for e in fields:
            args += ['-e', e]
        with open(name + '.fields.tsv', 'w') as f:
            f.write(tshark(args))
