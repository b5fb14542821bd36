#!/bin/sh
# Build eventio's Rust core as a static library for a firmware's CPU, as the port's own build
# asks for it (the user C module's micropython.cmake and micropython.mk call this).
#
# Usage: tools/cargo-firmware.sh CC TARGET_DIR OUT_LIB [CFLAGS...]
#   CC, CFLAGS   the port's C compiler and flags: they name the Rust target (tools/rust-target.sh;
#                EVENTIO_RUST_TARGET in the environment overrides) and where its C headers are
#   TARGET_DIR   cargo's target folder (shared between builds: cargo keeps one per target)
#   OUT_LIB      where the library is copied; its time changes only when the library did, so
#                the firmware is relinked only then
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cc=$1
tdir=$2
out=$3
shift 3
target=${EVENTIO_RUST_TARGET:-$("$top/tools/rust-target.sh" "$cc" "$@")}
host=$(rustc -vV | sed -n 's/^host: //p')

if [ "$target" = "$host" ]; then
    set -- --target-dir "$tdir"
    built="$tdir/release/libeventio.a"
else
    if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$target"; then
        echo "eventio: adding the Rust target $target (rustup target add $target)" >&2
        rustup target add "$target" >&2 || { echo "eventio: run: rustup target add $target" >&2; exit 1; }
    fi
    # bindgen's libclang has no C headers for a bare-metal target: give it the compiler's
    # own (stdint.h, stdbool.h) and its C library's.
    libc_dir=$(dirname "$("$cc" -print-file-name=libc.a)")
    BINDGEN_EXTRA_CLANG_ARGS="-isystem $("$cc" -print-file-name=include) -isystem $libc_dir/../include"
    export BINDGEN_EXTRA_CLANG_ARGS
    set -- --target "$target" --target-dir "$tdir"
    built="$tdir/$target/release/libeventio.a"
fi
cd "$top"
cargo rustc --release --lib --crate-type staticlib --features firmware "$@" -q
mkdir -p "$(dirname "$out")"
cmp -s "$built" "$out" 2>/dev/null || cp "$built" "$out"
