#!/usr/bin/env python3
"""Scale-out: dissect many captures (or one big one, split by conversation) in parallel with
`dissect -T ek`, load the packets into a DataFrame and query the SMTP and IMF fields.

    smtp_job.py --dissect BIN [--engine spark|local] [--splits N] [--master local[*]] CAPTURE...

* Each capture is split by `split_by_flow.py` into N pcap files that each hold whole
  conversations (so TCP reassembly and SMTP state work inside a split), on the driver.
* Executors run `dissect -r SPLIT -T ek --no-duplicate-keys` (tshark 4.0's EK repeats a key when
  a field occurs under two parents, e.g. the Subject of an attached message; the option merges
  them into an array), keep the Elasticsearch documents (every other line), and normalise the
  mail layers (`smtp`, `imf`, `imap`): every value becomes a list, because EK writes a field
  once as a string and, when repeated (pipelined commands), as an array.
* The driver loads the documents with `spark.read.json` and runs the queries below with
  DataFrame operations. `--engine local` runs the same functions with a process pool instead
  of Spark (the CI smoke pass; no Java or pyspark needed).

Prints one JSON object: command counts, senders, subjects, and per-split packet counts.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MAIL_LAYERS = ("smtp", "imf", "imap")


def split(capture, n, outdir):
    out = subprocess.run([sys.executable, os.path.join(HERE, "split_by_flow.py"), capture, str(n), outdir],
                         check=True, capture_output=True, text=True).stdout
    return [l for l in out.splitlines() if l]


def flatten(layer, name):
    """One object of lists for a mail layer: its own fields, then those of the same protocol
    nested inside it (a message/rfc822 attachment is IMF inside MIME inside IMF)."""
    out = {}

    def walk(obj, top):
        if isinstance(obj, list):
            for o in obj:
                walk(o, top)
            return
        if not isinstance(obj, dict):
            return
        for k, v in obj.items():
            if isinstance(v, (dict, list)) and (k == name or any(isinstance(x, dict) for x in (v if isinstance(v, list) else [v]))):
                walk(v, False)
            elif top or k.startswith(name + "_"):
                out.setdefault(k, []).extend(v if isinstance(v, list) else [v])

    walk(layer, True)
    return out


def dissect_split(job):
    """Runs on an executor: the normalised EK documents of one split, as JSON strings."""
    binary, path = job
    lines = subprocess.run([binary, "-r", path, "-T", "ek", "--no-duplicate-keys"], check=True, capture_output=True,
                           text=True).stdout.splitlines()
    docs = []
    for line in lines[1::2]:
        doc = json.loads(line)
        layers = doc.get("layers", {})
        for name in MAIL_LAYERS:
            if isinstance(layers.get(name), (dict, list)):
                layers[name] = flatten(layers[name], name)
        doc["split"] = os.path.basename(path)
        docs.append(json.dumps(doc))
    return docs


SENDER = re.compile(r"(?i)FROM:\s*<([^>]*)>")


def summarise_local(docs):
    commands, senders, subjects, splits = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    for d in map(json.loads, docs):
        splits[d["split"]] += 1
        smtp = d["layers"].get("smtp", {})
        cmds = smtp.get("smtp_smtp_req_command", [])
        params = smtp.get("smtp_smtp_req_parameter", [])
        for c in cmds:
            commands[c] += 1
        for c, p in zip(cmds, params):
            m = SENDER.match(p) if c.upper() == "MAIL" else None
            if m:
                senders[m.group(1)] += 1
        for s in d["layers"].get("imf", {}).get("imf_imf_subject", []):
            subjects[s] += 1
    return commands, senders, subjects, splits


def summarise_spark(docs_rdd, spark):
    from pyspark.sql import functions as F
    df = spark.read.json(docs_rdd).cache()
    smtp = df.select("split", F.col("layers.smtp.smtp_smtp_req_command").alias("cmd"),
                     F.col("layers.smtp.smtp_smtp_req_parameter").alias("param"))
    cmds = smtp.select(F.explode_outer("cmd").alias("c")).where(F.col("c").isNotNull())
    commands = {r["c"]: r["count"] for r in cmds.groupBy("c").count().collect()}
    pairs = smtp.where(F.col("cmd").isNotNull()).select(
        F.explode(F.arrays_zip("cmd", "param")).alias("p")).select(
        F.col("p.cmd").alias("c"), F.col("p.param").alias("param"))
    mail = pairs.where(F.upper("c") == "MAIL").select(
        F.regexp_extract("param", r"(?i)FROM:\s*<([^>]*)>", 1).alias("sender")).where(F.col("sender") != "")
    senders = {r["sender"]: r["count"] for r in mail.groupBy("sender").count().collect()}
    subj = df.select(F.explode_outer("layers.imf.imf_imf_subject").alias("s")).where(F.col("s").isNotNull())
    subjects = {r["s"]: r["count"] for r in subj.groupBy("s").count().collect()}
    splits = {r["split"]: r["count"] for r in df.groupBy("split").count().collect()}
    return commands, senders, subjects, splits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dissect", required=True)
    ap.add_argument("--engine", choices=["spark", "local"], default="spark")
    ap.add_argument("--splits", type=int, default=4)
    ap.add_argument("--master", default="local[*]")
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    binary = os.path.abspath(a.dissect)
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []
        for i, c in enumerate(a.captures):
            jobs += [(binary, p) for p in split(c, a.splits, os.path.join(tmp, str(i)))]
        if a.engine == "spark":
            from pyspark.sql import SparkSession
            spark = (SparkSession.builder.master(a.master).appName("dissect-smtp")
                     .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                     .getOrCreate())
            spark.sparkContext.setLogLevel("ERROR")
            rdd = spark.sparkContext.parallelize(jobs, len(jobs)).flatMap(dissect_split).cache()
            commands, senders, subjects, splits = summarise_spark(rdd, spark)
            spark.stop()
        else:
            from multiprocessing import Pool
            with Pool() as pool:
                docs = [d for part in pool.map(dissect_split, jobs) for d in part]
            commands, senders, subjects, splits = summarise_local(docs)
    json.dump({"commands": dict(sorted(commands.items())), "senders": dict(sorted(senders.items())),
               "subjects": dict(sorted(subjects.items())), "packets": sum(splits.values()),
               "splits": len(splits)}, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
