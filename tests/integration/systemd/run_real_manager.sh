#!/bin/bash
# Runs the lifecycle driver against a real systemd --user manager.
#
# usage: run_real_manager.sh DUCTOR PLUGIN_DIR PROBE LIFECYCLE
#
# As root it builds a private manager (see private_manager.sh) and runs the
# driver as that manager's user; the driver runs the built ductor binary.
set -u

[ $# -eq 4 ] || { echo "usage: $0 DUCTOR PLUGIN_DIR PROBE LIFECYCLE" >&2; exit 2; }
DUCTOR=$1 PLUGIN_DIR=$2 PROBE=$3 LIFECYCLE=$4

. "$(dirname "$0")/private_manager.sh"

timeout 180 "${AS_USER[@]}" "$LIFECYCLE" "$DUCTOR" "$PLUGIN_DIR" "$PROBE" "$PROBE_DIR"
