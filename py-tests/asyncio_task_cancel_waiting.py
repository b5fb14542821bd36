# Cancelling a task while it waits: on an Event, on a Lock, in gather, in wait_for.  The task
# gets CancelledError where it waits, and whatever it waited on carries on for the others.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit


async def on_event(name, ev):
    try:
        print(name, "wait ->", await ev.wait())
    except asyncio.CancelledError:
        print(name, "cancelled in Event.wait")
        raise


async def until(cond):
    # Waits until cond() holds, at most 10 s: the order of the lines is set by events, not by
    # sleeps that valgrind on a busy machine could make cross.
    for _ in range(10_000):
        if cond():
            return
        await asyncio.sleep_ms(1)


async def on_lock(name, lock, hold):
    # hold: ms to hold the lock, or an Event to hold it until.
    try:
        await lock.acquire()
    except asyncio.CancelledError:
        print(name, "cancelled in Lock.acquire, locked:", lock.locked())
        raise
    print(name, "acquired")
    if isinstance(hold, asyncio.Event):
        await hold.wait()
    else:
        await asyncio.sleep_ms(hold)
    print(name, "releases")
    lock.release()


finished, cancelled = [], []


async def child(name, ms):
    try:
        await asyncio.sleep_ms(ms)
    except asyncio.CancelledError:
        print(name, "cancelled")
        cancelled.append(name)
        raise
    print(name, "finished")
    finished.append(name)
    return name


async def in_gather():
    try:
        r = await asyncio.gather(child("g1", 1000), child("g2", 10), child("g3", 1000))
        print("gather returned", r)
    except asyncio.CancelledError:
        print("gather caller cancelled")
        raise


async def in_wait_for():
    try:
        r = await asyncio.wait_for(child("wf", 1000), 5)
        print("wait_for returned", r)
    except asyncio.CancelledError:
        print("wait_for caller cancelled")
        raise


async def result_of(label, t):
    try:
        print(label, "->", await t)
    except asyncio.CancelledError:
        print(label, "-> CancelledError")


async def main():
    # Event: cancel the middle one of three waiters; the other two are woken by set().
    ev = asyncio.Event()
    ts = [asyncio.create_task(on_event("ev%d" % i, ev)) for i in range(3)]
    await asyncio.sleep_ms(10)
    print("cancel ev1:", ts[1].cancel())
    await asyncio.sleep_ms(10)
    print("ev1 done:", ts[1].done(), "is_set:", ev.is_set())
    ev.set()
    await asyncio.sleep_ms(10)
    print("all done:", [t.done() for t in ts])
    await result_of("ev1", ts[1])

    # Lock: holder keeps it; a waiter is cancelled; the next waiter still gets it.
    lock = asyncio.Lock()
    release = asyncio.Event()
    holder = asyncio.create_task(on_lock("holder", lock, release))
    await asyncio.sleep_ms(5)
    w1 = asyncio.create_task(on_lock("w1", lock, 10))
    w2 = asyncio.create_task(on_lock("w2", lock, 10))
    await asyncio.sleep_ms(5)
    print("cancel w1:", w1.cancel())
    await until(w1.done)
    release.set()
    await until(lambda: holder.done() and w2.done())
    print("locked at end:", lock.locked())
    await result_of("w1", w1)

    # gather: cancelling the task awaiting gather cancels the unfinished children.
    t = asyncio.create_task(in_gather())
    await until(lambda: "g2" in finished)
    print("cancel gather caller:", t.cancel())
    await until(lambda: t.done() and len(cancelled) == 2)
    print("gather caller done:", t.done())

    # wait_for: cancelling the caller cancels the awaited work too.
    t = asyncio.create_task(in_wait_for())
    await asyncio.sleep_ms(10)
    print("cancel wait_for caller:", t.cancel())
    await until(lambda: t.done() and "wf" in cancelled)
    print("wait_for caller done:", t.done())

    # Event waited on with wait_for, and the caller cancelled.
    ev = asyncio.Event()

    async def wf_event():
        try:
            await asyncio.wait_for(ev.wait(), 5)
        except asyncio.CancelledError:
            print("wait_for(ev.wait()) caller cancelled")
            raise

    t = asyncio.create_task(wf_event())
    await asyncio.sleep_ms(10)
    t.cancel()
    await until(t.done)
    ev.set()
    await asyncio.sleep_ms(10)
    print("done:", t.done())


asyncio.run(main())
print("end")
