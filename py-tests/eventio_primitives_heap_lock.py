# With the heap locked (micropython.heap_lock()), Queue put/get hand-off (a bounded queue
# whose producer waits for room and whose consumer waits for items), Semaphore
# acquire/release with waiting, and Condition wait/notify allocate nothing in steady state:
# N rounds each after a short warm-up (eventio only).  An allocation would raise MemoryError.
try:
    import asyncio
    import eventio
    import micropython

    micropython.heap_lock
    asyncio.Queue
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit

N = 200
WARM = 5


async def locked_rounds(name, a, b):
    # Run the coroutines a(n) and b(n) for WARM rounds, then for N rounds with the heap locked.
    # Each stores its count of rounds in `res` when it finishes; the tasks are awaited only
    # once the heap is unlocked again.
    for n, lock in ((WARM, False), (N, True)):
        res = [None, None]
        ta = asyncio.create_task(run_into(a, n, res, 0))
        tb = asyncio.create_task(run_into(b, n, res, 1))
        await asyncio.sleep(0)
        if lock:
            micropython.heap_lock()
        try:
            while (res[0] is None or res[1] is None) and False not in res:
                await asyncio.sleep_ms(1)
        finally:
            if lock:
                micropython.heap_unlock()
        for t in (ta, tb):
            if not t.done():
                t.cancel()
            try:
                await t
            except asyncio.CancelledError:
                pass
        if res[0] is False or res[1] is False:
            print(name, "failed")
            return
    print(name, "rounds:", res[0], res[1])


async def run_into(f, n, res, idx):
    try:
        res[idx] = await f(n)
    except Exception:
        res[idx] = False


async def main():
    q = asyncio.Queue(2)

    async def producer(n):
        i = 0
        while i < n:
            await q.put(i)
            i += 1
        return i

    async def consumer(n):
        i = 0
        while i < n:
            if await q.get() != i:
                raise AssertionError
            q.task_done()
            i += 1
        return i

    await locked_rounds("Queue bounded", producer, consumer)

    q = asyncio.Queue()

    async def ping(n):
        i = 0
        while i < n:
            q.put_nowait(i)
            await asyncio.sleep(0)
            i += 1
        return i

    async def pong(n):
        i = 0
        while i < n:
            await q.get()
            i += 1
        return i

    await locked_rounds("Queue hand-off", pong, ping)

    sem = asyncio.Semaphore(1)

    async def user(n):
        i = 0
        while i < n:
            await sem.acquire()
            await asyncio.sleep(0)
            sem.release()
            i += 1
        return i

    await locked_rounds("Semaphore", user, user)

    cond = asyncio.Condition()
    box = [0]

    async def waiter(n):
        i = 0
        while i < n:
            async with cond:
                while box[0] == 0:
                    await cond.wait()
                box[0] = 0
                cond.notify()
            i += 1
        return i

    async def notifier(n):
        i = 0
        while i < n:
            async with cond:
                while box[0] != 0:
                    await cond.wait()
                box[0] = 1
                cond.notify()
            i += 1
        return i

    await locked_rounds("Condition", waiter, notifier)


asyncio.run(main())
print("end")
