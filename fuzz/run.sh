#!/bin/sh
# Run the core_ops fuzz target for SECONDS (make fuzz-smoke: 30, make fuzz: 600).
#   fuzz/run.sh SECONDS [libfuzzer|replay|auto]
# libfuzzer: cargo fuzz (needs a nightly toolchain; installs cargo-fuzz if missing).
# replay:    the stable harness (src/fuzz_core.rs): seeded random sequences, no coverage guidance.
# auto:      libfuzzer when a nightly toolchain is there, else replay.  FUZZ_INSTALL=0 uses
#            libfuzzer only if cargo-fuzz is already installed (no install in a smoke run).
set -e
cd "$(dirname "$0")"
secs=${1:-30}
engine=${2:-auto}
if [ "$engine" = auto ]; then
    engine=replay
    if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
        if cargo fuzz --version >/dev/null 2>&1 || [ "${FUZZ_INSTALL:-1}" != 0 ]; then
            engine=libfuzzer
        fi
    fi
fi
echo "fuzz: core_ops for ${secs}s with $engine"
case $engine in
libfuzzer)
    if ! cargo fuzz --version >/dev/null 2>&1; then
        cargo install cargo-fuzz --locked
    fi
    mkdir -p corpus/core_ops
    # -timeout: one input taking over 10 s is a hang; artifacts/core_ops/ keeps failures.
    cargo +nightly fuzz run core_ops corpus/core_ops -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 2>&1 \
        | grep -v -E '^#[0-9]+.*(NEW|REDUCE|pulse)|^"|^###' | tail -25
    # (cargo fuzz exits non-zero on a crash; set -e and the pipe's status: check artifacts.)
    if ls artifacts/core_ops/crash-* artifacts/core_ops/leak-* artifacts/core_ops/timeout-* >/dev/null 2>&1; then
        echo "fuzz: FAILED, inputs in fuzz/artifacts/core_ops/ (replay: cargo +nightly fuzz run core_ops FILE)"
        exit 1
    fi
    echo "fuzz: 1 passed, 0 failed"
    ;;
replay)
    cargo run -q --release --no-default-features --bin fuzz_core -- --seconds "$secs" --seed "${FUZZ_SEED:-1}"
    ;;
*)
    echo "fuzz: unknown engine $engine" >&2; exit 2 ;;
esac
