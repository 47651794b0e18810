#!/usr/bin/env python3
"""Checks smtp_job.py: the answers of the split, parallel pipeline must equal what `dissect`
gives on each whole capture (`-T fields`), so splitting by conversation loses nothing.

usage: test_smtp_job.py --dissect BIN --engine local|spark [--python PY]   (exit 0 = pass)
"""
import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CAPTURES = sorted(glob.glob(os.path.join(HERE, "..", "Tests", "Fixtures", "Mail", "*.pcap*")))


def truth(binary):
    commands, senders, subjects, packets = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for c in CAPTURES:
        out = subprocess.run([binary, "-r", c, "-T", "fields", "-E", "aggregator=\x1f", "-e", "frame.number",
                              "-e", "smtp.req.command", "-e", "smtp.req.parameter", "-e", "imf.subject"],
                             check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            _, cmds, params, subject = line.split("\t")
            packets += 1
            cmds = cmds.split("\x1f") if cmds else []
            params = params.split("\x1f") if params else []
            for cmd in cmds:
                commands[cmd] += 1
            for cmd, p in zip(cmds, params):
                m = re.match(r"(?i)FROM:\s*<([^>]*)>", p) if cmd.upper() == "MAIL" else None
                if m:
                    senders[m.group(1)] += 1
            if subject:
                for s in subject.split("\x1f"):
                    subjects[s] += 1
    return {"commands": dict(sorted(commands.items())), "senders": dict(sorted(senders.items())),
            "subjects": dict(sorted(subjects.items())), "packets": packets}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dissect", required=True)
    ap.add_argument("--engine", default="local")
    ap.add_argument("--python", default=sys.executable)
    a = ap.parse_args()
    run = subprocess.run([a.python, os.path.join(HERE, "smtp_job.py"), "--dissect", a.dissect, "--engine", a.engine,
                          "--splits", "3", "--master", "local[2]"] + CAPTURES, capture_output=True, text=True)
    if run.returncode != 0:
        print(run.stderr, file=sys.stderr)
        return 1
    got = json.loads(run.stdout)
    want = truth(a.dissect)
    ok = True
    for k in want:
        if got[k] != want[k]:
            ok = False
            print(f"{k}: pipeline {got[k]} != whole captures {want[k]}", file=sys.stderr)
    if got["splits"] < len(CAPTURES):
        ok = False
        print(f"only {got['splits']} splits for {len(CAPTURES)} captures", file=sys.stderr)
    print(f"{a.engine}: {'PASS' if ok else 'FAIL'}: {got['packets']} packets in {got['splits']} splits, "
          f"{sum(got['commands'].values())} SMTP commands, {len(got['subjects'])} subjects")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
