# On the Pico: eventio.pin_flag owns the GPIO interrupt's vector while it owns a pin
# (micropython-port/ports/rp2/port_rp2.c).  Edges on its pin reach the waiting task, and
# machine.Pin.irq on another pin still runs (the vector passes the other pins' interrupts on to
# machine.Pin's handler), with the runner driving both pins at once.  The test after this one
# (pico_pin_irq_after.py) checks that machine.Pin.irq works after the soft reset between them,
# which gives the vector back.  Last, a pin whose flag is gone is given back at its next edge,
# so that machine.Pin.irq on it works again.  Run by make test-pico.
try:
    import gc
    import time
    import eventio
    import asyncio
    from machine import Pin

    eventio.pin_flag
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit

EDGES = 20
flag_pin = Pin(14, Pin.IN, Pin.PULL_DOWN)
irq_pin = Pin(13, Pin.IN, Pin.PULL_DOWN)
irq_edges = [0]


def on_edge(pin):
    irq_edges[0] += 1


irq_pin.irq(on_edge, Pin.IRQ_RISING, hard=True)
flag = eventio.pin_flag(flag_pin, Pin.IRQ_RISING)


async def main():
    # One edge per 1.6 ms on each pin (plus the runner's offsets): now and then both are
    # pending in one interrupt.
    print("@pico pulse 14 %d 200000" % EDGES)
    print("@pico pulse 13 %d 200000" % EDGES)
    got = 0
    while got < EDGES:
        await flag.wait()
        got += 1
    for _ in range(100):
        if irq_edges[0] >= EDGES:
            break
        await asyncio.sleep_ms(5)
    print("pin_flag edges", got)
    print("Pin.irq edges", irq_edges[0])


asyncio.run(main())
irq_pin.irq(None)


# A pin whose flag is collected: its next edge finds the flag gone and gives the pin back.
def drop_flag():
    eventio.pin_flag(Pin(12, Pin.IN, Pin.PULL_DOWN), Pin.IRQ_RISING)


drop_flag()
gc.collect()
print("@pico pulse 12 1 200000")
time.sleep_ms(5)
dropped_edges = [0]


def on_dropped(pin):
    dropped_edges[0] += 1


Pin(12).irq(on_dropped, Pin.IRQ_RISING, hard=True)
print("@pico pulse 12 5 200000")
time.sleep_ms(20)
Pin(12).irq(None)
print("Pin.irq edges on the dropped flag's pin", dropped_edges[0])
