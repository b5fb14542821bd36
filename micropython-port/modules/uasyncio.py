# uasyncio: the legacy name of asyncio.  The star import gives this module asyncio's names;
# those asyncio imports on first use come through __getattr__.
import asyncio
from asyncio import *


def __getattr__(name):
    return getattr(asyncio, name)
