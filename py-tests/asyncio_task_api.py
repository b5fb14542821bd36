# Task: awaiting results and exceptions, done(), cancel() in every state, several waiters on
# one task, the data attribute, and cancelling oneself.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit


async def value(x, ms=0):
    await asyncio.sleep_ms(ms)
    return x


async def raiser(ms):
    await asyncio.sleep_ms(ms)
    raise ValueError("bad %d" % ms)


async def sleeper(name, ms):
    print(name, "start")
    try:
        await asyncio.sleep_ms(ms)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    print(name, "woke")
    return name


async def waiter(name, t):
    try:
        print(name, "got", await t)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    except Exception as e:
        print(name, "raised", repr(e))


async def swallow(ms):
    try:
        await asyncio.sleep_ms(ms)
    except asyncio.CancelledError:
        print("swallow caught CancelledError")
        return "swallowed"
    return "slept"


async def try_await(label, t):
    try:
        print(label, "->", await t)
    except asyncio.CancelledError:
        print(label, "-> CancelledError")
    except Exception as e:
        print(label, "->", repr(e))


handled = []


def handler(loop, context):
    print("handler:", context["message"], repr(context["exception"]))
    handled.append(context["exception"])


async def until(cond):
    # Waits until cond() holds, at most 10 s: main looks once what it reports has happened,
    # not after a fixed sleep that valgrind on a busy machine could outlast.
    for _ in range(10_000):
        if cond():
            return
        await asyncio.sleep_ms(1)


async def main():
    asyncio.get_event_loop().set_exception_handler(handler)

    # Await a result.
    t = asyncio.create_task(value(1, 10))
    print("done before:", t.done())
    print("await result:", await t)
    print("done after:", t.done())
    print("await again:", await t)

    # A task that finished before anyone awaited it.
    t = asyncio.create_task(value(2))
    await until(t.done)
    print("finished early:", t.done())
    print("await finished:", await t)

    # Await an exception; awaiting again raises it again.
    t = asyncio.create_task(raiser(10))
    await try_await("await exception", t)
    print("done after exception:", t.done())
    await try_await("await exception again", t)

    # An exception raised while nobody awaits the task goes to the exception handler, and is
    # still kept for a later awaiter.
    t = asyncio.create_task(raiser(0))
    await until(lambda: handled)
    print("raised early, done:", t.done())
    await try_await("await raised early", t)

    # Cancel a queued task that never ran: its body never starts.
    t = asyncio.create_task(sleeper("queued", 10))
    print("cancel queued:", t.cancel())
    await try_await("await cancelled queued", t)
    print("done:", t.done())

    # Cancel twice before it runs: still not done, so cancel() is True both times.
    t = asyncio.create_task(sleeper("twice", 10))
    print("cancel twice:", t.cancel(), t.cancel())
    await try_await("await cancelled twice", t)

    # Cancel a sleeping task.
    t = asyncio.create_task(sleeper("sleeping", 1000))
    await asyncio.sleep_ms(10)
    print("cancel sleeping:", t.cancel())
    await try_await("await cancelled sleeping", t)
    print("done:", t.done())

    # Cancel a finished task: nothing to do.
    t = asyncio.create_task(value(3))
    await until(t.done)
    print("cancel finished:", t.cancel(), t.done())
    print("still has its result:", await t)

    # A task that catches CancelledError and returns: the awaiter gets the value.
    t = asyncio.create_task(swallow(1000))
    await asyncio.sleep_ms(10)
    print("cancel swallow:", t.cancel())
    await try_await("await swallow", t)

    # Cancel a task that is awaiting another task: the cancel is passed on to the awaited
    # task (as CPython does), and both end cancelled.
    inner = asyncio.create_task(sleeper("inner", 1000))
    outer = asyncio.create_task(waiter("outer", inner))
    await asyncio.sleep_ms(10)
    print("cancel outer:", outer.cancel())
    await until(lambda: outer.done() and inner.done())
    print("outer done:", outer.done(), "inner done:", inner.done())
    await try_await("await inner", inner)
    await try_await("await outer", outer)

    # Several waiters on one task, woken in the order they started waiting.
    t = asyncio.create_task(value("shared", 20))
    ws = [asyncio.create_task(waiter("w%d" % i, t)) for i in range(4)]
    await until(lambda: all(w.done() for w in ws))
    print("waiters done:", [w.done() for w in ws])

    # Several waiters on a task that raises: every one sees the exception.
    t = asyncio.create_task(raiser(20))
    ws = [asyncio.create_task(waiter("e%d" % i, t)) for i in range(3)]
    await until(lambda: all(w.done() for w in ws))

    # Several waiters on a task that is cancelled: every one gets CancelledError.
    t = asyncio.create_task(sleeper("target", 1000))
    ws = [asyncio.create_task(try_await("c%d" % i, t)) for i in range(3)]
    await asyncio.sleep_ms(10)
    t.cancel()
    await until(lambda: all(w.done() for w in ws))
    print("waiters done:", [w.done() for w in ws])

    # The data attribute: None on a new task, and assignable.
    t = asyncio.create_task(value(4))
    print("data of new task:", t.data)
    await t
    t.data = "mine"
    print("data assigned:", t.data)

    # A task cannot cancel itself.
    try:
        asyncio.current_task().cancel()
    except RuntimeError as e:
        print("self-cancel:", type(e).__name__)

    # current_task() inside a task is that task.
    async def who():
        return asyncio.current_task()

    t = asyncio.create_task(who())
    print("current_task is the task:", (await t) is t)
    return "main done"


print(asyncio.run(main()))
