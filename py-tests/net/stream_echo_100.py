# Echo server (asyncio.start_server) with 100 concurrent clients (asyncio.open_connection) on
# loopback; each client sends 64 KiB in chunks of varying size while it reads the echo back, and
# checks that every byte came back, in order (byte compare and CRC-32).  All 100 connections
# are open before any client sends, so the server really serves them concurrently.
try:
    import asyncio
    import binascii
except ImportError:
    print("SKIP")
    raise SystemExit

HOST = "127.0.0.1"
PORT = 8201
CLIENTS = 100
SIZE = 65536
CHUNKS = (1000, 4096, 1, 3000, 512, 3333, 2048, 64)  # sizes of the writes, in turn
READ_SIZE = 2048

# One pseudo-random pattern; client i sends PATTERN[i : i + SIZE], so every client's data
# differs from every other's (data delivered to the wrong client is caught too).
x = 12345
pat = bytearray(SIZE + CLIENTS)
for k in range(len(pat)):
    x = (x * 1103515245 + 12345) & 0x7FFFFFFF
    pat[k] = (x >> 16) & 0xFF
PATTERN = bytes(pat)
del pat

served = 0
echoed = 0
handlers_done = None
connected = 0
all_connected = None


async def echo(reader, writer):
    global served, echoed
    while True:
        data = await reader.read(READ_SIZE)
        if not data:
            break
        echoed += len(data)
        writer.write(data)
        data = None
        await writer.drain()
    writer.close()
    await writer.wait_closed()
    served += 1
    if served == CLIENTS:
        handlers_done.set()


async def send_all(writer, data):
    pos = 0
    k = 0
    while pos < len(data):
        n = CHUNKS[k % len(CHUNKS)]
        k += 1
        writer.write(data[pos : pos + n])
        await writer.drain()
        pos += n


async def client(i, results):
    global connected
    reader, writer = await asyncio.open_connection(HOST, PORT)
    connected += 1
    if connected == CLIENTS:
        all_connected.set()
    await all_connected.wait()
    data = memoryview(PATTERN)[i : i + SIZE]  # no copy: 100 clients share one heap
    sender = asyncio.create_task(send_all(writer, data))
    pos = 0
    crc = 0
    exact = True
    while pos < SIZE:
        chunk = await reader.read(READ_SIZE)
        if not chunk:
            break  # early end of stream: the byte count below shows it
        n = len(chunk)
        if exact and chunk != PATTERN[i + pos : i + pos + n]:
            exact = False
        crc = binascii.crc32(chunk, crc)
        pos += n
        chunk = None  # not kept alive across the next wait
    await sender
    writer.close()
    await writer.wait_closed()
    results[i] = (pos, exact, crc, binascii.crc32(data))


async def main():
    global handlers_done, all_connected
    handlers_done = asyncio.Event()
    all_connected = asyncio.Event()
    server = await asyncio.start_server(echo, HOST, PORT, backlog=CLIENTS)
    print("server listening")
    results = [None] * CLIENTS
    await asyncio.gather(*[client(i, results) for i in range(CLIENTS)])
    print("clients finished:", sum(1 for r in results if r is not None))
    print("bytes received:", sum(r[0] for r in results))
    print("clients with exact data:", sum(1 for r in results if r[1]))
    print("clients with matching CRC-32:", sum(1 for r in results if r[2] == r[3]))
    total = 0
    for r in results:
        total = binascii.crc32(r[2].to_bytes(4, "little"), total)
    print("combined CRC-32: %08x" % total)
    await asyncio.wait_for(handlers_done.wait(), 10)
    print("server handled", served, "connections, echoed", echoed, "bytes")
    server.close()
    await server.wait_closed()
    print("server closed")


asyncio.run(asyncio.wait_for(main(), 60))
