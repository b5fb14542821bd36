# uasyncio: the legacy name of asyncio.  It holds the names asyncio has loaded; the ones asyncio
# imports on first use (streams, CPython's extras) are looked up there when first asked for,
# then kept here.  So `import uasyncio` loads none of asyncio's submodules, and a star import
# works: MicroPython 1.26+ follows __all__ (through __getattr__), earlier versions take the
# names below.
import asyncio as _asyncio

__all__ = _asyncio.__all__
_loaded = _asyncio.__dict__
for _name in __all__:
    if _name in _loaded:
        globals()[_name] = _loaded[_name]
del _loaded, _name


def __getattr__(name):
    value = getattr(_asyncio, name)
    globals()[name] = value
    return value
