#!/usr/bin/env bash
# Figures of the standalone backend on this machine (prints numbers; not a test):
# install until the program listens, restart after SIGKILL of the program and of
# the runner (then `ductor boot`), and `ductor boot` with 20 services.
#   tests/bench/bench_standalone.sh [PATH-TO-ductor]
set -euo pipefail
ductor=$(realpath "${1:-build/release/bin/ductor}")
export DUCTOR_HOME=$(mktemp -d) DUCTOR_BACKEND=standalone
trap 'for n in $("$ductor" service list --json | python3 -c "import json,sys;[print(s[\"name\"]) for s in json.load(sys.stdin)]"); do "$ductor" -q service uninstall --name "$n"; done; rm -rf "$DUCTOR_HOME"' EXIT
now() { date +%s.%N; }
ms() { python3 -c "print(f'{($2-$1)*1000:.0f} ms')"; }
listening() { python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$1)))"; }
wait_for() { local until=$(( $(date +%s) + 30 )); until "$@"; do [ "$(date +%s)" -lt $until ] || { echo "timed out: $*"; exit 1; }; sleep 0.01; done; }
pidfield() { sed -n "s/^$2=\([0-9]*\).*/\1/p" "$DUCTOR_HOME/run/$1.pid" 2>/dev/null; }

port=18777
t0=$(now); "$ductor" -q service install --name web -- python3 -m http.server $port --bind 127.0.0.1
wait_for listening $port; t1=$(now)
echo "install until the program listens: $(ms $t0 $t1)"

# The program may listen before its runner has recorded it: wait for the record.
has_child() { [ -n "$(pidfield web child)" ]; }
wait_for has_child
child=$(pidfield web child); t0=$(now); kill -9 "$child"
new_child() { local c; c=$(pidfield web child); [ -n "$c" ] && [ "$c" != "$1" ]; }
wait_for new_child "$child"
wait_for listening $port; t1=$(now)
echo "SIGKILL of the program until it listens again (runner restart, 1 s delay): $(ms $t0 $t1)"

runner=$(pidfield web runner); t0=$(now); kill -9 "$runner"
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status"; }
wait_for gone "$runner"
"$ductor" -q boot; wait_for listening $port; t1=$(now)
echo "SIGKILL of the runner, then 'ductor boot' (ends the orphan, starts anew) until it listens: $(ms $t0 $t1)"

for i in $(seq 1 20); do "$ductor" -q service install --name "s$i" -- sleep 600; done
for i in $(seq 1 20); do "$ductor" -q service stop --name "s$i"; "$ductor" -q service start --name "s$i" >/dev/null; done
killed=()
for i in $(seq 1 20); do killed+=($(pidfield s$i runner) $(pidfield s$i child)); done
kill -9 "${killed[@]}" 2>/dev/null || true
for pid in "${killed[@]}"; do wait_for gone "$pid"; done
t0=$(now); "$ductor" -q boot; t1=$(now)
echo "'ductor boot' starting 20 services: $(ms $t0 $t1)"
t0=$(now); "$ductor" -q boot; t1=$(now)
echo "'ductor boot' with 20 services already running: $(ms $t0 $t1)"
