#!/usr/bin/env bash
# ductor's main job, for real: installs a small HTTP server on 127.0.0.1 as a
# per-user background service with the backend ductor selects on this machine
# (systemd where a user manager runs, the standalone runner where none does),
# queries it, shows its status, the service list and its logs, then uninstalls it.
#   scripts/main-job.sh [PATH-TO-ductor]      (default: build/release/bin/ductor)
set -euo pipefail
ductor=$(realpath "${1:-build/release/bin/ductor}")
port=${DUCTOR_DEMO_PORT:-18765}
name=ductor-demo
site=$(mktemp -d)
echo "hello from a ductor service" > "$site/index.html"
cleanup() { "$ductor" service uninstall --name "$name" >/dev/null 2>&1 || true; rm -rf "$site"; }
trap cleanup EXIT

step() { printf '\n$ %s\n' "$*"; "$@"; }
step "$ductor" plugins
step "$ductor" service install --name "$name" --workdir "$site" -- python3 -m http.server "$port" --bind 127.0.0.1
printf '\n$ (waiting for http://127.0.0.1:%s/ to answer)\n' "$port"
python3 - "$port" <<'PY'
import sys, time, urllib.request
deadline = time.monotonic() + 30
while True:
    try:
        body = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=2).read().decode()
        print("the service answered:", body.strip())
        break
    except OSError as error:
        if time.monotonic() > deadline:
            sys.exit(f"the service did not answer within 30 s: {error}")
        time.sleep(0.1)
PY
step "$ductor" service status --name "$name"
step "$ductor" service list
step "$ductor" service logs --name "$name" -n 5
step "$ductor" service uninstall --name "$name"
trap 'rm -rf "$site"' EXIT
