# uasyncio: the legacy name of asyncio.  asyncio defines every public name when imported,
# so a star import gives this module all of them.
from asyncio import *
