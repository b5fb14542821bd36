# ThreadSafeFlag latency, thread -> task: a _thread sets the flag, a task waiting on it records
# how long it took to run.  Lock-step: the thread waits until the task has acknowledged the
# previous sample (a _thread lock the task releases), sleeps a little (150..400 us, varied by
# a fixed-seed generator so the set falls at every phase of a polling loop), stamps
# time.ticks_us() and sets the flag; the task, woken, records ticks_diff(now, stamp).
#
# SPIN tasks spin on `await asyncio.sleep(0)` meanwhile (0: the loop is idle when the flag is
# set).  PRIO > 0 creates the waiting task with create_task(coro, priority=PRIO) where the
# loop has priorities (ours); stock has no priority keyword, so there the waiter is created
# normally (the output says which: "prio").
#
# usage: micropython tsf_latency.py SAMPLES [SPIN [PRIO]]
# Prints BENCH {"ops": samples, "p50", "p99", "max", "mean" (us), "check": samples/sum, ...}
import sys, time, json, asyncio, _thread

samples = int(sys.argv[1])
nspin = int(sys.argv[2]) if len(sys.argv) > 2 else 0
prio = int(sys.argv[3]) if len(sys.argv) > 3 else 0

flag = asyncio.ThreadSafeFlag()
ack = _thread.allocate_lock()
stamp = 0
lat = []
running = True
spins = 0


def setter():
    global stamp
    seed = 12345
    for _ in range(samples):
        ack.acquire()  # the task has recorded the previous sample and waits again
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        time.sleep_us(150 + seed % 251)
        stamp = time.ticks_us()
        flag.set()


async def waiter():
    for _ in range(samples):
        await flag.wait()
        lat.append(time.ticks_diff(time.ticks_us(), stamp))
        ack.release()


async def spinner():
    global spins
    n = 0
    while running:
        await asyncio.sleep(0)
        n += 1
    spins += n


async def main():
    global running
    spin = [asyncio.create_task(spinner()) for _ in range(nspin)]
    await asyncio.sleep(0)  # every spinner is running
    used_prio = False
    if prio:
        try:
            w = asyncio.create_task(waiter(), priority=prio)
            used_prio = True
        except TypeError:  # stock: no priorities
            w = asyncio.create_task(waiter())
    else:
        w = asyncio.create_task(waiter())
    await asyncio.sleep(0)  # the waiter is waiting on the flag before the thread starts
    _thread.start_new_thread(setter, ())
    await w
    running = False
    for t in spin:
        await t
    return used_prio


t0 = time.ticks_us()
used_prio = asyncio.run(main())
us = time.ticks_diff(time.ticks_us(), t0)
n = len(lat)
s = sorted(lat)


def pct(p):
    return s[min(n - 1, (n * p) // 100)]


print("BENCH " + json.dumps({
    "name": "tsf_latency", "ops": n, "us": us, "spin": nspin, "prio": used_prio,
    "p50": pct(50), "p90": pct(90), "p99": pct(99), "max": s[-1], "min": s[0],
    "mean": sum(s) / n, "spins": spins, "check": "%d/%d" % (n, nspin)}))
