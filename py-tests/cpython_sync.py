# asyncio.Semaphore, BoundedSemaphore, Condition and Barrier as CPython has them.
# Expected output: what CPython prints.
import asyncio

if not hasattr(asyncio, "Semaphore"):
    print("SKIP")
    raise SystemExit


async def semaphores():
    sem = asyncio.Semaphore(2)
    print("locked", sem.locked())
    inside = []
    outs = []
    # Each user holds its permit until the conductor lets it go: the order of the lines is
    # set by events, not by sleeps that a slow machine could make cross.
    go = [asyncio.Event() for _ in range(5)]

    async def user(i):
        async with sem:
            inside.append(i)
            print("in", i, "with", len(inside))
            await go[i].wait()
            inside.remove(i)
        outs.append(i)
        print("out", i)

    async def until(cond):
        while not cond():
            await asyncio.sleep(0)

    async def conductor():
        await until(lambda: len(inside) == 2)
        for i in range(5):
            go[i].set()
            # Wait for user i to leave and for the next one (if any) to take its permit.
            await until(lambda: i in outs and (i + 2 >= 5 or i + 2 in inside))

    await asyncio.gather(conductor(), *(user(i) for i in range(5)))

    # FIFO hand-off: release() gives the permit to the first waiter.
    sem = asyncio.Semaphore(0)
    order = []

    async def waiter(i):
        await sem.acquire()
        order.append(i)

    ts = [asyncio.create_task(waiter(i)) for i in range(3)]
    await asyncio.sleep(0)
    print("locked with waiters", sem.locked())
    for _ in range(3):
        sem.release()
    await asyncio.gather(*ts)
    print("order", order)

    # A waiter cancelled after release() chose it passes the permit on.
    sem = asyncio.Semaphore(0)
    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    order.clear()
    await asyncio.sleep(0)
    sem.release()
    a.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("after cancel", order, "a cancelled", a.done())
    await b

    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        print("ValueError", e)

    bs = asyncio.BoundedSemaphore(1)
    await bs.acquire()
    bs.release()
    try:
        bs.release()
    except ValueError as e:
        print("ValueError", e)


async def conditions():
    cond = asyncio.Condition()
    items = []

    async def consumer(i):
        async with cond:
            await cond.wait_for(lambda: items)
            print("consumer", i, "took", items.pop(0), "locked", cond.locked())

    cs = [asyncio.create_task(consumer(i)) for i in range(3)]
    await asyncio.sleep(0)
    for v in "xyz":
        async with cond:
            items.append(v)
            cond.notify()
        await asyncio.sleep(0)
    await asyncio.gather(*cs)

    async def waiter(i):
        async with cond:
            r = await cond.wait()
            print("woken", i, r)

    ws = [asyncio.create_task(waiter(i)) for i in range(3)]
    await asyncio.sleep(0)
    async with cond:
        cond.notify_all()
        print("notified all; lock still ours:", cond.locked())
    await asyncio.gather(*ws)

    try:
        await cond.wait()
    except RuntimeError as e:
        print("RuntimeError", e)
    try:
        cond.notify()
    except RuntimeError as e:
        print("RuntimeError", e)

    # Cancelled in wait(): the lock is taken again before the CancelledError comes out.
    async def cancelled_waiter():
        async with cond:
            try:
                await cond.wait()
            except asyncio.CancelledError:
                print("cancelled, holding lock:", cond.locked())
                raise

    t = asyncio.create_task(cancelled_waiter())
    await asyncio.sleep(0)
    async with cond:
        t.cancel()
        await asyncio.sleep(0)
        print("canceller still holds the lock")
    try:
        await t
    except asyncio.CancelledError:
        print("waiter ended cancelled; locked:", cond.locked())

    lock = asyncio.Lock()
    c2 = asyncio.Condition(lock)
    async with lock:
        print("shared lock", c2.locked())


async def barriers():
    b = asyncio.Barrier(3)
    print("parties", b.parties, "n_waiting", b.n_waiting, "broken", b.broken)

    arrived = []

    async def party(i):
        while len(arrived) < i:  # arrive in order 0, 1, 2 (by events, not by the clock)
            await asyncio.sleep(0)
        arrived.append(i)
        print("arrive", i)
        idx = await b.wait()
        print("pass", i, "index", idx)

    await asyncio.gather(*(party(i) for i in range(3)))

    async def stuck():
        try:
            await b.wait()
        except asyncio.BrokenBarrierError:
            print("BrokenBarrierError")

    t = asyncio.create_task(stuck())
    await asyncio.sleep(0)
    print("n_waiting", b.n_waiting)
    await b.abort()
    await t
    print("broken", b.broken)
    await b.reset()
    print("broken after reset", b.broken)


async def main():
    await semaphores()
    await conditions()
    await barriers()


asyncio.run(main())
