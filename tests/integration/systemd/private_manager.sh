# A private `systemd --user` for a test user, shared by run_real_manager.sh
# and the benchmark: source it from a script whose "$@" are passed through.
#
# As root it re-executes the sourcing script ("$0") in a private mount
# namespace and there:
#   - mounts tmpfs on /run/systemd (with /run/systemd/system, so ductor sees a
#     systemd boot), /run/log and /var/log (with /var/log/journal, so journald
#     keeps a per-user journal as on a real machine);
#   - starts systemd-journald and, for busctl, a session dbus-daemon;
#   - creates the test user "ductor-it" when missing, gives it a cgroup of its
#     own (…/ductor-it-PID.slice/user@UID.service, the shape journald reads
#     user units from) and starts `systemd --user` as that user with a fresh
#     0700 XDG_RUNTIME_DIR and a temporary HOME.
# Then AS_USER (a command prefix that runs as the test user in its login-like
# environment), WORK, RUNTIME, HOME_DIR and PROBE_DIR are set, and everything
# is torn down when the sourcing script exits.
# Without root, unshare or a writable cgroup2 tree it prints SKIPPED and exits
# 77, except with CI=true, where a skip is a failure.

skip() {
    if [ "${CI:-}" = "true" ]; then
        echo "FAILED: CI=true and the real-manager test cannot run: $1"
        exit 1
    fi
    echo "SKIPPED: $1"
    exit 77
}

TEST_USER=ductor-it

if [ -z "${DUCTOR_IT_IN_NAMESPACE:-}" ]; then
    [ "$(id -u)" = 0 ] || skip "needs root to build a mount namespace and run a test user's manager"
    for tool in unshare setpriv prlimit useradd busctl journalctl systemctl dbus-daemon timeout; do
        command -v "$tool" >/dev/null || skip "$tool is not installed"
    done
    for program in /lib/systemd/systemd /lib/systemd/systemd-journald; do
        [ -x "$program" ] || skip "$program is not installed"
    done
    [ -s /etc/machine-id ] || skip "/etc/machine-id is missing or empty (journald needs it)"
    unshare -m --propagation private true 2>/dev/null || skip "unshare -m is not permitted here"
    DUCTOR_IT_IN_NAMESPACE=1 exec unshare -m --propagation private "$0" "$@"
fi

# --- inside the private mount namespace, as root ---------------------------
fail() { echo "FAILED: $1"; exit 1; }

if ! id "$TEST_USER" >/dev/null 2>&1; then
    useradd --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$TEST_USER" ||
        fail "cannot create the test user $TEST_USER"
fi
TEST_UID=$(id -u "$TEST_USER")
TEST_GID=$(id -g "$TEST_USER")
[ "$TEST_UID" -ge 1000 ] || fail "$TEST_USER has uid $TEST_UID; journald keeps per-user journals only for uid >= 1000"

cgroup_root=""
for dir in /sys/fs/cgroup /sys/fs/cgroup/unified; do
    if [ "$(stat -fc %T "$dir" 2>/dev/null)" = "cgroup2fs" ]; then cgroup_root=$dir; break; fi
done
[ -n "$cgroup_root" ] || skip "no cgroup2 hierarchy is mounted"
SLICE="$cgroup_root/ductor-it-$$.slice"
CGROUP="$SLICE/user@$TEST_UID.service"
mkdir -p "$CGROUP" 2>/dev/null || skip "cannot create a cgroup under $cgroup_root (read-only?)"
chown -R "$TEST_UID:$TEST_GID" "$CGROUP"

WORK=$(mktemp -d /tmp/ductor-it.XXXXXX)
chmod 0755 "$WORK"
RUNTIME="$WORK/runtime" HOME_DIR="$WORK/home" PROBE_DIR="$WORK/probe"
mkdir -p "$RUNTIME" "$HOME_DIR" "$PROBE_DIR"
chown "$TEST_UID:$TEST_GID" "$RUNTIME" "$HOME_DIR" "$PROBE_DIR"
chmod 0700 "$RUNTIME"

JOURNALD_PID="" MANAGER_PID="" BUS_PID=""
cleanup() {
    [ -n "$BUS_PID" ] && kill "$BUS_PID" 2>/dev/null && wait "$BUS_PID" 2>/dev/null
    [ -n "$MANAGER_PID" ] && kill "$MANAGER_PID" 2>/dev/null && wait "$MANAGER_PID" 2>/dev/null
    [ -n "$JOURNALD_PID" ] && kill "$JOURNALD_PID" 2>/dev/null && wait "$JOURNALD_PID" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        find "$SLICE" -depth -type d -exec rmdir {} + 2>/dev/null
        [ -d "$SLICE" ] || break
        sleep 0.2
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

mount -t tmpfs -o mode=0755 tmpfs /run/systemd || fail "cannot mount tmpfs on /run/systemd"
mkdir -p /run/systemd/system /run/systemd/journal
touch /run/systemd/journal/flushed   # journald writes to /var/log/journal at once
mount -t tmpfs -o mode=0755 tmpfs /run/log || fail "cannot mount tmpfs on /run/log"
mount -t tmpfs -o mode=0755 tmpfs /var/log || fail "cannot mount tmpfs on /var/log"
mkdir -p /var/log/journal

/lib/systemd/systemd-journald &
JOURNALD_PID=$!

# The test user's login-like environment; `"${AS_USER[@]}" cmd &` keeps $! the command's pid.
AS_USER=(setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --init-groups
         env -i HOME="$HOME_DIR" XDG_RUNTIME_DIR="$RUNTIME" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8)

# busctl --user talks to the user bus: a session bus for the test user, up
# before the manager so the manager registers org.freedesktop.systemd1 on it.
"${AS_USER[@]}" dbus-daemon --session --address="unix:path=$RUNTIME/bus" --nofork --nopidfile --syslog-only &
BUS_PID=$!
for _ in $(seq 100); do [ -S "$RUNTIME/bus" ] && break; sleep 0.05; done
[ -S "$RUNTIME/bus" ] || fail "the session bus for $TEST_USER did not come up"

started=$(date +%s%N)
# The manager enters its cgroup before it becomes the test user.
sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$CGROUP" \
    "${AS_USER[@]}" /lib/systemd/systemd --user &
MANAGER_PID=$!
for _ in $(seq 100); do
    state=$("${AS_USER[@]}" systemctl --user is-system-running 2>/dev/null)
    [ "$state" = "running" ] || [ "$state" = "degraded" ] && break
    sleep 0.05
done
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
[ "$state" = "running" ] || [ "$state" = "degraded" ] || fail "systemd --user did not come up (state: ${state:-none})"
echo "systemd --user for $TEST_USER (uid $TEST_UID) is $state after $ready_ms ms; journald pid $JOURNALD_PID"

# Where the test user runs the file or folder $1 from: $1 itself or, when it is out of the test user's reach
# (a clone in a 0700 folder, as `mktemp -d` makes one), a copy in $WORK (0755, owned by root).
for_user() {
    if "${AS_USER[@]}" test -r "$1"; then printf '%s\n' "$1"; return; fi
    mkdir -p "$WORK/build" && cp -R "$1" "$WORK/build/" && chmod -R a+rX,go-w "$WORK/build" || return 1
    printf '%s\n' "$WORK/build/$(basename "$1")"
}
