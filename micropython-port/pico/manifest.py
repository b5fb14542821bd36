# eventio's firmware for MicroPython's rp2 port: what the port's own boards/manifest.py freezes,
# with eventio's asyncio (and uasyncio, eventio) in place of $(MPY_DIR)/extmod/asyncio.
freeze("$(PORT_DIR)/modules")
require("onewire")
require("ds18x20")
require("dht")
require("neopixel")
include("../modules/manifest.py")
