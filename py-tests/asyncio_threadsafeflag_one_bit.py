# A ThreadSafeFlag is one bit, as stock's: sets made before a wait() consumes the flag count
# as one, however they fell between the loop's turns (one delivered while nobody waited, the
# next still pending; or one set after the waiter was woken and before it ran).  Each case
# then waits again, and a second task, some turns later, tells whether that wait returned
# at once (a set counted twice) or still waits.
import asyncio


async def wait_twice(flag, log, sets):
    await sets(flag)
    await flag.wait()
    log.append("first wait returns")
    await flag.wait()
    log.append("second wait returns")


async def set_yield_set(flag):
    # The first set is delivered (no waiter: the flag stays set), the second is not yet.
    flag.set()
    await asyncio.sleep(0)
    flag.set()


async def set_set(flag):
    flag.set()
    flag.set()


async def nothing(flag):
    pass


async def case(name, sets, setter=None):
    log = []
    flag = asyncio.ThreadSafeFlag()
    t = asyncio.create_task(wait_twice(flag, log, sets))
    if setter:
        await setter(flag)
    for _ in range(6):
        await asyncio.sleep(0)
    print(name, log, "waiting" if not t.done() else "finished")
    flag.set()
    for _ in range(3):
        await asyncio.sleep(0)
    print(name, log, t.done())


async def woken_then_set(flag):
    # The waiter waits; a set wakes it; another set before it runs.
    await asyncio.sleep(0)
    flag.set()
    await asyncio.sleep(0)
    flag.set()


async def main():
    await case("set, turn, set", set_yield_set)
    await case("set, set", set_set)
    await case("woken, then set", nothing, woken_then_set)


asyncio.run(main())
