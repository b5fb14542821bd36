# QEMU mps2-an385 (Cortex-M3) board targets; included from the top-level Makefile.
# Expects MPY_DIR (MicroPython source), BUILD (build dir), TOP_DIR (repo root); relative paths
# are taken from make's working directory.
#
#   firmware-qemu-stock   $(BUILD)/eventio-mps2-stock.elf: the board with MicroPython's own asyncio
#   test-qemu-stock       MicroPython's asyncio tests on it, under QEMU
#   run-qemu-stock        a tiny script on it (QEMU_SCRIPT=... to run another)
#   bench-qemu-stock      instructions per asyncio.sleep_ms(0) switch (-icount shift=0)
#   idle-qemu-stock       a 10 s sleep: interrupts taken and host CPU used by QEMU
#   repl-qemu-stock       interactive REPL (Ctrl-A X quits)
#   qemu-tools            install the cross compiler, newlib and QEMU if missing (as root, apt)

QEMU_ABS_BUILD := $(abspath $(BUILD))
QEMU_MPY_DIR := $(abspath $(MPY_DIR))
QEMU_BOARD_DIR := $(abspath $(TOP_DIR))/micropython-port/qemu
QEMU_ELF := $(QEMU_ABS_BUILD)/eventio-mps2.elf
QEMU_EIO_BUILD := $(QEMU_ABS_BUILD)/qemu-eventio
QEMU_TOP := $(abspath $(TOP_DIR))
# The Rust core's cargo folder (test-matrix shares the default build's across versions).
QEMU_CARGO_DIR ?= $(QEMU_ABS_BUILD)/cargo
QEMU_RUST_LIB := $(QEMU_CARGO_DIR)/thumbv7m-none-eabi/release/libeventio.a
QEMU_STOCK_ELF := $(QEMU_ABS_BUILD)/eventio-mps2-stock.elf
QEMU_STOCK_BUILD := $(QEMU_ABS_BUILD)/qemu-stock
QEMU_SYSTEM_ARM ?= qemu-system-arm
QEMU_MPS2_ARGS := -machine mps2-an385 -nographic -monitor null -semihosting
QEMU_VENV := $(QEMU_ABS_BUILD)/venv
QEMU_SCRIPT ?= $(QEMU_BOARD_DIR)/hello.py
QEMU_RUN := python3 $(QEMU_BOARD_DIR)/qemu_run.py
# run-tests.py talks to the board over a pty and needs pyserial.
QEMU_TEST_PYTHON = $(shell python3 -c 'import serial' 2>/dev/null && echo python3 || echo $(QEMU_VENV)/bin/python3)

.PHONY: firmware-qemu test-qemu run-qemu bench-qemu repl-qemu qemu-rust-lib \
	qemu-tools firmware-qemu-stock test-qemu-stock run-qemu-stock bench-qemu-stock \
	idle-qemu-stock repl-qemu-stock qemu-pyserial

qemu-tools:
	@missing=""; \
	command -v arm-none-eabi-gcc >/dev/null 2>&1 || missing="$$missing gcc-arm-none-eabi"; \
	echo '#include <alloca.h>' | arm-none-eabi-gcc -E -x c - >/dev/null 2>&1 \
		|| missing="$$missing libnewlib-arm-none-eabi"; \
	command -v $(QEMU_SYSTEM_ARM) >/dev/null 2>&1 || missing="$$missing qemu-system-arm"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
		else \
			echo "missing packages:$$missing (run as root, or: sudo apt-get install$$missing)"; \
			exit 1; \
		fi; \
	fi

$(QEMU_MPY_DIR)/py/mkenv.mk:
	$(TOP_DIR)/tools/fetch-micropython.sh $(QEMU_ABS_BUILD)

# Always delegate: the board Makefile knows its dependencies.
firmware-qemu-stock: qemu-tools $(QEMU_MPY_DIR)/py/mkenv.mk
	$(MAKE) -C $(QEMU_BOARD_DIR) MPY_DIR=$(QEMU_MPY_DIR) BUILD=$(QEMU_STOCK_BUILD) \
		ELF=$(QEMU_STOCK_ELF) FROZEN_MANIFEST=$(QEMU_BOARD_DIR)/manifest_stock.py \
		EVENTIO_LIB= USER_C_MODULES=

# The Rust core for Cortex-M3.  bindgen's libclang finds no C headers for a bare-metal target
# by itself: point it at the cross compiler's (stdbool.h, stdint.h) and newlib's.
qemu-rust-lib: qemu-tools
	@rustup target list --installed 2>/dev/null | grep -qx thumbv7m-none-eabi \
		|| rustup target add thumbv7m-none-eabi
	cd $(QEMU_TOP) && BINDGEN_EXTRA_CLANG_ARGS_thumbv7m_none_eabi="-isystem $$(arm-none-eabi-gcc -print-file-name=include) -isystem $$(dirname $$(arm-none-eabi-gcc -print-file-name=libc.a))/../include" \
		cargo rustc --release --lib --crate-type staticlib --features firmware \
		--target thumbv7m-none-eabi --target-dir $(QEMU_CARGO_DIR) -q

# Our firmware: the board with the eventio core, its C glue (with this board's port file in
# place of ports/unix) and our frozen asyncio; MicroPython's asyncio left out.
firmware-qemu: qemu-tools qemu-rust-lib $(QEMU_MPY_DIR)/py/mkenv.mk
	$(MAKE) -C $(QEMU_BOARD_DIR) MPY_DIR=$(QEMU_MPY_DIR) BUILD=$(QEMU_EIO_BUILD) \
		ELF=$(QEMU_ELF) FROZEN_MANIFEST=$(QEMU_TOP)/micropython-port/modules/manifest.py \
		USER_C_MODULES=$(QEMU_TOP)/micropython-port/usermod EVENTIO_LIB=$(QEMU_RUST_LIB) \
		EVENTIO_INCLUDE=$(QEMU_TOP)/include EVENTIO_PORT_SRC=$(QEMU_TOP)/micropython-port/ports/qemu/port_qemu.c \
		CFLAGS_EXTRA=-DMICROPY_PY_ASYNCIO=0

qemu-pyserial:
	@if ! python3 -c 'import serial' 2>/dev/null && ! $(QEMU_VENV)/bin/python3 -c 'import serial' 2>/dev/null; then \
		python3 -m venv $(QEMU_VENV) 2>/dev/null || { \
			[ "$$(id -u)" = 0 ] && apt-get install -y python3-venv && python3 -m venv $(QEMU_VENV); }; \
		$(QEMU_VENV)/bin/pip install --quiet pyserial; \
	fi

test-qemu-stock: firmware-qemu-stock qemu-pyserial
	cd $(QEMU_MPY_DIR)/tests && $(QEMU_TEST_PYTHON) ./run-tests.py \
		-t execpty:"$(QEMU_SYSTEM_ARM) $(QEMU_MPS2_ARGS) -serial pty -kernel $(QEMU_STOCK_ELF)" \
		-r $(QEMU_ABS_BUILD)/qemu-stock-test-results -d extmod -i asyncio

# py-tests that cannot run on this board (no threads, no signals, no sockets; the mailbox has
# 256 flag slots here, and asyncio_threadsafeflag_many keeps 1,000 flags alive); see the README.
QEMU_PY_TESTS_EXCLUDED := asyncio_threadsafeflag_thread.py asyncio_threadsafeflag_multi.py eventio_interrupts.py \
	asyncio_threadsafeflag_many.py
QEMU_PY_TESTS = $(filter-out $(addprefix $(QEMU_TOP)/py-tests/,$(QEMU_PY_TESTS_EXCLUDED)),$(wildcard $(QEMU_TOP)/py-tests/*.py))
QEMU_PTY_TARGET = execpty:"$(QEMU_SYSTEM_ARM) $(QEMU_MPS2_ARGS) -serial pty -kernel $(1)"

# Our py-tests and MicroPython's asyncio tests, on our firmware under QEMU.  Tests that need
# threads, sockets or POSIX signals are listed in micropython-port/qemu/README.md.
test-qemu: firmware-qemu qemu-pyserial
	cd $(QEMU_MPY_DIR)/tests && $(QEMU_TEST_PYTHON) ./run-tests.py \
		-t $(call QEMU_PTY_TARGET,$(QEMU_ELF)) \
		-r $(QEMU_ABS_BUILD)/qemu-test-results -d extmod -i asyncio
	cd $(QEMU_MPY_DIR)/tests && $(QEMU_TEST_PYTHON) ./run-tests.py \
		-t $(call QEMU_PTY_TARGET,$(QEMU_ELF)) \
		-r $(QEMU_ABS_BUILD)/qemu-test-results-py-tests $(QEMU_PY_TESTS)

# Ours vs stock: switch cost, interrupt latency, heap per task (-icount shift=0), and idle.
bench-qemu: firmware-qemu firmware-qemu-stock
	python3 $(QEMU_BOARD_DIR)/qemu_bench.py --ours $(QEMU_ELF) --stock $(QEMU_STOCK_ELF)

# The demo: tasks printing at different rates, one echoing UART input awaited by interrupt.
run-qemu: firmware-qemu
	python3 $(QEMU_BOARD_DIR)/qemu_demo.py --elf $(QEMU_ELF) $(QEMU_BOARD_DIR)/demo.py

repl-qemu: firmware-qemu
	$(QEMU_SYSTEM_ARM) $(QEMU_MPS2_ARGS) -serial mon:stdio -kernel $(QEMU_ELF)

run-qemu-stock: firmware-qemu-stock
	$(QEMU_RUN) --elf $(QEMU_STOCK_ELF) $(QEMU_SCRIPT)

bench-qemu-stock: firmware-qemu-stock
	$(QEMU_RUN) --elf $(QEMU_STOCK_ELF) --icount $(QEMU_BOARD_DIR)/bench_board.py

idle-qemu-stock: firmware-qemu-stock
	$(QEMU_RUN) --elf $(QEMU_STOCK_ELF) --cpu $(QEMU_BOARD_DIR)/idle_sleep.py

repl-qemu-stock: firmware-qemu-stock
	$(QEMU_SYSTEM_ARM) $(QEMU_MPS2_ARGS) -serial mon:stdio -kernel $(QEMU_STOCK_ELF)
