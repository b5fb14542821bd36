# Memory: heap bytes per sleeping task and per task waiting on an Event (gc.mem_alloc()
# deltas around creating N tasks, after gc.collect()), and heap bytes allocated per
# sleep(0) switch and per Event wait (gc disabled, gc.mem_alloc() delta over M iterations),
# plus whether M of them run under micropython.heap_lock() (heap_lock_ok: False means the
# loop allocated and MemoryError was raised); also the heap `import asyncio` takes, and what
# gather allocates per task beyond the tasks (gathering N+10 tasks minus gathering 10).
# usage: micropython memory.py N M
import sys, json, gc, micropython

gc.collect()
before_import = gc.mem_alloc()
import asyncio

gc.collect()
import_bytes = gc.mem_alloc() - before_import

n = int(sys.argv[1])
m = int(sys.argv[2])
out = {"name": "memory"}
woke = 0


async def sleeper():
    global woke
    await asyncio.sleep_ms(200)
    woke += 1


async def waiter(ev):
    global woke
    await ev.wait()
    woke += 1


async def switcher(k):
    for _ in range(k):
        await asyncio.sleep(0)


async def pinger(k, a, b):
    for _ in range(k):
        a.set()
        await b.wait()
        b.clear()


async def ponger(k, a, b):
    for _ in range(k):
        await a.wait()
        a.clear()
        b.set()


def alloc_per(k, fn):
    # gc off: mem_alloc only grows while the loop allocates; counted per iteration.
    gc.collect()
    gc.disable()
    a0 = gc.mem_alloc()
    fn(k)
    a1 = gc.mem_alloc()
    gc.enable()
    return a1 - a0


def switch_run(k):
    asyncio.run(switcher(k))


def event_run(k):
    async def main():
        a = asyncio.Event()
        b = asyncio.Event()
        t = asyncio.create_task(ponger(k, a, b))
        await pinger(k, a, b)
        await t

    asyncio.run(main())


progress = [0, 0]


async def locked_switches(k):
    micropython.heap_lock()
    try:
        for _ in range(k):
            await asyncio.sleep(0)
            progress[0] += 1
    finally:
        micropython.heap_unlock()


async def counting_ponger(k, a, b):
    for _ in range(k):
        await a.wait()
        a.clear()
        b.set()
        progress[1] += 1


async def locked_event_main(k):
    a = asyncio.Event()
    b = asyncio.Event()
    t = asyncio.create_task(counting_ponger(k, a, b))
    await asyncio.sleep(0)  # ponger is waiting on a now
    micropython.heap_lock()
    try:
        for _ in range(k):
            a.set()
            await b.wait()
            b.clear()
            progress[0] += 1
    finally:
        micropython.heap_unlock()
    await t


def heap_lock_ok(coro_fn, k, need):
    # True when k iterations ran with the heap locked; False when something allocated
    # (MemoryError, or a task died so the other never finished).
    progress[0] = progress[1] = 0
    try:
        asyncio.run(coro_fn(k))
        ok = True
    except MemoryError:
        ok = False
    # restore the lock depth to 0, whatever happened
    micropython.heap_lock()
    d = micropython.heap_unlock()
    while d > 0:
        d = micropython.heap_unlock()
    return ok and progress[0] == k and progress[1] == need


async def measure():
    global woke
    # per sleeping task
    gc.collect()
    m0 = gc.mem_alloc()
    for _ in range(n):
        asyncio.create_task(sleeper())
    await asyncio.sleep_ms(10)  # all started and asleep
    gc.collect()
    m1 = gc.mem_alloc()
    out["bytes_per_sleeping_task"] = (m1 - m0) / n
    await asyncio.sleep_ms(400)
    assert woke == n
    # per task waiting on an Event
    ev = asyncio.Event()
    gc.collect()
    m0 = gc.mem_alloc()
    for _ in range(n):
        asyncio.create_task(waiter(ev))
    await asyncio.sleep_ms(10)
    gc.collect()
    m1 = gc.mem_alloc()
    out["bytes_per_event_waiter"] = (m1 - m0) / n
    ev.set()
    await asyncio.sleep_ms(10)
    assert woke == 2 * n


async def short():
    await asyncio.sleep(0)


async def gathered(k):
    ts = [asyncio.create_task(short()) for _ in range(k)]
    gc.collect()
    gc.disable()
    a0 = gc.mem_alloc()
    await asyncio.gather(*ts)
    a1 = gc.mem_alloc()
    gc.enable()
    return a1 - a0


asyncio.run(measure())
out["bytes_import_asyncio"] = import_bytes
out["bytes_per_gathered_task"] = (asyncio.run(gathered(n + 10)) - asyncio.run(gathered(10))) / n
# warm up once so one-time allocations (loop state, interned names) are not counted
switch_run(10)
event_run(10)
out["bytes_per_switch"] = (alloc_per(2 * m, switch_run) - alloc_per(m, switch_run)) / m
out["bytes_per_event_wait"] = (alloc_per(2 * m, event_run) - alloc_per(m, event_run)) / (2 * m)
out["switch_heap_lock_ok"] = heap_lock_ok(locked_switches, m, 0)
out["event_heap_lock_ok"] = heap_lock_ok(locked_event_main, m, m)
out["check"] = "%d" % woke
print("BENCH " + json.dumps(out))
