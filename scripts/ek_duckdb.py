#!/usr/bin/env python3
"""Loads `dissect -T ek` output into DuckDB (a real analytics engine) and queries SMTP fields.

The Elasticsearch bulk format alternates an index line and a document line; the documents are
what a search engine stores. This script keeps the documents, loads them into a DuckDB table and
prints one JSON object with the results of a few queries an analyst would run. Used by DissectCLITests.EKConsumerTests and
`make check-ek`.

usage: ek_duckdb.py --dissect BIN --capture FILE
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import duckdb


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dissect", required=True)
    ap.add_argument("--capture", required=True)
    args = ap.parse_args()

    ek = subprocess.run([args.dissect, "-r", args.capture, "-T", "ek"], check=True,
                        capture_output=True, text=True).stdout.splitlines()
    index_lines = [l for l in ek[0::2]]
    docs = ek[1::2]
    assert all(json.loads(l).get("index") for l in index_lines), "every other line must be an index action"

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "packets.ndjson")
        with open(path, "w") as f:
            f.write("\n".join(docs) + "\n")
        con = duckdb.connect()
        # Like tshark 4.0, `-T ek` flattens each protocol, so a field that occurs under two
        # parents (two addresses in an IMF header) repeats its key; DuckDB's JSON functions take
        # such objects as they are (the first value of a repeated key wins).
        con.execute(f"CREATE TABLE packets AS SELECT json AS doc FROM read_ndjson_objects('{path}')")

        def col(path_: str) -> str:
            return f"json_extract_string(doc, '$.layers.{path_}')"

        def rows(sql: str) -> list:
            return con.execute(sql).fetchall()

        frame = f"CAST({col('frame.frame_frame_number')} AS INTEGER)"
        result = {
            "documents": rows("SELECT count(*) FROM packets")[0][0],
            "smtp_commands": [r[0] for r in rows(
                f"SELECT {col('smtp.smtp_smtp_req_command')} AS c FROM packets WHERE c IS NOT NULL ORDER BY {frame}")],
            "mail_from": [r[0] for r in rows(
                f"SELECT {col('smtp.smtp_smtp_req_parameter')} FROM packets "
                f"WHERE {col('smtp.smtp_smtp_req_command')} = 'MAIL'")],
            "response_codes": [[r[0], r[1]] for r in rows(
                f"SELECT CAST({col('smtp.smtp_smtp_response_code')} AS INTEGER) AS code, count(*) FROM packets "
                "WHERE code IS NOT NULL GROUP BY code ORDER BY code")],
            "subjects": [r[0] for r in rows(
                f"SELECT {col('imf.imf_imf_subject')} AS s FROM packets WHERE s IS NOT NULL")],
            "bytes_by_stream": [[r[0], int(r[1])] for r in rows(
                f"SELECT CAST({col('tcp.tcp_tcp_stream')} AS INTEGER) AS s, "
                f"sum(CAST({col('frame.frame_frame_len')} AS INTEGER)) FROM packets GROUP BY s ORDER BY s")],
        }
    json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
