# Queue throughput: one producer puts ITEMS integers into a queue of maxsize 16, one consumer
# gets them.  KIND "native": asyncio.Queue where the loop has one (ours: native, C); else
# the pure-Python Queue below.  KIND "py": always the pure-Python Queue.  The pure-Python
# Queue is the usual MicroPython user's one (Event-based, as in Peter Hinch's
# micropython-async primitives/queue.py), on whatever asyncio runs it.
# usage: micropython prodcons.py ITEMS [native|py]
# Prints BENCH {"ops": items, "us", "impl": "asyncio.Queue" or "python", "check": ...}
# check = items / a hash of the order they arrived in (FIFO: the same on every loop).
import sys, time, json, asyncio

items = int(sys.argv[1])
kind = sys.argv[2] if len(sys.argv) > 2 else "native"


class PyQueue:
    def __init__(self, maxsize=0):
        self.maxsize = maxsize
        self._queue = []
        self._evput = asyncio.Event()  # set by put, waited on by get
        self._evget = asyncio.Event()  # set by get, waited on by put

    def _get(self):
        self._evget.set()
        self._evget.clear()
        return self._queue.pop(0)

    async def get(self):
        while self.empty():
            await self._evput.wait()
        return self._get()

    def get_nowait(self):
        if self.empty():
            raise IndexError("queue empty")
        return self._get()

    def _put(self, val):
        self._evput.set()
        self._evput.clear()
        self._queue.append(val)

    async def put(self, val):
        while self.full():
            await self._evget.wait()
        self._put(val)

    def put_nowait(self, val):
        if self.full():
            raise IndexError("queue full")
        self._put(val)

    def qsize(self):
        return len(self._queue)

    def empty(self):
        return len(self._queue) == 0

    def full(self):
        return self.maxsize > 0 and self.qsize() >= self.maxsize


if kind == "native" and hasattr(asyncio, "Queue"):
    Queue = asyncio.Queue
    impl = "asyncio.Queue"
else:
    Queue = PyQueue
    impl = "python"

got = 0
h = 0


async def producer(q):
    for i in range(items):
        await q.put(i)


async def consumer(q):
    global got, h
    for _ in range(items):
        v = await q.get()
        got += 1
        h = (h * 31 + v) & 0x3FFFFFFF


async def main():
    q = Queue(16)
    c = asyncio.create_task(consumer(q))
    await producer(q)
    await c


t0 = time.ticks_us()
asyncio.run(main())
us = time.ticks_diff(time.ticks_us(), t0)
print("BENCH " + json.dumps({"name": "queue", "ops": items, "us": us, "impl": impl,
                             "check": "%d/%d" % (got, h)}))
