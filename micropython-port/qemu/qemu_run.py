#!/usr/bin/env python3
"""Run a Python script on the eventio mps2-an385 board under QEMU and print its output.

The script goes in through MicroPython's raw REPL on UART0 (QEMU's stdio, as pipes), and
QEMU is ended afterwards with machine.reset() (a semihosting exit). Needs nothing beyond the
Python standard library. With --cpu, reports the host CPU time QEMU used, to check that an
idle board really idles.

    qemu_run.py --elf build/eventio-mps2-stock.elf script.py [--icount] [--cpu]
"""

import argparse
import os
import resource
import subprocess
import sys
import time


class QemuExited(Exception):
    pass


def read_until(proc, marker, timeout):
    buf = b""
    deadline = time.monotonic() + timeout
    fd = proc.stdout.fileno()
    while not buf.endswith(marker):
        if time.monotonic() > deadline:
            raise TimeoutError("waiting for %r, got %r" % (marker, buf[-200:]))
        chunk = os.read(fd, 1)
        if not chunk:
            raise QemuExited(buf)
        buf += chunk
    return buf


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--elf", required=True)
    ap.add_argument("--qemu", default="qemu-system-arm")
    ap.add_argument("--icount", action="store_true",
                    help="-icount shift=0: 1 instruction = 1 ns of virtual time")
    ap.add_argument("--cpu", action="store_true", help="report QEMU's host CPU time")
    ap.add_argument("--qemu-arg", action="append", default=[], help="extra QEMU argument")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("script")
    args = ap.parse_args()

    with open(args.script, "rb") as f:
        script = f.read()

    cmd = [args.qemu, "-machine", "mps2-an385", "-nographic", "-monitor", "null",
           "-semihosting", "-serial", "stdio", "-kernel", args.elf]
    if args.icount:
        cmd += ["-icount", "shift=0"]
    cmd += args.qemu_arg
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(data):
        proc.stdin.write(data)
        proc.stdin.flush()

    failed = False
    try:
        # Ctrl-C twice to stop anything, Ctrl-A for the raw REPL.
        send(b"\r\x03\x03\x01")
        read_until(proc, b"raw REPL; CTRL-B to exit\r\n>", 30)
        t_start = time.monotonic()
        send(script + b"\x04")
        read_until(proc, b"OK", args.timeout)
        out = read_until(proc, b"\x04", args.timeout)[:-1]
        err = read_until(proc, b"\x04", args.timeout)[:-1]
        t_script = time.monotonic() - t_start
        read_until(proc, b">", 10)
        sys.stdout.write(out.decode("utf-8", "replace").replace("\r\n", "\n"))
        if err:
            failed = True
            sys.stdout.write(err.decode("utf-8", "replace").replace("\r\n", "\n"))
        send(b"import machine\nmachine.reset()\n\x04")
        rc = proc.wait(timeout=10)
    except QemuExited as e:
        # The board ended QEMU itself (a panic/fault report, or the script called exit).
        sys.stdout.write(e.args[0].decode("utf-8", "replace").replace("\r\n", "\n"))
        rc = proc.wait()
        print("qemu_run: QEMU exited with status %d before the script finished" % rc)
        sys.exit(rc or 1)
    except Exception:
        proc.kill()
        proc.wait()
        raise
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if args.cpu:
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print("host: qemu wall %.2f s (script %.2f s), cpu %.3f s (%.1f%% of wall)"
              % (wall, t_script, cpu, 100.0 * cpu / wall))
    sys.exit(1 if failed or rc != 0 else 0)


if __name__ == "__main__":
    main()
