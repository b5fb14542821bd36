# Verification beyond `make test` (issue 10 item 6, and threads): included by the Makefile.
#
#   make props        the proptest property tests of the core (also part of cargo test)
#   make fuzz-smoke   the core_ops fuzz target for ~30 s (stable replay harness: no install)
#   make fuzz         the core_ops fuzz target for 10 minutes (cargo fuzz when a nightly
#                     toolchain is there, else the stable replay harness); FUZZ_SECONDS=N
#   make threadcheck  the thread-using py-tests under valgrind helgrind and drd
#
# See fuzz/README.md and tools/helgrind.supp.

.PHONY: props fuzz fuzz-smoke threadcheck

FUZZ_SECONDS ?= 600
FUZZ_ENGINE ?= auto
FUZZ_SMOKE_ENGINE ?= replay

props: | $(SETUP_STAMP)
	cargo test --target-dir $(BUILD)/cargo-test -q --test props

fuzz-smoke: | $(SETUP_STAMP)
	FUZZ_INSTALL=0 fuzz/run.sh 30 $(FUZZ_SMOKE_ENGINE)

fuzz: | $(SETUP_STAMP)
	fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_ENGINE)

# The named thread tests, and every py-test that starts threads, native posting threads or
# signals.
THREADCHECK_TESTS ?= $(sort py-tests/asyncio_threadsafeflag_thread.py \
    py-tests/asyncio_threadsafeflag_multi.py py-tests/eventio_interrupts.py \
    $(filter-out $(THREADCHECK_SKIP),$(shell grep -l -E '_thread|test_source|signal_flag' py-tests/*.py)))
# Left out: what these report is inside MicroPython itself on a build without a GIL
# (mp_sched_schedule against mp_handle_pending on the scheduler's queue; the _thread lock a
# test uses; the allocator's statistics, which two threads allocating at once both update:
# asyncio_threadsafeflag_thread_create.py), not in eventio; the same tests run under memcheck
# and in py-test.
THREADCHECK_SKIP := py-tests/asyncio_run_waits_for_schedule.py py-tests/asyncio_threadsafeflag_poll.py \
    py-tests/asyncio_threadsafeflag_thread_create.py

threadcheck: $(BUILD)/micropython-valgrind
	tools/threadcheck.sh $(BUILD)/micropython-valgrind $(ABS_BUILD)/threadcheck $(THREADCHECK_TESTS)
