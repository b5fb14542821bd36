# MicroPython 1.26+ (its fix "early exit of asyncio scheduler"): run_until_complete(t) wakes
# the tasks awaiting t before it returns, so a later run goes on with them.  Stock 1.25 differs
# (its second run returned early, t1 never woken), so this prints SKIP there.
import sys

try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit
try:
    import eventio
except ImportError:
    if sys.implementation.name == "micropython" and sys.implementation.version < (1, 26):
        print("SKIP")
        raise SystemExit


async def worker(name, before):
    if before is not None:
        print(name, "awaited", await before)
    await asyncio.sleep_ms(5)
    print(name, "done")
    return name


loop = asyncio.get_event_loop()
t0 = loop.create_task(worker("t0", None))
t1 = loop.create_task(worker("t1", t0))
t2 = loop.create_task(worker("t2", t1))
print("first run:", loop.run_until_complete(t0))
print("t1 woken, not yet run:", t1.done())
print("second run:", loop.run_until_complete(t2))
