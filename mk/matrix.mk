# make test-matrix: eventio against every MicroPython release it supports; included from the
# top-level Makefile.  Each version's firmwares (ours and stock) live in build/mp-VERSION/,
# built by MicroPython's own make rules (a second run rebuilds only what changed), and that
# version's tests run on both (tools/matrix.sh says which).  The default build (build/,
# MicroPython 1.25 unless MICROPY_DIR= says otherwise) is the first row: make test runs its
# suites itself, and the matrix adds stock's upstream tests and the newer tests on it.
#
#   test-matrix        every version below, then build/matrix-summary.txt
#   test-version       one more: make test-version MATRIX_SOURCE=/path/to/micropython
#   MATRIX_VERSIONS    the releases beside the default: 1.28.0 from the kit's tarball
#                      (KIT_DIR), 1.26.1 from Debian unstable's source package (skipped with a
#                      message when unstable has moved on)
# memcheck, threadcheck, stress and the QEMU board run on the default build only (make test);
# the QEMU board is built against the newest release too (test-matrix-qemu).

MATRIX_VERSIONS ?= 1.28.0 1.26.1
KIT_DIR ?= $(TOP_DIR)/../shared/kit
MATRIX_ENV = MAKE="$(MAKE)" KIT_DIR="$(KIT_DIR)" RUST_LIB="$(RUST_LIB)" MICROPY_DIR="$(MICROPY_DIR)"

.PHONY: test-matrix test-version test-matrix-qemu

# 1.28.0 goes first: the newer tests of the rows before 1.26 are read from its tree.
test-matrix: $(RUST_LIB) py-test upstream-test net-test stock-check
	@rm -f $(BUILD)/matrix-summary.txt; start=$$(date +%s); status=0; \
	for v in $(MATRIX_VERSIONS) default; do \
	    $(MATRIX_ENV) tools/matrix.sh $$v || status=1; \
	done; \
	$(MAKE) --no-print-directory test-matrix-qemu >$(BUILD)/matrix-qemu.log 2>&1 || { tail -30 $(BUILD)/matrix-qemu.log; status=1; }; \
	echo "== matrix summary ($$(( $$(date +%s) - start )) s)"; cat $(BUILD)/matrix-summary.txt; \
	exit $$status

test-version: $(RUST_LIB)
	@[ -n "$(MATRIX_SOURCE)" ] || { echo "usage: make test-version MATRIX_SOURCE=/path/to/micropython" >&2; exit 2; }
	@v=$$(sed -n 's/^#define MICROPY_VERSION_\(MAJOR\|MINOR\|MICRO\) (\{0,1\}\([0-9]*\).*/\2/p' $(MATRIX_SOURCE)/py/mpconfig.h | paste -sd.); \
	$(MATRIX_ENV) tools/matrix.sh $$v-own $(MATRIX_SOURCE)

# The Cortex-M3 board (mk/qemu.mk) against the newest release: MicroPython's asyncio tests
# and our py-tests under QEMU, when its tools are installed (QEMU=0 skips it).
MATRIX_QEMU_VERSION ?= 1.28.0
MATRIX_QEMU_DIR = $(BUILD)/mp-$(MATRIX_QEMU_VERSION)
test-matrix-qemu: | $(SETUP_STAMP)
	@if [ "$(QEMU)" = 0 ] || ! command -v qemu-system-arm >/dev/null || ! command -v arm-none-eabi-gcc >/dev/null; then \
	    echo "matrix: QEMU board skipped: QEMU=0, or qemu-system-arm or arm-none-eabi-gcc not installed"; \
	elif [ ! -e $(MATRIX_QEMU_DIR)/src/py/mpconfig.h ]; then \
	    echo "matrix: QEMU board skipped: no MicroPython $(MATRIX_QEMU_VERSION) source in $(MATRIX_QEMU_DIR)/src"; \
	else \
	    $(MAKE) --no-print-directory BUILD=$(MATRIX_QEMU_DIR) MICROPY_DIR=$(MATRIX_QEMU_DIR)/src \
	        QEMU_CARGO_DIR=$(ABS_BUILD)/cargo QEMU_VENV=$(ABS_BUILD)/venv test-qemu; \
	fi
