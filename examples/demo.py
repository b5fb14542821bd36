# A first look at eventio: asyncio tasks sleeping, waking and finishing on eventio's loop.
# Run it with `make run` (or build/micropython examples/demo.py).
import asyncio
import eventio
import time


async def blink(name, period_ms, times):
    for i in range(times):
        await asyncio.sleep_ms(period_ms)
        print("%6d ms  %s blinks (%d/%d)" % (time.ticks_diff(time.ticks_ms(), t0), name, i + 1, times))
    return name


async def waiter(ev):
    print("         waiter waits for the event")
    await ev.wait()
    print("%6d ms  waiter woke up: event set" % time.ticks_diff(time.ticks_ms(), t0))


async def main():
    ev = asyncio.Event()
    w = asyncio.create_task(waiter(ev))
    done = await asyncio.gather(blink("fast", 100, 5), blink("slow", 250, 2))
    ev.set()
    await w
    print("finished:", done)


print("eventio", eventio.__version__, "runs this program's asyncio loop")
t0 = time.ticks_ms()
asyncio.run(main())
s = eventio.stats()
print(
    "task switches: %d, idle waits: %d, asleep %d ms of %d ms"
    % (s["switches"], s["idle_waits"], s["ms_asleep"], s["ms_asleep"] + s["ms_awake"])
)
