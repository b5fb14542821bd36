# An exception that ends a task nobody awaits goes to the loop's exception handler, and the
# loop keeps running the other tasks.  Awaited, gathered and cancelled tasks are not reported.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit

reports = []


def handler(loop, context):
    e = context["exception"]
    print("handler:", context["message"], "|", repr(e), "| task ok:", isinstance(context["future"], asyncio.Task))
    reports.append(e.args[0] if e.args else None)


async def fails(name, ms):
    if isinstance(ms, asyncio.Event):
        await ms.wait()
    elif ms is not None:
        await asyncio.sleep_ms(ms)
    print(name, "raises")
    raise ValueError(name)


async def reported(name):
    # Waits until the handler has seen `name`: the test's order is set by events, not by
    # sleeps that valgrind on a busy machine could make cross.
    while name not in reports:
        await asyncio.sleep_ms(1)


async def cancelled_one():
    await asyncio.sleep_ms(1000)


async def ticker(n):
    # Keeps running alongside; prints only its count at the end (its ticks' timing relative
    # to the failures is not part of the test).
    k = 0
    for i in range(n):
        await asyncio.sleep_ms(40)
        k += 1
    return k


async def main():
    asyncio.get_event_loop().set_exception_handler(handler)
    tick = asyncio.create_task(ticker(5))

    # Raises on its first run; after a sleep and several at once come below.
    asyncio.create_task(fails("at once", None))
    # Woken in the same turn (by one Event: two sleeps would only share a deadline if they
    # started in the same millisecond).
    same_time = asyncio.Event()
    asyncio.create_task(fails("same time 1", same_time))
    asyncio.create_task(fails("same time 2", same_time))

    # Awaited: the awaiter gets it, no report.
    try:
        await asyncio.create_task(fails("awaited", 5))
    except ValueError as e:
        print("awaited and caught:", repr(e))

    # Gathered: gather raises it, no report.
    try:
        await asyncio.gather(fails("gathered", 5))
    except ValueError as e:
        print("gather raised:", repr(e))

    # Cancelled and never awaited: CancelledError is not reported.
    c = asyncio.create_task(cancelled_one())
    await asyncio.sleep_ms(1)
    c.cancel()

    # A task whose exception is caught inside it: nothing to report.
    async def catches():
        try:
            await fails("caught inside", 5)
        except ValueError:
            print("caught inside the task")

    await asyncio.create_task(catches())

    asyncio.create_task(fails("after sleep", 60))
    await reported("after sleep")
    same_time.set()
    await reported("same time 2")
    print("ticks:", await tick)
    print("reports:", reports)
    return "main finished"


print(asyncio.run(main()))

# An exception raised by the handler itself comes out of the run.


def bad_handler(loop, context):
    print("bad handler raising")
    raise KeyError("from handler")


async def main2():
    asyncio.get_event_loop().set_exception_handler(bad_handler)
    asyncio.create_task(fails("for bad handler", None))
    await asyncio.sleep_ms(1000)  # the handler's KeyError ends the run long before
    print("main2 finished")


try:
    asyncio.run(main2())
except KeyError as e:
    print("run raised:", repr(e))
asyncio.get_event_loop().set_exception_handler(None)

# The main task's own exception comes out of run(), not through the handler.
asyncio.get_event_loop().set_exception_handler(handler)
try:
    asyncio.run(fails("main task", 5))
except ValueError as e:
    print("run raised:", repr(e))
print("end")
