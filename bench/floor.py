# The floors a task switch is compared with, with no asyncio at all:
# - interpreter floor (default): a plain Python round robin of generators resumed with
#   gen.send(None); the same script on both firmwares (their ratio should be ~1);
# - native floor (`native`, ours only: stock has no _eventio): _eventio.resume_floor(gens, n)
#   resumes them round robin with mp_resume() in C, with nothing else around it.
# usage: micropython floor.py NGENS ITERS [native]
import sys, time, json

ngens = int(sys.argv[1])
iters = int(sys.argv[2])
native = len(sys.argv) > 3 and sys.argv[3] == "native"


def gen():
    n = 0
    while True:
        yield n
        n += 1


gens = [gen() for _ in range(ngens)]
for g in gens:
    g.send(None)  # start each generator
t0 = time.ticks_us()
if native:
    import _eventio

    _eventio.resume_floor(gens, ngens * iters)
else:
    for _ in range(iters):
        for g in gens:
            g.send(None)
us = time.ticks_diff(time.ticks_us(), t0)
total = 0
for g in gens:
    total += g.send(None) - 1
print("BENCH " + json.dumps({"name": "floor_native" if native else "floor",
                             "ops": ngens * iters, "us": us, "check": "%d" % total}))
