# The differential fuzzer (tools/fuzz-diff/): random deterministic asyncio programs on ours
# and on stock, outputs compared.  Included by the Makefile.
#
#   make fuzz-diff          random programs for FUZZ_DIFF_SECONDS (600); divergent ones are
#                           saved, minimized, in build/fuzz-diff/
#   make fuzz-diff-corpus   the fixed-seed corpus (part of make test), on 2 cores

.PHONY: fuzz-diff fuzz-diff-corpus

FUZZ_DIFF_SECONDS ?= 600
# Seeds 1-400 (--seeds A-B runs A..B-1), default areas: all agree, in about 5 s; seeds
# 1-5000 were checked to agree too.  Before the one-bit ThreadSafeFlag fix, seeds 78, 230
# and 245 diverged.
FUZZ_DIFF_SEEDS ?= 1-401

fuzz-diff: $(BUILD)/micropython $(BUILD)/micropython-stock
	$(PYTHON) tools/fuzz-diff/run.py $(BUILD)/micropython $(BUILD)/micropython-stock \
	    --seconds $(FUZZ_DIFF_SECONDS) --jobs 2 --out $(BUILD)/fuzz-diff

fuzz-diff-corpus: $(BUILD)/micropython $(BUILD)/micropython-stock
	$(PYTHON) tools/fuzz-diff/run.py $(BUILD)/micropython $(BUILD)/micropython-stock \
	    --seeds $(FUZZ_DIFF_SEEDS) --jobs 2 --out $(BUILD)/fuzz-diff-corpus
