# Lock hand-off: NTASKS tasks take turns on one asyncio.Lock; each holds it across a
# sleep(0), so every release hands the lock to the next waiter (FIFO).
# ops = acquisitions; check = count + hash of the order the tasks got the lock.
# usage: micropython lock.py NTASKS ROUNDS
import sys, time, json, asyncio

ntasks = int(sys.argv[1])
rounds = int(sys.argv[2])
count = 0
order = 0


async def worker(lock, i):
    global count, order
    for _ in range(rounds):
        async with lock:
            count += 1
            order = (order * 31 + i) & 0x3FFFFFFF
            await asyncio.sleep(0)


async def main():
    lock = asyncio.Lock()
    tasks = [asyncio.create_task(worker(lock, i)) for i in range(ntasks)]
    for t in tasks:
        await t


t0 = time.ticks_us()
asyncio.run(main())
us = time.ticks_diff(time.ticks_us(), t0)
print("BENCH " + json.dumps({"name": "lock", "ops": count, "us": us,
                             "check": "%d/%d" % (count, order)}))
