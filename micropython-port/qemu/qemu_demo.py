#!/usr/bin/env python3
"""Run demo.py on the board under QEMU, typing a few lines into UART0 while it runs.

    qemu_demo.py --elf build/eventio-mps2.elf demo.py
"""
import argparse
import os
import subprocess
import sys
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("--elf", required=True)
ap.add_argument("--qemu", default="qemu-system-arm")
ap.add_argument("script")
a = ap.parse_args()
script = open(a.script, "rb").read()
proc = subprocess.Popen([a.qemu, "-machine", "mps2-an385", "-nographic", "-monitor", "null",
                         "-semihosting", "-serial", "stdio", "-kernel", a.elf],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def send(b):
    proc.stdin.write(b)
    proc.stdin.flush()


def read_until(marker, echo=False):
    buf = b""
    while not buf.endswith(marker):
        c = os.read(proc.stdout.fileno(), 1)
        if not c:
            raise SystemExit("QEMU exited: %r" % buf[-200:])
        buf += c
        if echo and c not in b"\r\x04":
            sys.stdout.write(c.decode("latin-1"))
            sys.stdout.flush()
    return buf


send(b"\r\x03\x03\x01")
read_until(b"raw REPL; CTRL-B to exit\r\n>")
send(script + b"\x04")
read_until(b"OK")


def typist():
    for delay, line in ((1.2, b"hello board\r"), (1.5, b"eventio on Cortex-M3\r"), (1.5, b"quit\r")):
        time.sleep(delay)
        sys.stdout.write("[typing %r]\n" % line.decode().strip())
        sys.stdout.flush()
        send(line)


threading.Thread(target=typist, daemon=True).start()
read_until(b"\x04", echo=True)
err = read_until(b"\x04", echo=True)[:-1]  # echoed as it arrives
send(b"\x02import machine\r\nmachine.reset()\r\n")
proc.wait(timeout=10)
sys.exit(1 if err else 0)
