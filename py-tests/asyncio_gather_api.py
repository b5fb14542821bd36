# gather: results in argument order, return_exceptions True/False, a child raising early,
# children already finished, cancelling the gather, nested gathers, no awaitables.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit


async def child(name, ms, fail=False):
    try:
        await asyncio.sleep_ms(ms)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    if fail:
        print(name, "raises")
        raise ValueError(name)
    print(name, "returns")
    return name


async def try_gather(label, *aws, **kw):
    try:
        r = await asyncio.gather(*aws, **kw)
        print(label, "->", r)
    except asyncio.CancelledError:
        print(label, "-> CancelledError")
        raise
    except Exception as e:
        print(label, "raised", repr(e))


def handler(loop, context):
    print("handler:", repr(context["exception"]))


async def main():
    asyncio.get_event_loop().set_exception_handler(handler)

    # Results come in argument order, not finishing order.
    await try_gather("order", child("a", 50), child("b", 10), child("c", 30))

    # Tasks and coroutines mixed.
    t = asyncio.create_task(child("task", 40))
    await try_gather("mixed", t, child("coro", 10))

    # No awaitables.
    print("empty ->", await asyncio.gather())
    print("empty, return_exceptions ->", await asyncio.gather(return_exceptions=True))

    # return_exceptions=False: the first exception is raised at once; the other children
    # carry on (they are not cancelled).
    ts = [
        asyncio.create_task(child("s1", 100)),
        asyncio.create_task(child("f1", 10, True)),
        asyncio.create_task(child("f2", 60, True)),
    ]
    await try_gather("raise early", *ts)
    print("done right after:", [t.done() for t in ts])
    await asyncio.sleep_ms(150)
    print("done later:", [t.done() for t in ts])

    # return_exceptions=True: exceptions come back as values.
    await try_gather(
        "return_exceptions",
        child("r1", 40),
        child("r2", 25, True),
        child("r3", 10),
        return_exceptions=True,
    )

    # Children that finished before the gather.
    done_ok = asyncio.create_task(child("early_ok", 0))
    done_bad = asyncio.create_task(child("early_bad", 0, True))
    await asyncio.sleep_ms(10)
    await try_gather("finished ok", done_ok, child("late", 10))
    await try_gather("finished bad, return_exceptions", done_ok, done_bad, return_exceptions=True)
    await try_gather("finished bad", done_ok, done_bad, child("never_awaited", 10))
    await asyncio.sleep_ms(20)

    # Cancelling the task running the gather cancels the children still running.
    async def gatherer():
        await try_gather("cancelled", child("x1", 10), child("x2", 1000), child("x3", 1000))

    t = asyncio.create_task(gatherer())
    await asyncio.sleep_ms(30)
    print("cancel:", t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        print("gatherer cancelled")
    await asyncio.sleep_ms(10)

    # Cancelling a child: the gather raises CancelledError (return_exceptions=False) ...
    c = asyncio.create_task(child("cc", 1000))
    g = asyncio.create_task(try_gather("child cancelled", c, child("cd", 30)))
    await asyncio.sleep_ms(10)
    c.cancel()
    await asyncio.sleep_ms(50)
    # ... or returns it as a value (return_exceptions=True).
    c = asyncio.create_task(child("ce", 1000))
    g = asyncio.create_task(
        try_gather("child cancelled, return_exceptions", c, child("cf", 30), return_exceptions=True)
    )
    await asyncio.sleep_ms(10)
    c.cancel()
    await asyncio.sleep_ms(50)

    # Nested gathers.
    async def inner(tag, n):
        return await asyncio.gather(*[child("%s%d" % (tag, i), 10 * (n - i)) for i in range(n)])

    await try_gather("nested", inner("p", 2), inner("q", 3), child("z", 5))

    # An inner gather failing propagates through the outer one.
    async def inner_bad():
        return await asyncio.gather(child("ib1", 40), child("ib2", 5, True))

    await try_gather("nested failure", inner_bad(), child("ok", 60))
    await asyncio.sleep_ms(100)

    # A gathered child whose result is a gather of nothing.
    await try_gather("nested empty", asyncio.gather(), asyncio.gather())


asyncio.run(main())
print("end")
