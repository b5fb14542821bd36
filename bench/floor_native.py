# Native floor: _eventio.resume_floor(gens, n) resumes the generators round robin with
# mp_resume() in C, n resumptions in all, with nothing else (no scheduler, no bytecode loop
# around it).  The floor a native task switch is compared with.  Ours only (stock has no
# _eventio).
# usage: micropython floor_native.py NGENS ITERS
import sys, time, json
import _eventio

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
n = ngens * iters
t0 = time.ticks_us()
_eventio.resume_floor(gens, n)
us = time.ticks_diff(time.ticks_us(), t0)
total = 0
for g in gens:
    total += g.send(None) - 1
print("BENCH " + json.dumps({"name": "floor_native", "ops": n, "us": us,
                             "check": "%d" % total}))
