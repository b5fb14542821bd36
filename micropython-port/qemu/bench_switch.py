# Cost of one `await asyncio.sleep_ms(0)` task switch, with 1 and with 100 tasks.
#
# Run under QEMU with `-icount shift=0` (qemu_run.py --icount): virtual time then advances
# 1 ns per instruction, so elapsed microseconds * 1000 / switches = instructions per switch.
import asyncio
import time

SWITCHES = 20000


async def spinner(n):
    for _ in range(n):
        await asyncio.sleep_ms(0)


async def bench(ntasks):
    per_task = SWITCHES // ntasks
    tasks = [asyncio.create_task(spinner(per_task)) for _ in range(ntasks)]
    # Let every task start (and allocate its first wait) before timing.
    await asyncio.sleep_ms(0)
    t0 = time.ticks_us()
    for t in tasks:
        await t
    dt = time.ticks_diff(time.ticks_us(), t0)
    n = per_task * ntasks
    print("tasks %3d: %d switches in %d us -> %d insns/switch (with -icount shift=0)"
          % (ntasks, n, dt, dt * 1000 // n))


asyncio.run(bench(1))
asyncio.run(bench(100))
