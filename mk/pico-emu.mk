# The Raspberry Pi Pico firmwares (mk/pico.mk builds them) run in rp2040js, an emulator of the
# RP2040, through our runner micropython-port/pico/runner/picorun.ts; included from the
# top-level Makefile.  Expects TOP_DIR, BUILD, ABS_BUILD, MPY_DIR-independent: the tests come
# from the MicroPython 1.28 tree mk/pico.mk unpacks (PICO_MPY).
#
#   test-pico          MicroPython 1.28's tests/extmod/asyncio_*.py, our py-tests that apply and
#                      the Pico's own (micropython-port/pico/tests), on
#                      build/pico/eventio-pico-uart.uf2, through MicroPython's run-tests.py
#   test-pico-stock    the same on stock (build/pico/stock-pico-uart.uf2), for comparison
#   bench-pico         ours against stock on the emulated chip (the UART board), cycles counted
#                      by the runner: build/pico/bench.md
#   run-pico           the demo: LED tasks, a button the runner presses, the load average
#   pico-emu           rp2040js unpacked from the kit into build/pico/rp2040js, its npm tools
#
# rp2040js comes from the kit (PICO_KIT) and is unpacked under build/ at build time; its dev
# tools (tsx) come from the npm registry (`npm install --ignore-scripts`).  Nothing of it is in
# the repository.  PICO_CONSOLE=usb with PICO_UF2=...rpi_pico.uf2 runs the USB-console boards.

PICO_KIT ?= $(abspath $(TOP_DIR)/../shared/kit)
PICO_EMU_DIR := $(ABS_BUILD)/pico/rp2040js
PICO_EMU_STAMP := $(PICO_EMU_DIR)/.eventio-installed
PICO_EMU_TARBALL := $(firstword $(wildcard $(PICO_KIT)/rp2040js-*.tar.xz))
PICO_RUNNER_DIR := $(abspath $(TOP_DIR))/micropython-port/pico
PICO_RUN := $(PICO_EMU_DIR)/node_modules/.bin/tsx --tsconfig $(PICO_EMU_DIR)/tsconfig.json \
	$(PICO_RUNNER_DIR)/runner/picorun.ts
PICO_EIO_UF2 ?= $(ABS_BUILD)/pico/eventio-pico-uart.uf2
PICO_STOCK_UF2 ?= $(ABS_BUILD)/pico/stock-pico-uart.uf2
PICO_CONSOLE ?= uart
# The tests come from the MicroPython 1.28 tree (mk/pico.mk's PICO_MPY).
PICO_TESTS_DIR = $(PICO_MPY)/tests
PICO_SERVE = exec:$(PICO_RUN) serve --rp2040js $(PICO_EMU_DIR) --console $(PICO_CONSOLE) --timeout 1200 --image $(1)

# py-tests that cannot run on the emulated Pico: threads (the emulator runs one core, so
# _thread.start_new_thread waits for it forever), POSIX signals, and 5,000 or 1,000 live tasks/flags that need more than
# the Pico's ~190 KB heap (stock cannot allocate them either).
PICO_PY_TESTS_EXCLUDED := asyncio_threadsafeflag_thread.py asyncio_threadsafeflag_multi.py \
	eventio_interrupts.py asyncio_threadsafeflag_many.py asyncio_many_tasks.py \
	asyncio_run_waits_for_schedule.py asyncio_threadsafeflag_poll.py asyncio_threadsafeflag_thread_create.py
PICO_PY_TESTS = $(filter-out $(addprefix $(abspath $(TOP_DIR))/py-tests/,$(PICO_PY_TESTS_EXCLUDED)), \
	$(wildcard $(abspath $(TOP_DIR))/py-tests/*.py)) $(wildcard $(PICO_RUNNER_DIR)/tests/*.py)

.PHONY: pico-emu test-pico test-pico-stock bench-pico run-pico test-pico-if-present

pico-emu: $(PICO_EMU_STAMP)
$(PICO_EMU_STAMP):
	@[ -n "$(PICO_EMU_TARBALL)" ] || { echo "pico-emu: no rp2040js-*.tar.xz in $(PICO_KIT)" >&2; exit 1; }
	@command -v npm >/dev/null || { echo "pico-emu: Node.js 18+ and npm are needed" >&2; exit 1; }
	rm -rf $(PICO_EMU_DIR) && mkdir -p $(PICO_EMU_DIR)
	tar -xJf $(PICO_EMU_TARBALL) -C $(PICO_EMU_DIR) --strip-components=1
	cd $(PICO_EMU_DIR) && npm install --ignore-scripts --no-audit --no-fund >$(PICO_EMU_DIR)/npm.log 2>&1 \
	    || { tail -20 $(PICO_EMU_DIR)/npm.log; exit 1; }
	touch $@

# $(call pico_run_tests,UF2,RESULTS): upstream's asyncio tests, then our py-tests, through
# run-tests.py with the runner as the serial line (its -t exec: target): skips and the .exp
# comparison are upstream's own.
define pico_run_tests
	cd $(PICO_TESTS_DIR) && $(PYTHON) ./run-tests.py -t "$(call PICO_SERVE,$(1))" \
	    -r $(2)-upstream -d extmod -i asyncio
	cd $(PICO_TESTS_DIR) && $(PYTHON) ./run-tests.py -t "$(call PICO_SERVE,$(1))" \
	    -r $(2)-py-tests $(PICO_PY_TESTS)
endef

# A firmware given under build/pico is built by mk/pico.mk's rule for it (once, and again only
# when one of its inputs changed); any other is taken as it is.
pico_fw_target = $(if $(filter $(ABS_BUILD)/pico/%.uf2,$(1)),$(patsubst $(ABS_BUILD)/%,$(BUILD)/%,$(1)))

test-pico: $(call pico_fw_target,$(PICO_EIO_UF2)) pico-emu
	$(call pico_run_tests,$(PICO_EIO_UF2),$(ABS_BUILD)/pico/test-results)

test-pico-stock: $(call pico_fw_target,$(PICO_STOCK_UF2)) pico-emu
	$(call pico_run_tests,$(PICO_STOCK_UF2),$(ABS_BUILD)/pico/stock-test-results)

bench-pico: $(call pico_fw_target,$(PICO_EIO_UF2)) $(call pico_fw_target,$(PICO_STOCK_UF2)) pico-emu
	$(PYTHON) $(PICO_RUNNER_DIR)/pico_bench.py --run "$(PICO_RUN) run --rp2040js $(PICO_EMU_DIR)" \
	    --ours $(PICO_EIO_UF2) --stock $(PICO_STOCK_UF2) --console $(PICO_CONSOLE) --out $(ABS_BUILD)/pico/bench.md

run-pico: $(call pico_fw_target,$(PICO_EIO_UF2)) pico-emu
	$(PICO_RUN) run --rp2040js $(PICO_EMU_DIR) --console $(PICO_CONSOLE) --image $(PICO_EIO_UF2) --max-seconds 60 \
	    $(PICO_RUNNER_DIR)/demo.py

# Part of `make test` where the kit (or MICROPY_DIR=) and Node are present; PICO=0 skips it.
# It builds the UART board's firmware (the one tested) and the Pico 2's (RP2350, another Rust
# target: it must build and link), each once and again only when an input changed; the USB
# board's firmware (the same chip and code as the UART board's) is left to make firmware-pico.
PICO_HAVE_SOURCE = $(if $(filter command line,$(origin MICROPY_DIR)),yes,$(wildcard $(PICO_KIT)/micropython-1.28.0-submodules-rp2.tar.xz))
test-pico-if-present:
	@if [ "$(PICO)" != 0 ] && [ -n "$(PICO_EMU_TARBALL)" ] && [ -n "$(PICO_HAVE_SOURCE)" ] \
	    && command -v npm >/dev/null; then \
	    $(MAKE) test-pico $(BUILD)/pico/eventio-rpi_pico2.uf2; \
	else echo "Pico tests skipped: needs the kit (../shared/kit: MicroPython 1.28 with the rp2 submodules, rp2040js) and Node.js with npm"; fi
