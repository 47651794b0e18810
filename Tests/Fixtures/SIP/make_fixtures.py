#!/usr/bin/env python3
"""Writes sip-cases.pcap (raw IPv4 link type): SIP requests/responses with tshark's Info edge
cases, an SDP offer that sets up RTP on a dynamic payload type, RTP with CSRC, extension and
padding, and truncated SIP and RTP messages."""
import struct
def csum(h):
    s = sum(struct.unpack('!%dH' % (len(h) // 2), h)); s = (s >> 16) + (s & 0xffff); s += s >> 16; return (~s) & 0xffff
def ip(src, dst, proto, l4):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(l4), 1, 0, 64, proto, 0,
                    bytes(map(int, src.split('.'))), bytes(map(int, dst.split('.'))))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + l4
def udp(src, dst, sp, dp, payload):
    return ip(src, dst, 17, struct.pack('!HHHH', sp, dp, 8 + len(payload), 0) + payload)
def tcp(src, dst, sp, dp, seq, ack, flags, payload=b''):
    return ip(src, dst, 6, struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload)
A, B = '10.0.0.1', '10.0.0.2'
def req(m, cseqm=None, extra='', body='', ctype=''):
    cseqm = cseqm or m
    ct = f'Content-Type: {ctype}\r\n' if ctype else ''
    s = (f"{m} sip:bob@x.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport\r\n"
         f"From: \"Alice\" <sip:alice@x.com;user=phone>;tag=1\r\nTo: Bob <sip:bob@x.com>\r\nCall-ID: abc@x\r\n"
         f"CSeq: 1 {cseqm}\r\n{extra}{ct}Content-Length: {len(body)}\r\n\r\n{body}")
    return udp(A, B, 5060, 5060, s.encode())
def resp(code, m='INVITE', extra=''):
    s = (f"SIP/2.0 {code}\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\nFrom: <sip:alice@x.com>;tag=1\r\n"
         f"To: <sip:bob@x.com>;tag=2\r\nCall-ID: abc@x\r\nCSeq: 1 {m}\r\n{extra}Content-Length: 0\r\n\r\n")
    return udp(B, A, 5060, 5060, s.encode())
sdp = ("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
       "m=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n")
def rtp(b0, b1, seq, ts, ssrc, rest):
    return udp(B, A, 6000, 4000, struct.pack('!BBHII', b0, b1, seq, ts, ssrc) + rest)
pk = [
    req('INVITE', body=sdp, ctype='application/sdp', extra='X-Custom: 1\r\nExpires: 60\r\n'),
    resp('100 Trying'), resp('486 Busy Here'), resp('200 OK'),
    req('ACK'),
    req('INVITE', body=sdp, ctype='application/sdp', extra='X-Custom: 1\r\nExpires: 60\r\n'),  # resend
    rtp(0x80, 0x80, 1, 160, 0x1234ABCD, b'\xd5' * 8),
    rtp(0x81, 0x00, 2, 320, 0x1234ABCD, struct.pack('!I', 0xCAFE) + b'\xd5' * 4),   # one CSRC
    rtp(0x90, 0x00, 3, 480, 0x1234ABCD, struct.pack('!HHI', 0xBEDE, 1, 0x10203040) + b'\xd5' * 4),  # extension
    rtp(0xA0, 0x00, 4, 640, 0x1234ABCD, b'\xd5' * 4 + b'\x00\x00\x03'),  # padding
    rtp(0x80, 0x00, 5, 800, 0x12, b''),
    udp(B, A, 6000, 4000, b'\x80\x00\x00'),  # truncated RTP
    req('REGISTER', extra='Contact: <sip:a@1.2.3.4>;expires=60, <sip:b@1.2.3.4>\r\n'),
    resp('200 OK', 'REGISTER', extra='Contact: <sip:a@1.2.3.4>;expires=60\r\n'),
    req('REGISTER', extra='Contact: *\r\n'),
    udp(A, B, 5060, 5060, b"FOO sip:x SIP/2.0\r\nCSeq: 1 FOO\r\n\r\n"),
    udp(A, B, 5060, 5060, b"OPTIONS sip:x SIP/2.0\r\nCSeq: 7 OPTIONS\r\nContent-Length: 0\r\n\r\n"
                          b"OPTIONS sip:y SIP/2.0\r\nCSeq: 8 OPTIONS\r\nContent-Length: 0\r\n\r\n"),
    udp(A, B, 5060, 5060, b"hello world\r\n"),
    udp(A, B, 5060, 5060, b"SIP/2.0 200\r\nCSeq: 1 INVITE\r\n\r\n"),
    udp(A, B, 5060, 5060, b"INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 1.1.1.1\r\nCSeq: 1 INV"),  # truncated
    tcp(A, B, 40000, 5060, 1, 1, 0x18, b"BYE sip:bob@x.com SIP/2.0\r\nCall-ID: t@x\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"),
]
with open('sip-cases.pcap', 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
    for i, p in enumerate(pk):
        f.write(struct.pack('<IIII', 1000 + i, 250000 * (i % 4), len(p), len(p)))
        f.write(p)
