#!/bin/bash
# The systemd plugin on a machine without libsystemd: it still loads, and
# `ductor plugins` shows it unavailable with the reason (never a load error).
#
# usage: without_libsystemd.sh DUCTOR PLUGIN_DIR
#
# As root it re-executes itself in a private mount namespace, hides
# libsystemd.so.0 there (/dev/null bound over it) and makes the machine look
# like a systemd boot with a user manager (/run/systemd/system and the
# manager's socket path exist), so that the library is the only thing missing.
set -u

skip() {
    if [ "${CI:-}" = "true" ]; then
        echo "FAILED: CI=true and the test cannot run: $1"
        exit 1
    fi
    echo "SKIPPED: $1"
    exit 77
}
fail() { echo "FAILED: $1"; exit 1; }

[ $# -eq 2 ] || { echo "usage: $0 DUCTOR PLUGIN_DIR" >&2; exit 2; }
DUCTOR=$1 PLUGIN_DIR=$2

if [ -z "${DUCTOR_NOLIB_IN_NAMESPACE:-}" ]; then
    [ "$(id -u)" = 0 ] || skip "needs root to hide libsystemd in a mount namespace"
    unshare -m --propagation private true 2>/dev/null || skip "unshare -m is not permitted here"
    DUCTOR_NOLIB_IN_NAMESPACE=1 exec unshare -m --propagation private "$0" "$@"
fi

if command -v readelf >/dev/null; then
    readelf -d "$PLUGIN_DIR/systemd.so" | grep -q 'NEEDED.*libsystemd' &&
        fail "systemd.so links libsystemd; it must open it at run time"
    echo "ok   systemd.so does not link libsystemd"
fi

library=$(ldconfig -p | sed -n 's/^[[:space:]]*libsystemd\.so\.0 (libc6,x86-64) => //p' | head -n 1)
[ -n "$library" ] || library=$(ldconfig -p | sed -n 's/^[[:space:]]*libsystemd\.so\.0 .* => //p' | head -n 1)
if [ -n "$library" ]; then
    mount --bind /dev/null "$(readlink -f "$library")" || fail "cannot hide $library"
    echo "ok   $library is hidden"
fi

WORK=$(mktemp -d /tmp/ductor-nolib.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mount -t tmpfs -o mode=0755 tmpfs /run/systemd || fail "cannot mount tmpfs on /run/systemd"
mkdir -p /run/systemd/system "$WORK/runtime/systemd" "$WORK/home"
touch "$WORK/runtime/systemd/private"
export XDG_RUNTIME_DIR="$WORK/runtime" HOME="$WORK/home" DUCTOR_HOME="$WORK/home/.ductor"

out=$("$DUCTOR" --plugin-dir "$PLUGIN_DIR" plugins 2>&1)
echo "$out"
entry=$(echo "$out" | sed -n '/systemd 0/,/^  [^ ]/p')
echo "$entry" | grep -q 'unavailable' || fail "the systemd plugin is not listed as unavailable"
echo "$entry" | grep -q 'libsystemd.so.0' || fail "the reason does not name libsystemd.so.0"
echo "$out" | grep -qi 'failed to load\|cannot load plugin\|not a plugin' && fail "a load error instead of a reason"
echo "ok   the systemd plugin loads and says it is unavailable because libsystemd.so.0 is missing"

status=$("$DUCTOR" --plugin-dir "$PLUGIN_DIR" --backend systemd service status --name bot 2>&1)
code=$?
echo "$status"
[ "$code" = 5 ] || fail "status with --backend systemd exits $code, not 5 (no usable backend)"
echo "$status" | grep -q 'libsystemd.so.0' || fail "status does not say why the backend is unusable"
echo "ok   --backend systemd exits 5 with the reason"
