# eventio on a Raspberry Pi Pico (here the emulated one, `make run-pico`): two LED tasks
# blinking at different rates (GP25, the Pico's own LED, and GP16), a task woken by a button on
# GP14 (the runner presses it: "@pico press"), and the load average, the percent of time the
# core was awake.  The button is eventio.pin_flag: the GPIO interrupt sets the flag itself, no
# Python runs in the interrupt and no task polls the pin.  After the third press it all stops.
#
# On a real Pico: wire a button from GP14 to 3V3, drop the "@pico" lines, copy this file to
# the board and run it (mpremote run demo.py).
import asyncio
import time

import eventio
from machine import Pin

LED, LED2, BUTTON = 25, 16, 14
PRESSES = 3


def now():
    return time.ticks_diff(time.ticks_ms(), T0)


async def blink(pin, half_period_ms, stop):
    led = Pin(pin, Pin.OUT, value=0)
    while not stop.is_set():
        led.toggle()
        await asyncio.sleep_ms(half_period_ms)
    led.value(0)


async def button(stop):
    pressed = eventio.pin_flag(Pin(BUTTON, Pin.IN, Pin.PULL_DOWN), Pin.IRQ_RISING)
    for n in range(1, PRESSES + 1):
        # The runner presses the button 700 ms from now, for 50 ms (virtual time).
        print("@pico press %d %d %d" % (BUTTON, 700 * 125_000, 50 * 125_000))
        await pressed.wait()
        print("%5d ms  button pressed (#%d)" % (now(), n))
    stop.set()


async def load(stop):
    kernel = await eventio.get_kernel()
    kernel.load_average()  # start a fresh window
    while not stop.is_set():
        await asyncio.sleep_ms(500)
        print("%5d ms  load average %.2f%% (awake), uptime %.1f s" % (now(), kernel.load_average(), kernel.uptime()))


async def main():
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(blink(LED, 250, stop)),  # 2 Hz
        asyncio.create_task(blink(LED2, 90, stop)),  # ~5.5 Hz
        asyncio.create_task(load(stop)),
    ]
    await button(stop)
    await asyncio.gather(*tasks)
    s = eventio.stats()
    print("%5d ms  done: %d task switches, %d idle waits, %d ms asleep, %d ms awake" % (
        now(), s["switches"], s["idle_waits"], s["ms_asleep"], s["ms_awake"]))


T0 = time.ticks_ms()
eventio.run(main)
# The pins, as the runner saw them (GP14 driven by the runner, GP25/GP16 by the LED tasks).
print("@pico timeline %d %d %d" % (BUTTON, LED, LED2))
