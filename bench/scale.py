# Scale: N tasks, each created with create_task and sleeping sleep_ms(1 + i % 50).
# Reports the total wall time of asyncio.run (creation + all sleeps + teardown), and its
# parts: creating the tasks (create_us), the first pass where every task starts and goes to
# sleep (start_us), and the rest until all have woken and finished (rest_us).
# usage: micropython -X heapsize=256M scale.py N
import sys, time, json, asyncio

n = int(sys.argv[1])
done = 0
slept = 0
parts = []


async def sleeper(ms):
    global done, slept
    await asyncio.sleep_ms(ms)
    done += 1
    slept += ms


async def main():
    t0 = time.ticks_us()
    for i in range(n):
        asyncio.create_task(sleeper(1 + i % 50))
    t1 = time.ticks_us()
    await asyncio.sleep(0)  # every task has run once and is asleep now
    t2 = time.ticks_us()
    while done < n:
        await asyncio.sleep_ms(5)
    t3 = time.ticks_us()
    parts.extend((time.ticks_diff(t1, t0), time.ticks_diff(t2, t1), time.ticks_diff(t3, t2)))


t0 = time.ticks_us()
asyncio.run(main())
us = time.ticks_diff(time.ticks_us(), t0)
print("BENCH " + json.dumps({"name": "scale", "ops": n, "us": us, "create_us": parts[0],
                             "start_us": parts[1], "rest_us": parts[2],
                             "check": "%d/%d" % (done, slept)}))
