#!/usr/bin/env python3
"""pyshark's LiveCapture on the loopback interface through our `tshark` and `dumpcap` links.

pyshark 0.6 captures with `dirname(tshark_path)/dumpcap -q -f FILTER -i lo -w -` piped into
`tshark -l -n -T pdml|json -i -`, after `tshark -D` to check the interface name. This sends UDP
datagrams to 127.0.0.1 while pyshark sniffs, and checks what it gets. Poisoned `tshark` and
`dumpcap` come first on $PATH, so a fall-back to other binaries fails.

usage: pyshark_live.py --tshark PREFIX/bin/tshark
Prints "N passed, M failed" last; exit status 1 on a failure.
"""
import argparse
import os
import random
import shlex
import socket
import stat
import sys
import tempfile
import threading
import time

import pyshark

COUNT = 4


def poison(work):
    d = os.path.join(work, "poison")
    os.makedirs(d)
    marker = os.path.join(work, "POISONED")
    for name in ("tshark", "dumpcap"):
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(f"#!/bin/sh\necho \"$0 $*\" >> {shlex.quote(marker)}\n"
                    "echo 'pyshark_live: pyshark ran a binary from $PATH, not ours' >&2\nexit 97\n")
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    os.environ["PATH"] = d + os.pathsep + os.environ.get("PATH", "")
    return marker


def sniff(tshark, port, **kwargs):
    """COUNT packets pyshark sniffs while datagrams are sent (bounded: 20 s)."""
    stop = threading.Event()

    def send():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        deadline = time.time() + 20
        i = 0
        while not stop.is_set() and time.time() < deadline:
            s.sendto(b"pyshark live %d" % i, ("127.0.0.1", port))
            i += 1
            time.sleep(0.1)
        s.close()

    cap = pyshark.LiveCapture(interface="lo", bpf_filter=f"udp port {port}", tshark_path=tshark, **kwargs)
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    packets = []
    try:
        for pkt in cap.sniff_continuously(packet_count=COUNT):
            packets.append(pkt)
    finally:
        stop.set()
        try:
            cap.close()
        except Exception:
            pass
    return packets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tshark", required=True)
    args = ap.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="pyshark-live-") as work:
        os.environ["XDG_CACHE_HOME"] = os.path.join(work, "cache")
        marker = poison(work)
        for mode, kwargs in (("pdml", {}), ("json", {"use_json": True})):
            port = random.randint(40000, 60000)
            try:
                packets = sniff(args.tshark, port, **kwargs)
                layers = [[l.layer_name for l in p.layers] for p in packets]
                ports = [int(p.udp.dstport) for p in packets]
                payloads = [bytes.fromhex(str(p.data.data).replace(":", "")) for p in packets]
                # tshark's PDML wraps the data dissector's field in <proto name="fake-field-wrapper">,
                # which pyshark names "DATA"; its JSON has a "data" layer.
                data_layer = "DATA" if mode == "pdml" else "data"
                ok = (len(packets) == COUNT and all(l == ["eth", "ip", "udp", data_layer] for l in layers)
                      and ports == [port] * COUNT and all(x.startswith(b"pyshark live ") for x in payloads)
                      and all(p.frame_info.interface_name == "lo" for p in packets if mode == "pdml"))
                print(f"{'ok  ' if ok else 'FAIL'} LiveCapture {mode}: {len(packets)} packets, layers {layers[:1]}, "
                      f"payloads {payloads[:2]}")
            except Exception as e:
                ok = False
                print(f"FAIL LiveCapture {mode}: {type(e).__name__}: {e}")
            passed, failed = passed + ok, failed + (not ok)
        if os.path.exists(marker):
            print("FAIL pyshark ran a binary from $PATH:\n" + open(marker).read())
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
