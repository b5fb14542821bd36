# Idle check: a 10 s time.sleep_ms() must cost the board one deadline interrupt and the host
# (QEMU) next to no CPU. Then the same with stock asyncio, whose idle goes through select.poll.
# Run with qemu_run.py --cpu (make idle-qemu-stock).
import asyncio
import time

import board


def report(what, t0):
    uart, timer0, wrap, deadline = board.irq_counts()
    print("%s: slept %d ms, irq_count %d (uart0_rx %d, timer0 %d, timer1_wrap %d, deadline %d),"
          " wfi_count %d" % (what, time.ticks_diff(time.ticks_ms(), t0), board.irq_count(),
                             uart, timer0, wrap, deadline, board.wfi_count()))


board.reset_counts()
t0 = time.ticks_ms()
time.sleep_ms(10000)
report("time.sleep_ms(10000)", t0)


async def main():
    await asyncio.sleep_ms(10000)


board.reset_counts()
t0 = time.ticks_ms()
asyncio.run(main())
report("asyncio.sleep_ms(10000)", t0)
