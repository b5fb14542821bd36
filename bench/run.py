#!/usr/bin/env python3
"""Benchmark eventio's firmware against stock MicroPython asyncio.

Runs the MicroPython scripts in bench/ on build/micropython (ours) and
build/micropython-stock (stock), interleaved (ours, stock, stock, ours, ...), several
repeats; checks that both printed the same checksum before any timing is reported; writes
build/bench/results.json, results.md and results.png.

    python3 bench/run.py --build build [--quick]

Exit status 1 when a run failed or the two firmwares disagreed on a checksum (the results
files are written anyway and say which).
"""

import argparse
import concurrent.futures
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIRMWARES = ("ours", "stock")
BIG_HEAP = "256M"


def case(cid, title, script, args, quick_args=None, heap=None, kind="rate", unit="/s",
         repeats=None, stock_repeats=None, full_only=False, firmwares=FIRMWARES):
    """kind: 'rate' = ops per second from the script's timing (higher is better);
    'time' = wall time in ms of the script's timed part (lower is better).
    firmwares: ("ours",) for a case stock cannot run (no ratio then)."""
    return dict(id=cid, title=title, script=script, args=args, quick_args=quick_args or args,
                heap=heap, kind=kind, unit=unit, repeats=repeats, stock_repeats=stock_repeats,
                full_only=full_only, firmwares=firmwares)


CASES = [
    case("switch_1", "sleep(0) switches, 1 task", "switches.py", [1, 1000000], [1, 200000]),
    case("switch_100", "sleep(0) switches, 100 tasks", "switches.py", [100, 10000], [100, 2000]),
    case("switch_10000", "sleep(0) switches, 10,000 tasks", "switches.py", [10000, 100],
         [10000, 20], heap="32M"),
    case("floor_1", "interpreter floor: gen.send(None), 1 generator", "floor.py",
         [1, 5000000], [1, 1000000]),
    case("floor_100", "interpreter floor: gen.send(None), 100 generators", "floor.py",
         [100, 50000], [100, 10000]),
    case("native_floor_1", "native floor: _eventio.resume_floor, 1 generator (ours only)",
         "floor.py", [1, 5000000, "native"], [1, 1000000, "native"], firmwares=("ours",)),
    case("native_floor_100", "native floor: _eventio.resume_floor, 100 generators (ours only)",
         "floor.py", [100, 50000, "native"], [100, 10000, "native"], firmwares=("ours",)),
    case("event", "Event ping-pong round trips", "event.py", [100000], [20000]),
    case("lock", "Lock hand-offs among 10 tasks", "lock.py", [10, 5000], [10, 1000]),
    case("queue", "Queue(16) items, ours asyncio.Queue vs stock a Python Queue", "prodcons.py", [100000, "native"], [20000, "native"]),
    case("queue_py", "Queue(16) items, the Python Queue on both", "prodcons.py", [100000, "py"],
         [20000, "py"]),
    case("gather", "create_task + gather of 1,000 short tasks (tasks/s)", "gather.py",
         [1000, 100], [1000, 20]),
    case("gather_320k", "create_task + gather of 1,000 short tasks on a 320 KB heap (tasks/s)",
         "gather.py", [1000, 5], [1000, 2], heap="320k"),
] + [
    # Timeouts on a 2 MB heap (unix's default) and a 64 KB one (a board's): see timeouts.py.
    # Stock has no asyncio.timeout(), so the timeout() cases run on ours only.
    case("%s_%s" % (mode, heap.lower()), "%s, %s heap" % (title, heap), "timeouts.py",
         [50000, mode], [10000, mode], heap=heap,
         firmwares=("ours",) if mode.startswith("timeout") else FIRMWARES)
    for heap in ("2M", "64k")
    for mode, title in (
        ("coro", "`await coro()`, for reference"),
        ("wait_for_coro", "`await wait_for(coro(), 1)`"),
        ("wait_for_event", "`await wait_for(ev.wait(), 1)`, ev set"),
        ("timeout_coro", "`async with timeout(1): await coro()` (ours only)"),
        ("timeout_event", "`async with timeout(1): await ev.wait()`, ev set (ours only)"),
    )
] + [
    case("timers", "1,000 tasks x random sleep_ms(1..50), wall time", "timers.py",
         [1000, 20, 50], [1000, 5, 50], kind="time", unit="ms"),
    case("cancel_sleeping", "10,000 sleeping tasks cancelled in scattered order, wall time",
         "cancel.py", [10000], [2000], heap="64M", kind="time", unit="ms"),
    case("cancel_event", "10,000 tasks waiting on one Event cancelled newest first, wall time",
         "cancel.py", [10000, "event"], [2000, "event"], heap="64M", kind="time", unit="ms"),
    case("scale_10000", "10,000 tasks create_task + sleep_ms(1 + i % 50), wall time",
         "scale.py", [10000], heap=BIG_HEAP, kind="time", unit="ms"),
    case("scale_30000", "30,000 tasks create_task + sleep_ms(1 + i % 50), wall time",
         "scale.py", [30000], heap=BIG_HEAP, kind="time", unit="ms", full_only=True),
    case("scale_100000", "100,000 tasks create_task + sleep_ms(1 + i % 50), wall time",
         "scale.py", [100000], heap=BIG_HEAP, kind="time", unit="ms", repeats=3,
         stock_repeats=1, full_only=True),
]

# Instruction counts under callgrind: (id, title, script, args at N, args at 2N, ops at N).
# The difference of the two runs cancels start-up; callgrind counts are repeatable.
CALLGRIND = [
    ("insn_switch_1", "instructions per sleep(0) switch, 1 task", "switches.py",
     [1, 10000], [1, 20000], 10000),
    ("insn_switch_100", "instructions per sleep(0) switch, 100 tasks", "switches.py",
     [100, 100], [100, 200], 10000),
    ("insn_event", "instructions per Event ping-pong round trip", "event.py",
     [5000], [10000], 5000),
]

# Ratio targets (ours/stock of the median in the same run).
# (target id, case id, op, bound, wording); the other targets are in evaluate_targets.
TARGETS = [
    ("switch_1", "switch_1", ">=", 10, ">= 10x stock"),
    ("switch_10000", "switch_10000", ">=", 10, ">= 10x stock"),
    ("event", "event", ">=", 5, ">= 5x stock"),
    ("gather", "gather", ">=", 3, ">= 3x stock"),
    ("queue", "queue", ">=", 5, ">= 5x stock's pure-Python Queue"),
    ("scale_100000", "scale_100000", "<=", 1 / 20, "<= 0.05x stock (>= 20x faster)"),
    ("mem_sleeping_task", "mem_sleeping_task", "<=", 0.75, "<= 0.75x stock"),
]
NATIVE_FLOOR_BOUND = 2.5   # native resume floor / ours sleep(0) switch rate, 1 task
TSF_P99_US = 50            # ThreadSafeFlag thread -> task, ours p99
PRIO_P99_US = 100          # the same to a priority task with tasks spinning, ours p99
LAT_VS_STOCK = 0.1         # ours p99 <= stock p99 / 10
PRIO_GROWTH_US = 5         # ours p50 with 500 spinning tasks <= p50 with 50 + this
SYSCALLS_MAX = 3           # blocking system calls during the 3 s flag wait, ours

def log(*a):
    print(*a, flush=True)


def fmt_num(v, unit=""):
    if v is None:
        return "-"
    if unit == "/s":
        if v >= 1e6:
            return "%.2f M/s" % (v / 1e6)
        if v >= 1e3:
            return "%.1f k/s" % (v / 1e3)
        return "%.0f /s" % v
    if unit == "ms":
        return "%.1f ms" % v if v < 1000 else "%.2f s" % (v / 1000)
    if unit == "B":
        return "%.0f B" % v
    if unit == "insn":
        return "{:,.0f}".format(v)
    return "%g" % v


def fmt_ratio(r):
    if r is None:
        return "-"
    if r >= 100:
        return "%.0fx" % r
    if r >= 10:
        return "%.1fx" % r
    return "%.2fx" % r


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()[:16]


class Runner:
    def __init__(self, bins, timeout):
        self.bins = bins
        self.timeout = timeout

    def argv(self, fw, script, args, heap):
        cmd = [self.bins[fw]]
        if heap:
            cmd += ["-X", "heapsize=" + heap]
        return cmd + [os.path.join(HERE, script)] + [str(a) for a in args]

    def run(self, fw, script, args, heap=None, prefix=()):
        cmd = list(prefix) + self.argv(fw, script, args, heap)
        t0 = time.monotonic()
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=self.timeout,
                               cwd=HERE)
        except subprocess.TimeoutExpired:
            return None, "timed out after %d s" % self.timeout, ""
        wall = time.monotonic() - t0
        res = None
        for line in p.stdout.splitlines():
            if line.startswith("BENCH "):
                try:
                    res = json.loads(line[6:])
                except ValueError:
                    pass
        if p.returncode != 0 or res is None:
            err = (p.stderr.strip() or p.stdout.strip()).splitlines()[-3:]
            return None, "exit %d: %s" % (p.returncode, " | ".join(err)), p.stderr
        res["process_s"] = wall
        return res, None, p.stderr


def summarize(vals):
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    med = statistics.median(vals)
    return {"median": med, "min": min(vals), "max": max(vals), "n": len(vals),
            "spread_pct": (max(vals) - min(vals)) / med * 100 if med else 0.0,
            "samples": vals}


def value_of(c, res):
    if c["kind"] == "rate":
        return res["ops"] / res["us"] * 1e6 if res["us"] > 0 else None
    return res["us"] / 1000.0


def run_timing(runner, cases, quick, repeats, errors):
    data = {}
    for c in cases:
        data[c["id"]] = {"runs": {fw: [] for fw in FIRMWARES}, "checks": {fw: set() for fw in FIRMWARES}}
    for r in range(repeats):
        order = FIRMWARES if r % 2 == 0 else FIRMWARES[::-1]
        log("repeat %d/%d (%s first)" % (r + 1, repeats, order[0]))
        for c in cases:
            args = c["quick_args"] if quick else c["args"]
            for fw in order:
                if fw not in c["firmwares"]:
                    continue
                want = c["repeats"] if fw == "ours" else (c["stock_repeats"] or c["repeats"])
                if want is not None and r >= want:
                    continue
                res, err, _ = runner.run(fw, c["script"], args, c["heap"])
                d = data[c["id"]]
                if err:
                    errors.append("%s on %s: %s" % (c["id"], fw, err))
                    log("  %-14s %-5s ERROR %s" % (c["id"], fw, err))
                    continue
                d["runs"][fw].append(res)
                d["checks"][fw].add(res["check"])
                log("  %-14s %-5s %s" % (c["id"], fw, fmt_num(value_of(c, res), c["unit"])))
    out = {}
    for c in cases:
        d = data[c["id"]]
        checks = {fw: sorted(d["checks"][fw]) for fw in FIRMWARES}
        fws = c["firmwares"]
        check_ok = all(len(checks[fw]) == 1 for fw in fws) and \
            all(checks[fw] == checks[fws[0]] for fw in fws)
        entry = {"title": c["title"], "script": c["script"],
                 "args": c["quick_args"] if quick else c["args"], "heap": c["heap"] or "default",
                 "kind": c["kind"], "unit": c["unit"], "checks": checks, "check_ok": check_ok,
                 "firmwares": list(fws)}
        for fw in FIRMWARES:
            runs = d["runs"][fw]
            entry[fw] = summarize([value_of(c, x) for x in runs])
            extra = {}
            for key in ("create_us", "start_us", "rest_us", "late_mean_ms", "late_max_ms"):
                if runs and key in runs[0]:
                    extra[key] = statistics.median(x[key] for x in runs)
            if runs and "impl" in runs[0]:
                extra["impl"] = runs[0]["impl"]
            if extra:
                entry[fw + "_parts"] = extra
        if len(fws) == 1:
            if not check_ok and checks[fws[0]]:
                errors.append("%s: checksum differs between repeats: %s" % (c["id"], checks))
            entry["ratio"] = None
        elif not check_ok:
            if all(checks[fw] for fw in FIRMWARES):
                errors.append("%s: checksums differ: ours %s, stock %s"
                              % (c["id"], checks["ours"], checks["stock"]))
            entry["ratio"] = None
        elif entry["ours"] and entry["stock"]:
            entry["ratio"] = entry["ours"]["median"] / entry["stock"]["median"]
        else:
            entry["ratio"] = None
        out[c["id"]] = entry
    return out


def run_callgrind(runner, errors):
    """Two valgrind runs at a time (the counts do not depend on the machine's load)."""
    out = {}
    if not shutil.which("valgrind"):
        log("valgrind not found: instruction counts skipped")
        return out
    tmp = tempfile.mkdtemp(prefix="eventio-bench-")

    def one(job):
        cid, fw, k, script, args = job
        cg = os.path.join(tmp, "cg-%s-%s-%d.out" % (cid, fw, k))
        prefix = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg]
        res, err, stderr = runner.run(fw, script, args, None, prefix)
        m = re.search(r"Collected : (\d+)", stderr or "")
        return res, err or (None if m else "no callgrind count"), m and int(m.group(1))

    jobs = [(cid, fw, k, script, args) for cid, title, script, a1, a2, ops in CALLGRIND
            for fw in FIRMWARES for k, args in enumerate((a1, a2))]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(zip([j[:3] for j in jobs], pool.map(one, jobs)))
    shutil.rmtree(tmp, ignore_errors=True)
    for cid, title, script, a1, a2, ops in CALLGRIND:
        entry = {"title": title, "unit": "insn", "args_n": a1, "args_2n": a2}
        checks = {}
        for fw in FIRMWARES:
            counts = []
            for k in (0, 1):
                res, err, n = done[(cid, fw, k)]
                if err:
                    errors.append("%s on %s: %s" % (cid, fw, err))
                    counts = None
                    break
                counts.append(n)
                checks.setdefault(fw, []).append(res["check"])
            entry[fw] = None if counts is None else {
                "insn_n": counts[0], "insn_2n": counts[1], "median": (counts[1] - counts[0]) / ops}
            log("  %-16s %-5s %s" % (cid, fw, fmt_num(entry[fw] and entry[fw]["median"], "insn")))
        entry["checks"] = checks
        entry["check_ok"] = checks.get("ours") == checks.get("stock") and len(checks) == 2
        if not entry["check_ok"] and len(checks) == 2:
            errors.append("%s: checksums differ: %s" % (cid, checks))
        entry["ratio"] = entry["ours"]["median"] / entry["stock"]["median"] \
            if entry["check_ok"] and entry.get("ours") and entry.get("stock") else None
        out[cid] = entry
    return out


# Latency cases: one run per firmware (the samples are in the run), the order alternating
# from one case to the next.  (id, title, args, quick args, pinned to one CPU)
LATENCY = [
    ("tsf", "ThreadSafeFlag set in a thread -> task runs, loop idle",
     [10000], [1000], True),
    ("prio_50", "ThreadSafeFlag -> priority-3 task, 50 tasks spinning", [10000, 50, 3], [1000, 50, 3], False),
    ("prio_500", "ThreadSafeFlag -> priority-3 task, 500 tasks spinning", [10000, 500, 3], [1000, 500, 3], False),
]
LAT_KEYS = ("p50", "p90", "p99", "max", "min", "mean")


def rt_prefix(pin):
    """Latency runs under SCHED_FIFO when allowed, so other work on the machine does not
    preempt the loop or the setting thread (both firmwares alike).  pin: on one CPU too, so
    the thread's set() wakes the loop on its own core (Linux wakes a real-time thread on
    another core through an inter-processor interrupt, ~15 us here); only where the loop
    idles, as a thread cannot preempt a busy loop of the same real-time priority."""
    cmd = []
    if shutil.which("chrt"):
        try:
            if subprocess.run(["chrt", "-f", "10", "true"], capture_output=True).returncode == 0:
                cmd = ["chrt", "-f", "10"]
        except OSError:
            pass
    desc = "SCHED_FIFO 10 (`chrt -f 10`)" if cmd else "default (chrt not allowed)"
    if pin and cmd and shutil.which("taskset") and hasattr(os, "sched_getaffinity"):
        cpu = max(os.sched_getaffinity(0))
        cmd = ["taskset", "-c", str(cpu)] + cmd
        desc += " on one CPU (`taskset -c %d`)" % cpu
    return cmd, desc


def run_latency(runner, quick, errors):
    out = {}
    for i, (cid, title, args, qargs, pin) in enumerate(LATENCY):
        args = qargs if quick else args
        prefix, sched = rt_prefix(pin)
        order = FIRMWARES if i % 2 == 0 else FIRMWARES[::-1]
        entry = {"title": title, "script": "tsf_latency.py", "args": args, "unit": "us",
                 "sched": sched}
        for fw in order:
            res, err, _ = runner.run(fw, "tsf_latency.py", args, None, prefix)
            if err:
                errors.append("%s on %s: %s" % (cid, fw, err))
                log("  %-14s %-5s ERROR %s" % (cid, fw, err))
                entry[fw] = None
                continue
            entry[fw] = {k: res[k] for k in LAT_KEYS}
            entry[fw].update(n=res["ops"], prio=res["prio"], check=res["check"],
                             spins=res["spins"], us=res["us"])
            log("  %-14s %-5s p50 %d us, p99 %d us, max %d us (%d samples%s)" % (
                cid, fw, res["p50"], res["p99"], res["max"], res["ops"],
                ", priority %d" % args[2] if res["prio"] else ""))
        o, st = entry.get("ours"), entry.get("stock")
        entry["check_ok"] = bool(o and st and o["check"] == st["check"])
        if o and st and not entry["check_ok"]:
            errors.append("%s: checksums differ: ours %s, stock %s" % (cid, o["check"],
                                                                      st["check"]))
        entry["ratio"] = o["p99"] / st["p99"] if entry["check_ok"] and st["p99"] else None
        out[cid] = entry
    return out


BLOCKING = ("poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "futex",
            "nanosleep", "clock_nanosleep")
IDLE_WAIT_S = 3


def strace_counts(path):
    """Blocking calls in a `strace -c` summary."""
    counts = {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            # % time, seconds, usecs/call, calls, [errors], syscall
            if len(fields) >= 5 and fields[-1] in BLOCKING and fields[3].isdigit():
                counts[fields[-1]] = int(fields[3])
    return counts


def strace_window(path):
    """Blocking calls in a full `strace -f` trace between tsf_idle.py's WAIT and WOKE writes:
    those started in between, and those another thread was already blocked in at WAIT (the
    setter's sleep).  None when the markers are missing."""
    counts = {}
    blocked = {}  # pid -> call it is in (<unfinished ...>)
    inside = False
    with open(path) as f:
        for line in f:
            m = re.match(r"^(?:\[pid\s+)?(\d+)\]?\s+(.*)$", line)
            pid, rest = (m.group(1), m.group(2)) if m else ("?", line)
            if not inside and rest.startswith('write(1, "WAIT"'):
                inside = True
                for name in blocked.values():
                    if name in BLOCKING:
                        counts[name] = counts.get(name, 0) + 1
                continue
            if inside and rest.startswith('write(1, "WOKE"'):
                return counts
            r = re.match(r"^<\.\.\. (\w+) resumed>", rest)
            if r:
                blocked.pop(pid, None)
                continue
            c = re.match(r"^(\w+)\(", rest)
            if c:
                if rest.rstrip().endswith("<unfinished ...>"):
                    blocked[pid] = c.group(1)
                if inside and c.group(1) in BLOCKING:
                    counts[c.group(1)] = counts.get(c.group(1), 0) + 1
    return None


def ensure_strace():
    if shutil.which("strace"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("bench: strace not found; installing it (apt-get)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-q"], stdout=subprocess.DEVNULL, env=env)
        subprocess.run(["apt-get", "install", "-y", "-q", "strace"], stdout=subprocess.DEVNULL,
                       env=env)
    return bool(shutil.which("strace"))


def start_syscalls(runner, tmp):
    """Both firmwares, each twice at once: under `strace -f -c -o FILE` (the whole process)
    and under `strace -f -o FILE` (a full trace, for the calls during the wait).  Counts do
    not depend on the machine's load.  Returns the jobs for finish_syscalls."""
    if not ensure_strace():
        return None
    jobs = {}
    for fw in FIRMWARES:
        for mode, opts in (("summary", ["-c"]), ("trace", [])):
            path = os.path.join(tmp, "strace-%s-%s.txt" % (fw, mode))
            cmd = ["strace", "-f"] + opts + ["-o", path] + \
                runner.argv(fw, "tsf_idle.py", [IDLE_WAIT_S], None)
            jobs[(fw, mode)] = (subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                                 stderr=subprocess.PIPE, text=True, cwd=HERE),
                                path)
    return jobs


def finish_syscalls(jobs, errors):
    if jobs is None:
        log("strace not found: system call counts skipped")
        return {"skipped": "strace not installed"}
    out = {"title": "blocking system calls during a %d s ThreadSafeFlag wait set by a thread "
                    "at the end" % IDLE_WAIT_S,
           "wait_s": IDLE_WAIT_S, "syscalls": list(BLOCKING)}
    for fw in FIRMWARES:
        out[fw] = {}
        for mode in ("summary", "trace"):
            p, path = jobs[(fw, mode)]
            try:
                stdout, stderr = p.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.communicate()
                errors.append("syscalls (%s) on %s: timed out" % (mode, fw))
                out[fw] = None
                break
            ok = p.returncode == 0 and '"check": "1"' in stdout and os.path.exists(path)
            c = (strace_counts(path) if mode == "summary" else strace_window(path)) \
                if ok else None
            if c is None:
                errors.append("syscalls (%s) on %s: exit %d%s: %s" % (
                    mode, fw, p.returncode, "" if ok else ", no WAIT/WOKE in the trace",
                    stderr.strip()[-200:]))
                out[fw] = None
                break
            out[fw]["process" if mode == "summary" else "wait"] = {
                "total": sum(c.values()), "counts": c}
        if out[fw]:
            log("  syscalls       %-5s during the wait %d %s; whole process %d %s" % (
                fw, out[fw]["wait"]["total"], out[fw]["wait"]["counts"],
                out[fw]["process"]["total"], out[fw]["process"]["counts"]))
    return out


def qemu_prepare(a, bin_dir, errors):
    """The QEMU board's two firmwares, copied like the unix ones; or why they are skipped."""
    if not shutil.which("qemu-system-arm"):
        return {"skipped": "qemu-system-arm is not installed"}
    elfs = {"ours": os.path.join(a.build, "eventio-mps2.elf"),
            "stock": os.path.join(a.build, "eventio-mps2-stock.elf")}
    top = os.path.dirname(HERE)
    if os.path.realpath(a.build) == os.path.realpath(os.path.join(top, "build")):
        # Made (or brought up to date: make rebuilds what changed) every time, so that the
        # figures are of the sources as they are, not of a firmware built earlier.
        log("bench: make firmware-qemu firmware-qemu-stock")
        p = subprocess.run(["make", "-C", top, "firmware-qemu", "firmware-qemu-stock"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0 or not all(os.path.exists(e) for e in elfs.values()):
            return {"skipped": "build/eventio-mps2*.elf missing and `make firmware-qemu "
                               "firmware-qemu-stock` failed: %s"
                               % " | ".join(p.stderr.strip().splitlines()[-2:])}
    elif not all(os.path.exists(e) for e in elfs.values()):
        return {"skipped": "%s has no eventio-mps2.elf / eventio-mps2-stock.elf" % a.build}
    out = {"elfs": {}}
    for fw, e in elfs.items():
        dst = os.path.abspath(os.path.join(bin_dir, os.path.basename(e)))
        shutil.copy2(e, dst)
        out["elfs"][fw] = {"path": dst, "sha": sha256(dst), "built": datetime.datetime.fromtimestamp(
            os.path.getmtime(e)).strftime("%Y-%m-%d %H:%M")}
    return out


def qemu_start(q):
    if "skipped" in q:
        return None
    script = os.path.join(os.path.dirname(HERE), "micropython-port", "qemu", "qemu_bench.py")
    py = shutil.which("python3") or sys.executable
    return subprocess.Popen([py, script, "--ours", q["elfs"]["ours"]["path"], "--stock",
                             q["elfs"]["stock"]["path"]], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def qemu_target(target, ours):
    """A plain verdict for qemu_bench.py's target column: '<= N', '>= N' or 'N'."""
    if ours is not None and target.strip() == ours:
        return True
    t = target.replace(",", "").strip()
    m = re.match(r"^(<=|>=)?\s*(\d+(?:\.\d+)?)(\s.*)?$", t)
    if ours is None:
        return None
    if not m:
        return ours == t if " " not in t and not t.startswith("~") else None
    try:
        v = float(ours)
    except ValueError:
        return None
    b = float(m.group(2))
    return v <= b if m.group(1) == "<=" else (v >= b if m.group(1) == ">=" else v == b)


def qemu_finish(q, proc, errors):
    if proc is None:
        log("QEMU: %s" % q["skipped"])
        return q
    try:
        text, _ = proc.communicate(timeout=900)
    except subprocess.TimeoutExpired:
        proc.kill()
        text = proc.communicate()[0]
        errors.append("qemu_bench.py timed out")
    q["output"] = text
    rows = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("measure "):
            for row in lines[i + 1:]:
                m = re.match(r"^(.*?\S)\s{2,}(\S+)\s{2,}(\S+)(?:\s{2}(.*))?$", row)
                if m:
                    ours = None if m.group(2) == "-" else m.group(2)
                    rows.append({"what": m.group(1), "ours": ours,
                                 "stock": None if m.group(3) == "-" else m.group(3),
                                 "target": (m.group(4) or "").strip()})
            q["header"] = line.split("  ")[0]
            break
    for r in rows:
        r["met"] = qemu_target(r["target"], r["ours"]) if r["target"] else None
    q["rows"] = rows
    if not rows:
        errors.append("qemu_bench.py printed no table (exit %s)" % proc.returncode)
    for r in rows:
        log("  qemu %-45s %10s %10s %s" % (r["what"], r["ours"] or "-", r["stock"] or "-",
                                          r["target"]))
    return q


MEMORY_KEYS = [
    ("mem_sleeping_task", "bytes_per_sleeping_task", "heap bytes per sleeping task"),
    ("mem_event_waiter", "bytes_per_event_waiter", "heap bytes per task waiting on an Event"),
    ("mem_per_switch", "bytes_per_switch", "heap bytes allocated per sleep(0) switch"),
    ("mem_per_wait", "bytes_per_event_wait", "heap bytes allocated per Event wait"),
    ("mem_import", "bytes_import_asyncio", "heap bytes taken by import asyncio"),
    ("mem_gather", "bytes_per_gathered_task", "heap bytes gather allocates per task"),
]


def run_memory(runner, errors):
    res = {}
    for fw in FIRMWARES:
        r, err, _ = runner.run(fw, "memory.py", [1000, 1000])
        if err:
            errors.append("memory on %s: %s" % (fw, err))
        res[fw] = r
        log("  memory         %-5s %s" % (fw, r and {k: v for k, v in r.items()
                                                        if k not in ("name", "process_s")}))
    out = {}
    ok = res["ours"] and res["stock"] and res["ours"]["check"] == res["stock"]["check"]
    if res["ours"] and res["stock"] and not ok:
        errors.append("memory: checksums differ: %s vs %s" % (res["ours"]["check"],
                                                              res["stock"]["check"]))
    for mid, key, title in MEMORY_KEYS:
        e = {"title": title, "unit": "B", "check_ok": bool(ok)}
        for fw in FIRMWARES:
            e[fw] = {"median": res[fw][key]} if res[fw] else None
        e["ratio"] = e["ours"]["median"] / e["stock"]["median"] \
            if ok and e["stock"]["median"] else None
        out[mid] = e
    for mid, key, title in [("heap_lock_switch", "switch_heap_lock_ok",
                             "1,000 sleep(0) switches under micropython.heap_lock()"),
                            ("heap_lock_wait", "event_heap_lock_ok",
                             "1,000 Event ping-pongs under micropython.heap_lock()")]:
        out[mid] = {"title": title, "unit": "lock", "check_ok": bool(ok),
                    "ours": res["ours"] and res["ours"][key],
                    "stock": res["stock"] and res["stock"][key]}
    return out


def evaluate_targets(results):
    """One row per target: id, workload, measured (text), wanted, met (True/False/None)."""
    rows = []
    allm = {}
    for sect in ("timing", "memory"):
        allm.update(results.get(sect, {}))
    tm = results.get("timing", {})
    lat = results.get("latency", {})

    def add(tid, workload, measured, wanted, met, **kw):
        r = {"id": tid, "workload": workload, "measured": measured, "target": wanted,
             "met": met}
        r.update(kw)
        rows.append(r)

    def ratio_row(tid, cid, op, bound, wording):
        e = allm.get(cid)
        ratio = e and e.get("ratio")
        met = None if ratio is None else (ratio >= bound if op == ">=" else ratio <= bound)
        if e is None:
            title = "100,000-task case (full run only)" if cid == "scale_100000" else \
                ([x[2] for x in MEMORY_KEYS if x[0] == cid] +
                 [c["title"] for c in CASES if c["id"] == cid] + [cid])[0]
            add(tid, title, "-", wording, None, ratio=None)
            return
        o, st = e.get("ours"), e.get("stock")
        if ratio is None:
            measured = "-" if e.get("check_ok", True) else "checksums differ"
        else:
            measured = "%s vs %s: %s" % (fmt_num(o["median"], e["unit"]),
                                         fmt_num(st["median"], e["unit"]), fmt_ratio(ratio))
        add(tid, e["title"], measured, wording, met, ratio=ratio)

    targets = {t[0]: t for t in TARGETS}
    for tid in ("switch_1", "switch_10000"):
        ratio_row(*targets[tid])
    # sleep(0) against the native resume floor (ours alone, the same repeats)
    fl, sw = tm.get("native_floor_1"), tm.get("switch_1")
    if fl and sw and fl.get("ours") and sw.get("ours"):
        r = fl["ours"]["median"] / sw["ours"]["median"]
        add("native_floor", "sleep(0) switches, 1 task, against `_eventio.resume_floor` "
            "(mp_resume round robin, 1 generator)",
            "floor %s / ours %s = %.2fx" % (fmt_num(fl["ours"]["median"], "/s"),
                                             fmt_num(sw["ours"]["median"], "/s"), r),
            "within %gx of the native floor" % NATIVE_FLOOR_BOUND, r <= NATIVE_FLOOR_BOUND,
            ratio=r)
    else:
        add("native_floor", "sleep(0) switches vs the native resume floor", "-",
            "within %gx of the native floor" % NATIVE_FLOOR_BOUND, None, ratio=None)
    for tid in ("event", "gather", "queue", "scale_100000", "mem_sleeping_task"):
        ratio_row(*targets[tid])
    # zero allocation per switch and per wait: both the mem_alloc delta and heap_lock
    mem = results.get("memory", {})
    for tid, delta, lock, wording in [("zero_alloc_switch", "mem_per_switch", "heap_lock_switch",
                                       "0 B allocated per switch"),
                                      ("zero_alloc_wait", "mem_per_wait", "heap_lock_wait",
                                       "0 B allocated per Event wait")]:
        d = mem.get(delta, {}).get("ours")
        lk = mem.get(lock, {}).get("ours")
        met = None if d is None or lk is None else (d["median"] == 0 and lk is True)
        shown = "-" if d is None else "ours %g B, under heap_lock: %s" % (
            d["median"], "runs" if lk else "MemoryError")
        add(tid, [x[2] for x in MEMORY_KEYS if x[0] == delta][0], shown, wording, met,
            ours=d and d["median"], heap_lock_ok=lk, ratio=None)

    # latency: absolute bound on ours' p99, and ours p99 <= stock p99 / 10
    def lat_rows(cid, bound):
        e = lat.get(cid)
        o = e and e.get("ours")
        st = e and e.get("stock")
        title = e["title"] if e else [x[1] for x in LATENCY if x[0] == cid][0]
        add(cid + "_p99", title, "ours p99 %d us" % o["p99"] if o else "-",
            "ours p99 <= %d us" % bound, o["p99"] <= bound if o else None)
        ok = e and e.get("check_ok") and o and st
        add(cid + "_vs_stock", title,
            "ours %d us, stock %d us: %s lower" % (o["p99"], st["p99"],
                                                    fmt_ratio(1 / e["ratio"]))
            if ok else "-", "ours p99 <= stock p99 / 10",
            (o["p99"] <= st["p99"] * LAT_VS_STOCK) if ok else None, ratio=e and e.get("ratio"))

    lat_rows("tsf", TSF_P99_US)
    sc = results.get("syscalls", {})
    if sc.get("ours"):
        o, st = sc["ours"], sc.get("stock")
        add("tsf_syscalls", sc["title"], "ours %d (%s), stock %s; whole process: ours %d, "
            "stock %s" % (
                o["wait"]["total"], counts_text(o["wait"]["counts"]),
                "%d (%s)" % (st["wait"]["total"], counts_text(st["wait"]["counts"]))
                if st else "-", o["process"]["total"],
                st["process"]["total"] if st else "-"),
            "ours <= %d (stock polls every ms: ~{:,})".format(IDLE_WAIT_S * 900)
            % SYSCALLS_MAX, o["wait"]["total"] <= SYSCALLS_MAX)
    else:
        add("tsf_syscalls", "blocking system calls during a ThreadSafeFlag wait",
            sc.get("skipped", "-"), "ours <= %d" % SYSCALLS_MAX, None)
    lat_rows("prio_50", PRIO_P99_US)
    lat_rows("prio_500", PRIO_P99_US)
    a, b = lat.get("prio_50", {}).get("ours"), lat.get("prio_500", {}).get("ours")
    add("prio_flat", "priority task wake-up, 500 vs 50 tasks spinning (ours)",
        "ours p50 %d us at 50, %d us at 500; p99 %d / %d us" % (a["p50"], b["p50"], a["p99"],
                                                                b["p99"]) if a and b else "-",
        "p50 at 500 <= p50 at 50 + %d us (no growth with the ready tasks)" % PRIO_GROWTH_US,
        b["p50"] <= a["p50"] + PRIO_GROWTH_US if a and b else None)
    return rows


def counts_text(c):
    return ", ".join("%s %d" % (k, v) for k, v in sorted(c.items())) or "none"


def verdict(met):
    return "met" if met else ("**NOT MET**" if met is False else "no result")


def write_markdown(results, path):
    m = results["meta"]
    L = []
    L.append("# eventio benchmark: ours vs stock MicroPython asyncio")
    L.append("")
    L.append("%s, %s run (%d interleaved repeats), %s, %s CPUs. ours `%s`, stock `%s` (sha256 prefixes), "
             "git `%s`." % (m["date"], "QUICK" if m["quick"] else "full", m["repeats"],
                            m["machine"], m["cpus"], m["sha_ours"], m["sha_stock"], m["git"]))
    L.append("")
    L.append("Ratios are ours/stock of the medians in this run. Timings are reported only where "
             "both firmwares printed the same checksum of the work done.")
    L.append("")
    L.append("## Targets")
    L.append("")
    L.append("| target | workload | measured | wanted | verdict |")
    L.append("| --- | --- | --- | --- | --- |")
    for t in results["targets"]:
        L.append("| %s | %s | %s | %s | %s |" % (t["id"], t["workload"], t["measured"],
                                               t["target"], verdict(t["met"])))
    missed = [t["id"] for t in results["targets"] if t["met"] is False]
    L.append("")
    if missed:
        L.append("Targets **not met** in this run: %s." % ", ".join(missed))
    else:
        L.append("All targets with a result were met in this run.")
    if m.get("loadavg"):
        L.append("")
        L.append("Load average (1 min) at the start and the end of the run: %s and %s, on %s "
                 "CPUs: wall-clock figures (rates, latencies) move with other work on the "
                 "machine; instruction counts, system call counts and bytes do not."
                 % (m["loadavg"][0], m["loadavg"][1], m["cpus"]))
    L.append("")
    L.append("## Timing")
    L.append("")
    L.append("Median, and in brackets the spread (max - min) / median over the repeats.")
    L.append("")
    L.append("| workload | heap | ours | stock | ours/stock | checksum |")
    L.append("| --- | --- | --- | --- | --- | --- |")
    for cid, e in results["timing"].items():
        cells = []
        for fw in FIRMWARES:
            s = e[fw]
            if fw not in e.get("firmwares", FIRMWARES):
                cells.append("n/a")
            elif s is None or not e["check_ok"]:
                cells.append("-" if s is None else "(hidden)")
            else:
                cells.append("%s [%.0f%%, n=%d]" % (fmt_num(s["median"], e["unit"]),
                                                    s["spread_pct"], s["n"]))
        if len(e.get("firmwares", FIRMWARES)) == 1:
            chk = "ours only" if e["check_ok"] else "**differs between repeats**"
        else:
            chk = "same" if e["check_ok"] else "**DIFFERENT: %s vs %s**" % (
                e["checks"]["ours"], e["checks"]["stock"])
        L.append("| %s (`%s %s`) | %s | %s | %s | %s | %s |" % (
            e["title"], e["script"], " ".join(map(str, e["args"])), e["heap"], cells[0],
            cells[1], fmt_ratio(e["ratio"]), chk))
    L.append("")
    L.append("For rates (`/s`) a ratio above 1 means ours is faster; for wall times (`ms`) a "
             "ratio below 1 means ours is faster.")
    parts = [(cid, e) for cid, e in results["timing"].items() if "ours_parts" in e and
             "create_us" in e["ours_parts"]]
    if parts:
        L.append("")
        L.append("Where the scale cases spend their time (medians, ms): creating the tasks / "
                 "first pass, every task starting and going to sleep / the rest until all "
                 "finished.")
        L.append("")
        L.append("| workload | ours create | ours start | ours rest | stock create | "
                 "stock start | stock rest |")
        L.append("| --- | --- | --- | --- | --- | --- | --- |")
        for cid, e in parts:
            row = [cid]
            for fw in FIRMWARES:
                p = e.get(fw + "_parts", {})
                row += ["%.1f" % (p[k] / 1000) if k in p else "-"
                        for k in ("create_us", "start_us", "rest_us")]
            L.append("| " + " | ".join(row) + " |")
    tm = results["timing"].get("timers")
    if tm and "ours_parts" in tm and tm["check_ok"]:
        L.append("")
        L.append("Timer lateness (1,000 tasks, random sleeps): ours mean %.2f ms, max %d ms; "
                 "stock mean %.2f ms, max %d ms." % (
                     tm["ours_parts"]["late_mean_ms"], tm["ours_parts"]["late_max_ms"],
                     tm["stock_parts"]["late_mean_ms"], tm["stock_parts"]["late_max_ms"]))
    q = results["timing"].get("queue")
    if q and "ours_parts" in q:
        L.append("")
        L.append("Queue: ours ran `%s`, stock `%s` (`prodcons.py`'s pure-Python Queue: two Events, "
                 "a list; the usual MicroPython user's queue); `queue_py` runs that Python "
                 "Queue on both." % (q["ours_parts"].get("impl"),
                                     q.get("stock_parts", {}).get("impl")))
    lat = results.get("latency")
    if lat:
        L.append("")
        L.append("## Latency: ThreadSafeFlag set in a thread -> task")
        L.append("")
        L.append("`tsf_latency.py`: a `_thread`, in lock-step with the task (it waits for the "
                 "task's acknowledgement, sleeps 150-400 us, stamps `time.ticks_us()`, sets "
                 "the flag); the task records `ticks_diff` when it runs.  In the priority "
                 "cases tasks spin on `await asyncio.sleep(0)` meanwhile and the waiter is "
                 "created with `create_task(coro, priority=3)` on ours; stock has no "
                 "priorities, so there it is created normally.  One run per firmware.")
        L.append("")
        L.append("Scheduling: real-time (`SCHED_FIFO`) where allowed, so the machine's other "
                 "work does not preempt the loop or the thread (both firmwares alike).  Where "
                 "the loop idles, the process is also pinned to one CPU: the thread's `set()` "
                 "then wakes the loop on its own core, as on a microcontroller (Linux wakes a "
                 "real-time thread on another core through an inter-processor interrupt, "
                 "~15 us here).  Where tasks spin it is not pinned (the thread could not "
                 "preempt a busy loop of the same real-time priority); the process is then "
                 "busy all the time, and Linux pauses a busy real-time process for 50 ms after "
                 "950 ms of each second (`sched_rt_runtime_us`): a max of ~50 ms is that "
                 "pause.")
        L.append("")
        L.append("| workload | scheduling | samples | ours p50 / p90 / p99 / max | stock p50 / "
                 "p90 / p99 / max | p99 stock/ours | checksum |")
        L.append("| --- | --- | --- | --- | --- | --- | --- |")
        for cid, e in lat.items():
            cells = []
            for fw in FIRMWARES:
                x = e.get(fw)
                cells.append("-" if not x else "%d / %d / %d / %d us%s" % (
                    x["p50"], x["p90"], x["p99"], x["max"],
                    " (priority 3)" if x["prio"] else ""))
            n = (e.get("ours") or e.get("stock") or {}).get("n", "-")
            L.append("| %s (`%s`) | %s | %s | %s | %s | %s | %s |" % (
                e["title"], " ".join(map(str, e["args"])), e.get("sched", "-"), n, cells[0],
                cells[1],
                fmt_ratio(e["ratio"] and 1 / e["ratio"]), "same" if e["check_ok"] else "**DIFFERENT**"))
    sc = results.get("syscalls")
    if sc:
        L.append("")
        L.append("## System calls while waiting")
        L.append("")
        if "skipped" in sc:
            L.append("Skipped: %s." % sc["skipped"])
        else:
            L.append("`tsf_idle.py %d`: one task waits on a ThreadSafeFlag that a `_thread` "
                     "sets after one `time.sleep(%d)`.  Counted: %s.  *During the wait*: from "
                     "a full trace (`strace -f -o FILE`), the calls between the script's "
                     "`WAIT` and `WOKE` writes, plus a call another thread is blocked in at "
                     "`WAIT` (the setter's sleep).  *Whole process*: `strace -f -c -o FILE`, "
                     "start-up and exit included (starting a thread can add futex calls, on "
                     "either firmware, when the new thread and its creator meet on "
                     "MicroPython's thread mutex)." % (sc["wait_s"], sc["wait_s"],
                                                      ", ".join(sc["syscalls"])))
            L.append("")
            L.append("| | during the wait | of which | whole process | of which |")
            L.append("| --- | --- | --- | --- | --- |")
            for fw in FIRMWARES:
                x = sc.get(fw)
                if not x:
                    L.append("| %s | - | - | - | - |" % fw)
                    continue
                L.append("| %s | %d | %s | %d | %s |" % (
                    fw, x["wait"]["total"], counts_text(x["wait"]["counts"]),
                    x["process"]["total"], counts_text(x["process"]["counts"])))
    if results["callgrind"]:
        L.append("")
        L.append("## Instructions (callgrind)")
        L.append("")
        L.append("`valgrind --tool=callgrind`, (count at 2N - count at N) / N: start-up cancels "
                 "out; repeatable on a noisy machine.")
        L.append("")
        L.append("| what | ours | stock | ours/stock |")
        L.append("| --- | --- | --- | --- |")
        for cid, e in results["callgrind"].items():
            L.append("| %s | %s | %s | %s |" % (
                e["title"], fmt_num(e["ours"] and e["ours"]["median"], "insn"),
                fmt_num(e["stock"] and e["stock"]["median"], "insn"), fmt_ratio(e["ratio"])))
    L.append("")
    L.append("## Memory")
    L.append("")
    L.append("| what | ours | stock | ours/stock |")
    L.append("| --- | --- | --- | --- |")
    for mid, e in results["memory"].items():
        if e["unit"] == "lock":
            f = lambda v: "-" if v is None else ("runs (0 B)" if v else "allocates (MemoryError)")
            L.append("| %s | %s | %s | |" % (e["title"], f(e["ours"]), f(e["stock"])))
        else:
            L.append("| %s | %s | %s | %s |" % (
                e["title"], fmt_num(e["ours"] and e["ours"]["median"], "B"),
                fmt_num(e["stock"] and e["stock"]["median"], "B"), fmt_ratio(e["ratio"])))
    q = results.get("qemu")
    if q:
        L.append("")
        L.append("## Cortex-M3 (QEMU mps2-an385)")
        L.append("")
        if "skipped" in q:
            L.append("Skipped: %s." % q["skipped"])
        elif not q.get("rows"):
            L.append("`qemu_bench.py` printed no table; its output is in results.json.")
        else:
            L.append("`micropython-port/qemu/qemu_bench.py` (as `make bench-qemu`) on "
                     "`eventio-mps2.elf` (sha256 %s, built %s) and `eventio-mps2-stock.elf` "
                     "(%s, built %s): instruction counts under `-icount shift=0`, the idle "
                     "figures in real time.  Targets are qemu_bench.py's." % (
                         q["elfs"]["ours"]["sha"], q["elfs"]["ours"]["built"],
                         q["elfs"]["stock"]["sha"], q["elfs"]["stock"]["built"]))
            L.append("")
            L.append("| measure | ours | stock | target | verdict |")
            L.append("| --- | --- | --- | --- | --- |")
            for r in q["rows"]:
                L.append("| %s | %s | %s | %s | %s |" % (
                    r["what"], r["ours"] or "-", r["stock"] or "-", r["target"] or "",
                    verdict(r["met"]) if r["target"] and r["met"] is not None else ""))
    if results["errors"]:
        L.append("")
        L.append("## Errors")
        L.append("")
        for err in results["errors"]:
            L.append("- " + err.replace("|", "\\|"))
    L.append("")
    with open(path, "w") as f:
        f.write("\n".join(L))


def write_png(results, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib not available: %s not written" % path)
        return False
    # "times better": rates ours/stock; times and bytes stock/ours; callgrind stock/ours.
    rows = []
    wanted = {t["id"]: t for t in results["targets"]}
    for cid, e in results["timing"].items():
        if e["ratio"]:
            adv = e["ratio"] if e["kind"] == "rate" else 1 / e["ratio"]
            rows.append((e["title"], adv, cid))
    for cid, e in results.get("latency", {}).items():
        if e["ratio"]:
            rows.append(("p99 " + e["title"], 1 / e["ratio"], "lat_" + cid))
    for cid, e in results["callgrind"].items():
        if e["ratio"]:
            rows.append((e["title"], 1 / e["ratio"], cid))
    for cid, e in results["memory"].items():
        if e.get("ratio"):
            rows.append((e["title"], 1 / e["ratio"], cid))
    if not rows:
        return False
    goal = {"switch_1": 10, "switch_10000": 10, "event": 5, "gather": 3, "scale_100000": 20,
            "mem_sleeping_task": 1 / 0.75, "queue": 5, "lat_tsf": 1 / LAT_VS_STOCK,
            "lat_prio_50": 1 / LAT_VS_STOCK, "lat_prio_500": 1 / LAT_VS_STOCK}
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(rows) + 1.6))
    ys = list(range(len(rows)))[::-1]
    colors = []
    for title, adv, cid in rows:
        g = goal.get(cid)
        colors.append("#999999" if g is None else ("#2a9d4b" if adv >= g else "#d1452f"))
    ax.barh(ys, [r[1] for r in rows], color=colors)
    for y, (title, adv, cid) in zip(ys, rows):
        ax.text(adv, y, " " + fmt_ratio(adv), va="center", fontsize=8)
        if cid in goal:
            ax.plot([goal[cid]] * 2, [y - 0.4, y + 0.4], color="black", lw=2)
    ax.set_yticks(ys)
    ax.set_yticklabels([r[0] for r in rows], fontsize=8)
    ax.set_xscale("log")
    ax.axvline(1, color="black", lw=0.8, ls=":")
    ax.set_xlabel("times better than stock (speed; or stock / ours for time, latency, "
                  "instructions, bytes)\nblack tick: target (green met, red not met; grey: no target)",
                  fontsize=9)
    m = results["meta"]
    ax.set_title("eventio vs stock MicroPython asyncio (%s run, %s)" %
                 ("QUICK" if m["quick"] else "full", m["date"]), fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build", help="build folder with the two firmwares")
    ap.add_argument("--quick", action="store_true", help="small counts, 3 repeats (< 2 min)")
    ap.add_argument("--repeats", type=int, help="interleaved repeats (default 3 quick, 7 full)")
    ap.add_argument("--only", help="comma-separated case ids (timing cases only)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per firmware run")
    a = ap.parse_args()
    repeats = a.repeats or (3 if a.quick else 7)
    out_dir = os.path.join(a.build, "bench")
    bin_dir = os.path.join(out_dir, "bin")
    os.makedirs(bin_dir, exist_ok=True)
    # Snapshot the firmwares, so a rebuild during the run cannot mix two versions.
    bins = {}
    for fw, name in (("ours", "micropython"), ("stock", "micropython-stock")):
        src = os.path.join(a.build, name)
        if not os.path.exists(src):
            sys.exit("bench: %s missing (make all)" % src)
        bins[fw] = os.path.abspath(os.path.join(bin_dir, name))
        shutil.copy2(src, bins[fw])
    runner = Runner(bins, a.timeout)
    cases = [c for c in CASES if not (a.quick and c["full_only"])]
    if a.only:
        keep = a.only.split(",")
        cases = [c for c in cases if c["id"] in keep]
    try:
        git = subprocess.run(["git", "-C", HERE, "describe", "--always", "--dirty"],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        git = "?"
    results = {"meta": {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "quick": a.quick, "repeats": repeats, "machine": platform.machine(),
        "cpus": os.cpu_count(), "sha_ours": sha256(bins["ours"]),
        "sha_stock": sha256(bins["stock"]), "git": git, "python": sys.version.split()[0],
        "loadavg": ["%.2f" % os.getloadavg()[0]]}}
    errors = []
    t0 = time.monotonic()
    phases = {}

    def phase(name, t):
        phases[name] = round(time.monotonic() - t, 1)
        return time.monotonic()

    qemu = {"skipped": "--only"} if a.only else qemu_prepare(a, bin_dir, errors)
    t = phase("qemu_build", t0)
    log("bench: %s run, %d repeats, firmwares copied to %s" %
        ("QUICK" if a.quick else "full", repeats, bin_dir))
    results["timing"] = run_timing(runner, cases, a.quick, repeats, errors)
    t = phase("timing", t)
    if not a.only:
        log("latency: ThreadSafeFlag from a thread")
        results["latency"] = run_latency(runner, a.quick, errors)
        t = phase("latency", t)
    # From here on nothing is timed by the wall clock: the QEMU board (instruction counts,
    # interrupt counts, its own CPU time) and strace run alongside the valgrind runs.
    tmp = tempfile.mkdtemp(prefix="eventio-bench-")
    qproc = sjobs = None
    if not a.only:
        log("system calls (strace), QEMU board, callgrind, memory")
        qproc = qemu_start(qemu)
        sjobs = start_syscalls(runner, tmp)
    results["callgrind"] = {} if a.only else run_callgrind(runner, errors)
    t = phase("callgrind", t)
    results["memory"] = {} if a.only else run_memory(runner, errors)
    t = phase("memory", t)
    if not a.only:
        results["syscalls"] = finish_syscalls(sjobs, errors)
        results["qemu"] = qemu_finish(qemu, qproc, errors)
        t = phase("syscalls_qemu_wait", t)
    shutil.rmtree(tmp, ignore_errors=True)
    results["meta"]["phases_s"] = phases
    results["meta"]["loadavg"] = [results["meta"]["loadavg"][0], "%.2f" % os.getloadavg()[0]]
    results["targets"] = evaluate_targets(results)
    results["errors"] = errors
    results["meta"]["seconds"] = round(time.monotonic() - t0, 1)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(results, f, indent=1, default=list)
    md = os.path.join(out_dir, "results.md")
    write_markdown(results, md)
    write_png(results, os.path.join(out_dir, "results.png"))
    log("")
    with open(md) as f:
        log(f.read())
    log("bench: %.0f s (%s); wrote %s/results.{json,md,png}" % (
        results["meta"]["seconds"], ", ".join("%s %g s" % kv for kv in phases.items()), out_dir))
    if errors:
        log("bench: %d error(s), see above" % len(errors))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
