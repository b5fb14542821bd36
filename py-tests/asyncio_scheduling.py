# Scheduling order of the foundation: deadlines, FIFO among equals, cancellation of sleeping
# and queued tasks, exceptions in tasks, and run() returning the main coroutine's value.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit

log = []


async def sleeper(name, ms):
    try:
        await asyncio.sleep_ms(ms)
        log.append(name)
        return name
    except asyncio.CancelledError:
        log.append(name + " cancelled")
        raise


handled = []


def handler(loop, context):
    print("handler:", repr(context["exception"]))
    handled.append(context["exception"])


async def until(cond):
    # Waits until cond() holds, at most 10 s, instead of a fixed sleep that valgrind on a busy
    # machine could outlast.
    for _ in range(10_000):
        if cond():
            return
        await asyncio.sleep_ms(1)


async def fails():
    raise ValueError("boom")


async def main():
    asyncio.get_event_loop().set_exception_handler(handler)
    # Different deadlines: woken in deadline order, whatever the creation order.  The tasks
    # start their sleeps one after the other: deadlines 100 ms apart stay in order however
    # slowly (valgrind, a busy machine) those starts come.
    for name, ms in (("c", 300), ("a", 100), ("b", 200)):
        asyncio.create_task(sleeper(name, ms))
    # Equal deadlines: woken first-in first-out.
    for i in range(5):
        asyncio.create_task(sleeper("eq%d" % i, 400))
    await until(lambda: len(log) == 8)
    print(log)
    log.clear()

    # Cancel a sleeping task: it wakes at once with CancelledError.
    t = asyncio.create_task(sleeper("long", 10000))
    await asyncio.sleep(0)
    print("cancel sleeping:", t.cancel(), t.done())
    await asyncio.sleep(0)
    print(log, t.done())
    log.clear()

    # Cancel a queued task before it ever ran: it never runs its body.
    t = asyncio.create_task(sleeper("queued", 0))
    print("cancel queued:", t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        print("awaiting it raises CancelledError")
    print(log)
    print("cancel finished:", t.cancel())

    # An exception in a task nobody awaits goes to the handler; the loop goes on.
    asyncio.create_task(fails())
    await until(lambda: handled)
    # An exception in an awaited task reaches the awaiter.
    try:
        await asyncio.create_task(fails())
    except ValueError as e:
        print("caught", repr(e))
    return "main result"


print(asyncio.run(main()))
