# Figures of an asyncio implementation on the emulated Pico, for `make bench-pico`.  Runs
# unchanged on our firmware (eventio) and on stock MicroPython, through
# micropython-port/pico/runner/picorun.ts, which steps the emulated core itself and counts
# cycles: the script marks moments ("@pico mark"), has the runner drive GPIO edges into GP14
# ("@pico pulse") and measures, from the pin changes it observes, how long after each edge the
# waiting task toggled GP15 ("@pico latency").  Results are "RESULT name value" lines.
import asyncio
import gc
import micropython
from machine import Pin

try:
    import eventio
except ImportError:
    eventio = None


def result(name, value):
    print("RESULT", name, value)


def mark(name):
    print("@pico mark", name)


# ---- One `await asyncio.sleep(0)`, with 1 and 100 tasks -----------------------------------

SWITCHES = 2000


async def spinner(n):
    for _ in range(n):
        await asyncio.sleep(0)


async def switch_bench(ntasks):
    per_task = SWITCHES // ntasks
    tasks = [asyncio.create_task(spinner(per_task)) for _ in range(ntasks)]
    await asyncio.sleep(0)  # every task has started
    mark("sw%d_a" % ntasks)
    for t in tasks:
        await t
    mark("sw%d_b" % ntasks)
    print("@pico report sw%d sw%d_a sw%d_b" % (ntasks, ntasks, ntasks))
    result("switch_n_%d" % ntasks, per_task * ntasks)


for n in (1, 100):
    asyncio.run(switch_bench(n))

# ---- GPIO rising edge -> the task waiting for it toggles GP15 --------------------------------
#
# The runner drives EDGES rising edges into GP14, one per PERIOD cycles plus a pseudo-random
# offset; a `Pin.irq(hard=True)` handler sets a ThreadSafeFlag; the task waiting on it toggles
# GP15.  The runner measures edge -> toggle.  A budget bounds the wait, so a lost wake-up shows
# as missed edges instead of a hang.

EDGES = 1000
PERIOD = 200_000  # cycles: 1.6 ms
IN_PIN, OUT_PIN = 14, 15


async def toggler(flag, out, n):
    toggle = out.toggle  # the bound method, looked up once: the task's response is one call
    for _ in range(n):
        await flag.wait()
        toggle()


async def edge_bench(name, irq_setup):
    inp = Pin(IN_PIN, Pin.IN, Pin.PULL_DOWN)
    out = Pin(OUT_PIN, Pin.OUT, value=0)
    flag = irq_setup(inp)
    t = asyncio.create_task(toggler(flag, out, EDGES))
    await asyncio.sleep(0)
    mark(name + "_a")
    print("@pico pulse %d %d %d" % (IN_PIN, EDGES, PERIOD))
    try:
        await asyncio.wait_for_ms(t, (EDGES + 2) * PERIOD // 125_000 * 5 // 4 + 100)
    except asyncio.TimeoutError:
        result(name + "_timeout", 1)
    mark(name + "_b")
    inp.irq(None)
    print("@pico latency %s %d %d" % (name, IN_PIN, OUT_PIN))
    print("@pico report %s_run %s_a %s_b" % (name, name, name))


def tsf_irq(inp):
    flag = asyncio.ThreadSafeFlag()
    inp.irq(lambda p: flag.set(), Pin.IRQ_RISING, hard=True)
    return flag


asyncio.run(edge_bench("tsf", tsf_irq))

# The native GPIO source (ours only): eventio.pin_flag(pin, trigger) is a ThreadSafeFlag that
# the GPIO interrupt sets itself, without running Python.
if eventio and hasattr(eventio, "pin_flag"):

    def native_irq(inp):
        return eventio.pin_flag(inp, Pin.IRQ_RISING)

    asyncio.run(edge_bench("native", native_irq))

# ---- Idle: every task waits on a flag nobody sets or on a deadline 10 s away ------------------


async def sleeper(ms):
    await asyncio.sleep_ms(ms)


async def flag_waiter(flag):
    await flag.wait()


async def idle_bench():
    flag = asyncio.ThreadSafeFlag()
    tasks = [asyncio.create_task(sleeper(10_000)) for _ in range(5)]
    tasks += [asyncio.create_task(flag_waiter(flag)) for _ in range(5)]
    await asyncio.sleep(0)
    mark("idle_a")
    await tasks[0]
    mark("idle_b")
    print("@pico report idle idle_a idle_b")
    for t in tasks:
        t.cancel()
    await asyncio.sleep(0)


asyncio.run(idle_bench())

# ---- Heap per sleeping task; allocation per switch and per flag wait ------------------------

NTASKS = 200


async def heap_bench():
    gc.collect()
    before = gc.mem_free()
    # No list: the loop alone holds the tasks (task object + coroutine + its frame).
    for _ in range(NTASKS):
        asyncio.create_task(sleeper(100_000))
    await asyncio.sleep(0)  # every task is now asleep
    gc.collect()
    result("heap_per_task", (before - gc.mem_free()) // NTASKS)


async def alloc_switch(n):
    # Bytes taken from the heap per `await asyncio.sleep(0)`, with the collector off.
    gc.collect()
    gc.disable()
    before = gc.mem_free()
    for _ in range(n):
        await asyncio.sleep(0)
    taken = before - gc.mem_free()
    gc.enable()
    result("alloc_per_switch", taken // n)
    micropython.heap_lock()
    try:
        for _ in range(n):
            await asyncio.sleep(0)
        ok = 1
    except MemoryError:
        ok = 0
    micropython.heap_unlock()
    result("heap_lock_switch_ok", ok)


async def flag_setter(flag, n):
    for _ in range(n):
        flag.set()
        await asyncio.sleep(0)


async def alloc_flag(n):
    # Bytes per ThreadSafeFlag wait + wake-up (set by another task, as an ISR would).
    flag = asyncio.ThreadSafeFlag()
    setter = asyncio.create_task(flag_setter(flag, 10 * n))
    await flag.wait()
    gc.collect()
    gc.disable()
    before = gc.mem_free()
    for _ in range(n):
        await flag.wait()
    taken = before - gc.mem_free()
    gc.enable()
    result("alloc_per_flag_wait", taken // n)
    micropython.heap_lock()
    try:
        for _ in range(n):
            await flag.wait()
        ok = 1
    except MemoryError:
        ok = 0
    micropython.heap_unlock()
    result("heap_lock_flag_ok", ok)
    setter.cancel()


asyncio.run(alloc_switch(100))
asyncio.run(alloc_flag(100))
asyncio.run(heap_bench())
