#!/usr/bin/env python3
"""Keeps the application-layer part of a `tshark -V` output: for every frame its "Frame N:"
line and the top-level items after TCP/UDP (HTTP, SSDP, POP, media, IMF, malformed marks…).
The tests apply the same cut to our output. Usage: excerpt.py < verbose.txt > excerpt.txt"""
import re
import sys

SKIP = re.compile(r'^(Frame \d+:|Ethernet II|Internet Protocol Version|Transmission Control Protocol|'
                  r'User Datagram Protocol|\[\d+ Reassembled TCP Segments)')
keep = False
for line in sys.stdin.read().split('\n'):
    if line.startswith('Frame '):
        print(line.split(':')[0])
        keep = False
        continue
    if line and not line.startswith(' '):
        keep = not SKIP.match(line)
    if keep and line:
        print(line)
