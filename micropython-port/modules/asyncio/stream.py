# Streams for asyncio on eventio: TCP connections and servers, and any object with a stream
# ioctl (sockets, UARTs, sys.stdin).  A task waiting for a stream parks in the core through
# _eventio.io_wait(stream, READ or WRITE); the loop's one blocking wait watches every waited
# stream together with the timers and posted events, so waiting costs no polling.
import _eventio
from _eventio import CancelledError, create_task, sleep_ms

_READ = 1
_WRITE = 2


class Stream:
    def __init__(self, s, e={}):
        self.s = s
        self.e = e
        self.out_buf = b""

    def get_extra_info(self, v):
        return self.e[v]

    def close(self):
        pass

    async def wait_closed(self):
        self.s.close()

    async def read(self, n=-1):
        got = b""
        while True:
            await _eventio.io_wait(self.s, _READ)
            chunk = self.s.read(n)
            if chunk is None:
                continue  # woken, but nothing to read after all
            if n >= 0:
                return chunk
            if not chunk:
                return got  # end of stream
            got += chunk

    async def readinto(self, buf):
        await _eventio.io_wait(self.s, _READ)
        return self.s.readinto(buf)

    async def readexactly(self, n):
        got = b""
        while n:
            await _eventio.io_wait(self.s, _READ)
            chunk = self.s.read(n)
            if chunk is None:
                continue
            if not chunk:
                raise EOFError
            got += chunk
            n -= len(chunk)
        return got

    async def readline(self):
        line = b""
        while True:
            await _eventio.io_wait(self.s, _READ)
            part = self.s.readline()  # reads what is there, without blocking
            if part is None:
                continue
            line += part
            if not part or line[-1] == 10:  # end of stream, or "\n"
                return line

    def write(self, buf):
        # Write at once if nothing is queued; queue what the stream did not take.
        if not self.out_buf:
            n = self.s.write(buf)
            if n == len(buf):
                return
            if n is not None:
                buf = buf[n:]
        self.out_buf += buf

    async def drain(self):
        if not self.out_buf:
            # Always yield once, so a loop of write() + drain() cannot starve other tasks.
            await sleep_ms(0)
            return
        mv = memoryview(self.out_buf)
        done = 0
        while done < len(mv):
            await _eventio.io_wait(self.s, _WRITE)
            n = self.s.write(mv[done:])
            if n is not None:
                done += n
        self.out_buf = b""

    # Legacy uasyncio names.
    async def awrite(self, buf, off=0, sz=-1):
        if off != 0 or sz != -1:
            buf = memoryview(buf)
            if sz == -1:
                sz = len(buf)
            buf = buf[off : off + sz]
        self.write(buf)
        await self.drain()

    awritestr = awrite

    async def aclose(self):
        await self.wait_closed()


# One class reads and writes.
StreamReader = Stream
StreamWriter = Stream


async def open_connection(host, port, ssl=None, server_hostname=None):
    from errno import EINPROGRESS
    import socket

    family, kind, proto, _, address = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)[0]
    s = socket.socket(family, kind, proto)
    s.setblocking(False)
    try:
        s.connect(address)
    except OSError as er:
        if er.errno != EINPROGRESS:
            raise er
    if ssl:
        if ssl is True:
            import ssl as _ssl

            ssl = _ssl.SSLContext(_ssl.PROTOCOL_TLS_CLIENT)
        s = ssl.wrap_socket(
            s, server_hostname=server_hostname or host, do_handshake_on_connect=False
        )
        s.setblocking(False)
    stream = Stream(s)
    await _eventio.io_wait(s, _WRITE)  # connected (or failed: the first read/write tells)
    return stream, stream


class Server:
    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        self.close()
        await self.wait_closed()

    def close(self):
        self.closing = True
        self.task.cancel()

    async def wait_closed(self):
        await self.task

    async def _serve(self, s, cb, ssl):
        self.closing = False
        while True:
            try:
                await _eventio.io_wait(s, _READ)
            except CancelledError as er:
                s.close()
                if self.closing:
                    return  # close() asked for it
                raise er  # cancelled from outside: pass it on
            try:
                s2, addr = s.accept()
            except:
                continue  # the connection went away before we took it
            if ssl:
                try:
                    s2 = ssl.wrap_socket(s2, server_side=True, do_handshake_on_connect=False)
                except OSError as e:
                    import sys

                    sys.print_exception(e)
                    s2.close()
                    continue
            s2.setblocking(False)
            stream = Stream(s2, {"peername": addr})
            create_task(cb(stream, stream))


async def start_server(cb, host, port, backlog=5, ssl=None):
    import socket

    # The address family comes from getaddrinfo, so that an IPv6 host gets an IPv6 server
    # (as MicroPython 1.27+ does).
    info = socket.getaddrinfo(host, port)[0]
    s = socket.socket(info[0])
    s.setblocking(False)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(info[-1])
    s.listen(backlog)
    server = Server()
    server.task = create_task(server._serve(s, cb, ssl))
    try:
        # Let the server task start, so that it is the one that handles a cancellation.
        await sleep_ms(0)
    except CancelledError as er:
        server.task.cancel()
        raise er
    return server
