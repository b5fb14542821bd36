# wait_for's awaitables and work tasks are reused by later calls (no allocation per call on
# eventio): what a program can hold of an ended wait_for never changes a later one.  The
# output is stock MicroPython's.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit

seen = []


async def work(n, sleeps=0):
    seen.append(asyncio.current_task())
    for _ in range(sleeps):
        await asyncio.sleep(0)
    return n


async def slow(ev, n):
    await ev.wait()
    return n


async def stale_awaiter(w):
    print("stale await gives", await w)


async def main():
    # An ended wait_for awaited again completes at once with None, as a finished coroutine.
    w = asyncio.wait_for(work(1), 1000)
    print("first", await w)
    print("again", await w)

    # The work's task, seen through current_task(), stays the finished task it was, however
    # many wait_fors follow.
    for i in range(3):
        print("loop", await asyncio.wait_for(work(10 + i, i), 1000))
    t0 = seen[0]
    print("held task done:", t0.done(), await t0)
    print("tasks distinct:", len(set(id(t) for t in seen)) == len(seen))

    # An old wait_for awaited by another task while a new one runs: the new one is not touched.
    ev = asyncio.Event()
    old = asyncio.wait_for(work(2), 1000)
    print("old", await old)
    new = asyncio.create_task(asyncio.wait_for(slow(ev, 3), 1000))
    await asyncio.sleep(0)
    stale = asyncio.create_task(stale_awaiter(old))
    await asyncio.sleep(0)
    ev.set()
    print("new", await new)
    await stale

    # Nested, timed out, raising, on a Task and on an Event's wait(), one after the other.
    print("nested", await asyncio.wait_for(asyncio.wait_for(work(4, 2), 1000), 1000))
    for i in range(3):
        try:
            await asyncio.wait_for(slow(asyncio.Event(), i), 0)
        except asyncio.TimeoutError:
            print("timeout", i)

    async def fails():
        raise ValueError("bad")

    for i in range(2):
        try:
            await asyncio.wait_for(fails(), 1000)
        except ValueError as e:
            print("raised", e)
    t = asyncio.create_task(work(5, 1))
    print("task", await asyncio.wait_for(t, 1000), t.done())
    ev2 = asyncio.Event()
    ev2.set()
    print("event", await asyncio.wait_for(ev2.wait(), 1000))

    # Cancelled from outside while its work waits: the work is cancelled after the caller
    # has left, and the next wait_for runs normally.  (The caller does not go on to another
    # wait_for: stock's runner task would cancel it there, README's "differs on purpose".)
    async def inner():
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            print("work cancelled")
            raise

    async def caller():
        try:
            await asyncio.wait_for(inner(), 1000)
        except asyncio.CancelledError:
            print("caller cancelled")

    c = asyncio.create_task(caller())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    c.cancel()
    await c
    await asyncio.sleep(0)
    print("after", await asyncio.wait_for(work(6, 1), 1000))
    print("done")


asyncio.run(main())
