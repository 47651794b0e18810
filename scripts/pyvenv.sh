#!/bin/sh
# pyvenv.sh PACKAGE... — prints the path of a Python interpreter that has PACKAGEs installed.
# The virtual environment lives in $DISSECT_PYVENV (default: .build/pyvenv in the repository, so a
# clean clone starts fresh and `git clean` removes it). Exit 3 when the packages cannot be
# installed (no network / PyPI unreachable): callers skip with a visible message.
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
venv=${DISSECT_PYVENV:-$here/.build/pyvenv}
if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv" >&2 || exit 3
fi
missing=""
for p in "$@"; do
  # A pinned requirement (pyshark==0.6) is checked by its module name and version.
  mod=${p%%[=<>]*}
  want=${p#"$mod"}; want=${want#==}
  "$venv/bin/python" -c "import importlib.util,importlib.metadata as m,sys; sys.exit(importlib.util.find_spec('$mod') is None or ('$want' != '' and m.version('$mod') != '$want'))" 2>/dev/null || missing="$missing $p"
done
if [ -n "$missing" ]; then
  timeout 300 "$venv/bin/pip" install -q --disable-pip-version-check $missing >&2 || exit 3
fi
echo "$venv/bin/python"
