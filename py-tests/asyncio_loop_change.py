# Objects of a previous loop after asyncio.new_event_loop(): as stock asyncio, the new loop
# starts with empty queues, so the tasks that were ready or sleeping there are forgotten (a
# cancel brings back one whose sleep still had time to run), and so are tasks waiting on a
# ThreadSafeFlag or a stream (stock's I/O queue: a cancel brings them back); what waits on an
# Event, a Lock or a Task stays there, and waking it runs it on the new loop.  Nothing crashes,
# and the new loop's own waits are not disturbed.
try:
    import asyncio, io
except ImportError:
    print("SKIP")
    raise SystemExit

FAR = 100_000  # ms: no old sleeper's deadline comes during the test


async def sleeper(name, ms):
    try:
        await asyncio.sleep_ms(ms)
        print(name, "woke")
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    finally:
        print(name, "cleanup")


async def until(cond):
    # Until cond() holds (at most 10 s), instead of a fixed sleep that a slow chain of
    # wake-ups (valgrind, a busy machine) could outlast.
    for _ in range(10_000):
        if cond():
            return
        await asyncio.sleep_ms(1)


def change(setup, check):
    # run(setup), switch to a new loop, run(check); both print what they see.
    asyncio.run(setup())
    asyncio.new_event_loop()
    print("run ->", asyncio.run(check()))


# ---- A sleeping task, cancelled and awaited from the new loop -------------------------------
ts = {}


async def setup_sleepers():
    ts["far"] = asyncio.create_task(sleeper("far", FAR))
    ts["due"] = asyncio.create_task(sleeper("due", 1))
    ts["awaited"] = asyncio.create_task(sleeper("awaited", FAR))
    ts["never"] = asyncio.create_task(sleeper("never", 0))
    await asyncio.sleep_ms(0)  # they all start sleeping
    ts["ready"] = asyncio.create_task(sleeper("ready", 0))  # queued, never started


async def check_sleepers():
    await asyncio.sleep_ms(200)  # "due"'s deadline has long passed
    for name in ("far", "due", "never", "ready"):
        print(name, "cancel", ts[name].cancel())
    await until(ts["far"].done)
    await asyncio.sleep_ms(10)  # and time for the others to show up, if they wrongly would
    for name in ("far", "due", "never", "ready"):
        print(name, "done", ts[name].done())
    # Awaiting a forgotten sleeper: a timeout's cancel reaches it (forwarded), and it ends.
    try:
        await asyncio.wait_for(ts["awaited"], 0.05)
    except asyncio.TimeoutError:
        print("awaited: TimeoutError")
    print("awaited done", ts["awaited"].done())
    # The new loop's own sleeps are undisturbed.
    t = asyncio.create_task(sleeper("new", 5))
    await t
    return "sleepers"


change(setup_sleepers, check_sleepers)


# ---- Event and Lock waiters stay; woken, they run on the new loop -------------------------
ev = asyncio.Event()
lock = asyncio.Lock()


async def ev_waiter(n):
    await ev.wait()
    print(n, "got the event")


async def lock_holder():
    async with lock:
        try:
            await asyncio.sleep_ms(FAR)
        finally:
            print("holder releases")


async def lock_waiter(n):
    async with lock:
        print(n, "got the lock")


async def setup_sync():
    ts["ev"] = asyncio.create_task(ev_waiter("old"))
    ts["holder"] = asyncio.create_task(lock_holder())
    ts["lw"] = asyncio.create_task(lock_waiter("old"))
    await asyncio.sleep_ms(10)


async def check_sync():
    asyncio.create_task(ev_waiter("new"))
    await asyncio.sleep_ms(0)
    ev.set()
    await asyncio.sleep_ms(10)
    print("holder cancel", ts["holder"].cancel())
    await lock_waiter("new")
    await asyncio.sleep_ms(10)
    print("old lock waiter done", ts["lw"].done())
    return "sync"


change(setup_sync, check_sync)


# ---- ThreadSafeFlag: old waiters are forgotten, a pending set is kept ---------------------
flag = asyncio.ThreadSafeFlag()
pending = asyncio.ThreadSafeFlag()


async def flag_waiter(f, n):
    try:
        await f.wait()
        print(n, "got the flag")
    except asyncio.CancelledError:
        print(n, "cancelled")


async def setup_flags():
    ts["fw"] = asyncio.create_task(flag_waiter(flag, "old"))
    ts["fw2"] = asyncio.create_task(flag_waiter(flag, "old2"))
    ts["pw"] = asyncio.create_task(flag_waiter(pending, "old pending"))
    await asyncio.sleep_ms(10)
    pending.set()  # the run ends before the waiter sees it


async def setter(f):
    await asyncio.sleep_ms(20)
    f.set()


async def check_flags():
    # The new loop's waiter gets the set (and run() does not end while it waits).
    asyncio.create_task(setter(flag))
    await flag_waiter(flag, "new")
    print("cancel old", ts["fw"].cancel())
    await until(ts["fw"].done)
    await flag_waiter(pending, "new pending")  # the set of the old run is still there
    return "flags"


change(setup_flags, check_flags)


# ---- A stream waiter: forgotten, a cancel brings it back ----------------------------------
class Pipe(io.IOBase):
    def __init__(self):
        self.data = b""

    def ioctl(self, req, arg):
        if req == 3:  # MP_STREAM_POLL
            return arg & 1 if self.data else 0
        return -1

    def read(self, n=-1):
        d, self.data = self.data, b""
        return d

    def readinto(self, buf):
        return None


async def reader(p, n):
    try:
        print(n, "read", await asyncio.StreamReader(p).read(10))
    except asyncio.CancelledError:
        print(n, "cancelled")


pipe = Pipe()


async def setup_stream():
    ts["rd"] = asyncio.create_task(reader(pipe, "old"))
    await asyncio.sleep_ms(10)


async def check_stream():
    t = asyncio.create_task(reader(pipe, "new"))
    await asyncio.sleep_ms(10)
    pipe.data = b"x"
    await t
    print("cancel old", ts["rd"].cancel())
    await until(ts["rd"].done)
    return "stream"


change(setup_stream, check_stream)


# ---- gather and wait_for started in the old loop ------------------------------------------
async def setup_gather():
    ts["a"] = asyncio.create_task(sleeper("a", FAR))
    ts["b"] = asyncio.create_task(sleeper("b", FAR))
    ts["g"] = asyncio.create_task(asyncio.gather(ts["a"], ts["b"], return_exceptions=True))
    ts["c"] = asyncio.create_task(sleeper("c", FAR))
    ts["wf"] = asyncio.create_task(asyncio.wait_for(ts["c"], FAR))
    # Turns of the loop, not time: wait_for's own task starts awaiting c in a second step,
    # which a 10 ms sleep alone could outlast under valgrind on a busy machine (c would be
    # left unawaited in the old loop, and the cancel below would never reach it).
    for _ in range(5):
        await asyncio.sleep_ms(0)
    await asyncio.sleep_ms(10)


async def check_gather():
    print("a cancel", ts["a"].cancel())
    print("b cancel", ts["b"].cancel())
    print("gather", await ts["g"])
    print("wait_for cancel", ts["wf"].cancel())
    await until(ts["c"].done)  # wf's cancel reaches c, which then runs: a chain of wake-ups
    print("c done", ts["c"].done())
    return "gather"


change(setup_gather, check_gather)


# ---- new_event_loop() from a running task: it carries on, the others are forgotten ---------
async def inside():
    t = asyncio.create_task(sleeper("inside", FAR))
    await asyncio.sleep_ms(0)
    asyncio.create_task(sleeper("forgotten", 0))
    asyncio.new_event_loop()
    await asyncio.sleep_ms(10)
    print("cancel", t.cancel())
    await until(t.done)
    return "inside"


print("run ->", asyncio.run(inside()))

# ---- A second run() (no new loop): tasks left by the first one go on in it -----------------
async def first():
    ts["left"] = asyncio.create_task(sleeper("left", 10))


async def second():
    for _ in range(10_000):  # until it has run (at most 10 s), however slowly
        if ts["left"].done():
            break
        await asyncio.sleep_ms(1)
    return "second"


asyncio.run(first())
print("run ->", asyncio.run(second()))
