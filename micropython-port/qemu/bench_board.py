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
