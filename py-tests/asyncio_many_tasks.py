# 5,000 tasks: varied sleep_ms, gathered in groups, some cancelled, some failing; the summary
# printed depends only on what each task does, not on timing.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit

N = 5000
GROUP = 100
finished = 0
cancelled = 0
steps = 0


def doomed(i):
    return i % 7 == 3


def failing(i):
    return i % 11 == 5 and not doomed(i)


async def job(i):
    global finished, cancelled, steps
    try:
        if doomed(i):
            await asyncio.sleep_ms(60000)
        for k in range(i % 4 + 1):
            await asyncio.sleep_ms((i * 37 + k * 13) % 50)
            steps += 1
        if i % 5 == 0:
            await asyncio.sleep(0)
            steps += 1
    except asyncio.CancelledError:
        cancelled += 1
        raise
    if failing(i):
        raise ValueError(i)
    finished += 1
    return i * 2


async def group(g, tasks):
    res = await asyncio.gather(*tasks, return_exceptions=True)
    total = 0
    errors = 0
    cancels = 0
    for i, r in enumerate(res):
        if isinstance(r, asyncio.CancelledError):
            cancels += 1
        elif isinstance(r, ValueError):
            errors += 1
            assert r.args[0] == g * GROUP + i
        else:
            assert r == (g * GROUP + i) * 2
            total += r
    return total, errors, cancels


async def main():
    tasks = [asyncio.create_task(job(i)) for i in range(N)]
    groups = [
        asyncio.create_task(group(g, tasks[g * GROUP : (g + 1) * GROUP])) for g in range(N // GROUP)
    ]
    await asyncio.sleep_ms(20)
    n_cancel = 0
    for i, t in enumerate(tasks):
        if doomed(i):
            if t.cancel():
                n_cancel += 1
    print("cancel() returned True:", n_cancel)
    results = await asyncio.gather(*groups)
    print("groups:", len(results))
    print("sum of results:", sum(r[0] for r in results))
    print("errors:", sum(r[1] for r in results))
    print("cancelled in gather:", sum(r[2] for r in results))
    print("all done:", all(t.done() for t in tasks))
    # A gather with return_exceptions=False over a batch with failures and cancellations
    # raises (which of the two comes first depends on timing, so only that is printed).
    more = [asyncio.create_task(job(i)) for i in range(GROUP)]
    await asyncio.sleep_ms(20)
    for i, t in enumerate(more):
        if doomed(i):
            t.cancel()
    try:
        await asyncio.gather(*more)
    except (ValueError, asyncio.CancelledError) as e:
        print("gather raised")
    await asyncio.gather(*more, return_exceptions=True)
    print("second batch all done:", all(t.done() for t in more))


expect_doomed = sum(1 for i in range(N) if doomed(i))
expect_failing = sum(1 for i in range(N) if failing(i))
expect_sum = sum(i * 2 for i in range(N) if not doomed(i) and not failing(i))
asyncio.run(main())
print("finished:", finished, "cancelled:", cancelled, "steps:", steps)
print("expected doomed:", expect_doomed, "failing:", expect_failing, "sum:", expect_sum)
