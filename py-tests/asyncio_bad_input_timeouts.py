# Odd timeouts, as stock asyncio takes them: sleep_ms(t) sleeps max(0, t) ms (so -1.5, -inf and
# nan sleep 0, and 1.5 is a TypeError), sleep(t) int(t * 1000) ms; wait_for / wait_for_ms
# raise what that sleep raises, or time out.  (Each bad call gets a run of its own that ends
# at once: stock leaves a task behind after a bad timeout, eventio_wait_for_stray.py says more.)
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit


async def sleep_ms(t):
    try:
        await asyncio.sleep_ms(t)
        print("sleep_ms", repr(t), "slept")
    except Exception as e:
        print("sleep_ms", repr(t), type(e).__name__)


for t in (-1.5, -1.0, 0.0, -0.0, 1.5, float("nan"), float("-inf"), float("inf"), True, False, -(2**70), None, "x", 1j):
    asyncio.run(sleep_ms(t))


async def forever():
    await asyncio.sleep(100)


async def work():
    return "result"


async def wait_for(which, aw, t):
    try:
        print(which, repr(t), await getattr(asyncio, which)(aw, t))
    except Exception as e:
        print(which, repr(t), type(e).__name__)


for which in ("wait_for", "wait_for_ms"):
    for t in ("soon", [1], 1j, -1.5, -1, float("nan"), 0.0):
        asyncio.run(wait_for(which, forever(), t))
    # An awaitable that completes at its first step comes first, as in stock.
    asyncio.run(wait_for(which, work(), -1.0))
    # A bad awaitable is what is reported, even with a bad timeout too.
    asyncio.run(wait_for(which, 1, "soon"))
