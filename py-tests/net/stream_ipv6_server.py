# start_server on an IPv6 address: the server's socket takes its address family from
# getaddrinfo (MicroPython 1.27+; before, it was always AF_INET and binding "::1" failed), and
# a client reaches it with open_connection.  Prints SKIP where the host has no IPv6 loopback,
# and on stock MicroPython before 1.27.
import sys

try:
    import asyncio
    import socket
except ImportError:
    print("SKIP")
    raise SystemExit
try:
    import eventio
except ImportError:
    if sys.implementation.version < (1, 27):
        print("SKIP")
        raise SystemExit

HOST = "::1"
PORT = 8206

try:
    info = socket.getaddrinfo(HOST, PORT)[0]
    probe = socket.socket(info[0])
    probe.bind(info[-1])
    probe.close()
except (OSError, IndexError):
    print("SKIP")
    raise SystemExit


async def echo(reader, writer):
    data = await reader.read(100)
    writer.write(data.upper())
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(echo, HOST, PORT)
    print("family is IPv6:", info[0] == socket.AF_INET6)
    reader, writer = await asyncio.open_connection(HOST, PORT)
    writer.write(b"hello over ipv6")
    await writer.drain()
    print(await reader.read(100))
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    print("closed")


asyncio.run(main())
