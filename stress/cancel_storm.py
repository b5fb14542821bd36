# Cancellation storm with a fixed seed: tasks cancelled at random points while queued,
# sleeping, waiting on an Event, a Lock, a ThreadSafeFlag, another task, inside gather and
# wait_for, and inside finally blocks.  Every task's cleanup runs exactly once, no task body
# runs after its task finished, and the loop ends.  usage: cancel_storm.py N [gc]
import sys
import asyncio
import random

try:
    import eventio

    if len(sys.argv) > 2 and sys.argv[2] == "gc":
        eventio.gc_torture(True)
except ImportError:
    pass

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
random.seed(7)
cleanups = [0] * n
started = [0] * n
finished = [False] * n
resumed_after_finish = [0]
ev = asyncio.Event()
lock = asyncio.Lock()
flag = asyncio.ThreadSafeFlag()


async def leaf(i):
    await asyncio.sleep_ms(random.getrandbits(4))
    return i


async def body(i, kind):
    started[i] += 1
    try:
        if kind == 0:
            await asyncio.sleep_ms(random.getrandbits(6))
        elif kind == 1:
            await ev.wait()
        elif kind == 2:
            async with lock:
                await asyncio.sleep_ms(random.getrandbits(3))
        elif kind == 3:
            await flag.wait()
        elif kind == 4:
            await asyncio.gather(leaf(i), leaf(i + 1))
        elif kind == 5:
            await asyncio.wait_for(leaf(i), 0.005)
        elif kind == 6:
            await tasks[random.getrandbits(8) % max(1, i)] if i else None
        else:
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        pass
    except asyncio.TimeoutError:
        pass
    finally:
        if finished[i]:
            resumed_after_finish[0] += 1
        try:
            await asyncio.sleep(0)  # cancelled again here, sometimes
        finally:
            cleanups[i] += 1
            finished[i] = True


tasks = []


async def main():
    for i in range(n):
        tasks.append(asyncio.create_task(body(i, random.getrandbits(3))))
    for round in range(40):
        for _ in range(n // 20):
            t = tasks[random.getrandbits(16) % n]
            t.cancel()
        if round % 7 == 3:
            ev.set()
            ev.clear()
        if round % 5 == 1:
            flag.set()
        await asyncio.sleep_ms(random.getrandbits(3))
    ev.set()
    for t in tasks:
        t.cancel()
    for t in tasks:
        try:
            await t
        except BaseException:
            pass
    print("tasks", n)
    # A task cancelled while still queued never starts (as in asyncio): no cleanup to run.
    print("cleanup exactly once per started task:", all(c == s for c, s in zip(cleanups, started)))
    print("some cancelled before starting:", started.count(0) > 0)
    print("started at most once:", all(s <= 1 for s in started))
    print("no task resumed after finishing:", resumed_after_finish[0] == 0)
    print("all done:", all(t.done() for t in tasks))


asyncio.run(main())
print("loop ended")
