#!/bin/sh
# The Rust target that matches a C compiler and its flags: what eventio's core must be built
# for to link into that port's firmware.  The one mapping, used by the user C module's
# micropython.cmake (rp2, esp32, zephyr) and micropython.mk (make-based ports).
#
# Usage: tools/rust-target.sh CC [FLAGS...]      prints the target triple, or fails with why
#   e.g. arm-none-eabi-gcc -mcpu=cortex-m0plus -mthumb            -> thumbv6m-none-eabi
#
# The float ABI decides between the Arm eabi and eabihf targets, because objects of the two
# cannot be linked together: -mfloat-abi=hard -> *-eabihf; soft or softfp (e.g. the pico-sdk's
# RP2350 build) -> *-eabi.  A host compiler with no CPU flags gets the host's target.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 CC [FLAGS...]" >&2; exit 2; }
cc=$1
shift
cpu=""
arch=""
float_abi=""
for f in "$@"; do
    case "$f" in
        -mcpu=*) cpu=${f#-mcpu=} ;;
        -march=*) arch=${f#-march=} ;;
        -mfloat-abi=*) float_abi=${f#-mfloat-abi=} ;;
    esac
done
cpu=${cpu%%+*} # cortex-m33+nodsp -> cortex-m33

fail() {
    echo "eventio: $*" >&2
    echo "eventio: set EVENTIO_RUST_TARGET=<triple> to choose the Rust target yourself" >&2
    exit 1
}

case "$(basename "$cc")" in
    xtensa-*)
        fail "Rust has no upstream target for Xtensa CPUs (ESP32, ESP32-S2, ESP32-S3): build with Espressif's Rust toolchain (espup) and its xtensa-esp32*-none-elf target, or use a RISC-V chip (ESP32-C3/C6)" ;;
esac

hf() { # $1: the triple's stem; eabihf only with the hard-float ABI
    if [ "$float_abi" = hard ]; then echo "$1-none-eabihf"; else echo "$1-none-eabi"; fi
}

case "$cpu" in
    cortex-m0|cortex-m0plus|cortex-m1) echo thumbv6m-none-eabi; exit 0 ;;
    cortex-m3) echo thumbv7m-none-eabi; exit 0 ;;
    cortex-m4|cortex-m7) hf thumbv7em; exit 0 ;;
    cortex-m23) echo thumbv8m.base-none-eabi; exit 0 ;;
    cortex-m33|cortex-m35p|cortex-m55|cortex-m85) hf thumbv8m.main; exit 0 ;;
    "") ;;
    *) fail "no Rust target known for -mcpu=$cpu" ;;
esac

case "$arch" in
    rv32*)
        # rv32imc_zicsr_zifencei -> imc; the Zca extension is the C extension's integer part
        # (the pico-sdk's RP2350 RISC-V flags name it instead of c).
        base=${arch%%_*}
        base=${base#rv32}
        case "$arch" in *_zca*) case "$base" in *c*) ;; *) base="${base}c" ;; esac ;; esac
        case "$base" in
            i|im|imc|imac|imafc) echo "riscv32$base-unknown-none-elf"; exit 0 ;;
            ima) echo riscv32ima-unknown-none-elf; exit 0 ;;
            *) fail "no Rust target known for -march=$arch" ;;
        esac ;;
    armv6s-m|armv6-m) echo thumbv6m-none-eabi; exit 0 ;;
    armv7-m) echo thumbv7m-none-eabi; exit 0 ;;
    armv7e-m*) hf thumbv7em; exit 0 ;;
    armv8-m.base*) echo thumbv8m.base-none-eabi; exit 0 ;;
    armv8-m.main*) hf thumbv8m.main; exit 0 ;;
    "") ;;
    *) fail "no Rust target known for -march=$arch" ;;
esac

# No CPU flags: a compiler for the machine itself (the unix port) or one that names its
# target (e.g. a triple-prefixed gcc with a default CPU).
machine=$("$cc" -dumpmachine 2>/dev/null) || fail "cannot run the C compiler $cc"
host=$(rustc -vV | sed -n 's/^host: //p')
case "$machine" in
    x86_64-*linux*) [ "${host%%-*}" = x86_64 ] && { echo "$host"; exit 0; } ;;
    aarch64-*linux*) [ "${host%%-*}" = aarch64 ] && { echo "$host"; exit 0; } ;;
    xtensa-*) fail "Rust has no upstream target for Xtensa CPUs (ESP32, ESP32-S2, ESP32-S3)" ;;
esac
fail "cannot tell the CPU from $cc ($machine) without -mcpu or -march"
