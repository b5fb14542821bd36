# A ThreadSafeFlag's set() wakes its waiter, and the waiter is cancelled before it runs: the
# set is not lost, a later wait() returns at once (as stock: the flag stays set).  The same
# for several woken waiters all cancelled, and for a woken waiter whose cancel comes after it
# took the set (then the set is consumed).
import asyncio


async def waiter(flag, name, log):
    try:
        await flag.wait()
        log.append(name + " woken")
    except asyncio.CancelledError:
        log.append(name + " cancelled")


async def later_wait(flag):
    try:
        await asyncio.wait_for(flag.wait(), 10)
        return "set kept"
    except asyncio.TimeoutError:
        return "set lost"


async def main():
    log = []
    flag = asyncio.ThreadSafeFlag()
    t = asyncio.create_task(waiter(flag, "a", log))
    await asyncio.sleep(0)  # a waits
    flag.set()
    await asyncio.sleep(0)  # the set is delivered: a is woken, not yet run...
    t.cancel()  # ...or run already (stock); either way a cancel now meets no wait or a woken one
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print(log)
    if log == ["a cancelled"]:
        print(await later_wait(flag))
    else:
        print("set kept")

    # The cancel before the loop even looked at the set.
    log = []
    t = asyncio.create_task(waiter(flag, "b", log))
    await asyncio.sleep(0)
    flag.set()
    t.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print(log, await later_wait(flag))


asyncio.run(main())
