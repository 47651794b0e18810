#!/usr/bin/env bash
# make bench: see scripts/bench.py. Extra arguments go to it (e.g. --packets 1000000 --runs 5).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/bench.py --write BENCHMARKS.md "$@"
