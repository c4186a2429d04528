#!/usr/bin/env bash
# The runit example plugin as a third-party author ships it, under a real runsvdir:
#   1. installs ductor and its SDK from the build tree into a temp prefix;
#   2. configures and builds examples/runit against that prefix only, and runs its
#      own tests (the SDK's contract checks over the backend, with the fake Host);
#   3. starts runsvdir for a test user (root: a user of its own through setpriv;
#      otherwise the invoking user) on that user's ~/.config/ductor/runit/service;
#   4. drives the installed ductor with --plugin-dir at the built plugin: install
#      with a hostile argv (the program writes the argv it got; compared byte for
#      byte), status running with a PID, logs with the program's output, SIGKILL
#      of the program and runsv's restart (a new PID), stop that stays stopped,
#      start, and uninstall that leaves nothing behind (runsv's supervise/ too).
# Exit 77 (skipped) only when runit's runsvdir, runsv, sv or svlogd is missing.
# Usage: run_runit.sh <build dir> <examples/runit> <print_argv> <hostile_args>
set -euo pipefail
build_dir=$1
example_dir=$2
print_argv=$3
hostile_args=$4

skip() { echo "SKIPPED: $*"; exit 77; }
fail() {
    echo "FAILED: $*"
    if [ -n "${work:-}" ] && [ -f "$work/runsvdir.out" ]; then
        echo "-- runsvdir's output:"; cat "$work/runsvdir.out"
        echo "-- sv status:"; sv status "$work/home/.ductor/runit/it" 2>&1 || true
        echo "-- the service's log:"; cat "$work/home/.ductor/logs/runit-it/current" 2>&1 || true
    fi
    exit 1
}
for tool in runsvdir runsv sv svlogd; do
    command -v "$tool" >/dev/null || skip "$tool not found (Debian: apt-get install runit)"
done

# shellcheck source=user_runsvdir.sh
source "$(dirname "$0")/user_runsvdir.sh"
work=$(mktemp -d)
cleanup() {
    stop_user_runsvdir
    remove_runit_test_user
    rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds.
wait_until() {
    local seconds=$1 what=$2
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${seconds}s waiting for: $what"
        sleep 0.2
    done
}

echo "== the SDK, installed from the build tree; the example built against it only"
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$example_dir" -B "$work/example" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >/dev/null
cmake --build "$work/example" >/dev/null
plugin_dir="$work/example/plugins"
test -f "$plugin_dir/runit.so" || fail "the example did not build plugins/runit.so"
echo "== the plugin's own tests: the SDK's contract checks over the runit backend (fake Host)"
ctest --test-dir "$work/example" --output-on-failure

# The test user and its home.
home="$work/home"
mkdir -p "$home"
runit_test_user "$home" || exit 1
install -m 755 "$print_argv" "$work/print_argv"
uid=$("${as_user[@]}" id -u)
echo "== runsvdir runs as uid $uid"
run_env=(env -i HOME="$home" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8)
ductor() { "${as_user[@]}" "${run_env[@]}" "$work/prefix/bin/ductor" --plugin-dir "$plugin_dir" "$@"; }
svdir="$home/.config/ductor/runit/service"
service="$home/.ductor/runit/it"
log_dir="$home/.ductor/logs/runit-it"

out=$(ductor plugins)
grep -Eq "runit 1\.0\.0 +ABI [0-9]+\.[0-9]+ +priority 50 +unavailable" <<<"$out" ||
    fail "without runsvdir the runit plugin must be listed as unavailable: $out"
grep -q "no runsvdir of uid $uid watches $svdir" <<<"$out" || fail "the reason names the folder: $out"

start_user_runsvdir "$svdir" "$work/runsvdir.out" "${run_env[@]}"
runit_available() { ductor plugins | grep -Eq "runit 1\.0\.0 +ABI [0-9]+\.[0-9]+ +priority 50 +available"; }
wait_until 10 "ductor plugins to find runsvdir in /proc" runit_available
echo "ok: runit is available once runsvdir watches $svdir (found in /proc, no child process)"

mapfile -d '' hostile < <("$hostile_args" 15)
expected="$work/expected"
printf '%s\0' "${hostile[@]}" >"$expected"
echo "== install with a hostile argv of ${#hostile[@]} arguments"
ductor --backend runit service install --name it --env RUNIT_IT_ARGV_OUT="$home/argv.out" \
    -- "$work/print_argv" "${hostile[@]}"
wait_until 20 "the program to write its argv" test -f "$home/argv.out"
cmp "$expected" "$home/argv.out" || fail "the program got another argv than was installed"
echo "ok: the program received the exact argv"
test -L "$svdir/it" || fail "no enable link $svdir/it"
test "$(readlink "$svdir/it")" = "$service" || fail "the link does not point at $service"

status_pid() {
    local json
    json=$(ductor --backend runit service status --name it --json) || return 1
    sed -n 's/.*"pid": *\([0-9][0-9]*\).*/\1/p' <<<"$json" | head -n1
}
pid=$(status_pid) || fail "status does not say running"
[ -n "$pid" ] || fail "status gives no PID"
kill -0 "$pid" || fail "status PID $pid is not alive"
grep -q "ductor_runit_print\|print_argv" "/proc/$pid/cmdline" || fail "PID $pid is not the program"
echo "ok: status running, PID $pid"

logs_show_start() { ductor --backend runit service logs --name it -n 20 | grep -q "runit-it: started as pid $1 "; }
wait_until 20 "the logs to show the program's output" logs_show_start "$pid"
echo "ok: logs show the program's output (svlogd's current)"

kill -KILL "$pid"
restarted() { local now; now=$(status_pid) && [ -n "$now" ] && [ "$now" != "$pid" ]; }
wait_until 40 "runsv to restart the program after SIGKILL" restarted
new_pid=$(status_pid)
echo "ok: after SIGKILL runsv restarted it: PID $pid -> $new_pid"

echo "== stop"
ductor --backend runit service stop --name it
set +e
ductor --backend runit service status --name it >/dev/null
code=$?
set -e
[ "$code" = 3 ] || fail "status after stop exits $code, not 3 (installed, not running)"
! kill -0 "$new_pid" 2>/dev/null || fail "PID $new_pid still runs after stop"
# It stays stopped: over two of runsvdir's 5-second scans, nothing starts it.
deadline=$((SECONDS + 11))
while [ "$SECONDS" -lt "$deadline" ]; do
    set +e
    ductor --backend runit service status --name it >/dev/null
    code=$?
    set -e
    [ "$code" = 3 ] || fail "the stopped service ran again (status exit $code)"
    sleep 0.5
done
test -f "$service/down" || fail "stop left no down file (runsv would start it again after a restart)"
echo "ok: stop stays stopped"

ductor --backend runit service start --name it
status_running() { [ -n "$(status_pid)" ]; }
wait_until 20 "status running after start" status_running
echo "ok: start"

echo "== uninstall"
ductor --backend runit service uninstall --name it
for gone in "$svdir/it" "$service" "$log_dir"; do
    { [ -e "$gone" ] || [ -L "$gone" ]; } && fail "uninstall left $gone"
done
no_runsv() { ! pgrep -u "$uid" -f "^runsv it$" >/dev/null; }
wait_until 15 "runsv of the service to exit" no_runsv
no_program() { ! pgrep -u "$uid" -f "$work/print_argv" >/dev/null; }
wait_until 15 "the program to be gone" no_program
leftover=$(find "$home/.ductor/runit" "$svdir" -mindepth 1 2>/dev/null || true)
[ -z "$leftover" ] || fail "uninstall left: $leftover"
set +e
ductor --backend runit service status --name it >/dev/null
code=$?
set -e
[ "$code" = 4 ] || fail "status after uninstall exits $code, not 4 (not installed)"
ductor --backend runit service uninstall --name it >/dev/null || fail "a second uninstall fails"
echo "ok: uninstall leaves nothing, and again succeeds"
echo "runit: all checks passed against a real runsvdir (Debian runit $(dpkg-query -W -f '${Version}' runit 2>/dev/null || echo '?'))"
