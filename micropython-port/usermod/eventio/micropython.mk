# MicroPython user C module: the glue between MicroPython and eventio's Rust core, for the
# make-based ports (unix, stm32, qemu, ...): USER_C_MODULES=<eventio>/micropython-port/usermod.
# (The CMake-based ports take ../micropython.cmake.)
EVENTIO_MOD_DIR := $(USERMOD_DIR)
EVENTIO_TOP := $(abspath $(EVENTIO_MOD_DIR)/../../..)

# The glue: every C file here.
SRC_USERMOD_C += $(wildcard $(EVENTIO_MOD_DIR)/*.c)

# The port's side: the clock, the idle wait and interrupt sources, from micropython-port/ports.
# The unix port has a whole port layer of its own (ports/unix); any other port gets the
# portable HAL's (ports/hal) plus its own folder's when there is one (ports/<port>, the port
# being the folder make runs in); EVENTIO_PORT=<name> chooses another folder,
# EVENTIO_PORT_SRC=<files> replaces them (our QEMU board passes ports/qemu/port_qemu.c).
EVENTIO_PORT ?= $(notdir $(CURDIR))
ifeq ($(EVENTIO_PORT),unix)
EVENTIO_PORT_SRC ?= $(EVENTIO_TOP)/micropython-port/ports/unix/port_unix.c
else
EVENTIO_PORT_SRC ?= $(EVENTIO_TOP)/micropython-port/ports/hal/port_hal.c \
                    $(filter-out %/hal/port_hal.c,$(wildcard $(EVENTIO_TOP)/micropython-port/ports/$(EVENTIO_PORT)/*.c))
endif
SRC_USERMOD_C += $(EVENTIO_PORT_SRC)

# The Rust core.  eventio's own Makefile passes EVENTIO_LIB; otherwise the port's build makes
# it: cargo builds it for this port's CPU, the Rust target derived from $(CC) and $(CFLAGS) as
# the CMake ports do (tools/rust-target.sh; EVENTIO_RUST_TARGET=<triple> overrides), when the
# firmware is linked (so $(CFLAGS) is the port's final one).  cargo runs every time and
# rebuilds only what changed; the library's time changes only when it did, and the glue's
# module object depends on it so that the firmware is relinked then (a port's link rule
# depends on its objects only).
ifeq ($(EVENTIO_LIB),)
EVENTIO_LIB := $(BUILD)/eventio/libeventio.a
EVENTIO_INCLUDE := $(EVENTIO_TOP)/include
CFLAGS_USERMOD += -DMICROPY_PY_ASYNCIO=0
$(BUILD)/eventio/modeventio.o: $(EVENTIO_LIB)
$(EVENTIO_LIB): eventio-core-always
	$(ECHO) "eventio: the Rust core (cargo)"
	$(Q)$(EVENTIO_TOP)/tools/cargo-firmware.sh $(CC) $(abspath $(BUILD))/eventio-cargo $(abspath $(EVENTIO_LIB)) $(CFLAGS)
.PHONY: eventio-core-always
eventio-core-always:
endif
CFLAGS_USERMOD += -I$(EVENTIO_INCLUDE) -I$(EVENTIO_MOD_DIR)
LDFLAGS_USERMOD += $(EVENTIO_LIB)

# A callback scheduled while the loop sleeps (micropython.schedule, from another thread too)
# ends the sleep: MicroPython's scheduler calls eio_notify() (declared by the ABI header, which
# includes only the C library's headers).  MicroPython does not rebuild on a flag change: the
# scheduler's object depends on this file.
CFLAGS_USERMOD += -include $(EVENTIO_INCLUDE)/eventio.h -DMICROPY_SCHED_HOOK_SCHEDULED=eio_notify\(\)
$(BUILD)/py/scheduler.o: $(EVENTIO_MOD_DIR)/micropython.mk
