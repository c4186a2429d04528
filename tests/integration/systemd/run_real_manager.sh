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

DUCTOR=$(for_user "$DUCTOR") || fail "cannot copy $DUCTOR where the test user can reach it"
PLUGIN_DIR=$(for_user "$PLUGIN_DIR") || fail "cannot copy $PLUGIN_DIR where the test user can reach it"
PROBE=$(for_user "$PROBE") || fail "cannot copy $PROBE where the test user can reach it"
LIFECYCLE=$(for_user "$LIFECYCLE") || fail "cannot copy $LIFECYCLE where the test user can reach it"

timeout 180 "${AS_USER[@]}" "$LIFECYCLE" "$DUCTOR" "$PLUGIN_DIR" "$PROBE" "$PROBE_DIR"
