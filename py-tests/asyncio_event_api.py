# Event: set/clear/is_set, several waiters, set before wait, wait() returning True,
# cancellation while waiting, and wait_for(ev.wait(), timeout).
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit


async def waiter(name, ev):
    print(name, "waiting")
    r = await ev.wait()
    print(name, "woke with", r, "is_set:", ev.is_set())
    return r


async def main():
    ev = asyncio.Event()
    print("new:", ev.is_set())
    ev.set()
    print("after set:", ev.is_set())
    ev.set()
    print("after second set:", ev.is_set())
    ev.clear()
    print("after clear:", ev.is_set())
    ev.clear()
    print("after second clear:", ev.is_set())

    # Set before wait: wait() returns True at once, and the event stays set.
    ev.set()
    print("wait on set event:", await ev.wait())
    print("still set:", ev.is_set())
    print("wait again:", await ev.wait())

    # Several waiters: all are woken by one set(), in the order they started waiting.
    ev = asyncio.Event()
    ts = [asyncio.create_task(waiter("w%d" % i, ev)) for i in range(4)]
    await asyncio.sleep_ms(10)
    print("waiters parked, done:", [t.done() for t in ts])
    ev.set()
    print("set; not run yet, done:", [t.done() for t in ts])
    await asyncio.sleep_ms(10)
    print("done:", [t.done() for t in ts])

    # set() then clear() before the waiters run: they were already woken, and still return True.
    ev = asyncio.Event()
    ts = [asyncio.create_task(waiter("x%d" % i, ev)) for i in range(2)]
    await asyncio.sleep_ms(10)
    ev.set()
    ev.clear()
    await asyncio.sleep_ms(10)
    print("after set+clear, done:", [t.done() for t in ts])

    # A cleared event blocks new waiters again.
    t = asyncio.create_task(waiter("late", ev))
    await asyncio.sleep_ms(10)
    print("late done:", t.done())
    ev.set()
    await asyncio.sleep_ms(10)
    print("late done:", t.done())

    # Cancellation while waiting: CancelledError in the waiter; the event is unaffected.
    ev = asyncio.Event()
    t = asyncio.create_task(waiter("victim", ev))
    other = asyncio.create_task(waiter("other", ev))
    await asyncio.sleep_ms(10)
    print("cancel:", t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        print("victim raised CancelledError, is_set:", ev.is_set())
    ev.set()
    await asyncio.sleep_ms(10)
    print("other done:", other.done())

    # wait_for on Event.wait(): result when set in time, TimeoutError otherwise.
    ev = asyncio.Event()

    async def set_later(ms):
        await asyncio.sleep_ms(ms)
        print("setting")
        ev.set()

    asyncio.create_task(set_later(20))
    print("wait_for in time:", await asyncio.wait_for(ev.wait(), 1))
    ev.clear()
    try:
        await asyncio.wait_for(ev.wait(), 0.02)
    except asyncio.TimeoutError:
        print("wait_for timed out, is_set:", ev.is_set())
    # The timed-out wait is no longer waiting: setting the event now wakes nobody else.
    ev.set()
    await asyncio.sleep_ms(10)
    ev.clear()
    asyncio.create_task(set_later(20))
    print("wait_for_ms in time:", await asyncio.wait_for_ms(ev.wait(), 1000))

    # Event used between tasks as a ping-pong.
    ping, pong = asyncio.Event(), asyncio.Event()

    async def player(name, mine, theirs, n):
        for i in range(n):
            await mine.wait()
            mine.clear()
            print(name, i)
            theirs.set()

    a = asyncio.create_task(player("ping", ping, pong, 3))
    b = asyncio.create_task(player("pong", pong, ping, 3))
    ping.set()
    await asyncio.gather(a, b)


asyncio.run(main())
print("end")
