#!/usr/bin/env python3
"""What ductor's commands cost on this machine, against anchors measured in
the same run: every case is run once per round, in an order shuffled anew each
round, so a change of the machine's load falls on all of them alike and no
case always follows the same one. Prints medians with their spread (the middle
half of the rounds), CPU time, peak RSS and ratios; a ratio is the median of
the per-round ratios (both commands measured in the same round), with the
middle half of those. Never fails on timing (it fails only when a command does
not do its job).
  bench_commands.py DUCTOR BENCH_PLUGIN RESTART_STAMP CXX_FLOOR [ROUNDS]
DUCTOR is the ductor executable (its in-tree plugins beside it), BENCH_PLUGIN
the bench fixture plugin (make_plugins.py copies it), RESTART_STAMP the
bench_restart_stamp program, CXX_FLOOR the bench_cxx_floor program (a C++
"hello world" linked as ductor is: the start-up floor of a program that links
the C++ standard library dynamically)."""
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_plugins  # noqa: E402

COUNTS = (0, 10, 50, 100)
THROUGHPUT_ROUNDS = 11  # 200 MiB each way per round


def spawn(argv, env, stdout=None):
    """Runs argv; wall seconds, CPU seconds (user + system), peak RSS in KiB, exit code."""
    start = time.perf_counter()  # emptying the old output is part of the work, as the runner's rotation is
    out = os.open(stdout or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    null = os.open(os.devnull, os.O_RDWR)
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, out, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(out)
    os.close(null)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


class Case:
    def __init__(self, name, argv, env, codes=(0,), stdout=None, before=None):
        self.name, self.argv, self.env, self.codes, self.stdout, self.before = name, argv, env, codes, stdout, before
        self.wall, self.cpu, self.rss = [], [], []
        self.peak = 0

    def run(self):
        if self.before:
            self.before()
        wall, cpu, rss, code = spawn(self.argv, self.env, self.stdout)
        if code not in self.codes:
            sys.exit(f"{self.name}: {' '.join(self.argv)} exited {code}")
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.rss.append(rss)

    def median_ms(self):
        return statistics.median(self.wall) * 1000

    def cpu_ms(self):
        return statistics.median(self.cpu) * 1000

    def spread_ms(self):
        """The middle half of the rounds' wall times (25th to 75th percentile), in ms."""
        low, _, high = quartiles(self.wall)
        return low * 1000, high * 1000


def quartiles(values):
    if len(values) < 2:
        return values[0], values[0], values[0]
    return statistics.quantiles(values, n=4, method="inclusive")


def paired(a, b, pick):
    """Per-round ratios of a to b (both ran in the same round): median and the middle half."""
    ratios = [x / max(y, 1e-9) for x, y in zip(pick(a), pick(b))]
    low, mid, high = quartiles(ratios)
    return mid, low, high


def peak_rss_kib(case):
    """The command's peak RSS as GNU time reports it (its own small fork is the floor); else what wait4 said,
    which after posix_spawn from Python includes the interpreter's pages."""
    gnu_time = "/usr/bin/time"
    if not os.path.exists(gnu_time):
        return max(case.rss)
    report = os.path.join(tempfile.gettempdir(), f"ductor-bench-rss-{os.getpid()}")
    if case.before:
        case.before()
    spawn([gnu_time, "-f", "%M", "-o", report] + case.argv, case.env, case.stdout)
    with open(report) as text:
        value = int(text.read().split()[-1])
    os.remove(report)
    return value


def interleave(cases, rounds, seed=14):
    for case in cases:  # warm-up: page cache, the plugin info cache
        case.run()
        case.wall.clear(), case.cpu.clear(), case.rss.clear()
    shuffler = random.Random(seed)  # the same orders in every run of the benchmark
    for _ in range(rounds):
        order = list(cases)
        shuffler.shuffle(order)
        for case in order:
            case.run()


def table(cases):
    print(f"  {'case':<40} {'wall median':>12} {'middle half':>15} {'cpu median':>11} {'peak RSS':>9}")
    for c in cases:
        c.peak = peak_rss_kib(c)
        low, high = c.spread_ms()
        print(f"  {c.name:<40} {c.median_ms():9.2f} ms {low:6.2f}-{high:5.2f} ms {c.cpu_ms():8.2f} ms "
              f"{c.peak / 1024:6.1f} MB")


def ratio(text, a, b):
    wall, low, high = paired(a, b, lambda c: c.wall)
    cpu, _, _ = paired(a, b, lambda c: c.cpu)
    print(f"  {text:<58} {wall:5.2f}x  ({low:.2f}-{high:.2f}; cpu {cpu:5.2f}x)")


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    ductor, fixture, stamp, floor = (os.path.abspath(a) for a in sys.argv[1:5])
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 60
    work = tempfile.mkdtemp(prefix="ductor-bench-")
    memory = None
    os.chmod(work, 0o755)
    try:
        runtime = os.path.join(work, "runtime")
        os.mkdir(runtime, 0o700)
        env = {k: v for k, v in os.environ.items() if k not in ("DUCTOR_BACKEND", "DUCTOR_PLUGIN_PATH")}
        env.update(DUCTOR_HOME=os.path.join(work, "home"), XDG_RUNTIME_DIR=runtime)
        dirs = {}
        for n in COUNTS:
            dirs[n] = os.path.join(work, f"plugins-{n}")
            make_plugins.make(fixture, dirs[n], n)
        cat = shutil.which("cat")
        base = [Case("/bin/true", ["/bin/true"], env), Case("ductor --version", [ductor, "--version"], env),
                Case("ductor run --log-to file -- /bin/true",
                     [ductor, "run", "--name", "bench", "--log-to", "file", "--", "/bin/true"], env)]
        floor_case = Case("C++ floor (hello world, shared libstdc++)", [floor], env)
        systemctl = shutil.which("systemctl")
        anchor = Case("systemctl --version", [systemctl, "--version"], env) if systemctl else None
        status = [Case(f"service status, {n} extra plugins",
                       [ductor, "--plugin-dir", dirs[n], "service", "status", "--name", "bench"], env, codes=(0, 3, 4))
                  for n in COUNTS]
        plugins = [Case(f"plugins, {n} extra plugins", [ductor, "--plugin-dir", dirs[n], "plugins"], env)
                   for n in COUNTS]
        print(f"{rounds} rounds, cases shuffled in each; {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
        anchors = [floor_case] + ([anchor] if anchor else [])
        interleave(base + anchors + status + plugins, rounds)
        table(base + anchors + status + plugins)
        print("ratios (goal):")
        ratio("ductor --version / /bin/true (<= 2)", base[1], base[0])
        ratio("  C++ floor / /bin/true (what --version cannot go below)", floor_case, base[0])
        ratio("  ductor --version / C++ floor", base[1], floor_case)
        ratio("ductor run --log-to file -- /bin/true / --version (<= 1.5)", base[2], base[1])
        ratio("service status, 100 extra / 0 extra plugins (<= 1.1)", status[-1], status[0])
        slope = (plugins[-1].median_ms() - plugins[0].median_ms()) / COUNTS[-1]
        print(f"  {'ductor plugins with 100 extra plugins (<= 15 ms)':<58} {plugins[-1].median_ms():5.2f} ms "
              f"({slope:.3f} ms per plugin)")
        if anchor:
            worst = max(c.peak for c in base[1:3] + status + plugins)
            print(f"  {'peak RSS of any ductor command / systemctl --version (<= 1)':<58} "
                  f"{worst / anchor.peak:5.2f}x")

        # Restart after exit 42: the old program's exit to the new one's start.
        stamps = os.path.join(work, "stamps")
        restart = Case("run: exit 42, then start again", [ductor, "run", "--name", "restart", "--log-to", "file",
                                                          "--", stamp, stamps], env,
                       before=lambda: os.path.exists(stamps) and os.remove(stamps))
        latencies = []
        for _ in range(max(5, rounds // 2)):
            restart.run()
            marks = dict(line.split() for line in open(stamps))
            latencies.append((int(marks["start"]) - int(marks["exit"])) / 1e6)
        print(f"restart after exit 42 (goal <= 5 ms): median {statistics.median(latencies):.2f} ms, "
              f"max {max(latencies):.2f} ms over {len(latencies)} restarts")

        # Log throughput: the runner writing a program's output to its log, against cat > file. Both on a
        # tmpfs where there is one: the copies are measured, not the disk's write-back (which the machine's
        # other work makes noisy, and which treats one 200 MiB file and twenty 10 MiB ones differently).
        memory = tempfile.mkdtemp(prefix="ductor-bench-", dir="/dev/shm") if os.access("/dev/shm", os.W_OK) else None
        stream = memory or work
        data = os.path.join(stream, "data")
        with open(data, "wb") as out:
            line = b"x" * 99 + b"\n"
            out.write(line * (2 * 1024 * 1024))  # 200 MiB
        size = os.path.getsize(data) / 1048576
        sink = os.path.join(stream, "cat-out")
        stream_env = dict(env, DUCTOR_HOME=os.path.join(stream, "home"))
        print(f"log throughput in {'a tmpfs (/dev/shm)' if memory else work}:")
        copy = Case("cat data > file", [cat, data], stream_env, stdout=sink, before=lambda: None)
        logs = Case("ductor run --log-to file -- cat data",
                    [ductor, "run", "--name", "logs", "--log-to", "file", "--", cat, data], stream_env)
        interleave([copy, logs], THROUGHPUT_ROUNDS)
        for c in (copy, logs):
            low, high = c.spread_ms()
            print(f"  {c.name:<40} {size / statistics.median(c.wall):7.0f} MiB/s  (middle half "
                  f"{size * 1000 / high:.0f}-{size * 1000 / low:.0f}; cpu {c.cpu_ms():.0f} ms)")
        ratio_text = f"runner log throughput / cat (goal >= 0.85), {THROUGHPUT_ROUNDS} rounds"
        ratio(f"{ratio_text:<58}", copy, logs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if memory:
            shutil.rmtree(memory, ignore_errors=True)


if __name__ == "__main__":
    main()
