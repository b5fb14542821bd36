# ThreadSafeFlag with several waiting tasks (eventio only; stock asyncio allows one waiter):
# set() wakes every task waiting at that moment, in the order they started waiting, and is
# consumed by that wake-up; with no waiter it stays set for the next single wait.
try:
    import asyncio
    import eventio
except ImportError:
    print("SKIP")
    raise SystemExit

woken = []


async def waiter(name, flag):
    await flag.wait()
    woken.append(name)


async def timed_wait(label, flag, ms):
    try:
        await asyncio.wait_for_ms(flag.wait(), ms)
        print(label, "-> woke")
    except asyncio.TimeoutError:
        print(label, "-> timeout")


async def until(cond):
    # Until cond() holds (at most 10 s): main looks once the woken tasks have run, not after a
    # fixed sleep that valgrind's thread checkers on a busy machine could outlast.
    for _ in range(10_000):
        if cond():
            return
        await asyncio.sleep_ms(1)


async def main():
    flag = asyncio.ThreadSafeFlag()

    # Four waiters, one set(): all four wake, in order.
    ts = [asyncio.create_task(waiter("w%d" % i, flag)) for i in range(4)]
    await asyncio.sleep_ms(10)
    print("before set:", woken)
    flag.set()
    await until(lambda: all(t.done() for t in ts))
    print("after set:", woken, [t.done() for t in ts])
    # The set() was consumed by that wake-up.
    await timed_wait("next wait", flag, 20)
    woken.clear()

    # Waiters that start after a set() with nobody waiting: only the first gets it.
    flag.set()
    await asyncio.sleep_ms(10)
    ts = [asyncio.create_task(waiter("v%d" % i, flag)) for i in range(3)]
    await asyncio.sleep_ms(10)
    print("one consumed the early set:", woken)
    flag.set()
    await until(lambda: all(t.done() for t in ts))
    print("the rest woken by the next:", woken, [t.done() for t in ts])
    woken.clear()

    # A cancelled waiter is not woken; the others are.
    ts = [asyncio.create_task(waiter("c%d" % i, flag)) for i in range(3)]
    await asyncio.sleep_ms(10)
    ts[1].cancel()
    await asyncio.sleep_ms(10)
    flag.set()
    await until(lambda: all(t.done() for t in ts))
    print("with c1 cancelled:", woken, [t.done() for t in ts])
    woken.clear()

    # Rounds: each set() wakes everyone waiting at that moment.
    async def looper(name, n):
        for i in range(n):
            await flag.wait()
            woken.append((name, i))

    ts = [asyncio.create_task(looper(n, 3)) for n in "abc"]
    await asyncio.sleep_ms(10)
    for r in range(3):
        # Everyone woken so far is waiting again (it appends and waits in one step).
        await until(lambda: len(woken) == 3 * r)
        flag.set()
    await until(lambda: len(woken) == 9)
    print("rounds:", woken)
    woken.clear()

    # Several waiters woken by a set() from another thread.
    try:
        import _thread
        import time
    except ImportError:
        print("threads: skipped")
        return

    ts = [asyncio.create_task(waiter("t%d" % i, flag)) for i in range(5)]
    await asyncio.sleep_ms(10)
    done = []

    def th():
        time.sleep_ms(20)
        flag.set()
        done.append(1)

    _thread.start_new_thread(th, ())
    await asyncio.gather(*ts)
    while not done:
        await asyncio.sleep_ms(5)
    print("woken by a thread:", woken)


asyncio.run(main())
print("end")
