# create_task + gather: ROUNDS times, create NTASKS short tasks and gather their results.
# usage: micropython gather.py NTASKS ROUNDS
import sys, time, json, asyncio

ntasks = int(sys.argv[1])
rounds = int(sys.argv[2])


async def short(i):
    return i * 3


async def main():
    total = 0
    for _ in range(rounds):
        res = await asyncio.gather(*[asyncio.create_task(short(i)) for i in range(ntasks)])
        total += sum(res)
    return total


t0 = time.ticks_us()
total = asyncio.run(main())
us = time.ticks_diff(time.ticks_us(), t0)
print("BENCH " + json.dumps({"name": "gather", "ops": ntasks * rounds, "us": us,
                             "check": "%d" % total}))
