# ThreadSafeFlag: set before wait, self-clearing wait, clear(), wait_for on a flag, set
# outside the loop, cancelling a waiter.
try:
    import asyncio

    asyncio.ThreadSafeFlag
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit


async def timed_wait(label, flag, ms):
    try:
        r = await asyncio.wait_for_ms(flag.wait(), ms)
        print(label, "-> woke", r)
    except asyncio.TimeoutError:
        print(label, "-> timeout")


async def waiter(name, flag):
    print(name, "waiting")
    await flag.wait()
    print(name, "woke")


async def main():
    flag = asyncio.ThreadSafeFlag()

    # Set before wait: wait returns at once, with None.
    flag.set()
    print("wait on set flag ->", await flag.wait())
    # The wait consumed it: the next wait blocks.
    await timed_wait("second wait", flag, 20)

    # Several set() calls before one wait count once.
    flag.set()
    flag.set()
    flag.set()
    await flag.wait()
    print("consumed once")
    await timed_wait("after triple set", flag, 20)

    # clear() undoes a set() nobody consumed yet.
    flag.set()
    flag.clear()
    await timed_wait("after set+clear", flag, 20)
    flag.set()
    await asyncio.sleep_ms(10)
    flag.clear()
    await timed_wait("after set, sleep, clear", flag, 20)
    flag.clear()
    await timed_wait("clear of a clear flag", flag, 20)

    # A waiting task is woken by set() from another task.
    t = asyncio.create_task(waiter("w", flag))
    await asyncio.sleep_ms(10)
    print("w done before set:", t.done())
    flag.set()
    await asyncio.sleep_ms(10)
    print("w done after set:", t.done())

    # wait_for on the flag, set in time.
    async def set_later(ms):
        await asyncio.sleep_ms(ms)
        flag.set()

    asyncio.create_task(set_later(10))
    await timed_wait("wait_for set in time", flag, 1000)

    # Cancelling a task that waits on the flag; a later set() stays for the next wait.
    t = asyncio.create_task(waiter("victim", flag))
    await asyncio.sleep_ms(10)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("victim cancelled")
    flag.set()
    await asyncio.sleep_ms(10)
    await timed_wait("set after cancelled waiter", flag, 20)


# A flag set before the loop runs is seen by the first wait.
early = asyncio.ThreadSafeFlag()
early.set()


async def first():
    await early.wait()
    print("early flag seen")


asyncio.run(first())
asyncio.run(main())

print("end")
