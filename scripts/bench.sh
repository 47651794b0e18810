#!/usr/bin/env bash
# make bench: see scripts/bench.py (15–20 minutes on a 2-core machine). Extra arguments go to
# it (e.g. --runs 5, --no-big, --scenarios a,d). Updates the generated table in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/bench.py --write BENCHMARKS.md "$@"
