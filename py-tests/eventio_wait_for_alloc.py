# wait_for allocates nothing per call beyond the coroutine it is given (stock MicroPython
# allocates its wait_for coroutine, a runner task and a closure per call): its awaitable
# and the task it runs a coroutine in are reused, and the timeout is an alarm on the core's
# timer queue.  Native awaitables (Event.wait(), Queue.get(), a Task) need no coroutine, so
# waiting on them with a timeout passes under micropython.heap_lock().  `async with
# timeout(d)` / `timeout_at(w)` allocate the Timeout object only, one GC block (the program
# may keep it): entering and leaving the block pass under heap_lock(), what an entered block
# needs (its alarm, its CancelledError) being reused.
try:
    import eventio
except ImportError:
    print("SKIP")
    raise SystemExit
import asyncio
import gc
import micropython

N = 100


async def work(x):
    return x


async def one():
    return 1


async def main():
    ev = asyncio.Event()
    ev.set()
    q = asyncio.Queue()
    done = asyncio.create_task(work(0))
    await done
    for _ in range(3):  # fill the pools
        q.put_nowait(1)
        await asyncio.wait_for(q.get(), 1)
        await asyncio.wait_for(work(1), 1)
        await eventio.timeout_after(1, work, 1)
        async with asyncio.timeout(1):
            async with asyncio.timeout(2):  # nested: two blocks entered at once
                pass

    micropython.heap_lock()
    try:
        ok = 0
        for _ in range(N):
            ok += await asyncio.wait_for(ev.wait(), 1) is True
            q.put_nowait(2)
            ok += await asyncio.wait_for(q.get(), 1) == 2
            q.put_nowait(3)
            ok += await asyncio.wait_for_ms(q.get(), 1000) == 3
            ok += await asyncio.wait_for(done, 1) == 0
    finally:
        micropython.heap_unlock()
    print("under heap_lock:", ok == 4 * N)

    loop = asyncio.get_event_loop()
    blocks = [asyncio.timeout(1) for _ in range(N)] + [asyncio.timeout_at(loop.time() + 1) for _ in range(N)]
    blocks.append(asyncio.timeout(None))
    inner = [asyncio.timeout(2) for _ in range(N)]
    micropython.heap_lock()
    try:
        ok = 0
        for i in range(len(blocks)):
            t = blocks[i]
            async with t:
                if i < N:  # with a block inside
                    async with inner[i]:
                        ok += await ev.wait()
                    ok -= inner[i].expired()
                else:
                    ok += await ev.wait()
            ok += not t.expired()
    finally:
        micropython.heap_unlock()
    print("timeout blocks under heap_lock:", ok == 2 * len(blocks))

    # With a coroutine: the coroutine's own blocks, nothing more.
    gc.collect()
    gc.disable()
    a = gc.mem_alloc()
    c = work(1)
    coro = gc.mem_alloc() - a
    a = gc.mem_alloc()
    c = one()
    coro0 = gc.mem_alloc() - a
    a = gc.mem_alloc()
    for _ in range(N):
        await asyncio.wait_for(work(1), 1)
    per_call = (gc.mem_alloc() - a) / N
    a = gc.mem_alloc()
    for _ in range(N):
        await eventio.timeout_after(1, one)
        await eventio.timeout_after(1, one())
    per_kernel_call = (gc.mem_alloc() - a) / N / 2
    a = gc.mem_alloc()
    t = asyncio.timeout(1)
    tsize = gc.mem_alloc() - a
    a = gc.mem_alloc()
    o = object()
    block = gc.mem_alloc() - a
    a = gc.mem_alloc()
    for _ in range(N):
        async with asyncio.timeout(1):
            await ev.wait()
    per_block = (gc.mem_alloc() - a) / N
    gc.enable()
    print("async with timeout(1) allocates the Timeout only:", per_block == tsize)
    print("a Timeout is one GC block:", tsize == block)
    print("wait_for(coro, 1) allocates the coroutine only:", per_call == coro)
    # (timeout_after(1, corofunc, *args) allocates its `args` tuple too, as any call does.)
    print("timeout_after(1, corofunc or coro) allocates the coroutine only:", per_kernel_call == coro0)


asyncio.run(main())
