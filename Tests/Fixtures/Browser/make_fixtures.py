#!/usr/bin/env python3
"""Makes browser-cases.pcap (NBDGM / SMB Trans / Mailslot / BROWSER) and the tshark 4.0.17
references of Tests/Fixtures/Browser (needs tshark), plus browser-public.pcap: the two browser
frames of the public captures (editcap).

  NAME.summary.txt  tshark -n -r NAME
  NAME.excerpt.txt  tshark -n -r NAME -V, cut to "Frame N" lines and the NetBIOS/SMB/browser blocks
  NAME.fields.tsv   tshark -n -r NAME -T fields -E header=y -e … (FIELDS below)
"""
import os, re, struct, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'NBNS'))
from craft import pcap, e, ipv4, udp, write_references
from make_fixtures import nbname  # NetBIOS name encoding

def nbdgm(body, mtype=0x11, src=b'\x0a\x00\x00\x01', srcname=('HOST1', 0x00), dstname=('WORKGROUP', 0x1d), flags=0x0a):
    head = struct.pack('>BBH4sH', mtype, flags, 0x34, src, 138)
    if mtype in (0x10, 0x11, 0x12):
        names = nbname(*srcname) + nbname(*dstname)
        return head + struct.pack('>HH', len(names) + len(body), 0) + names + body
    return head + body

def smb_trans(name, data, setup=(1, 1, 2), flags2=0, timeout=0, smbflags=0):
    hdr = b'\xffSMB' + struct.pack('<BBBHBH', 0x25, 0, 0, 0, smbflags, flags2) + b'\0' * 12 + struct.pack('<HHHH', 0, 0, 0, 0)
    name_b = name.encode() + b'\0'
    wct = 14 + len(setup)
    data_off = 32 + 1 + wct * 2 + 2 + len(name_b)
    words = struct.pack('<HHHHBBHIHHHHHBB', 0, len(data), 0, 0, 0, 0, 0, timeout, 0, 0, 0, len(data), data_off,
                        len(setup), 0) + b''.join(struct.pack('<H', w) for w in setup)
    if setup and setup[0] == 1 and len(setup) >= 3:
        pass
    body = bytes([wct]) + words + struct.pack('<H', len(name_b) + len(data)) + name_b + data
    return hdr + body

def host_announce(cmd, name, stype, comment=b'', period=720000, major=5, minor=1, sig=True):
    b = struct.pack('<BBI', cmd, 0, period) + name.encode().ljust(16, b'\0') + struct.pack('<BBI', major, minor, stype)
    b += struct.pack('<BBH', 15, 1, 0xaa55) if sig else struct.pack('<I', 0x12345678)
    return b + comment + b'\0'

def pkt(body, sp=138, dp=138): return e(ipv4('10.0.0.1', '10.0.0.255', 17, udp(sp, dp, body)))
def browse(data, **kw): return pkt(nbdgm(smb_trans('\\MAILSLOT\\BROWSE', data, **kw)))

frames = [
    browse(host_announce(1, 'HOST1', 0x00031003)),                                    # host announcement (XP)
    browse(host_announce(12, 'WORKGROUP', 0x80001000, comment=b'MASTER', sig=False, major=6, minor=1)),  # domain, mysterious
    browse(host_announce(12, 'WORKGROUP', 0x80001000, comment=b'MASTER', major=4, minor=9)),             # domain with sig
    browse(host_announce(15, 'HOST1', 0x00851203, comment=b'Samba 4', period=60500, major=6, minor=0)),  # local master
    browse(struct.pack('<BB', 2, 0) + b'HOST2\0'),                                    # request announcement
    browse(struct.pack('<BBBBBBI', 8, 1, 0x05, 15, 1, 0x10, 3723004) + b'\0' * 4 + b'HOST1\0'),  # election
    browse(struct.pack('<BBI', 9, 4, 77)),                                            # backup list request
    browse(struct.pack('<BBI', 10, 2, 77) + b'HOST1\0HOST2\0'),                       # backup list response
    browse(struct.pack('<B', 11) + b'HOST3\0'),                                       # become backup
    browse(struct.pack('<B', 13) + b'MASTER\0'),                                      # master announcement
    browse(struct.pack('<BB', 14, 0x05)),                                             # reset browser state
    browse(struct.pack('<B', 0x42) + b'??'),                                          # unknown command
    pkt(nbdgm(smb_trans('\\MAILSLOT\\LANMAN', struct.pack('<BBIBBH', 1, 0, 0x00000203, 4, 0, 900) + b'OLDHOST\0old box\0'))),  # LANMAN
    pkt(nbdgm(smb_trans('\\MAILSLOT\\BROWSE', host_announce(1, 'HOST1', 3), timeout=1500, smbflags=0x18))),  # timeout, flags
    pkt(nbdgm(smb_trans('\\MAILSLOT\\FOO', b'hello'))),                              # other mailslot
    pkt(nbdgm(b'not smb payload')),                                                   # not SMB
    pkt(nbdgm(b'\x82', mtype=0x13)),                                                  # datagram error
    pkt(nbdgm(nbname('WORKGROUP', 0x1d), mtype=0x14)),                                # query request
    pkt(nbdgm(b'', mtype=0x30)),                                                      # unknown type
    browse(host_announce(1, 'HOST1', 3))[:-20],                                       # cut announcement
    pkt(nbdgm(b'')[:20]),                                                             # cut names
]
FIELDS = ['frame.number', 'frame.protocols', 'nbdgm.type', 'nbdgm.flags', 'nbdgm.node_type', 'nbdgm.dgram_len',
          'nbdgm.source_name', 'nbdgm.destination_name', 'nbdgm.error_code', 'smb.cmd', 'smb.flags', 'smb.tdc',
          'smb.dc', 'smb.data_offset', 'smb.sc', 'smb.bcc', 'smb.trans_name', 'smb.timeout', 'mailslot.opcode',
          'mailslot.class', 'mailslot.size', 'mailslot.name', 'browser.command', 'browser.period',
          'browser.server', 'browser.windows_version', 'browser.server_type', 'browser.server_type.ntw',
          'browser.comment', 'browser.mb_server', 'browser.mysterious_field', 'browser.response_computer_name',
          'browser.election.criteria', 'browser.election.desire', 'browser.uptime', 'browser.backup.server',
          'browser.reset_cmd', '_ws.col.Protocol', '_ws.col.Info']
TOPS = ['NetBIOS Datagram Service', 'SMB (Server Message Block Protocol)', 'SMB MailSlot Protocol',
        'Microsoft Windows Browser Protocol', 'Data (', '[Malformed Packet', '[Packet size limited']
if __name__ == '__main__':
    pcap(os.path.join(HERE, 'browser-cases.pcap'), frames)
    corpus = '/work/shared/corpus/public'
    a, b = os.path.join(HERE, 'a.pcap'), os.path.join(HERE, 'b.pcap')
    subprocess.run(['editcap', '-r', '-F', 'pcap', os.path.join(corpus, 'wireshark/protohier-with-comments.pcapng'), a, '30'], check=True)
    subprocess.run(['editcap', '-r', '-F', 'pcap', os.path.join(corpus, 'zeek/smtp.pcap'), b, '60'], check=True)
    subprocess.run(['mergecap', '-a', '-F', 'pcap', '-w', os.path.join(HERE, 'browser-public.pcap'), a, b], check=True)
    os.remove(a); os.remove(b)
    write_references(HERE, ['browser-cases.pcap', 'browser-public.pcap'], FIELDS, TOPS)
