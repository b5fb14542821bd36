# MicroPython 1.26+ (its fix "early exit of asyncio scheduler"): a run does not end while its
# main task is unfinished, even with no task queued, sleeping or waiting on I/O: here only a
# callback that another thread schedules (micropython.schedule) sets the Event the main task
# waits on.  Ours sleeps in one wait that the scheduling ends; stock 1.26+ polls every few ms.
# Stock 1.25 returned from run() at once, so this prints SKIP there.
import sys

try:
    import asyncio
    import micropython
    import _thread
    import time

    micropython.schedule
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit
try:
    import eventio
except ImportError:
    if sys.implementation.version < (1, 26):
        print("SKIP")
        raise SystemExit

ev = asyncio.Event()


def on_schedule(arg):
    print("callback runs:", arg)
    ev.set()


def thread_main():
    time.sleep_ms(50)
    micropython.schedule(on_schedule, "from a thread")


async def main():
    _thread.start_new_thread(thread_main, ())
    await ev.wait()
    return "main done"


print(asyncio.run(main()))
