# eventio.InterruptQueue: values put from interrupt context (here the native test source, a
# thread posting as an ISR would) arrive in order; a full ring drops and counts, never blocks
# the producer; waiting allocates nothing.
try:
    import eventio
    import micropython
except ImportError:
    print("SKIP")
    raise SystemExit
import asyncio


async def consume(q, n):
    got = []
    for _ in range(n):
        got.append(await q.get())
    return got


async def main():
    print("capacity rounded to a power of two:", eventio.InterruptQueue(10).capacity)
    # In order, with the consumer waiting.  (The ring holds all 50: however long a busy
    # machine stalls the consumer, nothing is dropped, so it never waits for a lost value.)
    q = eventio.InterruptQueue(64)
    eventio.test_source(q, 50, 1000)
    got = await consume(q, 50)
    print("in order:", got == list(range(50)), "overflows:", q.overflows)
    # Nobody consuming: the ring fills, the rest are dropped and counted.
    q2 = eventio.InterruptQueue(8)
    for i in range(20):
        q2.put_nowait(i)
    print("kept:", q2.qsize(), "dropped:", q2.overflows)
    print("oldest first:", await consume(q2, 8))
    # Waiting for values allocates nothing.  (A ring that holds all 200, as above.)
    q3 = eventio.InterruptQueue(256)
    eventio.test_source(q3, 200, 200)
    await asyncio.sleep(0)
    total = 0
    micropython.heap_lock()
    try:
        for _ in range(200):
            total += await q3.get()
    finally:
        micropython.heap_unlock()
    print("sum under heap_lock:", total == sum(range(200)))
    # Bad capacity.
    for bad in (0, 100000):
        try:
            eventio.InterruptQueue(bad)
        except ValueError:
            print("ValueError for", bad)


asyncio.run(main())
