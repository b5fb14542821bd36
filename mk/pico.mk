# eventio inside MicroPython 1.28's own rp2 port (Raspberry Pi Pico, Pico 2); included from the
# top-level Makefile.  Expects TOP_DIR, BUILD, ABS_BUILD, RUST_SRC, GLUE_SRC.
#
#   firmware-pico         build/pico/eventio-rpi_pico.uf2   RPI_PICO, USB console, eventio as asyncio
#                         build/pico/eventio-pico-uart.uf2  the same, REPL on UART0, no USB device
#                         build/pico/eventio-rpi_pico2.uf2  RPI_PICO2 (RP2350, Cortex-M33)
#   firmware-pico-stock   build/pico/stock-rpi_pico.uf2, build/pico/stock-pico-uart.uf2: the same
#                         MicroPython source and boards with MicroPython's own asyncio
#   pico-tools            the set-up: Debian packages (as root), the Rust targets
#
# MicroPython 1.28.0, the rp2 port's submodules and picotool come from the kit (PICO_KIT,
# ../shared/kit), unpacked and built under build/pico/ (tools/fetch-pico.sh); the rp2 build never
# fetches anything.  MICROPY_DIR=<a full checkout with submodules> on the command line builds
# from that tree instead (picotool is then built from the kit against it, or an installed one
# is used).  Each firmware is rebuilt only when its inputs change: eventio's sources, the
# board, the MicroPython tree.  The .elf and the build log are kept beside each .uf2.

PICO_KIT ?= $(abspath $(TOP_DIR)/../shared/kit)
PICO_BUILD := $(ABS_BUILD)/pico
# Targets are named relative to the top folder (make build/pico/eventio-rpi_pico.uf2).
PICO_OUT := $(BUILD)/pico
ifeq ($(origin MICROPY_DIR),command line)
PICO_MPY := $(abspath $(MICROPY_DIR))
PICO_MPY_STAMP := $(PICO_MPY)/py/mpconfig.h
else
PICO_MPY := $(PICO_BUILD)/micropython-1.28.0
PICO_MPY_STAMP := $(PICO_MPY)/.eventio-unpacked
endif
# picotool's CMake package: built from the kit unless given.
PICO_PICOTOOL ?= $(PICO_BUILD)/picotool/lib/cmake/picotool
PICO_DEB_PACKAGES := cmake libusb-1.0-0-dev pkg-config gcc-arm-none-eabi libnewlib-arm-none-eabi
PICO_RUST_TARGETS := thumbv6m-none-eabi thumbv8m.main-none-eabi
PICO_TOP := $(abspath $(TOP_DIR))

# What an eventio firmware is made of, beside the board and the MicroPython tree.
PICO_EIO_INPUTS := $(addprefix $(PICO_TOP)/,$(RUST_SRC) $(GLUE_SRC)) \
	$(wildcard $(PICO_TOP)/micropython-port/ports/hal/*.c $(PICO_TOP)/micropython-port/ports/rp2/*) \
	$(PICO_TOP)/micropython-port/usermod/micropython.cmake $(PICO_TOP)/micropython-port/pico/manifest.py \
	$(PICO_TOP)/tools/rust-target.sh $(PICO_TOP)/tools/cargo-firmware.sh
PICO_UART_BOARD := $(PICO_TOP)/micropython-port/pico/boards/PICO_UART
PICO_OURS_ARGS := USER_C_MODULES=$(PICO_TOP)/micropython-port/usermod/micropython.cmake \
	FROZEN_MANIFEST=$(PICO_TOP)/micropython-port/pico/manifest.py
PICO_CMAKE_ARGS := -Dpicotool_DIR=$(PICO_PICOTOOL) -DEVENTIO_CARGO_DIR=$(ABS_BUILD)/cargo

.PHONY: firmware-pico firmware-pico-stock pico-tools
firmware-pico: $(PICO_OUT)/eventio-rpi_pico.uf2 $(PICO_OUT)/eventio-pico-uart.uf2 $(PICO_OUT)/eventio-rpi_pico2.uf2
firmware-pico-stock: $(PICO_OUT)/stock-rpi_pico.uf2 $(PICO_OUT)/stock-pico-uart.uf2

pico-tools: $(PICO_OUT)/.tools-done
$(PICO_OUT)/.tools-done: | $(SETUP_STAMP)
	@mkdir -p $(PICO_BUILD)
	@tools/deb-install.sh pico-tools $(PICO_DEB_PACKAGES)
	@for t in $(PICO_RUST_TARGETS); do rustup target list --installed | grep -qx $$t || rustup target add $$t; done
	@touch $@

# The MicroPython tree and picotool.
$(PICO_BUILD)/micropython-1.28.0/.eventio-unpacked: | $(PICO_OUT)/.tools-done
	$(PICO_TOP)/tools/fetch-pico.sh $(PICO_KIT) $(PICO_BUILD)
$(PICO_PICOTOOL)/picotoolConfig.cmake: | $(PICO_MPY_STAMP)
	$(PICO_TOP)/tools/fetch-pico.sh $(PICO_KIT) $(PICO_BUILD) $(PICO_MPY)

# mpy-cross, built before any firmware: the rp2 build makes it through cmake, and a BUILD=
# given to that build's make would reach mpy-cross's make too (through MAKEFLAGS), building it
# into the firmware's folder where it does not link.
PICO_MPY_CROSS := $(PICO_MPY)/mpy-cross/build/mpy-cross
$(PICO_MPY_CROSS): $(PICO_MPY_STAMP)
	env -u MAKEFLAGS -u MFLAGS -u BUILD $(MAKE) -C $(PICO_MPY)/mpy-cross -j$(JOBS) BUILD=build >/dev/null

# $(call pico_firmware,NAME,BOARD ARGS,EVENTIO ARGS,BOARD INPUTS): build/pico/NAME.uf2 and .elf,
# built in build/pico/build-NAME by the rp2 port's own Makefile (cmake underneath).  CMAKE_ARGS
# goes through the environment: on the command line it would replace what that Makefile adds
# to it (the board, USER_C_MODULES, the manifest).
define pico_firmware
$(PICO_OUT)/$(1).uf2: $(4) $(if $(3),$(PICO_EIO_INPUTS)) $(PICO_MPY_STAMP) $(PICO_MPY_CROSS) | $(PICO_PICOTOOL)/picotoolConfig.cmake
	@echo "pico: building $(1) (log: $(PICO_BUILD)/$(1).log)"
	env -u PICO_SDK_FETCH_FROM_GIT CMAKE_ARGS="$(PICO_CMAKE_ARGS)" $(MAKE) -C $(PICO_MPY)/ports/rp2 -j$(JOBS) \
	    $(2) $(3) BUILD=$(PICO_BUILD)/build-$(1) >$(PICO_BUILD)/$(1).log 2>&1 \
	    || { tail -30 $(PICO_BUILD)/$(1).log; exit 1; }
	cp $(PICO_BUILD)/build-$(1)/firmware.elf $(PICO_BUILD)/$(1).elf
	cp $(PICO_BUILD)/build-$(1)/firmware.uf2 $$@
endef

$(eval $(call pico_firmware,eventio-rpi_pico,BOARD=RPI_PICO,$(PICO_OURS_ARGS),))
$(eval $(call pico_firmware,eventio-pico-uart,BOARD_DIR=$(PICO_UART_BOARD),$(PICO_OURS_ARGS),$(wildcard $(PICO_UART_BOARD)/*)))
$(eval $(call pico_firmware,eventio-rpi_pico2,BOARD=RPI_PICO2,$(PICO_OURS_ARGS),))
$(eval $(call pico_firmware,stock-rpi_pico,BOARD=RPI_PICO,,))
$(eval $(call pico_firmware,stock-pico-uart,BOARD_DIR=$(PICO_UART_BOARD),,$(wildcard $(PICO_UART_BOARD)/*)))
