# Cancellation: N tasks sleeping to scattered deadlines (a minute ahead), then all cancelled in
# a scattered order (a fixed stride through the list, the same on both firmwares); timed from
# the first cancel until every task has ended.  With SHARED, the N tasks wait on one Event
# instead, cancelled newest first (each leaves the end of the waiter list).
# usage: micropython cancel.py N [event]
# Prints one line: BENCH {"name": "cancel", "ops": N, "us": elapsed, "check": ...}
import sys, time, json, asyncio

n = int(sys.argv[1])
on_event = len(sys.argv) > 2 and sys.argv[2] == "event"
ended = 0


async def sleeper(i):
    global ended
    try:
        await asyncio.sleep_ms(60000 + (i * 7919) % 5000)
    except asyncio.CancelledError:
        ended += 1


async def waiter(ev):
    global ended
    try:
        await ev.wait()
    except asyncio.CancelledError:
        ended += 1


async def main():
    ev = asyncio.Event()
    tasks = [asyncio.create_task(waiter(ev) if on_event else sleeper(i)) for i in range(n)]
    await asyncio.sleep(0)  # every task is waiting now
    t0 = time.ticks_us()
    if on_event:
        order = range(n - 1, -1, -1)
    else:
        stride = 7919 if n % 7919 else 7907
        order = [(i * stride) % n for i in range(n)]
    for i in order:
        tasks[i].cancel()
    for t in tasks:
        await t
    return time.ticks_diff(time.ticks_us(), t0)


us = asyncio.run(main())
print("BENCH " + json.dumps({"name": "cancel", "ops": n, "us": us, "check": "%d" % ended}))
