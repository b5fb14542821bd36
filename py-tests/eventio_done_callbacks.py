# Task.add_done_callback: the callbacks of a finished task run soon, in order, each once; one
# that raises goes to the loop's exception handler and the others still run.  It needs none of
# asyncio's lazily loaded parts.
try:
    import eventio
except ImportError:
    print("SKIP")
    raise SystemExit
import asyncio
import sys

calls = []


def handler(loop, context):
    print("handler:", context["message"], repr(context["exception"]), context["future"] is t)


def ok(task):
    calls.append(("ok", task.result()))


def bad(task):
    raise ValueError("in callback")


async def work():
    await asyncio.sleep(0)
    return 3


async def main():
    global t
    asyncio.get_event_loop().set_exception_handler(handler)
    t = asyncio.create_task(work())
    for cb in (ok, bad, ok):
        t.add_done_callback(cb)
    await t
    await asyncio.sleep(0)
    print(calls)
    print("extra loaded:", "asyncio.extra" in sys.modules)


asyncio.run(main())
