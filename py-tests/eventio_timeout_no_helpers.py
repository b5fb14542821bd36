# A timeout leaves nothing behind, even in a loop that never yields: timeout() and
# timeout_at() around waits that end at once (an Event already set) keep no helper task per
# call alive until the loop next yields (before the core's alarm they did: each
# timeout() left a cancelled helper task queued, and 5,000 of them exhausted a 2 MB heap).
# Measured with the collector: what is still allocated after the calls, once collected.
try:
    import asyncio
    import gc
    import eventio

    asyncio.timeout
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit

N = 500


async def main():
    ev = asyncio.Event()
    ev.set()
    for what in ("timeout", "timeout_at"):
        gc.collect()
        before = gc.mem_alloc()
        for _ in range(N):
            if what == "timeout":
                async with asyncio.timeout(10):
                    await ev.wait()
            else:
                async with asyncio.timeout_at(asyncio.get_running_loop().time() + 10):
                    await ev.wait()
        gc.collect()
        kept = gc.mem_alloc() - before
        # A helper task per call would keep at least N * 32 bytes.
        print(what, "kept less than one block per call:", kept < N * 16)


asyncio.run(main())
