# wait_for leaves nothing behind: once the caller has left wait_for (cancelled from outside,
# timed out, or refused a bad timeout), its helper task never cancels the caller's next wait.
# Stock asyncio does, where it sleeps next: it raises CancelledError(CancelledError(), None)
# there, and after wait_for(coro, "soon") a CancelledError((True, result)) comes later.
try:
    import eventio
except ImportError:
    print("SKIP")
    raise SystemExit
import asyncio


async def slow(ms=10_000):
    await asyncio.sleep_ms(ms)
    return "slow"


async def next_waits(name):
    # What the caller does after leaving wait_for: a sleep, an Event wait, a sleep again.
    ev = asyncio.Event()
    asyncio.create_task(setter(ev))
    for what in ("sleep", "event", "sleep"):
        try:
            await (asyncio.sleep_ms(60) if what == "sleep" else ev.wait())
            print(name, what, "completed")
        except BaseException as e:
            print(name, what, "raised", repr(e))


async def setter(ev):
    await asyncio.sleep_ms(100)
    ev.set()


async def cancelled_inside():
    try:
        await asyncio.wait_for(slow(), 10)
    except asyncio.CancelledError:
        print("cancelled inside wait_for, caught")
    await next_waits("after a cancel")


async def main_cancel():
    t = asyncio.create_task(cancelled_inside())
    await asyncio.sleep_ms(10)
    t.cancel()
    await t


asyncio.run(main_cancel())


# A bad timeout: refused before the work starts, and nothing comes later.
async def noisy():
    print("the work started")
    return 1


async def bad_timeout():
    for which, t in (("wait_for", "soon"), ("wait_for", [1]), ("wait_for_ms", 1.5)):
        try:
            await getattr(asyncio, which)(noisy(), t)
        except Exception as e:
            print(which, repr(t), type(e).__name__)
    # A task given to wait_for with a bad timeout is left as it was.
    t = asyncio.create_task(slow(20))
    try:
        await asyncio.wait_for(t, "soon")
    except ValueError:
        print("ValueError; the task goes on:", await t)
    await next_waits("after bad timeouts")


asyncio.run(bad_timeout())


# The work swallows the timeout's cancel and finishes later: the caller has its TimeoutError
# and is left alone afterwards.
async def stubborn():
    try:
        await asyncio.sleep_ms(10_000)
    except asyncio.CancelledError:
        print("work: cancel swallowed")
    return "late"


async def timed_out():
    try:
        await asyncio.wait_for(stubborn(), 0.02)
    except asyncio.TimeoutError:
        print("TimeoutError")
    await next_waits("after a timeout")


asyncio.run(timed_out())
