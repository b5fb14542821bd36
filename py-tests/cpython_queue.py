# asyncio.Queue as CPython has it: bounded and unbounded, blocking put/get, the nowait forms,
# task_done/join, cancellation of a waiting get/put.  Expected output: what CPython prints.
import asyncio

if not hasattr(asyncio, "Queue"):
    print("SKIP")
    raise SystemExit


async def producer(q, name, n):
    for i in range(n):
        await q.put((name, i))
        print("put", name, i, "qsize", q.qsize())


async def consumer(q, n):
    got = []
    for _ in range(n):
        item = await q.get()
        got.append(item)
        q.task_done()
    return got


async def main():
    q = asyncio.Queue()
    print("maxsize", q.maxsize, "empty", q.empty(), "full", q.full(), "qsize", q.qsize())
    q.put_nowait(1)
    q.put_nowait(2)
    print(q.get_nowait(), q.get_nowait())
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("QueueEmpty")

    b = asyncio.Queue(maxsize=2)
    b.put_nowait("a")
    b.put_nowait("b")
    print("full", b.full(), "qsize", b.qsize())
    try:
        b.put_nowait("c")
    except asyncio.QueueFull:
        print("QueueFull")
    print(b.get_nowait(), b.get_nowait())

    # A bounded queue makes the producer wait for the consumer.
    b = asyncio.Queue(2)
    c = asyncio.create_task(consumer(b, 6))
    await producer(b, "p", 6)
    print("consumed", await c)

    # A getter waits for a put.
    q = asyncio.Queue()

    async def getter(name):
        v = await q.get()
        print(name, "got", v)

    ts = [asyncio.create_task(getter("g%d" % i)) for i in range(3)]
    await asyncio.sleep(0)
    for i in range(3):
        await q.put(i * 10)
    await asyncio.gather(*ts)

    # join() waits for every item to be marked done.
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)

    async def worker():
        while True:
            item = await q.get()
            await asyncio.sleep(0.01)
            print("worked", item)
            q.task_done()

    w = asyncio.create_task(worker())
    await q.join()
    print("joined, unfinished none:", q.empty())
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        print("worker cancelled")
    try:
        q.task_done()
    except ValueError as e:
        print("ValueError", e)

    # Cancelling a waiting get() loses nothing; a waiting put() puts nothing.
    q = asyncio.Queue()
    g = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    g.cancel()
    try:
        await g
    except asyncio.CancelledError:
        print("get cancelled")
    q.put_nowait("x")
    print("still there:", q.get_nowait())

    q = asyncio.Queue(1)
    q.put_nowait("first")

    async def put_second():
        await q.put("second")

    p = asyncio.create_task(put_second())
    await asyncio.sleep(0)
    p.cancel()
    try:
        await p
    except asyncio.CancelledError:
        print("put cancelled")
    print("qsize", q.qsize(), q.get_nowait(), q.empty())

    # wait_for on a get.
    q = asyncio.Queue()
    try:
        await asyncio.wait_for(q.get(), 0.01)
    except asyncio.TimeoutError:
        print("get timed out")
    q.put_nowait(5)
    print("wait_for get", await asyncio.wait_for(q.get(), 1))

    # Many producers and consumers over a small queue.
    q = asyncio.Queue(3)
    total = []

    async def cons():
        while True:
            v = await q.get()
            total.append(v)
            q.task_done()

    cs = [asyncio.create_task(cons()) for _ in range(3)]
    await asyncio.gather(*(producer_quiet(q, k) for k in range(4)))
    await q.join()
    for c in cs:
        c.cancel()
    print("total", len(total), sum(total))


async def producer_quiet(q, k):
    for i in range(50):
        await q.put(k * 1000 + i)


asyncio.run(main())
