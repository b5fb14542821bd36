# The core's alarm (what timeout(), wait(timeout=...) and wait_for's relay are built on)
# allocates nothing per timeout: with the heap locked, one Alarm object is armed again and
# again on a task waiting for an Event, disarmed when the Event comes first, and fires a
# preallocated exception into the wait when the deadline comes first; a wake alarm ends a
# park.  An allocation would raise MemoryError (eventio only: _eventio.Alarm is internal).
try:
    import asyncio
    import micropython
    import _eventio

    micropython.heap_lock
    _eventio.Alarm
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit

N = 200
WARM = 5


async def setter(ev, n, stop):
    # Sets the Event n times, each time the waiter has taken the previous set.
    for _ in range(n):
        ev.set()
        while ev.is_set() and not stop[0]:
            await asyncio.sleep(0)


async def main():
    me = asyncio.current_task()
    alarm = _eventio.Alarm()
    ev = asyncio.Event()
    late = asyncio.CancelledError()
    counts = [0, 0, 0, 0]  # event first, still pending when disarmed, timed out, woken
    stop = [False]
    for n, lock in ((WARM, False), (N, True)):
        counts[0] = counts[1] = counts[2] = counts[3] = 0
        stop[0] = False
        t = asyncio.create_task(setter(ev, n, stop))
        if lock:
            micropython.heap_lock()
        try:
            # The Event comes first: the alarm is disarmed before its deadline.
            for _ in range(n):
                alarm.arm(me, 10_000, late)
                await ev.wait()
                ev.clear()
                counts[1] += alarm.disarm()
                counts[0] += not alarm.fired()
            stop[0] = True
            # The deadline comes first (0 ms: at the next turn): the exception is thrown in.
            for _ in range(n):
                alarm.arm(me, 0, late)
                try:
                    await ev.wait()
                except asyncio.CancelledError as e:
                    counts[2] += e is late and alarm.fired() and not alarm.disarm()
            # A wake alarm ends a park.
            for _ in range(n):
                alarm.arm(me, 0)
                await _eventio.park
                counts[3] += alarm.fired()
        finally:
            if lock:
                micropython.heap_unlock()
        await t
    print("event first:", counts[0], "disarmed pending:", counts[1])
    print("timed out:", counts[2], "woken:", counts[3])


asyncio.run(main())
