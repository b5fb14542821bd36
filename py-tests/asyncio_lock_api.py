# Lock: mutual exclusion, FIFO order of acquirers, async with, releasing an unlocked lock,
# cancellation while waiting passing the lock on, locked().
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit

inside = 0
max_inside = 0


async def worker(name, lock, n):
    global inside, max_inside
    for i in range(n):
        await lock.acquire()
        inside += 1
        max_inside = max(max_inside, inside)
        print(name, "in", i)
        await asyncio.sleep_ms(5)
        await asyncio.sleep(0)
        print(name, "out", i)
        inside -= 1
        lock.release()
        await asyncio.sleep(0)


async def until(cond):
    # Waits until cond() holds, at most 10 s: main looks once what it reports has happened,
    # not after a fixed sleep that valgrind on a busy machine could outlast.
    for _ in range(10_000):
        if cond():
            return
        await asyncio.sleep_ms(1)


async def acquirer(name, lock, hold):
    # hold: ms to hold the lock, or an Event to hold it until.
    try:
        r = await lock.acquire()
    except asyncio.CancelledError:
        print(name, "cancelled while waiting")
        raise
    print(name, "acquired ->", r)
    try:
        if isinstance(hold, asyncio.Event):
            await hold.wait()
        else:
            await asyncio.sleep_ms(hold)
    except asyncio.CancelledError:
        print(name, "cancelled while holding")
        lock.release()
        raise
    lock.release()
    print(name, "released")


async def with_user(name, lock, ms):
    async with lock:
        print(name, "in with, locked:", lock.locked())
        await asyncio.sleep_ms(ms)
    print(name, "left with, locked:", lock.locked())


async def main():
    lock = asyncio.Lock()
    print("new locked:", lock.locked())
    print("acquire ->", await lock.acquire())
    print("locked:", lock.locked())
    lock.release()
    print("released locked:", lock.locked())

    # Release of an unlocked lock.
    try:
        lock.release()
    except RuntimeError as e:
        print("release unlocked:", type(e).__name__)

    # Mutual exclusion among three workers that switch while holding the lock.
    ts = [asyncio.create_task(worker("k%d" % i, lock, 2)) for i in range(3)]
    await asyncio.gather(*ts)
    print("max inside:", max_inside, "locked:", lock.locked())

    # FIFO: acquirers get the lock in the order they asked for it.
    await lock.acquire()
    ts = []
    for name in ("c", "a", "d", "b"):
        ts.append(asyncio.create_task(acquirer(name, lock, 5)))
        await asyncio.sleep(0)
    print("all queued, locked:", lock.locked())
    lock.release()
    print("released by main, locked:", lock.locked())
    await asyncio.gather(*ts)
    print("locked:", lock.locked())

    # async with: released on normal exit and on exception.
    await asyncio.gather(with_user("u1", lock, 10), with_user("u2", lock, 10))
    try:
        async with lock:
            print("in with, raising")
            raise ValueError("inside")
    except ValueError as e:
        print("caught", repr(e), "locked:", lock.locked())

    # Cancellation while waiting: the lock goes to the next waiter.
    release = asyncio.Event()
    holder = asyncio.create_task(acquirer("holder", lock, release))
    await asyncio.sleep(0)
    w1 = asyncio.create_task(acquirer("w1", lock, 5))
    w2 = asyncio.create_task(acquirer("w2", lock, 5))
    await asyncio.sleep_ms(5)
    print("cancel w1:", w1.cancel())
    await until(w1.done)
    release.set()
    await until(lambda: w1.done() and w2.done())
    print("w1 done:", w1.done(), "w2 done:", w2.done(), "locked:", lock.locked())

    # Cancellation after release() picked the waiter but before it ran: the lock is passed
    # on to the waiter after it.
    await lock.acquire()
    w1 = asyncio.create_task(acquirer("p1", lock, 5))
    w2 = asyncio.create_task(acquirer("p2", lock, 5))
    await asyncio.sleep(0)
    lock.release()
    print("cancel p1 after release:", w1.cancel())
    await until(lambda: w1.done() and w2.done())
    print("p1 done:", w1.done(), "p2 done:", w2.done(), "locked:", lock.locked())

    # Cancelling the holder while it holds the lock (it releases in its handler).
    holder = asyncio.create_task(acquirer("h", lock, 1000))
    waiting = asyncio.create_task(acquirer("next", lock, 5))
    await asyncio.sleep_ms(5)
    holder.cancel()
    await until(lambda: holder.done() and waiting.done())
    print("locked:", lock.locked())

    # Only the last waiter, cancelled: the lock ends unlocked.
    await lock.acquire()
    w = asyncio.create_task(acquirer("only", lock, 5))
    await asyncio.sleep(0)
    lock.release()
    w.cancel()
    await until(w.done)
    print("after cancelling the only waiter, locked:", lock.locked())


asyncio.run(main())
print("end")
