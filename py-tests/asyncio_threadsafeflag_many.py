# ThreadSafeFlag: many flags alive at once, and many made and dropped without gc.collect().
try:
    import asyncio

    asyncio.ThreadSafeFlag
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit
import gc


async def alive(n):
    # Many flags alive at once, every other one set and then waited on.
    flags = [asyncio.ThreadSafeFlag() for _ in range(n)]
    for f in flags[::2]:
        f.set()
    k = 0
    for f in flags[::2]:
        await f.wait()
        k += 1
    print("waited on", k, "of", n, "flags")


async def dropped(n):
    # Flags made, used and dropped one after the other; the program never calls gc.collect().
    for i in range(n):
        f = asyncio.ThreadSafeFlag()
        f.set()
        await f.wait()
    print("made and dropped", n, "flags")


for test, n in ((alive, 300), (dropped, 1000), (alive, 1000)):
    gc.collect()
    try:
        asyncio.run(test(n))
    except Exception as e:
        print(test.__name__, n, "failed:", type(e).__name__)
print("end")
