# Hand-off on cancellation, as CPython decides it: a waiter that was woken (given a permit, a
# lock, an item's turn, room) and is cancelled before it runs passes what it was given to the
# next waiter; one cancelled while still waiting passes nothing on, so nobody is woken for
# nothing.  Queue, Semaphore, Lock, and Condition's wait(), which takes the lock again even
# when cancelled.  Expected output: what CPython prints.
import asyncio

if not hasattr(asyncio, "Queue"):
    print("SKIP")
    raise SystemExit


async def turns(n=3):
    for _ in range(n):
        await asyncio.sleep(0)


async def queue_getters():
    q = asyncio.Queue()
    got = []

    async def getter(name):
        try:
            got.append((name, await q.get()))
        except asyncio.CancelledError:
            got.append((name, "cancelled"))

    ts = [asyncio.create_task(getter("g%d" % i)) for i in range(5)]
    await turns()
    q.put_nowait(1)  # wakes g0
    ts[0].cancel()  # woken, not yet run: g1's turn
    ts[2].cancel()  # still waiting: nobody's turn
    await turns()
    q.put_nowait(2)
    q.put_nowait(3)
    await turns()
    print("getters:", got, "qsize", q.qsize())


async def queue_putters():
    q = asyncio.Queue(1)
    q.put_nowait("x")
    done = []

    async def putter(name):
        try:
            await q.put(name)
            done.append(name)
        except asyncio.CancelledError:
            done.append(name + " cancelled")

    ts = [asyncio.create_task(putter("p%d" % i)) for i in range(4)]
    await turns()
    print("got", q.get_nowait())  # room: wakes p0
    ts[0].cancel()  # woken, not yet run: p1's turn
    ts[2].cancel()  # still waiting
    await turns()
    print("got", q.get_nowait())
    await turns()
    print("putters:", done, "left", q.get_nowait(), q.qsize())


async def semaphore():
    s = asyncio.Semaphore(1)
    await s.acquire()
    got = []

    async def waiter(name):
        try:
            await s.acquire()
            got.append(name)
        except asyncio.CancelledError:
            got.append(name + " cancelled")

    ts = [asyncio.create_task(waiter("w%d" % i)) for i in range(4)]
    await turns()
    s.release()  # to w0
    ts[0].cancel()  # handed the permit, not yet run: w1 gets it
    ts[2].cancel()  # still waiting
    await turns()
    s.release()  # to w3
    await turns()
    print("semaphore:", got, "locked", s.locked())


async def lock():
    k = asyncio.Lock()
    await k.acquire()
    got = []

    async def waiter(name):
        try:
            await k.acquire()
            got.append(name)
            await asyncio.sleep(0)
            k.release()
        except asyncio.CancelledError:
            got.append(name + " cancelled")

    ts = [asyncio.create_task(waiter("w%d" % i)) for i in range(3)]
    await turns()
    k.release()  # to w0
    ts[0].cancel()  # handed the lock, not yet run: w1 takes it
    await turns(6)
    print("lock:", got, "locked", k.locked())


async def condition(handed):
    c = asyncio.Condition()
    log = []

    async def waiter(name):
        async with c:
            try:
                await c.wait()
                log.append(name + " notified, locked %s" % c.locked())
            except asyncio.CancelledError:
                log.append(name + " cancelled, locked %s" % c.locked())
            await asyncio.sleep(0)

    ts = [asyncio.create_task(waiter("c%d" % i)) for i in range(3)]
    await turns()
    async with c:
        c.notify_all()
        await turns()  # all three queue for the lock again
        if not handed:
            ts[0].cancel()  # cancelled while queued for the lock
    if handed:
        ts[0].cancel()  # handed the lock by the release above, not yet run
    await turns(12)
    print("condition:", log, "locked", c.locked())


async def main():
    await queue_getters()
    await queue_putters()
    await semaphore()
    await lock()
    await condition(False)
    await condition(True)


asyncio.run(main())
