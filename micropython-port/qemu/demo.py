# eventio on the mps2-an385 board: tasks printing at different rates, one task echoing what
# arrives on UART0 (it awaits the receive interrupt, no polling), a timer-interrupt flag, and
# the loop's statistics.  Type a line and Enter; "quit" ends the demo.
import asyncio
import sys
import time

import board
import eventio


async def ticker(name, ms, stop):
    n = 0
    while not stop.is_set():
        await asyncio.sleep_ms(ms)
        n += 1
        print("%6d ms  %s #%d" % (time.ticks_ms() - T0, name, n))


async def echo(stop):
    # sys.stdin is UART0: the task waits in the core's io list, and the UART receive
    # interrupt ends the board's WFI; one byte at a time, so a read never blocks.
    reader = asyncio.StreamReader(sys.stdin)
    line = ""
    while True:
        c = await reader.read(1)
        if c in ("\r", "\n"):
            if line:
                print("%6d ms  echo: %s" % (time.ticks_ms() - T0, line))
                if line == "quit":
                    stop.set()
                    return
            line = ""
        else:
            line += c


async def irq_events(stop):
    flag = asyncio.ThreadSafeFlag()
    board.timer_flag(flag, 700000, True)  # TIMER0's interrupt sets the flag every 0.7 s
    n = 0
    while not stop.is_set():
        await flag.wait()
        n += 1
        print("%6d ms  timer interrupt event #%d" % (time.ticks_ms() - T0, n))
    board.timer_flag(flag, 0)


async def main():
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(ticker("fast (250 ms)", 250, stop)),
        asyncio.create_task(ticker("slow (1 s)", 1000, stop)),
        asyncio.create_task(irq_events(stop)),
    ]
    await echo(stop)
    await asyncio.gather(*tasks)


T0 = time.ticks_ms()
board.reset_counts()
asyncio.run(main())
s = eventio.stats()
awake, asleep = s["ms_awake"], s["ms_asleep"]
print("load: %.2f%% awake (%d ms awake, %d ms asleep in WFI)"
      % (100 * awake / max(1, awake + asleep), awake, asleep))
print("switches %d, idle waits %d, wake-ups %d, posts %d" % (s["switches"], s["idle_waits"], s["wakeups"], s["posts"]))
print("interrupts (uart0_rx, timer0, timer1_wrap, deadline):", board.irq_counts(), "WFIs:", board.wfi_count())
