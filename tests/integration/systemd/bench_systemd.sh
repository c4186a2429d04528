#!/bin/bash
# Benchmark of the systemd backend against systemctl and journalctl, inside
# the private `systemd --user` the real-manager test uses (private_manager.sh;
# needs root). Prints medians, ratios and peak RSS; never fails on timing.
#
# usage: bench_systemd.sh DUCTOR PLUGIN_DIR [ROUNDS]   (ROUNDS: 30 by default)
set -u

[ $# -ge 2 ] || { echo "usage: $0 DUCTOR PLUGIN_DIR [ROUNDS]" >&2; exit 2; }
DUCTOR=$1 PLUGIN_DIR=$2 ROUNDS=${3:-30}
command -v python3 >/dev/null || { echo "SKIPPED: python3 is not installed"; exit 77; }

. "$(dirname "$0")/private_manager.sh"

DUCTOR=$(for_user "$DUCTOR") || fail "cannot copy $DUCTOR where the test user can reach it"
PLUGIN_DIR=$(for_user "$PLUGIN_DIR") || fail "cannot copy $PLUGIN_DIR where the test user can reach it"
SCRIPT=$(for_user "$(dirname "$0")/bench_systemd.py") || fail "cannot copy bench_systemd.py where the test user can reach it"

"${AS_USER[@]}" python3 "$SCRIPT" "$DUCTOR" "$PLUGIN_DIR" "$ROUNDS"
