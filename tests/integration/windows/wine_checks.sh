#!/usr/bin/env bash
# Checks of the Windows build under Wine, one per ctest test. The prefix
# (WINEPREFIX, made by the `prefix` check) and WINEDEBUG come from ctest.
#
# What these checks can and cannot prove: Wine runs the real Win32 calls of
# ductor.exe (CreateProcessW, Job Objects, LockFileEx, named events, Boost.DLL
# loading) and ships a real schtasks.exe that registers and deletes task
# files. Wine's schtasks /Query, /Run and /End do nothing and exit 0, so no
# check counts on them; Wine never runs a task at logon either.
#
# usage: wine_checks.sh CHECK DUCTOR_EXE DUCTORW_EXE WIN_CHILD_EXE LINE_BURST_EXE WORK_DIR
# exit: 0 passed, 1 failed, 77 skipped (wine missing; a failure when CI=true)
set -u
check=$1 ductor=$2 ductorw=$3 child=$4 burst=$5 work_root=$6

skip() {
    echo "SKIPPED: $1"
    if [ "${CI:-}" = "true" ]; then exit 1; fi
    exit 77
}
fail() {
    echo "FAIL: $*"
    exit 1
}
command -v wine >/dev/null 2>&1 || skip "wine not found (Debian packages wine wine64)"
[ -n "${WINEPREFIX:-}" ] || fail "WINEPREFIX is not set"

work="$work_root/$check"
rm -rf "$work"
mkdir -p "$work/home"
win_path() { printf 'Z:%s' "$1" | tr '/' '\\'; }
w() { timeout 60 wine "$@"; }
export DUCTOR_HOME
DUCTOR_HOME=$(win_path "$work/home")
unset DUCTOR_SUPERVISOR INVOCATION_ID
logs="$work/home/logs"
child_win=$(win_path "$child")
background=""
cleanup() { if [ -n "$background" ]; then kill "$background" 2>/dev/null; fi; }
trap cleanup EXIT

# Runs `ductor run` with ARGS in the background; waits for its PID file.
start_runner() { # NAME ARGS...
    local name=$1
    shift
    wine "$ductor" run --name "$name" "$@" >"$work/runner.out" 2>&1 &
    background=$!
    for _ in $(seq 1 150); do
        if grep -q '^child=' "$work/home/run/$name.pid" 2>/dev/null; then return 0; fi
        sleep 0.2
    done
    cat "$work/runner.out"
    fail "the runner '$name' did not record a child within 30 s"
}
record_field() { sed -n "s/^$2=\\([0-9]*\\).*/\\1/p" "$work/home/run/$1.pid"; }
alive() { w "$child" alive "$1"; }
wait_for_file() { # FILE
    for _ in $(seq 1 150); do
        if [ -s "$1" ]; then return 0; fi
        sleep 0.2
    done
    fail "$1 did not appear within 30 s"
}

# A tree of runner -> win_child tree -> win_child sleep, all checked alive.
start_tree() { # NAME
    start_runner "$1" --grace 3 --log-to file -- "$child_win" tree "$(win_path "$work/grandchild")"
    wait_for_file "$work/grandchild"
    runner_pid=$(record_field "$1" runner)
    child_pid=$(record_field "$1" child)
    grandchild_pid=$(tr -dc '0-9' <"$work/grandchild")
    for pid in "$runner_pid" "$child_pid" "$grandchild_pid"; do
        alive "$pid" || fail "process $pid of the tree is not running after the start"
    done
}
expect_tree_gone() {
    local status
    timeout 30 tail --pid="$background" -f /dev/null || fail "the runner's wine process did not end"
    wait "$background"
    status=$?
    background=""
    echo "runner exit status: $status"
    for pid in "$runner_pid" "$child_pid" "$grandchild_pid"; do
        if alive "$pid"; then fail "process $pid is still running"; fi
    done
}

case "$check" in
prefix)
    case "$WINEPREFIX" in  # it is removed first: only ever a prefix of this build folder
    "$(dirname "$work_root")"/*) ;;
    *) fail "WINEPREFIX=$WINEPREFIX is not inside $(dirname "$work_root")" ;;
    esac
    rm -rf "$WINEPREFIX"
    wineboot -i >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log"; fail "wineboot -i"; }
    wineserver -w  # the prefix's services settle; Task Scheduler needs them
    [ -f "$WINEPREFIX/drive_c/windows/system32/schtasks.exe" ] || fail "the prefix has no schtasks.exe"
    ;;
plugins_find_taskscheduler)
    w "$ductor" plugins >"$work/raw" 2>&1 || { cat "$work/raw"; fail "ductor plugins"; }
    tr -d '\r' <"$work/raw" >"$work/out"  # the console's CRLF line ends
    cat "$work/out"
    grep -Eq '^\* taskscheduler .* available$' "$work/out" || fail "taskscheduler is not listed as available"
    grep -q 'plugins\\taskscheduler.dll$' "$work/out" || fail "taskscheduler.dll was not loaded from beside ductor.exe"
    grep -q 'through C:\\windows\\System32\\schtasks.exe' "$work/out" || fail "no schtasks.exe in the reason"
    grep -q '^Selected: taskscheduler$' "$work/out" || fail "taskscheduler is not selected"
    ;;
service_install_and_uninstall_through_schtasks)
    task="$WINEPREFIX/drive_c/windows/system32/tasks/wt"
    rm -f "$task"
    w "$ductor" service install --name wt -- 'C:\windows\system32\cmd.exe' /c exit 0 || fail "install"
    [ -f "$task" ] || fail "schtasks stored no task file at $task"
    grep -aq '<Description>ductor service wt</Description>' "$task" || fail "the stored task is not ductor's"
    [ ! -e "$work/home/wt_task.xml" ] || fail "the task XML was left behind"
    w "$ductor" service uninstall --name wt || fail "uninstall"
    [ ! -e "$task" ] || fail "uninstall left the task file $task"
    ;;
task_definition_carries_percent_and_non_ascii_exactly)
    # Task Scheduler expands %NAME% in an action's Command, Arguments and
    # WorkingDirectory. The task's action only names the run definition; the
    # program, arguments, environment and folder come from that file. Wine
    # stores no actions, so the action is read from --dry-run, and then run
    # exactly as Task Scheduler would start it.
    out="$work/argv.out"
    folder="$work/dir %TEMP% (x) Jörg 日本"  # checked as a folder by install itself: UTF-8, never the ANSI code page
    mkdir -p "$folder"
    set -- '%TEMP%' '%PATH%x' 'é 日本 😀' '"q" a' '' '100%' '^&|<>'
    w "$ductor" service install --dry-run --name pct --workdir "$(win_path "$folder")" --env 'HOSTILE=%PATH% é' \
        -- "$child_win" argv "$(win_path "$out")" "$@" >"$work/dry" 2>&1 || { cat "$work/dry"; fail "install --dry-run"; }
    definition="$work/home/tasks/pct.run"
    tr -d '\r' <"$work/dry" | sed -n 's:.*<Arguments>\(.*\)</Arguments>.*:\1:p' >"$work/arguments"
    [ "$(cat "$work/arguments")" = "run --definition $(win_path "$definition")" ] ||
        fail "the action's arguments are not 'run --definition FILE': $(cat "$work/arguments")"
    grep -q '%' "$work/arguments" && fail "the action's arguments contain a '%' for Task Scheduler to expand"
    w "$ductor" service install --name pct --workdir "$(win_path "$folder")" --env 'HOSTILE=%PATH% é' \
        -- "$child_win" argv "$(win_path "$out")" "$@" >"$work/install" 2>&1 || { cat "$work/install"; fail "install"; }
    [ -f "$definition" ] || fail "install wrote no run definition at $definition"
    # Task Scheduler starts the runner without the user's DUCTOR_HOME: the moved home is in the definition.
    grep -A1 -x -- '--home' "$definition" | tail -n 1 | grep -qxF -- "$DUCTOR_HOME" ||
        fail "the run definition does not carry the moved ductor home as --home"
    env -u DUCTOR_HOME timeout 60 wine "$ductorw" run --definition "$(win_path "$definition")" </dev/null >/dev/null 2>&1 ||
        fail "the task's command line exited $?"
    [ -f "$logs/pct.log" ] || fail "the runner started without DUCTOR_HOME did not log under the moved home"
    for default_home in "$WINEPREFIX"/drive_c/users/*/.ductor; do
        [ ! -e "$default_home/logs/pct.log" ] || fail "the runner logged under the default home $default_home"
    done
    { printf '%s\0' "$@"; printf '%s\0' "$(win_path "$folder")" '%PATH% é'; } >"$work/expected"
    cmp "$work/expected" "$out" || {
        od -c "$out" | head -20
        fail "the program did not get the argv, folder and environment as typed"
    }
    w "$ductor" service uninstall --name pct >/dev/null 2>&1 || fail "uninstall"
    [ ! -e "$definition" ] || fail "uninstall left the run definition behind"
    # A batch file would get cmd.exe's reading of the arguments: refused by install and by the runner.
    printf '@echo off\r\necho %%1> "%s"\r\n' "$(win_path "$work/injected")" >"$work/t.bat"
    if w "$ductor" service install --dry-run --name bat -- "$(win_path "$work/t.bat")" 'a&echo x' >"$work/bat" 2>&1; then
        fail "install accepted a batch file"
    fi
    grep -q 'is a batch file' "$work/bat" || { cat "$work/bat"; fail "no reason given for the refused batch file"; }
    w "$ductor" run --name bat --log-to file -- "$(win_path "$work/t.bat")" 'a&echo x' >"$work/bat-run" 2>&1
    cat "$logs/bat.log" >>"$work/bat-run" 2>/dev/null
    grep -q 'is a batch file' "$work/bat-run" || { cat "$work/bat-run"; fail "the runner did not refuse the batch file"; }
    [ ! -e "$work/injected" ] || fail "the batch file ran"
    ;;
runner_passes_the_exit_code_through)
    w "$ductor" run --name code --log-to file -- "$child_win" exit 7
    status=$?
    [ "$status" = 7 ] || fail "exit status $status, expected 7"
    grep -q 'exited with code 7' "$logs/code.log" || fail "the log does not say 'exited with code 7'"
    w "$ductor" run --name echo --log-to file -- cmd.exe /c "echo hello from cmd& exit 0" || fail "exit status $?"
    grep -q '^hello from cmd' "$logs/echo.log" || fail "the program's output is not in the log"
    ;;
runner_restarts_on_exit_42)
    marker="$work/marker"
    w "$ductor" run --name again --log-to file -- "$child_win" once "$(win_path "$marker")" 42 ||
        fail "exit status $?, expected 0 from the second run"
    [ -f "$marker" ] || fail "the first run did not happen"
    grep -q 'a restart was asked for (exit 42); restarting it now' "$logs/again.log" || fail "no restart in the log"
    rm -f "$marker"
    DUCTOR_SUPERVISOR=1 w "$ductor" run --name up --log-to file -- "$child_win" once "$(win_path "$marker")" 42
    status=$?
    [ "$status" = 42 ] || fail "under a service manager: exit status $status, expected 42"
    ;;
runner_rotates_logs)
    w "$ductor" run --name rot --log-to file --log-size 1K --log-files 3 -- "$(win_path "$burst")" 300 ||
        fail "exit status $?"
    ls -l "$logs"
    for file in rot.log rot.log.1 rot.log.2; do
        [ -f "$logs/$file" ] || fail "no $file"
        [ "$(stat -c %s "$logs/$file")" -le 1024 ] || fail "$file is larger than 1K"
    done
    [ ! -e "$logs/rot.log.3" ] || fail "more than 3 files kept"
    # Oldest to newest, each stream's kept lines must run without a gap up to the last one. Which
    # stream's lines are newest depends on which pipe the runner happened to read last (on a loaded
    # machine it may read all of one before the other), so one stream may have none left.
    cat "$logs/rot.log.2" "$logs/rot.log.1" "$logs/rot.log" | tr -d '\r' >"$work/kept"
    kept=0
    for stream in out err; do
        sed -n "s/^$stream \([0-9]*\) .*/\1/p" "$work/kept" >"$work/$stream.numbers"
        first=$(head -n 1 "$work/$stream.numbers")
        [ -n "$first" ] || continue
        kept=$((kept + 1))
        seq "$first" 299 | cmp -s - "$work/$stream.numbers" || fail "the kept $stream lines are not $first..299 in order"
    done
    [ "$kept" -gt 0 ] || fail "no lines kept"
    ;;
stop_ends_the_runner_and_its_tree)
    start_tree tree
    w "$ductor" stop --name tree >"$work/out" 2>&1 || { cat "$work/out"; fail "ductor stop"; }
    cat "$work/out"
    # Under Wine the task counts as installed (its /Query always succeeds), so the
    # backend's stop ends the runner first (Host::stop_runner); either path must say so.
    grep -q "stopped the runner (PID $runner_pid) and its program" "$work/out" || fail "stop did not stop the runner"
    expect_tree_gone
    [ ! -e "$work/home/run/tree.pid" ] || fail "the PID file is left"
    ;;
killing_the_runner_ends_its_tree)
    start_tree killed
    w taskkill /F /PID "$runner_pid" || fail "taskkill /F /PID $runner_pid"
    expect_tree_gone
    w "$ductor" stop --name killed >"$work/out" 2>&1 || { cat "$work/out"; fail "ductor stop after the kill"; }
    grep -q 'removed the stale PID file' "$work/out" || fail "stop did not clean up the stale PID file"
    [ ! -e "$work/home/run/killed.pid" ] || fail "the stale PID file is left"
    ;;
ductorw_is_a_gui_program_that_runs_without_a_console)
    x86_64-w64-mingw32-objdump -p "$ductorw" | grep -Eq 'Subsystem[[:space:]]+00000002[[:space:]]+\(Windows GUI\)' ||
        fail "ductorw.exe is not a GUI-subsystem program"
    x86_64-w64-mingw32-objdump -p "$ductor" | grep -Eq 'Subsystem[[:space:]]+00000003[[:space:]]+\(Windows CUI\)' ||
        fail "ductor.exe is not a console program"
    w "$ductorw" run --name gui --log-to file -- "$child_win" exit 5 </dev/null >/dev/null 2>&1
    status=$?
    [ "$status" = 5 ] || fail "exit status $status, expected 5"
    grep -q 'exited with code 5' "$logs/gui.log" || fail "ductorw wrote no log"
    w "$ductorw" run --name gui-out --log-to file -- "$child_win" sleep 0 </dev/null >/dev/null 2>&1 || fail "sleep 0"
    grep -q '^sleeping' "$logs/gui-out.log" || fail "the program's output under ductorw is not in the log"
    ;;
*)
    fail "unknown check $check"
    ;;
esac
echo "PASS: $check"
