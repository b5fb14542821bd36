# asyncio.wait_for (and wait_for_ms) around a stream read that gets no data times out cleanly
# with TimeoutError, and the stream stays usable: later reads get the data, in order, and a
# read under wait_for whose data comes in time returns it.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit

HOST = "127.0.0.1"
PORT = 8204

conn = []
accepted = None


async def on_connection(reader, writer):
    conn.append((reader, writer))
    accepted.set()


async def timed(name, coro, timeout):
    try:
        print(name, "got", await asyncio.wait_for(coro, timeout))
    except asyncio.TimeoutError as er:
        print(name, type(er).__name__, er.args)
    except Exception as er:
        print(name, "unexpected", type(er).__name__, er)


async def send(writer, data):
    writer.write(data)
    await writer.drain()


async def main():
    global accepted
    accepted = asyncio.Event()
    server = await asyncio.start_server(on_connection, HOST, PORT)
    cr, cw = await asyncio.open_connection(HOST, PORT)
    await asyncio.wait_for(accepted.wait(), 5)
    sr, sw = conn[0]

    # Each kind of read times out, then reads the data sent afterwards.
    await timed("read", sr.read(100), 0.1)
    await send(cw, b"after timeout")
    await timed("read", sr.read(100), 5)

    await timed("readline", sr.readline(), 0.1)
    await send(cw, b"a line\n")
    await timed("readline", sr.readline(), 5)

    await timed("readexactly", sr.readexactly(4), 0.1)
    await send(cw, b"abcd")
    await timed("readexactly", sr.readexactly(4), 5)

    # wait_for_ms, on the connecting side.
    try:
        await asyncio.wait_for_ms(cr.read(100), 50)
    except asyncio.TimeoutError as er:
        print("wait_for_ms client read", type(er).__name__)
    await send(sw, b"to the client")
    print("client read:", await cr.read(100))

    # Data arriving while wait_for waits: returned, no timeout.
    async def later():
        await asyncio.sleep_ms(50)
        await send(cw, b"in time")

    t = asyncio.create_task(later())
    await timed("read in time", sr.read(100), 5)
    await t

    # Many timeouts in a row, then everything sent afterwards arrives, in order.
    timeouts = 0
    for i in range(20):
        try:
            await asyncio.wait_for_ms(sr.read(100), 5)
        except asyncio.TimeoutError:
            timeouts += 1
    print("timeouts:", timeouts)
    for i in range(5):
        await send(cw, b"%d," % i)
    got = b""
    while len(got) < 10:
        got += await asyncio.wait_for(sr.read(100), 5)
    print("after timeouts:", got)

    # Plain read without a timeout still waits and wakes.
    t = asyncio.create_task(later())
    print("plain read:", await sr.read(100))
    await t

    cw.close()
    await cw.wait_closed()
    await timed("read at end of stream", sr.read(100), 5)
    sw.close()
    await sw.wait_closed()
    server.close()
    await server.wait_closed()
    print("done")


asyncio.run(asyncio.wait_for(main(), 30))
