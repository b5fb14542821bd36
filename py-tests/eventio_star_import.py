# `from asyncio import *` and `from uasyncio import *`: MicroPython 1.26+ star imports consult
# the module's __all__ (asking its __getattr__ when there is none); our asyncio has a real
# __all__, so both work on every version.  Stock 1.26+ raises AttributeError: __all__ there
# (its asyncio's __getattr__ raises for it), so this prints SKIP on stock.
import sys

try:
    import eventio
except ImportError:
    print("SKIP")
    raise SystemExit

from uasyncio import *
import asyncio

print(sleep is asyncio.sleep, Lock is asyncio.Lock, run is asyncio.run)
# 1.26+ follows __all__, which names the lazily imported ones too; before, a star import takes
# the module's names as they are.
lazy = ("open_connection", "TaskGroup")
print(all(n in globals() for n in lazy) == (sys.implementation.version >= (1, 26)))
print([n for n in asyncio.__all__ if n.startswith("_")])
del sleep, Lock, run
from asyncio import *

print(sleep is asyncio.sleep, Lock is asyncio.Lock, run is asyncio.run)


async def main():
    await sleep_ms(1)
    return "ran"


print(run(main()))
