# eventio: the event loop behind asyncio, and the kernel API of the original Event IO design
# (curio-style), on the same scheduler: eventio tasks and asyncio tasks mix in one program.
#
#     import eventio
#
#     async def blink(name, period):
#         while True:
#             print(name)
#             await eventio.sleep(period)
#
#     async def main():
#         task = await eventio.spawn(blink, "led", 0.5)
#         await eventio.sleep(2)
#         await task.cancel()               # cancels, and waits for its cleanup
#         kernel = await eventio.get_kernel()
#         print(kernel.load_average())       # percent of time awake, ~0 for this program
#
#     eventio.run(main)
#
# Also: stats() (what the Rust core counted), signal_flag(signum) (a flag a POSIX signal
# sets), pin_flag(pin, trigger) (a flag a GPIO edge sets from its interrupt, natively; rp2),
# test_source(flag, count, period_us) (a native thread posting to a flag, as an
# interrupt handler would), InterruptEvent (a flag interrupt handlers set through the C ABI),
# gc_torture(on) (debug: collect garbage before every task switch).
import _eventio
import asyncio
from _eventio import gc_torture, pin_flag, signal_flag, stats, test_source
from time import ticks_diff, ticks_ms

__version__ = "0.1.0"

# The asyncio exception types themselves, so either style of code catches them.
CancelledError = asyncio.CancelledError
TimeoutError = asyncio.TimeoutError

# Tasks: asyncio's Task with join() and an awaitable cancel(); isinstance(t, asyncio.Task).
Task = _eventio.KernelTask
# An Event whose set() may also be awaited; any number of waiters.
Event = _eventio.KernelEvent
# An event set from interrupt context (an ISR through eio_post(), a signal, a thread): every
# task waiting when it is set wakes; with none waiting it stays set for the next wait.  While
# tasks wait on one, the kernel waits for it rather than exiting.
InterruptEvent = asyncio.ThreadSafeFlag
# A queue of 32-bit values one interrupt handler fills through eio_queue_put(q.handle, v):
# `await q.get()`; when full, values are dropped and counted in q.overflows, never blocking
# the handler.
InterruptQueue = _eventio.InterruptQueue

sleep = asyncio.sleep


def _coro(corofunc, args):
    # spawn(corofunc, *args) or spawn(coro)
    return corofunc(*args) if callable(corofunc) else corofunc


class Kernel:
    def __init__(self):
        self._start = ticks_ms()
        self._mark = self._sample()

    @staticmethod
    def _sample():
        s = stats()
        return s["ms_awake"], s["ms_asleep"]

    def uptime(self):
        """Seconds since run() started."""
        return ticks_diff(ticks_ms(), self._start) / 1000

    def load_average(self):
        """Percent of time awake (0 to 100) since the previous call, or since run() started
        for the first one: the core's own awake/asleep accounting over that window."""
        awake, asleep = self._sample()
        d_awake, d_asleep = awake - self._mark[0], asleep - self._mark[1]
        self._mark = (awake, asleep)
        total = d_awake + d_asleep
        return 100 * d_awake / total if total else 0.0


_kernel = None


def run(corofunc, *args):
    """Run corofunc(*args) (or a coroutine) as the main task; return its result."""
    global _kernel
    _kernel = Kernel()
    main = _eventio.spawn(_coro(corofunc, args), 0)
    return _eventio.run(main)


async def spawn(corofunc, *args, priority=0):
    """Start a task at priority level `priority` (0 to 7, higher runs first); returns it."""
    return _eventio.spawn(_coro(corofunc, args), priority)


async def current_task():
    return _eventio.current_task()


async def get_kernel():
    global _kernel
    if _kernel is None:
        _kernel = Kernel()
    return _kernel


def timeout_after(seconds, corofunc, *args):
    """The result of corofunc(*args) (or a coroutine); if it takes longer than `seconds`, it
    is cancelled and TimeoutError is raised.  (asyncio's wait_for itself: no coroutine of its
    own, nothing allocated beyond corofunc's coroutine.)"""
    return asyncio.wait_for(_coro(corofunc, args), seconds)


async def ignore_after(seconds, corofunc, *args):
    """As timeout_after, but returns None on timeout."""
    try:
        return await asyncio.wait_for(_coro(corofunc, args), seconds)
    except TimeoutError:
        return None
