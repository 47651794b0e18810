#!/usr/bin/env python3
"""Cuts the image part out of tshark's -V output (stdin) into the NAME.media.txt format:
"#N" for frame N, then its "[Protocols in frame: …]" line and the top-level blocks that start
with one of TOPS (all their lines, empty ones left out). MediaImageTests cuts ours the same way."""
import sys

TOPS = ('Portable Network Graphics', 'Compuserve GIF', 'JPEG File Interchange Format', 'Media Type',
        '[Malformed Packet', 'Internet Message Format')

frame, on = 0, False
for line in sys.stdin.read().split('\n'):
    if line.startswith('Frame ') and line[6:].split(':')[0].isdigit():
        frame, on = int(line[6:].split(':')[0]), False
        print('#%d' % frame)
        continue
    if line.startswith('    [Protocols in frame: '):
        print(line)
        continue
    if line and not line.startswith(' '):
        on = line.startswith(TOPS)
    if on and line:
        print(line)
