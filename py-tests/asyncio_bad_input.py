# Bad input is refused with the right exception type (only the type's name is printed), and
# the loop keeps working afterwards.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit


def check(label, f, *args):
    try:
        f(*args)
        print(label, "-> no exception")
    except Exception as e:
        print(label, "->", type(e).__name__)


async def coro_fn():
    return "ok"


def plain():
    return 1


# Outside any loop.
check("current_task outside loop", asyncio.current_task)
check("create_task(1)", asyncio.create_task, 1)
check("create_task(None)", asyncio.create_task, None)
check("create_task(function)", asyncio.create_task, coro_fn)
check("create_task(list)", asyncio.create_task, [1, 2])
check("run(1)", asyncio.run, 1)
check("run(function)", asyncio.run, plain)
check("run(coroutine function)", asyncio.run, coro_fn)
check("run(None)", asyncio.run, None)
check("run_until_complete(1)", asyncio.get_event_loop().run_until_complete, 1)
check("sleep_ms('x')", asyncio.sleep_ms, "x")
check("sleep(None)", asyncio.sleep, None)
check("loop.create_task(1)", asyncio.get_event_loop().create_task, 1)
print("loop works:", asyncio.run(coro_fn()))


async def await_value(v):
    return await v


async def main():
    check("create_task(1) in loop", asyncio.create_task, 1)
    for label, v in (("await 1", 1), ("await None", None), ("await function", plain)):
        try:
            await await_value(v)
            print(label, "-> no exception")
        except Exception as e:
            print(label, "->", type(e).__name__)
    # The same, in a task of its own, seen by whoever awaits it.
    t = asyncio.create_task(await_value(3))
    try:
        await t
    except Exception as e:
        print("task awaiting 3 ->", type(e).__name__)
    try:
        await asyncio.sleep_ms("x")
    except Exception as e:
        print("await sleep_ms('x') ->", type(e).__name__)
    # Far negative sleeps are due at once, as asyncio's max(0, t) makes them (on 32-bit ports
    # these milliseconds leave a machine word).
    for label, f, v in (
        ("sleep(-1)", asyncio.sleep, -1),
        ("sleep(-2**29)", asyncio.sleep, -(2**29)),
        ("sleep(-2**40)", asyncio.sleep, -(2**40)),
        ("sleep(-1e12)", asyncio.sleep, -1e12),
        ("sleep_ms(-2**40)", asyncio.sleep_ms, -(2**40)),
    ):
        try:
            await f(v)
            print("await", label, "-> no exception")
        except Exception as e:
            print("await", label, "->", type(e).__name__)
    try:
        await asyncio.gather(coro_fn(), 1)
    except Exception as e:
        print("gather(coro, 1) ->", type(e).__name__)
    try:
        await asyncio.wait_for(1, 1)
    except Exception as e:
        print("wait_for(1, 1) ->", type(e).__name__)
    print("current_task in loop ok:", isinstance(asyncio.current_task(), asyncio.Task))
    return "main ok"


print(asyncio.run(main()))
check("current_task after run", asyncio.current_task)
print("loop works:", asyncio.run(coro_fn()))
