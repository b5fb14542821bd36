# A ThreadSafeFlag is a stream that select.poll can wait on, as stock's is (ioctl
# MP_STREAM_POLL): POLLIN while it is set, set() from another thread included.  Polling does
# not consume the flag; a wait does, and clear() does.
try:
    import asyncio
    import select
    import _thread
    import time
except ImportError:
    print("SKIP")
    raise SystemExit

flag = asyncio.ThreadSafeFlag()
poller = select.poll()
poller.register(flag, select.POLLIN)


def ready(timeout):
    return [(obj is flag, ev) for obj, ev in poller.poll(timeout)]


print("clear:", ready(0))

started = _thread.allocate_lock()
started.acquire()


def setter():
    started.release()
    time.sleep_ms(20)
    flag.set()


_thread.start_new_thread(setter, ())
started.acquire()
# Blocks until the thread's set(), however long the thread takes.
print("set from a thread:", ready(-1))
print("still set:", ready(0))


async def consume():
    await flag.wait()
    print("wait returned")


asyncio.run(consume())
print("after the wait:", ready(0))
flag.set()
print("set:", ready(0))
flag.clear()
print("after clear():", ready(0))
