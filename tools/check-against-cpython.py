#!/usr/bin/env python3
"""Check that our CPython-compatible py-tests expect exactly what CPython prints.

Usage: check-against-cpython.py PY_TESTS_DIR [PYTHON]

Each PY_TESTS_DIR/cpython_*.py is written to run unchanged on CPython (3.11): it runs under
PYTHON (default: python3) and its output must equal cpython_*.py.exp, so the expectations of
those tests (which run on eventio's MicroPython in `make test`) cannot drift from CPython's.
"""
import os
import subprocess
import sys


def main():
    folder = sys.argv[1]
    python = sys.argv[2] if len(sys.argv) > 2 else "python3"
    passed, failed = 0, []
    for name in sorted(os.listdir(folder)):
        if not (name.startswith("cpython_") and name.endswith(".py")):
            continue
        try:
            out = subprocess.run(
                [python, name], cwd=folder, capture_output=True, timeout=300
            ).stdout
        except subprocess.TimeoutExpired:
            out = b"TIMEOUT\n"
        with open(os.path.join(folder, name + ".exp"), "rb") as f:
            expected = f.read()
        if out == expected:
            passed += 1
        else:
            failed.append(name)
            print("CPython differs on", name)
            print("--- CPython printed:")
            print(out.decode(errors="replace"))
    print("cpython-check: %d passed, %d failed" % (passed, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
