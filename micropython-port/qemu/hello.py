# Smoke test for run-qemu-stock: time, asyncio, and the board counters.
import asyncio
import sys
import time

import board


async def ticker(name, period_ms, n):
    for i in range(n):
        print(name, i, time.ticks_ms())
        await asyncio.sleep_ms(period_ms)


async def main():
    await asyncio.gather(ticker("a", 20, 3), ticker("b", 30, 2))


print("hello from", sys.implementation._machine)
asyncio.run(main())
print("irq_counts (uart0_rx, timer0, timer1_wrap, deadline):", board.irq_counts())
print("wfi_count:", board.wfi_count())
