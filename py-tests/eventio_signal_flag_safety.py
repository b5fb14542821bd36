# eventio.signal_flag: a fault signal (its handler would return to the faulting instruction and
# spin) or one that cannot be caught is refused with ValueError; when the last flag of a signal
# is collected, the previous handler is back (Ctrl-C raises KeyboardInterrupt again).
try:
    import eventio
    import os

    os.system  # POSIX signals come with a shell to send them (unix port)
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit
import gc

for signum in (4, 5, 6, 7, 8, 9, 11, 19, 31, 0, -1, 100000):
    try:
        eventio.signal_flag(signum)
        print(signum, "accepted")
    except ValueError:
        print(signum, "ValueError")


import asyncio
import time


def interrupt_self_soon():
    # A background shell sends SIGINT to this process (its $PPID) 0.2 s from now: system()
    # itself ignores SIGINT while it waits, so the signal must come after it returned.
    os.system("(sleep 0.2; kill -INT $PPID) &")


async def wait_flag(flag):
    interrupt_self_soon()
    await asyncio.wait_for(flag.wait(), 30)
    print("SIGINT set the remaining flag")


def make_flags():
    return eventio.signal_flag(2), eventio.signal_flag(2)


# The last flag of SIGINT collected: Ctrl-C raises KeyboardInterrupt again.  (Made in a
# function, so that no stale reference on this frame keeps it alive.)
make_flags()
for _ in range(3):
    gc.collect()
try:
    interrupt_self_soon()
    time.sleep(30)
    print("no KeyboardInterrupt: the handler was not restored")
except KeyboardInterrupt:
    print("KeyboardInterrupt: the previous handler is back")

# One of two flags collected: the other one still takes SIGINT (no KeyboardInterrupt).
f, g = make_flags()
f = None
gc.collect()
asyncio.run(wait_flag(g))
