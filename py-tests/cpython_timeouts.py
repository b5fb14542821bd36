# Every timeout leaves nothing behind: a task cancelled while inside wait_for, timeout() or
# wait(timeout=...), which catches the CancelledError and goes on, is not cancelled again in
# its next waits by the timeout's helper; a timeout that expired or was left does not fire
# later.  And sleep(delay, result).  Expected output: what CPython prints.
import asyncio

if not hasattr(asyncio, "timeout"):
    print("SKIP")
    raise SystemExit


async def setter(ev):
    await asyncio.sleep(0.1)
    ev.set()


async def next_waits(name):
    ev = asyncio.Event()
    asyncio.create_task(setter(ev))
    for what in ("sleep", "event", "sleep"):
        try:
            await (asyncio.sleep(0.06) if what == "sleep" else ev.wait())
            print(name, what, "completed")
        except BaseException as e:
            print(name, what, "raised", type(e).__name__)


async def forever():
    await asyncio.sleep(100)


async def in_wait_for():
    await asyncio.wait_for(forever(), 10)


async def in_timeout():
    async with asyncio.timeout(10):
        await forever()


async def in_wait():
    await asyncio.wait([asyncio.create_task(forever())], timeout=10)


async def cancelled_inside(name, how):
    try:
        await how()
    except asyncio.CancelledError:
        print(name, "cancelled, caught")
    await next_waits(name)


async def nap(t, result):
    return await asyncio.sleep(t, result)


async def main():
    for name, how in (("wait_for", in_wait_for), ("timeout", in_timeout), ("wait", in_wait)):
        t = asyncio.create_task(cancelled_inside(name, how))
        await asyncio.sleep(0.01)
        t.cancel()
        await t
    # Timeouts that expired, then the task goes on waiting: no second expiry.
    try:
        async with asyncio.timeout(0.02):
            await forever()
    except asyncio.TimeoutError:
        print("timeout expired")
    print("wait timed out:", len((await asyncio.wait([asyncio.create_task(forever())], timeout=0.02))[1]))
    try:
        await asyncio.wait_for(forever(), 0.02)
    except asyncio.TimeoutError:
        print("wait_for timed out")
    await next_waits("after timeouts")
    # A timeout() left before its deadline, with the deadline passing later.
    async with asyncio.timeout(0.03):
        pass
    await next_waits("after a left timeout")
    # Each expiry throws a CancelledError of its own: one the program kept is not thrown again.
    seen = []
    for _ in range(3):
        try:
            async with asyncio.timeout(0):
                try:
                    await forever()
                except asyncio.CancelledError as e:
                    seen.append(e)
                    raise
        except asyncio.TimeoutError:
            pass
    print("expiries threw distinct CancelledErrors:", len(seen) == 3 and seen[0] is not seen[1] and seen[1] is not seen[2])
    # Nested: the inner block expires, the outer one is left in time.
    async with asyncio.timeout(10) as outer:
        try:
            async with asyncio.timeout(0) as inner:
                await forever()
        except asyncio.TimeoutError:
            print("inner expired:", inner.expired(), "outer:", outer.expired())
    print("after both:", inner.expired(), outer.expired())
    # sleep(delay, result)
    print(await asyncio.sleep(0, "zero"), await asyncio.sleep(0.01, result=[1]), await asyncio.sleep(0))
    print(await asyncio.gather(nap(0.02, "b"), nap(0.01, "a")))


asyncio.run(main())
