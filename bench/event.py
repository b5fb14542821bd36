# Event ping-pong: two tasks hand control back and forth through two Events.
# One round trip = ping.set() -> pong task wakes -> pong.set() -> ping task wakes.
# usage: micropython event.py ROUNDS
import sys, time, json, asyncio

rounds = int(sys.argv[1])
seen = 0


async def ponger(ping, pong):
    global seen
    for i in range(rounds):
        await ping.wait()
        ping.clear()
        seen += i & 7
        pong.set()


async def main():
    ping = asyncio.Event()
    pong = asyncio.Event()
    t = asyncio.create_task(ponger(ping, pong))
    for _ in range(rounds):
        ping.set()
        await pong.wait()
        pong.clear()
    await t


t0 = time.ticks_us()
asyncio.run(main())
us = time.ticks_diff(time.ticks_us(), t0)
print("BENCH " + json.dumps({"name": "event", "ops": rounds, "us": us,
                             "check": "%d/%d" % (rounds, seen)}))
