#!/usr/bin/env python3
"""The differential fuzzer's runner: generated programs (gen.py) on ours and on stock,
outputs compared (README.md, "The differential fuzzer").

Usage:
  run.py OURS STOCK --seeds A-B [options]      the fixed corpus: seeds A..B-1
  run.py OURS STOCK --seconds N [options]      random seeds until N seconds have passed
Options:
  --jobs J        programs run in parallel (default 2)
  --area NAME     let the generator use an area it keeps out by default (gen.py)
  --out DIR       where divergent programs are saved, minimized (default build/fuzz-diff)
  --no-minimize   save divergent programs as generated

A program diverges when ours and stock differ in standard output or exit status.  Each
divergent program is run again on both: if stock's output changes between runs, the program
depends on something else than the run queue's order, which is the generator's bug, and it
is reported as unstable.  Exit status 1 when any program diverged or was unstable.
"""
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

TIMEOUT = 30  # seconds per program run: only a hang comes near it


def run_one(binary, path):
    try:
        p = subprocess.run([binary, path], capture_output=True, timeout=TIMEOUT)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        return "timeout", e.stdout or b""


def outcome(ours, stock, text, tmpdir, tag):
    path = os.path.join(tmpdir, "p%s.py" % tag)
    with open(path, "w") as f:
        f.write(text)
    try:
        return run_one(ours, path), run_one(stock, path)
    finally:
        os.unlink(path)


def diverges(ours, stock, text, tmpdir, tag):
    o, s = outcome(ours, stock, text, tmpdir, tag)
    return o != s and s[0] != "timeout"


def blocks(lines):
    """(start, end) of each line with the lines indented under it, longest first."""
    out = []
    for i, line in enumerate(lines):
        ind = len(line) - len(line.lstrip())
        j = i + 1
        while j < len(lines) and (len(lines[j]) - len(lines[j].lstrip()) > ind or not lines[j].strip()):
            j += 1
        out.append((i, j))
    return out


def minimize(ours, stock, text, tmpdir, tag):
    """Greedy: drop a statement (with what is indented under it) while the difference stays;
    a drop that breaks the syntax fails on both alike and is not kept."""
    lines = text.split("\n")
    changed = True
    while changed:
        changed = False
        for start, end in sorted(blocks(lines), key=lambda b: b[0] - b[1]):
            if end > len(lines) or not lines[start].strip():
                continue
            trial = lines[:start] + lines[end:]
            if diverges(ours, stock, "\n".join(trial), tmpdir, tag):
                lines = trial
                changed = True
                break
    return "\n".join(lines)


def check(args, seed, tmpdir):
    text = gen.generate(seed, args["areas"])
    o, s = outcome(args["ours"], args["stock"], text, tmpdir, seed)
    if o == s:
        return seed, "hang" if o[0] == "timeout" else "same", None
    o2, s2 = outcome(args["ours"], args["stock"], text, tmpdir, seed)
    if s2 != s:
        return seed, "unstable", text
    small = text if args["no_minimize"] else minimize(args["ours"], args["stock"], text, tmpdir, seed)
    mo, ms = outcome(args["ours"], args["stock"], small, tmpdir, seed)
    os.makedirs(args["out"], exist_ok=True)
    base = os.path.join(args["out"], "diverge-%d" % seed)
    with open(base + ".py", "w") as f:
        f.write(small)
    for suffix, (rc, out) in (("ours", mo), ("stock", ms)):
        with open("%s.%s.txt" % (base, suffix), "wb") as f:
            f.write(out + b"\n[exit %s]\n" % str(rc).encode())
    return seed, "diverged", base + ".py"


def main():
    argv = sys.argv[1:]
    if len(argv) < 4:
        sys.exit(__doc__)
    args = {"ours": os.path.abspath(argv[0]), "stock": os.path.abspath(argv[1]), "areas": [],
            "jobs": 2, "out": "build/fuzz-diff", "no_minimize": False}
    seeds = seconds = None
    i = 2
    while i < len(argv):
        a = argv[i]
        if a == "--seeds":
            lo, hi = argv[i + 1].split("-")
            seeds = range(int(lo), int(hi))
        elif a == "--seconds":
            seconds = float(argv[i + 1])
        elif a == "--jobs":
            args["jobs"] = int(argv[i + 1])
        elif a == "--area":
            if argv[i + 1] not in gen.AREAS:
                sys.exit("unknown area %s (one of %s)" % (argv[i + 1], ", ".join(gen.AREAS)))
            args["areas"].append(argv[i + 1])
        elif a == "--out":
            args["out"] = argv[i + 1]
        elif a == "--no-minimize":
            args["no_minimize"] = True
            i -= 1
        else:
            sys.exit(__doc__)
        i += 2
    if seeds is None and seconds is None:
        sys.exit(__doc__)
    if seeds is None:
        # Random seeds far from the corpus's, until the time is up.
        rnd = random.Random()
        deadline = time.time() + seconds

        def endless():
            while time.time() < deadline:
                yield rnd.randrange(10**6, 10**12)

        seeds = endless()
    counts = {"same": 0, "hang": 0, "diverged": 0, "unstable": 0}
    bad = []
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmpdir, ThreadPoolExecutor(args["jobs"]) as pool:
        # A bounded window of work in flight, so that --seconds stops on time.
        pending = []
        it = iter(seeds)
        while True:
            while len(pending) < 4 * args["jobs"]:
                s = next(it, None)
                if s is None:
                    break
                pending.append(pool.submit(check, args, s, tmpdir))
            if not pending:
                break
            seed, verdict, where = pending.pop(0).result()
            counts[verdict] += 1
            if verdict in ("diverged", "unstable"):
                bad.append((seed, verdict, where))
                print("fuzz-diff: seed %d %s%s" % (seed, verdict, " -> " + where if where and verdict == "diverged" else ""),
                      flush=True)
    n = sum(counts.values())
    print("fuzz-diff: %d programs in %.0f s: %d same, %d diverged, %d unstable, %d hung on both%s" % (
        n, time.time() - t0, counts["same"], counts["diverged"], counts["unstable"], counts["hang"],
        " (areas: %s)" % ", ".join(args["areas"]) if args["areas"] else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
