#!/usr/bin/env python3
"""Where the cycles of one traced Pico response go, by function.

    tools/pico-profile.py FIRMWARE.elf TRACE [--timeline]

TRACE is what the runner writes with PICORUN_TRACE=TRACE during `@pico pulse` (one line per
instruction executed from the middle edge until the next output pin change: address in hex,
cycles).  Prints the cycles per function, most first, and with --timeline the run of functions
in the order they ran (consecutive instructions of one function merged), which shows the path.
"""
import bisect
import subprocess
import sys


def symbols(elf):
    out = subprocess.run(["arm-none-eabi-nm", "-n", "--defined-only", elf], capture_output=True, text=True, check=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            addrs.append(int(parts[0], 16) & ~1)
            names.append(parts[2])
    return addrs, names


def main():
    elf, trace = sys.argv[1], sys.argv[2]
    addrs, names = symbols(elf)

    def name(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        return names[i] if i >= 0 else hex(pc)

    steps = []
    for line in open(trace):
        pc, cycles = line.split()
        steps.append((name(int(pc, 16)), int(cycles)))
    total = sum(c for _, c in steps)
    flat = {}
    for n, c in steps:
        flat[n] = flat.get(n, 0) + c
    print("%d cycles, %d instructions" % (total, len(steps)))
    for n, c in sorted(flat.items(), key=lambda kv: -kv[1]):
        print("%7d  %s" % (c, n))
    if "--timeline" in sys.argv:
        print("\ntimeline (cycle at entry, cycles in the run, function):")
        at, run_name, run_cycles = 0, None, 0
        for n, c in steps:
            if n != run_name:
                if run_name is not None:
                    print("%7d %6d  %s" % (at - run_cycles, run_cycles, run_name))
                run_name, run_cycles = n, 0
            run_cycles += c
            at += c
        print("%7d %6d  %s" % (at - run_cycles, run_cycles, run_name))


main()
