#!/usr/bin/env bash
# Converges a fleet of three hosts on this machine with the ductor_service module, through a real
# ansible-playbook:
#   alpha, beta  ansible_connection=local, each with its own home and ductor home (standalone)
#   gamma        over real SSH: an sshd of the test's own on 127.0.0.1 (a free port), the test
#                user ductor-fleet, a key pair and host key made by the test; the systemd backend
#                with a real `systemd --user` manager of its own where one can run here (the
#                whole test then runs in a private mount namespace with /run/systemd/system, and
#                the manager in a cgroup of its own), else the standalone backend
# Phases (check.py says what each must show): install (changed everywhere), the same play again
# (all ok, the same programs run), --check --diff with a new argument (the diff, nothing changed),
# a new argument for beta only (changed there only), stopped twice, restarted, absent (nothing
# left behind), absent again (ok).
#
# usage: run_fleet.sh DUCTOR
# Needs root (the SSH test user and sshd), ansible-playbook (Debian: ansible-core), sshd (Debian:
# openssh-server). Without them it prints SKIPPED and exits 77, except with CI=true, where a skip
# is a failure.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8

skip() {
    if [ "${CI:-}" = "true" ]; then
        echo "FAILED: CI=true and the fleet test cannot run: $1"
        exit 1
    fi
    echo "SKIPPED: $1"
    exit 77
}
fail() {
    echo "FAILED: $1"
    exit 1
}

[ $# -eq 1 ] || { echo "usage: $0 DUCTOR" >&2; exit 2; }
DUCTOR=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
COLLECTION=$(cd "$HERE/../.." && pwd)
TEST_USER=ductor-fleet

command -v ansible-playbook >/dev/null || skip "ansible-playbook is not installed (Debian package ansible-core)"
[ -x /usr/sbin/sshd ] || skip "/usr/sbin/sshd is not installed (Debian package openssh-server)"
for tool in ssh ssh-keygen useradd usermod setpriv python3; do
    command -v "$tool" >/dev/null || skip "$tool is not installed"
done
[ "$(id -u)" = 0 ] || skip "needs root to create the SSH test user and run sshd"
[ -x "$DUCTOR" ] || fail "$DUCTOR is not an executable"

# Whether gamma can have a real systemd --user manager: it needs a mount namespace (to make
# /run/systemd/system, which tells ductor that systemd booted) and a cgroup2 tree to delegate.
cgroup_root=""
for dir in /sys/fs/cgroup /sys/fs/cgroup/unified; do
    if [ "$(stat -fc %T "$dir" 2>/dev/null)" = "cgroup2fs" ]; then cgroup_root=$dir; break; fi
done
NO_SYSTEMD=""
[ -x /lib/systemd/systemd ] || NO_SYSTEMD="/lib/systemd/systemd is not installed"
command -v systemctl >/dev/null || NO_SYSTEMD="systemctl is not installed"
[ -n "$cgroup_root" ] && [ -w "$cgroup_root" ] || NO_SYSTEMD="no writable cgroup2 tree"
if [ -z "$NO_SYSTEMD" ] && [ -z "${DUCTOR_FLEET_IN_NAMESPACE:-}" ]; then
    if unshare -m --propagation private true 2>/dev/null; then
        DUCTOR_FLEET_IN_NAMESPACE=1 exec unshare -m --propagation private "$0" "$@"
    fi
    NO_SYSTEMD="unshare -m is not permitted here"
fi

WORK=$(mktemp -d /tmp/ductor-fleet.XXXXXX)
chmod 0755 "$WORK"
SSHD_PID="" MANAGER_PID="" SLICE=""
RUNTIME="$WORK/runtime"
# Best effort, also after a failure: no service of the test outlives it.
cleanup() {
    env HOME="$WORK/alpha" DUCTOR_HOME="$WORK/alpha/.ductor" "$DUCTOR" -q service uninstall --name fleet-bot >/dev/null 2>&1
    env HOME="$WORK/beta" DUCTOR_HOME="$WORK/beta/.ductor" "$DUCTOR" -q service uninstall --name fleet-bot >/dev/null 2>&1
    setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups env HOME="$WORK/gamma" XDG_RUNTIME_DIR="$RUNTIME" \
        DUCTOR_HOME="$WORK/gamma/.ductor" "$DUCTOR" -q service uninstall --name fleet-bot >/dev/null 2>&1
    [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null && wait "$SSHD_PID" 2>/dev/null
    [ -n "$MANAGER_PID" ] && kill "$MANAGER_PID" 2>/dev/null && wait "$MANAGER_PID" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        if [ -z "$SLICE" ] || [ ! -d "$SLICE" ]; then break; fi
        find "$SLICE" -depth -type d -exec rmdir {} + 2>/dev/null
        sleep 0.2
    done
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

# --- the hosts' accounts and the program -----------------------------------
if ! id "$TEST_USER" >/dev/null 2>&1; then
    useradd --user-group --no-create-home --home-dir /nonexistent --shell /bin/sh "$TEST_USER" ||
        fail "cannot create the test user $TEST_USER"
fi
# A usable shell and no password (sshd refuses a locked '!' account without PAM; '*' only refuses passwords).
usermod --shell /bin/sh --password '*' "$TEST_USER" || fail "cannot set up the test user $TEST_USER"
mkdir -p "$WORK/alpha" "$WORK/beta" "$WORK/gamma/.ansible-tmp"
chown -R "$TEST_USER:$TEST_USER" "$WORK/gamma"
# When the build tree is out of the test user's reach (a clone in a 0700 folder, as `mktemp -d`
# makes one), every host runs a copy in $WORK, with its plugins where it looks for them.
if ! setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups test -x "$DUCTOR"; then
    BUILD=$(dirname "$(dirname "$DUCTOR")")
    if ! { mkdir -p "$WORK/build/bin" && cp "$DUCTOR" "$WORK/build/bin/" && cp -R "$BUILD/lib" "$WORK/build/" &&
        chmod -R a+rX,go-w "$WORK/build"; }; then
        fail "cannot copy $DUCTOR where the test user can reach it"
    fi
    DUCTOR="$WORK/build/bin/$(basename "$DUCTOR")"
fi
setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups "$DUCTOR" --version >/dev/null 2>&1 ||
    fail "the test user $TEST_USER cannot run $DUCTOR: every folder on its way must be readable by others"

# --- gamma's systemd --user manager (in the private mount namespace) -------
GAMMA_BACKEND=standalone
if [ -n "${DUCTOR_FLEET_IN_NAMESPACE:-}" ]; then
    mount -t tmpfs -o mode=0755 tmpfs /run/systemd || fail "cannot mount tmpfs on /run/systemd"
    mkdir -p /run/systemd/system
    mkdir -m 0700 "$RUNTIME" && chown "$TEST_USER:$TEST_USER" "$RUNTIME"
    TEST_UID=$(id -u "$TEST_USER")
    SLICE="$cgroup_root/ductor-fleet-$$.slice"
    CGROUP="$SLICE/user@$TEST_UID.service"
    if ! mkdir -p "$CGROUP" || ! chown -R "$TEST_USER:$TEST_USER" "$CGROUP"; then fail "cannot create the cgroup $CGROUP"; fi
    AS_USER=(setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --init-groups
             env -i HOME="$WORK/gamma" XDG_RUNTIME_DIR="$RUNTIME" PATH="$PATH" LANG=C.UTF-8)
    # The manager enters its cgroup before it becomes the test user.
    sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$CGROUP" \
        "${AS_USER[@]}" /lib/systemd/systemd --user >"$WORK/manager.log" 2>&1 &
    MANAGER_PID=$!
    deadline=$((SECONDS + 30))
    until state=$("${AS_USER[@]}" systemctl --user is-system-running 2>/dev/null); [ "$state" = running ] ||
        [ "$state" = degraded ]; do
        kill -0 "$MANAGER_PID" 2>/dev/null || fail "systemd --user ended: $(tail -5 "$WORK/manager.log")"
        [ $SECONDS -lt $deadline ] || fail "systemd --user did not come up within 30 s (state: ${state:-none})"
        sleep 0.1
    done
    GAMMA_BACKEND=systemd
    echo "gamma: systemd --user for $TEST_USER is $state"
else
    echo "NOTE: gamma uses the standalone backend: ${NO_SYSTEMD:-no private mount namespace}"
fi
cat >"$WORK/bot.sh" <<'EOF'
#!/bin/sh
# The fleet's bot: says who it is, then waits.
echo "$$ $BOT_GREETING $*"
exec sleep 600
EOF
chmod 0755 "$WORK/bot.sh"

# --- sshd on 127.0.0.1 with keys of its own --------------------------------
mkdir -p "$WORK/ssh" && chmod 0755 "$WORK/ssh"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/host_key" -C fleet-host || fail "ssh-keygen (host key)"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/client_key" -C fleet-client || fail "ssh-keygen (client key)"
cp "$WORK/ssh/client_key.pub" "$WORK/ssh/authorized_keys" && chmod 0644 "$WORK/ssh/authorized_keys"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$WORK/ssh/host_key.pub")" >"$WORK/ssh/known_hosts"
cat >"$WORK/ssh/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $PORT
HostKey $WORK/ssh/host_key
PidFile none
AuthorizedKeysFile $WORK/ssh/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowUsers $TEST_USER
PermitRootLogin no
Subsystem sftp internal-sftp
EOF
# sshd's privilege separation folder. It stays after the test: every sshd on the machine chroots
# into it for each new connection, so removing it would cut off another sshd's (another run's) logins.
[ -d /run/sshd ] || mkdir -m 0755 /run/sshd || fail "cannot create /run/sshd"
/usr/sbin/sshd -D -e -f "$WORK/ssh/sshd_config" 2>"$WORK/sshd.log" &
SSHD_PID=$!
SSH=(ssh -p "$PORT" -i "$WORK/ssh/client_key" -o BatchMode=yes -o IdentitiesOnly=yes
     -o UserKnownHostsFile="$WORK/ssh/known_hosts" -o StrictHostKeyChecking=yes "$TEST_USER@127.0.0.1")
deadline=$((SECONDS + 30))
until "${SSH[@]}" true 2>/dev/null; do
    kill -0 "$SSHD_PID" 2>/dev/null || fail "sshd ended: $(cat "$WORK/sshd.log")"
    [ $SECONDS -lt $deadline ] || fail "sshd on 127.0.0.1:$PORT did not let $TEST_USER in within 30 s: $(cat "$WORK/sshd.log")"
    sleep 0.2
done
echo "sshd on 127.0.0.1:$PORT lets $TEST_USER in with the test's key"

# --- the inventory, Ansible's settings, the collection ----------------------
mkdir -p "$WORK/collections/ansible_collections/ductor"
ln -s "$COLLECTION" "$WORK/collections/ansible_collections/ductor/service"
mkdir -p "$WORK/inventory/host_vars"
cat >"$WORK/inventory/hosts.ini" <<EOF
[fleet]
alpha ansible_connection=local fleet_home=$WORK/alpha
beta  ansible_connection=local fleet_home=$WORK/beta
gamma ansible_host=127.0.0.1 ansible_port=$PORT ansible_user=$TEST_USER fleet_home=$WORK/gamma ansible_ssh_private_key_file=$WORK/ssh/client_key ansible_remote_tmp=$WORK/gamma/.ansible-tmp ductor_backend=$GAMMA_BACKEND fleet_env='{"XDG_RUNTIME_DIR": "$RUNTIME"}'

[fleet:vars]
ansible_python_interpreter=/usr/bin/python3
ductor_executable=$DUCTOR
ductor_backend=standalone
bot_program=$WORK/bot.sh
bot_args=["--channel", "general"]
bot_greeting=hello
EOF
cat >"$WORK/ansible.cfg" <<EOF
[defaults]
callbacks_enabled = ansible.builtin.tree
retry_files_enabled = False
forks = 3
local_tmp = $WORK/ansible-local
[ssh_connection]
ssh_args = -o ControlMaster=no -o IdentitiesOnly=yes -o UserKnownHostsFile=$WORK/ssh/known_hosts -o StrictHostKeyChecking=yes
pipelining = True
EOF
python3 - "$WORK" "$DUCTOR" "$TEST_USER" "$GAMMA_BACKEND" <<'EOF' || fail "cannot write fleet.json"
import json, sys
work = sys.argv[1]
ductor, user, gamma_backend = sys.argv[2], sys.argv[3], sys.argv[4]
hosts = {name: {'home': '%s/%s' % (work, name), 'backend': 'standalone', 'ductor': [ductor]}
         for name in ('alpha', 'beta', 'gamma')}
hosts['gamma'].update(backend=gamma_backend, env={'XDG_RUNTIME_DIR': work + '/runtime'},
                      ductor=['setpriv', '--reuid=' + user, '--regid=' + user, '--init-groups', ductor])
json.dump({'hosts': hosts}, open(work + '/fleet.json', 'w'), indent=2)
EOF
export ANSIBLE_CONFIG="$WORK/ansible.cfg" ANSIBLE_COLLECTIONS_PATH="$WORK/collections" ANSIBLE_NOCOLOR=1
export ANSIBLE_HOME="$WORK/ansible-home"

failures=0
# phase NAME [ansible-playbook options...]: runs the play and checks what it must show.
phase() {
    local name=$1
    shift
    local started=$SECONDS
    # The tree callback keeps each host's last task result (the bot task's) as JSON.
    ANSIBLE_CALLBACK_TREE_DIR="$WORK/results/$name" \
        ansible-playbook -i "$WORK/inventory/hosts.ini" "$HERE/site.yml" "$@" >"$WORK/$name.out" 2>&1
    local rc=$?
    echo "== $name: ansible-playbook exit $rc after $((SECONDS - started)) s"
    if ! python3 "$HERE/check.py" "$name" "$WORK/results/$name" "$WORK/$name.out" "$WORK/fleet.json"; then
        failures=$((failures + 1))
        echo "--- ansible-playbook output:"; cat "$WORK/$name.out"
    fi
}

phase install
phase again
phase check-diff --check --diff -e '{"bot_args": ["--channel", "general", "--new-flag"]}'
echo 'bot_args: ["--channel", "general", "--new-flag"]' >"$WORK/inventory/host_vars/beta.yml"
phase one-host
phase stopped -e bot_state=stopped
phase stopped-again -e bot_state=stopped
phase restarted -e bot_state=restarted
phase absent -e bot_state=absent
phase absent-again -e bot_state=absent

[ "$failures" -eq 0 ] || fail "$failures phase(s) did not show what they must"
echo "PASSED: the fleet converged; every phase showed what it must"
