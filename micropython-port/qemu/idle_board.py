# Idle: every task waits 10 s for a deadline or for an interrupt event that does not come,
# then 10 s with one timer interrupt event per second.  Counts interrupts and WFIs taken by
# the board, and (eventio) the time the loop spent asleep.  "RESULT name value" lines.
import asyncio
import time

import board

try:
    import eventio
except ImportError:
    eventio = None


def result(name, value):
    print("RESULT", name, value)


def snapshot():
    s = eventio.stats() if eventio else None
    return board.irq_counts(), board.wfi_count(), s


def report(tag, before, after):
    (_, wfi0, s0), (irqs, wfi1, s1) = before, after
    uart, timer0, wrap, deadline = irqs
    result(tag + "_irqs", sum(irqs))
    result(tag + "_irq_deadline", deadline)
    result(tag + "_irq_timer0", timer0)
    result(tag + "_wfi", wfi1 - wfi0)
    if s0:
        asleep = s1["ms_asleep"] - s0["ms_asleep"]
        awake = s1["ms_awake"] - s0["ms_awake"]
        result(tag + "_wakeups", s1["wakeups"] - s0["wakeups"])
        result(tag + "_asleep_permille", asleep * 1000 // max(1, asleep + awake))
        result(tag + "_ms_asleep", asleep)
        result(tag + "_ms_awake", awake)


async def sleeper(ms):
    await asyncio.sleep_ms(ms)


async def flag_waiter(flag):
    await flag.wait()


async def idle_all_waiting():
    flag = asyncio.ThreadSafeFlag()  # nobody sets it
    tasks = [asyncio.create_task(sleeper(10000)) for _ in range(5)]
    tasks += [asyncio.create_task(flag_waiter(flag)) for _ in range(5)]
    await asyncio.sleep_ms(0)
    board.reset_counts()
    before = snapshot()
    t0 = time.ticks_ms()
    await tasks[0]  # the deadline, 10 s away
    result("idle_ms", time.ticks_diff(time.ticks_ms(), t0))
    report("idle", before, snapshot())
    for t in tasks:
        t.cancel()


async def one_event_per_second():
    flag = asyncio.ThreadSafeFlag()
    if eventio:
        board.timer_flag(flag, 1000000, True)
    else:
        board.timer_callback(lambda _: flag.set(), 1000000, True)
    board.reset_counts()
    before = snapshot()
    for _ in range(10):
        await flag.wait()
    report("events10", before, snapshot())
    if eventio:
        board.timer_flag(flag, 0)
    else:
        board.timer_callback(None, 0)


asyncio.run(idle_all_waiting())
asyncio.run(one_event_per_second())
