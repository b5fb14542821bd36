# Values for the C ABI's 32-bit fields are never truncated: InterruptQueue.put_nowait() and
# test_source() raise OverflowError outside 0 .. 2**32-1 (TypeError for a non-int; a negative
# count or period stays a ValueError).  And sleep(delay, result): allocates only with a result.
try:
    import eventio
    import micropython
except ImportError:
    print("SKIP")
    raise SystemExit
import asyncio

q = eventio.InterruptQueue(4)
for v in (0, 2**32 - 1, True, 2**32, -1, 2**64, -(2**64), 1.0, "1"):
    try:
        print("put_nowait", repr(v), q.put_nowait(v))
    except Exception as e:
        print("put_nowait", repr(v), type(e).__name__)


async def drain():
    got = []
    while q.qsize():
        got.append(await q.get())
    print("values", got)


asyncio.run(drain())

f = asyncio.ThreadSafeFlag()
for args in ((2**32, 0), (0, 2**32), (2**64, 0), (-1, 0), (0, -(2**70)), (1.5, 0), (0, 0)):
    try:
        eventio.test_source(f, *args)
        print("test_source", args, "ok")
    except Exception as e:
        print("test_source", args, type(e).__name__)


async def napper():
    await asyncio.sleep_ms(5)
    return "napper woke once"


async def sleeps():
    t = asyncio.create_task(napper())
    await asyncio.sleep(0)
    micropython.heap_lock()
    try:
        print(await asyncio.sleep(0), await asyncio.sleep(0.001), await asyncio.sleep(0, None))
        try:
            await asyncio.sleep(100, "result")
        except MemoryError:
            print("a result needs an allocation")
    finally:
        micropython.heap_unlock()
    # The failed sleep left nothing armed that the napper would take for its own (it would
    # sleep 100 s more).
    # (Printed here, not by the napper: under valgrind its 5 ms may end inside the sleeps above.)
    print(await asyncio.wait_for(t, 2))
    print(await asyncio.sleep(0, "result"), await asyncio.sleep(0.002, result=(1, 2)))
    for args, kw in (((0, 1, 2), {}), ((0, 1), {"result": 2}), ((0,), {"delay": 1})):
        try:
            asyncio.sleep(*args, **kw)
        except TypeError:
            print("TypeError", args, kw)


asyncio.run(sleeps())
