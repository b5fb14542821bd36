# Idle wait on a ThreadSafeFlag: one task waits on the flag, a _thread sleeps WAIT seconds
# (one time.sleep call) and then sets it.  Nothing else runs, so everything the loop does
# meanwhile is waiting.  run.py runs this under `strace -f -c` and counts the blocking system
# calls (poll, ppoll, select, pselect6, epoll_wait, futex, nanosleep, clock_nanosleep): a
# loop that blocks until the set needs one (plus the thread's own sleep), a polling loop one
# per poll period.  It prints WAIT just before the wait and WOKE just after, so that a full
# trace (strace -f -o FILE) shows which calls fall in the wait.  The task spins (no system call) until the thread is in its sleep before
# waiting, and after waking until the thread has ended, so thread start-up and exit do not
# contend with the wait.
# usage: micropython tsf_idle.py WAIT
# Prints BENCH {"ops": 1, "us": time from start of the wait to the task waking, "check": ...}
import sys, time, json, asyncio, _thread

wait = float(sys.argv[1])
flag = asyncio.ThreadSafeFlag()


state = 0  # 1: the thread runs, 2: it has set the flag and is about to end


def setter():
    global state
    state = 1
    time.sleep(wait)
    flag.set()
    state = 2


def spin_until(s, extra_us):
    # Busy-wait, no system call: the thread's start and end are not mixed into the wait.
    while state < s:
        pass
    t = time.ticks_us()
    while time.ticks_diff(time.ticks_us(), t) < extra_us:
        pass


async def main():
    _thread.start_new_thread(setter, ())
    spin_until(1, 2000)  # the thread is in its sleep
    print("WAIT")  # markers for a full trace: the wait is between these two writes
    await flag.wait()
    print("WOKE")
    spin_until(2, 5000)  # the thread has finished
    return 1


t0 = time.ticks_us()
woke = asyncio.run(main())
us = time.ticks_diff(time.ticks_us(), t0)
print("BENCH " + json.dumps({"name": "tsf_idle", "ops": 1, "us": us, "check": "%d" % woke}))
