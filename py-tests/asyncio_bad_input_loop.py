# Bad input around the loop: the same exception type as stock MicroPython (or the same
# success), never a crash: nested run, odd timeouts and sleeps, loops replaced and closed.
import asyncio
def show(what, f):
    try:
        r = f()
        print(what, "->", "ok", r)
    except BaseException as e:
        print(what, "->", type(e).__name__)
async def inner(): return 1
async def run_inside():
    return asyncio.run(inner())
show("run inside a running loop", lambda: asyncio.run(run_inside()))
async def wf():
    return await asyncio.wait_for(inner(), "x")
show("wait_for with a non-number timeout", lambda: asyncio.run(wf()))
async def neg():
    await asyncio.sleep_ms(-5); await asyncio.sleep(-1); return "slept"
show("negative sleep", lambda: asyncio.run(neg()))
async def huge():
    await asyncio.sleep_ms(1 << 62)
show("huge sleep_ms", lambda: asyncio.run(huge()))
async def hugef():
    await asyncio.sleep(1e30)
show("huge sleep float", lambda: asyncio.run(hugef()))
ev = asyncio.Event()
async def w(): await ev.wait(); return "woke"
async def s():
    ev.set()
show("Event used from two loops (1)", lambda: asyncio.run(s()))
asyncio.new_event_loop()
show("Event used from two loops (2)", lambda: asyncio.run(w()))
loop = asyncio.get_event_loop()
loop.close()
show("closed loop reused", lambda: loop.run_until_complete(inner()))
show("Task of a non-coroutine", lambda: asyncio.Task(1))
show("gather of a non-awaitable", lambda: asyncio.run(asyncio.gather(1)))
async def aw(): await 5
show("await 5", lambda: asyncio.run(aw()))
show("create_task(None)", lambda: asyncio.create_task(None))
show("sleep('x')", lambda: asyncio.sleep("x"))
