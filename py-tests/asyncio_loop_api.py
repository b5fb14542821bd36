# The Loop: get_event_loop, new_event_loop, run_until_complete, run_forever + stop,
# set/get_exception_handler, call_exception_handler, close, asyncio.run.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit


async def value(x, ms):
    await asyncio.sleep_ms(ms)
    return x


async def fails(ms):
    await asyncio.sleep_ms(ms)
    raise ValueError("fails")


# The order of lines is set by events, not by sleeps of different lengths: under valgrind
# on a busy machine two sleeps a few ms apart can end in either order.
ticks = {}


async def ticker(name, n, ms, at=None, then=None):
    for i in range(n):
        await asyncio.sleep_ms(ms)
        print(name, i)
        ticks[name] = i + 1
        if i == at:
            then()


async def after_ticks(x, name, k):
    # Returns x once `name` has ticked k times.  It polls every 1 ms: between two ticks (30 ms
    # apart) its deadline always comes first.
    while ticks.get(name, 0) < k:
        await asyncio.sleep_ms(1)
    return x


loop = asyncio.get_event_loop()
print("same loop:", loop is asyncio.get_event_loop())
print("legacy args:", asyncio.get_event_loop(16, 16) is loop)

# run_until_complete with a coroutine and with a task.
print("ruc coro:", loop.run_until_complete(value("coro", 10)))
t = loop.create_task(value("task", 10))
print("ruc task:", loop.run_until_complete(t))

# An exception propagates out of run_until_complete and asyncio.run.
try:
    loop.run_until_complete(fails(5))
except ValueError as e:
    print("ruc raised:", repr(e))
try:
    asyncio.run(fails(5))
except ValueError as e:
    print("run raised:", repr(e))

# asyncio.run returns the coroutine's value, and can be called again.
print("run:", asyncio.run(value(1, 5)), asyncio.run(value(2, 5)))

# Other tasks run alongside run_until_complete's; ones still running stay for later.
loop.create_task(ticker("bg", 3, 30))
print("ruc with background:", loop.run_until_complete(after_ticks("fg", "bg", 1)))
print("ruc later:", loop.run_until_complete(after_ticks("later", "bg", 3)))


# run_forever runs until stop(); a second stop() is harmless.  The ticker itself stops the
# loop after its second tick, and sleeps on.
def stopper():
    print("stopping")
    loop.stop()
    loop.stop()


loop.create_task(ticker("rf", 5, 30, 1, stopper))
loop.run_forever()
print("run_forever returned")
# The ticker is still pending; the next run carries on with it.
loop.run_until_complete(after_ticks(None, "rf", 5))
print("after resume")


# stop() from a task that is not the last one; tasks left over are run by a later run.
async def stop_now():
    loop.stop()
    print("stop called, task continues")
    await asyncio.sleep_ms(5)
    print("stop_now finished")


loop.create_task(stop_now())
loop.run_forever()
print("run_forever returned again")
loop.run_until_complete(value(None, 20))

# Exception handler: None by default; set, get, reset.
print("handler:", loop.get_exception_handler())


handled = []


def handler(lp, context):
    handled.append(context["message"])
    print("handler called, loop ok:", lp is loop, "message:", context["message"])
    if "exception" in context:
        print("  exception:", repr(context["exception"]))


loop.set_exception_handler(handler)
print("handler is set:", loop.get_exception_handler() is handler)

# call_exception_handler with a context of our own.
loop.call_exception_handler({"message": "custom context"})
loop.call_exception_handler({"message": "with exception", "exception": KeyError("k")})

# An unawaited failing task goes to the handler.
loop.create_task(fails(0))


async def until_reported(n):
    # The report comes one turn after the task ends: wait for it, however slow the turns.
    for _ in range(10000):  # 10 s at most: a report that never comes fails, not hangs
        if len(handled) >= n:
            break
        await asyncio.sleep_ms(1)


loop.run_until_complete(until_reported(3))

loop.set_exception_handler(None)
print("handler reset:", loop.get_exception_handler())

# new_event_loop: a fresh loop; pending tasks of the old loop never run.
loop.create_task(ticker("old", 3, 10))
loop2 = asyncio.new_event_loop()
print("new loop is a loop:", hasattr(loop2, "run_until_complete"))
print("get_event_loop after new:", asyncio.get_event_loop() is loop2)
print("ruc on new loop:", loop2.run_until_complete(value("new", 40)))

# close() is accepted.
loop2.close()
print("closed")
print("run after close:", asyncio.run(value("again", 5)))
