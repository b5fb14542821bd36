# With the heap locked (micropython.heap_lock()), the scheduler allocates nothing: task
# switches with sleep(0) and sleep_ms, Event wait/set, Lock acquire/release (and async with),
# ThreadSafeFlag wait/set, 100 rounds each (eventio only).  An allocation would raise
# MemoryError and show up as a failure.
try:
    import asyncio
    import eventio
    import micropython

    micropython.heap_lock
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit

N = 100
count = [0, 0]
helper_failed = [False]


async def guard(coro):
    # A helper that fails (MemoryError) stops the body's waiting loop instead of hanging it.
    try:
        await coro
    except BaseException:
        helper_failed[0] = True
        raise


def waiting():
    return (count[0] < N or count[1] < N) and not helper_failed[0]


def report(name):
    print(name, "rounds:", count[0], count[1])
    count[0] = count[1] = 0
    helper_failed[0] = False


async def run_locked(body, *helpers):
    # Start the helpers and let them reach their first wait before locking the heap.
    ts = [asyncio.create_task(guard(h)) for h in helpers]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    err = None
    coro = body()
    micropython.heap_lock()
    try:
        await coro
    except Exception as e:
        err = e
    finally:
        depth = micropython.heap_unlock()
    if err is not None:
        print("failed:", type(err).__name__)
    for t in ts:
        # A helper left waiting (because its partner failed) is cancelled.
        t.cancel()
        try:
            await t
        except asyncio.CancelledError:
            print("helper stuck")
        except Exception as e:
            print("helper failed:", type(e).__name__)
    print("  heap unlocked after:", depth == 0)


async def switches():
    i = 0
    while i < N:
        await asyncio.sleep(0)
        await asyncio.sleep_ms(0)
        await asyncio.sleep_ms(1)
        i += 1
    count[0] = i


async def other_switcher():
    i = 0
    while i < N:
        await asyncio.sleep(0)
        await asyncio.sleep_ms(1)
        i += 1
    count[1] = i


async def event_test():
    ping, pong = asyncio.Event(), asyncio.Event()

    async def player(mine, theirs, idx, first):
        i = 0
        if first:
            theirs.set()
        while i < N:
            await mine.wait()
            mine.clear()
            i += 1
            count[idx] = i
            theirs.set()

    async def body():
        # The helpers have started; ping-pong until both have done N rounds.
        while waiting():
            await asyncio.sleep_ms(1)

    await run_locked(body, player(ping, pong, 0, True), player(pong, ping, 1, False))


async def lock_test():
    lock = asyncio.Lock()
    inside = [0]

    async def user(idx):
        i = 0
        while i < N:
            await lock.acquire()
            inside[0] += 1
            await asyncio.sleep(0)
            if inside[0] != 1:
                raise AssertionError
            inside[0] -= 1
            lock.release()
            i += 1
            count[idx] = i

    async def body():
        i = 0
        while i < N:
            await lock.acquire()
            await asyncio.sleep(0)
            lock.release()
            async with lock:
                await asyncio.sleep(0)
            i += 1
        while waiting():
            await asyncio.sleep_ms(1)

    await run_locked(body, user(0), user(1))
    print("lock locked at end:", lock.locked())


async def flag_test():
    f1, f2 = asyncio.ThreadSafeFlag(), asyncio.ThreadSafeFlag()

    async def setter():
        i = 0
        while i < N:
            f1.set()
            await f2.wait()
            i += 1
            count[0] = i

    async def waiter():
        i = 0
        while i < N:
            await f1.wait()
            i += 1
            count[1] = i
            f2.set()

    async def body():
        while waiting():
            await asyncio.sleep_ms(1)

    await run_locked(body, setter(), waiter())


async def main():
    await run_locked(switches, other_switcher())
    report("sleep switches")
    await event_test()
    report("Event")
    await lock_test()
    report("Lock")
    await flag_test()
    report("ThreadSafeFlag")


asyncio.run(main())
print("end")
