#!/usr/bin/env bash
# make check-clients: termshark (a Debian package) runs our `tshark` link, in tmux, on a seed capture.
#
# termshark runs the `tshark` its config names (~/.config/termshark/termshark.toml, [main] tshark),
# else the one on $PATH. This installs dissect with its links into a scratch prefix (make install-bin),
# points termshark's config at a logging wrapper around that `tshark`, puts poisoned tshark, dumpcap
# and capinfos first on $PATH (a fall-back to another binary fails the check), starts termshark in a
# detached tmux session and reads the screen with capture-pane: first the packet list, then frame 4's
# detail tree with its SMTP layer opened, then the list under a display filter. Prints the screens, the tshark command lines termshark ran,
# and "N passed, M failed". Not part of `make test`: the termshark package depends on Debian's tshark.
#
# usage: scripts/check_termshark.sh [BIN]   (default .build/release/dissect)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/.build/release/dissect}
capture=$here/Tests/Fixtures/Mail/smtp_client_to_server.pcapng
[ -x "$bin" ] || { echo "check_termshark: $bin not built" >&2; exit 2; }

missing=""
command -v termshark >/dev/null || missing="$missing termshark"
command -v tmux >/dev/null || missing="$missing tmux"
if [ -n "$missing" ]; then
  echo "installing:$missing"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null \
    || { echo "check_termshark: could not install$missing" >&2; exit 2; }
fi

work=$(mktemp -d /tmp/dissect-termshark.XXXXXX)
session=dissect-termshark-$$
cleanup() { tmux kill-session -t "$session" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

make -s -C "$here" install-bin BIN="$bin" PREFIX="$work/prefix" >/dev/null || exit 2
mkdir -p "$work/wrap" "$work/poison" "$work/home/.config/termshark"
log=$work/invocations.log
marker=$work/POISONED
cat > "$work/wrap/tshark" <<EOF
#!/bin/sh
printf '%s\n' "tshark \$*" >> '$log'
exec '$work/prefix/bin/tshark' "\$@"
EOF
for name in tshark dumpcap capinfos; do
  printf '#!/bin/sh\necho "$0 $*" >> %s\necho "check_termshark: termshark ran %s from PATH" >&2\nexit 97\n' "'$marker'" "$name" \
    > "$work/poison/$name"
done
chmod +x "$work/wrap/tshark" "$work/poison/"*
cat > "$work/home/.config/termshark/termshark.toml" <<EOF
[main]
  tshark = "$work/wrap/tshark"
EOF

# Waits up to $2 seconds for the screen to contain $1 (a fixed string); leaves it in $work/screen.txt.
wait_for() {
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    tmux capture-pane -t "$session" -p > "$work/screen.txt" 2>/dev/null
    grep -qF -- "$1" "$work/screen.txt" && return 0
    sleep 0.3
  done
  return 1
}

passed=0 failed=0
check() { # description, then a command that succeeds
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $what"; else failed=$((failed + 1)); echo "FAIL $what"; fi
}

tmux new-session -d -s "$session" -x 200 -y 50 \
  "env HOME='$work/home' XDG_CONFIG_HOME='$work/home/.config' XDG_CACHE_HOME='$work/home/.cache' PATH='$work/poison:$PATH' TERM=xterm-256color termshark -r '$capture'; sleep 60"

wait_for "S: 354 End data with" 60
cp "$work/screen.txt" "$work/list.txt"
echo "== termshark: packet list =="
cat "$work/list.txt"
check "packet list shows tshark's column titles" grep -qE "No\. - +Time - +Source - +Dest - +Proto - +Length - +Info -" "$work/list.txt"
check "packet list row 1: the SYN" grep -qE "^ 1 +0\.000000000 +127\.16\.16\.225 +127\.16\.16\.221 +TCP +74 +60743 → 25 \[SYN\] Seq=0" "$work/list.txt"
check "packet list row 4: the SMTP greeting" grep -qE "^ 4 +0\.000598607 +127\.16\.16\.221 +127\.16\.16\.225 +SMTP +118 +S: 220 mail01\.skynet\.local ESMTP Postfix \(Debian/GNU\)" "$work/list.txt"
check "packet list row 9: MAIL FROM" grep -qF "C: MAIL FROM:<sanders@skynet.local> BODY=8BITMIME SIZE=612" "$work/list.txt"

# Frame 4 in the list, then into the detail tree, down to its SMTP layer, and open it.
tmux send-keys -t "$session" Down Down Down
wait_for "[+] Frame 4: 118 bytes on wire" 20
tmux send-keys -t "$session" Tab
sleep 0.5
tmux send-keys -t "$session" Down Down Down Down
sleep 0.5
tmux send-keys -t "$session" Right
wait_for "Response: 220 mail01" 20
cp "$work/screen.txt" "$work/tree.txt"
echo "== termshark: frame 4, SMTP opened =="
cat "$work/tree.txt"
check "detail tree: frame 4's layers" grep -qF "[+] Transmission Control Protocol, Src Port: 25, Dst Port: 60743, Seq: 1, Ack: 1, Len: 52" "$work/tree.txt"
check "detail tree: SMTP opened, its response line" grep -qF '  [+] Response: 220 mail01.skynet.local ESMTP Postfix (Debian/GNU)\r\n' "$work/tree.txt"
check "bytes pane: frame 4's first row" grep -qF " 0000   00 00 00 00 00 00 00 00  00 00 00 00 08 00 45 00   ........ ......E." "$work/tree.txt"
# A display filter: termshark validates it (`-Y F -r empty.pcap`), then reloads list and tree.
tmux send-keys -t "$session" "/"
sleep 0.5
tmux send-keys -t "$session" -l 'smtp.req.command == "MAIL"'
sleep 1
tmux send-keys -t "$session" Enter
wait_for "[+] Frame 9: 123 bytes on wire" 20
cp "$work/screen.txt" "$work/filtered.txt"
echo "== termshark: display filter smtp.req.command == \"MAIL\" =="
head -12 "$work/filtered.txt"
check "filtered list: only frame 9" test "$(grep -cE '^ [0-9]+ +[0-9]+\.[0-9]{9} ' "$work/filtered.txt")" = 1
check "filtered list: frame 9 is MAIL FROM" grep -qE "^ 9 +0\.001097657 +127\.16\.16\.225 .*C: MAIL FROM:<sanders@skynet.local>" "$work/filtered.txt"

check "termshark ran no tshark, dumpcap or capinfos from PATH" test ! -e "$marker"
check "termshark ran our tshark" test -s "$log"

echo "== tshark command lines termshark ran =="
sed "s|$work|\$WORK|g; s|$here/||g" "$log" | sort -u
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
