# Timers: NTASKS tasks, each sleeping ROUNDS times for a pseudo-random sleep_ms(1..MAXMS)
# (fixed-seed LCG, so both firmwares sleep exactly the same deadlines).
# Reports total wall time and how late the wake-ups were (mean and max, in us).
# usage: micropython timers.py NTASKS ROUNDS MAXMS
import sys, time, json, asyncio

ntasks = int(sys.argv[1])
rounds = int(sys.argv[2])
maxms = int(sys.argv[3])
seed = 12345
late_sum = 0
late_max = 0
wakes = 0
slept = 0


def rnd():
    global seed
    seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
    return seed >> 8


async def sleeper(delays):
    global late_sum, late_max, wakes, slept
    for d in delays:
        t = time.ticks_add(time.ticks_ms(), d)
        await asyncio.sleep_ms(d)
        late = time.ticks_diff(time.ticks_ms(), t)
        late_sum += late
        if late > late_max:
            late_max = late
        wakes += 1
        slept += d


async def main():
    plans = [[1 + rnd() % maxms for _ in range(rounds)] for _ in range(ntasks)]
    tasks = [asyncio.create_task(sleeper(p)) for p in plans]
    for t in tasks:
        await t


t0 = time.ticks_us()
asyncio.run(main())
us = time.ticks_diff(time.ticks_us(), t0)
print("BENCH " + json.dumps({"name": "timers", "ops": wakes, "us": us,
                             "late_mean_ms": late_sum / wakes, "late_max_ms": late_max,
                             "check": "%d/%d" % (wakes, slept)}))
