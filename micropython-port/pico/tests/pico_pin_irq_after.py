# On the Pico, after pico_pin_flag.py and the soft reset between them: machine.Pin.irq works
# (the soft reset gave IO_IRQ_BANK0's vector back to the pico-sdk's chain before machine.Pin
# registered its handler again; see micropython-port/ports/rp2/port_rp2.c).  Run by make
# test-pico, on stock too.
try:
    from machine import Pin
    import time
except ImportError:
    print("SKIP")
    raise SystemExit

edges = [0]


def on_edge(pin):
    edges[0] += 1


pin = Pin(14, Pin.IN, Pin.PULL_DOWN)
pin.irq(on_edge, Pin.IRQ_RISING, hard=True)
print("@pico pulse 14 10 200000")
for _ in range(100):
    if edges[0] >= 10:
        break
    time.sleep_ms(5)
pin.irq(None)
print("Pin.irq edges", edges[0])
