# A peer resets the connection (SO_LINGER 0, then close: a TCP RST, as MicroPython's
# multi_net/asyncio_tcp_client_rst.py does) while a task is blocked reading the stream, and
# before a read starts; the read raises the same exception, with the same errno, as stock.
try:
    import asyncio
    import socket
    import struct
except ImportError:
    print("SKIP")
    raise SystemExit

if not hasattr(socket, "SO_LINGER"):
    print("SKIP")
    raise SystemExit

HOST = "127.0.0.1"
PORT = 8203

conns = []
accepted = None


async def on_connection(reader, writer):
    conns.append((reader, writer))
    accepted.set()


def peer_connect():
    # A plain socket as the peer; connecting to a listening loopback socket completes at once.
    s = socket.socket()
    s.connect(socket.getaddrinfo(HOST, PORT)[0][-1])
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return s


async def accept_one():
    accepted.clear()
    await asyncio.wait_for(accepted.wait(), 5)
    return conns[-1]


async def read_and_report(name, reader, n):
    try:
        data = await reader.read(n)
        print(name, "got", data)
    except OSError as er:
        print(name, type(er).__name__, er.errno)
    except Exception as er:
        print(name, "unexpected", type(er).__name__, er)


async def main():
    global accepted
    accepted = asyncio.Event()
    server = await asyncio.start_server(on_connection, HOST, PORT)

    # 1. Reset while the reader is blocked in read(), with no data pending.
    peer = peer_connect()
    reader, writer = await accept_one()
    peer.send(b"GET / HTTP/1.0\r\n\r\n")
    print("first read:", await reader.readexactly(18))
    t = asyncio.create_task(read_and_report("blocked read", reader, 100))
    await asyncio.sleep_ms(100)
    print("reader still waiting:", not t.done())
    peer.close()  # RST
    await asyncio.wait_for(t, 5)
    writer.close()
    await writer.wait_closed()

    # 2. Reset part way through the data, before the next read (as asyncio_tcp_client_rst.py).
    peer = peer_connect()
    reader, writer = await accept_one()
    peer.send(b"GET / HTTP/1.0\r\n\r\n")
    print("partial read:", await reader.read(10))
    peer.close()  # RST, 8 bytes still unread
    await asyncio.sleep_ms(100)
    await read_and_report("read after reset", reader, 100)
    writer.close()
    await writer.wait_closed()

    # 3. Reset while blocked in readline() and in readexactly().
    for name in ("readline", "readexactly"):
        peer = peer_connect()
        reader, writer = await accept_one()
        peer.send(b"no newline")
        coro = reader.readline() if name == "readline" else reader.readexactly(100)

        async def run(coro=coro, name=name):
            try:
                print(name, "got", await coro)
            except OSError as er:
                print(name, type(er).__name__, er.errno)
            except Exception as er:
                print(name, "unexpected", type(er).__name__, er)

        t = asyncio.create_task(run())
        await asyncio.sleep_ms(100)
        print(name, "still waiting:", not t.done())
        peer.close()  # RST
        await asyncio.wait_for(t, 5)
        writer.close()
        await writer.wait_closed()

    # 4. The connecting side (open_connection) blocked in read() when the accepted side resets.
    peer_server = socket.socket()
    peer_server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    peer_server.bind(socket.getaddrinfo(HOST, PORT + 50)[0][-1])
    peer_server.listen(1)
    reader, writer = await asyncio.open_connection(HOST, PORT + 50)
    s2, _ = peer_server.accept()  # the connection is already queued: does not block
    s2.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    t = asyncio.create_task(read_and_report("client blocked read", reader, 100))
    await asyncio.sleep_ms(100)
    print("client reader still waiting:", not t.done())
    s2.close()  # RST
    await asyncio.wait_for(t, 5)
    writer.close()
    await writer.wait_closed()
    peer_server.close()

    server.close()
    await server.wait_closed()
    print("done")


asyncio.run(asyncio.wait_for(main(), 30))
