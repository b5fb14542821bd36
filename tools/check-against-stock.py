#!/usr/bin/env python3
"""Check that our py-tests expect exactly what stock MicroPython prints.

Usage: check-against-stock.py STOCK_BINARY PY_TESTS_DIR

Each py-tests/name.py runs on stock MicroPython (same source, stock asyncio).  A test that
prints SKIP there needs a feature stock lacks and is not compared; every other test's output
on stock must equal name.py.exp, so our expected files cannot drift from stock's behaviour.
"""
import os
import subprocess
import sys


def main():
    stock, folder = os.path.abspath(sys.argv[1]), sys.argv[2]
    passed, failed, skipped = 0, [], 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py"):
            continue
        path = os.path.join(folder, name)
        try:
            out = subprocess.run(
                [stock, name], cwd=folder, capture_output=True, timeout=300
            ).stdout
        except subprocess.TimeoutExpired:
            out = b"TIMEOUT\n"
        if out.strip() == b"SKIP":
            skipped += 1
            continue
        with open(path + ".exp", "rb") as f:
            expected = f.read()
        if out == expected:
            passed += 1
        else:
            failed.append(name)
            print("stock differs on", name)
            print("--- stock printed:")
            print(out.decode(errors="replace"))
    print("stock-check: %d passed, %d failed, %d skipped" % (passed, len(failed), skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
