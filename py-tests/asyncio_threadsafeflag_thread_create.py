# ThreadSafeFlags made, set and dropped in a thread other than the loop's, while the loop
# delivers sets of its own flag: every core entry point a thread reaches (flag create, post,
# and the drop by the collector) is safe beside the loop.  (It aborted within 10 ms when the
# critical section only masked signals in the calling thread.)
try:
    import asyncio, _thread
except ImportError:
    print("SKIP")
    raise SystemExit

busy = asyncio.ThreadSafeFlag()
stop = False
made = [0]


def worker():
    while not stop:
        f = asyncio.ThreadSafeFlag()
        f.set()
        made[0] += 1
    made.append("done")


got = [0]


async def waiter():
    while True:
        await busy.wait()
        got[0] += 1


async def main():
    global stop
    _thread.start_new_thread(worker, ())
    t = asyncio.create_task(waiter())
    i = 0
    while i < 1000 or made[0] < 200:  # overlap for sure, however the threads are scheduled
        busy.set()
        await asyncio.sleep(0)
        i += 1
    stop = True
    while made[-1] != "done":
        await asyncio.sleep_ms(1)
    t.cancel()
    # (How many sets a wait takes in, and how many flags the thread made, depend on speed.)
    print("flags made in the thread:", made[0] >= 200, "sets delivered:", got[0] > 0)


asyncio.run(main())
