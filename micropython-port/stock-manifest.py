# Stock MicroPython asyncio, for the side-by-side build/micropython-stock.
include("$(MPY_DIR)/extmod/asyncio")
