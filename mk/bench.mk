# Benchmarks: ours vs stock MicroPython asyncio; included from the top-level Makefile.
# Uses BUILD (build dir, relative), ABS_BUILD, PYTHON; see bench/README.md.
#
#   make bench           full run (7 interleaved repeats, 100,000-task case, 10,000 latency
#                        samples, QEMU board when installed; ~8 min on 2 cores, < 15 min)
#   make bench QUICK=1   small counts, 3 repeats (< 2 min)
#
# Writes $(BUILD)/bench/results.json, results.md, results.png.  The plot needs matplotlib,
# installed with pip into the virtual environment $(BUILD)/bench-venv (as root, the Debian
# package python3-venv is installed first when `python3 -m venv` cannot work without it).

BENCH_VENV := $(BUILD)/bench-venv
BENCH_VENV_STAMP := $(BENCH_VENV)/.installed
BENCH_ARGS := $(if $(filter-out 0,$(QUICK)),--quick) $(if $(REPEATS),--repeats $(REPEATS))

.PHONY: bench bench-venv
bench: $(BUILD)/micropython $(BUILD)/micropython-stock $(BENCH_VENV_STAMP)
	$(BENCH_VENV)/bin/python bench/run.py --build $(ABS_BUILD) $(BENCH_ARGS)

bench-venv: $(BENCH_VENV_STAMP)
$(BENCH_VENV_STAMP): bench/requirements.txt
	rm -rf $(BENCH_VENV)
	@$(PYTHON) -m venv $(BENCH_VENV) 2>/dev/null || { \
	    rm -rf $(BENCH_VENV); \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	        echo "bench: '$(PYTHON) -m venv' failed; installing python3-venv"; \
	        apt-get update -q >/dev/null && \
	        DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >/dev/null; \
	    fi; \
	    $(PYTHON) -m venv $(BENCH_VENV) || { \
	        echo "bench: cannot create a venv: install python3-venv" >&2; exit 1; }; }
	$(BENCH_VENV)/bin/pip install -q --disable-pip-version-check -r bench/requirements.txt
	touch $@
