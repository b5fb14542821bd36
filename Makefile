# eventio: build MicroPython with eventio's Rust event loop, and stock MicroPython beside it.
#
#   make          build/micropython (ours) and build/micropython-stock (stock asyncio)
#   make run      the demo in examples/ on our firmware
#   make test     cargo test, our py-tests, and MicroPython's own asyncio tests on our firmware
#
# Each target installs what it needs first (Debian packages when root, the Rust target,
# MicroPython's source from its Debian source package).  MICROPY_DIR=/path/to/micropython
# builds against your own MicroPython checkout instead of the fetched one.

TOP_DIR := $(abspath .)
# Targets are named relative to the top folder (make build/micropython); sub-makes get ABS_BUILD.
BUILD := build
ABS_BUILD := $(TOP_DIR)/$(BUILD)
MICROPY_DIR ?= $(BUILD)/micropython-src
MPY_DIR := $(abspath $(MICROPY_DIR))
PYTHON ?= python3
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# Debian packages the build needs (installed when missing and we are root).
DEB_PACKAGES := build-essential pkg-config libclang-dev xz-utils python3 python3-venv valgrind strace iproute2 \
                util-linux gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
SETUP_STAMP := $(BUILD)/.setup-done

RUST_LIB := $(BUILD)/cargo/release/libeventio.a
RUST_SRC := Cargo.toml build.rs include/eventio.h $(wildcard src/*.rs)
GLUE_SRC := $(wildcard micropython-port/usermod/eventio/*) $(wildcard micropython-port/ports/*/*.c) \
            $(wildcard micropython-port/modules/*.py) \
            $(wildcard micropython-port/modules/*/*.py)

UNIX_OPTS := VARIANT=standard MICROPY_PY_BTREE=0 MICROPY_PY_FFI=0 MICROPY_SSL_MBEDTLS=0 \
             MICROPY_PY_SSL=0 MICROPY_PY_AXTLS=0
OURS_OPTS := BUILD=build-eventio USER_C_MODULES=$(TOP_DIR)/micropython-port/usermod \
             FROZEN_MANIFEST=$(TOP_DIR)/micropython-port/modules/manifest.py \
             EVENTIO_LIB=$(TOP_DIR)/$(RUST_LIB) EVENTIO_INCLUDE=$(TOP_DIR)/include \
             CFLAGS_EXTRA="-DMICROPY_PY_ASYNCIO=0"
STOCK_OPTS := BUILD=build-stock FROZEN_MANIFEST=$(TOP_DIR)/micropython-port/stock-manifest.py

.PHONY: all setup run test cargo-test py-test upstream-test net-test stock-check cpython-check memcheck stress stress-quick qemu-test-if-present clean
all: $(BUILD)/micropython $(BUILD)/micropython-stock

# ---- Set-up -------------------------------------------------------------------------------
setup: $(SETUP_STAMP)
$(SETUP_STAMP):
	@mkdir -p $(BUILD)
	@tools/deb-install.sh setup $(DEB_PACKAGES)
	@command -v cargo >/dev/null || { echo "setup: Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
	@touch $@

$(MPY_DIR)/py/mpconfig.h: | $(SETUP_STAMP)
	tools/fetch-micropython.sh $(BUILD)

$(MPY_DIR)/mpy-cross/build/mpy-cross: $(MPY_DIR)/py/mpconfig.h
	$(MAKE) -C $(MPY_DIR)/mpy-cross -j$(JOBS) BUILD=build >/dev/null  # not a BUILD= given to us

# ---- Builds -------------------------------------------------------------------------------
$(RUST_LIB): $(RUST_SRC) | $(SETUP_STAMP)
	cargo rustc --release --lib --crate-type staticlib --features firmware --target-dir $(abspath $(dir $@)..) -q

# MicroPython's link rule depends on its objects only, not on the Rust library it links: the
# linked program is removed first, so that a change in src/ alone is linked in too.
$(BUILD)/micropython: $(RUST_LIB) $(GLUE_SRC) $(MPY_DIR)/mpy-cross/build/mpy-cross
	touch $(MPY_DIR)/lib/micropython-lib/README.md
	rm -f $(MPY_DIR)/ports/unix/build-eventio/micropython
	$(MAKE) -C $(MPY_DIR)/ports/unix -j$(JOBS) $(UNIX_OPTS) $(OURS_OPTS) >$(BUILD)/micropython.log 2>&1 \
	    || { tail -40 $(BUILD)/micropython.log; exit 1; }
	cp $(MPY_DIR)/ports/unix/build-eventio/micropython $@.tmp && mv $@.tmp $@

$(BUILD)/micropython-stock: $(MPY_DIR)/mpy-cross/build/mpy-cross micropython-port/stock-manifest.py
	touch $(MPY_DIR)/lib/micropython-lib/README.md
	$(MAKE) -C $(MPY_DIR)/ports/unix -j$(JOBS) $(UNIX_OPTS) $(STOCK_OPTS) >$(BUILD)/micropython-stock.log 2>&1 \
	    || { tail -40 $(BUILD)/micropython-stock.log; exit 1; }
	cp $(MPY_DIR)/ports/unix/build-stock/micropython $@.tmp && mv $@.tmp $@

# Unstripped (valgrind names functions), for `make memcheck`.  MICROPY_DEBUG_VALGRIND is not
# used: in MicroPython 1.25 it makes the collector skip every root when not under valgrind.
$(BUILD)/micropython-valgrind: $(RUST_LIB) $(GLUE_SRC) $(MPY_DIR)/mpy-cross/build/mpy-cross
	rm -f $(MPY_DIR)/ports/unix/build-valgrind/micropython  # relinked: see $(BUILD)/micropython
	$(MAKE) -C $(MPY_DIR)/ports/unix -j$(JOBS) $(UNIX_OPTS) $(subst build-eventio,build-valgrind,$(OURS_OPTS)) \
	    STRIP=true EVENTIO_VALGRIND=1 \
	    >$(BUILD)/micropython-valgrind.log 2>&1 || { tail -40 $(BUILD)/micropython-valgrind.log; exit 1; }
	cp $(MPY_DIR)/ports/unix/build-valgrind/micropython $@.tmp && mv $@.tmp $@

# ---- Use ------------------------------------------------------------------------------------
run: $(BUILD)/micropython
	$(BUILD)/micropython examples/demo.py

# ---- Tests ----------------------------------------------------------------------------------
test: cargo-test py-test upstream-test net-test stock-check cpython-check memcheck threadcheck \
      stress fuzz-smoke fuzz-diff-corpus qemu-test-if-present test-pico-if-present test-matrix

cargo-test: | $(SETUP_STAMP)
	cargo test --target-dir $(BUILD)/cargo-test -q

# Our own tests (py-tests/name.py with name.py.exp), with MicroPython's test runner.
py-test: $(BUILD)/micropython $(MPY_DIR)/py/mpconfig.h
	cd $(MPY_DIR)/tests && MICROPY_MICROPYTHON=$(ABS_BUILD)/micropython $(PYTHON) ./run-tests.py \
	    --result-dir $(ABS_BUILD)/results-py-tests $(wildcard $(TOP_DIR)/py-tests/*.py)

# MicroPython's own asyncio tests (all of tests/extmod/asyncio_*.py), on our firmware.
upstream-test: $(BUILD)/micropython
	cd $(MPY_DIR)/tests && MICROPY_MICROPYTHON=$(ABS_BUILD)/micropython $(PYTHON) ./run-tests.py \
	    --result-dir $(ABS_BUILD)/results-upstream extmod/asyncio_*.py

# MicroPython's network asyncio tests: ours alone, and ours talking to stock, in a private
# network namespace where only loopback exists.
# MicroPython 1.28's run-multitests.py imports pyserial: the QEMU rules' venv provides it.
net-test: $(BUILD)/micropython $(BUILD)/micropython-stock qemu-pyserial
	PATH=$(QEMU_VENV)/bin:$$PATH tools/net-tests.sh $(MPY_DIR) $(ABS_BUILD)/micropython $(ABS_BUILD)/micropython-stock \
	    $(ABS_BUILD)/results-net

# py-tests/cpython_*.py run unchanged on CPython; their expected output is CPython 3.11's.
cpython-check: | $(SETUP_STAMP)
	$(PYTHON) tools/check-expected.py cpython $(PYTHON) py-tests

# The Cortex-M board under QEMU is tested too when its tools are installed (the set-up
# installs them when run as root); QEMU=0 skips it.
qemu-test-if-present: | $(SETUP_STAMP)
	@if [ "$(QEMU)" != 0 ] && command -v qemu-system-arm >/dev/null && command -v arm-none-eabi-gcc >/dev/null; then \
	    $(MAKE) test-qemu; \
	else echo "QEMU tests skipped: qemu-system-arm or arm-none-eabi-gcc not installed"; fi

# Our py-tests' expected output must be what stock MicroPython prints, wherever stock has the
# feature (tests that need eventio itself print SKIP on stock).
stock-check: $(BUILD)/micropython-stock
	$(PYTHON) tools/check-expected.py stock $(BUILD)/micropython-stock py-tests

# Every py-test and MicroPython asyncio test under valgrind memcheck: no invalid read or
# write, no use of uninitialised memory (the collector's conservative scan aside).  But for
# extmod/asyncio_fair.py: its output is the order of 100 ms and 180 ms periodic sleeps 40 ms
# apart, beside two tasks that never stop running, compared with CPython's, run at the same
# time on the same busy machine; it runs natively in upstream-test.
memcheck: $(BUILD)/micropython-valgrind $(MPY_DIR)/py/mpconfig.h
	cd $(MPY_DIR)/tests && MICROPY_MICROPYTHON=$(TOP_DIR)/tools/valgrind-micropython $(PYTHON) \
	    ./run-tests.py --result-dir $(ABS_BUILD)/results-memcheck \
	    $$(ls extmod/asyncio_*.py | grep -vx extmod/asyncio_fair.py) $(TOP_DIR)/py-tests/*.py

# Load, cancellation storms, GC torture, MemoryError on a tiny heap, interrupt floods, leaks.
stress: $(BUILD)/micropython $(BUILD)/micropython-stock
	tools/stress.sh $(ABS_BUILD)/micropython $(ABS_BUILD)/micropython-stock

stress-quick: $(BUILD)/micropython $(BUILD)/micropython-stock
	QUICK=1 tools/stress.sh $(ABS_BUILD)/micropython $(ABS_BUILD)/micropython-stock

clean:
	rm -rf $(BUILD)/cargo $(BUILD)/cargo-test $(BUILD)/micropython $(BUILD)/micropython-stock
	-$(MAKE) -C $(MPY_DIR)/ports/unix BUILD=build-eventio clean >/dev/null 2>&1
	-$(MAKE) -C $(MPY_DIR)/ports/unix BUILD=build-stock clean >/dev/null 2>&1

# The Cortex-M board under QEMU, and the benchmarks.
-include mk/qemu.mk
-include mk/bench.mk
-include mk/verify.mk
-include mk/matrix.mk
-include mk/pico.mk
-include mk/fuzz-diff.mk
-include mk/pico-emu.mk
