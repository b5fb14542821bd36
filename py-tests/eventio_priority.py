# Task priorities: a ready task of a higher level runs before every ready task of a lower
# level; FIFO within a level; levels can change while queued; an interrupt-woken task of a
# high level runs at the next switch point, ahead of every busy task.
try:
    import eventio
except ImportError:
    print("SKIP")
    raise SystemExit
import asyncio

log = []


async def step(name, n=1):
    for i in range(n):
        log.append(name)
        await asyncio.sleep(0)


async def settle(n):
    # Until the log has n entries (at most 10 s), instead of a fixed sleep that a slow run
    # could outlast; then 10 ms more, for anything that should not run to show up.
    for _ in range(10_000):
        if len(log) >= n:
            break
        await asyncio.sleep_ms(1)
    await asyncio.sleep_ms(10)


async def main():
    # Across levels, and FIFO within one.
    for name, p in (("a0", 0), ("b2", 2), ("c1", 1), ("d2", 2), ("e0", 0), ("f3", 3)):
        asyncio.create_task(step(name), priority=p)
    await settle(6)
    print("order:", log)
    log.clear()

    # Round robin within the top level; lower levels wait until it is idle.
    for name, p in (("lo", 0), ("hiA", 1), ("hiB", 1)):
        asyncio.create_task(step(name, 3), priority=p)
    await settle(9)
    print("round robin:", log)
    log.clear()

    # A priority change while queued moves the task.
    ts = [asyncio.create_task(step(name)) for name in ("x", "y", "z")]
    print("default level:", ts[0].priority)
    ts[2].priority = 3
    ts[0].priority = 1
    await settle(3)
    print("after change:", log)
    log.clear()

    # Cancelling a queued high-priority task: it never runs its body.
    t = asyncio.create_task(step("never"), priority=3)
    t.cancel()
    asyncio.create_task(step("runs"))
    await settle(1)
    print("cancelled high:", log, t.done())
    log.clear()

    # A sleeping high-priority task wakes ahead of busy low-priority tasks.
    async def spinner(stop):
        while not stop[0]:
            await asyncio.sleep(0)

    stop = [False]
    spinners = [asyncio.create_task(spinner(stop)) for _ in range(20)]
    flag = asyncio.ThreadSafeFlag()

    async def urgent():
        await flag.wait()
        log.append("urgent")
        stop[0] = True

    asyncio.create_task(urgent(), priority=3)
    await asyncio.sleep(0)
    s0 = eventio.stats()["switches_by_level"]
    eventio.test_source(flag, 1, 20000)
    await asyncio.gather(*spinners)
    s1 = eventio.stats()["switches_by_level"]
    print("urgent ran:", log, "level 3 switches:", s1[3] - s0[3])

    # Bad levels.
    for bad in (-1, 8):
        try:
            asyncio.create_task(step("bad"), priority=bad)
        except ValueError:
            print("ValueError for", bad)
    tk = await eventio.spawn(step, "kernel", priority=2)
    await tk.join()
    print("spawn priority:", tk.priority)


asyncio.run(main())
