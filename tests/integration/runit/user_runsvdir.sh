# Sourced by the tests that need a real per-user runsvdir (run_runit.sh and
# tests/package/check_deb_packages.sh): a test user, and runsvdir started and
# stopped for it the way a user's own runit runs it.
#
#   runit_test_user <home>
#       Sets as_user: the command prefix that runs a command as the test user.
#       As root, a user of its own (ductor-runit-it, created with useradd when
#       missing; runit_test_user_created=yes then) owns <home>, reached with
#       setpriv; otherwise the invoking user (as_user is empty).
#   start_user_runsvdir <folder> <output file> <env...>
#       Creates <folder> and starts `runsvdir -P <folder>` as the test user,
#       with the environment given (env -i ...), its output (and every
#       runsv's) in <output file>: ctest waits for whatever holds the test's
#       own output open. Sets runsvdir_pid.
#   stop_user_runsvdir
#       HUP to runsvdir (it sends TERM to every runsv it started, then
#       exits); waits up to 10 s for each process of its tree, then KILLs
#       what is left. Does nothing when none runs.
#   remove_runit_test_user
#       Removes the test user when runit_test_user created it.

runit_test_user_name=ductor-runit-it
runit_test_user_created=no
runsvdir_pid=

runit_test_user() {
  local home=$1
  as_user=()
  [ "$(id -u)" = 0 ] || return 0
  command -v setpriv >/dev/null || {
    echo "FAILED: root needs setpriv to run runsvdir as a test user"
    return 1
  }
  if ! id "$runit_test_user_name" >/dev/null 2>&1; then
    useradd --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      "$runit_test_user_name" || {
      echo "FAILED: cannot create the test user $runit_test_user_name"
      return 1
    }
    runit_test_user_created=yes
  fi
  chown "$runit_test_user_name:" "$home"
  as_user=(setpriv --reuid="$runit_test_user_name" --regid="$runit_test_user_name" --init-groups)
}

start_user_runsvdir() {
  local folder=$1 output=$2
  shift 2
  "${as_user[@]}" mkdir -p "$folder"
  "${as_user[@]}" "$@" runsvdir -P "$folder" </dev/null >"$output" 2>&1 &
  runsvdir_pid=$!
}

# The processes below a PID (runsv, svlogd, the programs), by PID.
runsvdir_tree_of() {
  local pid
  for pid in $(pgrep -P "$1" || true); do
    echo "$pid"
    runsvdir_tree_of "$pid"
  done
}

stop_user_runsvdir() {
  [ -n "$runsvdir_pid" ] || return 0
  local pids pid deadline=$((SECONDS + 10))
  pids=$(runsvdir_tree_of "$runsvdir_pid")
  kill -HUP "$runsvdir_pid" 2>/dev/null || true
  wait "$runsvdir_pid" 2>/dev/null || true
  for pid in $pids; do
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  runsvdir_pid=
}

remove_runit_test_user() {
  [ "$runit_test_user_created" = yes ] || return 0
  userdel "$runit_test_user_name" 2>/dev/null || true
  runit_test_user_created=no
}
