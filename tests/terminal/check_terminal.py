#!/usr/bin/env python3
"""Terminal manners of the real ductor executable.

Colour (ANSI escape sequences) on stderr only when stderr is a terminal (a
pseudo-terminal here), never with NO_COLOR set and non-empty, never with
TERM=dumb, never on a pipe; every error in one format, 'ductor: error: ...';
the --json of 'ductor stop' and 'ductor boot', parsed, with a real
standalone service; and the line that says what a command waits for.

usage: check_terminal.py DUCTOR
"""
import os
import pty
import subprocess
import sys
import tempfile
import json
import time

ESC = b"\x1b["


def run(ductor, args, env_extra, on_terminal):
    """Runs ductor ARGS with stderr on a pseudo-terminal or a pipe; returns (code, stderr bytes)."""
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
        env.update({"HOME": home, "DUCTOR_HOME": os.path.join(home, "ductor"), "TERM": "xterm"})
        env.update(env_extra)
        if not on_terminal:
            proc = subprocess.run([ductor, *args], env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
            return proc.returncode, proc.stderr
        return on_terminal_run([ductor, *args], env)


def on_terminal_run(argv, env, on_output=None):
    """Runs ARGV with stderr on a pseudo-terminal until every writer of it is gone (EIO on Linux),
    at most 60 s; on_output(all read so far) after each read. Returns (exit code or None, stderr)."""
    import select
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    data = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
        if on_output:
            on_output(data)
    os.close(master)
    try:
        code = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = None
    return code, data.replace(b"\r\n", b"\n")


def check_json(ductor, expect):
    """stop --json and boot --json, parsed, before and while a standalone service runs."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        # A home of its own, and a PATH without crontab: the boot hook never touches the user's own.
        os.makedirs(os.path.join(tmp, "user"))
        os.makedirs(os.path.join(tmp, "no-tools"))
        env.update({"HOME": os.path.join(tmp, "user"), "PATH": os.path.join(tmp, "no-tools"),
                    "DUCTOR_HOME": os.path.join(tmp, "home"), "DUCTOR_PLUGIN_PATH": "", "DUCTOR_BACKEND": "",
                    "INVOCATION_ID": "", "DUCTOR_SUPERVISOR": "", "XDG_CURRENT_DESKTOP": "", "DISPLAY": "",
                    "WAYLAND_DISPLAY": ""})

        def ductor_json(*args):
            proc = subprocess.run([ductor, "--backend", "standalone", *args], env=env, stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=120)
            try:
                return proc.returncode, json.loads(proc.stdout), proc.stderr
            except ValueError:
                return proc.returncode, None, proc.stdout + proc.stderr

        name = "manners-json"
        code, doc, err = ductor_json("boot", "--json")
        expect("boot --json with nothing to start: no service, ok",
               code == 0 and doc == {"action": "boot", "backend": "standalone", "foreground": False,
                                     "services": [], "ok": True}, (doc, err))
        code, doc, err = ductor_json("stop", "--name", name, "--json")
        expect("stop --json of a name that is not installed: not-installed, no runner, ok",
               code == 0 and doc is not None and doc["name"] == name and doc["action"] == "stop"
               and doc["backend"] == "standalone" and doc["service"] == "not-installed"
               and doc["runner"]["failed"] is False and doc["ok"] is True
               and any("no runner is running" in s for s in doc["runner"]["said"]), (doc, err))
        try:
            install = subprocess.run([ductor, "--backend", "standalone", "service", "install", "--name", name, "--",
                                      "/bin/sleep", "600"], env=env, capture_output=True, timeout=120)
            expect("a standalone service installs", install.returncode == 0, install.stdout + install.stderr)
            deadline = time.monotonic() + 30
            running = False
            while not running and time.monotonic() < deadline:  # until its status says running
                status = subprocess.run([ductor, "--backend", "standalone", "service", "status", "--name", name],
                                        env=env, capture_output=True, timeout=60)
                running = status.returncode == 0
                if not running:
                    time.sleep(0.1)
            expect("the service reports running within 30 s", running, status.stdout + status.stderr)
            code, doc, err = ductor_json("boot", "--json")
            expect("boot --json names the running service: result running, error null",
                   code == 0 and doc is not None and doc["ok"] is True
                   and doc["services"] == [{"name": name, "result": "running", "error": None}], (doc, err))
            code, doc, err = ductor_json("stop", "--name", name, "--json")
            expect("stop --json of a running service: stopped through the backend, runner ended, ok",
                   code == 0 and doc is not None and doc["service"] == "stopped" and doc["ok"] is True
                   and doc["runner"]["failed"] is False and isinstance(doc["runner"]["said"], list), (doc, err))
        finally:
            subprocess.run([ductor, "--backend", "standalone", "-q", "service", "uninstall", "--name", name],
                           env=env, capture_output=True, timeout=120)


def check_wait_line(ductor, expect):
    """On a terminal, a command that finds the service's lock taken says what it waits for, once,
    and goes on when the lock is given back."""
    import fcntl
    with tempfile.TemporaryDirectory() as tmp:
        name = "manners-wait"
        home = os.path.join(tmp, "home")
        os.makedirs(os.path.join(home, "services"))
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "DUCTOR_BACKEND", "DUCTOR_PLUGIN_PATH")}
        env.update({"HOME": tmp, "DUCTOR_HOME": home, "TERM": "xterm"})
        holder = open(os.path.join(home, "services", name + ".lock"), "w")
        fcntl.flock(holder, fcntl.LOCK_EX)  # another ductor command, as far as the lock tells
        holder.write("4242\n")
        holder.flush()
        released = []

        def release_when_waiting(data):
            if not released and b"waiting for another ductor command" in data:
                holder.close()  # gives the lock back: the command must go on
                released.append(True)

        code, text = on_terminal_run([ductor, "--backend", "standalone", "service", "stop", "--name", name], env,
                                     release_when_waiting)
        holder.close()
        expect("a taken lock: one line on the terminal says what the command waits for",
               text.count(b"ductor: waiting for another ductor command working on 'manners-wait'") == 1, text)
        expect("the command goes on once the lock is given back", bool(released) and code is not None, text)


def main():
    ductor = sys.argv[1]
    failures = []

    def expect(what, condition, stderr):
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            print("     stderr: " + repr(stderr))
            failures.append(what)

    # An error (a usage error, before any command runs) and a warning (a
    # relative folder in DUCTOR_PLUGIN_PATH, which is ignored).
    cases = [
        ("a usage error", ["no-such-command"], {}, b"ductor: ", b"error", b": unknown command"),
        ("a warning", ["plugins"], {"DUCTOR_PLUGIN_PATH": "relative/plugins"}, b"ductor: ", b"warning",
         b": "),
    ]
    for name, args, env, before, level, after in cases:
        code, err = run(ductor, args, env, on_terminal=True)
        expect(f"{name} on a terminal is coloured", ESC in err and level in err, err)
        expect(f"{name} on a terminal keeps its words", err.startswith(before) and after in err, err)
        for extra, label in (({"NO_COLOR": "1"}, "NO_COLOR=1"), ({"TERM": "dumb"}, "TERM=dumb")):
            code, err = run(ductor, args, {**env, **extra}, on_terminal=True)
            expect(f"{name} on a terminal with {label} has no colour",
                   ESC not in err and before + level + after in err, err)
        code, err = run(ductor, args, {**env, "NO_COLOR": ""}, on_terminal=True)
        expect(f"{name} on a terminal with an empty NO_COLOR is coloured", ESC in err, err)
        code, err = run(ductor, args, env, on_terminal=False)
        expect(f"{name} on a pipe has no colour", ESC not in err and before + level + after in err, err)

    # The usage error's second line: the hint.
    code, err = run(ductor, ["no-such-command"], {}, on_terminal=False)
    lines = err.decode().splitlines()
    expect("a usage error is two lines: the error, then 'Try ...'",
           len(lines) == 2 and lines[0].startswith("ductor: error: ") and lines[1].startswith("Try '"), err)

    check_json(ductor, expect)
    check_wait_line(ductor, expect)

    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
