# Timeouts: one await with a timeout, repeated.  What it costs depends on what it allocates,
# so the cases run on a 2 MB heap (the unix default) and a 64 KB one (a board's): MicroPython's
# allocator moves its free-pointer hint only on one-block allocations, so a loop that
# allocates only multi-block objects (a coroutine) rescans the heap used since the last
# collection each time; "coro" times that bare loop, for reference.
# usage: micropython timeouts.py CALLS MODE
#   MODE: coro             await coro()
#         wait_for_coro    await asyncio.wait_for(coro(), 1)
#         wait_for_event   await asyncio.wait_for(ev.wait(), 1)   (ev is set)
#         timeout_coro     async with asyncio.timeout(1): await coro()
#         timeout_event    async with asyncio.timeout(1): await ev.wait()
import sys, time, json, asyncio

calls = int(sys.argv[1])
mode = sys.argv[2]
total = 0


async def coro():
    return 1


async def main():
    global total
    ev = asyncio.Event()
    ev.set()
    n = 0
    if mode == "coro":
        for _ in range(calls):
            n += await coro()
    elif mode == "wait_for_coro":
        for _ in range(calls):
            n += await asyncio.wait_for(coro(), 1)
    elif mode == "wait_for_event":
        for _ in range(calls):
            n += await asyncio.wait_for(ev.wait(), 1)
    elif mode == "timeout_coro":
        for _ in range(calls):
            async with asyncio.timeout(1):
                n += await coro()
    elif mode == "timeout_event":
        for _ in range(calls):
            async with asyncio.timeout(1):
                n += await ev.wait()
    total = n


t0 = time.ticks_us()
asyncio.run(main())
us = time.ticks_diff(time.ticks_us(), t0)
print("BENCH " + json.dumps({"name": "timeouts_" + mode, "ops": calls, "us": us,
                             "check": "%d/%d" % (calls, total)}))
