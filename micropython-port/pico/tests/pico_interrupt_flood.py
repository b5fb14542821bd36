# On the Pico: a hardware alarm's interrupt (eventio.test_source, on the pico-sdk's alarm pool)
# sets a ThreadSafeFlag from its handler.
# - 100,000 times, 5 us apart, while three tasks wait on it and another sleeps on a timer: every
#   post is delivered or coalesced into one that is, the timer keeps running, and a post after
#   the flood still wakes every waiter (nothing is stuck).
# - 2,000 times, 200 us apart (longer than a wake-up takes), with one waiter and nothing else
#   running: each post wakes it (none is coalesced, no wake-up is lost).
# Run by make test-pico.
try:
    import eventio
    import asyncio

    eventio.test_source
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit


async def counter(flag, box, stop):
    while not stop[0]:
        await flag.wait()
        box[0] += 1


async def ticker(box):
    while True:
        await asyncio.sleep_ms(3)
        box[0] += 1


async def flood(n):
    flag = asyncio.ThreadSafeFlag()
    box, stop, ticks = [0], [False], [0]
    tasks = [asyncio.create_task(counter(flag, box, stop)) for _ in range(3)]
    tick = asyncio.create_task(ticker(ticks))
    await asyncio.sleep(0)
    s0 = eventio.stats()
    eventio.test_source(flag, n, 5)
    while eventio.stats()["posts"] - s0["posts"] < n:
        await asyncio.sleep_ms(5)
    await asyncio.sleep_ms(10)
    s1 = eventio.stats()
    posted = s1["posts"] - s0["posts"]
    coalesced = s1["posts_coalesced"] - s0["posts_coalesced"]
    delivered = s1["posts_delivered"] - s0["posts_delivered"]
    print("posted", posted == n)
    print("coalesced + delivered == posted", coalesced + delivered == posted)
    print("waiters woke", box[0] > 0 and delivered > 0)
    print("timer ran meanwhile", ticks[0] > 0)
    stop[0] = True
    before = box[0]
    flag.set()
    for t in tasks:
        await t
    print("last post woke all", box[0] - before == 3)
    tick.cancel()


async def spaced(n, period_us):
    flag = asyncio.ThreadSafeFlag()
    box, stop = [0], [False]
    task = asyncio.create_task(counter(flag, box, stop))
    await asyncio.sleep(0)
    s0 = eventio.stats()
    eventio.test_source(flag, n, period_us)
    await asyncio.sleep_ms(n * period_us // 1000 + 50)
    s1 = eventio.stats()
    print("spaced: posted", s1["posts"] - s0["posts"] == n, "coalesced", s1["posts_coalesced"] - s0["posts_coalesced"])
    print("spaced: woken for each post", box[0] == n)
    task.cancel()


asyncio.run(flood(100_000))
asyncio.run(spaced(2_000, 200))
