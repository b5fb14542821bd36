# MicroPython user C module: the glue between MicroPython and eventio's Rust core.
# The top-level Makefile passes EVENTIO_LIB (the Rust static library) and EVENTIO_INCLUDE.
EVENTIO_MOD_DIR := $(USERMOD_DIR)

# Every C file here except the ports'.
SRC_USERMOD_C += $(filter-out $(EVENTIO_MOD_DIR)/port_%.c,$(wildcard $(EVENTIO_MOD_DIR)/*.c))
# The port's side: the clock, the idle wait and interrupt sources.  A board passes its own.
EVENTIO_PORT_SRC ?= $(EVENTIO_MOD_DIR)/port_unix.c
SRC_USERMOD_C += $(EVENTIO_PORT_SRC)
CFLAGS_USERMOD += -I$(EVENTIO_INCLUDE) -I$(EVENTIO_MOD_DIR)
LDFLAGS_USERMOD += $(EVENTIO_LIB)

# A callback scheduled while the loop sleeps (micropython.schedule, from another thread too)
# ends the sleep: MicroPython's scheduler calls eio_notify() (declared by the ABI header, which
# includes only the C library's headers).  MicroPython does not rebuild on a flag change: the
# scheduler's object depends on this file.
CFLAGS_USERMOD += -include $(EVENTIO_INCLUDE)/eventio.h -DMICROPY_SCHED_HOOK_SCHEDULED=eio_notify\(\)
$(BUILD)/py/scheduler.o: $(EVENTIO_MOD_DIR)/micropython.mk
