# `import asyncio` keeps RAM small: the streams and CPython's extra primitives are imported on
# first use, through the package's __getattr__, and every public name still resolves (also
# through uasyncio).
try:
    import eventio
except ImportError:
    print("SKIP")
    raise SystemExit
import gc
import sys

gc.collect()
before = gc.mem_alloc()
import asyncio

gc.collect()
print("import asyncio under 6 KB of heap:", gc.mem_alloc() - before < 6 * 1024)
print("loaded at import:", [m for m in ("asyncio.stream", "asyncio.extra") if m in sys.modules])

import uasyncio

# First use of a name loads its submodule.
print(asyncio.TaskGroup.__name__, uasyncio.open_connection.__name__)

for sub in ("stream", "extra"):
    names = getattr(asyncio, "_FROM_" + sub.upper())
    module = __import__("asyncio." + sub, None, None, (sub,))
    public = sorted(n for n in dir(module) if not n.startswith("_"))
    # Every name listed resolves to the submodule's object, from asyncio and from uasyncio.
    print(sub, all(getattr(asyncio, n) is getattr(module, n) is getattr(uasyncio, n) for n in names))
    # Every public class or constant of the submodule is listed or already in asyncio.
    print(sub, [n for n in public if n not in names and getattr(asyncio, n, None) is not getattr(module, n)])

try:
    asyncio.no_such_name
except AttributeError:
    print("AttributeError")


# Loop's scheduling calls import what they need too.
async def main():
    done = []
    asyncio.get_event_loop().call_soon(done.append, 1)
    await asyncio.sleep(0)
    print(done, type(asyncio.get_event_loop().time()))


asyncio.run(main())
