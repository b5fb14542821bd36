# CPython's asyncio primitives beyond MicroPython's asyncio (docs/primitives.md).
#
# Queue, Semaphore, BoundedSemaphore and Condition are native (_eventio_sync): a wait on them
# allocates nothing.  This file adds what is naturally Python: Condition.wait_for, Barrier,
# TaskGroup, timeout/timeout_at, wait, as_completed, shield, get_running_loop and the Loop's
# call_soon/call_later/call_at/time.  They are built on _eventio's internal primitives: park
# and wake(task), raised(task) and value(task), cancel(task, exc, only_if_idle), and each task's
# add_done_callback list.
import _eventio
import _eventio_sync
from _eventio import CancelledError, TimeoutError, create_task, current_task, sleep
from _eventio_sync import Queue

from . import Loop
from . import _promote_to_task as _promote
from . import wait_for as _wait_for

import time as _utime


# ---- Waiting for tasks from Python ------------------------------------------------------------


class _Notify:
    # Parks the task that made it until wake() (or a timeout: an alarm on the core's timer
    # queue wakes it, no helper task).
    def __init__(self):
        self.task = current_task()
        self.parked = False
        self.alarm = None

    def wake(self, *_):
        if self.parked:
            self.parked = False
            _eventio.wake(self.task)

    async def park(self, timeout=None):
        alarm = None
        if timeout is not None:
            alarm = self.alarm
            if alarm is None:
                alarm = self.alarm = _eventio.Alarm()
            alarm.arm(self.task, int(timeout * 1000))
        self.parked = True
        try:
            await _eventio.park
        finally:
            self.parked = False
            if alarm is not None:
                alarm.disarm()
        return alarm is None or not alarm.fired()


def _on_done(t, fn):
    # Call fn(t) soon after `t` finishes; False if it has finished already.  Through the task's
    # add_done_callback list, as CPython's helpers do: it takes any number of callbacks, beside
    # a gather's or an awaiting task's, and each is removed again with remove_done_callback(fn).
    # (gather's own slot, set_done_callback, is exclusive: stock's "can't gather" semantics.)
    if t.done():
        return False
    t.add_done_callback(fn)
    return True


# ---- Condition, Barrier -----------------------------------------------------------------------


class Condition(_eventio_sync.Condition):
    async def wait_for(self, predicate):
        result = predicate()
        while not result:
            await self.wait()
            result = predicate()
        return result


class BrokenBarrierError(RuntimeError):
    pass


_FILLING, _DRAINING, _RESETTING, _BROKEN = "filling", "draining", "resetting", "broken"


class Barrier:
    # CPython's Barrier, over a native Condition.
    def __init__(self, parties):
        if parties < 1:
            raise ValueError("parties must be > 0")
        self._cond = Condition()
        self._parties = parties
        self._state = _FILLING
        self._count = 0

    async def __aenter__(self):
        return await self.wait()

    async def __aexit__(self, *args):
        pass

    async def wait(self):
        async with self._cond:
            await self._block()
            try:
                index = self._count
                self._count += 1
                if index + 1 == self._parties:
                    self._state = _DRAINING
                    self._cond.notify_all()
                else:
                    await self._cond.wait_for(lambda: self._state != _FILLING)
                    if self._state in (_BROKEN, _RESETTING):
                        raise BrokenBarrierError("Abort or reset of barrier")
                return index
            finally:
                self._count -= 1
                if self._count == 0:
                    if self._state in (_RESETTING, _DRAINING):
                        self._state = _FILLING
                    self._cond.notify_all()

    async def _block(self):
        await self._cond.wait_for(lambda: self._state not in (_DRAINING, _RESETTING))
        if self._state == _BROKEN:
            raise BrokenBarrierError("Barrier aborted")

    async def reset(self):
        async with self._cond:
            if self._count > 0:
                self._state = _RESETTING
            else:
                self._state = _FILLING
            self._cond.notify_all()

    async def abort(self):
        async with self._cond:
            self._state = _BROKEN
            self._cond.notify_all()

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        return self._count if self._state == _FILLING else 0

    @property
    def broken(self):
        return self._state == _BROKEN


# ---- TaskGroup --------------------------------------------------------------------------------


def _group_init(self, message, exceptions):
    self.message = message
    self.exceptions = tuple(exceptions)


def _group_str(self):
    n = len(self.exceptions)
    return "%s (%d sub-exception%s)" % (self.message, n, "" if n == 1 else "s")


# MicroPython has no exception groups: TaskGroup raises these stand-ins, with CPython's message,
# str() and `exceptions`.  There is no `except*`: catch the group and look inside.  (Unlike
# CPython's, ExceptionGroup is not a subclass of BaseExceptionGroup here.)
class BaseExceptionGroup(BaseException):
    def __init__(self, message, exceptions):
        super().__init__(message, exceptions)
        _group_init(self, message, exceptions)

    __str__ = _group_str


class ExceptionGroup(Exception):
    def __init__(self, message, exceptions):
        super().__init__(message, exceptions)
        _group_init(self, message, exceptions)

    __str__ = _group_str


def _group(message, errors):
    for e in errors:
        if not isinstance(e, Exception):
            return BaseExceptionGroup(message, errors)
    return ExceptionGroup(message, errors)


class TaskGroup:
    def __init__(self):
        self._entered = False
        self._exiting = False
        self._aborting = False
        self._parent = None
        self._parent_cancel_requested = False
        self._cancel_exc = None
        self._tasks = []
        self._errors = []
        self._base_error = None
        self._waiter = None

    def __repr__(self):
        return "<TaskGroup tasks=%d>" % len(self._tasks)

    async def __aenter__(self):
        if self._entered:
            raise RuntimeError("TaskGroup %r has been already entered" % self)
        self._entered = True
        self._parent = current_task()
        return self

    async def __aexit__(self, et, exc, tb):
        self._exiting = True
        propagate_cancel = None
        if exc is not None and self._is_base_error(exc) and self._base_error is None:
            self._base_error = exc
        if et is not None:
            if issubclass(et, CancelledError):
                if not (self._parent_cancel_requested and exc is self._cancel_exc):
                    propagate_cancel = exc
            if not self._aborting:
                self._abort()
        while self._tasks:
            self._waiter = _Notify()
            try:
                await self._waiter.park()
            except CancelledError as ex:
                if not self._aborting:
                    propagate_cancel = ex
                    self._abort()
            self._waiter = None
        if self._base_error is not None:
            raise self._base_error
        if propagate_cancel is not None and not self._errors:
            raise propagate_cancel
        if et is not None and not issubclass(et, CancelledError):
            self._errors.append(exc)
        if self._errors:
            errors = self._errors
            self._errors = None
            raise _group("unhandled errors in a TaskGroup", errors)

    def create_task(self, coro, *, name=None, context=None):
        if not self._entered:
            raise RuntimeError("TaskGroup %r has not been entered" % self)
        if self._exiting and not self._tasks:
            raise RuntimeError("TaskGroup %r is finished" % self)
        if self._aborting:
            raise RuntimeError("TaskGroup %r is shutting down" % self)
        t = create_task(coro, name=name)
        self._tasks.append(t)
        _on_done(t, self._on_task_done)
        return t

    @staticmethod
    def _is_base_error(exc):
        return isinstance(exc, (SystemExit, KeyboardInterrupt))

    def _abort(self):
        self._aborting = True
        for t in self._tasks:
            if not t.done():
                t.cancel()

    def _on_task_done(self, t):
        self._tasks.remove(t)
        if self._waiter is not None and not self._tasks:
            self._waiter.wake()
        if not _eventio.raised(t) or t.cancelled():
            return
        exc = _eventio.value(t)
        self._errors.append(exc)
        if self._is_base_error(exc) and self._base_error is None:
            self._base_error = exc
        if not self._aborting and not self._parent_cancel_requested:
            self._abort()
            self._parent_cancel_requested = True
            if not self._exiting:
                self._cancel_exc = CancelledError()
                _eventio.cancel(self._parent, self._cancel_exc, True)


# ---- timeout ------------------------------------------------------------------------------------


# asyncio.timeout(delay) / timeout_at(when): when the deadline passes, the task in the block
# is cancelled and the block raises TimeoutError.  Native (_eventio.Timeout): its deadline is
# its own alarm on the core's timer queue, which cancels the task itself (no helper task), and
# entering and leaving the block allocate nothing.
Timeout = _eventio.Timeout
timeout = _eventio.timeout


def timeout_at(when):
    return Timeout(when)


# ---- wait, as_completed, shield ---------------------------------------------------------------

FIRST_COMPLETED = "FIRST_COMPLETED"
FIRST_EXCEPTION = "FIRST_EXCEPTION"
ALL_COMPLETED = "ALL_COMPLETED"


def _failed(t):
    return _eventio.raised(t) and not t.cancelled()


async def wait(fs, *, timeout=None, return_when=ALL_COMPLETED):
    if not fs:
        raise ValueError("Set of Tasks/Futures is empty.")
    if return_when not in (FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED):
        raise ValueError("Invalid return_when value: %s" % return_when)
    fs = set(_promote(f) for f in fs)
    n = _Notify()

    def finished():
        done = [t for t in fs if t.done()]
        if return_when == FIRST_COMPLETED:
            return done
        if return_when == FIRST_EXCEPTION:
            for t in done:
                if _failed(t):
                    return True
        return len(done) == len(fs)

    wake = n.wake  # one object, to remove it again
    registered = [t for t in fs if _on_done(t, wake)]
    deadline = None if timeout is None else _time() + timeout
    try:
        while not finished():
            if deadline is None:
                await n.park()
            elif not await n.park(max(deadline - _time(), 0)):
                break
    finally:
        for t in registered:
            t.remove_done_callback(wake)
    done = set(t for t in fs if t.done())
    return done, fs - done


def as_completed(fs, *, timeout=None):
    todo = set(_promote(f) for f in set(fs))
    finished = Queue()
    deadline = None if timeout is None else _time() + timeout

    def on_done(t):
        finished.put_nowait(t)

    for t in todo:
        if not _on_done(t, on_done):
            finished.put_nowait(t)

    async def next_done():
        if deadline is None:
            t = await finished.get()
        else:
            t = await _wait_for(finished.get(), max(deadline - _time(), 0))
        if _eventio.raised(t):
            raise _eventio.value(t)
        return _eventio.value(t)

    for _ in range(len(todo)):
        yield next_done()


async def shield(aw):
    inner = _promote(aw)
    if not inner.done():
        n = _Notify()
        wake = n.wake  # one object, to remove it again
        if _on_done(inner, wake):
            try:
                await n.park()  # a cancel ends this wait, not the inner task
            except CancelledError:
                # Leave the inner task as it was: running, and awaitable by others.
                inner.remove_done_callback(wake)
                raise
    if _eventio.raised(inner):
        raise _eventio.value(inner)
    return _eventio.value(inner)


# ---- The loop -----------------------------------------------------------------------------------


def get_running_loop():
    current_task()  # RuntimeError("no running event loop") outside a task
    return Loop


class Handle:
    # A callback on the core's queues (an alarm that calls, no task): it runs once, in the
    # turn a helper task created now would call it: its first (call_soon), or the end of its
    # sleep (call_later, call_at).
    def __init__(self, callback, args, ms):
        self._callback = callback
        self._args = args
        self._cancelled = False
        self._alarm = _eventio.Alarm()
        self._alarm.call(ms, _run_handle, self)

    def cancel(self):
        if not self._cancelled:
            self._cancelled = True
            self._alarm.disarm()

    def cancelled(self):
        return self._cancelled


class TimerHandle(Handle):
    def __init__(self, callback, args, ms, when):
        super().__init__(callback, args, ms)
        self._when = when

    def when(self):
        return self._when


def _run_handle(h):
    # One that raises goes to the loop's exception handler; the loop goes on.
    try:
        h._callback(*h._args)
    except CancelledError:
        pass
    except Exception as er:
        Loop.call_exception_handler({"message": "Exception in callback", "exception": er, "handle": h})


def _time():
    return _time_ms() / 1000


_time_ms = _utime.ticks_ms


def _call_soon(callback, *args, context=None):
    return Handle(callback, args, -1)


def _call_later(delay, callback, *args, context=None):
    return TimerHandle(callback, args, int(max(delay, 0) * 1000), _time() + delay)


def _call_at(when, callback, *args, context=None):
    return TimerHandle(callback, args, int(max(when - _time(), 0) * 1000), when)
