# eventio.stats() shows that an asyncio program's task switches go through the Rust core.
try:
    import eventio
except ImportError:
    print("SKIP")
    raise SystemExit
import asyncio

print(type(eventio.__version__) is str and len(eventio.__version__.split(".")) == 3)


async def spin(n):
    for _ in range(n):
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(spin(100), spin(100), spin(100))


before = eventio.stats()
asyncio.run(main())
after = eventio.stats()
# 3 spinners x 100 sleeps, plus their first runs, main's runs and gather's wake-up.
print("switches >= 300:", after["switches"] - before["switches"] >= 300)
print("tasks created:", after["tasks_created"] - before["tasks_created"])
print("tasks finished:", after["tasks_finished"] - before["tasks_finished"])

# A program that sleeps is asleep, not spinning: one blocking wait per deadline.  (Asleep is
# the wait's time: the nap's 100 ms less what runs between the sleep call and the wait.)
async def nap():
    await asyncio.sleep_ms(100)


before = eventio.stats()
asyncio.run(nap())
after = eventio.stats()
print("idle waits:", after["idle_waits"] - before["idle_waits"])
print("asleep >= 45 ms:", after["ms_asleep"] - before["ms_asleep"] >= 45)
