# MicroPython user C module: the glue between MicroPython and eventio's Rust core.
# The top-level Makefile passes EVENTIO_LIB (the Rust static library) and EVENTIO_INCLUDE.
EVENTIO_MOD_DIR := $(USERMOD_DIR)

SRC_USERMOD_C += $(EVENTIO_MOD_DIR)/modeventio.c
SRC_USERMOD_C += $(EVENTIO_MOD_DIR)/port_unix.c
CFLAGS_USERMOD += -I$(EVENTIO_INCLUDE) -I$(EVENTIO_MOD_DIR)
LDFLAGS_USERMOD += $(EVENTIO_LIB)
