# A tiny heap, so that MemoryError happens at many different allocation points: the error
# reaches the task that allocated (or the caller of run), the loop stays consistent and can
# run again.  usage: micropython -X heapsize=48k memory_errors.py
import asyncio

caught = {"task": 0, "run": 0}


async def hog(i, keep):
    try:
        for k in range(20):
            keep.append(bytearray(64 * (1 + (i * 7 + k) % 13)))
            await asyncio.sleep(0)
    except MemoryError:
        caught["task"] += 1
        keep.clear()


async def spawner(keep):
    ts = [asyncio.create_task(hog(i, keep)) for i in range(40)]
    await asyncio.gather(*ts, return_exceptions=True)


ok_runs = 0
for round in range(30):
    keep = []
    try:
        asyncio.run(spawner(keep))
        ok_runs += 1
    except MemoryError:
        caught["run"] += 1
    keep = None


# The loop still works normally afterwards.
async def check():
    await asyncio.sleep_ms(1)
    return "loop still works"


print(asyncio.run(check()))
print("MemoryErrors reached tasks or run():", caught["task"] + caught["run"] > 0)
print("completed runs + failed runs == 30:", ok_runs + caught["run"] == 30)
