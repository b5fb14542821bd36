# Where stock MicroPython is wrong, eventio follows CPython (README, "Where stock is wrong,
# eventio differs on purpose"); expected output: what CPython prints.  Skipped on stock,
# which crashes in the first case.  Ordered by events only.
import asyncio

if not hasattr(asyncio, "timeout"):
    print("SKIP")
    raise SystemExit


def show(e):
    return "%s %s" % (type(e).__name__, e.args[0] if e.args else "")


# 1. A task awaited a second time raises its exception again (stock segfaults when the first
# await came in the turn the task ended).
async def fails():
    raise ValueError("fails")


async def awaits(t, who):
    try:
        await t
    except ValueError as e:
        print(who, "raised", show(e))


async def awaited_twice():
    t = asyncio.create_task(fails())
    asyncio.create_task(awaits(t, "first await"))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await awaits(t, "second await")


# 2. A cancel from inside a task's await chain cancels that task (stock forwards it along the
# chain to the running task, where it is lost).
PARENT = []


async def child():
    await asyncio.sleep(0)
    print("child cancels parent", PARENT[0].cancel())
    await asyncio.sleep(0)
    return "child's result"


async def parent():
    try:
        print("parent got", await asyncio.create_task(child()))
    except asyncio.CancelledError:
        print("parent cancelled")


async def cancel_from_chain():
    PARENT.append(asyncio.create_task(parent()))
    for _ in range(5):
        await asyncio.sleep(0)
    print("parent done", PARENT[0].done(), "cancelled", PARENT[0].cancelled())


asyncio.run(awaited_twice())
asyncio.run(cancel_from_chain())


# 3. The task run_until_complete finished is done (stock: done() is False).
async def one():
    return 1


loop = asyncio.new_event_loop()
t = loop.create_task(one())
print("run_until_complete", loop.run_until_complete(t), "done", t.done())
loop.close()
