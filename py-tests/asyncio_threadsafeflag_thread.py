# ThreadSafeFlag set() from another thread, in lock-step with the waiting task.
try:
    import asyncio

    asyncio.ThreadSafeFlag
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit

try:
    import _thread
    import time
except ImportError:
    print("SKIP")
    raise SystemExit

flag = asyncio.ThreadSafeFlag()
step = [-1]
thread_done = [False]


def thread_main():
    for i in range(5):
        while step[0] != i:
            time.sleep_ms(1)
        time.sleep_ms(10)
        flag.set()
    thread_done[0] = True


async def thread_test():
    _thread.start_new_thread(thread_main, ())
    for i in range(5):
        step[0] = i
        await flag.wait()
        print("woken by thread", i)
    while not thread_done[0]:
        await asyncio.sleep_ms(5)


asyncio.run(thread_test())
print("end")
