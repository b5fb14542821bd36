# N concurrent sleeping tasks (bounded by the heap only) finish in deadline order.  (Ties in
# the order they went to sleep are checked exactly by the Rust timer tests.)
# usage: micropython -X heapsize=256M deadline_order.py N
import sys
import asyncio
import random
from time import ticks_ms, ticks_add, ticks_diff

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
random.seed(1)
finished = []
earliest = [0] * n
latest = [0] * n


async def sleeper(i, ms):
    # sleep_ms() takes its deadline when it is called: between these two readings of the
    # clock, however long a busy machine stalls the process in between.
    earliest[i] = ticks_add(ticks_ms(), ms)
    aw = asyncio.sleep_ms(ms)
    latest[i] = ticks_add(ticks_ms(), ms)
    await aw
    finished.append(i)


async def main():
    for i in range(n):
        asyncio.create_task(sleeper(i, random.getrandbits(9)))  # 0..511 ms
    while len(finished) < n:
        await asyncio.sleep_ms(50)
    bad = 0
    for a, b in zip(finished, finished[1:]):
        # a woke before b: its deadline is not later (it is out of order only if the earliest
        # it can have been is after the latest b's can have been).
        if ticks_diff(earliest[a], latest[b]) > 0:
            bad += 1
    print("tasks", n, "all finished:", len(finished) == n, "in deadline order:", bad == 0)


asyncio.run(main())
