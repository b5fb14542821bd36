#!/usr/bin/env python3
"""Check that our py-tests expect exactly what a reference implementation prints, so the
expected files cannot drift from the behaviour they claim to match.

Usage: check-expected.py stock MICROPYTHON_STOCK PY_TESTS_DIR
       check-expected.py cpython PYTHON PY_TESTS_DIR

stock:   every PY_TESTS_DIR/*.py runs on stock MicroPython (same source, stock asyncio).  A test
         that prints SKIP there needs a feature stock lacks and is not compared.
cpython: every PY_TESTS_DIR/cpython_*.py (written to run unchanged on CPython 3.11) runs on
         CPython.
Each compared output must equal name.py.exp.
"""
import os
import subprocess
import sys


def main():
    kind, runner, folder = sys.argv[1], sys.argv[2], sys.argv[3]
    if kind not in ("stock", "cpython"):
        sys.exit(__doc__)
    if os.sep in runner:
        runner = os.path.abspath(runner)
    passed, failed, skipped = 0, [], 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py") or (kind == "cpython" and not name.startswith("cpython_")):
            continue
        try:
            out = subprocess.run([runner, name], cwd=folder, capture_output=True, timeout=300).stdout
        except subprocess.TimeoutExpired:
            out = b"TIMEOUT\n"
        if kind == "stock" and out.strip() == b"SKIP":
            skipped += 1
            continue
        with open(os.path.join(folder, name + ".exp"), "rb") as f:
            expected = f.read()
        if out == expected:
            passed += 1
        else:
            failed.append(name)
            print("%s differs on %s; it printed:" % (kind, name))
            print(out.decode(errors="replace"))
    print("%s-check: %d passed, %d failed, %d skipped" % (kind, passed, len(failed), skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
