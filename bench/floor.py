# Interpreter floor: a plain Python round robin of generators resumed with gen.send(None).
# No asyncio at all; the same script on both firmwares (their ratio should be ~1).
# usage: micropython floor.py NGENS ITERS
import sys, time, json

ngens = int(sys.argv[1])
iters = int(sys.argv[2])


def gen():
    n = 0
    while True:
        yield n
        n += 1


gens = [gen() for _ in range(ngens)]
for g in gens:
    g.send(None)  # start each generator
t0 = time.ticks_us()
total = 0
for _ in range(iters):
    for g in gens:
        g.send(None)
us = time.ticks_diff(time.ticks_us(), t0)
for g in gens:
    total += g.send(None) - 1
print("BENCH " + json.dumps({"name": "floor", "ops": ngens * iters, "us": us,
                             "check": "%d" % total}))
