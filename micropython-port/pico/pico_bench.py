#!/usr/bin/env python3
"""Ours vs stock on the emulated Raspberry Pi Pico (rp2040js), as one Markdown table.

Runs bench_pico.py on each firmware through the runner (picorun.ts run), which counts cycles of
the emulated 125 MHz core exactly, and writes the table to --out (and stdout).

    pico_bench.py --run "tsx picorun.ts run --rp2040js DIR" --ours A.uf2 --stock B.uf2 --out bench.md
"""
import argparse
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MHZ = 125


def run(runner, image, console):
    cmd = shlex.split(runner) + ["--image", image, "--console", console, "--stats",
                                 "--timeout", "1200", "--max-seconds", "300",
                                 os.path.join(HERE, "bench_pico.py")]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    res = dict(re.findall(r"^RESULT (\S+) (\S+)$", p.stdout, re.M))
    if p.returncode or not res:
        sys.stdout.write(p.stdout)
    return res


def per(r, total, n):
    try:
        return "{:,}".format(int(r[total]) // int(r[n]))
    except (KeyError, ValueError, ZeroDivisionError):
        return "-"


def cyc(r, key):
    v = r.get(key)
    if v is None or v == "-1":
        return "-"
    v = int(v)
    return "{:,} ({:.1f} us)".format(v, v / MHZ)


def permille(r, key):
    v = r.get(key)
    return "-" if v is None else "{:.1f}%".format(int(v) / 10)


def plain(r, key):
    v = r.get(key)
    if v is None:
        return "-"
    try:
        return "{:,}".format(int(v))
    except ValueError:
        return v


ROWS = [
    ("`await asyncio.sleep(0)`, 1 task: cycles per switch", lambda r: per(r, "sw1_cycles", "switch_n_1"),
     "10x fewer than stock"),
    ("`await asyncio.sleep(0)`, 100 tasks: cycles per switch", lambda r: per(r, "sw100_cycles", "switch_n_100"),
     "10x fewer than stock"),
    ("GP14 edge -> `Pin.irq(hard=True)` -> ThreadSafeFlag -> task toggles GP15, p50",
     lambda r: cyc(r, "tsf_p50"), ""),
    ("... p99", lambda r: cyc(r, "tsf_p99"), ""),
    ("... max", lambda r: cyc(r, "tsf_max"), ""),
    ("... edges without a wake-up (of 1,000)", lambda r: plain(r, "tsf_missed"), "0"),
    ("... core asleep during the 1,000 edges (1.6 ms apart)", lambda r: permille(r, "tsf_run_asleep_permille"), ""),
    ("... WFE entries during them", lambda r: plain(r, "tsf_run_wfe"), ""),
    ("GP14 edge -> native GPIO source (no Python in the ISR) -> task, p50",
     lambda r: cyc(r, "native_p50"), ""),
    ("... p99", lambda r: cyc(r, "native_p99"), "<= 2,000 cycles (16 us)"),
    ("... max", lambda r: cyc(r, "native_max"), ""),
    ("... edges without a wake-up (of 1,000)", lambda r: plain(r, "native_missed"), "0"),
    ("idle 10 s, 5 tasks on a flag + 5 on the deadline: core asleep", lambda r: permille(r, "idle_asleep_permille"),
     ">= 99%"),
    ("... wake-ups (sleeps ended)", lambda r: plain(r, "idle_wakeups"), "only real events"),
    ("... exceptions taken (by exception number)", lambda r: "{} ({})".format(
        plain(r, "idle_irqs"), r.get("idle_irq_by_exception", "-")), ""),
    ("... cycles executed", lambda r: plain(r, "idle_busy"), ""),
    ("heap per sleeping task (bytes)", lambda r: plain(r, "heap_per_task"), "<= stock"),
    ("heap allocated per `sleep(0)` switch (bytes)", lambda r: plain(r, "alloc_per_switch"), "0"),
    ("100 switches under `micropython.heap_lock()`", lambda r: {"1": "pass", "0": "MemoryError"}.get(
        r.get("heap_lock_switch_ok"), "-"), "pass"),
    ("heap allocated per ThreadSafeFlag wait (bytes)", lambda r: plain(r, "alloc_per_flag_wait"), "0"),
    ("100 flag waits under `micropython.heap_lock()`", lambda r: {"1": "pass", "0": "MemoryError"}.get(
        r.get("heap_lock_flag_ok"), "-"), "pass"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True, help="the runner command, up to its options")
    ap.add_argument("--ours", required=True)
    ap.add_argument("--stock", required=True)
    ap.add_argument("--console", default="uart")
    ap.add_argument("--out")
    a = ap.parse_args()
    cols = {"ours": run(a.run, a.ours, a.console), "stock": run(a.run, a.stock, a.console)}
    lines = [
        "# eventio on the emulated Raspberry Pi Pico (rp2040js, 125 MHz, %s console)" % a.console.upper(),
        "",
        "Cycles are counted by our runner, which steps the emulated core itself (the clock is",
        "virtual, so every figure is exact and repeats run to run). Edge latencies are measured",
        "by the runner from the cycle it drives GP14 high to the cycle GP15 changes: they include",
        "the task's own `out.toggle()`. Firmwares: `%s` (ours) and `%s` (stock)." % (
            os.path.basename(a.ours), os.path.basename(a.stock)),
        "",
        "| measure | eventio | stock | target |",
        "| --- | ---: | ---: | --- |",
    ]
    for label, f, target in ROWS:
        lines.append("| %s | %s | %s | %s |" % (label, f(cols["ours"]), f(cols["stock"]), target))
    if "native_p50" not in cols["ours"]:
        lines += ["", "The native GPIO source (`eventio.pin_flag`) is not in this firmware: its rows are empty."]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    ok = all(cols.values())
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
