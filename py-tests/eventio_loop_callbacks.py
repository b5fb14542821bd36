# Loop.call_soon / call_later / call_at run their callbacks from an alarm on the core's queues,
# not from a helper task: in the turns such a task would take (call_soon at its first turn,
# call_later and call_at after it slept), once; cancel() before the call stops it; a callback
# that raises goes to the loop's exception handler and the loop goes on.
try:
    import eventio
except ImportError:
    print("SKIP")
    raise SystemExit
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    order = []

    def handler(loop, context):
        order.append("handler")
        print("handler:", context["message"], type(context["exception"]).__name__,
              context["exception"].args, context["handle"] is bad)

    loop.set_exception_handler(handler)

    def fails(x):
        order.append(x)
        raise ValueError(x)

    async def task():
        order.append("task")
        await asyncio.sleep(0)
        order.append("task again")

    created = eventio.stats()["tasks_created"]
    loop.call_soon(order.append, "soon1")
    asyncio.create_task(task())
    loop.call_later(0, order.append, "later0")
    bad = loop.call_soon(fails, "fails")
    h = loop.call_soon(order.append, "cancelled")
    print("cancel:", h.cancel(), h.cancelled())
    h.cancel()
    t = loop.time()
    at = loop.call_at(t - 1, order.append, "at past")
    print("when:", at.when() == t - 1)
    far = loop.call_later(1000, order.append, "never")
    print("tasks created for 5 callbacks:", eventio.stats()["tasks_created"] - created)
    for i in range(3):
        await asyncio.sleep(0)
        order.append("main%d" % i)
    far.cancel()
    print(order)
    loop.set_exception_handler(None)


asyncio.run(main())
print("run returned: the cancelled call_later(1000) kept nothing waiting")
