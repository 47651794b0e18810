#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal with COLORTERM=truecolor and writes exactly what it
printed to standard output (tshark colors only a terminal; standard error is dropped)."""
import os, pty, subprocess, sys, tty
m, s = pty.openpty()
tty.setraw(s)  # no "\n" -> "\r\n" translation: the bytes are the program's own
p = subprocess.Popen(sys.argv[1:], stdout=s, stderr=subprocess.DEVNULL,
                     env=dict(os.environ, COLORTERM='truecolor'))
os.close(s)
out = b''
while True:
    try:
        d = os.read(m, 65536)
    except OSError:  # EIO once the program has exited and closed the terminal
        break
    if not d:
        break
    out += d
p.wait()
sys.stdout.buffer.write(out)
