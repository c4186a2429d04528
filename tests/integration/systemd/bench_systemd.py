"""The measuring half of bench_systemd.sh, run as the private manager's user.

Each pair runs A/B interleaved (the order flips every round), every command
with its output discarded. Wall time comes from a monotonic clock around the
child, CPU time (user + system) from wait4(), which a loaded machine disturbs
less; peak RSS from /usr/bin/time -f %M (a small parent, so that the RSS is
the command's own, not that of a forked Python). Prints medians and ratios;
exits 0 unless a command fails.

usage: bench_systemd.py DUCTOR PLUGIN_DIR ROUNDS
"""
import os
import statistics
import subprocess
import sys
import time

DUCTOR, PLUGIN_DIR, ROUNDS = sys.argv[1], sys.argv[2], int(sys.argv[3])
UNIT_DIR = os.path.join(os.environ["HOME"], ".config/systemd/user")
SERVICE = "benchbot"


def ductor(*args):
    return [DUCTOR, "--plugin-dir", PLUGIN_DIR, "--backend", "systemd", *args]


CPU = {}  # argv (as a tuple) -> CPU times in milliseconds


def run(argv):
    """Runs argv; returns its wall time in milliseconds and records its CPU time."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 3):
        sys.exit(f"FAILED: {' '.join(argv)} exited {child.returncode}")
    CPU.setdefault(tuple(argv), []).append((usage.ru_utime + usage.ru_stime) * 1000)
    return elapsed


def cpu(argvs):
    """The median CPU time of a step (its commands' medians added)."""
    return sum(statistics.median(CPU[tuple(argv)]) for argv in argvs)


def peak_rss(argv, times=5):
    """The median peak RSS of argv in MiB, from /usr/bin/time."""
    peaks = []
    for _ in range(times):
        child = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        peaks.append(int(child.stderr.strip().splitlines()[-1]))
    return statistics.median(peaks) / 1024


def sh(script):
    return ["/bin/sh", "-ec", script]


def wait_until(what, done, seconds=30):
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            sys.exit(f"FAILED: timed out waiting for {what}")
        time.sleep(0.05)


def middle_half(values):
    """The 25th and 75th percentiles: where the middle half of the rounds fell."""
    low, _, high = statistics.quantiles(values, n=4, method="inclusive")
    return low, high


def pair(title, a, b, a_name="ductor", b_name=None):
    """Runs the steps of a and b interleaved; a step is a list of argvs (timed together). The ratio is the
    median of the per-round ratios (a and b ran next to each other), with the middle half of them."""
    times = {0: [], 1: []}
    for round_ in range(ROUNDS):
        for side in ((0, 1) if round_ % 2 == 0 else (1, 0)):
            times[side].append(sum(run(argv) for argv in (a, b)[side]))
    ma, mb = statistics.median(times[0]), statistics.median(times[1])
    ratios = [x / y for x, y in zip(times[0], times[1])]
    low, high = middle_half(ratios)
    ca, cb = cpu(a), cpu(b)
    (la, ha), (lb, hb) = middle_half(times[0]), middle_half(times[1])
    print(f"{title}\n  {a_name:<34} {ma:7.1f} ms  ({la:.1f}-{ha:.1f})  (CPU {ca:5.2f} ms)  "
          f"peak RSS {max(peak_rss(x) for x in a):5.1f} MiB"
          f"\n  {b_name:<34} {mb:7.1f} ms  ({lb:.1f}-{hb:.1f})  (CPU {cb:5.2f} ms)  "
          f"peak RSS {max(peak_rss(x) for x in b):5.1f} MiB"
          f"\n  ratio {statistics.median(ratios):.2f} (middle half {low:.2f}-{high:.2f}), CPU ratio {ca / cb:.2f}  "
          f"({ROUNDS} rounds each, medians)\n", flush=True)


def journal_lines():
    out = subprocess.run(["journalctl", "--user", f"--unit={SERVICE}.service", "--no-pager", "-q", "-n", "60"],
                         capture_output=True, text=True).stdout
    return out.count("bench-line")


def main():
    print(f"ductor {DUCTOR}; {ROUNDS} rounds per pair; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}\n")
    subprocess.run(ductor("service", "install", "--name", SERVICE, "--", "/bin/sh", "-c",
                          "i=0; while [ $i -lt 100 ]; do echo bench-line $i; i=$((i+1)); done; exec sleep 100000"),
                   check=True, capture_output=True)
    wait_until("the journal to hold 50 lines of the service", lambda: journal_lines() >= 50)

    unit = f"{SERVICE}.service"
    status = [ductor("service", "status", "--name", SERVICE)]
    pair("service status  vs  systemctl --user is-active", status,
         [["systemctl", "--user", "is-active", unit]], b_name="systemctl --user is-active")
    props = ["LoadState", "ActiveState", "SubState", "Result", "UnitFileState", "MainPID", "ExecMainCode",
             "ExecMainStatus", "NRestarts", "LoadError", "NeedDaemonReload", "FragmentPath"]
    show = ["systemctl", "--user", "show"] + [x for p in props for x in ("-p", p)] + [unit]
    pair("service status  vs  systemctl --user show -p (the same 12 properties)", status, [show],
         b_name="systemctl --user show -p ...")
    pair("service logs -n 50  vs  journalctl", [ductor("service", "logs", "--name", SERVICE, "-n", "50")],
         [["journalctl", "--user", f"--unit={unit}", "--no-hostname", "--no-pager", "--lines=50"]],
         b_name="journalctl --user --unit -n 50")

    # The raw sequences install the same unit file ductor writes, under another name.
    with open(os.path.join(UNIT_DIR, unit)) as f:
        text = f.read()
    raw_file = os.path.join(UNIT_DIR, "benchraw.service")
    template = os.path.join(os.environ["HOME"], "benchraw.template")
    with open(template, "w") as f:
        f.write(text)
    install = [ductor("service", "install", "--name", "benchi", "--", "/bin/sleep", "100000")]
    uninstall = [ductor("service", "uninstall", "--name", "benchi")]
    raw_install = sh(f"cp {template} {raw_file}; systemctl --user daemon-reload; "
                     "systemctl --user enable benchraw.service; systemctl --user start benchraw.service")
    raw_uninstall = sh(f"systemctl --user stop benchraw.service; systemctl --user disable benchraw.service; "
                       f"rm -f {raw_file}; systemctl --user daemon-reload")
    now_install = sh(f"cp {template} {raw_file}; systemctl --user daemon-reload; "
                     "systemctl --user enable --now benchraw.service")
    now_uninstall = sh(f"systemctl --user disable --now benchraw.service; rm -f {raw_file}; "
                       "systemctl --user daemon-reload")
    install_uninstall("raw shell: cp; daemon-reload; enable; start", install, uninstall, raw_install, raw_uninstall)
    install_uninstall("raw shell: cp; daemon-reload; enable --now", install, uninstall, now_install, now_uninstall)
    subprocess.run(ductor("service", "uninstall", "--name", SERVICE), check=True, capture_output=True)


def install_uninstall(raw_name, install, uninstall, raw_install, raw_uninstall):
    """Install and uninstall timed separately, each A/B interleaved with the raw sequence."""
    times = {k: [] for k in ("di", "du", "ri", "ru")}
    for round_ in range(ROUNDS):
        order = (("d", install[0], uninstall[0]), ("r", raw_install, raw_uninstall))
        for side, put, remove in (order if round_ % 2 == 0 else order[::-1]):
            times[side + "i"].append(run(put))
            times[side + "u"].append(run(remove))
    rss = []
    for _ in range(3):
        rss.append(peak_rss(install[0], 1))
        run(uninstall[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"service install / uninstall  vs  {raw_name}\n"
          f"  install:   ductor {med['di']:7.1f} ms   raw {med['ri']:7.1f} ms   ratio {med['di'] / med['ri']:.2f}\n"
          f"  uninstall: ductor {med['du']:7.1f} ms   raw {med['ru']:7.1f} ms   ratio {med['du'] / med['ru']:.2f}\n"
          f"  ductor install peak RSS {statistics.median(rss):.1f} MiB"
          f"  (systemctl daemon-reload {peak_rss(['systemctl', '--user', 'daemon-reload'], 3):.1f} MiB)"
          f"  ({ROUNDS} rounds each, medians)\n",
          flush=True)


main()
