# Interrupt flood: the native test source posts at full rate for SECONDS seconds while tasks
# wait on the flag, sleep and get cancelled.  No lost wake-up (a post after the flood wakes
# every waiter) and the counters add up (coalesced + delivered == posted).
# usage: flood.py SECONDS
import sys
import asyncio
import eventio
import random

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10
random.seed(3)
flag = asyncio.ThreadSafeFlag()
woken = [0]


async def waiter():
    while True:
        await flag.wait()
        woken[0] += 1


async def sleeper():
    while True:
        await asyncio.sleep_ms(random.getrandbits(3))


async def main():
    s0 = eventio.stats()
    posts = 0
    waiters = [asyncio.create_task(waiter()) for _ in range(8)]
    sleepers = [asyncio.create_task(sleeper()) for _ in range(8)]
    ms = int(seconds * 1000)
    elapsed = 0
    while elapsed < ms:
        # A burst of 200,000 posts from a native thread, as fast as it can post.
        eventio.test_source(flag, 200000, 0)
        posts += 200000
        while eventio.stats()["posts"] - s0["posts"] < posts:
            await asyncio.sleep_ms(10)
            elapsed += 10
            # Churn: cancel and replace a waiter and a sleeper now and then.
            i = random.getrandbits(3)
            waiters[i].cancel()
            waiters[i] = asyncio.create_task(waiter())
            sleepers[i].cancel()
            sleepers[i] = asyncio.create_task(sleeper())
    await asyncio.sleep_ms(20)
    s1 = eventio.stats()
    posted = s1["posts"] - s0["posts"]
    coalesced = s1["posts_coalesced"] - s0["posts_coalesced"]
    delivered = s1["posts_delivered"] - s0["posts_delivered"]
    print("posted", posted, "coalesced", coalesced, "delivered", delivered)
    print("counters add up:", posted == posts and coalesced + delivered == posted)
    # Every waiter is waiting again; one more post wakes all of them.
    before = woken[0]
    flag.set()
    await asyncio.sleep_ms(10)
    print("last post woke every waiter:", woken[0] - before == len(waiters))
    for t in waiters + sleepers:
        t.cancel()


asyncio.run(main())
