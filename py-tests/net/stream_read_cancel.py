# A task blocked in a stream read (read, readline, readexactly, readinto, on the accepted and on
# the connecting side) is cancelled while it waits; the stream stays usable: a later read gets
# the data, nothing is lost to the cancelled reader, and the stream can be waited on again.
try:
    import asyncio
except ImportError:
    print("SKIP")
    raise SystemExit

HOST = "127.0.0.1"
PORT = 8202

conn = []
accepted = None


async def on_connection(reader, writer):
    conn.append((reader, writer))
    accepted.set()


async def cancel_while_waiting(name, coro):
    t = asyncio.create_task(coro)
    await asyncio.sleep_ms(50)  # t is now blocked, waiting for data
    print(name, "done before cancel:", t.done())
    t.cancel()
    try:
        await t
        print(name, "not cancelled")
    except asyncio.CancelledError:
        print(name, "cancelled")


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

    # read() on the accepted stream.
    await cancel_while_waiting("read", sr.read(100))
    await send(cw, b"after read cancel")
    print("read:", await sr.read(100))

    # readline().
    await cancel_while_waiting("readline", sr.readline())
    await send(cw, b"line one\n")
    print("readline:", await sr.readline())

    # readexactly().
    await cancel_while_waiting("readexactly", sr.readexactly(5))
    await send(cw, b"12345")
    print("readexactly:", await sr.readexactly(5))

    # readinto().
    buf = bytearray(8)
    await cancel_while_waiting("readinto", sr.readinto(buf))
    await send(cw, b"into")
    n = await sr.readinto(buf)
    print("readinto:", n, bytes(buf[:n]))

    # read() on the connecting side, data from the accepted side.
    await cancel_while_waiting("client read", cr.read(100))
    await send(sw, b"to the client")
    print("client read:", await cr.read(100))

    # Data arrives in the socket, then the reader is cancelled before the loop ran it: the
    # cancelled reader must not take the data.
    t = asyncio.create_task(sr.read(100))
    await asyncio.sleep_ms(50)
    cw.write(b"racing")  # in the socket now
    t.cancel()
    try:
        print("raced read got:", await t)
    except asyncio.CancelledError:
        print("raced read cancelled")
    print("read after race:", await sr.read(100))

    # A new reader takes over at once from a cancelled one (same turn).
    t = asyncio.create_task(sr.read(100))
    await asyncio.sleep_ms(50)
    t.cancel()
    t2 = asyncio.create_task(sr.read(100))
    await asyncio.sleep_ms(50)
    print("second reader done before data:", t2.done())
    await send(cw, b"for the second reader")
    print("second reader got:", await asyncio.wait_for(t2, 5))
    try:
        await t
    except asyncio.CancelledError:
        print("first reader cancelled")

    # Many cancelled waits in a row, then the stream still works.
    for i in range(20):
        t = asyncio.create_task(sr.read(100))
        await asyncio.sleep_ms(5)
        t.cancel()
        try:
            await t
        except asyncio.CancelledError:
            pass
    await send(cw, b"after 20 cancels")
    print("read after 20 cancels:", await sr.read(100))

    # End of stream still seen after all that.
    cw.close()
    await cw.wait_closed()
    print("read at end of stream:", await sr.read(100))
    sw.close()
    await sw.wait_closed()
    server.close()
    await server.wait_closed()
    print("done")


asyncio.run(asyncio.wait_for(main(), 30))
