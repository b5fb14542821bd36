# gather: results in argument order, return_exceptions True/False, a child raising early,
# children already finished, cancelling the gather, nested gathers, no awaitables.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit


# The order in which children finish is set by events (a child waits for another to finish,
# or for main's go-ahead), not by sleeps a few ms apart: under valgrind on a busy machine those
# can end in either order, or after main has looked.
finished = {}


def after(name):
    # The Event set when child `name` finishes (returns or raises).
    if name not in finished:
        finished[name] = asyncio.Event()
    return finished[name]


async def until(cond):
    # Waits until cond() holds, at most 10 s (then the output shows what did not happen).
    for _ in range(10_000):
        if cond():
            return
        await asyncio.sleep_ms(1)


async def child(name, wait, fail=False):
    # wait: ms to sleep, or an Event to wait for.
    try:
        if isinstance(wait, asyncio.Event):
            await wait.wait()
        else:
            await asyncio.sleep_ms(wait)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    after(name).set()
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


handled = []


def handler(loop, context):
    print("handler:", repr(context["exception"]))
    handled.append(context["exception"])


async def main():
    asyncio.get_event_loop().set_exception_handler(handler)

    # Results come in argument order, not finishing order.
    await try_gather("order", child("a", after("c")), child("b", 10), child("c", after("b")))

    # Tasks and coroutines mixed.
    t = asyncio.create_task(child("task", after("coro")))
    await try_gather("mixed", t, child("coro", 10))

    # No awaitables.
    print("empty ->", await asyncio.gather())
    print("empty, return_exceptions ->", await asyncio.gather(return_exceptions=True))

    # return_exceptions=False: the first exception is raised at once; the other children
    # carry on (they are not cancelled).
    go, go_s1 = asyncio.Event(), asyncio.Event()
    ts = [
        asyncio.create_task(child("s1", go_s1)),
        asyncio.create_task(child("f1", 10, True)),
        asyncio.create_task(child("f2", go, True)),
    ]
    await try_gather("raise early", *ts)
    print("done right after:", [t.done() for t in ts])
    go.set()
    await until(lambda: handled)  # f2's failure, reported
    go_s1.set()
    await until(lambda: all(t.done() for t in ts))
    print("done later:", [t.done() for t in ts])

    # return_exceptions=True: exceptions come back as values.
    await try_gather(
        "return_exceptions",
        child("r1", after("r2")),
        child("r2", after("r3"), True),
        child("r3", 10),
        return_exceptions=True,
    )

    # Children that finished before the gather.
    done_ok = asyncio.create_task(child("early_ok", 0))
    done_bad = asyncio.create_task(child("early_bad", 0, True))
    await until(lambda: done_ok.done() and done_bad.done())
    await try_gather("finished ok", done_ok, child("late", 10))
    await try_gather("finished bad, return_exceptions", done_ok, done_bad, return_exceptions=True)
    await try_gather("finished bad", done_ok, done_bad, child("never_awaited", 10))
    await until(after("never_awaited").is_set)

    # Cancelling the task running the gather cancels the children still running.
    async def gatherer():
        await try_gather("cancelled", child("x1", 10), child("x2", 1000), child("x3", 1000))

    t = asyncio.create_task(gatherer())
    await until(after("x1").is_set)
    print("cancel:", t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        print("gatherer cancelled")
    await asyncio.sleep_ms(10)

    # Cancelling a child: the gather raises CancelledError (return_exceptions=False) ...
    go = asyncio.Event()
    c = asyncio.create_task(child("cc", 1000))
    g = asyncio.create_task(try_gather("child cancelled", c, child("cd", go)))
    await asyncio.sleep_ms(10)
    c.cancel()
    await until(g.done)
    go.set()
    await until(after("cd").is_set)
    # ... or returns it as a value (return_exceptions=True).
    go = asyncio.Event()
    c = asyncio.create_task(child("ce", 1000))
    g = asyncio.create_task(
        try_gather("child cancelled, return_exceptions", c, child("cf", go), return_exceptions=True)
    )
    await asyncio.sleep_ms(10)
    c.cancel()
    await until(c.done)
    go.set()
    await until(g.done)

    # Nested gathers.
    # Each child waits for the one before it in the order z, p1, q2, p0, q1, q0.
    async def inner(tag, *waits):
        return await asyncio.gather(*[child("%s%d" % (tag, i), w) for i, w in enumerate(waits)])

    await try_gather(
        "nested",
        inner("p", after("q2"), after("z")),
        inner("q", after("q1"), after("p0"), after("p1")),
        child("z", 5),
    )

    # An inner gather failing propagates through the outer one.
    go = asyncio.Event()

    async def inner_bad():
        return await asyncio.gather(child("ib1", go), child("ib2", 5, True))

    await try_gather("nested failure", inner_bad(), child("ok", after("ib1")))
    go.set()
    await until(after("ok").is_set)

    # A gathered child whose result is a gather of nothing.
    await try_gather("nested empty", asyncio.gather(), asyncio.gather())


asyncio.run(main())
print("end")
