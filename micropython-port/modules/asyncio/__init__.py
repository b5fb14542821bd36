# asyncio for MicroPython, on eventio's scheduler.
#
# The scheduler, tasks, sleeping and Event are native (the _eventio module: C glue over the
# Rust core).  This file adds what is naturally Python: the Loop facade, exception reporting,
# gather and wait_for, built on a few internal primitives of _eventio:
#   park            awaitable: park the current task until wake(task) or a cancel
#   wake(task)      put a parked task on the run queue
#   cancel(task, exc, only_if_idle)   cancel with a given exception
#   set_done_callback(task, cb)       cb(task, exc_or_None) when task finishes
#   raised(task), value(task)        how a finished task ended
import _eventio
from micropython import const
from _eventio import (
    CancelledError,
    Event,
    Lock,
    Task,
    ThreadSafeFlag,
    TimeoutError,
    create_task,
    current_task,
    sleep,
    sleep_ms,
)

from _eventio_sync import BoundedSemaphore, Queue, QueueEmpty, QueueFull, Semaphore

# The rest of the API is in submodules imported on first use (module __getattr__ below): the
# functions and classes of an imported module live in RAM, and most programs use few of them.
# (Constant tuples: they stay in the firmware's flash.)
_FROM_STREAM = ("Server", "Stream", "StreamReader", "StreamWriter", "open_connection", "start_server")
# CPython's primitives beyond MicroPython's asyncio (docs/primitives.md).
_FROM_EXTRA = (
    "ALL_COMPLETED", "Barrier", "BaseExceptionGroup", "BrokenBarrierError", "Condition",
    "ExceptionGroup", "FIRST_COMPLETED", "FIRST_EXCEPTION", "Handle", "TaskGroup", "Timeout",
    "TimerHandle", "as_completed", "get_running_loop", "shield", "timeout", "timeout_at", "wait",
)

# The public names, for `from asyncio import *` (MicroPython 1.26+ consults __all__, and asks
# __getattr__ for it when it is missing): a star import brings the submodules' names too.
__all__ = (
    "BoundedSemaphore", "CancelledError", "Event", "Lock", "Loop", "Queue", "QueueEmpty",
    "QueueFull", "Semaphore", "Task", "ThreadSafeFlag", "TimeoutError", "create_task",
    "current_task", "gather", "get_event_loop", "new_event_loop", "run", "run_until_complete",
    "sleep", "sleep_ms", "wait_for", "wait_for_ms",
) + _FROM_STREAM + _FROM_EXTRA


def __getattr__(name):
    if name in _FROM_STREAM:
        path = "asyncio.stream"
    elif name in _FROM_EXTRA:
        path = "asyncio.extra"
    else:
        raise AttributeError(name)
    # (Not `from . import stream`: that looks the submodule up as an attribute first, which
    # comes back here.)  A non-empty fromlist makes __import__ return the submodule itself.
    value = getattr(__import__(path, None, None, (name,)), name)
    globals()[name] = value  # found directly from now on
    return value

__version__ = (3, 0, 0)


def _promote_to_task(aw):
    return aw if isinstance(aw, Task) else create_task(aw)


def run(coro):
    return _eventio.run(create_task(coro))


def run_until_complete(main_task=None):
    return _eventio.run(main_task)


async def _stopper():
    pass


_stop_task = None

# The context passed to the exception handler; one dict, reused, as asyncio does.
_exc_context = {"message": "Task exception wasn't retrieved", "exception": None, "future": None}


class Loop:
    _exc_handler = None

    def create_task(coro):
        return create_task(coro)

    def run_forever():
        # Runs until stop() wakes the stopper task (or nothing is left to run).
        global _stop_task
        _stop_task = Task(_stopper())
        _eventio.run(_stop_task)

    def run_until_complete(aw):
        return _eventio.run(_promote_to_task(aw))

    def stop():
        global _stop_task
        if _stop_task is not None:
            _eventio.wake(_stop_task)
            _stop_task = None

    def close():
        pass

    def set_exception_handler(handler):
        Loop._exc_handler = handler

    def get_exception_handler():
        return Loop._exc_handler

    def default_exception_handler(loop, context):
        import sys

        print(context["message"], file=sys.stderr)
        if "handle" in context and "future" not in context:
            print("handle:", context["handle"], file=sys.stderr)  # a loop callback's
        else:
            print("future:", context["future"], "coro=", context["future"].coro, file=sys.stderr)
        sys.print_exception(context["exception"], sys.stderr)

    def call_exception_handler(context):
        (Loop._exc_handler or Loop.default_exception_handler)(Loop, context)

    # CPython's loop scheduling calls (asyncio/extra.py, imported on first use).
    def time():
        from .extra import _time

        return _time()

    def call_soon(callback, *args, context=None):
        from .extra import _call_soon

        return _call_soon(callback, *args)

    def call_later(delay, callback, *args, context=None):
        from .extra import _call_later

        return _call_later(delay, callback, *args)

    def call_at(when, callback, *args, context=None):
        from .extra import _call_at

        return _call_at(when, callback, *args)


def _report_unhandled(task, exc):
    _exc_context["exception"] = exc
    _exc_context["future"] = task
    Loop.call_exception_handler(_exc_context)


_eventio.set_unhandled_hook(_report_unhandled)


# The runq_len and waitq_len arguments are accepted for legacy uasyncio code.
def get_event_loop(runq_len=0, waitq_len=0):
    return Loop


def new_event_loop():
    _eventio.new_event_loop()
    return Loop


# gather's state, one list shared with its done callback: with it, the callback closes over
# three variables, and MicroPython calls a closure of at most three (plus its two arguments)
# without allocating.  (Names folded away at compile time.)
_PENDING = const(0)  # children still running; negative: a child already failed, don't wait
_FAILURE = const(1)  # the exception gather raises, if any
_WAITING = const(2)  # parked, and no child has woken us yet


async def gather(*aws, return_exceptions=False):
    tasks = [_promote_to_task(aw) for aw in aws]
    me = current_task()
    st = [0, None, False]

    def child_done(t, exc):
        if not st[_WAITING]:
            return  # already woken by another child, or cancelled
        if exc is not None and not return_exceptions:
            st[_FAILURE] = exc
        else:
            st[_PENDING] -= 1
            if st[_PENDING]:
                return
        st[_WAITING] = False
        _eventio.wake(me)

    for t in tasks:
        if _eventio.set_done_callback(t, child_done):
            st[_PENDING] += 1
        elif not return_exceptions and _eventio.raised(t):
            st[_PENDING] = -len(tasks)

    cancelled = False
    if st[_PENDING] > 0:
        st[_WAITING] = True
        try:
            await _eventio.park
        except CancelledError as er:
            st[_WAITING] = False
            cancelled = True
            st[_FAILURE] = er

    failure = st[_FAILURE]
    results = []
    for t in tasks:
        if _eventio.set_done_callback(t, None):
            # Still running: no longer ours to wait for.
            if cancelled:
                t.cancel()
            results.append(None)
            continue
        value = _eventio.value(t)
        if _eventio.raised(t) and not return_exceptions:
            if failure is None:
                failure = value
        results.append(value)
    if failure is not None:
        raise failure
    return results


# wait_for: with a timeout, _eventio.wait_for, a native awaitable that is stock's wait_for
# coroutine and its runner task at once (a relay on the core's timer queue, alarm.c): it takes
# exactly their turns, so tasks run in stock's order, and a call allocates nothing (ended ones
# are reused, with the task they ran a coroutine in).
async def _wait_forever(aw):
    return await _promote_to_task(aw)


def wait_for(aw, timeout):
    if timeout is None:
        return _wait_forever(aw)
    return _eventio.wait_for(aw, timeout)


def wait_for_ms(aw, timeout):
    if timeout is None:
        return _wait_forever(aw)
    return _eventio.wait_for(aw, timeout, True)


# Task.add_done_callback(): when such a task finishes, its callbacks run soon, each once, in
# order, in one task; one that raises goes to the loop's exception handler, the rest still run.
async def _run_done_callbacks(task, callbacks):
    for cb in callbacks:
        try:
            cb(task)
        except Exception as er:
            Loop.call_exception_handler({"message": "Exception in callback", "exception": er, "future": task})


def _schedule_done_callbacks(task):
    create_task(_run_done_callbacks(task, _eventio.take_done_callbacks(task)))


_eventio.set_callbacks_hook(_schedule_done_callbacks)
