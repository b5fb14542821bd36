# Task switches: NTASKS tasks in an `await asyncio.sleep(0)` round robin, ITERS switches each.
# Timed from when every task has started (creating the tasks is not counted) to the end.
# usage: micropython switches.py NTASKS ITERS
# Prints one line: BENCH {"name": "switches", "ops": switches, "us": elapsed, "check": ...}
# check = switches counted, plus a hash of the order in which the tasks finished (a FIFO
# round robin finishes them in creation order on both loops).
import sys, time, json, asyncio

ntasks = int(sys.argv[1])
iters = int(sys.argv[2])
count = 0
order = 0
t0 = 0


async def worker(i):
    global count, order
    await asyncio.sleep(0)  # start-up round, not counted
    n = 0
    for _ in range(iters):
        await asyncio.sleep(0)
        n += 1
    count += n
    order = (order * 31 + i) & 0x3FFFFFFF


async def main():
    global t0
    tasks = [asyncio.create_task(worker(i)) for i in range(ntasks)]
    await asyncio.sleep(0)  # every worker has run once and is parked in its first sleep(0)
    t0 = time.ticks_us()
    for t in tasks:
        await t


asyncio.run(main())
us = time.ticks_diff(time.ticks_us(), t0)
print("BENCH " + json.dumps({"name": "switches", "ops": count, "us": us,
                             "check": "%d/%d" % (count, order)}))
