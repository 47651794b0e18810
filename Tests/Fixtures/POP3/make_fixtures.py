#!/usr/bin/env python3
"""Makes the crafted POP3 captures of this folder (DissectKit, Apache-2.0): Ethernet/IPv4/TCP
to port 110 with a handshake and the lines below. The references next to them are tshark
4.0.17's output (see README.md). Run from this folder: python3 make_fixtures.py"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'HTTP'))
from make_fixtures import Conv, write  # noqa: E402  (the HTTP folder's capture builder)


def session(port, t0):
    c = Conv(('10.0.0.1', port), ('10.0.0.2', 110), t0)
    c.handshake()
    return c, (lambda b: c.data(0, b)), (lambda b: c.data(1, b))


# pop3_session: RFC 1939's commands, multi-line CAPA/LIST, and a RETR whose "+OK" line shares
# its segment with the start of the message (tshark then never completes the message).
c, C, S = session(50000, 1700001000.0)
S(b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n")
C(b"CAPA\r\n")
S(b"+OK Capability list follows\r\nTOP\r\nUSER\r\nUIDL\r\nSTLS\r\n.\r\n")
C(b"USER alice\r\n")
S(b"+OK\r\n")
C(b"PASS secret\r\n")
S(b"+OK Logged in.\r\n")
C(b"STAT\r\n")
S(b"+OK 2 320\r\n")
C(b"LIST\r\n")
S(b"+OK 2 messages:\r\n1 120\r\n2 200\r\n.\r\n")
C(b"UIDL 1\r\n")
S(b"+OK 1 whqtswO00WBw418f9t5JxYwZ\r\n")
C(b"RETR 1\r\n")
msg = (b"From: alice@example.com\r\nTo: bob@example.com\r\nSubject: Test\r\n"
       b"Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n\r\nHello Bob.\r\n..dot line\r\nBye.\r\n")
S(b"+OK 120 octets\r\n" + msg[:60])
S(msg[60:] + b".\r\n")
C(b"TOP 2 0\r\n")
S(b"+OK\r\nFrom: x@y\r\nSubject: hdr\r\n\r\n.\r\n")
C(b"DELE 1\r\n")
S(b"-ERR no such message\r\n")
C(b"NOOP\r\n")
S(b"+OK\r\n")
C(b"QUIT\r\n")
S(b"+OK dewey POP3 server signing off\r\n")
c.fin()
write('pop3_session.pcap', c.frames)

# pop3_retr: messages in segments of their own — reassembled over two segments, in one
# segment after a bare "+OK", after "+OK" without a size (tshark's "Length must be a string
# containing an integer") — then STLS.
c, C, S = session(50001, 1700001100.0)
S(b"+OK ready\r\n")
C(b"RETR 1\r\n")
S(b"+OK %d octets\r\n" % len(msg))
S(msg[:60])
S(msg[60:] + b".\r\n")
C(b"TOP 1 0\r\n")
S(b"+OK\r\n")
S(b"From: x@y\r\nSubject: hdr\r\n\r\n.\r\n")
C(b"RETR 2\r\n")
S(b"+OK message follows\r\n")
S(b"From: z@y\r\n\r\nbody\r\n.\r\n")
C(b"STLS\r\n")
S(b"+OK Begin TLS negotiation\r\n")
write('pop3_retr.pcap', c.frames)
