#!/usr/bin/env python3
"""Ours vs stock on the mps2-an385 board under QEMU, as one table.

bench_board.py runs with -icount shift=0 (instruction counts); idle_board.py runs in real
time with QEMU's host CPU time measured.

    qemu_bench.py --ours build/eventio-mps2.elf --stock build/eventio-mps2-stock.elf
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(elf, script, *flags):
    cmd = [sys.executable, os.path.join(HERE, "qemu_run.py"), "--elf", elf, *flags,
           "--timeout", "300", os.path.join(HERE, script)]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True).stdout
    res = dict(re.findall(r"^RESULT (\S+) (\S+)$", out, re.M))
    m = re.search(r"cpu ([\d.]+) s \(([\d.]+)% of wall\)", out)
    if m:
        res["host_cpu_s"], res["host_cpu_pct"] = m.group(1), m.group(2)
    if not res:
        sys.stdout.write(out)
    return res


ROWS = [
    ("switch_1", "sleep_ms(0) switch, 1 task (insns)", "<= 1,500"),
    ("switch_100", "sleep_ms(0) switch, 100 tasks (insns)", "<= 1,800"),
    ("irq_p50", "timer IRQ -> task resumes, p50 (insns)", "<= 2,000"),
    ("irq_p99", "timer IRQ -> task resumes, p99 (insns)", "<= 3,000"),
    ("irq_max", "timer IRQ -> task resumes, max (insns)", ""),
    ("prio_p50", "IRQ -> level-3 task, 100 ready, p50 (insns)", ""),
    ("prio_p99", "IRQ -> level-3 task, 100 ready, p99 (insns)", "<= 2,000"),
    ("prio_max", "IRQ -> level-3 task, 100 ready, max (insns)", ""),
    ("irqq_in_order", "InterruptQueue, 10 kHz: values in order", "1000/1000"),
    ("irqq_overflows", "InterruptQueue, 10 kHz: overflows", "0"),
    ("heap_per_task", "heap bytes per sleeping task", "<= 95"),
    ("idle_ms", "idle: all tasks waiting, 10 s (ms)", ""),
    ("idle_irqs", "idle: interrupts taken", "1 (the deadline)"),
    ("idle_wfi", "idle: WFI entered", "1"),
    ("idle_wakeups", "idle: loop wake-ups (eventio.stats)", "1"),
    ("idle_asleep_permille", "idle: asleep, per mille of loop time", ">= 999"),
    ("events10_irqs", "10 timer events, 1/s: interrupts", "10"),
    ("events10_wfi", "10 timer events, 1/s: WFI entered", "10"),
    ("events10_wakeups", "10 timer events, 1/s: loop wake-ups", "10"),
    ("events10_asleep_permille", "10 timer events: asleep, per mille", ">= 999"),
    ("host_cpu_s", "host CPU of QEMU, whole idle run (s)", "~0"),
    ("host_cpu_pct", "host CPU of QEMU, % of wall", "~0"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--stock", required=True)
    a = ap.parse_args()
    cols = {}
    for name, elf in (("ours", a.ours), ("stock", a.stock)):
        r = run(elf, "bench_board.py", "--icount")
        r.update(run(elf, "idle_board.py", "--cpu"))
        cols[name] = r
    w = max(len(r[1]) for r in ROWS)
    print("%-*s  %10s  %10s  %s" % (w, "measure (QEMU mps2-an385, -icount shift=0)", "eventio", "stock", "target"))
    for key, label, target in ROWS:
        print("%-*s  %10s  %10s  %s" % (w, label, cols["ours"].get(key, "-"),
                                        cols["stock"].get(key, "-"), target))


if __name__ == "__main__":
    main()
