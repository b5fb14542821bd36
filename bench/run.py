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
         repeats=None, stock_repeats=None, full_only=False):
    """kind: 'rate' = ops per second from the script's timing (higher is better);
    'time' = wall time in ms of the script's timed part (lower is better)."""
    return dict(id=cid, title=title, script=script, args=args, quick_args=quick_args or args,
                heap=heap, kind=kind, unit=unit, repeats=repeats, stock_repeats=stock_repeats,
                full_only=full_only)


CASES = [
    case("switch_1", "sleep(0) switches, 1 task", "switches.py", [1, 1000000], [1, 200000]),
    case("switch_100", "sleep(0) switches, 100 tasks", "switches.py", [100, 10000], [100, 2000]),
    case("switch_10000", "sleep(0) switches, 10,000 tasks", "switches.py", [10000, 100],
         [10000, 20], heap="32M"),
    case("floor_1", "interpreter floor: gen.send(None), 1 generator", "floor.py",
         [1, 5000000], [1, 1000000]),
    case("floor_100", "interpreter floor: gen.send(None), 100 generators", "floor.py",
         [100, 50000], [100, 10000]),
    case("event", "Event ping-pong round trips", "event.py", [100000], [20000]),
    case("lock", "Lock hand-offs among 10 tasks", "lock.py", [10, 5000], [10, 1000]),
    case("gather", "create_task + gather of 1,000 short tasks (tasks/s)", "gather.py",
         [1000, 100], [1000, 20]),
    case("timers", "1,000 tasks x random sleep_ms(1..50), wall time", "timers.py",
         [1000, 20, 50], [1000, 5, 50], kind="time", unit="ms"),
    case("scale_10000", "10,000 tasks create_task + sleep_ms(1 + i % 50), wall time",
         "scale.py", [10000], heap=BIG_HEAP, kind="time", unit="ms"),
    case("scale_30000", "30,000 tasks create_task + sleep_ms(1 + i % 50), wall time",
         "scale.py", [30000], heap=BIG_HEAP, kind="time", unit="ms"),
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
# (target id, metric, op, bound, wording)
TARGETS = [
    ("switch_1", "rate", ">=", 10, ">= 10x stock"),
    ("switch_10000", "rate", ">=", 10, ">= 10x stock"),
    ("event", "rate", ">=", 5, ">= 5x stock"),
    ("gather", "rate", ">=", 3, ">= 3x stock"),
    ("scale_100000", "time", "<=", 1 / 20, "<= 0.05 (>= 20x faster)"),
    ("mem_sleeping_task", "bytes", "<=", 0.75, "<= 0.75x stock"),
]


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
        check_ok = all(len(checks[fw]) == 1 for fw in FIRMWARES) and \
            checks["ours"] == checks["stock"]
        entry = {"title": c["title"], "script": c["script"],
                 "args": c["quick_args"] if quick else c["args"], "heap": c["heap"] or "default",
                 "kind": c["kind"], "unit": c["unit"], "checks": checks, "check_ok": check_ok}
        for fw in FIRMWARES:
            runs = d["runs"][fw]
            entry[fw] = summarize([value_of(c, x) for x in runs])
            extra = {}
            for key in ("create_us", "start_us", "rest_us", "late_mean_ms", "late_max_ms"):
                if runs and key in runs[0]:
                    extra[key] = statistics.median(x[key] for x in runs)
            if extra:
                entry[fw + "_parts"] = extra
        if not check_ok:
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
    out = {}
    if not shutil.which("valgrind"):
        log("valgrind not found: instruction counts skipped")
        return out
    tmp = tempfile.mkdtemp(prefix="eventio-bench-")
    for cid, title, script, a1, a2, ops in CALLGRIND:
        entry = {"title": title, "unit": "insn", "args_n": a1, "args_2n": a2}
        checks = {}
        for fw in FIRMWARES:
            counts = []
            for args in (a1, a2):
                cg = os.path.join(tmp, "cg.out")
                prefix = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg]
                res, err, stderr = runner.run(fw, script, args, None, prefix)
                m = re.search(r"Collected : (\d+)", stderr or "")
                if err or not m:
                    errors.append("%s on %s: %s" % (cid, fw, err or "no callgrind count"))
                    counts = None
                    break
                counts.append(int(m.group(1)))
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
    shutil.rmtree(tmp, ignore_errors=True)
    return out


MEMORY_KEYS = [
    ("mem_sleeping_task", "bytes_per_sleeping_task", "heap bytes per sleeping task"),
    ("mem_event_waiter", "bytes_per_event_waiter", "heap bytes per task waiting on an Event"),
    ("mem_per_switch", "bytes_per_switch", "heap bytes allocated per sleep(0) switch"),
    ("mem_per_wait", "bytes_per_event_wait", "heap bytes allocated per Event wait"),
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
    rows = []
    allm = {}
    for sect in ("timing", "memory"):
        allm.update(results.get(sect, {}))
    for tid, _, op, bound, wording in TARGETS:
        e = allm.get(tid)
        ratio = e and e.get("ratio")
        if ratio is None:
            met = None
        else:
            met = ratio >= bound if op == ">=" else ratio <= bound
        rows.append({"id": tid, "target": wording, "ratio": ratio, "met": met})
    # zero allocation per switch and per wait: both the mem_alloc delta and heap_lock
    mem = results.get("memory", {})
    for tid, delta, lock, wording in [("zero_alloc_switch", "mem_per_switch", "heap_lock_switch",
                                       "0 B allocated per switch"),
                                      ("zero_alloc_wait", "mem_per_wait", "heap_lock_wait",
                                       "0 B allocated per Event wait")]:
        d = mem.get(delta, {}).get("ours")
        lk = mem.get(lock, {}).get("ours")
        met = None if d is None or lk is None else (d["median"] == 0 and lk is True)
        rows.append({"id": tid, "target": wording, "ratio": None, "met": met,
                     "ours": d and d["median"], "heap_lock_ok": lk})
    return rows


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
    L.append("| target | workload | ours/stock | wanted | verdict |")
    L.append("| --- | --- | --- | --- | --- |")
    allm = dict(results["timing"])
    allm.update(results["memory"])
    for t in results["targets"]:
        title = allm[t["id"]]["title"] if t["id"] in allm else \
            ("100,000-task case (full run only)" if t["id"] == "scale_100000" else t["id"])
        if t["id"].startswith("zero_alloc"):
            shown = "-" if t.get("ours") is None else "%g B, heap_lock %s" % (
                t["ours"], "ok" if t["heap_lock_ok"] else "raises MemoryError")
            L.append("| %s | ours alone | %s | %s | %s |" % (t["id"], shown, t["target"],
                                                             verdict(t["met"])))
        else:
            L.append("| %s | %s | %s | %s | %s |" % (t["id"], title, fmt_ratio(t["ratio"]),
                                                   t["target"], verdict(t["met"])))
    missed = [t["id"] for t in results["targets"] if t["met"] is False]
    L.append("")
    if missed:
        L.append("Targets **not met** in this run: %s." % ", ".join(missed))
    else:
        L.append("All targets with a result were met in this run.")
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
            if s is None or not e["check_ok"]:
                cells.append("-" if s is None else "(hidden)")
            else:
                cells.append("%s [%.0f%%, n=%d]" % (fmt_num(s["median"], e["unit"]),
                                                    s["spread_pct"], s["n"]))
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
    for cid, e in results["callgrind"].items():
        if e["ratio"]:
            rows.append((e["title"], 1 / e["ratio"], cid))
    for cid, e in results["memory"].items():
        if e.get("ratio"):
            rows.append((e["title"], 1 / e["ratio"], cid))
    if not rows:
        return False
    goal = {"switch_1": 10, "switch_10000": 10, "event": 5, "gather": 3, "scale_100000": 20,
            "mem_sleeping_task": 1 / 0.75}
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
    ax.set_xlabel("times better than stock (speed; or stock / ours for time, instructions, "
                  "bytes)\nblack tick: target (green met, red not met; grey: no target)",
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
        "sha_stock": sha256(bins["stock"]), "git": git, "python": sys.version.split()[0]}}
    errors = []
    t0 = time.monotonic()
    log("bench: %s run, %d repeats, firmwares copied to %s" %
        ("QUICK" if a.quick else "full", repeats, bin_dir))
    results["timing"] = run_timing(runner, cases, a.quick, repeats, errors)
    log("callgrind instruction counts")
    results["callgrind"] = {} if a.only else run_callgrind(runner, errors)
    log("memory")
    results["memory"] = {} if a.only else run_memory(runner, errors)
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
    log("bench: %.0f s; wrote %s/results.{json,md,png}" % (results["meta"]["seconds"], out_dir))
    if errors:
        log("bench: %d error(s), see above" % len(errors))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
