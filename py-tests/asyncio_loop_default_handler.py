# The default exception handler: an exception in a task nobody awaits is reported on stderr
# ("Task exception wasn't retrieved", the task, the traceback) and the loop carries on.  The
# test runs itself as a child process and shows the child's stdout and stderr separately,
# with addresses and folders masked and frames inside asyncio itself left out.
try:
    import asyncio
    import os
    import sys

    os.system
    sys.executable
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit


async def fails(name, ms):
    await asyncio.sleep_ms(ms)
    raise ValueError(name)


async def ended(t):
    # Until t has ended (at most 10 s), not a fixed sleep that a slow run could outlast.
    for _ in range(1000):
        if t.done():
            break
        await asyncio.sleep_ms(10)


async def main():
    t = asyncio.create_task(fails("first", 10))
    print("main: started a failing task")
    await ended(t)
    print("main: still running")
    t = asyncio.create_task(fails("second", 10))
    await ended(t)
    loop = asyncio.get_event_loop()
    print("main: handler is", loop.get_exception_handler())
    # Calling the default handler directly.
    t = asyncio.create_task(fails("direct", 0))
    try:
        await t
    except ValueError as e:
        loop.default_exception_handler(
            loop, {"message": "called directly", "exception": e, "future": t}
        )
    print("main: done")
    return "result"


if len(sys.argv) > 1 and sys.argv[1] == "child":
    print("child: run returned", asyncio.run(main()))
    raise SystemExit

cmd = sys.executable + " " + sys.argv[0] + " child"
mask = " | grep -v 'asyncio/' | sed -e 's/ at [0-9a-fx]*>/ at ADDR>/' -e 's|File \"[^\"]*/|File \"|'"
print("--- child stdout")
os.system(cmd + " 2>/dev/null" + mask)
print("--- child stderr")
os.system(cmd + " 2>&1 >/dev/null" + mask)
print("--- end")
