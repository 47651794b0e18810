#!/usr/bin/env python3
"""Keeps the DNS part of a `tshark -V` output: for each frame, its "Frame N:" line, then every
top-level block of Domain Name System / Multicast Domain Name System / Link-local Multicast Name
Resolution and the Malformed mark that follows. Usage: tshark -n -r X.pcap -V | excerpt.py > X.dns.txt
(DNSTests applies the same cut to dissect's output)."""
import sys
PREFIXES = ("Domain Name System", "Multicast Domain Name System", "Link-local Multicast Name Resolution",
            "[Malformed Packet", "[Packet size limited")
keep = False
for line in sys.stdin:
    line = line.rstrip('\n')
    if line.startswith('Frame '):
        print(line.split(':')[0] + ':')
        keep = False
        continue
    if line and not line.startswith(' '):
        keep = line.startswith(PREFIXES)
    if keep and line:
        print(line)
