#!/usr/bin/env python3
"""pyshark (PyPI) reading capture files through a `tshark`: what it sees, stored and compared.

pyshark runs `dirname(tshark_path)/tshark` (and, if that does not exist, the first `tshark` on
$PATH). This script reads captures with pyshark's FileCapture in several modes (PDML, JSON,
JSON with raw bytes, EK, summaries, display filters), turns every packet into plain data (layer
names, every field with the attributes pyshark exposes) and either stores that as a fixture or
compares it with one.

    pyshark_compare.py record --tshark /usr/bin/tshark --out DIR --modes json,ek CAPTURE...
    pyshark_compare.py check  --tshark PREFIX/bin/tshark --fixtures DIR --captures DIR

Fixtures are `DIR/<capture>.<mode>.json.gz` (one packet per line). `check` compares every
fixture in DIR with what pyshark reads now; each differing value has a place (its path with the
packet and list positions left out: `$[*].details[*].fields.len[*][*]`). A fixture fails when a
place has more differences than `DIR/baseline.tsv` allows (none unless listed): the baseline
holds what protocol dissectors still get wrong (their own issues), and may only go down
(`--write-baseline` rewrites it). Running a binary other than ours fails whatever the counts.

`check` gives pyshark the `tshark` link as is and puts a poisoned `tshark` first on $PATH (it
fails loudly and leaves a marker), so a silent fall-back to another binary is caught. With
--trace it points pyshark at a logging wrapper instead (which runs the link) and prints the
command lines pyshark ran (docs/CLIENTS.md records them).

Exit status: 0 when nothing got worse, 1 otherwise, 2 on a usage or setup error. The last line
is "N passed, M failed".
"""
import argparse
import glob
import gzip
import json
import os
import re
import shlex
import stat
import sys
import tempfile

import pyshark
from pyshark.packet.fields import LayerFieldsContainer
from pyshark.packet.layers.ek_layer import EkMultiField
from pyshark.packet.layers.json_layer import JsonLayer

# The FileCapture configurations, by name.
MODES = {
    "pdml": {},
    "pdml_filter": {"display_filter": "smtp || imap"},
    "json": {"use_json": True},
    "json_raw": {"use_json": True, "include_raw": True},
    "json_filter": {"use_json": True, "display_filter": "smtp.req || imap.request"},
    "ek": {"use_ek": True},
    "summaries": {"only_summaries": True},
}

PDML_ATTRIBUTES = ("name", "showname", "show", "raw_value", "pos", "size", "hide", "unmaskedvalue")


def field_data(value):
    """Plain data for what `layer.get_field(name)` returns, in every layer flavour."""
    if isinstance(value, JsonLayer):
        return layer_data(value)
    if isinstance(value, EkMultiField):
        return {"value": field_data(value.value),
                "subfields": {n: field_data(value.get_field(n)) for n in sorted(value.subfields)}}
    if isinstance(value, LayerFieldsContainer):
        # JSON/EK fields carry only a value; PDML fields all of <field>'s attributes (positional,
        # to keep the fixtures small).
        return [f.raw_value if f.showname is None and f.show is None
                else [getattr(f, k, None) for k in PDML_ATTRIBUTES]
                for f in value.all_fields]
    if isinstance(value, list):
        return [field_data(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


def layer_data(layer):
    out = {"layer": layer.layer_name,
           "fields": {n: field_data(layer.get_field(n)) for n in sorted(layer.field_names)}}
    if isinstance(layer, JsonLayer):
        if layer.duplicate_layers:
            out["duplicates"] = [layer_data(d) for d in layer.duplicate_layers]
        if not layer._all_fields and getattr(layer, "value", None) is not None:
            out["value"] = layer.value
    return out


def packet_data(pkt, mode):
    if mode == "summaries":
        return {k: v for k, v in sorted(vars(pkt).items()) if not k.startswith("_")}
    data = {
        "number": pkt.number,
        "length": pkt.length,
        "sniff_timestamp": pkt.sniff_timestamp,
        "highest_layer": pkt.highest_layer,
        "transport_layer": pkt.transport_layer,
        "layers": [l.layer_name for l in pkt.layers],
        "details": [layer_data(l) for l in pkt.layers],
    }
    if mode == "json_raw":
        data["raw_packet"] = pkt.get_raw_packet().hex()
    return data


def read(capture, mode, tshark):
    """The packets as data. When pyshark itself fails on tshark's output (its EK layer cannot
    take a JSON null, for one), that failure is what is recorded and must be reproduced."""
    cap = pyshark.FileCapture(capture, tshark_path=tshark, **MODES[mode])
    try:
        return [packet_data(p, mode) for p in cap]
    except (TypeError, KeyError, AttributeError, ValueError) as e:
        return {"pyshark_error": f"{type(e).__name__}: {e}"}
    finally:
        try:
            cap.close()
        except Exception:
            pass


def dumps(packets):
    """One packet per line, keys sorted: small diffs when a fixture is recorded again."""
    if not isinstance(packets, list):
        return json.dumps(packets, sort_keys=True, ensure_ascii=False) + "\n"
    lines = [json.dumps(p, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for p in packets]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def differences(a, b, path="$"):
    """Every place two data trees differ: (path, expected, got)."""
    if type(a) is not type(b):
        yield path, a, b
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                yield f"{path}.{k}", a.get(k, "<missing>"), b.get(k, "<missing>")
            else:
                yield from differences(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, f"{path}[{i}]")
        if len(a) != len(b):
            yield f"{path}.length", len(a), len(b)
    elif a != b:
        yield path, a, b


def pattern_of(path):
    """A difference's path with packet and list positions left out ("$[*].details[*]…")."""
    return re.sub(r"\[\d+\]", "[*]", path)


def short(v, n=240):
    s = json.dumps(v, ensure_ascii=False, sort_keys=True)
    return s if len(s) <= n else s[:n] + "…"


def write_executable(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def guarded_environment(tshark, work, trace):
    """A poisoned `tshark` first on PATH and, with `trace`, a logging wrapper around ours.
    Returns the path to give pyshark, the poison's marker file and the log file."""
    poison_dir = os.path.join(work, "poison")
    os.makedirs(poison_dir)
    marker = os.path.join(work, "POISONED")
    write_executable(os.path.join(poison_dir, "tshark"),
                     "#!/bin/sh\n"
                     f"echo \"$0 $*\" >> {shlex.quote(marker)}\n"
                     "echo 'pyshark_compare: pyshark ran the tshark on $PATH, not ours' >&2\n"
                     "exit 97\n")
    os.environ["PATH"] = poison_dir + os.pathsep + os.environ.get("PATH", "")
    log = os.path.join(work, "invocations.log")
    if not trace:
        return tshark, marker, log
    # pyshark runs dirname(tshark_path)/tshark: the wrapper is that file.
    wrap_dir = os.path.join(work, "bin")
    os.makedirs(wrap_dir)
    write_executable(os.path.join(wrap_dir, "tshark"),
                     "#!/bin/sh\n"
                     f"printf '%s\\n' \"tshark $*\" >> {shlex.quote(log)}\n"
                     f"exec {shlex.quote(tshark)} \"$@\"\n")
    return os.path.join(wrap_dir, "tshark"), marker, log


def read_baseline(path):
    """{(fixture, place): differences allowed}"""
    allowed = {}
    if os.path.exists(path):
        for line in open(path):
            if line.strip() and not line.startswith("#"):
                name, place, count = line.rstrip("\n").split("\t")[:3]
                allowed[(name, place)] = int(count)
    return allowed


def record(args):
    os.makedirs(args.out, exist_ok=True)
    for capture in args.captures:
        base = os.path.basename(capture).rsplit(".", 1)[0]
        for mode in args.modes.split(","):
            packets = read(capture, mode, args.tshark)
            name = f"{base}.{mode}.json.gz"
            # mtime=0: the same content gives the same bytes.
            with open(os.path.join(args.out, name), "wb") as raw, \
                    gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
                f.write(dumps(packets).encode())
            print(f"recorded {name}: {len(packets)} packets")
    return 0


def check(args):
    fixtures = sorted(f for f in glob.glob(os.path.join(args.fixtures, "*.json.gz")) if args.only in os.path.basename(f))
    if not fixtures:
        print(f"pyshark_compare: no fixtures in {args.fixtures}", file=sys.stderr)
        return 2
    baseline_path = os.path.join(args.fixtures, "baseline.tsv")
    allowed = read_baseline(baseline_path)
    counts = {}
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="pyshark-compare-") as work:
        tshark, marker, log = guarded_environment(args.tshark, work, args.trace)
        for path in fixtures:
            name = os.path.basename(path)[:-len(".json.gz")]
            base, mode = name.rsplit(".", 1)
            captures = [c for c in glob.glob(os.path.join(args.captures, base + ".*")) if c.endswith((".pcap", ".pcapng"))]
            if mode not in MODES or len(captures) != 1:
                print(f"FAIL {name}: no capture {base}.pcap(ng) in {args.captures} or unknown mode")
                failed += 1
                continue
            with gzip.open(path, "rt") as f:
                expected = json.load(f)
            try:
                got = json.loads(dumps(read(captures[0], mode, tshark)))
            except Exception as e:  # pyshark raises when tshark fails: a failure, whatever the baseline
                print(f"FAIL {name}: pyshark raised {type(e).__name__}: {str(e)[:400]}")
                failed += 1
                continue
            groups = {}
            for d in differences(expected, got):
                groups.setdefault(pattern_of(d[0]), []).append(d)
            for place, ds in groups.items():
                counts[(name, place)] = len(ds)
            worse = {p: ds for p, ds in groups.items() if len(ds) > allowed.get((name, p), 0)}
            known = sum(len(ds) for ds in groups.values())
            limit = sum(n for (f, _), n in allowed.items() if f == name)
            packets = len(got) if isinstance(got, list) else "pyshark error,"
            if worse:
                failed += 1
                print(f"FAIL {name}: {packets} packets, new differences in {len(worse)} places:")
            else:
                passed += 1
                note = f" ({known} known differences)" if known else ""
                better = f"; {limit - known} fewer than the baseline: run with --write-baseline" if known < limit else ""
                print(f"ok   {name}: {packets} packets{note}{better}")
            for place, ds in sorted((worse if not args.verbose else groups).items()):
                where, want, have = ds[0]
                print(f"     {place}: {len(ds)} (baseline {allowed.get((name, place), 0)}), first at {where}\n"
                      f"       tshark: {short(want)}\n       ours:   {short(have)}")
        if os.path.exists(marker):
            print("FAIL pyshark ran a tshark from $PATH instead of ours:\n" + open(marker).read())
            failed += 1
        else:
            print(f"pyshark ran {args.tshark} (-> {os.path.realpath(args.tshark)}) and no other tshark")
        if args.trace:
            invocations = open(log).read().splitlines() if os.path.exists(log) else []
            print(f"pyshark's command lines ({len(invocations)} runs; distinct ones):")
            for line in sorted(set(invocations)):
                print("  " + line)
    if args.write_baseline:
        with open(baseline_path, "w") as f:
            f.write("# What pyshark still reads differently through dissect than through tshark 4.0.17, by\n"
                    "# fixture and place (scripts/pyshark_compare.py; may only go down).\n"
                    "# fixture\tplace\tdifferences\n")
            for (name, place), n in sorted(counts.items()):
                f.write(f"{name}\t{place}\t{n}\n")
        print(f"wrote {baseline_path}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["record", "check"])
    ap.add_argument("--tshark", required=True, help="the tshark pyshark is pointed at")
    ap.add_argument("--out", help="record: fixture directory")
    ap.add_argument("--modes", default=",".join(MODES), help="record: comma-separated modes")
    ap.add_argument("--fixtures", help="check: fixture directory")
    ap.add_argument("--captures", help="check: directory of the captures the fixtures name")
    ap.add_argument("--trace", action="store_true", help="check: log and print pyshark's command lines")
    ap.add_argument("--verbose", action="store_true", help="check: show known differences too")
    ap.add_argument("--only", default="", help="check: only fixtures whose name contains this")
    ap.add_argument("--write-baseline", action="store_true", help="check: store the current difference counts")
    ap.add_argument("captures_to_record", nargs="*", metavar="CAPTURE")
    args = ap.parse_intermixed_args()
    if not os.path.exists(args.tshark):
        print(f"pyshark_compare: {args.tshark} does not exist", file=sys.stderr)
        return 2
    # pyshark caches `tshark -G elastic-mapping` per tshark version in the user's cache: a run must
    # ask the tshark under test, not find what another tshark of the same version said.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="pyshark-cache-")
    if args.action == "record":
        if not args.out or not args.captures_to_record:
            ap.error("record needs --out and captures")
        args.captures = args.captures_to_record
        return record(args)
    if not args.fixtures or not args.captures:
        ap.error("check needs --fixtures and --captures")
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
