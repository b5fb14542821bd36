# Stock MicroPython asyncio (Python part; the _asyncio C module is enabled in mpconfigport.h).
include("$(MPY_DIR)/extmod/asyncio")
