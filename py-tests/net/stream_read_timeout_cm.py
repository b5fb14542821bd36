# CPython's asyncio.timeout() and TaskGroup cancel a task waiting in a stream read: the
# timeout raises TimeoutError, the group's failure cancels the reader (its cleanup runs), and
# the stream stays usable afterwards.
try:
    import asyncio

    asyncio.timeout, asyncio.TaskGroup
except (ImportError, AttributeError):
    print("SKIP")
    raise SystemExit

HOST = "127.0.0.1"
PORT = 8205

conn = []


async def on_connection(reader, writer):
    conn.append((reader, writer))


async def send(writer, data):
    writer.write(data)
    await writer.drain()


async def main():
    server = await asyncio.start_server(on_connection, HOST, PORT)
    cr, cw = await asyncio.open_connection(HOST, PORT)
    while not conn:
        await asyncio.sleep_ms(10)
    sr, sw = conn[0]

    # timeout() around a read that gets no data.
    try:
        async with asyncio.timeout(0.1):
            await sr.read(100)
        print("read returned")
    except asyncio.TimeoutError:
        print("timeout: TimeoutError")
    await send(cw, b"after timeout")
    async with asyncio.timeout(5):
        print("read:", await sr.read(100))

    # A TaskGroup whose other task fails cancels the waiting reader.
    async def reader():
        try:
            await sr.read(100)
            print("reader returned")
        except asyncio.CancelledError:
            print("reader cancelled")
            raise

    async def failer():
        await asyncio.sleep_ms(50)
        raise ValueError("boom")

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(reader())
            tg.create_task(failer())
    except Exception as er:
        print(type(er).__name__, [type(e).__name__ for e in er.exceptions])
    await send(cw, b"after group")
    async with asyncio.timeout(5):
        print("read:", await sr.read(100))

    cw.close()
    await cw.wait_closed()
    sw.close()
    await sw.wait_closed()
    server.close()
    await server.wait_closed()
    print("done")


asyncio.run(asyncio.wait_for(main(), 30))
