# N concurrent sleeping tasks (bounded by the heap only) finish in deadline order, ties in
# creation order.  usage: micropython -X heapsize=256M deadline_order.py N
import sys
import asyncio
import random

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
random.seed(1)
finished = []


async def sleeper(i, ms):
    await asyncio.sleep_ms(ms)
    finished.append(i)


async def main():
    deadlines = []
    for i in range(n):
        ms = random.getrandbits(9)  # 0..511 ms
        deadlines.append(ms)
        asyncio.create_task(sleeper(i, ms))
    # Wait for all of them (tasks are created within a few ms, well inside one tick's slack).
    while len(finished) < n:
        await asyncio.sleep_ms(50)
    # Every task woke after every task with an earlier deadline set in the same tick; allow
    # the creation time: a task created t ms later may legitimately pass one with a deadline
    # up to t ms earlier, so check order of (deadline, index) within each creation batch.
    bad = 0
    for a, b in zip(finished, finished[1:]):
        if deadlines[a] > deadlines[b] + 2 or (deadlines[a] == deadlines[b] and a > b):
            bad += 1
    print("tasks", n, "all finished:", len(finished) == n, "in deadline order:", bad == 0)


asyncio.run(main())
