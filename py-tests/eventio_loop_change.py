# Objects of a previous loop after asyncio.new_event_loop(), for what stock asyncio lacks
# (asyncio_loop_change.py covers the rest against stock), by the same rule: the new loop's
# queues start empty, ready and sleeping tasks are forgotten (a cancel brings back one whose
# sleep still had time to run), so are tasks waiting on a flag (an InterruptQueue's too);
# waiters of an object (Queue, Semaphore, Condition, a Task) stay, and run on the new loop
# when woken.  A garbage collection after each loop change: nothing the loop or an object
# still links may have been collected.
try:
    import asyncio, eventio
except ImportError:
    print("SKIP")
    raise SystemExit
import gc

FAR = 100_000
ts = {}


async def sleeper(name, ms):
    try:
        await asyncio.sleep_ms(ms)
        print(name, "woke")
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise


async def until(cond):
    # Until cond() holds (at most 10 s), instead of a fixed sleep that a slow chain of
    # wake-ups (valgrind, a busy machine) could outlast.
    for _ in range(10_000):
        if cond():
            return
        await asyncio.sleep_ms(1)


def change(setup, check):
    asyncio.run(setup())
    asyncio.new_event_loop()
    gc.collect()
    print("run ->", asyncio.run(check()))


# ---- Queue, Semaphore, Condition: their waiters stay -----------------------------------------
q = asyncio.Queue(1)
sem = asyncio.Semaphore(0)
cond = asyncio.Condition()


async def getter(n):
    print(n, "got", await q.get())


async def putter(n, v):
    await q.put(v)
    print(n, "put", v)


async def acquirer(n):
    async with sem:
        print(n, "acquired")


async def cond_waiter(n):
    async with cond:
        await cond.wait()
        print(n, "notified")


async def setup_sync():
    ts["g"] = asyncio.create_task(getter("old getter"))
    ts["s"] = asyncio.create_task(acquirer("old"))
    ts["c"] = asyncio.create_task(cond_waiter("old"))
    await asyncio.sleep_ms(10)


async def check_sync():
    await q.put(1)
    await asyncio.sleep_ms(0)
    q.put_nowait(2)
    ts["p"] = asyncio.create_task(putter("new putter", 3))  # waits: the queue is full
    await asyncio.sleep_ms(0)
    print("get", q.get_nowait())
    sem.release()
    async with cond:
        cond.notify_all()
    await asyncio.sleep_ms(10)
    print("get", q.get_nowait())
    return "sync"


change(setup_sync, check_sync)


async def setup_putter():
    ts["p"] = asyncio.create_task(putter("old putter", 4))  # the queue is full: waits
    await asyncio.sleep_ms(10)


async def check_putter():
    print("get", await q.get())
    await asyncio.sleep_ms(0)
    print("get", await q.get())
    return "putter"


q.put_nowait(0)
change(setup_putter, check_putter)


# ---- InterruptQueue: an old getter is forgotten, a cancel brings it back ------------------
iq = eventio.InterruptQueue(4)


async def iq_getter(n):
    try:
        print(n, "got", await iq.get())
    except asyncio.CancelledError:
        print(n, "cancelled")


async def setup_iq():
    ts["iq"] = asyncio.create_task(iq_getter("old"))
    await asyncio.sleep_ms(10)
    iq.put_nowait(7)  # posted; the run ends before it is delivered


async def check_iq():
    await iq_getter("new")  # the value of the old run
    t = asyncio.create_task(iq_getter("new2"))
    await asyncio.sleep_ms(10)
    iq.put_nowait(8)
    await t
    print("cancel old", ts["iq"].cancel())
    await until(ts["iq"].done)
    return "iq"


change(setup_iq, check_iq)


# ---- Done callbacks, priorities, the kernel's join -------------------------------------------
async def joiner(k):
    try:
        await k.join()
    except asyncio.CancelledError:
        print("joiner: CancelledError")


callbacks = []


def done_callback(t):
    print("done callback, cancelled:", t.cancelled())
    callbacks.append(t)


async def setup_misc():
    ts["cb"] = asyncio.create_task(sleeper("cb", FAR))
    ts["cb"].add_done_callback(done_callback)
    ts["hi"] = asyncio.create_task(sleeper("hi", FAR), priority=3)
    ts["k"] = await eventio.spawn(sleeper, "kernel", FAR)
    ts["joiner"] = asyncio.create_task(joiner(ts["k"]))
    await asyncio.sleep_ms(10)


async def check_misc():
    ts["hi"].priority = 5  # forgotten: only its level changes
    ts["cb"].priority = 2
    print("priorities", ts["hi"].priority, ts["cb"].priority)
    print("cancel", ts["cb"].cancel(), ts["hi"].cancel())
    await until(lambda: ts["hi"].done() and callbacks)
    print("cancel kernel task", await ts["k"].cancel())
    await ts["joiner"]
    return "misc"


change(setup_misc, check_misc)


# ---- Many loop changes with tasks left in every queue: nothing grows, nothing breaks ------
async def nap(ms):
    await asyncio.sleep_ms(ms)


async def leave_tasks(i):
    for n in range(20):
        asyncio.create_task(nap(FAR if n % 2 else 0), priority=n % 3)
    f = asyncio.ThreadSafeFlag()
    asyncio.create_task(f.wait())
    asyncio.create_task(iq.get())
    await asyncio.sleep_ms(0)


for i in range(300):
    asyncio.run(leave_tasks(i))
    asyncio.new_event_loop()
    if i == 99:
        gc.collect()
        before = gc.mem_alloc()
gc.collect()
# A forgotten task is the loop's no more: what nobody else holds is collected (a leak would
# keep some 3 KB per round).
print("heap grew by less than 16 KB in 200 rounds:", gc.mem_alloc() - before < 16384)


async def last():
    await asyncio.sleep_ms(1)
    return "last"


print("run ->", asyncio.run(last()))
