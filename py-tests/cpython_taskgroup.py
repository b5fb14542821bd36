# asyncio.TaskGroup and asyncio.timeout/timeout_at as CPython has them.  MicroPython has no
# ExceptionGroup builtin: eventio raises a stand-in with the same type name, message and
# `exceptions`, which is all this test looks at.  Expected output: what CPython prints.
import asyncio

if not hasattr(asyncio, "TaskGroup"):
    print("SKIP")
    raise SystemExit


# The order of lines is set by events, not by sleeps a few ms apart: under valgrind on a busy
# machine those can end in either order.
started = []


async def work(name, delay, fail=False, then=None):
    # delay: seconds to sleep, or an Event to wait for; then: an Event set on finishing.
    started.append(name)
    try:
        if isinstance(delay, asyncio.Event):
            await delay.wait()
        else:
            await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    if then is not None:
        then.set()
    if fail:
        print(name, "fails")
        raise ValueError(name)
    print(name, "done")
    return name


def show(e):
    print(type(e).__name__, str(e), [(type(x).__name__, x.args) for x in e.exceptions])


async def taskgroups():
    b_done = asyncio.Event()
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(work("a", b_done), name="first")
        b = tg.create_task(work("b", 0.01, then=b_done))
        print("body done", a.get_name())
    print("results", a.done(), b.done(), await a, await b)

    # The first failure cancels the rest and the body; errors come out as an ExceptionGroup.
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(work("slow", 1))
            tg.create_task(work("bad", 0.01, True))
            await asyncio.sleep(1)
            print("not reached")
    except Exception as e:
        show(e)

    # Two failures in the same moment (woken by one Event) are both reported.
    same = asyncio.Event()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(work("bad1", same, True))
            tg.create_task(work("bad2", same, True))
            await asyncio.sleep(0)  # both wait
            same.set()
    except Exception as e:
        show(e)

    # An error in the body cancels the children and joins the group.
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(work("child", 1))
            await asyncio.sleep(0)
            raise KeyError("body")
    except Exception as e:
        show(e)

    # Cancelling the task running the group cancels the children and propagates.
    async def outer():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(work("inner", 1))
            await asyncio.sleep(1)

    t = asyncio.create_task(outer())
    while "inner" not in started:
        await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("outer cancelled")

    tg = asyncio.TaskGroup()
    c = work("x", 0)
    try:
        tg.create_task(c)
    except RuntimeError:
        print("RuntimeError: not entered")
    c.close()


async def timeouts():
    try:
        async with asyncio.timeout(0.02):
            await asyncio.sleep(1)
    except asyncio.TimeoutError as e:
        print("timed out", type(e).__name__)

    async with asyncio.timeout(1) as cm:
        await asyncio.sleep(0.01)
    print("in time, expired:", cm.expired())

    async with asyncio.timeout(None) as cm:
        await asyncio.sleep(0.01)
    print("no deadline:", cm.when())

    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout_at(loop.time() + 0.02) as cm:
            await asyncio.sleep(1)
    except asyncio.TimeoutError:
        print("timeout_at expired:", cm.expired())

    try:
        async with asyncio.timeout(1) as cm:
            cm.reschedule(loop.time() + 0.01)
            await asyncio.sleep(1)
    except asyncio.TimeoutError:
        print("rescheduled timeout expired")

    # Work inside the block sees a CancelledError; other errors pass through unchanged.
    try:
        async with asyncio.timeout(0.01):
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("body saw CancelledError")
                raise
    except asyncio.TimeoutError:
        print("TimeoutError")
    try:
        async with asyncio.timeout(1):
            raise KeyError("k")
    except KeyError:
        print("KeyError passed through")


async def main():
    await taskgroups()
    await timeouts()


asyncio.run(main())
