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

"${AS_USER[@]}" python3 "$(dirname "$0")/bench_systemd.py" "$DUCTOR" "$PLUGIN_DIR" "$ROUNDS"
