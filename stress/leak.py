# 1,000 asyncio.run() calls leave no garbage behind: the heap in use after a collection does
# not grow.
import asyncio
import gc


async def child(ev):
    await ev.wait()


async def nap():
    await asyncio.sleep(1)


async def main():
    ev = asyncio.Event()
    flag = asyncio.ThreadSafeFlag()
    lock = asyncio.Lock()
    ts = [asyncio.create_task(child(ev)) for _ in range(5)]
    async with lock:
        await asyncio.sleep(0)
    flag.set()
    await flag.wait()
    ev.set()
    await asyncio.gather(*ts)
    try:
        await asyncio.wait_for(nap(), 0)
    except asyncio.TimeoutError:
        pass


def used():
    gc.collect()
    return gc.mem_alloc()


for _ in range(20):
    asyncio.run(main())
start = used()
for _ in range(1000):
    asyncio.run(main())
end = used()
print("heap growth over 1000 runs under 1 KiB:", end - start < 1024)
