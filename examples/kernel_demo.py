# The eventio kernel API, as a user of the original Event IO design knows it: tasks blinking
# (printing) at different rates, one task waiting on an interrupt event, and the kernel's load
# average at the end.  On unix the "interrupt" is a native thread posting through the same C
# ABI an interrupt handler uses (on a board: a pin or timer IRQ).
import eventio


async def blink(name, period, times):
    for i in range(times):
        print("%5.2f s  %s" % (kernel.uptime(), name))
        await eventio.sleep(period)


async def on_interrupt(irq, count):
    for i in range(count):
        await irq.wait()
        print("%5.2f s  interrupt %d handled" % (kernel.uptime(), i + 1))


async def main():
    global kernel
    kernel = await eventio.get_kernel()
    irq = eventio.InterruptEvent()
    handler = await eventio.spawn(on_interrupt, irq, 3)
    eventio.test_source(irq, 3, 300000)  # three interrupts, 0.3 s apart
    fast = await eventio.spawn(blink, "fast led", 0.2, 5)
    slow = await eventio.spawn(blink, "slow led", 0.5, 2)
    for t in (fast, slow, handler):
        await t.join()
    print("load average: %.1f%% of the time awake" % kernel.load_average())


eventio.run(main)
