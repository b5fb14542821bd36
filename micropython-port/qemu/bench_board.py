# Figures of an asyncio implementation on the board, printed as "RESULT name value" lines.
# Runs unchanged on our firmware (eventio) and on the stock one; run it under QEMU with
# -icount shift=0 (qemu_bench.py does), so that 1 ns of virtual time = 1 instruction and one
# board.ticks() (25 MHz) = 40 instructions.
import asyncio
import gc
import time

import board

try:
    import eventio
except ImportError:
    eventio = None

INSN_PER_TICK = 1000 // board.TICKS_PER_US  # 40


def result(name, value):
    print("RESULT", name, value)


# ---- One `await asyncio.sleep_ms(0)`, with 1 and 100 tasks -----------------------------------

SWITCHES = 20000


async def spinner(n):
    for _ in range(n):
        await asyncio.sleep_ms(0)


async def switch_bench(ntasks):
    per_task = SWITCHES // ntasks
    tasks = [asyncio.create_task(spinner(per_task)) for _ in range(ntasks)]
    await asyncio.sleep_ms(0)  # every task has started
    t0 = board.ticks()
    for t in tasks:
        await t
    dt = board.ticks() - t0
    result("switch_%d" % ntasks, dt * INSN_PER_TICK // (per_task * ntasks))


for n in (1, 100):
    asyncio.run(switch_bench(n))

# ---- Timer interrupt -> the task waiting for it resumes ---------------------------------------

SAMPLES = 1000
PERIOD_US = 500


async def latency_bench():
    flag = asyncio.ThreadSafeFlag()
    lat = []
    if eventio:
        board.timer_flag(flag, PERIOD_US, True)  # the ISR posts the flag (eio_post)
    else:
        board.timer_callback(lambda _: flag.set(), PERIOD_US, True)  # ISR schedules set()
    await flag.wait()  # skip the first
    for _ in range(SAMPLES):
        await flag.wait()
        now = board.ticks()
        lat.append(now - board.timer0_stamp())
    if eventio:
        board.timer_flag(flag, 0)
    else:
        board.timer_callback(None, 0)
    lat.sort()
    result("irq_p50", lat[len(lat) // 2] * INSN_PER_TICK)
    result("irq_p99", lat[len(lat) * 99 // 100] * INSN_PER_TICK)
    result("irq_max", lat[-1] * INSN_PER_TICK)


asyncio.run(latency_bench())

# ---- Issue 12: the same, while 100 level-0 tasks are ready ------------------------------------
#
# 100 tasks spin on `await asyncio.sleep_ms(0)` at level 0; one task at level 3 waits on the
# flag TIMER0's interrupt sets (stock has no levels: its task is created normally, and its ISR
# schedules flag.set() as above). TIMER0 is one-shot, re-armed by the woken task with a period
# that varies over 200..499 us, so that the interrupt lands at every point of a spinner's turn,
# and so that a slow wake-up (stock: behind a round of 100 switches) is timed from its own
# interrupt, not from a later one that overwrote the stamp.

NSPIN = 100
spinning = True


async def busy():
    while spinning:
        await asyncio.sleep_ms(0)


async def prio_waiter(flag, lat):
    arm = board.timer_flag if eventio else (lambda f, p: board.timer_callback(lambda _: f.set(), p))
    for i in range(SAMPLES + 1):
        arm(flag, 200 + i * 37 % 300)
        await flag.wait()
        now = board.ticks()
        if i:  # skip the first
            lat.append(now - board.timer0_stamp())


async def prio_bench():
    global spinning
    spinning = True
    flag = asyncio.ThreadSafeFlag()
    lat = []
    spinners = [asyncio.create_task(busy()) for _ in range(NSPIN)]
    await asyncio.sleep_ms(0)  # every spinner has started
    if eventio:
        w = asyncio.create_task(prio_waiter(flag, lat), priority=3)
    else:
        w = asyncio.create_task(prio_waiter(flag, lat))
    await w
    spinning = False
    for t in spinners:
        await t
    if eventio:
        board.timer_flag(flag, 0)
    else:
        board.timer_callback(None, 0)
    lat.sort()
    result("prio_p50", lat[len(lat) // 2] * INSN_PER_TICK)
    result("prio_p99", lat[len(lat) * 99 // 100] * INSN_PER_TICK)
    result("prio_max", lat[-1] * INSN_PER_TICK)


asyncio.run(prio_bench())

# ---- Heap per sleeping task -------------------------------------------------------------------

NTASKS = 500


async def sleeper():
    await asyncio.sleep_ms(100000)


async def heap_bench():
    gc.collect()
    before = gc.mem_free()
    # No list: the loop alone holds the tasks (task object + coroutine + its frame).
    for _ in range(NTASKS):
        asyncio.create_task(sleeper())
    await asyncio.sleep_ms(0)  # every task is now asleep
    gc.collect()
    result("heap_per_task", (before - gc.mem_free()) // NTASKS)


asyncio.run(heap_bench())

# ---- InterruptQueue: TIMER0's ISR puts 0 .. n-1 (eventio only) -------------------------------

IRQQ_N = 1000
IRQQ_PERIOD_US = 100  # 10 kHz


async def irqq_bench():
    q = eventio.InterruptQueue(16)
    eventio.test_source(q, IRQQ_N, IRQQ_PERIOD_US)
    in_order = 0
    for i in range(IRQQ_N):
        if await q.get() == i:
            in_order += 1
    result("irqq_in_order", "%d/%d" % (in_order, IRQQ_N))
    result("irqq_overflows", q.overflows)


if eventio:
    asyncio.run(irqq_bench())
