#!/usr/bin/env python3
"""Makes the crafted HTTP and SSDP captures of this folder (DissectKit, Apache-2.0).

Each capture is Ethernet/IPv4/TCP (or UDP) with a handshake and the segments below; the
references next to them are tshark 4.0.17's output (see README.md). Run from this folder:
    python3 make_fixtures.py
"""
import gzip
import struct
import zlib


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip4(a):
    return bytes(int(x) for x in a.split('.'))


def ipv4(src, dst, proto, payload, ipid):
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ipid, 0x4000, 64, proto, 0, ip4(src), ip4(dst))
    return ip[:10] + struct.pack('!H', csum(ip)) + ip[12:] + payload


def ether(side, payload):
    a, b = bytes.fromhex('020000000002'), bytes.fromhex('020000000001')
    return (a + b if side == 0 else b + a) + b'\x08\x00' + payload


class Conv:
    """One TCP connection: side 0 is the client, side 1 the server."""

    def __init__(self, cli, srv, t0):
        self.cli, self.srv = cli, srv
        self.seq = {0: 1000, 1: 5000}
        self.t = t0
        self.frames = []
        self.ipid = 1

    def pkt(self, side, flags, payload=b'', snap=None):
        src, dst = (self.cli, self.srv) if side == 0 else (self.srv, self.cli)
        tcp = struct.pack('!HHIIBBHHH', src[1], dst[1], self.seq[side], self.seq[1 - side] if flags & 0x10 else 0,
                          5 << 4, flags, 65535, 0, 0)
        pseudo = ip4(src[0]) + ip4(dst[0]) + struct.pack('!BBH', 0, 6, len(tcp) + len(payload))
        tcp = tcp[:16] + struct.pack('!H', csum(pseudo + tcp + payload)) + tcp[18:]
        frame = ether(side, ipv4(src[0], dst[0], 6, tcp + payload, self.ipid))
        self.ipid += 1
        self.t += 0.001
        self.frames.append((self.t, frame, snap))
        self.seq[side] += len(payload) + (1 if flags & 0x03 else 0)

    def handshake(self):
        self.pkt(0, 0x02)
        self.pkt(1, 0x12)
        self.pkt(0, 0x10)

    def data(self, side, payload, snap=None):
        self.pkt(side, 0x18, payload, snap)

    def fin(self):
        self.pkt(0, 0x11)
        self.pkt(1, 0x11)
        self.pkt(0, 0x10)


def udp(t, src, dst, payload):
    u = struct.pack('!HHHH', src[1], dst[1], 8 + len(payload), 0) + payload
    return (t, ether(0, ipv4(src[0], dst[0], 17, u, 1)), None)


def write(path, frames):
    frames = sorted(frames, key=lambda f: f[0])
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for t, fr, snap in frames:
            cap = fr if snap is None else fr[:snap]
            f.write(struct.pack('<IIII', int(t), int(round((t % 1) * 1e6)), len(cap), len(fr)))
            f.write(cap)


def conv(port, t0, server=80):
    c = Conv(('10.0.0.1', port), ('10.0.0.2', server), t0)
    c.handshake()
    return c


def main():
    # http_basic: a request with query and cookies, a text/html response, chunked, gzip, two
    # pipelined requests and responses, an octet-stream POST, an HTTP/1.0 redirect.
    c = conv(40000, 1700000000.0)
    c.data(0, b"GET /index.html?a=1&b=two HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n"
              b"Accept-Encoding: gzip, deflate\r\nCookie: sid=abc; theme=dark\r\nX-Custom: hello\r\n\r\n")
    body = b"<html>\n<body>Hi</body>\n</html>\n"
    c.data(1, b"HTTP/1.1 200 OK\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nServer: test\r\n"
              b"Content-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\nSet-Cookie: a=b\r\n"
              b"Connection: keep-alive\r\n\r\n" % len(body) + body)
    c.pkt(0, 0x10)
    c.data(0, b"GET /chunk HTTP/1.1\r\nHost: example.com\r\n\r\n")
    c.data(1, b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"5\r\nHello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n")
    c.pkt(0, 0x10)
    gz = gzip.compress(b"compressed text line 1\ncompressed line 2\n", mtime=0)
    c.data(0, b"GET /gz HTTP/1.1\r\nHost: example.com\r\n\r\n")
    c.data(1, b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n"
           % len(gz) + gz)
    c.pkt(0, 0x10)
    c.data(0, b"GET /a HTTP/1.1\r\nHost: example.com\r\n\r\nGET /b HTTP/1.1\r\nHost: example.com\r\n\r\n")
    c.data(1, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
    c.pkt(0, 0x10)
    c.data(0, b"POST /form HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/octet-stream\r\n"
              b"Content-Length: 4\r\n\r\n\x01\x02\x03\x04")
    c.data(1, b"HTTP/1.0 302 Found\r\nLocation: http://example.com/x\r\nContent-Length: 0\r\n\r\n")
    c.fin()
    write('http_basic.pcap', c.frames)

    # http_media: bodies by media type (media fallback, none, text/css, message/rfc822, multipart).
    c = conv(40100, 1700000100.0)
    for ct in [b"application/x-unknown", b"image/xyz", None, b"text/css", b"message/rfc822", b"text/unknown",
               b"TEXT/HTML", b"multipart/form-data; boundary=XX", b"application/x-unknown; charset=x"]:
        c.data(0, b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n")
        body = b"line one\r\nline two\r\n"
        if ct == b"message/rfc822":
            body = b"From: a@b\r\nSubject: hi\r\n\r\nbody\r\n"
        if ct and ct.startswith(b"multipart"):
            body = b"--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nval\r\n--XX--\r\n"
        c.data(1, b"HTTP/1.1 200 OK\r\n" + (b"Content-Type: " + ct + b"\r\n" if ct else b"")
               + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        c.pkt(0, 0x10)
    write('http_media.pcap', c.frames)

    # http_edge: start lines and headers tshark treats specially, one exchange per connection.
    frames = []
    exchanges = [
        (b"GET /a?b HTTP/1.1\r\nHost: h\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n",
         b"HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n"),
        (b"GET /a? HTTP/1.1\r\nHost:nospace\r\nAccept:    lots\r\n\r\n", b"HTTP/1.1 299\r\nContent-Length: 0\r\n\r\n"),
        (b"GET /?x=1&&y;z=2 HTTP/1.1\r\nHost: h \r\nX-Fold: a\r\n  continued\r\n\r\n",
         b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        (b"GET http://other/x?y HTTP/1.1\r\nHost: h\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        (b"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        (b"GET /lf HTTP/1.1\nHost: h\nBad Header: x\n\n", b"HTTP/1.1 200 OK\nContent-Length: 3\n\nabc"),
        (b"M-GET /m HTTP/1.1\r\nHost: h\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        (b"HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n", b"HTTP/1.1 999 Weird\r\nContent-Length: abc\r\n\r\n"),
        (b"HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n",
         b"HTTP/1.1 308 Permanent Redirect\r\nTransfer-Encoding: foo\r\nContent-Length: 0\r\n\r\n"),
        (b"HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n",
         b"HTTP/1.1 451 Unavailable\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        (b"HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n",
         b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nnotgz"),
        (b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n", b"deflate-zlib"),
        (b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n", b"deflate-raw"),
        (b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n", b"chunked-gzip"),
        (b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n",
         b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: yes\r\n\r\n"),
        (b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiEXTRA\r\n"),
        (b"\r\nGET /c HTTP/1.1\r\nHost: h\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        (b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n",
         b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\nzz\r\nabc"),
    ]
    for i, (q, r) in enumerate(exchanges):
        c = conv(41000 + i, 1700000200.0 + i)
        if r == b"deflate-zlib":
            z = zlib.compress(b"deflated text\n")
            r = b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(z) + z
        elif r == b"deflate-raw":
            z = zlib.compress(b"raw deflated\n")[2:-4]
            r = b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(z) + z
        elif r == b"chunked-gzip":
            z = gzip.compress(b"chunked gz\n", mtime=0)
            r = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n\r\n"
                 + b"%x\r\n" % 10 + z[:10] + b"\r\n" + b"%x\r\n" % (len(z) - 10) + z[10:] + b"\r\n0\r\n\r\n")
        c.data(0, q)
        c.data(1, r)
        frames += c.frames
    write('http_edge.pcap', frames)

    # http_stream: messages split over segments (TCP reassembly), continuation data, a body that
    # runs until FIN, and a CONNECT tunnel.
    frames = []
    c = conv(42000, 1700000300.0)
    c.data(1, b"some text before any request\r\n")
    c.data(0, b"GET /b HTTP/1.1\r\nHost: h\r\n\r\n")
    c.data(1, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
    c.data(1, b"trailing text\r\nline: two\r\n")
    c.data(1, bytes([0x80, 0x81]) + b"binary")
    c.data(0, b"POST /up HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\n")
    c.data(0, b"Content-Length: 12\r\n\r\nfirst ")
    c.data(0, b"second")
    c.data(1, b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5\r\nab")
    c.data(1, b"cde\r\n0\r\n\r\n")
    frames += c.frames
    c = conv(42001, 1700000301.0)
    c.data(0, b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")
    c.data(1, b"HTTP/1.1 200 OK\r\nContent-Length: 010\r\n\r\nbody3\nxx")
    c.data(1, b"cde\r\n0\r\n\r\n")
    frames += c.frames
    c = conv(42002, 1700000302.0)
    c.data(0, b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n")
    c.data(1, b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil fin\n")
    c.fin()
    frames += c.frames
    c = conv(42003, 1700000303.0, server=3128)
    c.data(0, b"CONNECT mail.example.com:25 HTTP/1.1\r\nHost: mail.example.com:25\r\n\r\n")
    c.data(1, b"HTTP/1.1 200 Connection established\r\n\r\n")
    c.data(1, b"220 mail.example.com ESMTP\r\n")
    c.data(0, b"EHLO me\r\n")
    frames += c.frames
    c = conv(42004, 1700000304.0, server=3128)
    c.data(0, b"CONNECT bad HTTP/1.1\r\n\r\n")
    c.data(1, b"HTTP/1.1 200 OK\r\n\r\n")
    c.data(0, b"hello\r\n")
    frames += c.frames
    write('http_stream.pcap', frames)

    # http_truncated: frames cut by a 30-byte-payload snapshot length, and responses cut after
    # their headers or inside the next message.
    frames = []
    c = conv(43000, 1700000400.0)
    c.data(0, b"GET /images/sf.net_box.gif HTTP/1.1\r\nHost: h\r\n\r\n", snap=54 + 30)
    c.data(1, b"HTTP/1.1 200 OK\r\nDate: Tue, 16 May 2023\r\nContent-Length: 3000\r\n\r\n" + b"x" * 100, snap=54 + 30)
    c.data(1, bytes([0x91, 0xf8, 0x0a, 0x41]) + b"more")
    frames += c.frames
    c = conv(43001, 1700000401.0)
    r = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
    c.data(0, b"GET /b HTTP/1.1\r\nHost: h\r\n\r\n")
    c.data(1, r + b"GARBAGEGARBAGE", snap=54 + len(r) + 4)
    c.data(0, b"GET /c HTTP/1.1\r\nHost: h\r\n\r\n")
    c.data(1, r + b"GARBAGEGARBAGE", snap=54 + len(r))
    r = b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n"
    c.data(0, b"GET /d HTTP/1.1\r\nHost: h\r\n\r\n")
    c.data(1, r + b"x" * 100, snap=54 + len(r) + 10)
    c.data(0, b"GET /e HTTP/1.1\r\nHost: h\r\n\r\n")
    c.data(1, r + b"x" * 100, snap=54 + len(r) - 2)
    frames += c.frames
    write('http_truncated.pcap', frames)

    # ssdp: UPnP discovery over UDP 1900.
    write('ssdp.pcap', [
        udp(1700000500.0, ('10.0.0.1', 1900), ('239.255.255.250', 1900),
            b"NOTIFY * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\nNTS: ssdp:alive\r\nNT: upnp:rootdevice\r\n"
            b"Cache-Control: max-age=1800\r\nLocation: http://10.0.0.1:80/desc.xml\r\n\r\n"),
        udp(1700000500.5, ('10.0.0.3', 50000), ('239.255.255.250', 1900),
            b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n"),
    ])


if __name__ == '__main__':
    main()
