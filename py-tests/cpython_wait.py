# asyncio.wait (FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED, timeout), as_completed,
# shield, get_running_loop and the loop's call_soon/call_later/call_at/time, as CPython has
# them.  Expected output: what CPython prints.
import asyncio

if not hasattr(asyncio, "wait"):
    print("SKIP")
    raise SystemExit


# The order of lines is set by events, not by sleeps a few ms apart racing each other or the
# caller's wake-up: under valgrind on a busy machine those can end in either order.
async def work(name, delay, fail=False, then=None):
    # delay: seconds to sleep, or an Event to wait for; then: an Event set on finishing.
    if isinstance(delay, asyncio.Event):
        await delay.wait()
    else:
        await asyncio.sleep(delay)
    if then is not None:
        then.set()
    if fail:
        raise ValueError(name)
    return name


def names(tasks, all_tasks):
    return sorted(all_tasks[t] for t in tasks)


async def waits():
    never = asyncio.Event()  # never set: a task waiting on it is pending whenever wait returns
    for mode in (asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED):
        # a ends before b fails (an earlier deadline: timers fire in deadline order); what must
        # still be pending when wait returns waits on `never`.
        spec = {
            "a": 0.01,
            "b": never if mode == asyncio.FIRST_COMPLETED else 0.03,
            "c": 0.05 if mode == asyncio.ALL_COMPLETED else never,
        }
        tasks = {asyncio.create_task(work(n, d, n == "b")): n for n, d in spec.items()}
        done, pending = await asyncio.wait(list(tasks), return_when=mode)
        print(mode, "done", names(done, tasks), "pending", names(pending, tasks))
        for t in pending:
            t.cancel()
        await asyncio.sleep(0)
        for t in tasks:
            if t.done():
                try:
                    await t
                except BaseException as e:
                    pass

    tasks = {asyncio.create_task(work("quick", 0)): "quick", asyncio.create_task(work("slow", never)): "slow"}
    done, pending = await asyncio.wait(tasks, timeout=0.2)
    print("timeout: done", names(done, tasks), "pending", names(pending, tasks))
    for t in pending:
        t.cancel()

    try:
        await asyncio.wait([])
    except ValueError as e:
        print("ValueError", e)


async def completed():
    a_done, b_done = asyncio.Event(), asyncio.Event()
    aws = [work("c", b_done), work("a", 0.01, then=a_done), work("b", a_done, then=b_done)]
    for f in asyncio.as_completed(aws):
        print("as_completed", await f)

    aws = [work("fast", 0), work("never", asyncio.Event())]
    try:
        for f in asyncio.as_completed(aws, timeout=0.2):
            print("as_completed", await f)
    except asyncio.TimeoutError:
        print("as_completed timed out")


async def shields():
    release = asyncio.Event()
    inner = asyncio.create_task(work("inner", release))

    async def outer():
        return await asyncio.shield(inner)

    o = asyncio.create_task(outer())
    await asyncio.sleep(0.01)
    o.cancel()
    try:
        await o
    except asyncio.CancelledError:
        print("outer cancelled; inner done:", inner.done())
    release.set()
    print("inner result", await inner)
    print("shield of a finished task", await asyncio.shield(inner))
    print("shield of a coroutine", await asyncio.shield(work("coro", 0)))


async def loops():
    loop = asyncio.get_running_loop()
    print("same loop", loop is asyncio.get_running_loop())
    t0 = loop.time()
    fired = []
    loop.call_later(0.02, fired.append, "later")
    loop.call_at(t0 + 0.01, fired.append, "at")
    loop.call_soon(fired.append, "soon")
    h = loop.call_later(0.01, fired.append, "cancelled")
    h.cancel()
    print("handle cancelled", h.cancelled())
    await asyncio.sleep(0.05)
    print("fired", fired)
    print("time advanced", loop.time() - t0 >= 0.04)


async def shared():
    # Several waits and shields on one task, and a wait on a task that gather has: each is
    # told, and the task stays awaitable.
    async def slow(v):
        await asyncio.sleep(0.02)
        return v

    t = asyncio.create_task(slow(7))

    async def waiter(name):
        done, pending = await asyncio.wait([t])
        print(name, len(done), len(pending))

    await asyncio.gather(waiter("first"), waiter("second"))
    t2 = asyncio.create_task(slow(8))
    print("two shields", await asyncio.gather(asyncio.shield(t2), asyncio.shield(t2)))
    t3 = asyncio.create_task(slow(9))
    g = asyncio.gather(t3)
    done, pending = await asyncio.wait([t3], timeout=0.001)
    print("timed out beside gather", len(done), len(pending))
    print("gather still told", await g)
    t4 = asyncio.create_task(slow(10))
    done, _ = await asyncio.wait([t4])
    print("awaitable after wait", await t4)


async def callbacks():
    # Task.add_done_callback / remove_done_callback: called soon after the task ends, in the
    # order added, each registration once; removed ones are not called.
    calls = []

    async def quick(v):
        await asyncio.sleep(0.01)
        return v

    t = asyncio.create_task(quick(1))

    def first(task):
        calls.append(("first", task.result()))

    def second(task):
        calls.append(("second", task is t))

    def dropped(task):
        calls.append("dropped")

    t.add_done_callback(first)
    t.add_done_callback(dropped)
    t.add_done_callback(second)
    t.add_done_callback(dropped)
    print("removed", t.remove_done_callback(dropped), t.remove_done_callback(dropped))
    print("await", await t, calls)
    await asyncio.sleep(0)
    print("after a turn", calls)
    t.add_done_callback(first)  # on a finished task: soon
    print("not at once", len(calls))
    await asyncio.sleep(0)
    print("soon", calls[-1])


async def main():
    await waits()
    await callbacks()
    await completed()
    await shields()
    await shared()
    await loops()


asyncio.run(main())
try:
    asyncio.get_running_loop()
except RuntimeError:
    print("no running loop outside")
