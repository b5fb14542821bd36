# gather allocates no object per task: only list slots (the tasks, the results, the argument
# tuple), about three words per task; stock MicroPython's gather allocates ~10 words per task.
try:
    import eventio
except ImportError:
    print("SKIP")
    raise SystemExit
import asyncio
import gc
import sys

WORD = 8 if sys.maxsize > 2**32 else 4


async def short(i):
    await asyncio.sleep(0)
    return i


async def gathered(n, fail):
    ts = [asyncio.create_task(short(i)) for i in range(n)]
    gc.collect()
    gc.disable()
    before = gc.mem_alloc()
    r = await asyncio.gather(*ts, return_exceptions=fail)
    used = gc.mem_alloc() - before
    gc.enable()
    return r, used


# What one more task costs: the difference between gathering 1,010 and 10 tasks.
r10, used10 = asyncio.run(gathered(10, False))
r, used = asyncio.run(gathered(1010, False))
print(r10 == list(range(10)), r == list(range(1010)), "per task at most 4 words:", used - used10 <= 4 * WORD * 1000)
r, used = asyncio.run(gathered(1010, True))
print("return_exceptions:", r == list(range(1010)), used - used10 <= 4 * WORD * 1000)
