# wait_for / wait_for_ms: a result in time, a timeout (the work is cancelled), exception
# propagation, a None timeout, a Task argument, and cancellation from outside forwarded.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit


started = []


async def started_sleeping(name):
    # Until work `name` has started (at most 10 s), instead of a fixed sleep that valgrind on
    # a busy machine could outlast.
    for _ in range(10_000):
        if name in started:
            return
        await asyncio.sleep_ms(1)


async def work(name, ms, fail=False):
    started.append(name)
    try:
        await asyncio.sleep_ms(ms)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    if fail:
        raise ValueError(name)
    print(name, "finished")
    return name + " result"


async def stubborn(name, ms):
    # Catches the cancel of a timeout and keeps going for a while before returning.
    try:
        await asyncio.sleep_ms(ms)
    except asyncio.CancelledError:
        print(name, "caught cancel, finishing up")
        await asyncio.sleep_ms(20)
        print(name, "finished up")
        return "ignored"


async def attempt(label, aw, timeout, ms=False):
    try:
        if ms:
            r = await asyncio.wait_for_ms(aw, timeout)
        else:
            r = await asyncio.wait_for(aw, timeout)
        print(label, "->", r)
    except asyncio.TimeoutError:
        print(label, "-> TimeoutError")
    except asyncio.CancelledError:
        print(label, "-> CancelledError")
        raise
    except Exception as e:
        print(label, "->", repr(e))


async def quick():
    return 42


async def main():
    await attempt("in time", work("a", 10), 1)
    await attempt("in time ms", work("b", 10), 1000, True)
    await attempt("timeout", work("c", 1000), 0.02)
    await attempt("timeout ms", work("d", 1000), 20, True)
    await attempt("exception", work("e", 10, True), 1)
    await attempt("exception ms", work("f", 10, True), 1000, True)
    await attempt("None timeout", work("g", 30), None)
    await attempt("zero timeout", work("h", 10), 0)
    await attempt("quick, zero timeout", quick(), 0)
    await attempt("quick, zero timeout ms", quick(), 0, True)

    # TimeoutError is an Exception, CancelledError is not.
    print("TimeoutError is Exception:", issubclass(asyncio.TimeoutError, Exception))
    print("CancelledError is Exception:", issubclass(asyncio.CancelledError, Exception))
    print("CancelledError is BaseException:", issubclass(asyncio.CancelledError, BaseException))

    # A Task as the awaitable: a timeout cancels the task.
    t = asyncio.create_task(work("task", 1000))
    await attempt("task timeout", t, 20, True)
    print("task done:", t.done())
    t = asyncio.create_task(work("task2", 10))
    await attempt("task in time", t, 1000, True)

    # The work ignores the cancel: wait_for waits for it to end, then raises TimeoutError.
    await attempt("stubborn", stubborn("s", 1000), 20, True)

    # Cancelled from outside: the cancel reaches the work, and the caller sees CancelledError.
    async def caller():
        await attempt("outside cancel", work("i", 1000), 1)

    t = asyncio.create_task(caller())
    await started_sleeping("i")
    print("cancel caller:", t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        print("caller cancelled")
    await asyncio.sleep_ms(10)

    # Same with a None timeout.
    async def caller_none():
        await attempt("outside cancel, None", work("j", 1000), None)

    t = asyncio.create_task(caller_none())
    await started_sleeping("j")
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("caller_none cancelled")

    # Nested wait_for: the inner timeout fires first.
    await attempt("nested inner first", asyncio.wait_for_ms(work("k", 1000), 20), 1000, True)
    # Nested wait_for: the outer timeout fires first and cancels through the inner one.
    await attempt("nested outer first", asyncio.wait_for_ms(work("l", 1000), 1000), 20, True)

    # A coroutine that returns without suspending.
    await attempt("quick", quick(), 1)


asyncio.run(main())
print("end")
