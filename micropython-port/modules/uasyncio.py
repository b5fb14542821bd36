# uasyncio: the legacy name of asyncio.  Each name is looked up in asyncio on first use (so
# importing uasyncio loads none of asyncio's submodules), then kept here.
import asyncio


def __getattr__(name):
    value = getattr(asyncio, name)
    globals()[name] = value
    return value
